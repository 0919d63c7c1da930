"""backtest equals the hand-written rolling-origin loops it replaces."""

import warnings

import numpy as np
import pandas as pd
import pytest
from joblib import parallel_config
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from skts.preprocessing import Differencer
from skts.forecasting import NaiveSeasonal
from skts.forecasting import SARIMAEstimator
from skts.model_selection import backtest, backtest_errors


def _series(n=40, n_targets=1, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    weekly = 10 * np.sin(2 * np.pi * t / 7)
    columns = [100 + weekly + 3 * k * t / n + rng.normal(scale=2, size=n) for k in range(n_targets)]
    return np.column_stack(columns) if n_targets > 1 else columns[0]


def _hand_loop(estimator, X, y, start, horizon, step, refit_every):
    """Fit, predict, update one origin at a time through the public API."""
    forecasts, origins = [], list(range(start, len(y) - horizon + 1, step))
    for i, origin in enumerate(origins):
        if refit_every == 0 and i == 0 or refit_every and i % refit_every == 0:
            model = clone(estimator).fit(X[:origin], y[:origin])
            seen = origin
        elif origin > seen:
            model.update(X[seen:origin], y[seen:origin])
            seen = origin
        forecasts.append(model.predict(X[origin : origin + horizon]))
    return np.array(origins), np.array(forecasts)


@pytest.mark.parametrize("refit", [True, False, 3])
@pytest.mark.parametrize("horizon, step", [(1, 1), (4, 1), (3, 2)])
def test_naive_matches_hand_loop(refit, horizon, step):
    y = _series()
    X = np.empty((len(y), 0))
    estimator = NaiveSeasonal(season_length=7)
    frame = backtest(estimator, X, y, start=14, horizon=horizon, stride=step, refit=refit)
    refit_every = {True: 1, False: 0}.get(refit, refit)
    origins, expected = _hand_loop(estimator, X, y, 14, horizon, step, refit_every)

    assert list(frame.columns) == ["origin", "timestamp", "step", "actual", "forecast"]
    assert len(frame) == len(origins) * horizon
    assert_allclose(frame["forecast"].to_numpy(), expected.ravel())
    assert_array_equal(frame["origin"].to_numpy(), np.repeat(origins - 1, horizon))
    assert_array_equal(frame["step"].to_numpy(), np.tile(np.arange(1, horizon + 1), len(origins)))
    rows = frame["timestamp"].to_numpy()
    assert_array_equal(rows, frame["origin"].to_numpy() + frame["step"].to_numpy())
    assert_array_equal(frame["actual"].to_numpy(), y[rows])
    # Only origins whose whole horizon is observed: the last forecast row is inside y.
    assert rows.max() <= len(y) - 1
    assert origins[-1] + step + horizon > len(y)


@pytest.mark.parametrize("refit, horizon", [(True, 1), (False, 1), (False, 3), (2, 3)])
def test_sarima_matches_hand_loop(refit, horizon):
    rng = np.random.default_rng(1)
    y = 10 + np.tile([0.0, 5.0, -5.0], 16) + rng.normal(size=48)
    X = np.empty((48, 0))
    estimator = SARIMAEstimator(p=1, D=1, Q=1, season_length=3)
    frame = backtest(estimator, X, y, start=42, horizon=horizon, refit=refit)
    refit_every = {True: 1, False: 0}.get(refit, refit)
    origins, expected = _hand_loop(estimator, X, y, 42, horizon, 1, refit_every)
    assert len(origins) == 7 - horizon
    assert_allclose(frame["forecast"].to_numpy(), expected.ravel(), rtol=1e-10)


def test_last_value_forecast_from_each_origin():
    # Independent of the estimator's own predict: naive "last value" repeats y[origin].
    y = _series(25)
    frame = backtest(NaiveSeasonal(), None, y, start=5, horizon=3, stride=4)
    assert_array_equal(frame["forecast"].to_numpy(), y[frame["origin"].to_numpy()])


class _CountingNaive(NaiveSeasonal):
    fits = []

    def _fit(self, y, X):
        type(self).fits.append(len(y))
        super()._fit(y, X)


@pytest.mark.parametrize("refit, expected", [(False, [10]), (True, list(range(10, 20))), (4, [10, 14, 18])])
def test_refit_schedule(refit, expected):
    _CountingNaive.fits = []
    y = _series(20)
    backtest(_CountingNaive(season_length=2), None, y, start=10, refit=refit)
    assert _CountingNaive.fits == expected


def test_pandas_in_timestamps_out():
    index = pd.date_range("2019-01-01", periods=40, freq="D")
    y = pd.Series(_series(), index=index, name="rail")
    X = pd.DataFrame(index=index)
    frame = backtest(NaiveSeasonal(season_length=7), X, y, start="2019-01-20", horizon=2, refit=False)

    assert frame["timestamp"].iloc[0] == pd.Timestamp("2019-01-20")
    assert frame["origin"].iloc[0] == pd.Timestamp("2019-01-19")
    assert frame["timestamp"].iloc[-1] == index[-1]
    assert_array_equal(frame["timestamp"], frame["origin"] + pd.to_timedelta(frame["step"], unit="D"))
    assert_array_equal(frame["actual"].to_numpy(), y.loc[frame["timestamp"]].to_numpy())
    positional = backtest(NaiveSeasonal(season_length=7), None, y.to_numpy(), start=19, horizon=2)
    assert_allclose(frame["forecast"], positional["forecast"])
    assert_array_equal(y.index, index)  # the input is untouched


def test_period_index_and_int_start_on_time_index():
    index = pd.period_range("2015-01", periods=30, freq="M")
    y = pd.Series(_series(30), index=index)
    by_period = backtest(NaiveSeasonal(season_length=12), None, y, start="2016-03", refit=True)
    by_position = backtest(NaiveSeasonal(season_length=12), None, y, start=14, refit=True)
    pd.testing.assert_frame_equal(by_period, by_position)
    assert by_period["timestamp"].iloc[0] == pd.Period("2016-03", freq="M")


def test_multi_target_matches_one_backtest_per_target():
    y = pd.DataFrame(_series(30, n_targets=2), columns=["bus", "rail"])
    frame = backtest(NaiveSeasonal(season_length=7), None, y, start=14, horizon=2, refit=False)
    assert list(frame.columns) == ["origin", "timestamp", "step", "target", "actual", "forecast"]
    for name in ["bus", "rail"]:
        single = backtest(NaiveSeasonal(season_length=7), None, y[name], start=14, horizon=2)
        part = frame[frame["target"] == name].reset_index(drop=True)
        assert_allclose(part["forecast"], single["forecast"])
        assert_allclose(part["actual"], single["actual"])


def test_metrics_and_per_step_errors():
    y = _series(40)
    frame = backtest(NaiveSeasonal(season_length=7), None, y, start=20, horizon=3, metrics=["mae", "mape", "smape"])
    error = frame["actual"] - frame["forecast"]
    scale = frame["actual"].abs() + frame["forecast"].abs()
    assert frame.attrs["scores"]["mae"] == pytest.approx(error.abs().mean())
    assert frame.attrs["scores"]["mape"] == pytest.approx((error / frame["actual"]).abs().mean())
    assert frame.attrs["scores"]["smape"] == pytest.approx((2 * error.abs() / scale).mean())

    def max_error(y_true, y_pred):
        return np.max(np.abs(y_true - y_pred))

    per_step = backtest_errors(frame, metrics=["rmse", max_error])
    assert list(per_step.index) == [1, 2, 3]
    for h in (1, 2, 3):
        e = error[frame["step"] == h]
        assert per_step.loc[h, "rmse"] == pytest.approx(np.sqrt((e**2).mean()))
        assert per_step.loc[h, "max_error"] == pytest.approx(e.abs().max())


def test_multi_target_scores_by_target():
    y = pd.DataFrame(_series(30, n_targets=2), columns=["bus", "rail"])
    frame = backtest(NaiveSeasonal(season_length=7), None, y, start=14, metrics="mae")
    for name in ["bus", "rail"]:
        part = frame[frame["target"] == name]
        expected = (part["actual"] - part["forecast"]).abs().mean()
        assert frame.attrs["scores"]["mae"][name] == pytest.approx(expected)
    assert backtest_errors(frame, by="step").index.names == ["target", "step"]


def test_wrapped_forecaster_through_fit_and_predict():
    y = _series(30)
    X = np.empty((30, 0))
    wrapped = TransformedTargetRegressor(regressor=NaiveSeasonal(season_length=7), func=np.log, inverse_func=np.exp)
    frame = backtest(wrapped, X, y, start=20, horizon=2, refit=True)
    _, expected = _hand_loop(wrapped, X, y, 20, 2, 1, 1)
    assert_allclose(frame["forecast"].to_numpy(), expected.ravel())
    with pytest.raises(ValueError, match="no update.*refit=True"):
        backtest(wrapped, X, y, start=20, refit=False)


def test_refit_true_is_time_series_split_cross_validation():
    y = _series(50)
    X = np.empty((50, 0))
    differenced = TransformedTargetRegressor(
        regressor=NaiveSeasonal(), transformer=Differencer(lag=7), check_inverse=False
    )
    frame = backtest(differenced, X, y, start=35, refit=True, metrics=["mae"])
    cv = TimeSeriesSplit(n_splits=15, test_size=1)
    scores = cross_val_score(differenced, X, y, cv=cv, scoring="neg_mean_absolute_error")
    assert frame.attrs["scores"]["mae"] == pytest.approx(-scores.mean(), rel=1e-12)


class _Delegating(RegressorMixin, BaseEstimator):
    """A forecaster outside the skts hierarchy, with its own update."""

    def __init__(self, season_length=1):
        self.season_length = season_length

    def fit(self, X, y):
        self.model_ = NaiveSeasonal(season_length=self.season_length).fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def update(self, X, y):
        self.model_.update(X, y)
        return self


@pytest.mark.parametrize("refit", [False, 2])
def test_plain_estimator_with_update(refit):
    y = _series(30)
    X = np.empty((30, 0))
    frame = backtest(_Delegating(season_length=7), X, y, start=15, horizon=2, refit=refit)
    expected = backtest(NaiveSeasonal(season_length=7), X, y, start=15, horizon=2, refit=refit)
    pd.testing.assert_frame_equal(frame, expected)


def test_parallel_segments_and_progress(capsys):
    y = _series(30)
    serial = backtest(NaiveSeasonal(season_length=7), None, y, start=20, refit=3)
    assert capsys.readouterr().err == ""
    # Threads keep the test fast; segments are joined in origin order either way.
    with parallel_config(backend="threading"):
        parallel = backtest(NaiveSeasonal(season_length=7), None, y, start=20, refit=3, n_jobs=2, verbose=10)
    pd.testing.assert_frame_equal(serial, parallel)
    assert "Parallel" in capsys.readouterr().err


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"start": 0}, "leaves no history"),
        ({"start": 40}, "after the end of y"),
        ({"start": 38, "horizon": 3}, "full horizon"),
        ({"start": 10, "horizon": 0}, "horizon must be a positive integer"),
        ({"start": 10, "stride": 0}, "stride must be a positive integer"),
        ({"start": 10, "refit": 0}, "refit must be True"),
        ({"start": 10, "refit": "yes"}, "refit must be True"),
        ({"start": "2019-01-01"}, "not an int position"),
        ({"start": 3}, "could not fit NaiveSeasonal on the 3 row.*full season"),
        ({"start": 10, "metrics": ["mad"]}, "Unknown metric 'mad'"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        backtest(NaiveSeasonal(season_length=7), None, _series(), **kwargs)


@pytest.mark.parametrize(
    "start, match",
    [
        ("2018-12-25", "leaves no history"),
        ("2019-01-01", "leaves no history"),
        ("2019-03-01", "after the end of y"),
        ("2019-01-10 12:00", "not a row of y"),
        ("not a date", "not a timestamp"),
    ],
)
def test_bad_timestamp_start(start, match):
    y = pd.Series(_series(), index=pd.date_range("2019-01-01", periods=40, freq="D"))
    with pytest.raises(ValueError, match=match):
        backtest(NaiveSeasonal(season_length=7), None, y, start=start)


def test_missing_actuals_and_mismatched_rows():
    y = _series()
    y_gap = y.copy()
    y_gap[25] = np.nan
    with pytest.raises(ValueError, match="NaN or inf at 25"):
        backtest(NaiveSeasonal(season_length=7), None, y_gap, start=20)
    with pytest.raises(ValueError, match="X has 39 rows and y has 40"):
        backtest(NaiveSeasonal(season_length=7), np.empty((39, 0)), y, start=20)


def test_backtest_errors_rejects_unknown_columns():
    frame = backtest(NaiveSeasonal(season_length=7), None, _series(), start=20)
    with pytest.raises(ValueError, match="Cannot group by"):
        backtest_errors(frame, by="horizon")
    with pytest.raises(ValueError, match="pass the DataFrame returned by backtest"):
        backtest_errors(frame.drop(columns="actual"))


def _monthly(n=72, seed=1):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 300 + 0.5 * t + 8 * np.sin(2 * np.pi * t / 12) + rng.normal(scale=0.5, size=n)


def test_mase_takes_the_season_of_the_forecaster_or_requires_one():
    from sklearn.linear_model import LinearRegression

    from skts.forecasting import ConformalForecaster, ReductionForecaster

    y = _monthly()
    frame = backtest(NaiveSeasonal(season_length=12), None, y, start=48, horizon=3, metrics=["mase"])
    assert frame.attrs["season_length"] == 12
    assert frame.attrs["scores"]["mase"] == pytest.approx(backtest_errors(frame, ["mase"], by=None, season_length=12)["mase"])
    assert frame.attrs["scores"]["mase"] != pytest.approx(backtest_errors(frame, ["mase"], by=None, season_length=1)["mase"])
    # A wrapped forecaster's season counts.
    wrapped = backtest(ConformalForecaster(NaiveSeasonal(season_length=12), calibration_size=12), None, y, start=48, metrics=["mase"])
    assert wrapped.attrs["season_length"] == 12
    reduction = ReductionForecaster(LinearRegression(), seq_length=12)
    with pytest.raises(ValueError, match="does not say its season.*pass season_length"):
        backtest(reduction, None, y, start=48, metrics=["mase"])
    given = backtest(reduction, None, y, start=48, metrics=["mase"], season_length=12)
    assert given.attrs["season_length"] == 12
    with pytest.raises(ValueError, match="pass season_length"):
        backtest_errors(backtest(reduction, None, y, start=48), ["mase"])


class _Unstable(NaiveSeasonal):
    """A seasonal naive forecaster whose every fit warns that it did not converge."""

    def fit(self, X, y):
        from sklearn.exceptions import ConvergenceWarning

        warnings.warn("the optimiser did not converge", ConvergenceWarning, stacklevel=2)
        return super().fit(X, y)


def test_convergence_warnings_of_a_backtest_are_summarised_once():
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = backtest(_Unstable(season_length=7), None, _series(), start=20, refit=True)
    convergence = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert len(convergence) == 1
    assert f"{frame['origin'].nunique()} convergence warning(s) in this backtest of 20 fit(s)" in str(convergence[0].message)


@pytest.mark.parametrize(
    "coverage, match",
    [
        ([0.9, 0.9000001], r"would share the column names \['lower_90'\]"),
        (1 - 1e-13, "too close to 1"),
    ],
)
def test_coverages_that_collide_or_reach_one_are_errors(coverage, match):
    model = NaiveSeasonal(season_length=7).fit(None, _series())
    with pytest.raises(ValueError, match=match):
        backtest(NaiveSeasonal(season_length=7), None, _series(), start=20, coverage=coverage)
    with pytest.raises(ValueError, match=match):
        model.forecast(2, coverage=coverage)
    # predict_interval is keyed by the exact coverage floats: no collision there.
    frame = model.predict_interval(np.empty((2, 0)), coverage=[0.9, 0.9000001])
    assert frame.shape == (2, 4)
