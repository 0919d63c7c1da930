"""Forecast, backtest and ACF/PACF figures on matplotlib Axes.

matplotlib (and statsmodels for the correlograms) is imported when a plot is
drawn, never at ``import skts``. Every function draws on the Axes it is given
or on a new figure, returns the Axes and only calls ``plt.show()`` when asked.
"""

from numbers import Integral

import numpy as np
import pandas as pd

from skts._optional import import_optional
from skts.model_selection import backtest_errors


def plot_forecast(y, forecast, *, last=None, ax=None, title=None, show=False):
    """Plot a series with its forecast.

    Parameters
    ----------
    y : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or (n_steps, n_targets)
        Observed values: the history, and optionally the actuals of the
        forecast period too, to compare with.
    forecast : pandas.Series, pandas.DataFrame or array-like of shape (horizon,) or (horizon, n_targets)
        Forecasts, for example from ``forecaster.forecast(horizon)``. A pandas
        forecast is placed by its index; an array follows the end of ``y``
        (on the frequency of its time index, or at positions ``n_steps,
        n_steps + 1, ...``). The frame of ``forecaster.forecast(horizon,
        coverage=[0.8, 0.95])`` (columns ``forecast``, ``lower_80``,
        ``upper_80``, ...) draws a shaded band per coverage.
    last : int, optional
        Plot only the last ``last`` rows of ``y``; None plots all of them.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure.
    title : str, optional
        Axes title.
    show : bool, default=False
        Call ``matplotlib.pyplot.show()`` after drawing.

    Returns
    -------
    ax : matplotlib.axes.Axes
        Solid lines for ``y``, dashed lines of the same colour for the
        forecast, one pair per target, shaded prediction intervals (lighter
        for wider coverages) when the forecast has bounds, and a legend.

    See Also
    --------
    plot_backtest : Forecasts from many origins against the actuals.
    """
    plt = _pyplot()
    observed = _as_frame(y, "y")
    forecast, bands = _split_bounds(forecast)
    predicted = _as_frame(forecast, "forecast")
    if predicted.shape[1] != observed.shape[1]:
        raise ValueError(
            f"y has {observed.shape[1]} target column(s) but forecast has "
            f"{predicted.shape[1]}: pass one forecast column per target."
        )
    if not isinstance(forecast, pd.Series | pd.DataFrame):
        predicted.index = _index_after(observed.index, len(predicted))
        predicted.columns = observed.columns
    if last is not None:
        if isinstance(last, bool) or not isinstance(last, Integral) or last < 1:
            raise ValueError(f"last must be a positive integer or None, got {last!r}.")
        observed = observed.iloc[-last:]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5), layout="tight")
    for t, ((name, history), (_, future)) in enumerate(zip(observed.items(), predicted.items(), strict=True)):
        (line,) = ax.plot(_x(history.index), history.to_numpy(), label=str(name))
        ax.plot(_x(future.index), future.to_numpy(), linestyle="--", color=line.get_color(), label=f"{name} forecast")
        _draw_bands(ax, _x(future.index), [(label, low[:, t], up[:, t]) for label, low, up in bands], line.get_color())
    if observed.index.name is not None:
        ax.set_xlabel(str(observed.index.name))
    if title is not None:
        ax.set_title(title)
    ax.legend()
    if show:
        plt.show()
    return ax


