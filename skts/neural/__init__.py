"""Keras neural forecasters and window regressors.

Importing this subpackage does not import TensorFlow or Keras: the estimator
modules import them inside their methods, on first fit or load.
"""

from skts.neural._rnn_forecaster import RNNForecaster
from skts.neural._wavenet_forecaster import WaveNetForecaster

__all__ = ["RNNForecaster", "WaveNetForecaster"]
