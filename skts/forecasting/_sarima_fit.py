"""Fixed-order SARIMA estimation on the closed-form exact likelihood of the differenced series.

statsmodels' ``ARIMA.fit`` maximises the Kalman-filter likelihood of the
levels, about a hundred filter passes per fit. For the models where that
likelihood is the exact Gaussian likelihood of the differenced series (a
stationary ARMA with regressors), the same maximum is found here with
:class:`~skts.forecasting._arma_likelihood.ARMALikelihood`, whose evaluation
costs a fraction of a filter pass: same model, same start values, same
parameter transforms as statsmodels, the innovation variance concentrated
out. statsmodels' filter then runs once, at the estimate, for the
log-likelihood and information criteria it reports.
"""

import numpy as np
from scipy.optimize import fmin_l_bfgs_b

from skts.forecasting._arma_likelihood import ARMALikelihood, arma_polynomials, forward_differences

# statsmodels starts the differenced part of the state from a prior of
# variance 1e6 in the units of y (``concentrate_scale=False``), which makes
# its likelihood of the levels differ from the differenced series' exact
# likelihood by about ``n * sigma2 / 1e6``. Up to this ratio of the
# innovation variance to that prior the two maxima agree to 2e-4 in
# log-likelihood (the many-series benchmark, ratios up to 2e-4); beyond it
# the prior is not diffuse and statsmodels' own fit is used, whose result
# depends on the units of y (SARIMAEstimator's Notes).
MAX_VARIANCE_RATIO = 1e-3


def closed_form_refusal(estimator, y, fit_kwargs):
    """Why the closed form cannot reproduce statsmodels' fit, or None when it can.

    Parameters
    ----------
    estimator : SARIMAEstimator
    y : ndarray of shape (n,)
        The history from its first observed row.
    fit_kwargs : dict
        The keyword arguments for statsmodels' ``fit``.
    """
    if not np.isfinite(y).all():
        return "missing values, which the Kalman filter skips"
    if not (estimator.enforce_stationarity and estimator.enforce_invertibility):
        return "enforce_stationarity=False or enforce_invertibility=False (a diffuse start)"
    unsupported = set(fit_kwargs) - {"cov_type", "cov_kwds", "low_memory", "method_kwargs"}
    if unsupported or set(fit_kwargs.get("method_kwargs", {})) - {"maxiter"}:
        return "fit_kwargs for statsmodels' optimiser"
    return None


def fit_differenced(model, y, orders, maxiter):
    """Maximum-likelihood parameters of statsmodels' ``model`` from the differenced series.

    Parameters
    ----------
    model : statsmodels.tsa.arima.model.ARIMA
        The model on ``y`` (orders, trend, covariates, constraints); its
        start values, transforms and parameter order are used.
    y : ndarray of shape (n,)
        The levels, without missing values.
    orders : tuple of int
        ``(p, d, q, P, D, Q, season_length)``; ``season_length`` is unused
        when ``D = P = Q = 0``.
    maxiter : int
        Iterations of the optimiser.

    Returns
    -------
    params : ndarray of shape (n_params,)
        In statsmodels' order (regressors, AR, MA, seasonal AR, seasonal MA,
        then the variance unless it is concentrated).
    converged : bool
        Whether the optimiser met its tolerance within ``maxiter``.
    llf : float
        The exact log-likelihood of the differenced series at ``params``.
    """
    p, d, q, P, D, Q, m = orders
    regressors = np.empty((len(y), 0)) if model.exog is None else np.asarray(model.exog, dtype=np.float64)
    w, regressors = _difference(y, d, D, m), _difference(regressors, d, D, m)
    n_regression = regressors.shape[1]
    n_arma = p + q + P + Q
    concentrated = bool(model.concentrate_scale)
    likelihood = ARMALikelihood(len(w), p + P * m, q + Q * m)

    def loglike(params):
        ar, ma = arma_polynomials(params[n_regression : n_regression + n_arma], p, q, P, Q, m)
        centred = w - regressors @ params[:n_regression] if n_regression else w
        return likelihood(centred, ar, ma)

    def full(free):
        # The variance, when it is a parameter, is at its maximum-likelihood
        # value for the others: a placeholder here, set after the optimum.
        return free if concentrated else np.append(free, 1.0)

    n_free = len(model.param_names) - (0 if concentrated else 1)
    if n_free == 0:
        free, converged = np.zeros(0), True
    else:
        def objective(unconstrained):
            try:
                value = loglike(model.transform_params(full(unconstrained))[:n_free])[0]
            except (np.linalg.LinAlgError, ValueError):
                return np.inf
            return -value / len(w) if np.isfinite(value) else np.inf

        start = model.untransform_params(model.start_params)[:n_free]
        # Tighter than SciPy's defaults: the likelihood is flat near the
        # invertibility boundary, where a seasonal MA of over-differenced data
        # ends up, and the defaults stopped up to 1e-2 short of statsmodels'
        # maximum on the many-series benchmark (within 2e-4 at these).
        with_gradient = forward_differences(objective, 1e-5)
        solution, _, info = fmin_l_bfgs_b(with_gradient, start, maxiter=maxiter, factr=1e4, pgtol=1e-8)
        if info["warnflag"] == 2:
            # The line search failed at these tolerances, where forward
            # differences are noisy: from there, SciPy's defaults decide.
            solution, _, info = fmin_l_bfgs_b(with_gradient, solution, maxiter=max(maxiter - info["nit"], 1))
        free = model.transform_params(full(solution))[:n_free]
        converged = info["warnflag"] == 0
    llf, sigma2 = loglike(free)
    if not np.isfinite(llf):
        raise ValueError("the likelihood is not finite at the estimate")
    return (free if concentrated else np.r_[free, sigma2]), converged, float(llf)


def _difference(values, d, D, m):
    """``(1 - B)^d (1 - B^m)^D`` applied down the rows of ``values``."""
    for _ in range(d):
        values = values[1:] - values[:-1]
    for _ in range(D):
        values = values[m:] - values[:-m]
    return values
