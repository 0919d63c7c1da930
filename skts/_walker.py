"""Rolling forecast origins: where they sit, and the one loop that walks them.

An origin is a position among new rows that follow a history: origin ``j``
has seen the history plus the first ``j`` new rows and forecasts new rows
``j .. j + horizon - 1``. Origins sit ``stride`` rows apart from 0 while
their whole horizon lies within the new rows.

:func:`walk` is the loop every rolling path shares (a forecaster's default
``predict_rolling``, its rolling quantiles, conformal calibration and
``backtest``); :func:`rolling_forecasts` runs it for any forecaster object,
through one ``predict_rolling`` call when the forecaster has one.
"""

import copy

import numpy as np
from sklearn.base import clone

from skts._time_grid import rows


def rolling_origins(n_new, horizon, stride):
    """Origins ``0, stride, 2 * stride, ...`` whose ``horizon`` rows lie within ``n_new`` rows."""
    return np.arange(0, n_new - horizon + 1, stride)


def walk(origins, condition, forecast, *, seen=0):
    """Visit increasing ``origins``: condition on the rows up to each, then forecast from it.

    Parameters
    ----------
    origins : iterable of int
        Increasing positions, at least ``seen``.
    condition : callable
        ``condition(seen, origin)`` conditions the forecaster on rows
        ``seen:origin``; called only when there are such rows.
    forecast : callable
        ``forecast(origin)`` returns the forecasts from ``origin``.
    seen : int, default=0
        Rows the forecaster has already seen.

    Returns
    -------
    forecasts : list
        What ``forecast`` returned, one item per origin.
    seen : int
        Rows seen after the walk (the last origin).
    """
    out = []
    for origin in origins:
        origin = int(origin)
        if origin > seen:
            condition(seen, origin)
            seen = origin
        out.append(forecast(origin))
    return out, seen


def fit_before(estimator, X, y, first, *, caller, where, advice=""):
    """A clone of ``estimator`` fitted on the rows before position ``first``.

    A ValueError of the fit is raised again, naming the ``caller``, the rows
    (``where``, for example ``"before 2024-01-08"``) and ``advice``.
    """
    forecaster = clone(estimator)
    try:
        forecaster.fit(rows(X, 0, first), rows(y, 0, first))
    except ValueError as exc:
        raise ValueError(
            f"{caller} could not fit {type(estimator).__name__} on the {first} row(s) {where}: {exc}{advice}"
        ) from exc
    return forecaster


def rolling_forecasts(forecaster, X, y, horizon, stride=1, *, quantiles=None, in_place=False, condition_all=False):
    """Forecasts of any forecaster object from rolling origins over new rows.

    ``predict_rolling`` (``predict_rolling_quantiles`` with ``quantiles``)
    in one call when the forecaster has it; else ``update`` and ``predict``
    (``predict_quantiles``) origin by origin, on a deep copy unless
    ``in_place``.

    Parameters
    ----------
    forecaster : object
        A fitted forecaster whose history ``X``, ``y`` follow.
    X : array-like of shape (n_new, n_features)
    y : array-like of shape (n_new,) or (n_new, n_targets)
    horizon : int
        Steps forecast from each origin.
    stride : int, default=1
        New rows between consecutive origins.
    quantiles : ndarray of shape (n_q,), optional
        Also forecast these quantile levels.
    in_place : bool, default=False
        Walk the forecaster itself (it ends conditioned on the new rows up
        to the last origin) instead of a copy, when it has no
        ``predict_rolling``.
    condition_all : bool, default=False
        Leave the forecaster conditioned on every new row (implies
        ``in_place``).

    Returns
    -------
    forecasts : ndarray of shape (n_origins, horizon) or (n_origins, horizon, n_targets)
    values : ndarray of shape (n_origins, horizon[, n_targets], n_q)
        Only with ``quantiles``: the forecasts are then ``(forecasts, values)``.
    """
    n_new = len(y)
    if n_new < horizon:
        raise ValueError(f"{n_new} new row(s) are fewer than horizon={horizon}.")
    method = "predict_rolling" if quantiles is None else "predict_rolling_quantiles"
    if hasattr(forecaster, method):
        if quantiles is None:
            out = np.asarray(forecaster.predict_rolling(X, y, horizon=horizon, stride=stride), dtype=np.float64)
        else:
            values, points = forecaster.predict_rolling_quantiles(
                X, y, horizon=horizon, stride=stride, quantiles=quantiles, return_forecasts=True
            )
            out = (np.asarray(points, dtype=np.float64), np.asarray(values, dtype=np.float64))
        if condition_all:
            forecaster.update(X, y)
        return out
    model = forecaster if in_place or condition_all else copy.deepcopy(forecaster)

    def condition(seen, origin):
        model.update(rows(X, seen, origin), rows(y, seen, origin))

    def forecast(origin):
        future = rows(X, origin, origin + horizon)
        points = predict_rows(model, future, horizon)
        if quantiles is None:
            return points
        frame = model.predict_quantiles(future, quantiles=quantiles)
        return points, np.asarray(frame, dtype=np.float64).reshape(*points.shape, len(quantiles))

    out, seen = walk(rolling_origins(n_new, horizon, stride), condition, forecast)
    if condition_all and seen < n_new:
        condition(seen, n_new)
    if quantiles is None:
        return np.stack(out)
    return np.stack([p for p, _ in out]), np.stack([v for _, v in out])


def forecasts_at(forecaster, X, y, origins, horizon, quantiles=None):
    """:func:`rolling_forecasts` at any increasing ``origins`` (a ``_rolling_forecasts`` hook's).

    Regular origins from 0 are one stride; others are forecast from every
    origin up to the last and selected. Returns float arrays of shape
    ``(len(origins), horizon, n_targets)`` (and the quantiles, ``(...,
    n_q)``), ``y`` being ``(n_new, n_targets)``.
    """
    origins = np.asarray(origins, dtype=np.intp)
    n_targets = y.shape[1]
    if len(origins) == 0:
        empty = np.empty((0, horizon, n_targets))
        return empty if quantiles is None else (empty, np.empty((0, horizon, n_targets, len(quantiles))))
    gaps = np.diff(origins)
    regular = origins[0] == 0 and (len(gaps) == 0 or (gaps == gaps[0]).all())
    stride = int(gaps[0]) if regular and len(gaps) else 1
    keep = slice(None) if regular else origins
    stop = int(origins[-1]) + horizon
    inner_y = y[:stop, 0] if n_targets == 1 else y[:stop]
    out = rolling_forecasts(forecaster, X[:stop], inner_y, horizon, stride, quantiles=quantiles)
    if quantiles is None:
        return out.reshape(-1, horizon, n_targets)[keep]
    points, values = out
    return points.reshape(-1, horizon, n_targets)[keep], values.reshape(-1, horizon, n_targets, len(quantiles))[keep]


def predict_rows(model, X, horizon):
    """``model.predict(X)`` as floats, checked to have ``horizon`` rows."""
    y_pred = np.asarray(model.predict(X), dtype=np.float64)
    if y_pred.ndim not in (1, 2) or len(y_pred) != horizon:
        raise ValueError(
            f"{type(model).__name__}.predict returned shape {y_pred.shape} for {horizon} "
            f"row(s) of X; expected ({horizon},) or ({horizon}, n_targets)."
        )
    return y_pred
