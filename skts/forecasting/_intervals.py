"""Prediction intervals and quantiles: the public methods every forecaster shares.

:class:`IntervalMixin` gives a forecaster ``predict_interval``,
``predict_quantiles``, ``predict_rolling_quantiles`` and the bounds of
``forecast(..., coverage=...)``. It owns input checks and the output layout;
the numbers come from one hook on validated arrays,

- ``_predict_quantiles(horizon, X, quantiles)``: point forecasts of shape
  ``(horizon, n_targets)`` and quantiles of shape ``(horizon, n_targets,
  n_quantiles)`` for steps ``1..horizon`` after the stored history.

Forecasters with a forecast distribution of their own (SARIMA, seasonal
naive) implement it; the others get intervals from
:class:`~skts.forecasting.ConformalForecaster`, which overrides
``_quantile_array`` instead.

Layout (the same for every forecaster): rows are the rows of ``X``, indexed
by ``X``'s pandas index, else by the steps ahead ``1..len(X)``.
``predict_interval`` has columns ``lower``/``upper``; a list of coverages
makes them a MultiIndex ``(coverage, bound)``. ``predict_quantiles`` has one
column per quantile. For multi-target ``y`` the columns gain a leading
``target`` level.
"""

import math

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from skts._validation import bound_column_names, bound_quantiles, check_coverage, check_positive_int, check_quantiles
from skts._walker import rolling_origins


