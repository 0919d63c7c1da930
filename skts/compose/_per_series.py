"""One forecaster per column of a wide target: many series as one forecaster."""

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils.parallel import Parallel, delayed

from skts._compat import HasMethods
from skts._walker import forecasts_at
from skts.forecasting._base import BaseForecaster


class PerSeriesForecaster(BaseForecaster):
    """Fit a clone of a forecaster on each column of ``y``; forecast every column.

    Rows of ``y`` are time steps and its columns are series. ``fit`` fits
    one clone of ``forecaster`` per column, in parallel through joblib, so
    ``joblib.parallel_backend("dask")`` sends the fits to a Dask cluster.
    The result is itself a skts forecaster: ``predict`` and ``forecast``
    return one column per series, in the order (and with the names) of the
    columns of ``y``, and ``update``, ``predict_rolling`` (hence
    :func:`~skts.model_selection.backtest`), ``predict_interval`` and
    ``predict_quantiles`` work column by column.

    Parameters
    ----------
    forecaster : forecaster object
        A single-series skts forecaster (or any object with ``fit(X, y)`` and
        ``predict(X)``, plus ``update``, ``predict_rolling`` and
        ``predict_quantiles`` for those methods), cloned once per column. Each
        clone sees one column as a 1-D NumPy array and the shared covariates.
    n_jobs : int, default=None
        Parallel workers for the per-column fits (joblib); None means 1
        unless inside a ``joblib.parallel_backend`` context, -1 all cores.

    Attributes
    ----------
    forecasters_ : list of forecaster objects, length n_targets
        ``forecasters_[j]`` is the fitted clone for column ``j`` of ``y``;
        ``update`` extends each of them.
    n_features_in_, feature_names_in_, y_, X_, index_, freq_, target_names_ :
        See :class:`~skts.forecasting.BaseForecaster`; ``y_`` has shape
        ``(n_steps, n_targets)``.

    See Also
    --------
    sklearn.multioutput.MultiOutputRegressor : The regressor version, with
        no ``update``, ``forecast``, intervals or labelled output.
    skts.neural.RNNForecaster : ``global_model=True`` trains one network on
        all the columns instead of one model per column.

    Notes
    -----
    The covariates ``X`` are shared: every column's forecaster gets the same
    ``X``. Leading rows where any column is NaN are left out of every fit,
    as for any multi-target forecaster. A column whose fit, forecast or
    update fails raises an error of the same type that names the column; no
    column is ever dropped.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skts.compose import PerSeriesForecaster
    >>> from skts.forecasting import NaiveSeasonal
    >>> wide = pd.DataFrame(
    ...     {"north": [1.0, 2.0, 3.0, 4.0], "south": [10.0, 20.0, 30.0, 40.0]},
    ...     index=pd.date_range("2024-01-01", periods=4, freq="D"),
    ... )
    >>> model = PerSeriesForecaster(NaiveSeasonal(season_length=2)).fit(None, wide)
    >>> len(model.forecasters_)
    2
    >>> model.forecast(3)
                north  south
    2024-01-05    3.0   30.0
    2024-01-06    4.0   40.0
    2024-01-07    3.0   30.0
    """

    _parameter_constraints = {
        "forecaster": [HasMethods(["fit", "predict"])],
        "n_jobs": [Integral, None],
    }

    def __init__(self, forecaster, *, n_jobs=None):
        self.forecaster = forecaster
        self.n_jobs = n_jobs

    @property
    def _allow_interior_nan(self):
        # Missing values inside a series are the wrapped model's to handle
        # (SARIMA's Kalman filter skips them); the others refuse them.
        return bool(getattr(self.forecaster, "_allow_interior_nan", False))

    # -- hooks ---------------------------------------------------------------

    def _fit(self, y, X):
        names = self._column_names(y.shape[1])
        self.forecasters_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_column)(self.forecaster, X, y[:, j], names[j]) for j in range(y.shape[1])
        )

    def _predict(self, horizon, X):
        # In the workers too: a light SARIMA's forecast runs a filter over its
        # history, as long as its fit's last step.
        names = self._column_names(len(self.forecasters_))
        columns = Parallel(n_jobs=self.n_jobs)(
            delayed(_predict_column)(forecaster, X, horizon, names[j]) for j, forecaster in enumerate(self.forecasters_)
        )
        return np.column_stack(columns)

    def _update(self, y, X):
        for j in range(len(self.forecasters_)):
            self._per_column(j, "update", lambda f, j=j: _require(f, "update").update(X, y[:, j]))

    def _rolling_forecasts(self, y, X, origins, horizon):
        # The default walks a shallow copy, which would share and so update
        # the fitted column forecasters: each column's own rolling method runs
        # on new rows and leaves its forecaster unchanged.
        parts = [
            self._per_column(
                j,
                "predict_rolling",
                lambda f, j=j: forecasts_at(_require(f, "predict_rolling"), X, y[:, j : j + 1], origins, horizon),
            )
            for j in range(len(self.forecasters_))
        ]
        return np.concatenate(parts, axis=2)

    def _predict_quantiles(self, horizon, X, quantiles):
        points = self._predict(horizon, X)
        values = [
            self._per_column(j, "predict_quantiles", lambda f: _column_quantiles(f, X, quantiles))
            for j in range(len(self.forecasters_))
        ]
        return points, np.stack(values, axis=1)

    def _rolling_quantiles(self, y, X, origins, horizon, quantiles):
        pairs = [
            self._per_column(
                j,
                "predict_rolling_quantiles",
                lambda f, j=j: forecasts_at(
                    _require(f, "predict_rolling_quantiles"), X, y[:, j : j + 1], origins, horizon, list(quantiles)
                ),
            )
            for j in range(len(self.forecasters_))
        ]
        return np.concatenate([p for p, _ in pairs], axis=2), np.concatenate([v for _, v in pairs], axis=2)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    # -- columns -------------------------------------------------------------

    def _column_names(self, n_targets):
        """How errors name each column: its label when ``y`` had one, else its position."""
        if self.target_names_ is not None and len(self.target_names_) == n_targets:
            return [f"column {name!r}" for name in self.target_names_]
        return [f"column {j}" for j in range(n_targets)]

    def _per_column(self, j, method, call):
        """``call(forecasters_[j])``, any error raised again naming column ``j``."""
        return _naming_column(call, self.forecasters_[j], self._column_names(len(self.forecasters_))[j], method)


