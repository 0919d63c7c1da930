"""SktimeForecaster: sktime's forecasters on the skts contract, in scikit-learn tools."""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skts.forecasting import NaiveSeasonal
from skts.interop import SktimeForecaster
from skts.model_selection import backtest

pytest.importorskip("sktime")


@pytest.fixture(autouse=True)
def _no_sktime_notice():
    # The reference forecasts below call sktime directly, which announces a
    # config change on every fit; the adapter itself hides it.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The default of config", FutureWarning)
        yield


def _quietly(factory, *args, **kwargs):
    # Constructing any sktime 1.2 forecaster announces a config change.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The default of config", FutureWarning)
        return factory(*args, **kwargs)


def _naive(**params):
    from sktime.forecasting.naive import NaiveForecaster

    return _quietly(NaiveForecaster, **params)


def _theta(**params):
    from sktime.forecasting.theta import ThetaForecaster

    return _quietly(ThetaForecaster, **params)


def _reduction(strategy, **params):
    from sktime.forecasting.compose import make_reduction

    return _quietly(make_reduction, LinearRegression(), window_length=3, strategy=strategy, **params)


@pytest.fixture
def rail():
    """A positive, weekly-seasonal daily series of 84 steps."""
    t = np.arange(84)
    values = 100 + 10 * np.sin(2 * np.pi * t / 7) + 0.3 * t + np.random.default_rng(0).normal(0, 1, 84)
    return pd.Series(values, index=pd.period_range("2019-01-01", periods=84, freq="D"), name="rail")


def _sktime_forecast(forecaster, y, fh, X=None, X_future=None):
    """What sktime itself forecasts, on a RangeIndex, for comparison."""
    y = pd.Series(np.asarray(y, dtype=float))
    fitted = forecaster.clone().fit(y, X=X)
    return np.asarray(fitted.predict(fh=fh, X=X_future))


def test_forecasts_are_sktime_forecasts_aligned_by_timestamp(rail):
    model = SktimeForecaster(_theta(sp=7)).fit(None, rail[:70])
    X_future = pd.DataFrame(index=rail.index[72:75])  # a gap of two days
    expected = _sktime_forecast(_theta(sp=7), rail[:70], [3, 4, 5])
    np.testing.assert_allclose(model.predict(X_future), expected, rtol=1e-12)
    forecast = model.forecast(3)
    assert list(forecast.index) == list(rail.index[70:73])


def test_grid_search_over_nested_params_in_parallel(rail):
    X = pd.DataFrame(index=rail.index)
    cv = TimeSeriesSplit(n_splits=3, test_size=7)
    search = GridSearchCV(
        SktimeForecaster(_theta()), {"forecaster__sp": [1, 7]}, cv=cv, scoring="neg_mean_absolute_error", n_jobs=2
    ).fit(X, rail)
    assert search.best_params_ == {"forecaster__sp": 7}
    # The score of a candidate is the plain sktime forecast on each split.
    errors = []
    for train, test in cv.split(X):
        forecast = _sktime_forecast(_theta(sp=7), rail.iloc[train], np.arange(1, 8))
        errors.append(np.mean(np.abs(forecast - rail.iloc[test])))
    np.testing.assert_allclose(search.cv_results_["mean_test_score"][1], -np.mean(errors), rtol=1e-10)


def test_backtest_without_refit_uses_sktime_update(rail):
    wrapped = backtest(SktimeForecaster(_naive(sp=7)), None, rail, start=60, horizon=3, refit=False)
    native = backtest(NaiveSeasonal(season_length=7), None, rail, start=60, horizon=3, refit=False)
    np.testing.assert_allclose(wrapped.forecast.to_numpy(), native.forecast.to_numpy())


def test_update_keeps_parameters_and_predict_rolling_leaves_self_alone(rail):
    model = SktimeForecaster(_naive(sp=7)).fit(None, rail[:60])
    cutoff = model.forecaster_.cutoff
    rolling = model.predict_rolling(None, rail[60:70], horizon=2)
    assert model.forecaster_.cutoff == cutoff
    model.update(None, rail[60:63])
    np.testing.assert_allclose(model.predict(np.empty((2, 0))), rolling[3])
    np.testing.assert_allclose(model.predict(np.empty((2, 0))), rail.iloc[56:58].to_numpy())


