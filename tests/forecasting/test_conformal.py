"""ConformalForecaster: calibration by hand, coverage on a long AR(1), wrapping anything, clear errors."""

import math
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skts.forecasting import NaiveSeasonal
from skts.forecasting import ReductionForecaster
from skts.forecasting import SARIMAEstimator
from skts.forecasting import ConformalForecaster
from skts.metrics import neg_interval_score, neg_pinball_loss
from skts.model_selection import backtest, backtest_errors

# A short series whose naive forecast errors are easy to list by hand.
Y = np.array([5.0, 7.0, 6.0, 9.0, 4.0, 8.0, 10.0, 3.0, 6.0, 11.0, 7.0, 2.0, 9.0, 12.0, 5.0, 8.0, 6.0, 10.0])
E = np.empty((len(Y), 0))


def _ar1(n, phi=0.7, seed=0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n)
    noise = rng.normal(size=n)
    for t in range(1, n):
        y[t] = phi * y[t - 1] + noise[t]
    return y


def test_calibration_residuals_and_quantiles_by_hand():
    # Naive (last value) forecaster, last 10 rows held out, 2 steps: origins 0..8.
    model = ConformalForecaster(NaiveSeasonal(), calibration_size=10, calibration_horizon=2).fit(E, Y)
    cut = len(Y) - 10
    expected = np.array([[Y[cut + j] - Y[cut + j - 1], Y[cut + j + 1] - Y[cut + j - 1]] for j in range(9)])
    assert_allclose(model.residuals_[:, :, 0], expected)

    # absolute: 80% half-width = ceil((9 + 1) * 0.8) = 8th smallest |error|, per step.
    frame = model.predict_interval(np.empty((2, 0)), coverage=0.8)
    half = np.sort(np.abs(expected), axis=0)[math.ceil(10 * 0.8) - 1]
    assert_allclose(frame["lower"], Y[-1] - half)
    assert_allclose(frame["upper"], Y[-1] + half)

    # signed: 60% from the floor(10 * 0.2) = 2nd and ceil(10 * 0.8) = 8th smallest errors.
    signed = clone(model).set_params(method="signed").fit(E, Y)
    frame = signed.predict_interval(np.empty((2, 0)), coverage=0.6)
    ordered = np.sort(expected, axis=0)
    assert_allclose(frame["lower"], Y[-1] + ordered[1])
    assert_allclose(frame["upper"], Y[-1] + ordered[7])
    # Quantile 0.5 of the signed errors: the ceil(10 * 0.5) = 5th smallest.
    assert_allclose(signed.predict_quantiles(np.empty((2, 0)), [0.5])[0.5], Y[-1] + ordered[4])


def test_residuals_are_those_of_a_no_refit_backtest():
    y = _ar1(200)
    X = np.empty((200, 0))
    model = ConformalForecaster(SARIMAEstimator(p=1), calibration_size=50, calibration_horizon=3).fit(X, y)
    frame = backtest(SARIMAEstimator(p=1), X, y, start=150, horizon=3)
    errors = (frame["actual"] - frame["forecast"]).to_numpy().reshape(-1, 3)
    assert_allclose(model.residuals_[:, :, 0], errors, atol=1e-10)


def test_point_forecast_is_the_forecasters_own():
    y = _ar1(200)
    X = np.empty((200, 0))
    split = ConformalForecaster(SARIMAEstimator(p=1), calibration_size=50).fit(X, y)
    inner = SARIMAEstimator(p=1).fit(X[:150], y[:150]).update(X[150:], y[150:])
    assert_allclose(split.predict(np.empty((3, 0))), inner.predict(np.empty((3, 0))))
    refit = ConformalForecaster(SARIMAEstimator(p=1), calibration_size=50, refit=True).fit(X, y)
    full = SARIMAEstimator(p=1).fit(X, y)
    assert_allclose(refit.predict(np.empty((3, 0))), full.predict(np.empty((3, 0))))
    assert_allclose(refit.residuals_, split.residuals_)


def test_native_method_passes_the_forecasters_distribution_through():
    y = _ar1(120)
    X = np.empty((120, 0))
    native = ConformalForecaster(SARIMAEstimator(p=1), method="native").fit(X, y)
    direct = SARIMAEstimator(p=1).fit(X, y)
    assert_allclose(native.predict_interval(np.empty((3, 0))), direct.predict_interval(np.empty((3, 0))))
    with pytest.raises(ValueError, match="method='absolute' or 'signed'"):
        ConformalForecaster(ReductionForecaster(LinearRegression(), seq_length=3), method="native").fit(X, y)