def plot_backtest(frame, *, steps=None, target=None, metric="mae", axes=None, show=False):
    """Plot a backtest: actual against forecast, and the error per step ahead.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`~skts.model_selection.backtest`.
    steps : list of int, optional
        Steps ahead whose forecasts are drawn on the top Axes (each is a
        series over the forecast timestamps). By default step 1 and the
        longest step.
    target : str or int, optional
        The target to plot; required when the backtest has several.
    metric : str or callable, default="mae"
        Error measure of the bottom Axes, as in
        :func:`~skts.model_selection.backtest_errors`.
    axes : sequence of two matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure with two rows.
    show : bool, default=False
        Call ``matplotlib.pyplot.show()`` after drawing.

    Returns
    -------
    axes : ndarray of matplotlib.axes.Axes, shape (2,)
        Top: the actuals and one forecast line per step in ``steps``, against
        ``timestamp``, shaded by its prediction intervals when the backtest
        has bounds (``backtest(..., coverage=...)``). Bottom: one bar per step ahead, the error of the
        forecasts made that many steps ahead.

    See Also
    --------
    skts.model_selection.backtest_errors : The numbers of the bottom Axes.
    """
    plt = _pyplot()
    missing = {"timestamp", "step", "actual", "forecast"} - set(frame.columns)
    if missing:
        raise ValueError(f"frame has no column(s) {sorted(missing)}: pass the DataFrame returned by backtest.")
    if "target" in frame.columns:
        targets = list(pd.unique(frame["target"]))
        if target not in targets:
            raise ValueError(f"The backtest has targets {targets}: choose one with target=..., got {target!r}.")
        frame = frame[frame["target"] == target].drop(columns="target")
    elif target is not None:
        raise ValueError("The backtest has a single target: leave target=None.")
    available = sorted(pd.unique(frame["step"]))
    if steps is None:
        steps = sorted({available[0], available[-1]})
    unknown = [h for h in steps if h not in available]
    if unknown:
        raise ValueError(f"steps {unknown} are not in the backtest, which has steps {available}.")
    errors = backtest_errors(frame, metrics=[metric], by="step")
    name = errors.columns[0]

    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(8, 6), layout="tight")
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.shape != (2,):
        raise ValueError(f"axes must be two Axes (top, bottom), got {axes.size}.")
    top, bottom = axes
    actual = frame.drop_duplicates("timestamp").sort_values("timestamp")
    top.plot(_x(actual["timestamp"]), actual["actual"].to_numpy(), color="black", label="actual")
    for h in steps:
        rows = frame[frame["step"] == h]
        top.plot(_x(rows["timestamp"]), rows["forecast"].to_numpy(), linestyle="--", label=f"forecast, {h} step(s) ahead")
        (line,) = top.lines[-1:]
        bands = [(label, rows[low].to_numpy(), rows[up].to_numpy()) for label, low, up in _bound_columns(rows.columns)]
        _draw_bands(top, _x(rows["timestamp"]), bands, line.get_color(), name=f"{h} step(s) ahead")
    top.set_title("Backtest: actual vs forecast" + ("" if target is None else f" ({target})"))
    top.legend()
    bottom.bar(errors.index.to_numpy(), errors[name].to_numpy())
    bottom.set_xlabel("steps ahead")
    bottom.set_ylabel(name.upper())
    bottom.set_xticks(errors.index.to_numpy())
    bottom.set_title(f"{name.upper()} per step ahead")
    if show:
        plt.show()
    return axes


def plot_acf_pacf(y, *, lags=None, alpha=0.05, axes=None, show=False):
    """Plot the ACF and PACF side by side, to read ARMA orders from them.

    An AR(p) process has a PACF that cuts off after lag ``p`` and an MA(q)
    process an ACF that cuts off after lag ``q``; seasonal orders show at
    multiples of the season length. Plot the differenced series (for
    example ``Differencer(lag=7).fit_transform(y)``) to choose ``P, Q``
    after choosing ``D``.

    Parameters
    ----------
    y : pandas.Series or array-like of shape (n_steps,)
        A single series. Leading NaN (from differencing) are dropped; NaN
        after the first observed value is an error.
    lags : int, optional
        Largest lag shown, less than half the number of observed values
        (statsmodels' limit for the PACF). By default statsmodels' choice.
    alpha : float, default=0.05
        Significance level of the shaded confidence band.
    axes : sequence of two matplotlib.axes.Axes, optional
        Axes to draw on (ACF, PACF); by default a new figure with two columns.
    show : bool, default=False
        Call ``matplotlib.pyplot.show()`` after drawing.

    Returns
    -------
    axes : ndarray of matplotlib.axes.Axes, shape (2,)
        ACF on the left, PACF (Yule-Walker) on the right, each with one stem
        per lag from 0 to ``lags``.

    See Also
    --------
    skts.forecasting.SARIMAEstimator : Uses the orders read from these plots.
    """
    plt = _pyplot()
    from statsmodels.graphics.tsaplots import plot_acf, plot_pacf

    values = np.asarray(y, dtype=np.float64)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(f"y must be a single series; got shape {values.shape}. Plot one column at a time.")
    finite = np.isfinite(values)
    if not finite.any():
        raise ValueError("y has no finite values.")
    values = values[int(np.argmax(finite)) :]
    if not np.isfinite(values).all():
        raise ValueError(
            "y has NaN or inf after its first observed value; only leading NaN (from "
            "differencing) are dropped. Impute or drop the gaps first."
        )
    if lags is not None and (isinstance(lags, bool) or not isinstance(lags, Integral) or lags < 1):
        raise ValueError(f"lags must be a positive integer, got {lags!r}.")
    if lags is not None and lags >= len(values) // 2:
        raise ValueError(
            f"lags={lags} needs more than {2 * lags} observed values for the PACF; y has "
            f"{len(values)}. Use lags < {len(values) // 2}."
        )
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.5), layout="tight")
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.shape != (2,):
        raise ValueError(f"axes must be two Axes (ACF, PACF), got {axes.size}.")
    plot_acf(values, ax=axes[0], lags=lags, alpha=alpha)
    plot_pacf(values, ax=axes[1], lags=lags, alpha=alpha, method="ywm")
    for ax in axes:
        ax.set_xlabel("lag")
    if show:
        plt.show()
    return axes