def _fit_column(forecaster, X, y, name):
    """A clone of ``forecaster`` fitted on one column (a joblib task)."""
    return _naming_column(lambda f: f.fit(X, y), clone(forecaster), name, "fit")


def _predict_column(forecaster, X, horizon, name):
    """One column's forecasts ``(horizon,)`` (a joblib task)."""
    return _naming_column(
        lambda f: np.asarray(f.predict(X), dtype=np.float64).reshape(horizon), forecaster, name, "predict"
    )


def _naming_column(call, forecaster, name, method):
    try:
        return call(forecaster)
    except Exception as exc:
        message = f"PerSeriesForecaster: {method} of {type(forecaster).__name__} failed on {name}: {exc}"
        try:
            named = type(exc)(message)
        except Exception:
            # An exception type whose constructor takes other arguments.
            raise RuntimeError(message) from exc
        raise named from exc


def _require(forecaster, method):
    if not hasattr(forecaster, method):
        raise AttributeError(
            f"{type(forecaster).__name__} has no {method}, which PerSeriesForecaster.{method} "
            "needs from each column's forecaster; use a skts forecaster."
        )
    return forecaster


def _column_quantiles(forecaster, X, quantiles):
    """One column's quantiles ``(horizon, n_q)``."""
    frame = _require(forecaster, "predict_quantiles").predict_quantiles(X, quantiles=list(quantiles))
    return np.asarray(frame, dtype=np.float64).reshape(len(X), len(quantiles))
