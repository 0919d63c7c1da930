"""SARIMAEstimator: equal to statsmodels' ARIMA, usable in scikit-learn's tools."""

import pickle
import subprocess
import sys
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning, NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from statsmodels.tsa.arima.model import ARIMA

from skts.forecasting import SARIMAEstimator
from skts.datasets import load_ridership

# The textbook's SARIMA(1, 0, 0)(0, 1, 1, 7) on the CTA rail series.
BOOK_ORDERS = dict(p=1, d=0, q=0, P=0, D=1, Q=1, season_length=7)


def _weekly_series(n=70, seed=0):
    """Level 100 + weekly pattern + AR(1) noise + an effect of two covariates."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.tile([0, 0, 0, 0, 0, 1, 1], n // 7 + 1)[:n], rng.normal(size=n)])
    noise = np.zeros(n)
    for t in range(1, n):
        noise[t] = 0.6 * noise[t - 1] + rng.normal()
    y = 100 + 3 * np.sin(2 * np.pi * np.arange(n) / 7) + X @ [-8.0, 2.0] + noise
    return X, y


@pytest.fixture(scope="module")
def rail():
    return load_ridership()["rail"]["2019-01":"2019-05"].astype(float)


def _raw(y, X, orders, at=None, **fit_kwargs):
    """statsmodels' own fit of SARIMAEstimator(**orders), or its results at the parameters ``at``."""
    o = {**dict(p=1, d=0, q=0, P=0, D=0, Q=0, season_length=1), **orders}
    seasonal = (o["P"], o["D"], o["Q"], o["season_length"]) if o["P"] + o["D"] + o["Q"] else (0, 0, 0, 0)
    trend = o.get("trend")
    with warnings.catch_warnings():
        # statsmodels' own notices are not what these tests check.
        warnings.simplefilter("ignore")
        model = ARIMA(y, exog=X, order=(o["p"], o["d"], o["q"]), seasonal_order=seasonal, trend=trend)
        return model.fit(**fit_kwargs) if at is None else model.smooth(at)


# The closed-form fit reaches statsmodels' maximum of the likelihood to this
# tolerance in log-likelihood (measured: within 2e-4 on 100 benchmark series).
LLF_TOLERANCE = 1e-3


def _assert_same_maximum(model, fitted):
    """model's parameters score statsmodels' likelihood as high as statsmodels' own fit."""
    at_model = fitted.model.loglike(model.params_)
    assert at_model >= fitted.llf - LLF_TOLERANCE, (at_model, fitted.llf)


# -- equal to statsmodels ----------------------------------------------------


@pytest.mark.parametrize(
    "orders, with_exog",
    [
        (dict(p=1), False),
        (dict(p=2, q=1), True),
        (dict(p=1, D=1, Q=1, season_length=7), False),
        (dict(p=1, d=1, P=1, season_length=7), True),
    ],
)
def test_fit_and_predict_equal_statsmodels(orders, with_exog):
    X, y = _weekly_series()
    X = X if with_exog else np.empty((len(y), 0))
    X_fit, X_new = X[:63], X[63:]
    model = SARIMAEstimator(**orders).fit(X_fit, y[:63])
    _assert_same_maximum(model, _raw(y[:63], X_fit if with_exog else None, orders))
    raw = _raw(y[:63], X_fit if with_exog else None, orders, at=model.params_)
    assert model.aic_ == pytest.approx(raw.aic, rel=1e-10)
    assert model.aicc_ == pytest.approx(raw.aicc, rel=1e-10)
    assert model.bic_ == pytest.approx(raw.bic, rel=1e-10)
    expected = raw.forecast(7, exog=X_new if with_exog else None)
    assert_allclose(model.predict(X_new), expected, rtol=1e-10)
    exog_names = [name for name in model.results_.param_names if name.startswith("x")]
    assert exog_names == (["x1", "x2"] if with_exog else [])


