"""AutoSARIMA: chooses SARIMA orders, then behaves as the chosen SARIMAEstimator."""

import pickle

import numpy as np
import pandas as pd
from joblib import parallel_backend
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.utils._param_validation import InvalidParameterError

import skts.forecasting._auto_sarima as auto_module
from skts.forecasting import AutoSARIMA, SARIMAEstimator

# Small searches keep every fit well under a second.
SMALL = dict(max_p=2, max_q=2, max_P=1, max_Q=1)


def _simulate(n, seed, phi=(), theta=(), Theta=(), m=1, d=0, D=0, const=0.0, burn=100):
    """A seeded SARIMA path: ARMA recursion, then D seasonal and d ordinary integrations."""
    rng = np.random.default_rng(seed)
    ma = np.array([1.0, *theta])
    if Theta:
        seasonal_ma = np.zeros(m * len(Theta) + 1)
        seasonal_ma[0] = 1.0
        seasonal_ma[m :: m] = Theta
        ma = np.convolve(ma, seasonal_ma)
    e = rng.normal(size=n + burn)
    x = np.zeros(n + burn)
    for t in range(n + burn):
        lags = min(t, len(ma) - 1)
        x[t] = const + ma[: lags + 1] @ e[t - lags : t + 1][::-1]
        x[t] += sum(c * x[t - i - 1] for i, c in enumerate(phi) if t - i - 1 >= 0)
    x = x[burn:]
    for _ in range(D):
        for t in range(m, n):
            x[t] += x[t - m]
    for _ in range(d):
        x = np.cumsum(x)
    return 10.0 + x


# Process, simulated length, AutoSARIMA parameters and the model it should
# choose. Measured exact recovery (orders, differencing and constant) with the
# tests' search bounds: AR(1) with mean 9/12 seeds, ARIMA(0,1,1) with drift
# 7/12, SARIMA(1,0,0)(0,1,1,4) 6/10 (misses add one AR, MA or seasonal AR
# term, as AICc does at these lengths; the differencing was right in every
# draw). Four draws must hit at least twice: at the measured rates that holds
# with probability 0.8-0.95, while a search no better than chance (dozens of
# candidate models) almost never hits twice.
PROCESSES = {
    "AR(1) with mean": (200, dict(phi=(0.5,)), {}, ((1, 0, 0), (0, 0, 0, 0), "c")),
    "ARIMA(0,1,1) with drift": (200, dict(theta=(0.7,), d=1, const=0.5), {}, ((0, 1, 1), (0, 0, 0, 0), "c")),
    "SARIMA(1,0,0)(0,1,1,4)": (
        160,
        dict(phi=(0.7,), Theta=(-0.6,), m=4, D=1),
        dict(season_length=4),
        ((1, 0, 0), (0, 1, 1, 4)),
    ),
}


@pytest.mark.parametrize("name", list(PROCESSES))
def test_recovers_known_orders_in_most_draws(name):
    n, process, params, expected = PROCESSES[name]
    hits = 0
    for seed in range(4):
        model = AutoSARIMA(**SMALL, **params).fit(None, _simulate(n, seed, **process))
        chosen = (model.order_, model.seasonal_order_, model.trend_)[: len(expected)]
        assert chosen[0][1] == expected[0][1] and chosen[1][1] == expected[1][1]  # d and D
        hits += chosen == expected
    assert hits >= 2


def _airline_quarterly(n=80, seed=3):
    return _simulate(n, seed, theta=(0.5,), Theta=(-0.6,), m=4, d=1, D=1)


@pytest.fixture(scope="module")
def fitted():
    y = _airline_quarterly()
    return AutoSARIMA(season_length=4, **SMALL).fit(np.empty((len(y), 0)), y), y


