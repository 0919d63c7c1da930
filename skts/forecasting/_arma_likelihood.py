"""Exact Gaussian likelihood of a stationary ARMA, for scoring AutoSARIMA's candidates.

The likelihood is the one statsmodels' Kalman filter computes for the same
model (``SARIMAX`` with a stationary start), evaluated in closed form: the
residuals of the ARMA recursion started from zeros, corrected for the
unknown values before the first row (the last ``r`` observations and ``s``
innovations, whose joint covariance follows from the model), as in Ljung and
Box (1979). Every step is a filter over the series or a small dense matrix
product, so one evaluation costs a fraction of a Kalman filter pass, whose
state for a seasonal model is as large as the season.

It also computes the conditional sum of squares (CSS) of the same model,
the objective of R's ``arima(method="CSS")``, which :func:`fit_arma` can
minimise instead of maximising the exact likelihood.
"""

import numpy as np
from scipy.linalg import solve_triangular
from scipy.optimize import fmin_l_bfgs_b
from scipy.signal import lfilter


class ARMALikelihood:
    """Exact log-likelihood of zero-mean stationary ARMA(r, s) models of a length-n series.

    The index arrays that depend only on ``(n, r, s)`` are built once, so
    that an optimiser's many evaluations pay for the arithmetic only.

    Parameters
    ----------
    n : int
        Length of the series.
    r, s : int
        Degrees of the AR and MA polynomials (seasonal parts multiplied in).
    """

    def __init__(self, n, r, s):
        self.n, self.r, self.s = n, r, s
        width = min(max(r, s), n)
        self._width = width
        # Pre-sample value k enters row t with coefficient poly[t + k + 1].
        self._ar_hankel = np.arange(r)[:, None] + np.arange(min(r, n))[None, :] + 1
        self._ma_hankel = np.arange(s)[:, None] + np.arange(min(s, n))[None, :] + 1
        delay = np.arange(n)[None, :] - np.arange(width)[:, None]
        self._delay = np.maximum(delay, 0)
        self._causal = delay >= 0
        lags = np.arange(r + 1)
        below = lags[:, None] - lags[None, :]
        above = lags[:, None] + lags[None, :]
        self._below, self._below_mask = np.maximum(below, 0), below >= 0
        self._above, self._above_mask = np.minimum(above, r), (lags[None, :] >= 1) & (above <= r)
        rhs = lags[:, None] + np.arange(s + 1)[None, :]
        self._rhs, self._rhs_mask = np.minimum(rhs, s), rhs <= s
        self._toeplitz = np.abs(lags[:r, None] - lags[None, :r])
        gap = np.arange(s)[None, :] - lags[:r, None]
        self._gap, self._gap_mask = np.maximum(gap, 0), gap >= 0

    def __call__(self, w, ar, ma):
        """Log-likelihood of ``w`` at the maximum-likelihood innovation variance.

        Parameters
        ----------
        w : ndarray of shape (n,)
            The series (differenced, mean and regressors removed).
        ar : ndarray of shape (r + 1,)
            AR polynomial ``1 - phi_1 B - ... - phi_r B^r``, stationary.
        ma : ndarray of shape (s + 1,)
            MA polynomial ``1 + theta_1 B + ... + theta_s B^s``.

        Returns
        -------
        llf : float
        sigma2 : float
            The innovation variance, in the squared units of ``w``.
        """
        n, r, s = self.n, self.r, self.s
        residuals = lfilter(ar, ma, w)
        if r + s == 0:
            sigma2 = residuals @ residuals / n
            return -0.5 * n * (np.log(2 * np.pi * sigma2) + 1), sigma2
        # e = residuals + loadings.T @ z for the pre-sample values
        # z = (w_0, ..., w_{1-r}, e_0, ..., e_{1-s}), z ~ N(0, sigma2 * cov).
        inputs = np.zeros((r + s, self._width))
        ar_hankel, ma_hankel = self._ar_hankel, self._ma_hankel
        inputs[:r, : ar_hankel.shape[1]] = np.where(ar_hankel <= r, ar[np.minimum(ar_hankel, r)], 0.0)
        inputs[r:, : ma_hankel.shape[1]] = np.where(ma_hankel <= s, -ma[np.minimum(ma_hankel, s)], 0.0)
        impulse = np.zeros(n)
        impulse[0] = 1.0
        response = lfilter([1.0], ma, impulse)  # of 1 / ma(B)
        loadings = inputs @ np.where(self._causal, response[self._delay], 0.0)
        scaled = _square_root(self._presample_covariance(ar, ma)).T @ loadings
        factor = np.linalg.cholesky(np.eye(r + s) + scaled @ scaled.T)
        projected = solve_triangular(factor, scaled @ residuals, lower=True, check_finite=False)
        sigma2 = (residuals @ residuals - projected @ projected) / n
        log_det = 2 * np.log(np.diag(factor)).sum()
        return -0.5 * n * (np.log(2 * np.pi * sigma2) + 1) - 0.5 * log_det, sigma2

    def _presample_covariance(self, ar, ma):
        """Covariance of (w_0, ..., w_{1-r}, e_0, ..., e_{1-s}), in units of sigma2."""
        r, s = self.r, self.s
        impulse = np.zeros(max(r, s) + 1)
        impulse[0] = 1.0
        psi = lfilter(ma, ar, impulse)  # MA(infinity) weights
        covariance = np.eye(r + s)
        if not r:
            return covariance
        # Autocovariances gamma(0..r) solve gamma(k) - sum_i phi_i gamma(|k - i|)
        # = sum_{j >= k} theta_j psi_{j - k} (Brockwell and Davis, eq. 3.3.8).
        system = np.where(self._below_mask, ar[self._below], 0.0)
        system += np.where(self._above_mask, ar[self._above], 0.0)
        rhs = (np.where(self._rhs_mask, ma[self._rhs], 0.0) * psi[: s + 1]).sum(axis=1)
        gamma = np.linalg.solve(system, rhs)
        covariance[:r, :r] = gamma[self._toeplitz]
        if s:
            # cov(w_{-i}, e_{-j}) = psi_{j - i} for j >= i.
            cross = np.where(self._gap_mask, psi[self._gap], 0.0)
            covariance[:r, r:] = cross
            covariance[r:, :r] = cross.T
        return covariance