@pytest.mark.parametrize("method", ["absolute", "signed"])
def test_coverage_on_a_long_ar1_is_within_sampling_error(method):
    # Reduction on AR(1), calibrated on 400 rows, judged on 3000 one-step forecasts.
    y = _ar1(4000, seed=1)
    X = np.empty((4000, 0))
    model = ConformalForecaster(
        ReductionForecaster(LinearRegression(), seq_length=2), method=method, calibration_size=400
    )
    frame = backtest(model, X, y, start=1000, coverage=[0.8, 0.95])
    errors = backtest_errors(frame, ["coverage"], by=None)
    n = len(frame)
    for coverage in (0.8, 0.95):
        # Exact conformal coverage is between c and c + 1/(n_cal + 1); 4 standard errors of sampling noise.
        tolerance = 4 * math.sqrt(coverage * (1 - coverage) / n) + 1 / 400
        assert abs(errors[f"coverage_{100 * coverage:g}"] - coverage) < tolerance


def test_sarima_native_coverage_on_a_long_ar1():
    y = _ar1(3000, seed=2)
    frame = backtest(SARIMAEstimator(p=1), None, y, start=1000, horizon=2, coverage=0.9)
    errors = backtest_errors(frame, ["coverage"])
    tolerance = 4 * math.sqrt(0.9 * 0.1 / 2000)
    assert (np.abs(errors["coverage"] - 0.9) < tolerance).all()


class _NoUpdate(RegressorMixin, BaseEstimator):
    """A forecaster without update: the mean of its history."""

    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def test_forecaster_without_update_needs_refit_and_is_refitted_per_origin():
    with pytest.raises(ValueError, match="refit=True"):
        ConformalForecaster(_NoUpdate(), calibration_size=5).fit(E, Y)
    model = ConformalForecaster(_NoUpdate(), calibration_size=5, calibration_horizon=2, refit=True).fit(E, Y)
    cut = len(Y) - 5
    expected = [[Y[cut + j] - Y[: cut + j].mean(), Y[cut + j + 1] - Y[: cut + j].mean()] for j in range(4)]
    assert_allclose(model.residuals_[:, :, 0], expected)
    assert_allclose(model.predict(np.empty((1, 0))), [Y.mean()])


def test_pandas_labels_multi_target_and_gaps():
    dates = pd.date_range("2022-01-01", periods=120, freq="D")
    y = pd.DataFrame({"rail": _ar1(120, seed=3) + 10, "bus": _ar1(120, seed=4)}, index=dates)
    X = pd.DataFrame(index=dates)
    model = ConformalForecaster(NaiveSeasonal(), calibration_size=40, calibration_horizon=4).fit(X.iloc[:100], y.iloc[:100])
    assert model.residuals_.shape == (37, 4, 2)
    frame = model.predict_interval(X.iloc[100:104], coverage=[0.5, 0.9])
    assert frame.columns.names == ["target", "coverage", "bound"]
    assert frame.index.equals(dates[100:104])
    gap = model.predict_interval(X.iloc[[101, 103]], coverage=[0.5, 0.9])
    assert_allclose(gap.to_numpy(), frame.iloc[[1, 3]].to_numpy())
    forecast = model.forecast(4, coverage=0.9)
    assert forecast.index.equals(dates[100:104])
    assert list(forecast.columns.get_level_values(0).unique()) == ["rail", "bus"]
    with pytest.raises(ValueError, match="horizon=4"):
        model.predict_interval(X.iloc[100:105])
    model.update(X.iloc[100:102], y.iloc[100:102])
    assert model.forecast(2, coverage=0.9).index.equals(dates[102:104])


@pytest.mark.parametrize(
    ("params", "n", "match"),
    [
        (dict(calibration_size=2, calibration_horizon=3), 50, "needs at least 3"),
        (dict(calibration_size=50), 50, "no rows are left to fit"),
        (dict(calibration_size=0.01, calibration_horizon=2), 50, "gives 0 calibration row"),
        (dict(calibration_size=30), 32, "could not fit"),
        (dict(method="conformal"), 50, "method"),
        (dict(calibration_size=1.5), 50, "calibration_size"),
    ],
)
def test_too_little_history_and_bad_parameters_are_clear_errors(params, n, match):
    model = ConformalForecaster(ReductionForecaster(LinearRegression(), seq_length=3), **params)
    with pytest.raises(ValueError, match=match):
        model.fit(np.empty((n, 0)), _ar1(n))


def test_too_few_residuals_for_a_coverage_names_the_calibration_needed():
    model = ConformalForecaster(NaiveSeasonal(), calibration_size=10).fit(E, Y)  # 10 residuals
    model.predict_interval(np.empty((1, 0)), coverage=0.9)  # ceil(11 * 0.9) = 10: just enough
    with pytest.raises(ValueError, match="needs at least 19 out-of-sample residuals.*has 10.*by 9 row"):
        model.predict_interval(np.empty((1, 0)), coverage=0.95)


def test_rolling_methods_leave_the_forecaster_unchanged_and_match_predict():
    y = _ar1(160)
    X = np.empty((160, 0))
    model = ConformalForecaster(ReductionForecaster(LinearRegression(), seq_length=3), calibration_size=40, calibration_horizon=2)
    model.fit(X[:120], y[:120])
    before = model.predict_interval(np.empty((2, 0)))
    values, points = model.predict_rolling_quantiles(
        X[120:], y[120:], horizon=2, quantiles=[0.05, 0.95], return_forecasts=True
    )
    assert values.shape == (39, 2, 2) and points.shape == (39, 2)
    assert_allclose(values[0], before.to_numpy())
    assert_allclose(model.predict_interval(np.empty((2, 0))), before)


