"""The forecasting contract under scikit-learn's own tools.

Integer pandas labels are time steps, a history must be contiguous, a
fitted model owns its data, failed calls change nothing, and
``predict_rolling`` equals ``predict``/``update`` per origin without
changing the forecaster.
"""

import copy
import threading
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, KFold, TimeSeriesSplit, cross_val_score

from skts.forecasting import NaiveSeasonal
from skts.forecasting import ReductionForecaster
from skts.neural import RNNForecaster
from skts.forecasting import SARIMAEstimator
from skts.neural import WaveNetForecaster

rng = np.random.default_rng(0)
N = 120
VALUES = 100 + 10 * np.sin(np.arange(N) * 2 * np.pi / 7) + rng.normal(size=N)
DAYS = pd.date_range("2020-01-01", periods=N, freq="D")

FORECASTERS = {
    "naive": lambda: NaiveSeasonal(season_length=7),
    "sarima": lambda: SARIMAEstimator(p=1, D=1, Q=1, season_length=7),
    "reduction": lambda: ReductionForecaster(LinearRegression(), seq_length=7),
    "rnn": lambda: RNNForecaster(units=2, seq_length=7, epochs=1, random_state=0),
    "wavenet": lambda: WaveNetForecaster(filters=2, dilations=(1, 2), n_blocks=1, seq_length=7, epochs=1, random_state=0),
}


@pytest.mark.parametrize("name", ["naive", "sarima", "reduction"])
def test_gap_folds_score_the_same_on_integer_and_daily_labels(name):
    cv = TimeSeriesSplit(n_splits=5, test_size=7, gap=3)
    scores = []
    for index in (pd.RangeIndex(N), DAYS):
        y = pd.Series(VALUES, index=index)
        scores.append(
            cross_val_score(FORECASTERS[name](), pd.DataFrame(index=index), y, cv=cv, scoring="neg_mean_absolute_error")
        )
    assert_allclose(scores[0], scores[1], rtol=1e-10)
    # The gap is honoured: forecasting steps 4..10 of each fold, by hand for the naive.
    if name == "naive":
        expected = []
        for train, test in cv.split(VALUES):
            season = VALUES[train][-7:]
            steps = test - train[-1] - 1
            expected.append(-np.abs(VALUES[test] - season[steps % 7]).mean())
        assert_allclose(scores[0], expected, rtol=1e-12)


def test_numpy_rows_follow_the_history_like_gapless_pandas_folds():
    cv = TimeSeriesSplit(n_splits=5, test_size=7)
    numpy_scores = cross_val_score(
        NaiveSeasonal(season_length=7), np.empty((N, 0)), VALUES, cv=cv, scoring="neg_mean_absolute_error"
    )
    y = pd.Series(VALUES)
    pandas_scores = cross_val_score(
        NaiveSeasonal(season_length=7), pd.DataFrame(index=y.index), y, cv=cv, scoring="neg_mean_absolute_error"
    )
    assert_array_equal(numpy_scores, pandas_scores)


def test_default_kfold_grid_search_reports_the_time_order_errors():
    y = pd.Series(VALUES)
    X = pd.DataFrame(index=y.index)
    with pytest.raises(ValueError, match="TimeSeriesSplit"):
        GridSearchCV(SARIMAEstimator(), {"p": [0, 1]}, error_score="raise").fit(X, y)
    # With scikit-learn's default error_score, every fold that is not a
    # forecast of the future is a failed fit or score, with skts' message.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search = GridSearchCV(SARIMAEstimator(), {"p": [0, 1]}).fit(X, y)
    failures = " ".join(str(w.message) for w in caught if issubclass(w.category, FitFailedWarning))
    assert "The history is not contiguous" in failures and "TimeSeriesSplit" in failures
    assert np.isnan(search.cv_results_["mean_test_score"]).all()


def test_kfold_training_fold_is_refused_with_dates():
    y = pd.Series(VALUES, index=DAYS)
    train, _ = list(KFold(n_splits=5).split(VALUES))[2]
    with pytest.raises(ValueError, match="not contiguous.*TimeSeriesSplit"):
        NaiveSeasonal(season_length=7).fit(None, y.iloc[train])


@pytest.mark.parametrize("name", list(FORECASTERS))
@pytest.mark.parametrize("container", ["ndarray", "series"])
def test_editing_the_callers_data_after_fit_and_update_changes_no_forecast(name, container):
    values = VALUES.copy()
    covariates = rng.normal(size=(N, 1))
    if container == "series":
        # copy=False: the containers share the caller's memory on every
        # pandas release, so the edits below reach them.
        y = pd.Series(values, index=DAYS, copy=False)
        X = pd.DataFrame(covariates, index=DAYS, columns=["c"], copy=False)
        assert np.shares_memory(y.to_numpy(), values) and np.shares_memory(X.to_numpy(), covariates)
        # The future rows are the forecast's input, not kept data: a copy.
        future = X.iloc[100:103].copy()
    else:
        y, X, future = values, covariates, covariates[100:103].copy()
    model = FORECASTERS[name]().fit(X[:90] if container == "ndarray" else X.iloc[:90], y[:90] if container == "ndarray" else y.iloc[:90])
    if container == "ndarray":
        model.update(X[90:100], y[90:100])
    else:
        model.update(X.iloc[90:100], y.iloc[90:100])
    before = model.predict(future)
    # In place, on the caller's objects.
    values[:] = -1e6
    covariates[:] = 1e6
    assert_array_equal(model.predict(future), before)