def test_update_params_refits_on_the_whole_history(rail):
    # sktime's own Theta update(update_params=True) keeps the fitted level.
    fitted = SktimeForecaster(_theta(sp=7), update_params=True).fit(None, rail[:60]).update(None, rail[60:63])
    values = pd.Series(rail.to_numpy())
    expected = _theta(sp=7).fit(values[:63]).predict(fh=[1, 2])
    np.testing.assert_allclose(fitted.predict(np.empty((2, 0))), np.asarray(expected), rtol=1e-10)
    stale = SktimeForecaster(_theta(sp=7)).fit(None, rail[:60])
    assert not np.allclose(stale.predict(np.empty((2, 0))), fitted.predict(np.empty((2, 0))))


def test_intervals_from_sktime(rail):
    model = SktimeForecaster(_theta(sp=7)).fit(None, rail[:70])
    interval = model.predict_interval(np.empty((3, 0)), coverage=0.8)
    expected = _theta(sp=7).fit(pd.Series(rail[:70].to_numpy())).predict_interval(fh=[1, 2, 3], coverage=0.8)
    np.testing.assert_allclose(np.asarray(interval), np.asarray(expected), rtol=1e-10)
    with pytest.raises(NotImplementedError, match="capability:pred_int"):
        SktimeForecaster(_reduction("recursive")).fit(None, rail[:70]).predict_interval(np.empty((2, 0)))


def test_covariates_are_passed_as_exogenous(rail):
    X = pd.DataFrame({"weekend": (rail.index.dayofweek >= 5).astype(float)}, index=rail.index)
    model = SktimeForecaster(_reduction("recursive")).fit(X[:70], rail[:70])
    X_fit = pd.DataFrame({"x0": X["weekend"].to_numpy()[:70]})
    X_future = pd.DataFrame({"x0": X["weekend"].to_numpy()[70:73]}, index=range(70, 73))
    expected = _sktime_forecast(_reduction("recursive"), rail[:70], [1, 2, 3], X=X_fit, X_future=X_future)
    np.testing.assert_allclose(model.predict(X[70:73]), expected, rtol=1e-10)


def test_forecasters_that_need_fh_at_fit(rail):
    with pytest.raises(ValueError, match="fit_horizon"):
        SktimeForecaster(_reduction("direct")).fit(None, rail[:70])
    model = SktimeForecaster(_reduction("direct"), fit_horizon=3).fit(None, rail[:70])
    full = model.predict(np.empty((3, 0)))
    np.testing.assert_allclose(model.predict(np.empty((2, 0))), full[:2])
    with pytest.raises(ValueError, match="fit_horizon=4"):
        model.predict(np.empty((4, 0)))


def test_several_targets(rail):
    y = pd.DataFrame({"bus": 2 * rail, "rail": rail})
    model = SktimeForecaster(_naive(sp=7)).fit(None, y[:70])
    np.testing.assert_allclose(model.predict(np.empty((2, 0))), y.iloc[63:65].to_numpy())


def test_clone_pickle_and_no_mutation(rail):
    forecaster = _theta(sp=7)
    params = forecaster.get_params()
    model = SktimeForecaster(forecaster).fit(None, rail[:70])
    assert forecaster.get_params() == params and not forecaster.is_fitted
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(np.empty((3, 0))), model.predict(np.empty((3, 0))))
    twin = clone(model)
    assert twin.forecaster is not forecaster and twin.get_params()["forecaster__sp"] == 7


def test_fit_predict_update_are_silent(rail):
    model = SktimeForecaster(_naive(sp=7))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clone(model).set_params(forecaster__sp=1)
        model.fit(None, rail[:70]).predict(np.empty((2, 0)))
        model.update(None, rail[70:72])


def test_bad_input_is_named():
    with pytest.raises(TypeError, match="sktime forecaster"):
        SktimeForecaster(NaiveSeasonal()).fit(None, np.arange(10.0))


def test_import_does_not_import_sktime():
    code = "import skts, skts.interop, sys; print('sktime' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
