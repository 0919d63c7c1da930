"""Keras neural forecasters and window regressors.

Importing this subpackage does not import TensorFlow or Keras: the estimator
modules import them inside their methods, on first fit or load.
"""

__all__ = []