def test_is_the_sarima_estimator_with_the_chosen_orders(fitted):
    model, y = fitted
    p, d, q = model.order_
    P, D, Q, m = model.seasonal_order_
    by_hand = SARIMAEstimator(p=p, d=d, q=q, P=P, D=D, Q=Q, season_length=m, trend=model.trend_, concentrate_scale=True)
    # The chosen model is fitted to the standardised history.
    assert model.location_ == pytest.approx(y.mean()) and model.scale_ == pytest.approx(y.std())
    by_hand.fit(np.empty((len(y), 0)), model._standardised(y))  # on its 2^-40 grid
    assert_allclose(model.best_estimator_.params_, by_hand.params_, rtol=1e-10)
    in_units = by_hand.predict(np.empty((8, 0))) * model.scale_ + model.location_
    assert_allclose(model.predict(np.empty((8, 0))), in_units, rtol=1e-10)
    # The variance concentrated out, that fit is the one on y up to the optimiser's tolerance.
    on_y = clone(by_hand).fit(None, y)
    assert_allclose(model.predict(np.empty((8, 0))), on_y.predict(np.empty((8, 0))), rtol=1e-4)
    assert model.results_ is model.best_estimator_.results_
    # The search table holds every candidate; the winner has the least criterion.
    table = pd.DataFrame(model.search_results_)
    assert len(table) == model.n_candidates_ and model.n_candidates_ >= 5
    assert set(table.columns) >= {"p", "q", "P", "Q", "trend", "criterion", "seconds", "status"}
    best = table.loc[table.criterion.idxmin()]
    assert (best.p, best.d, best.q, best.P, best.D, best.Q) == model.order_ + model.seasonal_order_[:3]
    assert model.criterion_ == best.criterion
    # auto.arima's AICc, with sigma2 counted and n after differencing. The
    # search scored the differenced history and the refit ran on y: the same
    # likelihood, maximised by two optimiser runs (measured gaps below 3e-4).
    k = len(model.best_estimator_.params_) + 1
    n_eff = len(y) - d - D * m
    aic = -2 * model.results_.llf + 2 * k
    assert best.criterion == pytest.approx(aic + 2 * k * (k + 1) / (n_eff - k - 1), abs=0.01)


@pytest.mark.parametrize(
    "process, fixed",
    [
        (dict(theta=(0.5,), Theta=(-0.6,), m=4, d=1, D=1), dict(d=1, D=1)),
        (dict(phi=(0.6,), Theta=(-0.5,), m=4, D=1, const=0.8), dict(d=0, D=1)),  # drift
        (dict(phi=(0.6,), d=1, const=0.3), dict(d=1, season_length=1)),  # with covariates
    ],
    ids=["airline", "seasonal difference with drift", "covariates"],
)
@pytest.mark.parametrize("candidate_fit", ["ml", "css"])
# A fit on y may stop at maxiter at the likelihood the differenced fit reached.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_candidates_scored_on_differences_have_the_criteria_of_the_models_on_y(process, fixed, candidate_fit):
    y = _simulate(100, 2, **process)
    X = None
    if fixed.get("season_length") == 1:
        X = np.random.default_rng(2).normal(size=(100, 2))
        y = y + X @ [2.0, -1.0]
    params = dict(season_length=4, max_p=1, max_q=1, max_P=1, max_Q=1, search="grid") | fixed
    model = AutoSARIMA(candidate_fit=candidate_fit, **params).fit(X, y)
    m = model.season_length
    table = pd.DataFrame(model.search_results_)
    scored = table[table.status == "ok"]
    assert len(scored) >= 4 * m - 1 and (scored.d + scored.D >= 1).all()  # differenced
    for row in scored.itertuples():
        n_covariates = 0 if X is None else 2
        z = (y - model.location_) / model.scale_  # the criteria are those of the standardised history
        on_y = model._candidate(row.p, row.d, row.q, row.P, row.D, row.Q, row.trend, n_covariates).fit(X, z)
        if candidate_fit == "ml":
            assert row.aicc == pytest.approx(on_y.aicc_, abs=0.01), row
        else:
            # The exact likelihood at the CSS estimate: at most its maximum, reached on y.
            assert row.aicc >= on_y.aicc_ - 0.01, row