def _square_root(covariance):
    """A factor ``L`` with ``L @ L.T == covariance``, for a covariance that may be singular.

    The Cholesky factor where it exists; otherwise (a covariance singular to
    rounding, as when the MA weights die out within the pre-sample window)
    the eigendecomposition with the rounding-negative eigenvalues set to 0.
    """
    try:
        return np.linalg.cholesky(covariance)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(covariance)
        return vectors * np.sqrt(np.clip(values, 0.0, None))


def conditional_variance(w, ar, ma):
    """Conditional-sum-of-squares innovation variance of a zero-mean ARMA, as R's ``arima(method="CSS")``.

    The residuals of the ARMA recursion from row ``r = len(ar) - 1`` on,
    conditional on the first ``r`` observations and on zero innovations
    before row ``r``; their mean square. Unlike the exact likelihood, it
    sets the pre-sample innovations to zero instead of integrating over
    them, so a moving-average root on the unit circle does not raise it
    (see :func:`fit_arma`).

    Parameters
    ----------
    w : ndarray of shape (n,)
        The series (differenced, mean and regressors removed).
    ar : ndarray of shape (r + 1,)
        AR polynomial ``1 - phi_1 B - ... - phi_r B^r``.
    ma : ndarray of shape (s + 1,)
        MA polynomial ``1 + theta_1 B + ... + theta_s B^s``.

    Returns
    -------
    sigma2 : float
        Mean squared residual over the ``n - r`` rows, in the squared units of ``w``.
    """
    r = len(ar) - 1
    if len(w) <= r:
        raise ValueError(f"the conditional sum of squares needs more than {r} observations")
    # AR part from row r on (each row sees only observed values), then the
    # MA recursion started from zero innovations.
    autoregressive = np.convolve(w, ar, mode="valid") if r else w
    residuals = lfilter([1.0], ma, autoregressive)
    return float(residuals @ residuals / len(residuals))


