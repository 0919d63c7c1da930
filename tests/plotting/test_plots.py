"""The plots draw the right lines and bars, render to PNG and never show unasked."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skts.forecasting import NaiveSeasonal
from skts.model_selection import backtest, backtest_errors
from skts.plotting import plot_acf_pacf, plot_backtest, plot_forecast


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def shows(monkeypatch):
    calls = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: calls.append(args))
    return calls


def _series(n=60, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 100 + 10 * np.sin(2 * np.pi * t / 7) + rng.normal(size=n)
    return pd.Series(values, index=pd.date_range("2019-01-01", periods=n, freq="D", name="date"), name="rail")


def _check_png(fig, path):
    fig.savefig(path)
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    # Something was drawn: the picture is not a single colour.
    assert image[..., :3].std() > 0.05


def test_plot_forecast_history_and_forecast(tmp_path, shows):
    y = _series()
    forecast = NaiveSeasonal(season_length=7).fit(pd.DataFrame(index=y.index), y).forecast(14)
    ax = plot_forecast(y, forecast, last=28, title="rail")

    history, future = ax.get_lines()
    assert [history.get_label(), future.get_label()] == ["rail", "rail forecast"]
    assert len(history.get_xdata()) == 28
    assert_allclose(history.get_ydata(), y.iloc[-28:])
    assert_array_equal(pd.DatetimeIndex(future.get_xdata()), forecast.index)
    assert_allclose(future.get_ydata(), forecast)
    assert future.get_linestyle() == "--" and future.get_color() == history.get_color()
    assert ax.get_title() == "rail" and ax.get_xlabel() == "date"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["rail", "rail forecast"]
    assert shows == []
    _check_png(ax.figure, tmp_path / "forecast.png")


def test_plot_forecast_arrays_and_targets(shows):
    y = np.arange(20.0).reshape(10, 2)
    ax = plot_forecast(y, np.ones((3, 2)), show=True)
    lines = ax.get_lines()
    assert len(lines) == 4
    assert_array_equal(lines[1].get_xdata(), [10, 11, 12])  # arrays follow the end of y
    assert_array_equal(lines[2].get_xdata(), np.arange(10))
    assert len(shows) == 1


def test_plot_forecast_array_after_time_index():
    y = _series(30)
    ax = plot_forecast(y, np.zeros(5))
    assert_array_equal(
        pd.DatetimeIndex(ax.get_lines()[1].get_xdata()), pd.date_range("2019-01-31", periods=5, freq="D")
    )


def test_plot_forecast_draws_on_given_axes():
    _, ax = plt.subplots()
    assert plot_forecast(_series(), np.zeros(3), ax=ax) is ax
    assert len(plt.get_fignums()) == 1


def test_plot_forecast_bad_input():
    with pytest.raises(ValueError, match="one forecast column per target"):
        plot_forecast(np.zeros((10, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="last must be a positive integer"):
        plot_forecast(np.zeros(10), np.zeros(3), last=0)
    y = _series(10)
    y.index = y.index[[0, 1, 2, 3, 4, 5, 6, 7, 8]].append(pd.DatetimeIndex(["2020-01-01"]))
    with pytest.raises(ValueError, match="without a frequency"):
        plot_forecast(y, np.zeros(3))


def test_plot_backtest_actual_forecast_and_step_errors(tmp_path, shows):
    y = _series()
    frame = backtest(NaiveSeasonal(season_length=7), None, y, start="2019-02-01", horizon=3)
    top, bottom = plot_backtest(frame, metric="rmse")

    actual, first, last = top.get_lines()
    assert [line.get_label() for line in (actual, first, last)] == [
        "actual",
        "forecast, 1 step(s) ahead",
        "forecast, 3 step(s) ahead",
    ]
    assert_allclose(actual.get_ydata(), y["2019-02-01":])
    assert_allclose(last.get_ydata(), frame.loc[frame["step"] == 3, "forecast"])
    bars = bottom.patches
    assert len(bars) == 3
    expected = backtest_errors(frame, metrics=["rmse"])["rmse"]
    assert_allclose([bar.get_height() for bar in bars], expected)
    assert bottom.get_xlabel() == "steps ahead" and bottom.get_ylabel() == "RMSE"
    assert shows == []
    _check_png(top.figure, tmp_path / "backtest.png")


def test_plot_backtest_target_and_steps():
    y = pd.DataFrame({"bus": _series().to_numpy(), "rail": _series(seed=1).to_numpy()})
    frame = backtest(NaiveSeasonal(season_length=7), None, y, start=30, horizon=4)
    with pytest.raises(ValueError, match=r"targets \['bus', 'rail'\]"):
        plot_backtest(frame)
    with pytest.raises(ValueError, match=r"steps \[5\] are not in the backtest"):
        plot_backtest(frame, target="bus", steps=[5])
    _, axes = plt.subplots(1, 2)
    drawn = plot_backtest(frame, target="rail", steps=[2], axes=axes)
    assert list(drawn) == list(axes)
    assert len(axes[0].get_lines()) == 2 and len(axes[1].patches) == 4
    assert axes[0].get_title().endswith("(rail)")


def test_plot_acf_pacf_stems_per_lag(tmp_path, shows):
    y = _series(200).to_numpy()
    acf_ax, pacf_ax = plot_acf_pacf(y, lags=20)
    assert acf_ax.get_title() == "Autocorrelation"
    assert pacf_ax.get_title() == "Partial Autocorrelation"
    for ax in (acf_ax, pacf_ax):
        markers = [line for line in ax.get_lines() if len(line.get_xdata()) == 21]
        assert markers, "one marker per lag 0..20"
        assert_array_equal(markers[0].get_xdata(), np.arange(21))
        assert markers[0].get_ydata()[0] == pytest.approx(1.0)
        assert ax.get_xlabel() == "lag"
    # A weekly sine: strong positive autocorrelation at lag 7, negative near lag 3.
    acf = [line for line in acf_ax.get_lines() if len(line.get_xdata()) == 21][0].get_ydata()
    assert acf[7] > 0.5 and acf[3] < 0
    assert shows == []
    _check_png(acf_ax.figure, tmp_path / "acf.png")


def test_plot_acf_pacf_drops_leading_nan_only():
    y = _series(100).to_numpy()
    differenced = np.concatenate([[np.nan] * 7, y[7:] - y[:-7]])
    plain = plot_acf_pacf(differenced[7:], lags=10)
    padded = plot_acf_pacf(differenced, lags=10)
    for ax_plain, ax_padded in zip(plain, padded, strict=True):
        lines_plain = [line.get_ydata() for line in ax_plain.get_lines() if len(line.get_xdata()) == 11]
        lines_padded = [line.get_ydata() for line in ax_padded.get_lines() if len(line.get_xdata()) == 11]
        assert_allclose(lines_plain[0], lines_padded[0])
    gap = differenced.copy()
    gap[50] = np.nan
    with pytest.raises(ValueError, match="NaN or inf after its first observed value"):
        plot_acf_pacf(gap)


def test_plot_acf_pacf_bad_lags_and_shape():
    with pytest.raises(ValueError, match="Use lags < 15"):
        plot_acf_pacf(np.arange(30.0), lags=15)
    with pytest.raises(ValueError, match="single series"):
        plot_acf_pacf(np.zeros((30, 2)))
    with pytest.raises(ValueError, match="axes must be two Axes"):
        plot_acf_pacf(np.arange(30.0), lags=5, axes=[plt.subplots()[1]])


def test_importing_plotting_does_not_import_matplotlib():
    code = "import sys, skts.plotting; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    loaded = {name.split(".")[0] for name in out.split()}
    assert not loaded & {"matplotlib", "statsmodels"}


_INDEX_KINDS = {
    "DatetimeIndex": lambda n: pd.date_range("2019-01-01", periods=n, freq="D"),
    "PeriodIndex": lambda n: pd.period_range("2019-01", periods=n, freq="M"),
    "RangeIndex": lambda n: pd.RangeIndex(n),
    "integer labels": lambda n: pd.Index(np.arange(100, 100 + n)),
}


@pytest.mark.parametrize("kind", list(_INDEX_KINDS))
def test_every_plot_takes_every_supported_index_kind(kind, tmp_path):
    # Periods are not numbers or datetimes to matplotlib: they are drawn at
    # the timestamp of their start.
    y = _series(48).set_axis(_INDEX_KINDS[kind](48))
    forecaster = NaiveSeasonal(season_length=7).fit(None, y.iloc[:40])
    forecast = forecaster.forecast(8, coverage=0.8)
    ax = plot_forecast(y, forecast)
    future = ax.get_lines()[1]
    assert len(future.get_xdata()) == 8
    assert_allclose(future.get_ydata(), forecast["forecast"])
    plot_forecast(y.iloc[:40], forecast["forecast"].to_numpy())
    frame = backtest(NaiveSeasonal(season_length=7), None, y, start=y.index[30], horizon=3)
    axes = plot_backtest(frame)
    assert len(axes[0].get_lines()[0].get_xdata()) == 18
    plot_acf_pacf(y, lags=5)
    _check_png(ax.figure, tmp_path / "forecast.png")
