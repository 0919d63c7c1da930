"""skts: scikit-learn-compatible time-series forecasters.

Rows are time steps. ``fit(X, y)`` learns from the history, ``predict(X)``
forecasts the rows that follow it, ``update(X, y)`` appends observations
without re-estimating and ``forecast(horizon)`` is the convenience call.

The public names are re-exported here and imported on first use (PEP 562),
so ``import skts`` stays as cheap as importing pandas and scikit-learn and
never imports TensorFlow, Keras, matplotlib or statsmodels.
"""

import importlib

__version__ = "0.1.0"

_PUBLIC = {
    "SlidingWindow": "skts.windowing",
    "Differencer": "skts.preprocessing",
    "BoxCoxTransformer": "skts.preprocessing",
    "LogTransformer": "skts.preprocessing",
    "TransformedTargetForecaster": "skts.compose",
    "NaiveSeasonal": "skts.forecasting",
    "SARIMAEstimator": "skts.forecasting",
    "AutoSARIMA": "skts.forecasting",
    "ReductionForecaster": "skts.forecasting",
    "ConformalForecaster": "skts.forecasting",
    "RNNForecaster": "skts.neural",
    "WaveNetForecaster": "skts.neural",
    "backtest": "skts.model_selection",
}
_SUBPACKAGES = (
    "compose",
    "datasets",
    "forecasting",
    "interop",
    "metrics",
    "model_selection",
    "neural",
    "plotting",
    "preprocessing",
    "windowing",
)

__all__ = sorted([*_PUBLIC, *_SUBPACKAGES])


def __getattr__(name):
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    if name in _SUBPACKAGES:
        return importlib.import_module(f"skts.{name}")
    raise AttributeError(f"module 'skts' has no attribute {name!r}")


def __dir__():
    return __all__
