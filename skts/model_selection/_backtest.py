"""Rolling-origin evaluation: ``backtest`` and its per-step error table."""

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error, mean_squared_error, root_mean_squared_error
from sklearn.multioutput import MultiOutputRegressor
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_array

from skts._time_grid import rows, time_index
from skts._validation import check_coverage, check_positive_int, check_series_inputs
from skts._walker import fit_before, rolling_forecasts
from skts.forecasting._intervals import bound_levels
from skts.model_selection._interval_errors import (
    FRAME_METRICS,
    add_bound_columns,
    check_frame_metrics,
    frame_scores,
    record_history,
)
from skts.metrics import (
    mean_absolute_percentage_error,
    symmetric_mean_absolute_percentage_error,
)

_METRICS = {
    "mae": mean_absolute_error,
    "mape": mean_absolute_percentage_error,
    "smape": symmetric_mean_absolute_percentage_error,
    "mse": mean_squared_error,
    "rmse": root_mean_squared_error,
}


def backtest(
    estimator,
    X,
    y,
    *,
    start,
    horizon=1,
    stride=1,
    refit=False,
    metrics=None,
    coverage=None,
    season_length=None,
    n_jobs=None,
    verbose=0,
):
    """Evaluate a forecaster from rolling forecast origins.

    A clone of ``estimator`` is fitted on the rows before ``start``. From
    there the forecast origin walks forward by ``stride`` rows; from each origin
    the forecaster predicts the next ``horizon`` rows, then conditions on the
    observed rows up to the next origin. Only origins whose whole horizon lies
    within ``y`` are evaluated, so every origin contributes ``horizon``
    forecasts and the per-step errors are averaged over the same origins.

    Parameters
    ----------
    estimator : estimator object
        The forecaster to evaluate; it is cloned, never modified. Estimators
        with a ``predict_rolling(X, y, horizon=, stride=)`` method (every skts
        forecaster, see :meth:`~skts.forecasting.BaseForecaster.predict_rolling`)
        forecast all the origins between two refits in one call (one Kalman
        filter pass for SARIMA, one network call for the neural
        forecasters). A :class:`~sklearn.multioutput.MultiOutputRegressor`
        around a skts forecaster (one forecaster per column of ``y``, the
        way to forecast many series) is fitted as a whole, then each
        column's fitted forecaster gives the rolling forecasts (and
        intervals) of its column, so any ``refit`` works and the frame is
        that of a multi-target forecaster. Any other estimator with
        ``fit(X, y)``/``predict(X)`` (a ``Pipeline``, a
        ``TransformedTargetRegressor`` around a forecaster, a
        ``MultiOutputRegressor`` around a scikit-learn regressor) works with
        ``refit=True``; with ``refit=False`` or an int it also needs
        ``update(X, y)``. To difference or log-transform
        the target of a no-refit backtest, wrap the forecaster in
        :class:`skts.compose.TransformedTargetForecaster`, which has
        ``update`` and ``predict_rolling``.
    X : array-like of shape (n_steps, n_features) or None
        Covariates known in advance for every row of ``y`` (``n_features``
        may be 0). None means no covariates.
    y : array-like of shape (n_steps,) or (n_steps, n_targets)
        The whole series: the training history followed by the rows to
        forecast, in time order. Every row from ``start`` on must be observed
        (finite).
    start : int, str, pandas.Timestamp or pandas.Period
        The first row forecast, so the rows before it are the first training
        history. An int is a position (at least 1), or a label when ``y`` (or
        ``X``) has integer labels; a timestamp (or a string such as
        ``"2019-03-01"``) must be a row of the DatetimeIndex or PeriodIndex
        of ``y`` (or ``X``); a naive one on a time-zone-aware index is read
        in that zone.
    horizon : int, default=1
        Steps forecast from each origin, at least 1.
    stride : int, default=1
        Rows between consecutive origins, at least 1.
    refit : bool or int, default=False
        When to re-estimate the parameters. False: fit once, then only
        condition on the new observations (``update``). True: refit on the
        expanding history at every origin, as ``TimeSeriesSplit`` does. An
        int ``k``: refit every ``k`` origins (every ``k * stride`` rows) and
        update in between.
    metrics : list of str or callable, optional
        Error measures summarised over all forecasts into
        ``frame.attrs["scores"]``; see :func:`backtest_errors` for the names
        and the callable signature.
    coverage : float or list of float, optional
        Also forecast prediction intervals of these coverages (each in (0,
        1)) from every origin, through the estimator's
        ``predict_rolling_quantiles`` (or ``predict_quantiles`` origin by
        origin): skts forecasters with a forecast distribution of their own,
        or any forecaster wrapped in
        :class:`~skts.forecasting.ConformalForecaster`, also inside a
        ``MultiOutputRegressor``.
    season_length : int, optional
        Lag of the seasonal naive forecast that scales ``"mase"``, recorded
        in ``frame.attrs["season_length"]`` for :func:`backtest_errors`.
        None takes the estimator's own ``season_length`` parameter (or that
        of the forecaster it wraps); ``"mase"`` with neither is an error,
        never a silent lag of 1.
    n_jobs : int, default=None
        Number of joblib workers. The backtest is split into segments that
        start at a refit; segments are independent given their own fit, so
        they run in parallel. None means 1 unless in a
        ``joblib.parallel_backend`` context; -1 means all processors. A
        ``MultiOutputRegressor`` fits its columns on its own ``n_jobs``
        workers; their rolling forecasts (one filter pass per column for
        SARIMA, a small part of a fit) run in the segment's process.
    verbose : int, default=0
        Progress over the segments (fits), printed by joblib; higher is more
        frequent. Convergence warnings of the fits are summarised in one
        warning per call.

    Returns
    -------
    frame : pandas.DataFrame
        One row per forecast value with columns

        - ``origin``: the last observed row before the forecast (a timestamp
          for time-indexed data, else a position);
        - ``timestamp``: the forecast row, ``step`` rows after ``origin``;
        - ``step``: steps ahead, ``1..horizon``;
        - ``target``: the target column (only for multi-target ``y``);
        - ``actual`` and ``forecast``, in the units of ``y``;
        - with ``coverage``: ``lower`` and ``upper``, or for a list of
          coverages ``lower_80``, ``upper_80``, ``lower_95``, ... (the
          coverage in percent), listed in ``frame.attrs["coverage"]``.

        ``frame.attrs["y_train"]`` keeps the observed targets before the
        first origin (by target), the scale of ``"mase"`` in
        :func:`backtest_errors`.

        With ``metrics``, ``frame.attrs["scores"]`` maps each metric name to
        its value over all forecasts (a dict by target for multi-target
        ``y``).

    Raises
    ------
    ValueError
        If ``start`` leaves no history or no full horizon, if ``horizon``,
        ``stride`` or ``refit`` is not a positive integer (or bool for
        ``refit``), if ``y`` is missing values from ``start`` on, or if the
        estimator has no ``update`` and ``refit`` is not True.

    See Also
    --------
    backtest_errors : Error measures per step ahead (or any grouping).
    sklearn.model_selection.TimeSeriesSplit : The same expanding-window
        evaluation as ``refit=True`` with ``horizon=1``, through
        ``cross_val_score``.

    Notes
    -----
    ``refit=True`` is ``len(origins)`` fits; ``refit=False`` is one fit and
    is usually orders of magnitude faster. The frame is in origin, step,
    target order, so ``frame.groupby("step")`` gives per-horizon errors.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.forecasting import NaiveSeasonal
    >>> from skts.model_selection import backtest
    >>> y = np.array([1.0, 2.0, 3.0, 1.5, 2.5, 3.5, 2.0, 3.0])
    >>> frame = backtest(NaiveSeasonal(season_length=3), None, y, start=6, metrics=["mae"])
    >>> frame
       origin  timestamp  step  actual  forecast
    0       5          6     1     2.0       1.5
    1       6          7     1     3.0       2.5
    >>> frame.attrs["scores"]
    {'mae': 0.5}
    """
    horizon = check_positive_int(horizon, "horizon")
    stride = check_positive_int(stride, "stride")
    refit_every = _check_refit(refit)
    if metrics is not None:
        _resolve_metrics(metrics)
    season_length = _season_length(estimator, season_length, metrics)
    levels = None
    if coverage is not None:
        coverages, is_list = check_coverage(coverage, flat=True)
        levels = bound_levels(coverages)
    X, y = check_series_inputs(X, y, "backtest")
    n_steps = len(y)
    index = _data_index(X, y)
    first = _start_position(start, index, n_steps)
    origins = np.arange(first, n_steps - horizon + 1, stride)
    labels = index if index is not None else pd.RangeIndex(n_steps)
    if len(origins) == 0:
        raise ValueError(
            f"No forecast origin has its full horizon within y: forecasting "
            f"{horizon} step(s) from {labels[first]} needs {first + horizon} rows, "
            f"y has {n_steps}. Start earlier or shorten the horizon."
        )
    y_values = check_array(
        y, ensure_2d=False, ensure_all_finite="allow-nan", dtype=np.float64, input_name="y"
    )
    y_values = y_values.reshape(n_steps, -1)
    missing = ~np.isfinite(y_values[first:]).all(axis=1)
    if missing.any():
        raise ValueError(
            f"y has NaN or inf at {labels[first + int(np.argmax(missing))]}, inside the "
            "backtest period: every row from start on is an actual to compare with and "
            "an observation to condition on. Impute it or move start after it."
        )
    fast = hasattr(estimator, "predict_rolling") or _per_column_forecaster(estimator) is not None
    if not fast and refit_every != 1 and not hasattr(estimator, "update"):
        raise ValueError(
            f"{type(estimator).__name__} has no update(X, y) method, so it cannot condition "
            f"on new observations without refitting (refit={refit!r}). Use refit=True to "
            "refit at every origin, or a skts forecaster; for a transformed target, "
            "skts.compose.TransformedTargetForecaster(forecaster, transformer=...) instead of "
            "TransformedTargetRegressor"
            + (
                f"; for many series, MultiOutputRegressor around a skts forecaster (this one "
                f"wraps {type(estimator.estimator).__name__}, which has no predict_rolling)."
                if isinstance(estimator, MultiOutputRegressor)
                else "."
            )
        )
    if levels is not None:
        _check_interval_support(_per_column_forecaster(estimator) or estimator, fast)

    if refit_every == 0:
        segments = [origins]
    else:
        segments = [origins[i : i + refit_every] for i in range(0, len(origins), refit_every)]
    # A single segment gains nothing from workers and would pay their start-up.
    parallel = Parallel(n_jobs=n_jobs if len(segments) > 1 else 1, verbose=verbose)
    outcomes = parallel(
        delayed(_forecast_segment)(
            estimator, X, y, segment, horizon, stride, y_values.shape[1], fast, labels[segment[0]], levels
        )
        for segment in segments
    )
    results = [result for result, _ in outcomes]
    _replay_warnings([caught for _, caught in outcomes], len(segments))
    if levels is not None:
        results, quantiles = zip(*results)
    frame = _tidy_frame(np.concatenate(results), y_values, origins, labels, _target_labels(y))
    record_history(frame, y_values, int(origins[0]), _target_labels(y))
    if levels is not None:
        add_bound_columns(frame, np.concatenate(quantiles), levels, coverages, is_list)
    if season_length is not None:
        frame.attrs["season_length"] = season_length
    if metrics is not None:
        scores = backtest_errors(frame, metrics, by=None)
        frame.attrs["scores"] = scores.to_dict()
    return frame