def test_update_forecast_and_rolling_go_through_the_chosen_model():
    # In thousands: the chosen model's concentrated scale is far from 1.
    y = 1000 * _airline_quarterly(n=96)
    model = AutoSARIMA(season_length=4, **SMALL).fit(None, y[:80])
    loc, scale = model.location_, model.scale_
    # The chosen model, fitted to the standardised history; its outputs scaled back.
    z = model._standardised(y)  # on its 2^-40 grid
    twin = clone(model.best_estimator_).fit(None, z[:80])
    rolling = model.predict_rolling(None, y[80:], horizon=2)
    assert_allclose(rolling, twin.predict_rolling(None, z[80:], horizon=2) * scale + loc, rtol=1e-10)
    # backtest(refit=False)'s forecasts are those of update and predict.
    loop = clone(model.best_estimator_).fit(None, z[:80])
    expected = []
    for origin in range(15):
        expected.append(loop.predict(np.empty((2, 0))) * scale + loc)
        loop.update(None, z[80 + origin : 81 + origin])
    assert_allclose(rolling, expected, rtol=1e-8)
    # Intervals are the chosen model's own (statsmodels' Gaussian forecast).
    X_next = np.empty((4, 0))
    in_units = twin.predict_interval(X_next, coverage=0.9) * scale + loc
    assert_allclose(model.predict_interval(X_next, coverage=0.9), in_units, rtol=1e-10)
    quantiles = model.predict_rolling_quantiles(None, y[80:], quantiles=[0.1, 0.9])
    in_units = twin.predict_rolling_quantiles(None, z[80:], quantiles=[0.1, 0.9]) * scale + loc
    assert_allclose(quantiles, in_units, rtol=1e-10)
    model.update(None, y[80:88])
    twin.update(None, z[80:88])
    assert_allclose(model.forecast(4).to_numpy(), twin.forecast(4).to_numpy() * scale + loc, rtol=1e-10)
    assert len(model.y_) == 88


@pytest.mark.parametrize("gap", [False, True], ids=["differenced history", "history with a gap"])
def test_failed_candidates_are_skipped_and_counted(monkeypatch, gap):
    # Without gaps the candidates are fitted by fit_arma, with gaps by
    # SARIMAEstimator on y; the refit of the winner always by SARIMAEstimator.
    y = _simulate(60, 0, phi=(0.6,))
    if gap:
        y[30] = np.nan

        class FailsWithAR(SARIMAEstimator):
            def _fit(self, y, X):
                if self.p == 1:
                    raise ValueError("forced failure")
                super()._fit(y, X)

        monkeypatch.setattr(auto_module, "SARIMAEstimator", FailsWithAR)
    else:
        fit_arma = auto_module.fit_arma

        def fails_with_ar(w, X, p, *args, **kwargs):
            if p == 1:
                raise np.linalg.LinAlgError("forced failure")
            return fit_arma(w, X, p, *args, **kwargs)

        monkeypatch.setattr(auto_module, "fit_arma", fails_with_ar)
    model = AutoSARIMA(max_p=1, max_q=1, search="grid").fit(None, y)
    table = pd.DataFrame(model.search_results_)
    failed = table[table.status == "failed"]
    assert len(failed) == model.n_failed_ == 2  # p=1 with q in {0, 1}, each with a mean
    assert (failed.p == 1).all() and np.isinf(failed.criterion).all()
    assert model.order_[0] == 0

    if gap:
        monkeypatch.setattr(FailsWithAR, "_fit", lambda self, y, X: (_ for _ in ()).throw(ValueError("no")))
    else:
        monkeypatch.setattr(auto_module, "fit_arma", lambda *args, **kwargs: (_ for _ in ()).throw(ValueError("no")))
    with pytest.raises(ValueError, match="could not fit any of its 4 candidates"):
        AutoSARIMA(max_p=1, max_q=1, search="grid").fit(None, y)


def test_non_converged_candidates_are_not_scored():
    y = _airline_quarterly()
    # Two optimiser iterations: only the model without ARMA terms converges.
    model = AutoSARIMA(season_length=4, maxiter=2, **SMALL).fit(None, y[:60])
    table = pd.DataFrame(model.search_results_)
    assert (table.status == "not converged").sum() >= 1
    assert np.isinf(table.criterion[table.status != "ok"]).all()
    assert model.n_failed_ == (table.status != "ok").sum()