def test_trend_and_model_options_reach_statsmodels():
    X, y = _weekly_series()
    model = SARIMAEstimator(p=1, trend="ct", enforce_stationarity=False, concentrate_scale=True).fit(X, y)
    raw = ARIMA(y, exog=X, order=(1, 0, 0), trend="ct", enforce_stationarity=False, concentrate_scale=True).fit()
    assert model.results_.param_names == raw.param_names
    assert_allclose(model.params_, raw.params, rtol=1e-8)


def test_concentrated_fit_does_not_depend_on_the_units_of_y():
    # Notes: statsmodels' approximate diffuse prior (variance 1e6 in the
    # units of y) makes the default fit of a differenced model depend on
    # the units; relative to the error variance, the concentrated one does not.
    rng = np.random.default_rng(0)
    y = 5e5 + 1e5 * np.tile([0, 1, 1, 1, 1, -2, -3], 10) + np.cumsum(rng.normal(scale=2e4, size=70))
    forecasts = {}
    for concentrate_scale in (False, True):
        model = SARIMAEstimator(**BOOK_ORDERS, concentrate_scale=concentrate_scale)
        forecasts[concentrate_scale] = [
            unit * model.fit(None, y / unit).predict(np.empty((7, 0))) for unit in (1.0, 1e3, 1e6)
        ]
    riders, thousands, millions = forecasts[True]
    # Equal up to the optimiser's tolerance (measured: 6e-4 relative).
    assert_allclose(thousands, riders, rtol=3e-3)
    assert_allclose(millions, riders, rtol=3e-3)
    riders, thousands, _ = forecasts[False]
    assert np.max(np.abs(thousands - riders) / riders) > 0.02  # measured: 0.068


def test_update_equals_append_without_refit():
    X, y = _weekly_series()
    model = SARIMAEstimator(p=1, D=1, Q=1, season_length=7).fit(X[:50], y[:50])
    params = model.params_.copy()
    aic = model.aic_
    model.update(X[50:60], y[50:60])

    raw = _raw(y[:50], X[:50], BOOK_ORDERS, at=params).append(y[50:60], exog=X[50:60], refit=False)
    assert_array_equal(model.results_.params, params)
    assert model.aic_ == aic
    assert model.results_.nobs == 60
    assert_allclose(model.predict(X[60:]), raw.forecast(10, exog=X[60:]), rtol=1e-10)
    assert_array_equal(model.y_[:, 0], y[:60])


@pytest.mark.parametrize("horizon, step", [(1, 1), (1, 4), (7, 1), (7, 3), (12, 5)])
@pytest.mark.parametrize("with_covariates", [False, True])
@pytest.mark.parametrize("concentrate_scale", [False, True])
def test_predict_rolling_equals_predict_and_update_per_origin(horizon, step, with_covariates, concentrate_scale):
    X, y = _weekly_series()
    # In thousands, so that the error variance is far from 1: a concentrated
    # model's filter runs in units of it, which an extension must respect.
    y = 1000 * y
    if not with_covariates:
        X = np.empty((len(y), 0))
    orders = dict(p=1, D=1, Q=1, season_length=7, trend="c")
    fast = SARIMAEstimator(**orders, concentrate_scale=concentrate_scale).fit(X[:50], y[:50])
    loop = clone(fast).fit(X[:50], y[:50])
    forecasts = fast.predict_rolling(X[50:], y[50:], horizon=horizon, stride=step)

    origins = np.arange(0, len(y) - 50 - horizon + 1, step)
    expected, seen = [], 0
    for origin in origins:
        if origin > seen:
            loop.update(X[50 + seen : 50 + origin], y[50 + seen : 50 + origin])
            seen = origin
        expected.append(loop.predict(X[50 + origin : 50 + origin + horizon]))
    assert forecasts.shape == (len(origins), horizon)
    assert_allclose(forecasts, expected, rtol=1e-8, atol=1e-8)
    # The rolling forecasts condition a copy of the filter: the model is unchanged.
    assert fast.results_.nobs == 50 and len(fast.y_) == 50