def backtest_errors(frame, metrics=("mae",), by="step", *, season_length=None):
    """Error measures of a backtest, grouped by step ahead or another column.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`backtest` (columns ``actual`` and ``forecast``,
        and ``target`` for multi-target backtests).
    metrics : list of str or callable, default=("mae",)
        Names among ``"mae"``, ``"mape"``, ``"smape"`` (the
        :mod:`skts.metrics` functions; percentages as fractions), ``"mse"``
        and ``"rmse"`` (scikit-learn's), or callables ``metric(y_true,
        y_pred) -> float`` on 1-D arrays, named by their ``__name__``.
        ``"mase"`` is the MAE scaled by the in-sample seasonal naive MAE of
        the history ``backtest`` first fitted on (``frame.attrs["y_train"]``,
        lag ``season_length``). With interval columns (``backtest(...,
        coverage=...)``): ``"coverage"`` (share of actuals inside),
        ``"width"`` (mean ``upper - lower``), ``"interval_score"`` (mean
        Winkler score, Gneiting & Raftery 2007; see
        :func:`~skts.metrics.interval_score`), one column each per coverage
        (``coverage_80``, ``coverage_95``, ... for a list), and
        ``"pinball"``, the mean pinball loss of all the bounds read as
        quantiles ``(1 - c) / 2`` and ``(1 + c) / 2``.
    by : str, list of str or None, default="step"
        Columns to group by, for example ``"step"`` (per horizon),
        ``"origin"`` or ``["origin", "step"]``. None summarises all rows.
        Multi-target frames are always grouped by ``target`` first.
    season_length : int, optional
        Lag of the seasonal naive forecast that scales ``"mase"``; None
        reads the one ``backtest`` recorded (``frame.attrs["season_length"]``).

    Returns
    -------
    errors : pandas.DataFrame or pandas.Series
        One column per metric and one row per group, indexed by the group
        keys. With ``by=None`` and a single target, a Series indexed by
        metric name.

    See Also
    --------
    backtest : Produces the frame.

    Examples
    --------
    >>> import pandas as pd
    >>> from skts.model_selection import backtest_errors
    >>> frame = pd.DataFrame({"origin": [0, 0, 1, 1], "step": [1, 2, 1, 2],
    ...                       "actual": [1.0, 2.0, 2.0, 3.0],
    ...                       "forecast": [1.5, 1.0, 2.0, 4.0]})
    >>> backtest_errors(frame, metrics=["mae", "mse"])  # doctest: +NORMALIZE_WHITESPACE
           mae    mse
    step
    1     0.25  0.125
    2     1.00  1.000
    """
    funcs = _resolve_metrics(metrics)
    if season_length is None:
        season_length = frame.attrs.get("season_length")
    if season_length is None and "mase" in funcs:
        raise ValueError(
            "'mase' scales the errors by the seasonal naive error of the history, and neither "
            "season_length nor frame.attrs['season_length'] says the season: pass "
            "season_length (1 for no season, 12 for monthly data with a yearly season)."
        )
    if season_length is not None:
        season_length = check_positive_int(season_length, "season_length")
    missing = {"actual", "forecast"} - set(frame.columns)
    if missing:
        raise ValueError(
            f"frame has no column(s) {sorted(missing)}: pass the DataFrame returned by backtest."
        )
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    unknown = [key for key in keys if key not in frame.columns]
    if unknown:
        raise ValueError(f"Cannot group by {unknown}: frame has columns {list(frame.columns)}.")
    if "target" in frame.columns and "target" not in keys:
        keys = ["target", *keys]
    check_frame_metrics(frame, [name for name, func in funcs.items() if func is None])

    def _scores(rows):
        actual, forecast = rows["actual"].to_numpy(), rows["forecast"].to_numpy()
        scores = {}
        for name, func in funcs.items():
            if func is None:
                scores.update(frame_scores(rows, name, frame, season_length))
            else:
                scores[name] = float(func(actual, forecast))
        return scores

    if not keys:
        return pd.Series(_scores(frame), dtype=np.float64)
    groups = frame.groupby(keys if len(keys) > 1 else keys[0], sort=True)
    errors = pd.DataFrame.from_dict({key: _scores(rows) for key, rows in groups}, orient="index")
    errors.index.names = keys
    return errors


