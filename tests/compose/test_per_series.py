"""PerSeriesForecaster: one clone per column, the same numbers as fitting each column alone."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skts.compose import PerSeriesForecaster, TransformedTargetForecaster
from skts.forecasting import NaiveSeasonal, SARIMAEstimator
from skts.model_selection import backtest


@pytest.fixture
def wide():
    """Three daily series of 60 steps with different weekly patterns and levels."""
    rng = np.random.default_rng(0)
    t = np.arange(60)
    index = pd.date_range("2024-01-01", periods=60, freq="D", name="day")
    columns = {
        "north": 10 + np.sin(2 * np.pi * t / 7) + rng.normal(scale=0.2, size=60),
        "south": 50 + 5 * np.cos(2 * np.pi * t / 7) + rng.normal(scale=1.0, size=60),
        "east": np.cumsum(rng.normal(size=60)),
    }
    return pd.DataFrame(columns, index=index)


def _split(wide, n_history=48):
    return wide.iloc[:n_history], wide.iloc[n_history:]


@pytest.mark.parametrize(
    "forecaster", [NaiveSeasonal(season_length=7), SARIMAEstimator(p=1, season_length=7)], ids=["naive", "sarima"]
)
def test_forecasts_equal_one_fit_per_column(wide, forecaster):
    history, new = _split(wide)
    model = PerSeriesForecaster(forecaster).fit(None, history)
    singles = {name: forecaster.__class__(**forecaster.get_params()).fit(None, history[name]) for name in wide}
    assert len(model.forecasters_) == 3

    future = pd.DataFrame(index=new.index[:5])
    expected = np.column_stack([singles[name].predict(future) for name in wide])
    assert_allclose(model.predict(future), expected)

    forecast = model.forecast(5)
    assert list(forecast.columns) == ["north", "south", "east"]
    assert forecast.index.equals(new.index[:5])
    assert_allclose(forecast.to_numpy(), expected)

    rolling = model.predict_rolling(None, new, horizon=3, stride=2)
    expected_rolling = np.stack([singles[name].predict_rolling(None, new[name], horizon=3, stride=2) for name in wide], axis=2)
    assert rolling.shape == expected_rolling.shape == (5, 3, 3)
    assert_allclose(rolling, expected_rolling)

    intervals = model.predict_interval(future, coverage=0.8)
    for name in wide:
        assert_allclose(intervals[name].to_numpy(), singles[name].predict_interval(future, coverage=0.8).to_numpy())


def test_rolling_forecasts_leave_the_column_forecasters_unchanged(wide):
    history, new = _split(wide)
    model = PerSeriesForecaster(NaiveSeasonal(season_length=7)).fit(None, history)
    before = model.forecast(4)
    model.predict_rolling(None, new, horizon=2)
    model.predict_rolling_quantiles(None, new, horizon=2)
    assert all(len(f.y_) == 48 for f in model.forecasters_)
    pd.testing.assert_frame_equal(model.forecast(4), before)


def test_update_equals_updating_each_column(wide):
    history, new = _split(wide)
    model = PerSeriesForecaster(SARIMAEstimator(p=1, season_length=7)).fit(None, history)
    model.update(None, new.iloc[:6])
    for j, name in enumerate(wide):
        single = SARIMAEstimator(p=1, season_length=7).fit(None, history[name]).update(None, new[name].iloc[:6])
        assert_allclose(model.forecast(4)[name].to_numpy(), single.forecast(4).to_numpy())
        assert len(model.forecasters_[j].y_) == 54
    assert model.forecast(4).index[0] == new.index[6]


def test_quantiles_have_one_target_level_per_column(wide):
    history, new = _split(wide)
    model = PerSeriesForecaster(NaiveSeasonal(season_length=7)).fit(None, history)
    quantiles = model.predict_quantiles(pd.DataFrame(index=new.index[:3]), quantiles=[0.1, 0.5, 0.9])
    assert quantiles.columns.get_level_values("target").unique().tolist() == ["north", "south", "east"]
    single = NaiveSeasonal(season_length=7).fit(None, history["south"])
    assert_allclose(
        quantiles["south"].to_numpy(),
        single.predict_quantiles(pd.DataFrame(index=new.index[:3]), quantiles=[0.1, 0.5, 0.9]).to_numpy(),
    )


def test_backtest_rows_match_each_columns_backtest(wide):
    model = PerSeriesForecaster(NaiveSeasonal(season_length=7))
    frame = backtest(model, None, wide, start="2024-02-10", horizon=3)
    assert set(frame["target"]) == {"north", "south", "east"}
    single = backtest(NaiveSeasonal(season_length=7), None, wide["east"], start="2024-02-10", horizon=3)
    east = frame[frame["target"] == "east"].reset_index(drop=True)
    assert_allclose(east["forecast"].to_numpy(), single["forecast"].to_numpy())


def test_two_jobs_equal_one(wide):
    one = PerSeriesForecaster(SARIMAEstimator(p=1, season_length=7), n_jobs=1).fit(None, wide)
    two = PerSeriesForecaster(SARIMAEstimator(p=1, season_length=7), n_jobs=2).fit(None, wide)
    pd.testing.assert_frame_equal(one.forecast(7, coverage=0.9), two.forecast(7, coverage=0.9))


def test_covariates_are_shared_by_every_column(wide):
    X = pd.DataFrame({"trend": np.arange(60.0)}, index=wide.index)
    history, new = _split(wide)
    model = PerSeriesForecaster(SARIMAEstimator(p=1)).fit(X.iloc[:48], history)
    single = SARIMAEstimator(p=1).fit(X.iloc[:48], history["north"])
    assert_allclose(model.predict(X.iloc[48:52])[:, 0], single.predict(X.iloc[48:52]))


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_the_failing_column_is_named(wide, n_jobs):
    # A log transform cannot take the negative values of the random walk.
    logged = TransformedTargetForecaster(NaiveSeasonal(), transformer="log")
    positive = wide.assign(east=wide["east"].abs() + 1.0)
    broken = wide.assign(north=positive["north"], south=positive["south"], east=-positive["east"])
    with pytest.raises(ValueError, match="failed on column 'east': Negative values"):
        PerSeriesForecaster(logged, n_jobs=n_jobs).fit(None, broken)
    with pytest.raises(ValueError, match="failed on column 2: Negative values"):
        PerSeriesForecaster(logged, n_jobs=n_jobs).fit(None, broken.to_numpy())
    model = PerSeriesForecaster(logged).fit(None, positive)
    with pytest.raises(ValueError, match="update of TransformedTargetForecaster failed on column 'south': Negative values"):
        model.update(None, pd.DataFrame({"north": [1.0], "south": [-1.0], "east": [1.0]}, index=[wide.index[-1] + wide.index.freq]))


def test_interior_missing_values_follow_the_wrapped_model(wide):
    gappy = wide.copy()
    gappy.iloc[20, 1] = np.nan
    model = PerSeriesForecaster(SARIMAEstimator(p=1)).fit(None, gappy)
    assert np.isfinite(model.forecast(3).to_numpy()).all()
    with pytest.raises(ValueError, match="NaN at row"):
        PerSeriesForecaster(NaiveSeasonal()).fit(None, gappy)


def test_pickle_round_trip(wide):
    model = PerSeriesForecaster(SARIMAEstimator(p=1, season_length=7)).fit(None, wide)
    restored = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(restored.forecast(5, coverage=0.8), model.forecast(5, coverage=0.8))
    assert_array_equal(restored.y_, model.y_)


def test_fit_leaves_the_data_and_the_template_unchanged(wide):
    copy = wide.copy()
    template = NaiveSeasonal(season_length=7)
    model = PerSeriesForecaster(template).fit(None, wide)
    pd.testing.assert_frame_equal(wide, copy)
    assert not hasattr(template, "y_")
    assert all(f is not template for f in model.forecasters_)
