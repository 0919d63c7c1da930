"""Seasonal ARIMA forecaster over statsmodels' ``ARIMA``."""

import contextlib
import warnings
from numbers import Integral

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from skts._blas import one_blas_thread
from skts._compat import STATSMODELS_START_PARAMS_MESSAGES, Interval, StrOptions, statsmodels_converged
from skts.forecasting._base import BaseForecaster
from skts.forecasting._sarima_fit import MAX_VARIANCE_RATIO, closed_form_refusal, fit_differenced


@contextlib.contextmanager
def _quiet_statsmodels():
    """One BLAS thread, and none of statsmodels' RuntimeWarnings of a zero scale.

    statsmodels' filter divides by the innovation variance, and takes its
    log, for its standardised errors and log-likelihood, which forecasts never
    read; a history the model fits exactly (variance 0) makes them warn on
    every call.
    ``catch_warnings`` restores the caller's warning filters on exit.
    """
    with one_blas_thread(), warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            r"(invalid value|divide by zero) encountered in (scalar )?(divide|log)",
            RuntimeWarning,
            r"statsmodels\.",
        )
        yield


class SARIMAEstimator(BaseForecaster):
    """Seasonal ARIMA with covariates, estimated by statsmodels' ``ARIMA``.

    The model is SARIMA(p, d, q)(P, D, Q, season_length) with an optional
    deterministic trend; the covariate columns of ``X`` enter as exogenous
    regressors (regression with SARIMA errors). Parameters are statsmodels'
    exact maximum-likelihood estimates
    (``statsmodels.tsa.arima.model.ARIMA(...).fit()``), found on the
    closed-form exact likelihood of the differenced series (see Notes). ``update`` appends
    observations without re-estimating (statsmodels' ``append(refit=False)``),
    which makes one-step-ahead backtests cheap.

    Parameters
    ----------
    p : int, default=1
        Order of the autoregressive part (lags 1..p).
    d : int, default=0
        Order of differencing.
    q : int, default=0
        Order of the moving-average part.
    P : int, default=0
        Order of the seasonal autoregressive part (lags ``season_length``,
        ``2 * season_length``, ...).
    D : int, default=0
        Order of seasonal differencing at lag ``season_length``.
    Q : int, default=0
        Order of the seasonal moving-average part.
    season_length : int, default=1
        Number of time steps in one season (7 for daily data with a weekly
        pattern). 1 means no season, as everywhere in skts; ``P``, ``D`` or
        ``Q`` above 0 need ``season_length >= 2``.
    trend : {"n", "c", "t", "ct"}, default=None
        Deterministic trend: none, constant, linear time trend, or both.
        None means statsmodels' default: a constant when the model has no
        differencing, none otherwise. With differencing (``d + D >= 1``),
        ``"c"`` is the drift: a constant in the differenced series, which
        makes the forecasts of the levels grow linearly, by the same amount
        each step (``d = 1``) or each season (``D = 1``); ``auto.arima``'s
        drift. It is fitted as the time
        trend ``t ** (d + D)`` of the levels, the lowest-order term that the
        differencing does not remove (statsmodels' ``trend="t"`` when
        ``d + D = 1``, which is therefore the same model). Other terms of
        lower order than ``d + D`` are removed by the differencing and are
        rejected with an error that names ``"c"``.
    enforce_stationarity : bool, default=True
        Restrict the (seasonal) autoregressive parameters to a stationary
        process during estimation.
    enforce_invertibility : bool, default=True
        Restrict the (seasonal) moving-average parameters to an invertible
        process during estimation.
    concentrate_scale : bool, default=False
        Concentrate the error variance out of the likelihood, which removes
        one parameter from the numerical optimisation and, with
        differencing, makes the fit independent of the units of ``y`` (see
        Notes).
    maxiter : int, default=50
        Maximum number of iterations of the likelihood optimiser. A fit that
        stops here without converging raises a
        :class:`~sklearn.exceptions.ConvergenceWarning`.
    fit_kwargs : dict, default=None
        Rarely needed keyword arguments for statsmodels' ``ARIMA.fit``, for
        example ``{"method_kwargs": {"method": "nm"}}`` to change the
        optimiser, or ``{"cov_type": "oim"}`` for the parameter covariance
        that ``results_`` reports (computed when ``results_`` is read,
        never in ``fit``). Only the state-space estimation is supported, and
        ``maxiter`` is set by the parameter of that name.

    Attributes
    ----------
    results_ : statsmodels.tsa.arima.model.ARIMAResults
        statsmodels' results of ``params_`` on the whole history, the rows
        added by ``update`` included (what ``append(refit=False)`` gives).
        Rebuilt at each access from ``params_`` and the history: the fitted
        model keeps no filter output, so it stays small (its pickle grows
        with the rows of the history). Its data are plain arrays:
        timestamps are kept in ``index_``.
    params_ : ndarray of shape (n_params,)
        Estimated parameters, named by ``results_.param_names`` (for example
        ``"x1"``, ``"ar.L1"``, ``"ma.S.L7"``, ``"sigma2"``).
    aic_ : float
        Akaike information criterion of the estimation (lower is better).
    aicc_ : float
        AIC corrected for small samples.
    bic_ : float
        Bayesian information criterion.
    n_features_in_ : int
        Number of covariate columns of ``X``, used as exogenous regressors.
    y_, X_, index_, freq_, target_names_ :
        See :class:`~skts.forecasting.BaseForecaster`.

    See Also
    --------
    NaiveSeasonal : The SARIMA(0, 0, 0)(0, 1, 0, s) forecast, as a baseline.
    statsmodels.tsa.arima.model.ARIMA : The model this estimator wraps.

    Notes
    -----
    Rows are time steps: pandas rows (``DatetimeIndex``, ``PeriodIndex`` or
    integer labels) are aligned by label, NumPy rows follow the history
    immediately, so ``TimeSeriesSplit(gap>0)`` needs pandas input.

    ``aic_``, ``aicc_`` and ``bic_`` describe the estimation in ``fit``;
    ``update`` does not change them.

    Inside a grid search a statsmodels fit can warn many times (starting
    parameters reset, optimiser not converged). ``fit`` catches those
    warnings and emits at most one: a
    :class:`~sklearn.exceptions.ConvergenceWarning` naming the orders when the
    optimiser did not converge, else a ``UserWarning`` for other problems
    statsmodels reported. The starting-parameter notices alone are not
    reported: the optimiser starts from zeros instead, which is harmless when
    it converges. A fit that fails (singular matrices, an invalid model
    such as overlapping seasonal and non-seasonal lags) raises a
    ``ValueError`` that names the orders; scikit-learn's search tools record
    it as a failed fit.

    Leading NaN rows of ``y`` (from differencing) are left out of the
    estimation; NaN after the first observation are missing values, which
    the Kalman filter skips (the likelihood and forecasts are statsmodels'
    own for a series with gaps); the model needs at least
    ``d + D * season_length + 2`` observed rows.

    With differencing (``d + D >= 1``), statsmodels starts the differenced
    part of the state from an approximate diffuse prior of variance 1e6 in
    the units of ``y``. For a series of large values that prior is not
    diffuse, and the default fit depends on the units: the textbook's
    SARIMA(1, 0, 0)(0, 1, 1, 7) on two months of rail ridership forecasts
    March-May with a one-step MAE of 32,236 riders fitted on riders, 37,695
    fitted on thousands of riders. With ``concentrate_scale=True`` the prior
    is relative to the error variance and the fit is the same in any unit
    (the exact likelihood that :class:`~skts.forecasting.AutoSARIMA` maximises).

    Fixed-order fits maximise the exact likelihood of the differenced
    series in closed form (the one :class:`~skts.forecasting.AutoSARIMA` scores with),
    then run statsmodels' Kalman filter once at the estimate: statsmodels'
    log-likelihood there is within 1e-3 of its own maximum, at a fraction
    of its CPU. statsmodels' own optimiser is used instead for missing
    values, ``enforce_stationarity=False`` or ``enforce_invertibility=False``,
    ``fit_kwargs`` that configure its optimiser, and, with differencing and
    ``concentrate_scale=False``, an innovation variance above 1e3 in the
    squared units of ``y`` (where the diffuse prior above is not diffuse).

    statsmodels' Kalman filter works on matrices of a few dozen elements,
    so ``fit``, ``predict`` and ``update`` limit BLAS to one thread while it
    runs: the results are unchanged, and on a busy machine BLAS threads made
    each fit many times slower.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.forecasting import SARIMAEstimator
    >>> rng = np.random.default_rng(0)
    >>> y = 10 + np.tile([0.0, 5.0, -5.0], 20) + rng.normal(size=60)
    >>> model = SARIMAEstimator(p=1, D=1, Q=1, season_length=3)
    >>> model.fit(np.empty((60, 0)), y).predict(np.empty((3, 0))).round()
    array([10., 15.,  5.])

    A seasonal series that grows steadily, like the airline passengers, here
    by 1.5 a season (0.5 a step): after seasonal differencing, ``trend="c"``
    is the growth per season (the drift), added once more with every season
    ahead; without it the forecasts repeat the last season.

    >>> y = 0.5 * np.arange(60) + np.tile([0.0, 5.0, -5.0], 20) + rng.normal(size=60)
    >>> drift = SARIMAEstimator(p=0, D=1, season_length=3, trend="c").fit(None, y)
    >>> no_drift = SARIMAEstimator(p=0, D=1, season_length=3, trend="n").fit(None, y)
    >>> (drift.predict(np.empty((6, 0))) - no_drift.predict(np.empty((6, 0)))).round()
    array([2., 2., 2., 3., 3., 3.])
    """

    # statsmodels' Kalman filter skips missing observations: NaN inside the
    # history (and in rows passed to update) are missing values, not errors.
    _allow_interior_nan = True

    _parameter_constraints = {
        "p": [Interval(Integral, 0, None, closed="left")],
        "d": [Interval(Integral, 0, None, closed="left")],
        "q": [Interval(Integral, 0, None, closed="left")],
        "P": [Interval(Integral, 0, None, closed="left")],
        "D": [Interval(Integral, 0, None, closed="left")],
        "Q": [Interval(Integral, 0, None, closed="left")],
        "season_length": [Interval(Integral, 1, None, closed="left")],
        "trend": [StrOptions({"n", "c", "t", "ct"}), None],
        "enforce_stationarity": ["boolean"],
        "enforce_invertibility": ["boolean"],
        "concentrate_scale": ["boolean"],
        "maxiter": [Interval(Integral, 1, None, closed="left")],
        "fit_kwargs": [dict, None],
    }

    def __init__(
        self,
        *,
        p=1,
        d=0,
        q=0,
        P=0,
        D=0,
        Q=0,
        season_length=1,
        trend=None,
        enforce_stationarity=True,
        enforce_invertibility=True,
        concentrate_scale=False,
        maxiter=50,
        fit_kwargs=None,
    ):
        self.p = p
        self.d = d
        self.q = q
        self.P = P
        self.D = D
        self.Q = Q
        self.season_length = season_length
        self.trend = trend
        self.enforce_stationarity = enforce_stationarity
        self.enforce_invertibility = enforce_invertibility
        self.concentrate_scale = concentrate_scale
        self.maxiter = maxiter
        self.fit_kwargs = fit_kwargs

    @property
    def _min_history(self):
        # Fewer rows leave statsmodels nothing to estimate from after the
        # differencing and it fails with an unrelated IndexError.
        seasonal_diff = self.D * self.season_length if self._is_seasonal() else 0
        return self.d + seasonal_diff + 2

    def _fit(self, y, X):
        # Parameter errors first, unwrapped by the "could not be fitted" below.
        self._seasonal_order()
        trend = self._statsmodels_trend()
        fit_kwargs = self._statsmodels_fit_kwargs()
        exog = X if X.shape[1] else None
        if trend is None:
            # statsmodels' default: a constant only without differencing.
            has_trend = self.d + (self.D if self._is_seasonal() else 0) == 0
        else:
            has_trend = trend != "n"
        if self.concentrate_scale and not (self.p or self.q or self.P or self.Q or has_trend or exog is not None):
            raise ValueError(
                f"{self._describe()} with concentrate_scale=True has nothing left to "
                "estimate: concentrating the scale removes the variance, the only "
                "parameter of a model without AR/MA terms, trend or covariates. Use "
                "concentrate_scale=False."
            )
        # The parameter covariance is computed when results_ is read, not here.
        fit_kwargs.setdefault("cov_type", "none")
        with one_blas_thread(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                # Plain arrays: the base class owns the timestamps, and
                # statsmodels would warn about the frequency of every slice.
                model = self._statsmodels_model(y[:, 0], X)
                results, converged = self._fit_closed_form(model, y[:, 0], fit_kwargs)
                if results is None:
                    results = model.fit(**fit_kwargs)
                    converged = statsmodels_converged(results)
            except (np.linalg.LinAlgError, ValueError) as exc:
                raise ValueError(
                    f"{self._describe()} could not be fitted on {len(y)} rows: "
                    f"statsmodels raised {type(exc).__name__}: {exc} Try lower "
                    "orders, more differencing (d, D) or a longer history."
                ) from exc
        params = np.asarray(results.params)
        if not np.isfinite(params).all():
            peak = float(np.nanmax(np.abs(y)))
            advice = (
                f"y reaches {peak:.3g}, whose square overflows float64 in statsmodels' likelihood: "
                "fit y divided by a power of ten and multiply the forecasts back, or use "
                "AutoSARIMA, which standardises y."
                if peak > 1e150
                else "Try lower orders, more differencing (d, D) or a longer history."
            )
            raise ValueError(f"{self._describe()} fitted non-finite parameters on {len(y)} rows. {advice}")
        self._report_fit_warnings(caught, converged)
        self.params_ = params
        # Through fit, results_ is rebuilt from the stored history when read;
        # _fit called on its own (AutoSARIMA scores candidates so) has none.
        self._results = None if "y_" in self.__dict__ else results
        self.aic_ = float(results.aic)
        self.aicc_ = float(results.aicc)
        self.bic_ = float(results.bic)

    def _predict(self, horizon, X):
        exog = X if X.shape[1] else None
        with _quiet_statsmodels():
            forecast = self._filtered().forecast(horizon, exog=exog)
        return np.asarray(forecast).reshape(horizon, 1)

    def _update(self, y, X):
        # The filter over the history, the new rows included, is rebuilt from
        # y_ and params_ when a forecast needs it, which is what statsmodels'
        # append(refit=False) computes; results_ is rebuilt when read.
        self._results = None

    def _rolling_forecasts(self, y, X, origins, horizon):
        mean, _ = self._rolling_moments(y, X, origins, horizon, variance=False)
        return mean[:, :, None]

    def _rolling_moments(self, y, X, origins, horizon, variance=True):
        """Forecast means (and variances) of ``horizon`` steps from every origin.

        One ``extend`` runs the Kalman filter once over the new rows, from the
        end of the filtered history, without changing the forecaster. Its
        predicted state at new row ``j`` is what the model knows at origin
        ``j``; the forecasts ``k`` steps further follow from the state-space
        recursions ``a <- T a + c``, ``P <- T P T' + R Q R'`` and
        ``y = Z a + d`` with variance ``Z P Z' + H``, batched over origins.
        The result equals ``predict`` (and ``get_forecast``) after ``update``
        once per origin, at the cost of one filter pass for any horizon. The
        variances use the fitted scale; with ``concentrate_scale=True``,
        where ``update`` re-estimates the scale on the longer history, the
        quantile path walks the origins instead.

        Returns
        -------
        mean : ndarray of shape (n_origins, horizon)
        var : ndarray of shape (n_origins, horizon) or None
        """
        needed = int(origins[-1]) + horizon
        exog = X[:needed] if X.shape[1] else None
        with _quiet_statsmodels():
            history = self._filtered()
            extended = _extend(history, y[:needed, 0], exog)
        filtered = extended.filter_results
        ssm = extended.model.ssm
        times = np.asarray(origins, dtype=np.intp)
        state = filtered.predicted_state[:, times]
        cov = filtered.predicted_state_cov[:, :, times] if variance else None
        mean = np.empty((len(times), horizon))
        var = np.empty((len(times), horizon)) if variance else None
        for k in range(horizon):
            design = _at_times(ssm, "design", times)
            mean[:, k] = _observe(design, state) + _at_times(ssm, "obs_intercept", times)[0]
            if variance:
                var[:, k] = _observe_cov(design, cov) + _at_times(ssm, "obs_cov", times)[0, 0]
            if k + 1 < horizon:
                transition = _at_times(ssm, "transition", times)
                state = _propagate(transition, state) + _at_times(ssm, "state_intercept", times)
                if variance:
                    selection = _at_times(ssm, "selection", times)
                    state_cov = _at_times(ssm, "state_cov", times)
                    cov = _propagate_cov(transition, cov) + np.einsum(
                        "irt,rqt,jqt->ijt", selection, state_cov, selection
                    )
                times = times + 1
        if variance:
            # The fitted scale: extend() would re-estimate a concentrated scale
            # from the new rows alone.
            var = var * history.scale
        return mean, var

    def _predict_quantiles(self, horizon, X, quantiles):
        # statsmodels' own forecast distribution: Gaussian with the Kalman
        # filter's forecast mean and variance (what get_forecast().conf_int uses).
        exog = X if X.shape[1] else None
        with _quiet_statsmodels():
            prediction = self._filtered().get_forecast(horizon, exog=exog)
        return _gaussian_quantiles(prediction, quantiles)

    def _rolling_quantiles(self, y, X, origins, horizon, quantiles):
        # The forecast means and variances of every origin from one filter
        # pass, as in _rolling_forecasts; Gaussian quantiles as get_forecast's.
        from scipy.stats import norm

        if self.concentrate_scale:
            # update() re-concentrates the scale over the longer history at
            # every origin, which one filter pass over the new rows does
            # not: walk the origins as update() would.
            return super()._rolling_quantiles(y, X, origins, horizon, quantiles)
        mean, var = self._rolling_moments(y, X, origins, horizon)
        values = mean[:, :, None] + np.sqrt(var)[:, :, None] * norm.ppf(quantiles)
        return mean[:, :, None], values[:, :, None, :]

    @property
    def results_(self):
        """statsmodels' results of the fitted parameters on the whole history.

        Built from ``params_`` and the history at the first access (one
        Kalman filter and smoother pass, plus the parameter covariance that
        ``fit_kwargs["cov_type"]`` asks for), then kept until ``update``;
        never pickled. Forecasts do not need it: a fitted model keeps its
        parameters and data, not the filter output of every row.
        """
        check_is_fitted(self, "params_")
        if self.__dict__.get("_results") is None:
            fit_kwargs = self._statsmodels_fit_kwargs()
            options = {key: fit_kwargs[key] for key in ("cov_type", "cov_kwds") if key in fit_kwargs}
            with _quiet_statsmodels():
                self._results = self._statsmodels_model(*self._history()).smooth(self.params_, **options)
        return self._results

    def __getstate__(self):
        # A copy without the statsmodels results, which results_ rebuilds:
        # they hold the filter and smoother output of every row.
        state = dict(super().__getstate__())
        state.pop("_results", None)
        return state

    def _filtered(self):
        """The Kalman filter over the history at ``params_``: what forecasts start from."""
        return self._statsmodels_model(*self._history()).filter(self.params_, cov_type="none")

    def _history(self):
        """The target and covariates from the first observed row on (as ``_fit`` saw them)."""
        start = int(np.argmax(np.isfinite(self.y_[:, 0])))
        return self.y_[start:, 0], self.X_[start:]

    def _statsmodels_model(self, y, X):
        """statsmodels' ``ARIMA`` of these orders and options on ``y``, shape (n,), and ``X``."""
        from statsmodels.tsa.arima.model import ARIMA

        return ARIMA(
            y,
            exog=X if X.shape[1] else None,
            order=(self.p, self.d, self.q),
            seasonal_order=self._seasonal_order(),
            trend=self._statsmodels_trend(),
            enforce_stationarity=self.enforce_stationarity,
            enforce_invertibility=self.enforce_invertibility,
            concentrate_scale=self.concentrate_scale,
        )

    # -- helpers -------------------------------------------------------------

    def _is_seasonal(self):
        return self.P > 0 or self.D > 0 or self.Q > 0

    def _seasonal_order(self):
        if not self._is_seasonal():
            return (0, 0, 0, 0)
        if self.season_length < 2:
            raise ValueError(
                f"P={self.P}, D={self.D}, Q={self.Q} describe a seasonal model, which "
                f"needs season_length >= 2 (got {self.season_length}). Set "
                "season_length to the number of steps in one season (7 for a "
                "weekly pattern in daily data), or P=D=Q=0."
            )
        return (self.P, self.D, self.Q, self.season_length)

    def _statsmodels_trend(self):
        """The trend as statsmodels takes it: ``"c"`` with differencing is the drift."""
        n_diff = self.d + (self.D if self._is_seasonal() else 0)
        if self.trend is None or self.trend == "n" or n_diff == 0:
            return self.trend
        if self.trend == "c":
            # (1 - B)^d (1 - B^s)^D t^(d + D) is a constant: a constant in the
            # differenced series. statsmodels rejects "c" itself here, since
            # the differencing would remove it.
            return [0] * n_diff + [1]
        if self.trend == "t" and n_diff == 1:
            return "t"
        raise ValueError(
            f"trend={self.trend!r} cannot be estimated with d + D = {n_diff} "
            f"(d={self.d}, D={self.D}): the differencing removes the constant"
            + (" and the linear trend" if n_diff >= 2 else "")
            + ". For a constant in the differenced series (the drift that makes "
            "forecasts grow linearly), use trend='c'; for none, trend='n'."
        )

    def _statsmodels_fit_kwargs(self):
        # Copies: statsmodels writes into method_kwargs, and user parameters
        # are never mutated.
        fit_kwargs = dict(self.fit_kwargs or {})
        if fit_kwargs.get("method", "statespace") != "statespace":
            raise ValueError(
                f"fit_kwargs sets method={fit_kwargs['method']!r}; SARIMAEstimator "
                "estimates by state-space maximum likelihood only. Remove 'method' "
                "(the optimiser is chosen by fit_kwargs={'method_kwargs': {'method': ...}})."
            )
        method_kwargs = dict(fit_kwargs.get("method_kwargs") or {})
        if "maxiter" in method_kwargs:
            raise ValueError(
                "fit_kwargs['method_kwargs'] sets 'maxiter'; use the maxiter "
                "parameter of SARIMAEstimator instead, so that grid searches see it."
            )
        method_kwargs["maxiter"] = self.maxiter
        fit_kwargs["method_kwargs"] = method_kwargs
        return fit_kwargs

    def _describe(self):
        seasonal = ""
        if self._is_seasonal():
            seasonal = f"({self.P}, {self.D}, {self.Q}, season_length={self.season_length})"
        trend = "" if self.trend is None else f" trend={self.trend!r}"
        return f"SARIMA({self.p}, {self.d}, {self.q}){seasonal}{trend}"

    def _fit_closed_form(self, model, y, fit_kwargs):
        """statsmodels' results at the closed-form estimate and its convergence, or (None, None).

        None where the closed form does not give statsmodels' maximum (see
        Notes): the caller then runs statsmodels' own fit.
        """
        if closed_form_refusal(self, y, fit_kwargs) is not None:
            return None, None
        seasonal = self._is_seasonal()
        orders = (self.p, self.d, self.q, self.P, self.D if seasonal else 0, self.Q, self.season_length)
        try:
            params, converged, _ = fit_differenced(model, y, orders, self.maxiter)
        except (np.linalg.LinAlgError, ValueError):
            # A history the model fits exactly (zero innovation variance, as
            # AutoSARIMA's exact fits are) has no finite likelihood in closed
            # form; statsmodels' own fit handles it.
            return None, None
        n_diff = self.d + (self.D if seasonal else 0)
        if n_diff and not self.concentrate_scale and params[-1] > MAX_VARIANCE_RATIO * model.ssm.initial_variance:
            return None, None
        # statsmodels' filter, once: its log-likelihood and criteria, as its fit reports them.
        return model.filter(params, cov_type="none"), converged

    def _report_fit_warnings(self, caught, converged):
        """Re-emit the warnings statsmodels raised during one fit as at most one."""
        from statsmodels.tools.sm_exceptions import ConvergenceWarning as SMConvergenceWarning

        notes = {}
        for record in caught:
            # Our ConvergenceWarning replaces statsmodels' own.
            if not issubclass(record.category, SMConvergenceWarning):
                message = str(record.message)
                notes[message] = notes.get(message, 0) + 1
        if not converged:
            warnings.warn(
                f"{self._describe()}: the likelihood optimiser did not converge in "
                f"maxiter={self.maxiter} iterations; the parameters and forecasts "
                "may be poor. Raise maxiter, lower the orders, or difference the "
                "series (d, D) if it trends." + _statsmodels_notes(notes),
                ConvergenceWarning,
                stacklevel=4,
            )
            return
        others = {
            msg: count for msg, count in notes.items() if not any(key in msg for key in STATSMODELS_START_PARAMS_MESSAGES)
        }
        if others:
            warnings.warn(
                f"{self._describe()}: fitted, but{_statsmodels_notes(others)}", UserWarning, stacklevel=4
            )


def _extend(results, endog, exog):
    """``results.extend(endog, exog=exog)``, right also for a concentrated scale.

    ``extend`` starts the filter of the new rows from the last predicted
    state and its covariance. statsmodels (0.14-0.15) hands it that
    covariance as its results report it, multiplied by the concentrated
    scale, while the new rows' filter runs in units of the scale: the past
    then weighs ``scale`` times too little, and the forecasts after the
    first new row are not those of ``append`` (on the rail series, one-step
    forecasts up to 50,000 riders apart). Here the extended model (with
    statsmodels' own trend offset and checks) is filtered again from the
    covariance divided back into the filter's units.
    """
    extended = results.extend(endog, exog=exog)
    if not results.model.concentrate_scale:
        return extended
    from statsmodels.tsa.statespace.initialization import Initialization

    model = extended.model
    model.ssm.initialization = Initialization(
        model.k_states,
        "known",
        constant=results.predicted_state[..., -1],
        stationary_cov=results.predicted_state_cov[..., -1] / results.scale,
    )
    return model.filter(results.params, cov_type="none")


# Dimensions of the time-invariant form of each state-space matrix, as
# statsmodels returns it; a time-varying one has a trailing time axis.
_SSM_NDIM = {
    "design": 2,
    "obs_intercept": 1,
    "obs_cov": 2,
    "transition": 2,
    "state_intercept": 1,
    "selection": 2,
    "state_cov": 2,
}


def _at_times(ssm, name, times):
    """State-space matrix ``name`` at each of ``times``, time as the last axis."""
    matrix = np.asarray(ssm[name])
    if matrix.ndim == _SSM_NDIM[name]:
        return np.broadcast_to(matrix[..., None], (*matrix.shape, len(times)))
    return matrix[..., times]


def _observe(design, state):
    """First observed variable ``Z a`` per origin: ``(1, s, n), (s, n) -> (n,)``."""
    return np.einsum("sn,sn->n", design[0], state)


def _observe_cov(design, cov):
    """Variance ``Z P Z'`` of the first observed variable per origin."""
    return np.einsum("sn,sun,un->n", design[0], cov, design[0])


def _propagate(transition, state):
    return np.einsum("ijn,jn->in", transition, state)


def _propagate_cov(transition, cov):
    return np.einsum("ijn,jkn,lkn->iln", transition, cov, transition)


def _gaussian_quantiles(prediction, quantiles):
    """Points ``(h, 1)`` and quantiles ``(h, 1, n_q)`` of a statsmodels prediction."""
    from scipy.stats import norm

    mean = np.asarray(prediction.predicted_mean, dtype=np.float64)
    std = np.sqrt(np.asarray(prediction.var_pred_mean, dtype=np.float64))
    values = mean[:, None] + std[:, None] * norm.ppf(quantiles)[None, :]
    return mean[:, None], values[:, None, :]


def _statsmodels_notes(notes):
    """The distinct statsmodels warning messages of one fit, with repeat counts."""
    if not notes:
        return ""
    listed = "; ".join(f"{msg} (x{count})" if count > 1 else msg for msg, count in notes.items())
    return f" statsmodels warned: {listed}"