class IntervalMixin:
    """Interval and quantile forecasts for skts forecasters (mixin, not for direct use)."""

    def predict_interval(self, X, coverage=0.9):
        """Prediction intervals for the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)
            The rows to forecast, as for ``predict``.
        coverage : float or list of float, default=0.9
            Nominal probability that the actual lies inside the interval,
            each in (0, 1). The interval of coverage ``c`` spans the
            ``(1 - c) / 2`` and ``(1 + c) / 2`` quantiles.

        Returns
        -------
        intervals : pandas.DataFrame of shape (n_rows, 2 * n_coverages * n_targets)
            Indexed by ``X``'s pandas index, else by the steps ahead
            ``1..n_rows`` (named ``"step"``). Columns ``lower`` and
            ``upper``; for a list of coverages a MultiIndex ``(coverage,
            bound)``; for multi-target ``y`` a leading ``target`` level.
        """
        coverages, is_list = check_coverage(coverage)
        levels = bound_levels(coverages)
        values, index = self._quantile_array(X, levels)
        return interval_frame(values, levels, coverages, is_list, index, *self._target_layout())

    def predict_quantiles(self, X, quantiles=(0.05, 0.5, 0.95)):
        """Quantiles of the forecast distribution for the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)
            The rows to forecast, as for ``predict``.
        quantiles : float or sequence of float, default=(0.05, 0.5, 0.95)
            Probability levels in (0, 1), strictly increasing.

        Returns
        -------
        quantiles : pandas.DataFrame of shape (n_rows, n_quantiles * n_targets)
            Indexed as for :meth:`predict_interval`; one column per quantile
            level (named by the level), with a leading ``target`` level for
            multi-target ``y``. Each row is non-decreasing across levels.
        """
        levels = check_quantiles(quantiles)
        values, index = self._quantile_array(X, levels)
        return quantile_frame(values, levels, index, *self._target_layout())

    def predict_rolling_quantiles(
        self, X, y, *, horizon=1, stride=1, quantiles=(0.05, 0.5, 0.95), return_forecasts=False
    ):
        """Quantile forecasts from many consecutive origins, as ``predict_rolling``.

        Origin ``i`` sits at new-row position ``i * stride`` (origins while
        ``origin + horizon <= len(y)``); it has seen the history plus
        ``y[:origin]`` and forecasts rows ``origin .. origin + horizon - 1``.
        The forecaster is not changed.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features)
            Covariates of the observed rows that follow the history.
        y : array-like of shape (n_new,) or (n_new, n_targets)
            The observed rows that follow the history.
        horizon : int, default=1
            Steps forecast from each origin.
        stride : int, default=1
            Rows between consecutive origins.
        quantiles : float or sequence of float, default=(0.05, 0.5, 0.95)
            Probability levels in (0, 1), strictly increasing.
        return_forecasts : bool, default=False
            Also return the point forecasts (those of ``predict_rolling``),
            computed in the same pass.

        Returns
        -------
        quantiles : ndarray of shape (n_origins, horizon, n_quantiles) or (n_origins, horizon, n_targets, n_quantiles)
            The second form for multi-target ``y``.
        forecasts : ndarray of shape (n_origins, horizon) or (n_origins, horizon, n_targets)
            Only with ``return_forecasts=True``.
        """
        levels = check_quantiles(quantiles)
        horizon = check_positive_int(horizon, "horizon")
        stride = check_positive_int(stride, "stride")
        check_is_fitted(self, "y_")
        self._check_native_intervals()
        X_arr, y_arr, _ = self._validate_new_rows(X, y, "predict_rolling_quantiles")
        origins = rolling_origins(len(y_arr), horizon, stride)
        if len(origins) == 0:
            raise ValueError(f"y has {len(y_arr)} row(s): fewer than one horizon of {horizon} step(s).")
        points, values = self._rolling_quantiles(y_arr, X_arr, origins, horizon, levels)
        if self._y_1d:
            points, values = points[..., 0], values[..., 0, :]
        return (values, points) if return_forecasts else values

    # -- hooks ---------------------------------------------------------------

    def _predict_quantiles(self, horizon, X, quantiles):
        """Point forecasts ``(horizon, n_targets)`` and quantiles ``(horizon, n_targets, n_q)``."""
        raise self._no_native_intervals()

    def _rolling_quantiles(self, y, X, origins, horizon, quantiles):
        """Points ``(n_origins, horizon, n_targets)`` and quantiles ``(..., n_q)`` per origin.

        Walks the origins on a shallow copy; forecasters with a faster
        filter (SARIMA one step ahead) override it. Must not modify self.
        """
        pairs = self._walk_on_copy(
            y, X, origins, lambda shadow, origin: shadow._predict_quantiles(horizon, X[origin : origin + horizon], quantiles)
        )
        return np.stack([p for p, _ in pairs]), np.stack([v for _, v in pairs])

    def _quantile_array(self, X, quantiles):
        """Quantiles ``(n_rows, n_targets, n_q)`` for the rows of ``X`` and their row index."""
        check_is_fitted(self, "y_")
        self._check_native_intervals()
        X_all, steps = self._future_rows(X)
        if len(steps) == 0:
            return np.empty((0, self.y_.shape[1], len(quantiles))), _row_index(X, 0)
        _, values = self._predict_quantiles(len(X_all), X_all, quantiles)
        return values[steps - 1], _row_index(X, len(steps))

    def _check_native_intervals(self):
        if type(self)._predict_quantiles is IntervalMixin._predict_quantiles:
            raise self._no_native_intervals()

    def _no_native_intervals(self):
        name = type(self).__name__
        return NotImplementedError(
            f"{name} has no forecast distribution of its own. Wrap it to get conformal "
            f"intervals from its out-of-sample errors: ConformalForecaster({name}(...), "
            "calibration_horizon=...) (skts.forecasting.ConformalForecaster)."
        )

    def _target_layout(self):
        """(multi-target?, target labels) for the output columns."""
        multi = not self._y_1d
        n_targets = self.y_.shape[1]
        names = self.target_names_ if self.target_names_ is not None else list(range(n_targets))
        return multi, list(names)

    def _forecast_with_bounds(self, X, y_pred, index, coverage):
        """The frame of ``forecast(..., coverage=...)``: point forecast beside its bounds."""
        coverages, is_list = check_coverage(coverage, flat=True)
        levels = bound_levels(coverages)
        values, _ = self._quantile_array(X, levels)
        multi, targets = self._target_layout()
        return forecast_frame(y_pred.reshape(len(index), -1), values, levels, coverages, is_list, index, multi, targets)


# -- levels --------------------------------------------------------------------


def bound_levels(coverages):
    """The sorted, distinct quantile levels of the bounds of ``coverages``."""
    return np.array(sorted({q for c in coverages for q in bound_quantiles(c)}))


