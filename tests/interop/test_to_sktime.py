"""to_sktime: skts forecasters inside sktime's tools and sktime's own estimator suite.

sktime's ``check_estimator`` runs its whole forecaster suite (385 checks for
NaiveSeasonal, whose wrapper has native intervals). No check is expected to
fail, so there is no table of expected failures here: each test asserts that
every check passed.

Durations of the full suite (2 cores, load average 6-8 from other jobs):
NaiveSeasonal 18 s wall / 6.4 s CPU; SARIMAEstimator 36 s wall / 16 s CPU;
a tiny RNNForecaster 382 s wall / 261 s CPU at load 1-7 (353 checks, all
passed; ``check_estimator(to_sktime(RNNForecaster(units=2, seq_length=3,
epochs=1, random_state=0)))``). The RNN run is far too slow for the test
suite, so it runs one fixture of each check that fits, predicts, updates or
persists the network, marked slow. On a quiet machine (load 2) the naive
test takes 4 s, the SARIMA one 21 s and the RNN subset 9 s.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skts.forecasting import NaiveSeasonal, SARIMAEstimator
from skts.neural import RNNForecaster
from skts.interop import to_sktime

sktime = pytest.importorskip("sktime")

from sktime.forecasting.base import BaseForecaster as SktimeBaseForecaster  # noqa: E402
from sktime.forecasting.compose import ForecastingPipeline, TransformedTargetForecaster  # noqa: E402
from sktime.forecasting.model_evaluation import evaluate  # noqa: E402
from sktime.forecasting.model_selection import ForecastingGridSearchCV  # noqa: E402
from sktime.split import ExpandingWindowSplitter  # noqa: E402
from sktime.transformations.series.exponent import ExponentTransformer  # noqa: E402
from sktime.utils.estimator_checks import check_estimator  # noqa: E402


@pytest.fixture(autouse=True)
def _no_sktime_notice():
    # sktime 1.2's transformers and splitters also announce a config change.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The default of config", FutureWarning)
        yield


@pytest.fixture
def rail():
    """A weekly-seasonal daily series of 70 steps on a PeriodIndex."""
    t = np.arange(70)
    values = 100 + 10 * np.sin(2 * np.pi * t / 7) + 0.3 * t + np.random.default_rng(0).normal(0, 1, 70)
    return pd.Series(values, index=pd.period_range("2019-01-01", periods=70, freq="D"), name="rail")


def _assert_all_passed(results):
    failed = {name: result for name, result in results.items() if result != "PASSED"}
    assert not failed, failed
    assert results


def test_sktime_check_estimator_naive():
    _assert_all_passed(check_estimator(to_sktime(NaiveSeasonal(season_length=2)), verbose=False))


@pytest.mark.slow
def test_sktime_check_estimator_sarima():
    _assert_all_passed(check_estimator(to_sktime(SARIMAEstimator(p=1)), verbose=False))


# One fixture of each check that trains, forecasts, updates or persists.
_RNN_FIXTURES = [
    "test_fit_predict[SktsForecaster-y:1cols]",
    "test_predict_time_index[SktsForecaster-y:2cols-fh=[2 5]-datetime-datetime-False]",
    "test_predict_time_index_with_X[SktsForecaster-y:1cols-fh=[2 5]-range-int-False]",
    "test_update_predict_single[SktsForecaster-y:1cols-update_params=False-fh=[2 5]]",
    "test_persistence_via_pickle[SktsForecaster-ForecasterFitPredictUnivariateWithX-predict]",
    "test_non_state_changing_method_contract[SktsForecaster-ForecasterFitPredictUnivariateWithX-predict]",
]


@pytest.mark.slow
def test_sktime_check_estimator_rnn_fit_predict_update_pickle():
    forecaster = to_sktime(RNNForecaster(units=2, seq_length=3, epochs=1, random_state=0))
    results = check_estimator(forecaster, fixtures_to_run=_RNN_FIXTURES, verbose=False)
    assert set(results) == set(_RNN_FIXTURES)
    _assert_all_passed(results)


def test_is_an_sktime_forecaster_with_tags_from_the_estimator():
    naive = to_sktime(NaiveSeasonal(season_length=7))
    assert isinstance(naive, SktimeBaseForecaster)
    assert naive.get_tag("requires-fh-in-fit") is False
    assert naive.get_tag("capability:insample") is False
    assert naive.get_tag("capability:multivariate") is True
    assert naive.get_tag("capability:pred_int") is True
    rnn = to_sktime(RNNForecaster())
    assert rnn.get_tag("capability:pred_int") is False
    pipeline = to_sktime(make_pipeline(StandardScaler(), SARIMAEstimator()))
    assert pipeline.get_tag("capability:pred_int") is False


def test_forecasts_equal_the_skts_estimator_by_timestamp(rail):
    model = SARIMAEstimator(p=1, D=1, season_length=7)
    forecaster = to_sktime(model).fit(rail[:60])
    y_pred = forecaster.predict(fh=[1, 3, 10])
    expected = model.fit(None, rail[:60].to_numpy()).predict(np.empty((10, 0)))[[0, 2, 9]]
    np.testing.assert_allclose(y_pred.to_numpy(), expected, rtol=1e-10)
    assert list(y_pred.index) == list(rail.index[[60, 62, 69]])
    assert y_pred.name == "rail"
    with pytest.raises(NotImplementedError, match="in-sample"):
        forecaster.predict(fh=[-1, 1])


def test_update_without_params_conditions_like_skts_update(rail):
    model = NaiveSeasonal(season_length=7)
    forecaster = to_sktime(model).fit(rail[:50])
    forecaster.update(rail[50:55], update_params=False)
    fitted = model.fit(None, rail[:50].to_numpy()).update(None, rail[50:55].to_numpy())
    np.testing.assert_array_equal(
        forecaster.predict(fh=np.arange(1, 8)).to_numpy(), fitted.predict(np.empty((7, 0)))
    )
    assert forecaster.cutoff[0] == rail.index[54]


def test_intervals_are_the_skts_quantiles(rail):
    model = SARIMAEstimator(p=1, D=1, season_length=7)
    forecaster = to_sktime(model).fit(rail[:60])
    interval = forecaster.predict_interval(fh=[1, 2], coverage=0.8)
    expected = model.fit(None, rail[:60].to_numpy()).predict_quantiles(np.empty((2, 0)), quantiles=[0.1, 0.9])
    np.testing.assert_allclose(interval.to_numpy(), np.asarray(expected), rtol=1e-10)
    assert (interval.iloc[:, 0] < forecaster.predict(fh=[1, 2])).all()


def test_covariates_are_taken_by_timestamp_and_required(rail):
    X = pd.DataFrame({"weekend": (rail.index.dayofweek >= 5).astype(float)}, index=rail.index)
    model = SARIMAEstimator(p=1)
    forecaster = to_sktime(model).fit(rail[:60], X=X[:60])
    y_pred = forecaster.predict(fh=[2, 4], X=X[60:])
    expected = model.fit(X[:60].to_numpy(), rail[:60].to_numpy()).predict(X[60:64].to_numpy())[[1, 3]]
    np.testing.assert_allclose(y_pred.to_numpy(), expected, rtol=1e-10)
    with pytest.raises(ValueError, match="covariates"):
        forecaster.predict(fh=[1], X=None)


def test_pipeline_and_transformed_target_regressor(rail):
    X = pd.DataFrame({"trend": np.arange(70.0)}, index=rail.index)
    pipeline = make_pipeline(StandardScaler(), SARIMAEstimator(p=1))
    y_pred = to_sktime(pipeline).fit(rail[:60], X=X[:60]).predict(fh=[1, 2], X=X[60:])
    expected = pipeline.fit(X[:60].to_numpy(), rail[:60].to_numpy()).predict(X[60:62].to_numpy())
    np.testing.assert_allclose(y_pred.to_numpy(), expected, rtol=1e-10)

    ttr = TransformedTargetRegressor(NaiveSeasonal(season_length=7), func=np.log, inverse_func=np.exp)
    forecaster = to_sktime(ttr).fit(rail[:60])
    np.testing.assert_allclose(forecaster.predict(fh=[1, 7]).to_numpy(), rail.iloc[[53, 59]].to_numpy())
    # No update method: sktime's update refits on the whole history.
    forecaster.update(rail[60:63], update_params=False)
    np.testing.assert_allclose(forecaster.predict(fh=[1]).to_numpy(), rail.iloc[[56]].to_numpy())


def test_evaluate_update_strategy_matches_skts_backtest(rail):
    from skts.model_selection import backtest

    cv = ExpandingWindowSplitter(fh=[1, 2], initial_window=56, step_length=1)
    result = evaluate(
        to_sktime(NaiveSeasonal(season_length=7)), cv, rail, strategy="no-update_params", return_data=True
    )
    sktime_errors = np.concatenate([(t - p).to_numpy() for t, p in zip(result.y_test, result.y_pred)])
    frame = backtest(NaiveSeasonal(season_length=7), None, rail.to_numpy(), start=56, horizon=2)
    np.testing.assert_allclose(np.abs(sktime_errors), np.abs(frame.actual - frame.forecast).to_numpy())


def test_grid_search_and_sktime_compositions(rail):
    cv = ExpandingWindowSplitter(fh=[1, 2, 3], initial_window=49, step_length=7)
    search = ForecastingGridSearchCV(
        to_sktime(NaiveSeasonal()), cv, {"estimator__season_length": [1, 7]}
    ).fit(rail)
    assert search.best_params_ == {"estimator__season_length": 7}

    naive = to_sktime(NaiveSeasonal(season_length=7))
    squared = TransformedTargetForecaster([("square", ExponentTransformer(2)), ("naive", naive)])
    np.testing.assert_allclose(squared.fit(rail[:60]).predict(fh=[1]).to_numpy(), rail.iloc[[53]].to_numpy())

    X = pd.DataFrame({"trend": np.arange(70.0)}, index=rail.index)
    piped = ForecastingPipeline([("square", ExponentTransformer(2)), ("sarima", to_sktime(SARIMAEstimator(p=1)))])
    y_pred = piped.fit(rail[:60], X=X[:60]).predict(fh=[1, 2], X=X[60:])
    expected = SARIMAEstimator(p=1).fit(X[:60].to_numpy() ** 2, rail[:60].to_numpy()).predict(X[60:62].to_numpy() ** 2)
    np.testing.assert_allclose(y_pred.to_numpy(), expected, rtol=1e-10)


def test_multivariate_y_keeps_its_columns(rail):
    y = pd.DataFrame({"bus": rail * 2, "rail": rail})
    y_pred = to_sktime(NaiveSeasonal(season_length=7)).fit(y[:60]).predict(fh=[1, 2])
    assert list(y_pred.columns) == ["bus", "rail"]
    np.testing.assert_array_equal(y_pred.to_numpy(), y.iloc[53:55].to_numpy())


def test_estimator_is_not_modified_and_params_nest(rail):
    model = NaiveSeasonal(season_length=7)
    forecaster = to_sktime(model).fit(rail[:60])
    assert not hasattr(model, "y_")
    assert forecaster.get_params()["estimator__season_length"] == 7
    forecaster.set_params(estimator__season_length=1)
    assert forecaster.estimator.season_length == 1


def test_skts_transformed_target_forecaster_keeps_update_and_intervals(rail):
    from skts.compose import TransformedTargetForecaster
    from skts.preprocessing import LogTransformer

    def make():
        return TransformedTargetForecaster(SARIMAEstimator(p=1, D=1, season_length=7), transformer=LogTransformer())

    forecaster = to_sktime(make()).fit(rail[:60])
    assert forecaster.get_tag("capability:pred_int") is True
    forecaster.update(rail[60:62], update_params=False)
    reference = make().fit(None, rail[:60].to_numpy()).update(None, rail[60:62].to_numpy())
    expected = reference.predict(np.empty((2, 0)))
    np.testing.assert_allclose(forecaster.predict(fh=[1, 2]).to_numpy(), expected, rtol=1e-10)
    interval = forecaster.predict_interval(fh=[1], coverage=0.9).to_numpy()
    expected = np.asarray(reference.predict_interval(np.empty((1, 0)), coverage=0.9))
    np.testing.assert_allclose(interval, expected, rtol=1e-10)