def test_leading_nan_rows_are_left_out_of_the_estimation():
    X, y = _weekly_series()
    y_nan = y.copy()
    y_nan[:7] = np.nan
    model = SARIMAEstimator(p=2).fit(X, y_nan)
    trimmed = SARIMAEstimator(p=2).fit(X[7:], y[7:])
    assert_array_equal(model.params_, trimmed.params_)
    assert model.y_.shape == (len(y), 1)
    assert np.isnan(y_nan[:7]).all()  # input untouched


def test_fit_kwargs_pass_through_without_mutation():
    X, y = _weekly_series()
    fit_kwargs = {"cov_type": "none", "method_kwargs": {"method": "nm"}}
    model = SARIMAEstimator(p=1, maxiter=2000, fit_kwargs=fit_kwargs).fit(X, y)
    raw = ARIMA(y, exog=X, order=(1, 0, 0)).fit(cov_type="none", method_kwargs={"method": "nm", "maxiter": 2000})
    assert fit_kwargs == {"cov_type": "none", "method_kwargs": {"method": "nm"}}
    assert model.results_.cov_type == "none"
    assert_allclose(model.params_, raw.params, rtol=1e-10)


# -- the textbook's daily-refit evaluation -------------------------------------


def _textbook_loop(rail, n_days):
    """The book's loop: refit on rail[origin:today] and forecast the next day."""
    origin = "2019-01-01"
    rail_series = rail.asfreq("D")
    days = rail_series.index[-n_days:]
    errors = []
    for today in days.shift(-1):
        model = ARIMA(rail_series[origin:today], order=(1, 0, 0), seasonal_order=(0, 1, 1, 7)).fit()
        errors.append(abs(model.forecast().iloc[0] - rail_series[today + pd.Timedelta(1, "D")]))
    return np.array(errors)


@pytest.mark.parametrize("n_splits", [8, 92])
def test_daily_refit_cv_equals_the_textbook_loop(rail, n_splits):
    X = pd.DataFrame(index=rail.index)
    scores = cross_val_score(
        SARIMAEstimator(**BOOK_ORDERS),
        X,
        rail,
        cv=TimeSeriesSplit(n_splits=n_splits, test_size=1),
        scoring="neg_mean_absolute_error",
    )
    assert_allclose(-scores, _textbook_loop(rail, n_splits), rtol=1e-6)
    if n_splits == 92:
        # 2019-03-01 .. 2019-05-31, as in the book, which reports about 32,041.
        assert round(-scores.mean()) == 32041


def test_time_index_alignment_with_gap(rail):
    X = pd.DataFrame(index=rail.index)
    cv = TimeSeriesSplit(n_splits=3, test_size=5, gap=2)
    for train, test in cv.split(X):
        model = SARIMAEstimator(**BOOK_ORDERS).fit(X.iloc[train], rail.iloc[train])
        raw = _raw(rail.to_numpy()[train], None, BOOK_ORDERS)
        # The test rows are steps 3..7 after the training rows.
        assert_allclose(model.predict(X.iloc[test]), raw.forecast(7)[2:], rtol=1e-10)
    forecast = model.forecast(3)
    assert list(forecast.index) == list(pd.date_range(rail.index[train[-1]], periods=4, freq="D")[1:])
    assert forecast.name == "rail"


# -- scikit-learn tools --------------------------------------------------------

