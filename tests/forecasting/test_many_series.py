"""Many series with a single-target forecaster: one SARIMA per column.

``MultiOutputRegressor(SARIMAEstimator(...), n_jobs=...)`` is the documented
way: each column of a wide ``y`` is one series, fitted by its own clone,
in parallel through joblib. ``backtest`` takes it with any ``refit``: each
column's fitted forecaster gives that column's rolling forecasts.
"""

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.multioutput import MultiOutputRegressor

from skts.forecasting import NaiveSeasonal, ReductionForecaster, SARIMAEstimator
from skts.model_selection import backtest, backtest_errors

ORDERS = dict(p=1, D=1, season_length=7)


def _panel(n=42, n_series=3, seed=0):
    """Daily series, one per column, each with its own level and weekly phase."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    columns = {
        f"store_{k}": 50 * (k + 1) + 10 * np.sin(2 * np.pi * t / 7 + k) + rng.normal(scale=2, size=n)
        for k in range(n_series)
    }
    return pd.DataFrame(columns, index=pd.date_range("2024-01-01", periods=n, freq="D", name="day"))


# Starting loky's worker processes is most of this test's time.
@pytest.mark.slow
def test_multioutput_equals_one_fit_per_column_in_parallel():
    y = _panel()
    Y = y.to_numpy()
    X, X_future = np.empty((len(Y), 0)), np.empty((5, 0))
    model = MultiOutputRegressor(SARIMAEstimator(**ORDERS), n_jobs=2).fit(X, Y)
    y_pred = model.predict(X_future)

    assert y_pred.shape == (5, Y.shape[1])
    for k in range(Y.shape[1]):
        single = SARIMAEstimator(**ORDERS).fit(X, Y[:, k])
        assert_allclose(y_pred[:, k], single.predict(X_future), rtol=1e-10)
        assert_allclose(model.estimators_[k].params_, single.params_, rtol=1e-10)
    # The caller's table is left as it was.
    assert_array_equal(y.to_numpy(), Y)


def test_multioutput_with_pandas_aligns_by_timestamp():
    y = _panel()
    X = pd.DataFrame(index=y.index)
    model = MultiOutputRegressor(SARIMAEstimator(**ORDERS)).fit(X, y)
    # Rows two days after the end of the history: aligned by timestamp, so
    # these are steps 3..5, as for each series on its own.
    future = pd.DataFrame(index=pd.date_range(y.index[-1] + pd.Timedelta(days=3), periods=3, freq="D"))
    y_pred = pd.DataFrame(model.predict(future), index=future.index, columns=y.columns)

    for name in y.columns:
        assert model.estimators_[y.columns.get_loc(name)].index_.equals(y.index)
        single = SARIMAEstimator(**ORDERS).fit(X, y[name]).forecast(5)
        assert_allclose(y_pred[name].to_numpy(), single.iloc[2:].to_numpy(), rtol=1e-10)
        assert y_pred.index.equals(single.index[2:])


@pytest.mark.parametrize("horizon", [1, 3])
def test_backtest_of_multioutput_equals_per_series_backtests(horizon):
    y = _panel(n=36, n_series=2)
    X = pd.DataFrame(index=y.index)
    panel = MultiOutputRegressor(SARIMAEstimator(**ORDERS))
    frame = backtest(panel, X, y, start=30, horizon=horizon, refit=True)

    assert list(frame.columns) == ["origin", "timestamp", "step", "target", "actual", "forecast"]
    assert set(frame["target"]) == set(y.columns)
    for name in y.columns:
        rows = frame[frame["target"] == name].reset_index(drop=True)
        single = backtest(SARIMAEstimator(**ORDERS), X, y[name], start=30, horizon=horizon, refit=True)
        assert_array_equal(rows["timestamp"].to_numpy(), single["timestamp"].to_numpy())
        assert_allclose(rows["actual"].to_numpy(), single["actual"].to_numpy())
        assert_allclose(rows["forecast"].to_numpy(), single["forecast"].to_numpy(), rtol=1e-10)


def test_grid_parameters_reach_every_series():
    y = _panel(n_series=2).to_numpy()
    model = MultiOutputRegressor(SARIMAEstimator(**ORDERS))
    model = clone(model).set_params(estimator__p=0, estimator__Q=1).fit(np.empty((len(y), 0)), y)
    assert all(est.p == 0 and est.Q == 1 for est in model.estimators_)
    assert all("ma.S.L7" in est.results_.param_names for est in model.estimators_)


def test_single_target_error_points_to_multioutput():
    y = _panel(n_series=2)
    with pytest.raises(ValueError, match=r"single target; y has 2 columns.*MultiOutputRegressor"):
        SARIMAEstimator(**ORDERS).fit(pd.DataFrame(index=y.index), y)


def _column(frame, name):
    """The rows of one target of a multi-target backtest, as a single-target frame."""
    return frame[frame["target"] == name].drop(columns="target").reset_index(drop=True)


@pytest.mark.parametrize(
    "horizon, refit, coverage",
    [(1, False, None), (3, False, None), (1, 2, None), (3, 2, None), (3, False, 0.8), (1, 2, 0.8)],
)
def test_backtest_without_refit_equals_per_series_backtests(horizon, refit, coverage):
    # One fit of the panel (or one per segment of 2 origins), then each
    # column's rolling forecasts from its own fitted SARIMA: the same as
    # backtesting each series on its own, bounds included.
    y = _panel(n=36, n_series=3)
    before = y.copy()
    X = pd.DataFrame(index=y.index)
    metrics = ["mae"] if coverage is None else ["mae", "coverage", "width"]
    options = dict(start=28, horizon=horizon, stride=2, refit=refit, coverage=coverage, metrics=metrics)
    frame = backtest(MultiOutputRegressor(SARIMAEstimator(**ORDERS)), X, y, **options)

    n_origins = len(range(28, 36 - horizon + 1, 2))
    assert len(frame) == n_origins * horizon * 3
    bounds = [] if coverage is None else ["lower", "upper"]
    assert list(frame.columns) == ["origin", "timestamp", "step", "target", "actual", "forecast", *bounds]
    # Origin, step, target order, as for a multi-target forecaster.
    assert list(frame["target"][:3]) == list(y.columns)
    for name in y.columns:
        single = backtest(SARIMAEstimator(**ORDERS), X, y[name], **options)
        pd.testing.assert_frame_equal(_column(frame, name), single, rtol=1e-8)
        for metric in metrics:
            assert_allclose(frame.attrs["scores"][metric][name], single.attrs["scores"][metric], rtol=1e-8)
    pd.testing.assert_frame_equal(y, before)


def test_backtest_without_refit_has_the_layout_of_a_multi_target_forecaster():
    # NaiveSeasonal forecasts several targets natively: the panel of one
    # NaiveSeasonal per column gives the same frame, attrs and errors.
    y = _panel(n=30, n_series=2)
    options = dict(start=20, horizon=3, stride=2, coverage=[0.5, 0.8], metrics=["mae", "coverage"])
    panel = backtest(MultiOutputRegressor(NaiveSeasonal(season_length=7)), None, y, **options)
    native = backtest(NaiveSeasonal(season_length=7), None, y, **options)

    pd.testing.assert_frame_equal(panel, native, rtol=1e-12)
    assert panel.attrs["coverage"] == native.attrs["coverage"]
    assert panel.attrs["scores"].keys() == native.attrs["scores"].keys() == {"mae", "coverage_50", "coverage_80"}
    for metric, by_target in native.attrs["scores"].items():
        assert panel.attrs["scores"][metric] == pytest.approx(by_target, rel=1e-12)
    assert panel.attrs["y_train"] == native.attrs["y_train"]
    pd.testing.assert_frame_equal(
        backtest_errors(panel, ["mae", "interval_score"]), backtest_errors(native, ["mae", "interval_score"])
    )


@pytest.mark.parametrize("refit", [False, 2])
def test_backtest_of_parameter_free_panel_does_not_depend_on_refit(refit):
    # The seasonal naive forecast has no fitted parameter, so refitting at
    # every origin changes no point forecast.
    y = _panel(n=30, n_series=2).to_numpy()
    panel = MultiOutputRegressor(NaiveSeasonal(season_length=7))
    frame = backtest(panel, None, y, start=16, horizon=4, stride=3, refit=refit)
    every_origin = backtest(panel, None, y, start=16, horizon=4, stride=3, refit=True)
    pd.testing.assert_frame_equal(frame, every_origin, rtol=1e-12)
    # NumPy y: positions for origins and timestamps, column positions for targets.
    assert list(frame["target"].unique()) == [0, 1]
    assert frame["origin"].iloc[0] == 15 and frame["timestamp"].iloc[-1] == 28


def test_backtest_keeps_pandas_labels():
    y = _panel(n=30, n_series=3)
    y.index = pd.period_range("2024-01", periods=len(y), freq="D", name="day")
    frame = backtest(
        MultiOutputRegressor(NaiveSeasonal(season_length=7)), None, y, start="2024-01-25", horizon=2, stride=2
    )
    origins = pd.period_range("2024-01-24", periods=5, freq="D")[::2]
    assert list(frame["origin"].unique()) == list(origins)
    assert list(frame["timestamp"][:6]) == [origins[0] + 1] * 3 + [origins[0] + 2] * 3
    assert list(frame["target"][:3]) == ["store_0", "store_1", "store_2"]
    assert_allclose(frame["actual"][:3].to_numpy(), y.loc[origins[0] + 1].to_numpy())
    errors = backtest_errors(frame, ["mae"])
    assert list(errors.index.names) == ["target", "step"]
    assert list(errors.index.get_level_values("target").unique()) == list(y.columns)


def test_backtest_segments_and_column_fits_in_threads_equal_serial():
    y = _panel(n=30, n_series=2)
    options = dict(start=18, horizon=2, stride=2, refit=2, coverage=0.8)
    serial = backtest(MultiOutputRegressor(NaiveSeasonal(season_length=7)), None, y, **options)
    with joblib.parallel_backend("threading"):
        parallel = backtest(
            MultiOutputRegressor(NaiveSeasonal(season_length=7), n_jobs=2), None, y, n_jobs=2, **options
        )
    pd.testing.assert_frame_equal(parallel, serial)


@pytest.mark.parametrize("refit", [False, 3])
def test_backtest_of_multioutput_regressor_without_refit_needs_a_forecaster(refit):
    y = _panel(n=30, n_series=2)
    needs = r"has no update.*refit=True.*MultiOutputRegressor around a skts forecaster.*wraps Ridge"
    with pytest.raises(ValueError, match=needs):
        backtest(MultiOutputRegressor(Ridge()), None, y, start=20, refit=refit)
    # With a refit at every origin it is a regressor on the covariates, as before.
    X = pd.DataFrame({"t": np.arange(len(y), dtype=float)}, index=y.index)
    frame = backtest(MultiOutputRegressor(Ridge()), X, y, start=26, refit=True)
    assert len(frame) == 4 * 2


def test_backtest_coverage_needs_intervals_of_the_column_forecaster():
    y = _panel(n=30, n_series=2)
    panel = MultiOutputRegressor(ReductionForecaster(Ridge(), seq_length=3))
    needs = r"needs interval forecasts: ReductionForecaster has no forecast distribution"
    with pytest.raises(ValueError, match=needs):
        backtest(panel, None, y, start=20, coverage=0.8)
    # Point forecasts work without refitting.
    assert len(backtest(panel, None, y, start=20, horizon=2, stride=2)) == 5 * 2 * 2
