"""Prediction intervals and quantiles: one layout for every forecaster, native distributions checked."""

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import norm
from sklearn.linear_model import LinearRegression

from skts.forecasting import NaiveSeasonal
from skts.forecasting import ReductionForecaster
from skts.forecasting import SARIMAEstimator
from skts.forecasting import ConformalForecaster
from skts.model_selection import backtest, backtest_errors


def _series(n=120, n_targets=1, seed=0, index=False):
    """Weekly pattern + AR(1) noise, optionally on a daily DatetimeIndex."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    noise = np.zeros((n, n_targets))
    for i in range(1, n):
        noise[i] = 0.5 * noise[i - 1] + rng.normal(size=n_targets)
    y = 50 + 5 * np.sin(2 * np.pi * t / 7)[:, None] * np.arange(1, n_targets + 1) + noise
    y = y[:, 0] if n_targets == 1 else y
    if not index:
        return np.empty((n, 0)), y
    dates = pd.date_range("2021-01-01", periods=n, freq="D", name="date")
    y = (
        pd.Series(y, index=dates, name="rides")
        if n_targets == 1
        else pd.DataFrame(y, index=dates, columns=["rail", "bus"])
    )
    return pd.DataFrame(index=dates), y


def _tiny_rnn():
    from skts.neural import RNNForecaster

    return RNNForecaster(units=3, seq_length=7, epochs=1, batch_size=16, random_state=0)


def _tiny_wavenet():
    from skts.neural import WaveNetForecaster

    return WaveNetForecaster(
        filters=3, dilations=(1, 2), n_blocks=1, seq_length=7, epochs=1, batch_size=16, random_state=0
    )


# Every forecaster: native distributions directly, the others through the conformal wrapper.
FORECASTERS = {
    "naive": lambda: NaiveSeasonal(season_length=7),
    "sarima": lambda: SARIMAEstimator(p=1, D=1, Q=1, season_length=7),
    "reduction": lambda: ConformalForecaster(ReductionForecaster(LinearRegression(), seq_length=7), calibration_horizon=3),
    "rnn": lambda: ConformalForecaster(_tiny_rnn(), calibration_horizon=3, calibration_size=40),
    "wavenet": lambda: ConformalForecaster(_tiny_wavenet(), calibration_horizon=3, calibration_size=40),
    "sarima-conformal": lambda: ConformalForecaster(SARIMAEstimator(p=1, D=1, season_length=7), calibration_horizon=3),
}


@pytest.fixture(scope="module", params=sorted(FORECASTERS))
def fitted(request):
    X, y = _series(index=True)
    return request.param, FORECASTERS[request.param]().fit(X.iloc[:100], y.iloc[:100]), X, y


def test_layout_and_monotone_quantiles_for_every_forecaster(fitted):
    _, model, X, _ = fitted
    future = X.iloc[100:103]
    point = model.predict(future)

    one = model.predict_interval(future, coverage=0.8)
    assert one.index.equals(future.index)
    assert list(one.columns) == ["lower", "upper"] and one.columns.name == "bound"
    assert (one["lower"] <= point).all() and (point <= one["upper"]).all()

    several = model.predict_interval(future, coverage=[0.5, 0.95])
    assert several.columns.names == ["coverage", "bound"]
    assert list(several.columns) == [(0.5, "lower"), (0.5, "upper"), (0.95, "lower"), (0.95, "upper")]
    # The wider coverage holds the narrower interval.
    assert (several[0.95]["lower"] <= several[0.5]["lower"]).all()
    assert (several[0.5]["upper"] <= several[0.95]["upper"]).all()

    levels = (0.05, 0.25, 0.5, 0.75, 0.95)
    quantiles = model.predict_quantiles(future, quantiles=levels)
    assert list(quantiles.columns) == list(levels) and quantiles.columns.name == "quantile"
    assert (np.diff(quantiles.to_numpy(), axis=1) >= 0).all()
    # Bounds are the quantiles (1 -/+ c) / 2.
    assert_allclose(model.predict_quantiles(future, [0.025, 0.975]).to_numpy(), several[0.95].to_numpy())

    frame = model.forecast(3, coverage=[0.8, 0.95])
    assert list(frame.columns) == ["forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
    assert frame.index.equals(future.index)
    assert_allclose(frame["forecast"], point)
    assert_allclose(frame[["lower_80", "upper_80"]].to_numpy(), one.to_numpy())


def test_numpy_rows_are_indexed_by_step_and_intervals_match_pandas():
    X, y = _series()
    model = NaiveSeasonal(season_length=7).fit(X[:100], y[:100])
    frame = model.predict_interval(np.empty((4, 0)))
    assert frame.index.equals(pd.RangeIndex(1, 5, name="step"))
    assert list(model.forecast(4, coverage=0.9).columns) == ["forecast", "lower", "upper"]


def test_multi_target_columns_lead_with_the_target():
    X, y = _series(n_targets=2, index=True)
    model = NaiveSeasonal(season_length=7).fit(X.iloc[:100], y.iloc[:100])
    future = X.iloc[100:102]
    one = model.predict_interval(future)
    assert list(one.columns) == [("rail", "lower"), ("rail", "upper"), ("bus", "lower"), ("bus", "upper")]
    assert one.columns.names == ["target", "bound"]
    several = model.predict_interval(future, coverage=[0.5, 0.9])
    assert several.columns.names == ["target", "coverage", "bound"]
    assert several.shape == (2, 8)
    assert_allclose(several["bus"][0.9].to_numpy(), one["bus"].to_numpy())
    quantiles = model.predict_quantiles(future, [0.1, 0.9])
    assert quantiles.columns.names == ["target", "quantile"]
    assert list(quantiles.columns) == [("rail", 0.1), ("rail", 0.9), ("bus", 0.1), ("bus", 0.9)]
    frame = model.forecast(2, coverage=0.9)
    assert list(frame.columns) == [(t, c) for t in ("rail", "bus") for c in ("forecast", "lower", "upper")]


def test_gap_rows_use_their_own_steps_ahead():
    X, y = _series(index=True)
    model = NaiveSeasonal(season_length=7).fit(X.iloc[:100], y.iloc[:100])
    full = model.predict_interval(X.iloc[100:110])
    gap = model.predict_interval(X.iloc[[102, 109]])
    assert_allclose(gap.to_numpy(), full.iloc[[2, 9]].to_numpy())


# -- native distributions ----------------------------------------------------


def test_sarima_intervals_equal_statsmodels():
    rng = np.random.default_rng(1)
    X, y = _series(n=150)
    exog = rng.normal(size=(150, 1))
    y = y + 3 * exog[:, 0]
    model = SARIMAEstimator(p=1, q=1, D=1, Q=1, season_length=7).fit(exog[:140], y[:140])
    prediction = model.results_.get_forecast(10, exog=exog[140:])
    for coverage in (0.5, 0.8, 0.95):
        expected = prediction.conf_int(alpha=1 - coverage)
        assert_allclose(model.predict_interval(exog[140:], coverage=coverage).to_numpy(), expected, rtol=0, atol=1e-8)
    mean, sd = prediction.predicted_mean, np.sqrt(prediction.var_pred_mean)
    levels = [0.01, 0.3, 0.5, 0.9]
    expected = mean[:, None] + sd[:, None] * norm.ppf(levels)
    assert_allclose(model.predict_quantiles(exog[140:], levels).to_numpy(), expected, rtol=0, atol=1e-8)


@pytest.mark.parametrize("horizon", [1, 4])
def test_sarima_rolling_quantiles_equal_predict_and_update_per_origin(horizon):
    X, y = _series(n=130)
    model = SARIMAEstimator(p=1, D=1, Q=1, season_length=7).fit(X[:100], y[:100])
    levels = [0.1, 0.5, 0.9]
    values, points = model.predict_rolling_quantiles(
        X[100:], y[100:], horizon=horizon, stride=2, quantiles=levels, return_forecasts=True
    )
    n_before = len(model.y_)
    walker = pickle.loads(pickle.dumps(model))
    for i, origin in enumerate(range(0, 30 - horizon + 1, 2)):
        if origin:
            walker.update(X[100 + origin - 2 : 100 + origin], y[100 + origin - 2 : 100 + origin])
        rows = X[100 + origin : 100 + origin + horizon]
        assert_allclose(values[i], walker.predict_quantiles(rows, levels).to_numpy(), atol=1e-8)
        assert_allclose(points[i], walker.predict(rows), atol=1e-8)
    assert len(model.y_) == n_before  # the forecaster is unchanged


def test_seasonal_naive_interval_is_fpp3_by_hand():
    y = np.array([10.0, 20.0, 30.0, 12.0, 18.0, 33.0, 11.0, 21.0, 29.0])
    model = NaiveSeasonal(season_length=3).fit(np.empty((9, 0)), y)
    residuals = y[3:] - y[:-3]
    sigma = np.sqrt(np.sum(residuals**2) / (9 - 3))  # T - K - M, K = 0, M = season_length
    assert_allclose(model.sigma_, [sigma])
    frame = model.predict_interval(np.empty((7, 0)), coverage=0.9)
    k = np.array([0, 0, 0, 1, 1, 1, 2])  # floor((h - 1) / 3)
    half = norm.ppf(0.95) * sigma * np.sqrt(k + 1)
    point = np.array([11.0, 21.0, 29.0] * 3)[:7]
    assert_allclose(frame["lower"], point - half)
    assert_allclose(frame["upper"], point + half)
    # update adds observations, not a re-estimate of sigma.
    model.update(np.empty((3, 0)), np.array([100.0, 0.0, 50.0]))
    assert_allclose(model.sigma_, [sigma])


# -- bad input -----------------------------------------------------------------


@pytest.fixture(scope="module")
def naive():
    X, y = _series()
    return NaiveSeasonal(season_length=7).fit(X[:100], y[:100])


@pytest.mark.parametrize("coverage", [0, 1, 1.5, -0.1, 90, True, "0.9", [], [0.8, 1.2], [0.8, 0.8], np.nan])
def test_bad_coverage_is_a_clear_error(naive, coverage):
    with pytest.raises(ValueError, match="coverage"):
        naive.predict_interval(np.empty((2, 0)), coverage=coverage)
    with pytest.raises(ValueError, match="coverage"):
        naive.forecast(2, coverage=coverage)


@pytest.mark.parametrize(
    ("quantiles", "match"),
    [
        ([0.9, 0.1], "unsorted"),
        ([0.1, 0.1, 0.5], "duplicate"),
        ([0.0, 0.5], "between 0 and 1"),
        ([0.5, 1.0], "between 0 and 1"),
        ([], "non-empty"),
    ],
)
def test_bad_quantiles_are_a_clear_error(naive, quantiles, match):
    with pytest.raises(ValueError, match=match):
        naive.predict_quantiles(np.empty((2, 0)), quantiles=quantiles)


def test_too_little_history_names_what_is_needed():
    model = NaiveSeasonal(season_length=7).fit(np.empty((7, 0)), np.arange(7.0))
    model.predict(np.empty((2, 0)))  # points need one season only
    with pytest.raises(ValueError, match="at least season_length \\+ 1 = 8 observed rows"):
        model.predict_interval(np.empty((2, 0)))


def test_forecaster_without_distribution_points_to_the_wrapper():
    X, y = _series()
    model = ReductionForecaster(LinearRegression(), seq_length=7).fit(X, y)
    with pytest.raises(NotImplementedError, match="ConformalForecaster"):
        model.predict_interval(np.empty((2, 0)))
    with pytest.raises(ValueError, match="ConformalForecaster"):
        backtest(ReductionForecaster(LinearRegression(), seq_length=7), X, y, start=100, coverage=0.9)


def test_pickle_and_joblib_round_trip_keep_intervals(tmp_path):
    X, y = _series(index=True)
    for model in (NaiveSeasonal(season_length=7), SARIMAEstimator(p=1, D=1, season_length=7)):
        model.fit(X.iloc[:100], y.iloc[:100])
        expected = model.predict_interval(X.iloc[100:105], coverage=[0.8, 0.95])
        assert_array_equal(
            pickle.loads(pickle.dumps(model)).predict_interval(X.iloc[100:105], coverage=[0.8, 0.95]), expected
        )
        joblib.dump(model, tmp_path / "model.joblib")
        loaded = joblib.load(tmp_path / "model.joblib", mmap_mode="r")
        assert_array_equal(loaded.predict_interval(X.iloc[100:105], coverage=[0.8, 0.95]), expected)


# -- backtest ------------------------------------------------------------------


def test_backtest_adds_bounds_equal_to_predict_interval_per_origin():
    X, y = _series(index=True)
    frame = backtest(
        SARIMAEstimator(p=1, D=1, season_length=7), X, y, start=100, horizon=2, stride=3, coverage=[0.8, 0.95]
    )
    assert list(frame.columns[-4:]) == ["lower_80", "upper_80", "lower_95", "upper_95"]
    assert frame.attrs["coverage"] == [0.8, 0.95]
    model = SARIMAEstimator(p=1, D=1, season_length=7).fit(X.iloc[:100], y.iloc[:100])
    model.update(X.iloc[100:103], y.iloc[100:103])
    expected = model.predict_interval(X.iloc[103:105], coverage=0.8)
    rows = frame[frame["origin"] == X.index[102]]
    assert_allclose(rows[["lower_80", "upper_80"]].to_numpy(), expected.to_numpy(), atol=1e-8)
    single = backtest(NaiveSeasonal(season_length=7), X, y, start=100, coverage=0.9)
    assert list(single.columns[-2:]) == ["lower", "upper"]


def test_backtest_errors_interval_metrics_by_hand():
    X, y = _series()
    frame = backtest(NaiveSeasonal(season_length=7), X, y, start=100, horizon=2, coverage=[0.8, 0.95])
    errors = backtest_errors(frame, ["mase", "coverage", "width", "interval_score", "pinball"], season_length=7)
    rows = frame[frame["step"] == 2]
    actual, low, up = rows["actual"].to_numpy(), rows["lower_80"].to_numpy(), rows["upper_80"].to_numpy()
    assert errors.loc[2, "coverage_80"] == pytest.approx(np.mean((actual >= low) & (actual <= up)))
    assert errors.loc[2, "width_80"] == pytest.approx(np.mean(up - low))
    winkler = (up - low) + 2 / 0.2 * (np.maximum(low - actual, 0) + np.maximum(actual - up, 0))
    assert errors.loc[2, "interval_score_80"] == pytest.approx(winkler.mean())
    scale = np.mean(np.abs(y[7:100] - y[:93]))
    assert errors.loc[2, "mase"] == pytest.approx(np.mean(np.abs(actual - rows["forecast"])) / scale)
    pin = []
    for q, col in [(0.1, "lower_80"), (0.9, "upper_80"), (0.025, "lower_95"), (0.975, "upper_95")]:
        d = actual - rows[col].to_numpy()
        pin.append(np.maximum(q * d, (q - 1) * d))
    assert errors.loc[2, "pinball"] == pytest.approx(np.mean(pin))
    with pytest.raises(ValueError, match="coverage=0.9"):
        backtest_errors(backtest(NaiveSeasonal(), X, y, start=100), ["coverage"])


# -- plots -----------------------------------------------------------------------


def test_forecast_and_backtest_figures_shade_one_band_per_coverage():
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from skts.plotting import plot_backtest, plot_forecast

    X, y = _series(index=True)
    model = NaiveSeasonal(season_length=7).fit(X.iloc[:100], y.iloc[:100])
    forecast = model.forecast(5, coverage=[0.8, 0.95])
    ax = plot_forecast(y, forecast)
    assert len(ax.collections) == 2
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "80% interval" in labels and "95% interval" in labels
    # The 95% band is drawn first (underneath) and spans the 95% bounds.
    vertices = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert vertices.min() == pytest.approx(forecast["lower_95"].min())
    assert vertices.max() == pytest.approx(forecast["upper_95"].max())
    frame = backtest(NaiveSeasonal(season_length=7), X, y, start=100, horizon=2, coverage=0.9)
    axes = plot_backtest(frame, steps=[1])
    assert len(axes[0].collections) == 1
    plt.close("all")