@pytest.mark.slow
def test_textbook_grid_search_plain_and_in_a_pipeline(rail, tmp_path):
    X = pd.DataFrame(index=rail.index)
    cv = TimeSeriesSplit(n_splits=5, test_size=14)
    grid = {"p": [0, 1, 2], "d": [0, 1], "q": [0, 1, 2]}
    base = SARIMAEstimator(P=0, D=1, Q=1, season_length=7)
    search = GridSearchCV(base, grid, cv=cv, scoring="neg_mean_absolute_error", n_jobs=2).fit(X, rail)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()

    # The best candidate's score is the hand-made rolling-origin evaluation.
    orders = {**search.best_params_, "P": 0, "D": 1, "Q": 1, "season_length": 7}
    y = rail.to_numpy()
    errors = [np.abs(_raw(y[train], None, orders).forecast(14) - y[test]).mean() for train, test in cv.split(X)]
    assert -search.best_score_ == pytest.approx(np.mean(errors), rel=1e-8)

    pipe = Pipeline([("sarima", clone(base))])
    pipe_grid = {f"sarima__{name}": values for name, values in grid.items()}
    pipe_search = GridSearchCV(pipe, pipe_grid, cv=cv, scoring="neg_mean_absolute_error", n_jobs=2).fit(X, rail)
    assert_array_equal(pipe_search.cv_results_["mean_test_score"], search.cv_results_["mean_test_score"])

    X_future = pd.DataFrame(index=pd.date_range("2019-06-01", periods=7, freq="D"))
    for fitted in (search.best_estimator_, pipe_search.best_estimator_):
        path = tmp_path / "model.joblib"
        joblib.dump(fitted, path)
        assert_array_equal(joblib.load(path).predict(X_future), fitted.predict(X_future))


def test_grid_search_with_covariates_behind_a_scaler():
    X, y = _weekly_series(n=84)
    cv = TimeSeriesSplit(n_splits=3, test_size=7)
    pipe = make_pipeline(StandardScaler(), SARIMAEstimator(P=1, season_length=7, maxiter=200))
    grid = {"sarimaestimator__p": [0, 1], "sarimaestimator__q": [0, 1]}
    search = GridSearchCV(pipe, grid, cv=cv, scoring="neg_mean_absolute_error").fit(X, y)

    # Each fold's covariates are scaled with that fold's training rows.
    best = {name.split("__")[1]: value for name, value in search.best_params_.items()}
    errors = []
    for train, test in cv.split(X):
        mean, std = X[train].mean(axis=0), X[train].std(axis=0)
        orders = {**best, "P": 1, "season_length": 7}
        alone = SARIMAEstimator(**orders, maxiter=200).fit((X[train] - mean) / std, y[train])
        errors.append(np.abs(alone.predict((X[test] - mean) / std) - y[test]).mean())
    assert -search.best_score_ == pytest.approx(np.mean(errors), rel=1e-8)


