"""Keras neural forecasters and window regressors.

Importing this subpackage does not import TensorFlow or Keras: the estimator
modules import them inside their methods, on first fit or load.
"""

from skts.neural._keras_forecaster import KerasForecaster
from skts.neural._rnn_forecaster import RNNForecaster
from skts.neural._rnn_regressor import RNNRegressor
from skts.neural._wavenet_forecaster import WaveNetForecaster
from skts.neural._wavenet_regressor import WaveNetRegressor

__all__ = ["KerasForecaster", "RNNForecaster", "RNNRegressor", "WaveNetForecaster", "WaveNetRegressor"]