def _forecast_segment(*args):
    """:func:`_segment_forecasts` and the warnings it raised, to be replayed once per backtest."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _segment_forecasts(*args)
    return result, caught


def _replay_warnings(caught, n_fits):
    """Warn again in the caller's filters; convergence warnings once, counted."""
    convergence = []
    for records in caught:
        for record in records:
            if record.category.__name__ == "ConvergenceWarning":
                convergence.append(record)
            else:
                warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)
    if convergence:
        first = convergence[0]
        warnings.warn(
            f"{len(convergence)} convergence warning(s) in this backtest of {n_fits} fit(s); the "
            f"first: {first.message}",
            first.category,
            stacklevel=3,
        )


def _segment_forecasts(estimator, X, y, origins, horizon, stride, n_targets, fast, first_label, levels=None):
    """Fit a clone before ``origins[0]`` and forecast from each of ``origins``.

    Returns an array of shape ``(len(origins), horizon, n_targets)``; with
    quantile ``levels``, also their forecasts ``(len(origins), horizon,
    n_targets, n_levels)``.
    """
    first = int(origins[0])
    forecaster = fit_before(estimator, X, y, first, caller="backtest", where=f"before {first_label}")
    stop = int(origins[-1]) + horizon
    new_X, new_y = rows(X, first, stop), rows(y, first, stop)
    shape = (len(origins), horizon, n_targets)
    if fast and _per_column_forecaster(estimator) is not None:
        columns = _per_column_targets(forecaster, new_y)
        out = [
            _shaped(rolling_forecasts(column, new_X, columns[:, j], horizon, stride, quantiles=levels), shape[:2], levels)
            for j, column in enumerate(forecaster.estimators_)
        ]
        if levels is None:
            return np.stack(out, axis=-1)
        return np.stack([p for p, _ in out], axis=-1), np.stack([v for _, v in out], axis=2)
    # Between two refits the clone is conditioned in place: nobody else holds it.
    out = rolling_forecasts(forecaster, new_X, new_y, horizon, stride, quantiles=levels, in_place=True)
    return _shaped(out, shape, levels)


