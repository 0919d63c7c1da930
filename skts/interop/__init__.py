"""Bridges between skts and the sktime and scikeras ecosystems.

- :class:`SktimeForecaster`: any sktime forecaster as an skts forecaster, so
  it works in scikit-learn's ``GridSearchCV``, ``cross_val_score`` and
  :func:`skts.model_selection.backtest`;
- :func:`to_sktime`: any skts forecaster (or a ``Pipeline`` /
  ``TransformedTargetRegressor`` around one) as an sktime forecaster, for
  sktime's ``evaluate``, ``ForecastingGridSearchCV`` and pipelines.

A scikeras ``KerasRegressor`` needs no adapter: pass it as the regressor of
:class:`skts.forecasting.ReductionForecaster`. For your own Keras network, see
:class:`skts.neural.KerasForecaster`.

Importing this subpackage imports neither sktime nor scikeras: each adapter
module is imported on first use of its name (PEP 562), and imports sktime
then (install it with ``pip install 'skts[sktime]'``).
"""

import importlib

_PUBLIC = {
    "SktimeForecaster": "skts.interop._sktime_forecaster",
    "to_sktime": "skts.interop._to_sktime",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name):
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'skts.interop' has no attribute {name!r}")


def __dir__():
    return __all__
