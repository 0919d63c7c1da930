"""The closed-form ARMA likelihood that scores AutoSARIMA's candidates, against statsmodels."""

import warnings

import numpy as np
import pytest

from skts.datasets import load_ridership
from skts.forecasting._arma_likelihood import ARMALikelihood, conditional_variance, fit_arma

# (p, q, P, Q, m): plain, seasonal and mixed models, with MA polynomials
# longer than the AR ones and the other way round.
ORDERS = [
    (1, 0, 0, 0, 1), (0, 3, 0, 0, 1), (2, 2, 0, 0, 1),
    (1, 1, 0, 1, 4), (2, 0, 1, 0, 4), (1, 2, 2, 1, 4), (0, 1, 0, 1, 12),
]  # fmt: skip


def _series(n=120, seed=0):
    """A seeded stationary series with short and seasonal (lag 12) dependence."""
    e = np.random.default_rng(seed).normal(size=n + 12)
    return e[12:] + 0.5 * e[11:-1] - 0.4 * e[:-12]


def _statsmodels(w, p, q, P, Q, m, mean=False, exog=None):
    from statsmodels.tsa.arima.model import ARIMA

    seasonal = (P, 0, Q, m) if (P or Q) else (0, 0, 0, 0)
    trend = "c" if mean else "n"
    return ARIMA(w, exog=exog, order=(p, 0, q), seasonal_order=seasonal, trend=trend, concentrate_scale=True)


def _polynomials(params, p, q, P, Q, m):
    ar, ma = np.r_[1.0, -params[:p]], np.r_[1.0, params[p : p + q]]
    seasonal_ar, seasonal_ma = np.zeros(P * m + 1), np.zeros(Q * m + 1)
    seasonal_ar[0] = seasonal_ma[0] = 1.0
    seasonal_ar[m::m] = -params[p + q : p + q + P]
    seasonal_ma[m::m] = params[p + q + P :]
    return np.convolve(ar, seasonal_ar), np.convolve(ma, seasonal_ma)


@pytest.mark.parametrize("orders", ORDERS, ids=str)
def test_loglike_equals_the_kalman_filter_at_random_parameters(orders):
    p, q, P, Q, m = orders
    w = _series()
    model = _statsmodels(w, p, q, P, Q, m)
    rng = np.random.default_rng(sum(orders))
    for _ in range(5):
        params = model.transform_params(rng.normal(scale=0.7, size=model.k_params))
        ar, ma = _polynomials(params, p, q, P, Q, m)
        llf, sigma2 = ARMALikelihood(len(w), len(ar) - 1, len(ma) - 1)(w, ar, ma)
        assert llf == pytest.approx(model.loglike(params), abs=1e-6)
        # statsmodels' concentrated scale at the same parameters.
        assert sigma2 == pytest.approx(model.ssm.filter(complex_step=False).scale, rel=1e-6)


def test_loglike_of_white_noise_is_the_gaussian_one():
    w = _series(50)
    llf, sigma2 = ARMALikelihood(50, 0, 0)(w, np.ones(1), np.ones(1))
    assert sigma2 == pytest.approx(np.mean(w**2))
    assert llf == pytest.approx(-25 * (np.log(2 * np.pi * sigma2) + 1))


@pytest.mark.parametrize("mean, n_covariates", [(False, 0), (True, 0), (True, 2)])
@pytest.mark.parametrize("orders", [(1, 1, 0, 0, 1), (1, 0, 0, 1, 4)], ids=str)
def test_fit_reaches_statsmodels_estimate(orders, mean, n_covariates):
    p, q, P, Q, m = orders
    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, n_covariates))
    w = _series() + 2.0 * mean + X @ np.arange(1.0, n_covariates + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = _statsmodels(w, p, q, P, Q, m, mean, X if n_covariates else None).fit(cov_type="none")
    llf, n_params, converged, params, ar_poly = fit_arma(w, X, p, q, P, Q, m, mean, 50)
    assert converged
    assert llf == pytest.approx(reference.llf, abs=1e-3)
    expected = np.asarray(reference.params)
    assert n_params == len(expected) + 1  # the variance counts
    np.testing.assert_allclose(params, expected, atol=2e-3)
    np.testing.assert_allclose(ar_poly, reference.polynomial_reduced_ar, atol=2e-3)


def _css_by_recursion(w, phi, theta):
    """The conditional sum of squares written out: e_t = w_t - sum phi_i w_{t-i} - sum theta_j e_{t-j}."""
    r, e = len(phi), np.zeros(len(w))
    for t in range(r, len(w)):
        e[t] = w[t] - sum(phi[i] * w[t - 1 - i] for i in range(r))
        e[t] -= sum(theta[j] * e[t - 1 - j] for j in range(len(theta)) if t - 1 - j >= r)
    return np.mean(e[r:] ** 2)


@pytest.mark.parametrize("orders", ORDERS, ids=str)
def test_conditional_variance_is_the_written_out_recursion(orders):
    p, q, P, Q, m = orders
    w = _series()
    model = _statsmodels(w, p, q, P, Q, m)
    params = model.transform_params(np.random.default_rng(sum(orders)).normal(scale=0.7, size=model.k_params))
    ar, ma = _polynomials(params, p, q, P, Q, m)
    expected = _css_by_recursion(w, -ar[1:], ma[1:])
    assert conditional_variance(w, ar, ma) == pytest.approx(expected, rel=1e-10)


@pytest.fixture(scope="module")
def rail_weekly_differences():
    """Seasonally differenced rail ridership of January-February 2019 (52 values), standardised."""
    rail = load_ridership()["rail"].loc["2019-01-01":"2019-02-28"].to_numpy(dtype=float)
    w = rail[7:] - rail[:-7]
    return w / np.std(w)


def test_css_fit_minimises_the_conditional_sum_of_squares(rail_weekly_differences):
    from scipy.optimize import minimize

    w = rail_weekly_differences
    none = np.empty((len(w), 0))
    _, _, converged, params, _ = fit_arma(w, none, 0, 1, 0, 1, 7, False, 50, method="css")
    assert converged

    def css(theta):
        ma = np.convolve([1.0, theta[0]], np.r_[1.0, np.zeros(6), theta[1]])
        return _css_by_recursion(w, [], ma[1:])

    reference = minimize(css, [0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-12}).x
    np.testing.assert_allclose(params, reference, atol=1e-3)


def test_css_estimate_stays_off_the_invertibility_boundary_where_ml_piles_up(rail_weekly_differences):
    # On seven weeks the exact likelihood of SARIMA(0, 0, 1)(0, 1, 1, 7) is
    # largest at a seasonal MA of -1; the conditional sum of squares is not.
    w = rail_weekly_differences
    none = np.empty((len(w), 0))
    llf_ml, _, _, ml, _ = fit_arma(w, none, 0, 1, 0, 1, 7, False, 50, method="ml")
    llf_css, _, _, css, _ = fit_arma(w, none, 0, 1, 0, 1, 7, False, 50, method="css")
    assert ml[1] < -0.99
    assert -0.8 < css[1] < -0.3
    # The llf returned is the exact likelihood at each estimate: lower at CSS's.
    assert llf_css < llf_ml
    ar, ma = np.ones(1), np.convolve([1.0, css[0]], np.r_[1.0, np.zeros(6), css[1]])
    assert llf_css == pytest.approx(ARMALikelihood(len(w), 0, 8)(w, ar, ma)[0])


def test_fit_arma_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="'ml' or 'css'"):
        fit_arma(_series(), np.empty((120, 0)), 1, 0, 0, 0, 1, False, 5, method="mle")