def _per_column_targets(forecaster, new_y):
    """The float columns of a fitted ``MultiOutputRegressor``'s new rows, one per forecaster.

    ``estimators_[j]`` was fitted on column ``j`` of ``y`` without its
    index (MultiOutputRegressor validates y to an array); the time labels,
    if any, come from X, as in the fit.
    """
    new_y = check_array(new_y, ensure_2d=False, dtype=np.float64, input_name="y")
    new_y = new_y.reshape(len(new_y), -1)
    if len(forecaster.estimators_) != new_y.shape[1]:
        raise ValueError(
            f"MultiOutputRegressor fitted {len(forecaster.estimators_)} forecaster(s) for "
            f"the {new_y.shape[1]} column(s) of y: expected one per column."
        )
    return new_y


def _shaped(out, shape, levels):
    """Rolling forecasts reshaped to ``shape`` (and their quantiles to ``(*shape, n_levels)``)."""
    if levels is None:
        return np.reshape(out, shape)
    points, values = out
    return np.reshape(points, shape), np.reshape(values, (*shape, len(levels)))


def _season_length(estimator, season_length, metrics):
    """The season of ``"mase"``: given, else the estimator's own; None when unknown and unneeded."""
    if season_length is not None:
        return check_positive_int(season_length, "season_length")
    params = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    seasons = {
        int(value)
        for key, value in params.items()
        if key.split("__")[-1] == "season_length" and isinstance(value, Integral) and not isinstance(value, bool)
    }
    if len(seasons) == 1:
        return seasons.pop()
    if metrics is not None and "mase" in ([metrics] if isinstance(metrics, str) else list(metrics)):
        found = f"its parameters name {sorted(seasons)}" if seasons else "it has no season_length parameter"
        raise ValueError(
            f"metrics=['mase'] scales the errors by the seasonal naive error of the history, and "
            f"{type(estimator).__name__} does not say its season ({found}): pass "
            "season_length (1 for no season, 12 for monthly data with a yearly season)."
        )
    return None