def fit_arma(w, X, p, q, P, Q, m, mean, maxiter, method="ml"):
    """Fit a stationary (seasonal) ARMA with mean and regressors, by exact maximum likelihood or CSS.

    ``method="ml"``: the same model, parameters, start and optimiser as
    statsmodels' ``ARIMA(w, exog=X, order=(p, 0, q), seasonal_order=(P, 0,
    Q, m), trend="c" if mean else "n", concentrate_scale=True).fit()``:
    statsmodels' start values and parameter transforms (stationary AR,
    invertible MA), L-BFGS-B on the mean log-likelihood with forward
    differences of step 1e-5. Only the likelihood evaluations differ
    (:class:`ARMALikelihood` instead of the Kalman filter).

    ``method="css"``: the same start, transforms and optimiser on the
    conditional sum of squares (:func:`conditional_variance`, minimised as
    ``log(sigma2)``, R's CSS objective). On short series the exact
    likelihood maximised by ``"ml"`` is largest at a moving-average root on
    the unit circle with positive probability, most often when the true root
    is near it (the pile-up effect: a seasonal MA of -0.8 on eight seasons
    ends beyond -0.99 in about a fifth of simulated draws); the conditional
    sum of squares ends there far less often, and is biased towards 0
    instead. ``llf`` is the exact log-likelihood at the estimate for either
    method, so that candidates are scored on the same likelihood.

    Parameters
    ----------
    w : ndarray of shape (n,)
        The differenced series, without missing values.
    X : ndarray of shape (n, n_covariates)
        The regressors, differenced the same way.
    p, q, P, Q, m : int
        Orders and season length (``m`` is ignored when ``P = Q = 0``).
    mean : bool
        Estimate a mean of ``w``.
    maxiter : int
        Optimiser iterations.
    method : {"ml", "css"}, default="ml"
        Exact maximum likelihood, or conditional sum of squares.

    Returns
    -------
    llf : float
        Log-likelihood at the estimate.
    n_params : int
        Number of estimated parameters, the innovation variance included.
    converged : bool
        Whether the optimiser met its tolerance within ``maxiter``.
    params : ndarray
        The estimate, in statsmodels' order (mean, regressors, AR, MA,
        seasonal AR, seasonal MA).
    ar_poly : ndarray
        The AR polynomial at the estimate (seasonal part multiplied in).
    """
    from statsmodels.tsa.arima.model import ARIMA

    n = len(w)
    seasonal = P or Q
    model = ARIMA(
        w,
        exog=X if X.shape[1] else None,
        order=(p, 0, q),
        seasonal_order=(P, 0, Q, m) if seasonal else (0, 0, 0, 0),
        trend="c" if mean else "n",
        concentrate_scale=True,
    )
    n_regression = int(mean) + X.shape[1]
    design = np.column_stack([np.ones(n)] * int(mean) + [X])
    likelihood = ARMALikelihood(n, p + P * m, q + Q * m)

    def centred_polynomials(params):
        ar, ma = arma_polynomials(params[n_regression:], p, q, P, Q, m)
        return (w - design @ params[:n_regression] if n_regression else w), ar, ma

    def loglike(params):
        return likelihood(*centred_polynomials(params))[0]

    def half_log_css(params):
        # R's CSS objective, on the scale of -llf / n.
        return 0.5 * np.log(conditional_variance(*centred_polynomials(params)))

    if method not in ("ml", "css"):
        raise ValueError(f"method must be 'ml' or 'css', got {method!r}")
    if model.k_params == 0:
        params = np.zeros(0)
        converged = True
    else:
        def objective(unconstrained):
            try:
                params = model.transform_params(unconstrained)
                value = -loglike(params) / n if method == "ml" else half_log_css(params)
            except (np.linalg.LinAlgError, ValueError):
                return np.inf
            return value if np.isfinite(value) else np.inf

        start = model.untransform_params(model.start_params)
        solution, _, info = fmin_l_bfgs_b(forward_differences(objective, 1e-5), start, maxiter=maxiter)
        params = model.transform_params(solution)
        converged = info["warnflag"] == 0
    llf = loglike(params)
    if not np.isfinite(llf):
        raise ValueError("the likelihood is not finite at the estimate")
    return llf, len(params) + 1, converged, params, arma_polynomials(params[n_regression:], p, q, P, Q, m)[0]


def arma_polynomials(arma_params, p, q, P, Q, m):
    """AR and MA polynomials of a (seasonal) ARMA, seasonal parts multiplied in.

    Parameters
    ----------
    arma_params : ndarray of shape (p + q + P + Q,)
        AR, MA, seasonal AR and seasonal MA coefficients, in statsmodels'
        order and sign convention.
    p, q, P, Q, m : int
        Orders and season length (``m`` is ignored when ``P = Q = 0``).

    Returns
    -------
    ar : ndarray of shape (p + P * m + 1,)
        ``1 - phi_1 B - ...``, times the seasonal AR polynomial.
    ma : ndarray of shape (q + Q * m + 1,)
        ``1 + theta_1 B + ...``, times the seasonal MA polynomial.
    """
    # np.concatenate, not np.r_: this runs once per likelihood evaluation.
    ar = np.concatenate(([1.0], -arma_params[:p]))
    ma = np.concatenate(([1.0], arma_params[p : p + q]))
    if P or Q:
        seasonal_ar = np.zeros(P * m + 1)
        seasonal_ar[0] = 1.0
        seasonal_ar[m::m] = -arma_params[p + q : p + q + P]
        seasonal_ma = np.zeros(Q * m + 1)
        seasonal_ma[0] = 1.0
        seasonal_ma[m::m] = arma_params[p + q + P :]
        ar, ma = np.convolve(ar, seasonal_ar), np.convolve(ma, seasonal_ma)
    return ar, ma


def forward_differences(objective, step):
    """``x -> (objective(x), gradient)``, the gradient by forward differences of ``step``.

    The numbers of ``fmin_l_bfgs_b(approx_grad=True, epsilon=step)`` (SciPy's
    two-point ``approx_derivative`` with an absolute step): the same
    evaluations and the same arithmetic, hence the same optimum, without
    SciPy's generic differencing machinery, which cost about a fifth of a
    fixed-order fit and 7% of an AutoSARIMA search.
    """

    def value_and_gradient(x):
        value = objective(x)
        gradient = np.empty(len(x))
        for i in range(len(x)):
            shifted = x.copy()
            shifted[i] = x[i] + step
            # A step lost to rounding falls back to a relative one, as SciPy's.
            h = step if shifted[i] != x[i] else _RELATIVE_STEP * (1.0 if x[i] >= 0 else -1.0) * max(1.0, abs(x[i]))
            shifted[i] = x[i] + h
            gradient[i] = (objective(shifted) - value) / ((x[i] + h) - x[i])
        return value, gradient

    return value_and_gradient


# SciPy's relative step for two-point differences of float64 (its _eps_for_method).
_RELATIVE_STEP = np.finfo(np.float64).eps ** 0.5