def test_joblib_memory_mapped_load_predicts_and_updates(tmp_path):
    X, y = _weekly_series()
    model = SARIMAEstimator(p=1, D=1, Q=1, season_length=7).fit(X[:60], y[:60])
    joblib.dump(model, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib", mmap_mode="r")
    assert_array_equal(loaded.predict(X[60:]), model.predict(X[60:]))
    loaded.update(X[60:65], y[60:65])
    model.update(X[60:65], y[60:65])
    assert_array_equal(loaded.predict(X[65:]), model.predict(X[65:]))
    assert loaded.aic_ == model.aic_


def test_clone_keeps_every_parameter():
    model = SARIMAEstimator(p=2, d=1, q=1, P=1, D=1, Q=1, season_length=12, trend="t", maxiter=7, fit_kwargs={"cov_type": "none"})
    assert clone(model).get_params() == model.get_params()


def test_import_does_not_import_statsmodels():
    code = "import sys, skts; skts.forecasting.SARIMAEstimator(p=2); print('statsmodels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


# -- warnings and failures -----------------------------------------------------


def test_non_convergence_is_one_clear_warning():
    X, y = _weekly_series()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SARIMAEstimator(p=2, q=2, maxiter=1).fit(X, y)
    assert len(caught) == 1
    assert caught[0].category is ConvergenceWarning
    message = str(caught[0].message)
    assert "SARIMA(2, 0, 2)" in message and "maxiter=1" in message and "Raise maxiter" in message


def test_grid_search_warns_once_per_non_converging_fit():
    X, y = _weekly_series()
    cv = TimeSeriesSplit(n_splits=2, test_size=7)
    search = GridSearchCV(SARIMAEstimator(q=2, maxiter=1), {"p": [1, 2]}, cv=cv, n_jobs=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    # 2 candidates x 2 splits + the refit, none converging in one iteration.
    assert [w.category for w in caught] == [ConvergenceWarning] * 5


def test_starting_parameter_notices_alone_are_not_reported():
    y = np.random.default_rng(3).normal(size=40).cumsum()
    X = np.empty((40, 0))
    with warnings.catch_warnings(record=True) as raw_caught:
        warnings.simplefilter("always")
        raw = ARIMA(y, order=(2, 0, 1)).fit()
    assert any("starting" in str(w.message) for w in raw_caught)
    assert raw.mle_retvals["converged"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = SARIMAEstimator(p=2, q=1).fit(X, y)
    _assert_same_maximum(model, raw)


def test_failed_fit_is_a_clear_error(monkeypatch):
    X, y = _weekly_series()

    def singular(*args, **kwargs):
        raise np.linalg.LinAlgError("Schur decomposition solver error.")

    monkeypatch.setattr(ARIMA, "fit", singular)
    monkeypatch.setattr(ARIMA, "filter", singular)
    with pytest.raises(ValueError, match=r"SARIMA\(1, 0, 0\) could not be fitted on 70 rows.*LinAlgError") as info:
        SARIMAEstimator().fit(X, y)
    assert isinstance(info.value.__cause__, np.linalg.LinAlgError)
    # scikit-learn's CV tools report the message when every fit fails.
    with pytest.raises(ValueError, match="could not be fitted"):
        cross_val_score(SARIMAEstimator(), X, y, cv=TimeSeriesSplit(n_splits=2, test_size=7))


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(P=1), r"^P=1, D=0, Q=0 describe a seasonal model, which needs season_length >= 2 \(got 1\)"),
        (dict(Q=1, season_length=1), "^P=0, D=0, Q=1 describe a seasonal model, which needs season_length >= 2"),
        (dict(p=7, P=1, season_length=7), r"SARIMA\(7, 0, 0\)\(1, 0, 0, season_length=7\).*both the seasonal"),
        (dict(d=1, trend="ct"), r"^trend='ct' cannot be estimated with d \+ D = 1 \(d=1, D=0\).*use trend='c'"),
        (dict(fit_kwargs={"method": "burg"}), "^fit_kwargs sets method='burg'; SARIMAEstimator estimates"),
        (dict(fit_kwargs={"method_kwargs": {"maxiter": 5}}), r"^fit_kwargs\['method_kwargs'\] sets 'maxiter'"),
        (dict(p=-1), "'p' parameter of SARIMAEstimator must be"),
        (dict(season_length=0), r"'season_length' parameter of SARIMAEstimator must be an int in the range \[1, inf\)"),
        (dict(trend="linear"), "'trend' parameter of SARIMAEstimator must be"),
    ],
)
def test_bad_parameters(params, match):
    X, y = _weekly_series()
    with pytest.raises(ValueError, match=match):
        SARIMAEstimator(**params).fit(X, y)


def test_bad_data():
    X, y = _weekly_series()
    model = SARIMAEstimator()
    with pytest.raises(NotFittedError):
        model.predict(X[:3])
    # (NaN inside the history are missing values: test_interior_nan_*.)
    model.fit(X, y)
    with pytest.raises(ValueError, match="X has 1 features, but SARIMAEstimator is expecting 2"):
        model.predict(X[:3, :1])
    with pytest.raises(ValueError, match="single target"):
        SARIMAEstimator().fit(X, np.column_stack([y, y]))
    # D=1 at season_length 7 leaves d + D * 7 + 2 = 9 as the shortest history.
    with pytest.raises(ValueError, match="minimum of 9 is required"):
        SARIMAEstimator(p=1, D=1, season_length=7).fit(X[:8], y[:8])
    SARIMAEstimator(p=1, D=1, season_length=7).fit(X[:9], y[:9])


def test_column_vector_y_warns_and_forecasts_1d():
    X, y = _weekly_series()
    with pytest.warns(DataConversionWarning):
        model = SARIMAEstimator().fit(X, y[:, None])
    assert model.predict(X[:2]).shape == (2,)