def _bound_columns(columns):
    """``[(label, lower column, upper column)]``: ``lower``/``upper`` or ``lower_80``/``upper_80``, ..."""
    names = [str(c) for c in columns]
    if "lower" in names and "upper" in names:
        return [("interval", "lower", "upper")]
    pairs = []
    for name in names:
        if name.startswith("lower_") and f"upper_{name[6:]}" in names:
            pairs.append((f"{name[6:]}%", name, f"upper_{name[6:]}"))
    return pairs


def _split_bounds(forecast):
    """The point forecast and ``[(label, lower (h, n_targets), upper (h, n_targets))]``."""
    if not isinstance(forecast, pd.DataFrame):
        return forecast, []
    if isinstance(forecast.columns, pd.MultiIndex) and forecast.columns.nlevels == 2:
        inner = forecast.columns.get_level_values(1)
        if "forecast" not in inner:
            return forecast, []
        point = forecast.xs("forecast", axis=1, level=1)
        bands = [
            (label, forecast.xs(low, axis=1, level=1).to_numpy(), forecast.xs(up, axis=1, level=1).to_numpy())
            for label, low, up in _bound_columns(pd.unique(inner))
        ]
        return point, bands
    if "forecast" not in forecast.columns:
        return forecast, []
    bands = [
        (label, forecast[[low]].to_numpy(), forecast[[up]].to_numpy())
        for label, low, up in _bound_columns(forecast.columns)
    ]
    point = forecast["forecast"]
    return point.rename(forecast.columns.name) if point.name == "forecast" else point, bands


def _draw_bands(ax, x, bands, color, name=None):
    """Shade each (label, lower, upper) band, widest first and lightest."""
    widths = [np.nanmean(up - low) for _, low, up in bands]
    for rank, index in enumerate(np.argsort(widths)[::-1]):
        label, low, up = bands[index]
        alpha = 0.15 + 0.15 * rank / max(len(bands) - 1, 1)
        legend = f"{label} interval" if label != "interval" else "interval"
        if name:
            legend += f", {name}"
        ax.fill_between(x, low, up, color=color, alpha=alpha, linewidth=0, label=legend)


def _pyplot():
    import_optional("matplotlib")
    import matplotlib.pyplot as plt

    return plt


def _x(labels):
    """Time labels as matplotlib draws them: periods become the timestamps of their start.

    matplotlib knows datetimes and numbers, not pandas Periods (a
    ``PeriodIndex`` or the Period ``timestamp`` column of a backtest).
    """
    if isinstance(labels, pd.PeriodIndex):
        return labels.to_timestamp()
    if isinstance(labels, pd.Series) and isinstance(labels.dtype, pd.PeriodDtype):
        return labels.dt.to_timestamp()
    return labels


def _as_frame(data, name):
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame(name=data.name if data.name is not None else name)
    values = np.asarray(data, dtype=np.float64)
    if values.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1D or 2D (n_steps, n_targets), got shape {values.shape}.")
    frame = pd.DataFrame(values.reshape(len(values), -1))
    if frame.shape[1] == 1:
        frame.columns = [name]
    return frame


def _index_after(index, n):
    """The ``n`` x positions that follow ``index``."""
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(index.stop, index.stop + n * index.step, index.step)
    if pd.api.types.is_integer_dtype(index.dtype) and len(index):
        # Integer labels are time steps, one apart (the forecasters' contract).
        return pd.RangeIndex(index[-1] + 1, index[-1] + 1 + n)
    if isinstance(index, pd.DatetimeIndex | pd.PeriodIndex) and index.freq is not None:
        grid = pd.period_range if isinstance(index, pd.PeriodIndex) else pd.date_range
        return grid(start=index[-1], periods=n + 1, freq=index.freq)[1:]
    raise ValueError(
        f"y has a {type(index).__name__} without a frequency, so an array forecast cannot "
        "be placed after it: pass the forecast as a pandas Series with its timestamps "
        "(forecaster.forecast(horizon) returns one) or give y a frequency."
    )