def _per_column_forecaster(estimator):
    """The forecaster a ``MultiOutputRegressor`` fits per column, or None.

    Only a forecaster with ``predict_rolling`` (every skts forecaster) can
    forecast its column from rolling origins without refitting.
    """
    if isinstance(estimator, MultiOutputRegressor) and hasattr(estimator.estimator, "predict_rolling"):
        return estimator.estimator
    return None


def _check_interval_support(estimator, fast):
    """Before any fit: the estimator must forecast quantiles for ``coverage``."""
    method = "predict_rolling_quantiles" if fast else "predict_quantiles"
    native = getattr(estimator, "_check_native_intervals", None)
    try:
        if not hasattr(estimator, method):
            raise NotImplementedError(
                f"{type(estimator).__name__} has no {method} method. Wrap it in "
                "skts.forecasting.ConformalForecaster for intervals from its out-of-sample errors."
            )
        if native is not None:
            native()
    except NotImplementedError as exc:
        raise ValueError(f"backtest(coverage=...) needs interval forecasts: {exc}") from exc


def _tidy_frame(forecasts, y_values, origins, labels, target_names):
    """The long frame: one row per (origin, step, target)."""
    shape = forecasts.shape
    _, horizon, n_targets = shape
    rows = origins[:, None] + np.arange(horizon)
    columns = {
        "origin": labels.take(np.broadcast_to((origins - 1)[:, None, None], shape).ravel()),
        "timestamp": labels.take(np.broadcast_to(rows[:, :, None], shape).ravel()),
        "step": np.broadcast_to(np.arange(1, horizon + 1)[None, :, None], shape).ravel(),
    }
    if n_targets > 1:
        columns["target"] = np.asarray(target_names, dtype=object)[
            np.broadcast_to(np.arange(n_targets)[None, None, :], shape).ravel()
        ]
    columns["actual"] = y_values[rows].ravel()
    columns["forecast"] = forecasts.ravel()
    return pd.DataFrame(columns)