# -- drift: a constant in the differenced series -------------------------------


def _drifting_walk(n=60, drift=0.5, seed=0):
    rng = np.random.default_rng(seed)
    return np.cumsum(drift + rng.normal(size=n))


def test_constant_with_differencing_is_drift_as_statsmodels_linear_trend():
    # With d + D = 1 statsmodels rejects trend="c" but fits the same drift as
    # the linear time trend "t"; trend="c" is that model.
    y = _drifting_walk()
    X = np.empty((len(y), 0))
    drift = SARIMAEstimator(p=1, d=1, trend="c").fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ARIMA(y, order=(1, 1, 0), trend="t").fit()
    _assert_same_maximum(drift, fitted)
    raw = _raw(y, None, dict(p=1, d=1, trend="t"), at=drift.params_)
    assert drift.results_.param_names == raw.param_names
    assert_allclose(drift.predict(np.empty((5, 0))), raw.forecast(5), rtol=1e-8)
    assert_allclose(SARIMAEstimator(p=1, d=1, trend="t").fit(X, y).params_, drift.params_, rtol=1e-10)


def test_drift_forecasts_grow_by_the_estimated_slope():
    y = _drifting_walk(n=200, drift=0.5)
    X = np.empty((len(y), 0))
    with_drift = SARIMAEstimator(p=0, d=1, trend="c").fit(X, y)
    forecasts = with_drift.predict(np.empty((10, 0)))
    # The random walk's drift estimate is (y[-1] - y[0]) / (n - 1) up to noise.
    assert with_drift.params_[0] == pytest.approx(0.5, abs=0.15)
    assert_allclose(np.diff(forecasts), with_drift.params_[0], rtol=1e-6)
    flat = SARIMAEstimator(p=0, d=1, trend="n").fit(X, y).predict(np.empty((10, 0)))
    assert_allclose(flat, y[-1])


def test_seasonal_drift_with_two_differences_and_update_equal_statsmodels():
    # d + D = 2: the drift is the t**2 term of the levels, statsmodels' [0, 0, 1].
    X_all, y = _weekly_series(n=84)
    y = y + 0.4 * np.arange(84)
    X = np.empty((84, 0))
    orders = dict(p=0, d=1, q=1, P=0, D=1, Q=1, season_length=7)
    model = SARIMAEstimator(**orders, trend="c").fit(X[:70], y[:70])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ARIMA(y[:70], order=(0, 1, 1), seasonal_order=(0, 1, 1, 7), trend=[0, 0, 1]).fit(method_kwargs={"maxiter": 500})
    _assert_same_maximum(model, fitted)
    raw = _raw(y[:70], None, {**orders, "trend": [0, 0, 1]}, at=model.params_)
    model.update(X[70:77], y[70:77])
    expected = raw.append(y[70:77]).forecast(7)
    assert_allclose(model.predict(X[77:]), expected, rtol=1e-8)


@pytest.mark.parametrize(
    "orders, trend, removed",
    [
        (dict(d=1, D=1, season_length=7), "t", "the constant and the linear trend"),
        (dict(d=1), "ct", "the constant"),
        (dict(D=1, season_length=7), "ct", "the constant"),
    ],
)
def test_impossible_trend_names_the_drift_that_works(orders, trend, removed):
    y = _drifting_walk()
    with pytest.raises(ValueError, match=f"removes {removed}.*use trend='c'") as info:
        SARIMAEstimator(p=0, **orders, trend=trend).fit(np.empty((60, 0)), y)
    # Raised by skts before statsmodels runs, not a wrapped statsmodels error.
    assert "could not be fitted" not in str(info.value)


# -- missing values inside the history ------------------------------------------