def test_pickle_and_joblib_round_trip_keep_intervals(tmp_path):
    y = _ar1(120)
    model = ConformalForecaster(SARIMAEstimator(p=1), calibration_size=30, calibration_horizon=2).fit(None, y)
    expected = model.predict_interval(np.empty((2, 0)), coverage=[0.8, 0.9])
    assert_array_equal(
        pickle.loads(pickle.dumps(model)).predict_interval(np.empty((2, 0)), coverage=[0.8, 0.9]), expected
    )
    joblib.dump(model, tmp_path / "conformal.joblib")
    assert_array_equal(
        joblib.load(tmp_path / "conformal.joblib").predict_interval(np.empty((2, 0)), coverage=[0.8, 0.9]), expected
    )


def test_grid_search_tunes_method_and_calibration_size_with_interval_scorers():
    y = _ar1(300)
    X = np.empty((300, 0))
    grid = GridSearchCV(
        ConformalForecaster(ReductionForecaster(LinearRegression(), seq_length=2), calibration_horizon=5),
        {"method": ["absolute", "signed"], "calibration_size": [40, 80]},
        cv=TimeSeriesSplit(n_splits=2, test_size=5),
        scoring={"interval": neg_interval_score, "pinball": neg_pinball_loss},
        refit="interval",
    )
    grid.fit(X, y)
    scores = grid.cv_results_["mean_test_interval"]
    assert np.isfinite(scores).all() and (scores < 0).all()
    assert np.isfinite(grid.cv_results_["mean_test_pinball"]).all()
    assert grid.best_params_["calibration_size"] in (40, 80)


def test_wraps_a_transformed_target_forecaster():
    from skts.compose import TransformedTargetForecaster
    from skts.preprocessing import LogTransformer

    y = np.exp(_ar1(150, seed=5) / 5 + 3)
    X = np.empty((150, 0))
    inner = TransformedTargetForecaster(SARIMAEstimator(p=1), transformer=LogTransformer())
    model = ConformalForecaster(inner, calibration_size=40, calibration_horizon=2).fit(X, y)
    frame = backtest(inner, X, y, start=110, horizon=2)
    assert_allclose(
        model.residuals_[:, :, 0], (frame["actual"] - frame["forecast"]).to_numpy().reshape(-1, 2), atol=1e-8
    )
    intervals = model.predict_interval(np.empty((2, 0)), coverage=0.8)
    point = model.predict(np.empty((2, 0)))
    assert (intervals["lower"] < point).all() and (point < intervals["upper"]).all()


def test_holdout_calibration_uses_the_early_stopping_windows():
    from skts.neural import RNNForecaster

    y = np.sin(np.arange(120) / 3) + np.random.default_rng(6).normal(scale=0.1, size=120)
    X = np.empty((120, 0))
    rnn = RNNForecaster(units=3, seq_length=7, output_length=3, epochs=2, patience=1, random_state=0)
    model = ConformalForecaster(rnn, calibration="holdout", calibration_horizon=2).fit(X, y)
    direct = clone(rnn).fit(X, y)
    # The last 11 of 111 windows; window i forecasts rows i + 7 .. i + 9 from the 7 rows before.
    assert model.forecaster_.holdout_residuals_.shape == (11, 3, 1)
    assert_allclose(model.residuals_, direct.holdout_residuals_[:, :2], atol=1e-5)
    assert_allclose(model.predict(np.empty((2, 0))), direct.predict(np.empty((2, 0))), atol=1e-5)
    half = np.sort(np.abs(model.residuals_[:, 0, 0]))[math.ceil(12 * 0.5) - 1]
    frame = model.predict_interval(np.empty((1, 0)), coverage=0.5)
    assert_allclose(frame["upper"] - frame["lower"], 2 * half, atol=1e-5)
    with pytest.raises(ValueError, match="patience"):
        ConformalForecaster(clone(rnn).set_params(patience=None), calibration="holdout").fit(X, y)
    with pytest.raises(ValueError, match="at least 4"):
        ConformalForecaster(rnn, calibration="holdout", calibration_horizon=4).fit(X, y)


def test_fitted_on_dates_predicted_on_integer_labels_is_the_base_error():
    dates = pd.date_range("2022-01-01", periods=80, freq="D")
    y = pd.Series(_ar1(80, seed=5), index=dates)
    model = ConformalForecaster(NaiveSeasonal(), calibration_size=20).fit(None, y)
    with pytest.raises(ValueError, match="labelled by a integer index but the history by a DatetimeIndex"):
        model.predict_interval(pd.DataFrame(index=[80]))
    with pytest.raises(ValueError, match="labelled by a integer index but the history by a DatetimeIndex"):
        model.predict(pd.DataFrame(index=[80]))