def test_grid_search_in_parallel_equals_sequential():
    y = _simulate(60, 1, phi=(0.6,))
    one = AutoSARIMA(max_p=1, max_q=1, search="grid").fit(None, y)
    # Threads: the same joblib dispatch as processes without their start-up.
    with parallel_backend("threading"):
        two = AutoSARIMA(max_p=1, max_q=1, search="grid", n_jobs=2).fit(None, y)
    assert one.n_candidates_ == 8
    assert_array_equal(one.search_results_["criterion"], two.search_results_["criterion"])
    assert_allclose(one.predict(np.empty((3, 0))), two.predict(np.empty((3, 0))))


def test_differencing_from_unit_root_and_seasonal_strength_tests():
    rng = np.random.default_rng(0)
    noise = rng.normal(size=80)
    walk = np.cumsum(noise)
    seasonal = np.tile([5.0, -3.0, 1.0, -3.0], 20) + 0.3 * noise
    tiny = dict(max_p=0, max_q=0, max_P=0, max_Q=0)
    assert AutoSARIMA(**tiny).fit(None, noise).order_[1] == 0
    assert AutoSARIMA(**tiny).fit(None, walk).order_[1] == 1
    strong = AutoSARIMA(season_length=4, **tiny).fit(None, seasonal)
    assert strong.seasonal_order_[1] == 1 and strong.seasonal_strength_ > 0.64
    weak = AutoSARIMA(season_length=4, **tiny).fit(None, noise)
    assert weak.seasonal_order_[1] == 0 and weak.seasonal_strength_ < 0.64
    # Given d and D are used as they are.
    fixed = AutoSARIMA(season_length=4, d=0, D=0, **tiny).fit(None, seasonal)
    assert fixed.order_[1] == 0 and fixed.seasonal_order_ == (0, 0, 0, 4) and fixed.seasonal_strength_ is None


def test_pickle_clone_and_grid_search_over_the_criterion():
    y = pd.Series(_simulate(60, 2, phi=(0.6,)), index=pd.date_range("2020-01-01", periods=60, freq="MS"))
    X = pd.DataFrame(index=y.index)
    model = AutoSARIMA(max_p=1, max_q=1).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.forecast(3).to_numpy(), model.forecast(3).to_numpy())
    assert restored.forecast(3).index[0] == pd.Timestamp("2025-01-01")
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(clone(model), "best_estimator_")
    search = GridSearchCV(
        AutoSARIMA(max_p=1, max_q=1),
        {"information_criterion": ["aicc", "bic"]},
        cv=TimeSeriesSplit(n_splits=2, test_size=6),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    assert search.best_estimator_.order_ is not None
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(search="exhaustive"), InvalidParameterError, "'search' parameter of AutoSARIMA must be"),
        (dict(information_criterion="hqic"), InvalidParameterError, "'information_criterion' parameter"),
        (dict(kpss_alpha=0.5), InvalidParameterError, "'kpss_alpha' parameter"),
        (dict(candidate_fit="CSS-ML"), InvalidParameterError, "'candidate_fit' parameter"),
        (dict(season_length=0), InvalidParameterError, "'season_length' parameter"),
        (dict(D=1), ValueError, "D=1 asks for seasonal differencing, which needs season_length >= 2"),
    ],
)
def test_bad_parameters(params, error, match):
    with pytest.raises(error, match=match):
        AutoSARIMA(**params).fit(None, _simulate(40, 0))


def test_too_short_after_differencing():
    with pytest.raises(ValueError, match="only 2 observations remain"):
        AutoSARIMA(season_length=4, d=1, D=1).fit(None, np.arange(7.0) ** 2)