def test_interior_nan_are_skipped_as_statsmodels_does():
    X, y = _weekly_series()
    y_gap = y.copy()
    y_gap[[20, 21, 40]] = np.nan
    orders = dict(p=1, D=1, Q=1, season_length=7)
    model = SARIMAEstimator(**orders).fit(X[:63], y_gap[:63])
    raw = _raw(y_gap[:63], X[:63], orders)
    assert_allclose(model.params_, raw.params, rtol=1e-8)
    assert model.aicc_ == pytest.approx(raw.aicc, rel=1e-10)
    assert_allclose(model.predict(X[63:]), raw.forecast(7, exog=X[63:]), rtol=1e-8)
    # The user's array is not modified, and new rows may have gaps too.
    assert np.isnan(y_gap[[20, 21, 40]]).all() and np.isfinite(np.delete(y_gap, [20, 21, 40])).all()
    new = y[63:66].copy()
    new[1] = np.nan
    model.update(X[63:66], new)
    expected = raw.append(new, exog=X[63:66]).forecast(4, exog=X[66:70])
    assert_allclose(model.predict(X[66:70]), expected, rtol=1e-8)


def test_trailing_nan_forecast_from_the_last_row_as_statsmodels():
    X, y = _weekly_series()
    y_gap = y[:63].copy()
    y_gap[-2:] = np.nan
    model = SARIMAEstimator(p=1).fit(X[:63], y_gap)
    raw = _raw(y_gap, X[:63], dict(p=1))
    assert_allclose(model.predict(X[63:66]), raw.forecast(3, exog=X[63:66]), rtol=1e-8)


# -- small fitted models: parameters and data, statsmodels' results on demand ----


def _monthly_series(n=264, seed=0):
    """A monthly series with a yearly pattern and a wandering level."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 100 + 10 * np.sin(2 * np.pi * t / 12) + 0.5 * rng.normal(size=n).cumsum() + rng.normal(size=n)


def _statsmodels_results(y, X, orders, params, **model_options):
    """What SARIMAEstimator kept before it stopped keeping statsmodels' results: a results object."""
    o = {**dict(p=1, d=0, q=0, P=0, D=0, Q=0), **orders}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ARIMA(
            y,
            exog=X,
            order=(o["p"], o["d"], o["q"]),
            seasonal_order=(o["P"], o["D"], o["Q"], o["season_length"]) if o["P"] + o["D"] + o["Q"] else (0, 0, 0, 0),
            **model_options,
        ).smooth(params)


@pytest.mark.parametrize("concentrate_scale", [False, True])
def test_light_model_forecasts_intervals_and_updates_as_statsmodels_results(concentrate_scale):
    X, y = _weekly_series(n=84)
    y = 10 * y
    orders = dict(p=1, D=1, Q=1, season_length=7)
    model = SARIMAEstimator(**orders, concentrate_scale=concentrate_scale).fit(X[:56], y[:56])
    raw = _statsmodels_results(y[:56], X[:56], orders, model.params_, concentrate_scale=concentrate_scale)

    # predict and intervals: the forecast distribution of fit()'s results.
    assert_allclose(model.predict(X[56:63]), raw.forecast(7, exog=X[56:63]), rtol=1e-8)
    bounds = model.predict_interval(X[56:63], coverage=0.8).to_numpy()
    assert_allclose(bounds, raw.get_forecast(7, exog=X[56:63]).conf_int(alpha=0.2), rtol=1e-8)

    # update: append(refit=False), then forecasts and intervals.
    model.update(X[56:63], y[56:63])
    appended = raw.append(y[56:63], exog=X[56:63], refit=False)
    assert_allclose(model.predict(X[63:70]), appended.forecast(7, exog=X[63:70]), rtol=1e-8)
    bounds = model.predict_interval(X[63:70], coverage=0.8).to_numpy()
    assert_allclose(bounds, appended.get_forecast(7, exog=X[63:70]).conf_int(alpha=0.2), rtol=1e-8)
    assert_allclose(model.results_.params, appended.params, rtol=1e-12)
    assert model.results_.llf == pytest.approx(appended.llf, rel=1e-10)

    # predict_rolling and rolling quantiles: append and forecast at each origin.
    rolling = model.predict_rolling(X[63:], y[63:], horizon=3, stride=2)
    quantiles = model.predict_rolling_quantiles(X[63:], y[63:], horizon=3, stride=2, quantiles=[0.1, 0.9])
    seen = appended
    for i, origin in enumerate(range(0, 21 - 3 + 1, 2)):
        if origin:
            seen = seen.append(y[61 + origin : 63 + origin], exog=X[61 + origin : 63 + origin], refit=False)
        prediction = seen.get_forecast(3, exog=X[63 + origin : 66 + origin])
        assert_allclose(rolling[i], prediction.predicted_mean, rtol=1e-8)
        assert_allclose(quantiles[i], prediction.conf_int(alpha=0.2), rtol=1e-8)


