"""SARIMAEstimator's closed-form fixed-order fit reaches statsmodels' own maximum.

The closed form maximises the exact likelihood of the differenced series and
runs statsmodels' filter once at the estimate; statsmodels' ``ARIMA.fit`` is
called only where the closed form refuses (SARIMAEstimator's Notes). Each case
below checks which path ran, that statsmodels' likelihood at skts' parameters
is as high as at statsmodels' own estimate, and that the forecasts are
statsmodels' at skts' parameters.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from statsmodels.tsa.arima.model import ARIMA

from skts.forecasting import SARIMAEstimator

# The closed-form fit reaches statsmodels' maximum of the likelihood to this
# tolerance in log-likelihood (measured: within 2e-4 on 100 benchmark series).
LLF_TOLERANCE = 1e-3
HORIZON = 6


def _series(n, season_length=7, n_covariates=0, seed=0):
    """Level 10 + a seasonal pattern + AR(1) noise (+ the effect of covariates); small units,
    so that statsmodels' diffuse prior is diffuse and the closed form applies."""
    rng = np.random.default_rng(seed)
    t = np.arange(n + HORIZON)
    X = rng.normal(size=(n + HORIZON, n_covariates))
    noise = np.zeros(n + HORIZON)
    for i in range(1, n + HORIZON):
        noise[i] = 0.5 * noise[i - 1] + rng.normal()
    y = 10 + 2 * np.sin(2 * np.pi * t / season_length) + noise + X @ np.linspace(1.0, -2.0, n_covariates)
    return X[:n], y[:n], X[n:]


def _statsmodels(y, X, orders, trend, at=None):
    """statsmodels' own fit of ``SARIMAEstimator(**orders)`` (p=1 by default), or its results
    smoothed at the parameters ``at``."""
    o = {**dict(p=1, d=0, q=0, P=0, D=0, Q=0, season_length=1), **orders}
    seasonal = (o["P"], o["D"], o["Q"], o["season_length"]) if o["P"] + o["D"] + o["Q"] else (0, 0, 0, 0)
    with warnings.catch_warnings():
        # statsmodels' own notices are not what these tests check.
        warnings.simplefilter("ignore")
        model = ARIMA(y, exog=X, order=(o["p"], o["d"], o["q"]), seasonal_order=seasonal, trend=trend)
        return model.fit() if at is None else model.smooth(at)


@pytest.fixture
def statsmodels_fit_calls(monkeypatch):
    """The number of times statsmodels' ``ARIMA.fit`` (the fallback) is called, as a one-element list."""
    calls = [0]
    original = ARIMA.fit

    def counting_fit(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ARIMA, "fit", counting_fit)
    return calls


def _fit_and_compare(estimator, y, X, X_new, orders, trend, fit_calls):
    """Fit ``estimator``; return statsmodels' fit calls it made, after checking it against statsmodels."""
    fit_calls[0] = 0
    model = estimator.fit(X, y)
    used_fit = fit_calls[0]
    exog = X if X.shape[1] else None
    fitted = _statsmodels(y, exog, orders, trend)
    at_model = fitted.model.loglike(model.params_)
    assert at_model >= fitted.llf - LLF_TOLERANCE, (at_model, fitted.llf)
    smoothed = _statsmodels(y, exog, orders, trend, at=model.params_)
    assert model.aic_ == pytest.approx(smoothed.aic, rel=1e-10)
    expected = smoothed.forecast(HORIZON, exog=X_new if X.shape[1] else None)
    assert_allclose(model.predict(X_new), expected, rtol=1e-8)
    return used_fit


# (orders, statsmodels' trend (None: its default), n rows, season length of the data, covariates)
CLOSED_FORM_CASES = {
    "AR(1)": (dict(p=1), None, 60, 7, 0),
    "MA(1)": (dict(p=0, q=1), None, 60, 7, 0),
    "ARMA(2,1)": (dict(p=2, q=1), None, 80, 7, 0),
    "d=1 MA(1)": (dict(p=0, d=1, q=1), None, 60, 7, 0),
    "AR(1) D=1 Q=1 m=4": (dict(p=1, D=1, Q=1, season_length=4), None, 48, 4, 0),
    "P=1 D=1 m=12": (dict(p=0, P=1, D=1, season_length=12), None, 72, 12, 0),
    "AR(1) D=1 Q=1 m=7": (dict(p=1, D=1, Q=1, season_length=7), None, 70, 7, 0),
    "drift d=1 AR(1)": (dict(p=1, d=1), "t", 60, 7, 0),
    "constant AR(1)": (dict(p=1), "c", 60, 7, 0),
    "short: 2.5 seasons AR(1) D=1 m=7": (dict(p=1, D=1, season_length=7), None, 18, 7, 0),
    "covariates ARMA(1,1)": (dict(p=1, q=1), None, 60, 7, 2),
}


@pytest.mark.parametrize("case", list(CLOSED_FORM_CASES))
def test_closed_form_fit_reaches_statsmodels_maximum(case, statsmodels_fit_calls):
    orders, trend, n, data_season, n_covariates = CLOSED_FORM_CASES[case]
    X, y, X_new = _series(n, season_length=data_season, n_covariates=n_covariates, seed=len(case))
    # SARIMAEstimator's "t" with d=1 and "c" with d=0 are statsmodels' own.
    estimator = SARIMAEstimator(**orders, trend=trend)
    used_fit = _fit_and_compare(estimator, y, X, X_new, orders, trend, statsmodels_fit_calls)
    assert used_fit == 0, f"{case}: statsmodels' own fit ran instead of the closed form"


def test_missing_values_fall_back_to_statsmodels_fit(statsmodels_fit_calls):
    # An interior NaN is a documented fallback: the Kalman filter skips it,
    # the closed form cannot.
    orders = dict(p=1, D=1, Q=1, season_length=7)
    X, y, X_new = _series(63)
    y[30] = np.nan
    used_fit = _fit_and_compare(SARIMAEstimator(**orders), y, X, X_new, orders, None, statsmodels_fit_calls)
    assert used_fit == 1


def test_forward_differences_are_scipys_two_point_gradient():
    """The fit's own gradient is SciPy's ``approx_fprime(x, f, 1e-5)`` bit for bit.

    That is what ``fmin_l_bfgs_b(approx_grad=True, epsilon=1e-5)`` runs, so
    L-BFGS-B takes the same path. Covered: the relative step SciPy falls back
    to where ``x + 1e-5`` rounds to ``x``, and a failed evaluation (inf).
    """
    from scipy.optimize import approx_fprime

    from skts.forecasting._arma_likelihood import forward_differences

    def objective(x):
        return np.inf if x[0] > 5 else float(np.sin(x[0]) * np.exp(x[1]) + x[2] ** 2)

    with_gradient = forward_differences(objective, 1e-5)
    for x in ([0.3, -1.2, 2.0], [-0.7, 0.0, 1e12], [4.999999, 0.5, -3.0]):
        x = np.asarray(x)
        value, gradient = with_gradient(x)
        expected = approx_fprime(x, objective, 1e-5)
        assert value == objective(x)
        assert np.array_equal(gradient, expected, equal_nan=True)
