"""skts: scikit-learn-compatible time-series forecasters.

Rows are time steps. ``fit(X, y)`` learns from the history, ``predict(X)``
forecasts the rows that follow it, ``update(X, y)`` appends observations
without re-estimating and ``forecast(horizon)`` is the convenience call.

Each public name has one import path, its subpackage, as in scikit-learn:
``from skts.forecasting import SARIMAEstimator``, ``from skts.neural import
RNNForecaster``, ``from skts.model_selection import backtest``. The
subpackages are imported on first use (PEP 562), so ``import skts`` stays as
cheap as importing pandas and scikit-learn and never imports TensorFlow,
Keras, matplotlib or statsmodels.
"""

import importlib
import sys

__version__ = "0.1.0"

# Names once re-exported here, with the subpackage to import them from.
_MOVED = {
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

__all__ = sorted(_SUBPACKAGES)


def __getattr__(name):
    if name in _SUBPACKAGES:
        return importlib.import_module(f"skts.{name}")
    if name in _MOVED:
        message = (
            f"skts.{name}: import it from {_MOVED[name]} (from {_MOVED[name]} import {name}); "
            "each public name has one import path, its subpackage."
        )
        # ``from skts import name`` turns an AttributeError into a generic
        # ImportError that drops this message; an ImportError passes through.
        raise (ImportError if _importing_from(sys._getframe(1)) else AttributeError)(message)
    raise AttributeError(f"module 'skts' has no attribute {name!r}")


def _importing_from(frame):
    """Whether ``frame`` is executing ``from skts import name``."""
    import dis

    return any(
        instruction.offset == frame.f_lasti and instruction.opname == "IMPORT_FROM"
        for instruction in dis.get_instructions(frame.f_code)
    )


def __dir__():
    return __all__