def test_light_model_pickles_small_and_round_trips_exactly():
    y = pd.Series(_monthly_series(), index=pd.period_range("2000-01", periods=264, freq="M"))
    model = SARIMAEstimator(p=1, D=1, Q=1, season_length=12).fit(None, y)
    blob = pickle.dumps(model)
    # statsmodels' results with the filter and smoother output of every row
    # pickled to 25.5 MB; the parameters and the history are a few KB.
    assert len(blob) < 64 * 1024
    assert len(pickle.dumps(model.results_)) > 100 * len(blob)
    loaded = pickle.loads(blob)
    future = pd.DataFrame(index=pd.period_range("2022-01", periods=12, freq="M"))
    assert_array_equal(loaded.predict(future), model.predict(future))
    assert_array_equal(loaded.predict_interval(future).to_numpy(), model.predict_interval(future).to_numpy())
    assert_array_equal(loaded.params_, model.params_)
    # The pickle grows with the rows of the history, about 8 bytes per row
    # of y_ (X_ has no columns), not with rows times the state size (25 x 25).
    longer = pd.Series(_monthly_series(528), index=pd.period_range("2000-01", periods=528, freq="M"))
    grown = len(pickle.dumps(SARIMAEstimator(p=1, D=1, Q=1, season_length=12).fit(None, longer))) - len(blob)
    assert 264 * 8 <= grown <= 264 * 8 * 3


def test_results_are_rebuilt_with_the_covariance_fit_kwargs_ask_for():
    X, y = _weekly_series()
    model = SARIMAEstimator(p=1, q=1).fit(X, y)
    raw = _statsmodels_results(y, X, dict(p=1, q=1, season_length=1), model.params_)
    assert model.results_.cov_type == raw.cov_type == "opg"
    assert_allclose(model.results_.bse, raw.bse, rtol=1e-6)
    assert not hasattr(SARIMAEstimator(), "results_")


def test_a_history_fitted_exactly_forecasts_without_statsmodels_runtime_warnings():
    # A week repeated exactly, with drift: the model fits it with zero
    # innovation variance, where statsmodels' filter divides by the scale and
    # takes its log at every forecast, rolling forecast and rolling moment.
    y = np.tile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 6)
    model = SARIMAEstimator(p=0, D=1, season_length=7, trend="t", concentrate_scale=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model.fit(None, y[:30])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        forecasts = model.predict(np.empty((3, 0)))
        rolling = model.predict_rolling(None, y[30:], horizon=2)
        quantiles = model.predict_rolling_quantiles(None, y[30:], horizon=2, quantiles=[0.1, 0.9])
    assert_allclose(forecasts, y[30:33], rtol=1e-8)
    assert_allclose(rolling[:, 0], y[30:41], rtol=1e-8)
    assert quantiles.shape[0] == len(rolling)


def test_values_whose_squares_overflow_float64_are_a_clear_error():
    # statsmodels' default fit returns NaN parameters here; forecasts would be NaN.
    y = 1e160 * (10 + np.random.default_rng(0).normal(size=100))
    with pytest.raises(ValueError, match=r"reaches 1\.\d+e\+161, whose square overflows float64.*AutoSARIMA"):
        SARIMAEstimator(p=1, trend="c").fit(None, y)