def conformal_offsets(residuals, quantiles, method):
    """Offsets from the point forecast to its conformal quantiles.

    Parameters
    ----------
    residuals : ndarray of shape (n, ...)
        Out-of-sample errors ``actual - forecast``, one row per calibration
        origin.
    quantiles : ndarray of shape (n_q,)
        Levels in (0, 1).
    method : {"absolute", "signed"}
        ``"absolute"``: a symmetric interval of coverage ``c`` from the
        ``ceil((n + 1) c)``-th smallest absolute residual (level ``q > 0.5``
        is the upper bound of coverage ``2q - 1``). ``"signed"``: level
        ``q >= 0.5`` is the ``ceil((n + 1) q)``-th smallest residual, level
        ``q < 0.5`` the ``floor((n + 1) q)``-th.

    Returns
    -------
    offsets : ndarray of shape (..., n_q)

    Raises
    ------
    ValueError
        When ``n`` is too small for a level (the order statistic would be
        beyond the sample), naming the number needed.
    """
    n = residuals.shape[0]
    ranks = []
    for q in quantiles:
        if method == "absolute":
            c = abs(2 * q - 1)
            k = 0 if c == 0 else math.ceil(round((n + 1) * c, 9))
        elif q >= 0.5:
            k = math.ceil(round((n + 1) * q, 9))
        else:
            k = math.floor(round((n + 1) * q, 9))
        if k > n or (method == "signed" and k < 1):
            raise ValueError(
                f"Quantile {q:g} (coverage {abs(2 * q - 1):g}) needs at least "
                f"{_needed(q, method)} out-of-sample residuals per step ahead; the calibration "
                f"has {n}. Raise calibration_size by {_needed(q, method) - n} row(s) or more, "
                "or ask for a lower coverage."
            )
        ranks.append(k)
    if method == "absolute":
        scores = np.sort(np.abs(residuals), axis=0)
        out = np.zeros((*residuals.shape[1:], len(quantiles)))
        for j, (q, k) in enumerate(zip(quantiles, ranks, strict=True)):
            if k:
                out[..., j] = np.sign(q - 0.5) * scores[k - 1]
        return out
    ordered = np.sort(residuals, axis=0)
    return np.stack([ordered[k - 1] for k in ranks], axis=-1)


def _needed(q, method):
    """Smallest n for which the conformal rank of level ``q`` lies in 1..n."""
    n = 1
    while True:
        if method == "absolute":
            k = math.ceil(round((n + 1) * abs(2 * q - 1), 9))
            ok = k <= n
        elif q >= 0.5:
            ok = math.ceil(round((n + 1) * q, 9)) <= n
        else:
            ok = math.floor(round((n + 1) * q, 9)) >= 1
        if ok:
            return n
        n += 1


# -- layout --------------------------------------------------------------------


def _row_index(X, n_rows):
    index = getattr(X, "index", None)
    if isinstance(X, pd.Series | pd.DataFrame):
        return index
    return pd.RangeIndex(1, n_rows + 1, name="step")


def interval_frame(values, levels, coverages, is_list, index, multi, targets):
    """``predict_interval``'s DataFrame from quantiles ``(n_rows, n_targets, n_levels)``."""
    position = {q: j for j, q in enumerate(levels)}
    columns, data = [], []
    for t, target in enumerate(targets):
        for c in coverages:
            for bound, q in zip(("lower", "upper"), bound_quantiles(c), strict=True):
                key = (c, bound) if is_list else (bound,)
                columns.append((target, *key) if multi else key)
                data.append(values[:, t, position[q]])
    names = (["target"] if multi else []) + (["coverage", "bound"] if is_list else ["bound"])
    return _frame(data, columns, names, index)


def quantile_frame(values, levels, index, multi, targets):
    """``predict_quantiles``' DataFrame from quantiles ``(n_rows, n_targets, n_levels)``."""
    columns, data = [], []
    for t, target in enumerate(targets):
        for j, q in enumerate(levels):
            columns.append((target, float(q)) if multi else (float(q),))
            data.append(values[:, t, j])
    return _frame(data, columns, (["target"] if multi else []) + ["quantile"], index)


def forecast_frame(points, values, levels, coverages, is_list, index, multi, targets):
    """``forecast(..., coverage=...)``: columns ``forecast``, then the bounds per coverage."""
    position = {q: j for j, q in enumerate(levels)}
    names = bound_column_names(coverages, is_list)
    columns, data = [], []
    for t, target in enumerate(targets):
        parts = [("forecast", points[:, t])]
        for c, (low, up) in zip(coverages, names, strict=True):
            lo_q, up_q = bound_quantiles(c)
            parts += [(low, values[:, t, position[lo_q]]), (up, values[:, t, position[up_q]])]
        for name, column in parts:
            columns.append((target, name) if multi else (name,))
            data.append(column)
    return _frame(data, columns, ["target", None] if multi else [None], index)


def _frame(data, columns, names, index):
    if len(names) == 1:
        cols = pd.Index([c[0] for c in columns], name=names[0])
    else:
        cols = pd.MultiIndex.from_tuples(columns, names=names)
    array = np.column_stack(data) if data else np.empty((len(index), 0))
    return pd.DataFrame(array, index=index, columns=cols)