@pytest.mark.parametrize("name", ["naive", "sarima", "reduction"])
def test_a_refused_update_changes_nothing(name):
    y = pd.Series(VALUES, index=DAYS)
    model = FORECASTERS[name]().fit(None, y.iloc[:100])
    state = copy.deepcopy({key: value for key, value in vars(model).items() if key != "results_"})
    before = model.predict(pd.DataFrame(index=DAYS[100:103]))
    with pytest.raises(ValueError, match="immediately follow"):
        model.update(None, y.iloc[101:105])
    with pytest.raises(ValueError, match="target columns"):
        model.update(None, np.ones((3, 2)))
    assert_array_equal(model.predict(pd.DataFrame(index=DAYS[100:103])), before)
    for key, value in state.items():
        if isinstance(value, np.ndarray):
            assert_array_equal(getattr(model, key), value)


@pytest.mark.parametrize("name", list(FORECASTERS))
@pytest.mark.parametrize("horizon, step", [(1, 1), (3, 2)])
def test_predict_rolling_equals_per_origin_predict_update_and_changes_nothing(name, horizon, step):
    y = pd.Series(VALUES, index=DAYS)
    model = FORECASTERS[name]().fit(None, y.iloc[:100])
    reference = copy.deepcopy(model)
    rolled = model.predict_rolling(None, y.iloc[100:112], horizon=horizon, stride=step)
    expected, seen = [], 100
    for origin in range(100, 112 - horizon + 1, step):
        if origin > seen:
            reference.update(None, y.iloc[seen:origin])
            seen = origin
        expected.append(reference.predict(pd.DataFrame(index=DAYS[origin : origin + horizon])))
    # Neural forecasts are float32 network outputs: the batched call pads to
    # whole SIMD blocks, so on one machine they match to float32 rounding.
    assert_allclose(rolled, expected, rtol=1e-5 if name in ("rnn", "wavenet") else 1e-9)
    assert len(model.y_) == 100 and model.index_[-1] == DAYS[99]


def test_integer_labels_continue_in_forecast_and_update():
    y = pd.Series(VALUES[:100], index=np.arange(100) + 2000)
    model = NaiveSeasonal(season_length=7).fit(None, y)
    forecast = model.forecast(3)
    assert_array_equal(forecast.index, [2100, 2101, 2102])
    model.update(None, pd.Series(VALUES[100:102], index=[2100, 2101]))
    assert model.index_[-1] == 2101
    with pytest.raises(ValueError, match="immediately follow"):
        model.update(None, pd.Series([1.0], index=[2105]))


def test_forecast_labels_values_with_the_steps_they_forecast():
    y = pd.Series(VALUES[:100], index=DAYS[:100])
    model = NaiveSeasonal(season_length=7).fit(None, y)
    # X for days 10-12 after the end: refused by forecast, aligned by predict.
    later = pd.DataFrame(index=DAYS[109:112])
    with pytest.raises(ValueError, match="next 3 steps"):
        model.forecast(3, X=later)
    assert_array_equal(model.predict(later), model.forecast(12).to_numpy()[9:])
    assert_array_equal(model.forecast(3, X=pd.DataFrame(index=DAYS[100:103])).index, DAYS[100:103])


def test_history_labels_are_not_shared_with_the_caller():
    y = pd.Series(VALUES[:100], index=DAYS[:100])
    model = SARIMAEstimator(p=1).fit(None, y)
    y.iloc[:] = 0.0
    assert model.y_[:, 0].max() > 50


def test_threads_sharing_one_pandas_index_fit_and_predict_without_spurious_errors():
    # pandas computes is_unique and is_monotonic_increasing lazily in a cache
    # that threads share without a lock, so concurrent first reads of one
    # index can see it as non-unique (MultiOutputRegressor(n_jobs=2) in the
    # threading backend failed so in CI). Every trial starts on a new index.
    failures = []

    def fit_and_predict(X, y, future, barrier):
        barrier.wait()
        try:
            NaiveSeasonal(season_length=7).fit(X, y).predict(future)
        except Exception as error:  # noqa: BLE001 - any error fails the test below
            failures.append(repr(error))

    for _ in range(300):
        days = pd.date_range("2024-01-01", periods=30, freq="D")
        y = pd.Series(VALUES[:30], index=days)
        X = pd.DataFrame(index=days)
        future = pd.DataFrame(index=pd.date_range("2024-01-31", periods=3, freq="D"))
        barrier = threading.Barrier(4)
        threads = [threading.Thread(target=fit_and_predict, args=(X, y, future, barrier)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []


def test_a_missing_month_names_the_gap_and_the_monthly_frequency():
    months = pd.date_range("2020-01-01", periods=36, freq="MS")
    y = pd.Series(np.arange(36.0), index=months).drop(months[13])
    with pytest.raises(ValueError, match=r"missing between 2021-01-01.* and 2021-03-01.*y.asfreq\('MS'\)") as info:
        NaiveSeasonal(season_length=12).fit(None, y)
    assert "asfreq('D')" not in str(info.value)


def test_text_labels_on_y_are_reported_as_y():
    y = pd.Series(np.arange(10.0), index=[f"t{i}" for i in range(10)])
    with pytest.raises(ValueError, match="^y of the history is indexed by text labels"):
        NaiveSeasonal().fit(None, y)


@pytest.mark.parametrize("dates", [["2024-01-0%d" % d for d in range(1, 9)], pd.date_range("2024-01-01", periods=8)])
def test_a_date_column_is_told_to_become_the_index(dates):
    X = pd.DataFrame({"date": dates, "promo": np.arange(8.0)})
    with pytest.raises(ValueError, match=r"hold dates.*make the dates the index.*set_index") as info:
        NaiveSeasonal().fit(X, np.arange(8.0))
    assert "get_dummies" not in str(info.value)