# -- validation --------------------------------------------------------------


def _check_refit(refit):
    """0 for never, k for every k origins."""
    if isinstance(refit, (bool, np.bool_)):
        return int(bool(refit))
    if isinstance(refit, Integral) and refit >= 1:
        return int(refit)
    raise ValueError(
        f"refit must be True (refit at every origin), False (fit once, then update) "
        f"or a positive int k (refit every k origins), got {refit!r}."
    )


def _resolve_metrics(metrics):
    if isinstance(metrics, str) or callable(metrics):
        metrics = [metrics]
    funcs = {}
    for metric in metrics:
        if isinstance(metric, str):
            if metric not in _METRICS and metric not in FRAME_METRICS:
                raise ValueError(
                    f"Unknown metric {metric!r}: use one of {sorted([*_METRICS, *FRAME_METRICS])} "
                    "or a callable metric(y_true, y_pred) -> float."
                )
            # None: computed from the frame (other columns or attrs), see _interval_errors.
            name, func = metric, _METRICS.get(metric)
        elif callable(metric):
            name, func = getattr(metric, "__name__", repr(metric)), metric
        else:
            raise ValueError(f"A metric must be a name or a callable, got {metric!r}.")
        if name in funcs:
            raise ValueError(f"Metric {name!r} is given twice; metric names must be unique.")
        funcs[name] = func
    if not funcs:
        raise ValueError("metrics is empty: give at least one metric, or None for no scores.")
    return funcs


def _data_index(X, y):
    """The time index labelling the rows (of y, else X), or None for positions."""
    y_index, x_index = time_index(y, "y"), time_index(X, "X")
    if x_index is not None and y_index is not None and not x_index.equals(y_index):
        raise ValueError("X and y have different time indexes: they must describe the same rows.")
    return y_index if y_index is not None else x_index


def _start_position(start, index, n_steps):
    """Row position of ``start``: at least 1 (some history) and inside y."""
    is_int = isinstance(start, Integral) and not isinstance(start, (bool, np.bool_))
    if is_int and index is not None and not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        # Integer labels are time steps: an int start is one of them.
        if start not in index:
            raise ValueError(
                f"start={start} is not a label of y, whose integer labels run from "
                f"{index[0]} to {index[-1]}: give the label of the first row to forecast."
            )
        start = int(index.get_loc(start))
    if is_int:
        position = int(start)
        if position < 1:
            raise ValueError(
                f"start={start} leaves no history to fit: give the position of the first "
                "row to forecast, at least 1."
            )
        if position >= n_steps:
            raise ValueError(
                f"start={start} is after the end of y ({n_steps} rows, positions 0 to "
                f"{n_steps - 1})."
            )
        return position
    if index is None:
        raise ValueError(
            f"start={start!r} is not an int position, and y has no DatetimeIndex or "
            "PeriodIndex to look a timestamp up in. Give the position of the first row "
            "to forecast."
        )
    try:
        if isinstance(index, pd.PeriodIndex):
            key = pd.Period(start, freq=index.freq)
        else:
            key = pd.Timestamp(start)
            if index.tz is not None and key.tz is None:
                key = key.tz_localize(index.tz)
            elif index.tz is None and key.tz is not None:
                raise ValueError(
                    f"start={start!r} has a time zone but the index of y has none: give "
                    "a naive timestamp, or localize the index of y."
                )
            elif key.tz is not None:
                key = key.tz_convert(index.tz)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"start={start!r} is not a timestamp: {exc}") from exc
    if key > index[-1]:
        raise ValueError(f"start={start!r} is after the end of y ({index[-1]}).")
    if key <= index[0]:
        raise ValueError(
            f"start={start!r} leaves no history to fit: y starts at {index[0]}. Give the "
            "timestamp of the first row to forecast, after some history."
        )
    position = int(index.get_indexer([key])[0])
    if position < 0:
        raise ValueError(f"start={start!r} is not a row of y: use a timestamp of its index.")
    return position


def _target_labels(y):
    if isinstance(y, pd.DataFrame):
        return list(y.columns)
    n_targets = 1 if np.ndim(y) == 1 else np.shape(y)[1]
    return list(range(n_targets))