def test_interior_nan_search_and_forecasts_match_statsmodels():
    from statsmodels.tsa.arima.model import ARIMA

    y = _airline_quarterly()
    y_gap = y.copy()
    y_gap[[10, 11, 50]] = np.nan
    model = AutoSARIMA(season_length=4, **SMALL).fit(None, y_gap)
    assert model.seasonal_order_[1] == 1 and model.n_candidates_ > 5
    raw = ARIMA(
        (y_gap - model.location_) / model.scale_,
        order=model.order_,
        seasonal_order=model.seasonal_order_,
        trend=model.best_estimator_._statsmodels_trend(),
        concentrate_scale=True,
    ).fit(method_kwargs={"maxiter": 50})
    assert model.best_estimator_.results_.llf == pytest.approx(raw.llf, rel=1e-8)
    assert model.location_ == pytest.approx(np.nanmean(y_gap)) and model.scale_ == pytest.approx(np.nanstd(y_gap))
    assert_allclose(model.predict(np.empty((4, 0))), raw.forecast(4) * model.scale_ + model.location_, rtol=1e-6)
    # The criterion's sample size counts observed rows only.
    k = len(raw.params) + 1
    n_eff = 80 - 3 - model.order_[1] - 4 * model.seasonal_order_[1]
    aicc = -2 * raw.llf + 2 * k + 2 * k * (k + 1) / (n_eff - k - 1)
    assert model.criterion_ == pytest.approx(aicc, rel=1e-6)


def test_covariates_enter_every_candidate_as_regressors():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(105, 2))
    y = 5 + X @ [3.0, -2.0] + _simulate(105, 0, phi=(0.6,)) - 10
    model = AutoSARIMA(max_p=1, max_q=1).fit(X[:100], y[:100])
    assert model.order_ == (1, 0, 0) and model.trend_ == "c"
    names = list(model.results_.param_names)
    assert names[:3] == ["const", "x1", "x2"]
    # The coefficients of the standardised history.
    assert_allclose(model.best_estimator_.params_[1:3] * model.scale_, [3.0, -2.0], atol=0.3)
    with pytest.raises(ValueError, match="expecting 2 features"):
        model.predict(np.empty((5, 0)))
    assert model.predict(X[100:]).shape == (5,)


def test_css_candidates_are_scored_by_the_exact_likelihood_at_their_estimate():
    # Two months of daily rail ridership: the exact likelihood of
    # SARIMA(0, 0, 1)(0, 1, 1, 7) is largest at a seasonal MA of -1, its
    # conditional sum of squares near -0.55, where the exact likelihood is
    # 3.4 lower; the CSS candidate is scored there.
    from skts.datasets import load_ridership
    from skts.forecasting._arma_likelihood import fit_arma

    y = load_ridership()["rail"].loc["2019-01-01":"2019-02-28"].to_numpy(dtype=float)
    bounds = dict(season_length=7, d=0, D=1, max_p=0, max_P=0, max_q=1, max_Q=1, search="grid")
    css = AutoSARIMA(**bounds).fit(None, y)
    ml = AutoSARIMA(candidate_fit="ml", **bounds).fit(None, y)
    airline = {
        fit: pd.DataFrame(model.search_results_).set_index(["q", "Q", "trend"]).loc[(1, 1, "n"), "aicc"]
        for fit, model in [("css", css), ("ml", ml)]
    }
    gap = airline["css"] - airline["ml"]
    assert 6.0 < gap < 7.5
    # The criterion is the exact log-likelihood of the standardised history at the CSS estimate.
    z = (y - css.location_) / css.scale_
    w = z[7:] - z[:-7]
    llf, k = fit_arma(w, np.empty((len(w), 0)), 0, 1, 0, 1, 7, False, 50, method="css")[:2]
    n = len(w)
    assert airline["css"] == pytest.approx(-2 * llf + 2 * k + 2 * k * (k + 1) / (n - k - 1), abs=1e-3)
    # Whatever scored the candidates, the chosen model is refitted by exact maximum likelihood.
    assert css.seasonal_order_ == ml.seasonal_order_ == (0, 1, 1, 7) and css.order_ == ml.order_
    assert_allclose(css.best_estimator_.params_, ml.best_estimator_.params_)
    assert css.best_estimator_.params_[-1] < -0.99
