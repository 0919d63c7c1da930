"""SARIMA that chooses its own orders: unit-root tests and an information-criterion search."""

import contextlib
import time
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted

from skts._blas import one_blas_thread
from skts._validation import magnitude_unit
from skts.forecasting._arma_likelihood import fit_arma
from skts.forecasting._base import BaseForecaster
from skts.forecasting._sarima import SARIMAEstimator

# Models whose AR polynomial has a root this close to the unit circle are
# rejected, as auto.arima does: the series needed another difference, and
# their forecasts drift away. MA roots are not checked (see the class Notes).
_MIN_ROOT_MODULUS = 1.01

# Standardised values are multiples of 1 / _GRID (about 1e-12).
_GRID = 2.0**40

# Statuses of models chosen by a rule rather than by the criterion.
_CHOSEN_BY_RULE = ("exact fit", "constant end")

# The differenced standardised history is constant (an exact fit) when its
# standard deviation is below this: rounding, not noise.
_EXACT_TOLERANCE = 1e-10


class AutoSARIMA(BaseForecaster):
    """SARIMA whose orders, differencing and drift are chosen automatically.

    ``fit`` chooses the seasonal difference ``D`` by the strength of the
    seasonality (STL decomposition, as ``forecast::nsdiffs``), the ordinary
    difference ``d`` by repeated KPSS tests (as ``forecast::ndiffs``), then the
    orders ``p, q, P, Q`` and the constant (the mean when ``d + D = 0``, the
    drift when ``d + D = 1``) that minimise an information criterion, by
    Hyndman and Khandakar's stepwise search (``auto.arima``) or over a bounded
    grid. The chosen model is then refitted as a
    :class:`~skts.forecasting.SARIMAEstimator` (``best_estimator_``), and the estimator
    *is* that model: ``predict``, ``update``, ``forecast``,
    ``predict_rolling``, ``predict_interval``/``predict_quantiles`` (the
    chosen model's Gaussian forecast distribution) and backtests go
    through it.

    In the style of :class:`~sklearn.linear_model.LassoLarsIC`, the selection
    uses the likelihood of the training history only (no cross-validation),
    so one ``fit`` costs one maximum-likelihood fit per candidate.

    Parameters
    ----------
    season_length : int, default=1
        Number of time steps in one season (12 for monthly data, 4 for
        quarterly, 7 for daily data with a weekly pattern). 1 means no
        seasonal part (``D``, ``P`` and ``Q`` stay 0).
    search : {"stepwise", "grid"}, default="stepwise"
        ``"stepwise"``: start from four small models and move to the best
        neighbour (orders changed by one, the constant toggled) until none
        improves, as ``auto.arima(stepwise=TRUE)``. ``"grid"``: every model
        with ``p <= max_p``, ``q <= max_q``, ``P <= max_P``, ``Q <= max_Q``
        and ``p + q + P + Q <= max_order``, with and without the constant
        (parallel over ``n_jobs``).
    information_criterion : {"aicc", "aic", "bic"}, default="aicc"
        Criterion minimised by the search. The error variance counts as a
        parameter and the sample size is the number of observations after
        differencing, as in ``auto.arima``.
    d : int, default=None
        Order of differencing; None chooses it by KPSS tests (at most
        ``max_d``).
    D : int, default=None
        Order of seasonal differencing; None chooses 0 or 1 from the seasonal
        strength (at most ``max_D``). Always 0 when ``season_length < 2``.
    max_p, max_q : int, default=5
        Largest non-seasonal AR and MA orders. With a seasonal part they are
        also capped at ``season_length - 1``, and at a third of the history.
    max_P, max_Q : int, default=2
        Largest seasonal AR and MA orders.
    max_d : int, default=2
        Largest ``d`` the KPSS tests may choose.
    max_D : int, default=1
        Largest ``D`` the seasonal-strength test may choose.
    max_order : int, default=5
        Largest ``p + q + P + Q`` of the grid search (the stepwise search is
        bounded by ``max_models``).
    max_models : int, default=94
        Largest number of candidates the stepwise search fits.
    allow_drift : bool, default=True
        Consider a drift (a constant in the differenced series) when
        ``d + D = 1``.
    allow_mean : bool, default=True
        Consider a non-zero mean when ``d + D = 0``.
    kpss_alpha : float, default=0.05
        Level of the KPSS tests that choose ``d``: the series is differenced
        while the test rejects stationarity at this level.
    seasonal_threshold : float, default=0.64
        Seasonal strength (``1 - var(remainder) / var(remainder + seasonal)``
        of an STL decomposition) above which the series is seasonally
        differenced; 0.64 is ``forecast::nsdiffs``'s value, chosen on the M3
        and M4 competition data.
    candidate_fit : {"css", "ml"}, default="css"
        How the search estimates every candidate: ``"css"`` minimises the
        conditional sum of squares (R's ``arima(method="CSS")``, what
        ``auto.arima`` searches with on long or high-frequency series),
        ``"ml"`` maximises the exact likelihood. Either way the candidate is
        scored by its exact likelihood at that estimate, and the chosen model
        is refitted by exact maximum likelihood (see Notes).
    maxiter : int, default=50
        Iterations of the optimiser for every candidate.
    n_jobs : int, default=None
        Parallel workers for the grid search (joblib); None means 1. The
        stepwise search is sequential.
    verbose : int, default=0
        When > 0, print every candidate with its criterion, then one
        summary line: the chosen model, its criterion, the candidates
        fitted and failed, and the seconds the fit took.

    Attributes
    ----------
    best_estimator_ : SARIMAEstimator
        The chosen model, fitted on the standardised history
        ``(y - location_) / scale_`` (and updated by ``update``): its
        parameters, ``results_`` and forecasts are in those units, and
        AutoSARIMA's own forecasts and intervals are them times ``scale_``
        plus ``location_``.
    location_ : float
        Mean of the observed history (0 with ``allow_mean=False``).
    scale_ : float
        Standard deviation of the observed history about ``location_``
        (1 for a constant history).
    order_ : tuple of int
        ``(p, d, q)`` of the chosen model.
    seasonal_order_ : tuple of int
        ``(P, D, Q, season_length)`` of the chosen model; ``(0, 0, 0, 0)``
        without a seasonal part.
    trend_ : {"c", "n"}
        ``"c"``: the chosen model has a constant (mean or drift, see
        :class:`~skts.forecasting.SARIMAEstimator`'s ``trend``); ``"n"``: none.
    criterion_ : float
        Information criterion of the chosen model in the search, on the
        standardised history, at the estimate the search scored
        (``candidate_fit``); -inf for an exact fit.
    search_results_ : dict of ndarray
        One entry per candidate fitted, in the order fitted, like
        ``cv_results_``: ``"p"``, ``"d"``, ``"q"``, ``"P"``, ``"D"``, ``"Q"``,
        ``"trend"``, ``"criterion"`` (the chosen criterion; inf when the
        candidate was skipped), ``"aic"``, ``"aicc"``, ``"bic"`` (also for
        candidates that did not converge; inf for the others skipped),
        ``"seconds"`` (wall time of the fit) and ``"status"`` (``"ok"``,
        ``"failed"``, ``"not converged"`` or ``"near unit root"``: an
        autoregressive root within 1.01 of the unit circle; or, as the only
        row when a rule chose the model without a search, ``"exact fit"``
        or ``"constant end"``, see Notes). Load it into
        ``pandas.DataFrame(search_results_)`` for a table.
    n_candidates_ : int
        Number of candidates fitted.
    n_failed_ : int
        Candidates skipped because their fit failed, did not converge in
        ``maxiter`` iterations or had a root near the unit circle.
    seasonal_strength_ : float or None
        Seasonal strength measured for the choice of ``D`` (None when ``D``
        was given, chosen by a rule, or there is no seasonal part).
    n_features_in_, y_, X_, index_, freq_, target_names_ :
        See :class:`~skts.forecasting.BaseForecaster`.

    See Also
    --------
    SARIMAEstimator : The model with orders given by hand.
    sklearn.linear_model.LassoLarsIC : The same idea for the lasso.

    Notes
    -----
    Every step sees the history standardised to mean 0 and variance 1
    (``location_``, ``scale_``), and the outputs are scaled back, so the
    choice does not depend on the units or origin of ``y``: on ``a * y +
    b`` (``a > 0``) AutoSARIMA chooses the same model, and its forecasts
    and intervals are ``a`` times those on ``y`` plus ``b``, as long as
    ``a * y + b`` still resolves the variation of ``y`` in float64 (with
    ``b = 1e6`` and ``a = 1e-12`` it does not: the values are rounded to
    multiples of 1.2e-10). Without differencing every candidate estimates
    the mean (with ``allow_mean=False``, none does): a zero mean would
    depend on the origin of the units, and forecasts would decay towards
    an arbitrary 0.

    Deterministic histories are chosen by rule, without a search. If a
    differencing within the bounds (tried in the order none, ``d=1``,
    ``D=1``, ``d=2``, ``d=1`` with ``D=1``) leaves a constant (a
    constant, an exact line, a fixed seasonal pattern, a line plus one),
    that differencing with a drift fits the history exactly, with zero
    innovation variance, and no ARMA model can do better: it is chosen,
    with status ``"exact fit"`` and criterion -inf, and its intervals have
    zero width. "Constant" means a standard deviation below 1e-10 of the
    history's, i.e. rounding. A history that ends in an exactly constant
    stretch of at least two seasons, eight steps and a quarter of its
    length (a discontinued product, a stuck sensor) is forecast by its
    last value: SARIMA(0, 1, 0) without drift, status ``"constant end"``.
    Histories of at most two seasons, too short for STL, measure the
    seasonal strength as ``1 - var(seasonal difference) / var(first
    difference)`` (STL's measure for a seasonal pattern plus noise) when
    the seasonal difference has at least five values and half a season.

    Candidates are fitted to the differenced history, the stationary ARMA
    it is (the mean of the differences is the drift), with statsmodels'
    start values and parameter transforms (stationary AR, invertible MA).
    With ``candidate_fit="css"`` each minimises its conditional sum of
    squares (the residuals of the ARMA recursion started from zero
    innovations, conditional on the first ``p + P * season_length``
    differences); with ``"ml"``, its exact likelihood. Either way it is
    scored by its exact likelihood at that estimate, with the error
    variance concentrated out: the likelihood of the model on ``y`` under
    the diffuse start of the differenced part, which the search evaluates
    in closed form (residuals of the ARMA recursion corrected for the
    unknown pre-sample values) instead of by statsmodels' Kalman filter,
    whose state for a seasonal model is as long as the season (for
    ``"ml"``, the criteria are those of statsmodels' own fit on ``y`` to
    within 0.01). The criterion counts the same parameters for either
    estimate. A CSS estimate has at most the maximum likelihood, and it
    falls furthest short where the pre-sample values matter, as for a
    moving-average root near the unit circle: such candidates rank lower.
    On the eighteen benchmark series CSS candidates gave the lower
    geometric-mean MASE on both protocols, for 0.4 times the CPU, and ML
    candidates the better one-step errors on two months of ridership
    (docs/benchmarks/auto_sarima.md has the tables). With missing values
    inside the history, which differencing would spread, the candidates
    are fitted to ``y`` by statsmodels' exact maximum likelihood, which
    skips the gaps. The chosen model is refitted to the standardised
    history by exact maximum likelihood as ``SARIMAEstimator(...,
    concentrate_scale=True)``, the estimator you would get by hand with
    its orders (its fit on ``y`` itself differs by the optimiser's
    tolerance only); its ``aicc_`` is at that estimate, ``criterion_`` at
    the one the search scored.

    Failed or non-converged candidates are never scored: they are counted
    in ``n_failed_`` and listed in ``search_results_`` with an infinite
    criterion. If no candidate converged, the one with the least criterion
    among them is used, with a
    :class:`~sklearn.exceptions.ConvergenceWarning`; if every candidate
    failed, ``fit`` raises a ``ValueError``.

    Unlike ``auto.arima``, a candidate whose moving-average polynomial has
    a root near the unit circle is kept (autoregressive roots near it are
    rejected, as there). statsmodels keeps the MA part invertible during
    estimation, and after seasonal differencing a seasonal MA coefficient
    near -1 is the maximum-likelihood way of saying that the seasonal pattern
    is fixed; the Kalman filter forecasts such a model without trouble. On
    the eighteen benchmark series, rejecting such candidates as
    ``auto.arima`` does worsens the geometric-mean MASE (holdout 0.719 to
    0.734, rolling 0.775 to 0.780). It costs on short histories whose
    seasonal pattern drifts: on two months of the textbook's rail series
    every seasonal-MA candidate has its maximum-likelihood estimate there
    (-0.99 or beyond), and the chosen model forecasts the spring worse than
    the seasonal naive forecast (docs/benchmarks/auto_sarima.md, "The
    textbook protocol").

    Covariates (``X`` with columns) enter every candidate as exogenous
    regressors; the unit-root tests then run on the residuals of a least
    squares regression of ``y`` on them, as ``auto.arima`` does.

    References
    ----------
    Hyndman, R. J. and Khandakar, Y. (2008). Automatic time series
    forecasting: the forecast package for R. Journal of Statistical
    Software, 27(3).

    Examples
    --------
    >>> import numpy as np
    >>> from skts.forecasting import AutoSARIMA
    >>> rng = np.random.default_rng(0)
    >>> e = rng.normal(size=121)
    >>> y = 50 + np.cumsum(0.3 + e[1:] + 0.6 * e[:-1])   # ARIMA(0, 1, 1) with drift
    >>> model = AutoSARIMA(max_p=2, max_q=2).fit(None, y)
    >>> model.order_, model.trend_
    ((0, 1, 1), 'c')
    >>> model.predict(np.empty((3, 0))).shape
    (3,)
    """

    # Missing values inside the history are skipped by every candidate's
    # Kalman filter; the unit-root tests see them linearly interpolated.
    _allow_interior_nan = True

    _parameter_constraints = {
        "season_length": [Interval(Integral, 1, None, closed="left")],
        "search": [StrOptions({"stepwise", "grid"})],
        "information_criterion": [StrOptions({"aicc", "aic", "bic"})],
        "d": [Interval(Integral, 0, None, closed="left"), None],
        "D": [Interval(Integral, 0, None, closed="left"), None],
        "max_p": [Interval(Integral, 0, None, closed="left")],
        "max_q": [Interval(Integral, 0, None, closed="left")],
        "max_P": [Interval(Integral, 0, None, closed="left")],
        "max_Q": [Interval(Integral, 0, None, closed="left")],
        "max_d": [Interval(Integral, 0, None, closed="left")],
        "max_D": [Interval(Integral, 0, None, closed="left")],
        "max_order": [Interval(Integral, 0, None, closed="left")],
        "max_models": [Interval(Integral, 1, None, closed="left")],
        "allow_drift": ["boolean"],
        "allow_mean": ["boolean"],
        "kpss_alpha": [Interval(Real, 0.01, 0.1, closed="both")],
        "seasonal_threshold": [Interval(Real, 0, 1, closed="both")],
        "candidate_fit": [StrOptions({"css", "ml"})],
        "maxiter": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        season_length=1,
        search="stepwise",
        information_criterion="aicc",
        d=None,
        D=None,
        max_p=5,
        max_q=5,
        max_P=2,
        max_Q=2,
        max_d=2,
        max_D=1,
        max_order=5,
        max_models=94,
        allow_drift=True,
        allow_mean=True,
        kpss_alpha=0.05,
        seasonal_threshold=0.64,
        candidate_fit="css",
        maxiter=50,
        n_jobs=None,
        verbose=0,
    ):
        self.season_length = season_length
        self.search = search
        self.information_criterion = information_criterion
        self.d = d
        self.D = D
        self.max_p = max_p
        self.max_q = max_q
        self.max_P = max_P
        self.max_Q = max_Q
        self.max_d = max_d
        self.max_D = max_D
        self.max_order = max_order
        self.max_models = max_models
        self.allow_drift = allow_drift
        self.allow_mean = allow_mean
        self.kpss_alpha = kpss_alpha
        self.seasonal_threshold = seasonal_threshold
        self.candidate_fit = candidate_fit
        self.maxiter = maxiter
        self.n_jobs = n_jobs
        self.verbose = verbose

    # Fewer rows leave nothing to test or estimate.
    _min_history = 5

    def _fit(self, y, X):
        start = time.perf_counter()
        m = self.season_length
        if self.D is not None and self.D > 0 and m < 2:
            raise ValueError(
                f"D={self.D} asks for seasonal differencing, which needs "
                f"season_length >= 2 (got {self.season_length}). Set season_length "
                "to the number of steps in one season, or D=None."
            )
        observed = np.isfinite(y[:, 0])
        self.location_, self.scale_ = _standardisation(y[observed, 0], self.allow_mean)
        # Every step below sees the standardised history, so the choice and
        # the forecasts do not depend on the units or origin of y. Rounded
        # to a grid far below any noise the search can resolve: a rescaled
        # copy of y differs from y in its last bits, which the optimisers'
        # stopping rules would amplify to differences of 1e-5 in the
        # forecasts; on the grid both are usually the same numbers.
        z = self._standardised(y)
        series = _interpolated(z[:, 0])
        if X.shape[1]:
            # As auto.arima: test the part of y the covariates do not explain.
            design = np.column_stack([np.ones(len(X)), X])
            coef = np.linalg.lstsq(design[observed], z[observed, 0], rcond=None)[0]
            series = series - design @ coef
        n = len(series)

        self.seasonal_strength_ = None
        exact = stopped = None
        if observed.all() and not X.shape[1]:
            exact = self._exact_differencing(series, m)
            stopped = exact is None and self.d in (None, 1) and self.D in (None, 0) and _ends_constant(series, m)
        if exact is not None:
            d, D = exact
        elif stopped:
            d, D = 1, 0
        else:
            if m < 2:
                D = 0
            elif self.D is not None:
                D = self.D
            elif n <= 2 * m:
                # Too short for STL: the same strength from differences.
                self.seasonal_strength_ = _short_seasonal_strength(series, m)
                strength = self.seasonal_strength_
                D = int(self.max_D >= 1 and strength is not None and strength > self.seasonal_threshold)
            else:
                D, self.seasonal_strength_ = _seasonal_differences(series, m, self.max_D, self.seasonal_threshold)
            differenced = _difference(series, m, D)
            d = self.d if self.d is not None else _kpss_differences(differenced, self.max_d, self.kpss_alpha)

        n_eff = int(observed.sum()) - d - D * m
        if n_eff < 3:
            raise ValueError(
                f"After differencing (d={d}, D={D}, season_length={m}) only {n_eff} "
                "observations remain; AutoSARIMA needs a longer history, or give d and D."
            )
        if exact is not None:
            rows = [self._exact_row(z[:, 0], d, D, m)]
        elif stopped:
            rows = [self._stopped_row(m)]
        else:
            rows = self._search(z, X, d, D, m, n, n_eff)

        self.search_results_ = _results_table(rows)
        self.n_candidates_ = len(rows)
        self.n_failed_ = int(sum(row["status"] not in _CHOSEN_BY_RULE + ("ok",) for row in rows))
        criteria = self.search_results_["criterion"]
        if np.isfinite(criteria).any() or exact is not None or stopped:
            best = rows[int(np.argmin(criteria))]
        else:
            # No candidate converged: the best of those that at least ran,
            # said loudly, rather than no model at all (tiny or degenerate
            # histories, such as more covariates than the data support).
            fallback = np.where(
                self.search_results_["status"] == "not converged",
                self.search_results_[self.information_criterion],
                np.inf,
            )
            if not np.isfinite(fallback).any():
                raise ValueError(
                    f"AutoSARIMA could not fit any of its {len(rows)} candidates "
                    f"(d={d}, D={D}); see search_results_['status']. Try a longer "
                    "history, fixed d and D, or higher maxiter."
                )
            best = rows[int(np.argmin(fallback))]
            warnings.warn(
                f"AutoSARIMA: none of the {len(rows)} candidates converged in "
                f"maxiter={self.maxiter} iterations; using {_describe(best, m)}, the "
                f"least {self.information_criterion} among them. Raise maxiter, or "
                "check the history (length, covariates).",
                ConvergenceWarning,
                stacklevel=3,
            )
        self.criterion_ = float(best[self.information_criterion])
        self.order_ = (best["p"], d, best["q"])
        self.seasonal_order_ = (best["P"], D, best["Q"], m) if m >= 2 else (0, 0, 0, 0)
        self.trend_ = best["trend"]
        estimator = self._candidate(best["p"], d, best["q"], best["P"], D, best["Q"], best["trend"], X.shape[1])
        with warnings.catch_warnings():
            # The search has checked this model already; a refit warning would
            # repeat what search_results_ says.
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.best_estimator_ = estimator.fit(X, z[:, 0])
        if stopped:
            # Not scored by the search: the refit's own criteria.
            fitted = self.best_estimator_
            for name, value in (("aic", fitted.aic_), ("aicc", fitted.aicc_), ("bic", fitted.bic_)):
                self.search_results_[name][0] = value
            self.search_results_["criterion"][0] = self.criterion_ = self.search_results_[self.information_criterion][0]
        if self.verbose > 0:
            print(
                f"AutoSARIMA chose {_describe(best, m)} ({best['status']}), "
                f"{self.information_criterion}={self.criterion_:.3f}; {self.n_candidates_} "
                f"candidate(s) fitted, {self.n_failed_} failed or rejected; "
                f"{time.perf_counter() - start:.2f} s"
            )

    def _exact_differencing(self, z, m):
        """The least differencing ``(d, D)`` that leaves a constant, or None.

        A history that some differencing within the bounds turns into a
        constant (a constant, an exact line, a fixed seasonal pattern, or
        sums of these) is deterministic: that differencing with a drift
        fits it exactly, with zero innovation variance, and no ARMA model
        can do better. "Constant" means to within ``_EXACT_TOLERANCE`` of
        the standardised history, i.e. to rounding.
        """
        options = [(0, 0), (1, 0), (0, 1), (2, 0), (1, 1)]
        for d, D in options:
            if D and m < 2:
                continue
            if d > (self.max_d if self.d is None else self.d) or D > (self.max_D if self.D is None else self.D):
                continue
            if (self.d is not None and d != self.d) or (self.D is not None and D != self.D):
                continue
            w = _difference(_difference(z, m, D), 1, d)
            # Three values at least: fewer are constant by accident.
            if len(w) < 3 or np.std(w) > _EXACT_TOLERANCE:
                continue
            constant_allowed = self.allow_mean if d + D == 0 else self.allow_drift
            if constant_allowed or abs(np.mean(w)) <= _EXACT_TOLERANCE:
                return d, D
        return None

    def _exact_row(self, z, d, D, m):
        """The search-table row of the exact (zero-variance) model of a deterministic history."""
        w = _difference(_difference(z, m, D), 1, d)
        drift = d + D >= 1 and abs(np.mean(w)) > _EXACT_TOLERANCE
        row = dict(p=0, d=d, q=0, P=0, D=D, Q=0, trend="c" if drift or d + D == 0 else "n")
        row.update(aic=-np.inf, aicc=-np.inf, bic=-np.inf, criterion=-np.inf, seconds=0.0, status="exact fit")
        if self.verbose > 0:
            print(
                f"AutoSARIMA {_describe(row, m)}: the differenced history is constant, "
                "an exact fit (zero innovation variance); no search needed"
            )
        return row

    def _stopped_row(self, m):
        """The search-table row of a history that ends in a long constant stretch."""
        row = dict(p=0, d=1, q=0, P=0, D=0, Q=0, trend="n", seconds=0.0, status="constant end")
        row.update(aic=np.nan, aicc=np.nan, bic=np.nan, criterion=np.nan)
        if self.verbose > 0:
            print(
                f"AutoSARIMA {_describe(row, m)}: the history ends in an exactly constant "
                "stretch of at least two seasons and a quarter of its length; forecasting "
                "its last value, no search needed"
            )
        return row

    def _search(self, z, X, d, D, m, n, n_eff):
        """Fit and score the candidates on the standardised history ``z``."""
        bounds = self._order_bounds(m, n)
        if d + D == 0:
            # A zero mean would depend on the origin of y's units: with no
            # differencing, every candidate estimates the mean.
            constants = ["c"] if self.allow_mean else ["n"]
        elif d + D == 1 and self.allow_drift:
            constants = ["c", "n"]
        else:
            constants = ["n"]
        if np.isfinite(z[:, 0]).all():
            # Candidates are scored on the differenced history (see Notes),
            # rescaled to unit variance for the optimiser; the criteria are
            # those of the standardised history.
            w = _difference(_difference(z, m, D), 1, d)
            spread = float(np.std(w[:, 0]))
            scored = dict(
                y=w / spread,
                X=_difference(_difference(X, m, D), 1, d),
                log_spread=np.log(spread),
                differenced=True,
            )
        else:
            scored = dict(y=z, X=X, d=d, D=D, differenced=False)
        context = dict(d=d, D=D, m=m, n_eff=n_eff, scored=scored)
        if self.search == "stepwise":
            return self._stepwise(context, bounds, constants)
        return self._grid(context, bounds, constants)

    def _predict(self, horizon, X):
        return self._original_units(self.best_estimator_._predict(horizon, X))

    def _update(self, y, X):
        with self._zero_variance_errstate():
            self.best_estimator_._append_rows(self._standardised(y), X)

    def _zero_variance_errstate(self):
        """Silence the divisions by the zero scale of an exact fit in statsmodels' smoother."""
        if self.search_results_["status"][0] == "exact fit":
            return np.errstate(divide="ignore", invalid="ignore")
        return contextlib.nullcontext()

    def _rolling_forecasts(self, y, X, origins, horizon):
        with self._zero_variance_errstate():
            forecasts = self.best_estimator_._rolling_forecasts(self._standardised(y), X, origins, horizon)
        return self._original_units(forecasts)

    def _standardised(self, y):
        return np.round((y - self.location_) / self.scale_ * _GRID) / _GRID

    def _original_units(self, values):
        return values * self.scale_ + self.location_

    @property
    def results_(self):
        """statsmodels results of the chosen model (``best_estimator_.results_``)."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.results_

    # -- search --------------------------------------------------------------

    def _order_bounds(self, m, n):
        max_p, max_q = min(self.max_p, n // 3), min(self.max_q, n // 3)
        max_P = min(self.max_P, n // (3 * m)) if m >= 2 else 0
        max_Q = min(self.max_Q, n // (3 * m)) if m >= 2 else 0
        if m >= 2:
            # Non-seasonal lags up to the season; beyond, the seasonal part takes over.
            if max_P > 0:
                max_p = min(max_p, m - 1)
            if max_Q > 0:
                max_q = min(max_q, m - 1)
        return max_p, max_q, max_P, max_Q

    def _candidate(self, p, d, q, P, D, Q, trend, n_covariates, scoring_only=False):
        # With nothing but the variance to estimate, statsmodels cannot
        # concentrate it out (no parameter is left to optimise).
        concentrate = bool(p or q or P or Q or trend == "c" or n_covariates)
        return SARIMAEstimator(
            p=p,
            d=d,
            q=q,
            P=P,
            D=D,
            Q=Q,
            season_length=self.season_length,
            trend=trend,
            concentrate_scale=concentrate,
            maxiter=self.maxiter,
            # Scoring needs the likelihood only, not the parameter covariance.
            # Not low_memory: with concentrate_scale, statsmodels 0.15 then
            # reports a log-likelihood that counts the diffuse burn-in rows
            # (benchmarks/README.md, "SARIMA fit options").
            fit_kwargs={"cov_type": "none"} if scoring_only else None,
        )

    def _evaluate(self, context, p, q, P, Q, trend):
        d, D, m = context["d"], context["D"], context["m"]
        row = dict(p=p, d=d, q=q, P=P, D=D, Q=Q, trend=trend)
        row.update(aic=np.inf, aicc=np.inf, bic=np.inf, criterion=np.inf)
        start = time.perf_counter()
        try:
            # Measured: threaded BLAS on the likelihood's small matrices cost
            # the search 3.7 times the CPU time on a busy machine; the limit
            # is held only while a candidate is scored.
            with one_blas_thread():
                llf, n_params, converged, ar_poly = self._score(context["scored"], p, q, P, Q, m, trend)
            if not converged:
                row["status"] = "not converged"
            elif _min_root_modulus(ar_poly) < _MIN_ROOT_MODULUS:
                row["status"] = "near unit root"
            else:
                row["status"] = "ok"
        except (ValueError, np.linalg.LinAlgError):
            row["status"] = "failed"
        row["seconds"] = time.perf_counter() - start
        if row["status"] in ("ok", "not converged"):
            row.update(_criteria(llf, n_params, context["n_eff"]))
        if row["status"] == "ok":
            row["criterion"] = row[self.information_criterion]
        if self.verbose > 0:
            criterion = f"{self.information_criterion}={row['criterion']:.3f}"
            print(f"AutoSARIMA {_describe(row, m)}: {criterion} ({row['status']})")
        return row

    def _score(self, scored, p, q, P, Q, m, trend):
        """Fit one candidate; its log-likelihood, parameter count, convergence and AR polynomial."""
        if scored["differenced"]:
            with warnings.catch_warnings():
                # statsmodels' notes on its start values (zeros instead).
                warnings.simplefilter("ignore")
                llf, n_params, converged, _, ar_poly = fit_arma(
                    scored["y"][:, 0],
                    scored["X"],
                    p,
                    q,
                    P,
                    Q,
                    m,
                    trend == "c",
                    self.maxiter,
                    method=self.candidate_fit,
                )
            # The likelihood of the unit-variance copy, back in the units of z.
            return llf - len(scored["y"]) * scored["log_spread"], n_params, converged, ar_poly
        n_covariates = scored["X"].shape[1]
        estimator = self._candidate(p, scored["d"], q, P, scored["D"], Q, trend, n_covariates, scoring_only=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            estimator._fit(scored["y"], scored["X"])
        results = estimator.results_
        converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        # sigma2 counts as a parameter; concentrated out, it is not in params.
        n_params = len(results.params) + int(bool(results.model.concentrate_scale))
        return float(results.llf), n_params, converged, np.asarray(results.polynomial_reduced_ar)

    def _stepwise(self, context, bounds, constants):
        """Hyndman and Khandakar's stepwise search, in auto.arima's move order."""
        max_p, max_q, max_P, max_Q = bounds
        m = context["m"]
        seasonal = m >= 2
        rows = {}

        def visit(p, q, P, Q, trend):
            key = (p, q, P, Q, trend)
            if key in rows or len(rows) >= self.max_models:
                return None
            rows[key] = self._evaluate(context, p, q, P, Q, trend)
            return rows[key]["criterion"]

        constant = constants[0]
        p, q = min(2, max_p), min(2, max_q)
        P, Q = (min(1, max_P), min(1, max_Q)) if seasonal else (0, 0)
        best = visit(p, q, P, Q, constant)
        starts = [(0, 0, 0, 0)]
        if max_p > 0 or max_P > 0:
            starts.append((int(max_p > 0), 0, int(seasonal and max_P > 0), 0))
        if max_q > 0 or max_Q > 0:
            starts.append((0, int(max_q > 0), 0, int(seasonal and max_Q > 0)))
        for start in starts:
            score = visit(*start, constant)
            if score is not None and score < best:
                best, (p, q, P, Q) = score, start
        if len(constants) == 2:
            score = visit(0, 0, 0, 0, "n")
            if score is not None and score < best:
                best, (p, q, P, Q), constant = score, (0, 0, 0, 0), "n"

        improved = True
        while improved and len(rows) < self.max_models:
            improved = False
            moves = [
                (0, 0, -1, 0), (0, 0, 0, -1), (0, 0, 1, 0), (0, 0, 0, 1),
                (0, 0, -1, -1), (0, 0, -1, 1), (0, 0, 1, -1), (0, 0, 1, 1),
                (-1, 0, 0, 0), (0, -1, 0, 0), (1, 0, 0, 0), (0, 1, 0, 0),
                (-1, -1, 0, 0), (-1, 1, 0, 0), (1, -1, 0, 0), (1, 1, 0, 0),
            ]  # fmt: skip
            for dp, dq, dP, dQ in moves:
                cand = (p + dp, q + dq, P + dP, Q + dQ)
                if not (0 <= cand[0] <= max_p and 0 <= cand[1] <= max_q):
                    continue
                if not (0 <= cand[2] <= max_P and 0 <= cand[3] <= max_Q):
                    continue
                score = visit(*cand, constant)
                if score is not None and score < best:
                    best, (p, q, P, Q) = score, cand
                    improved = True
                    break
            if not improved and len(constants) == 2:
                other = "n" if constant == "c" else "c"
                score = visit(p, q, P, Q, other)
                if score is not None and score < best:
                    best, constant = score, other
                    improved = True
        return list(rows.values())

    def _grid(self, context, bounds, constants):
        max_p, max_q, max_P, max_Q = bounds
        candidates = [
            (p, q, P, Q, trend)
            for p in range(max_p + 1)
            for q in range(max_q + 1)
            for P in range(max_P + 1)
            for Q in range(max_Q + 1)
            for trend in constants
            if p + q + P + Q <= self.max_order
        ]
        return Parallel(n_jobs=self.n_jobs)(
            delayed(self._evaluate)(context, p, q, P, Q, trend) for p, q, P, Q, trend in candidates
        )

    # -- delegation of intervals and pickling ---------------------------------

    def _predict_quantiles(self, horizon, X, quantiles):
        points, values = self.best_estimator_._predict_quantiles(horizon, X, quantiles)
        return self._original_units(points), self._quantiles_in_units(points, values)

    def _rolling_quantiles(self, y, X, origins, horizon, quantiles):
        with self._zero_variance_errstate():
            points, values = self.best_estimator_._rolling_quantiles(
                self._standardised(y), X, origins, horizon, quantiles
            )
        return self._original_units(points), self._quantiles_in_units(points, values)

    def _quantiles_in_units(self, points, values):
        if self.search_results_["status"][0] == "exact fit":
            # Zero innovation variance, which statsmodels cannot estimate for
            # a model with nothing else to estimate (it stops at a tiny one).
            values = np.broadcast_to(points[..., None], values.shape)
        return self._original_units(values)


def _standardisation(values, centre):
    """Location and scale that standardise the observed history ``values``.

    The mean (0 when ``centre`` is false: a zero-mean model is then zero in
    the units of y) and the standard deviation; 1 for a constant history,
    which standardises to a constant. Both are computed in the units of
    :func:`~skts._validation.magnitude_unit`, so that histories far from 1
    neither overflow nor underflow.
    """
    unit = float(magnitude_unit(values))
    location = float(np.mean(values / unit)) * unit if centre else 0.0
    scale = float(np.std(values / unit - location / unit)) * unit
    if not scale > 0 or not np.isfinite(scale):
        scale = max(abs(location), 1.0) if not centre else 1.0
    return location, scale


def _interpolated(y):
    """``y`` with interior NaN linearly interpolated, for the unit-root tests only."""
    missing = ~np.isfinite(y)
    if not missing.any():
        return y
    positions = np.arange(len(y))
    return np.interp(positions, positions[~missing], y[~missing])


def _difference(y, lag, times):
    for _ in range(times):
        y = y[lag:] - y[:-lag]
    return y


def _is_constant(y):
    return len(y) == 0 or np.allclose(y, y[0])


def _kpss_differences(y, max_d, alpha):
    """Number of first differences, as forecast::ndiffs(test="kpss")."""
    from statsmodels.tsa.stattools import kpss

    d = 0
    while d < max_d and len(y) > 3 and not _is_constant(y):
        # ndiffs' short lag truncation: trunc(3 * sqrt(n) / 13).
        nlags = int(3 * np.sqrt(len(y)) / 13)
        with warnings.catch_warnings():
            # The p-value is interpolated in a table bounded to [0.01, 0.1];
            # statsmodels warns when it is at a bound, which is still the answer.
            warnings.simplefilter("ignore")
            p_value = kpss(y, regression="c", nlags=nlags)[1]
        if p_value >= alpha:
            break
        d += 1
        y = np.diff(y)
    return d


def _seasonal_strength(y, m):
    """1 - var(remainder) / var(remainder + seasonal) of an STL decomposition."""
    from statsmodels.tsa.seasonal import STL

    # forecast::mstl's seasonal window for one period (s.window = 11).
    fit = STL(y, period=m, seasonal=11).fit()
    remainder = fit.resid
    total = np.var(remainder + fit.seasonal, ddof=1)
    if total <= 0:
        return 0.0
    return float(np.clip(1 - np.var(remainder, ddof=1) / total, 0, 1))


def _seasonal_differences(y, m, max_D, threshold):
    """Number of seasonal differences, as forecast::nsdiffs(test="seas")."""
    D, strength = 0, None
    while D < max_D and len(y) > 2 * m and not _is_constant(y):
        value = _seasonal_strength(y, m)
        strength = value if strength is None else strength
        if value <= threshold:
            break
        D += 1
        y = _difference(y, m, 1)
    return D, strength


def _short_seasonal_strength(y, m):
    """Seasonal strength of a history too short for STL (at most two seasons).

    ``1 - var(seasonal difference) / var(first difference)``, clipped to [0, 1]:
    1 for a fixed seasonal pattern (its seasonal difference is constant), 0 for
    white noise, a random walk or a line. For a seasonal pattern plus white
    noise it is STL's ``1 - var(remainder) / var(remainder + seasonal)``.
    None when the seasonal difference has fewer than five values or half a
    season: fewer give a variance too noisy to compare.
    """
    seasonal, first = _difference(y, m, 1), np.diff(y)
    if len(seasonal) < max(5, m // 2) or not np.var(first) > 0:
        return None
    return float(np.clip(1 - np.var(seasonal) / np.var(first), 0, 1))


def _ends_constant(y, m):
    """Whether ``y`` ends in an exactly constant stretch of two seasons and a quarter of its length."""
    tail = np.abs(y - y[-1]) <= _EXACT_TOLERANCE
    length = len(y) if tail.all() else int(np.argmin(tail[::-1]))
    return length < len(y) and length >= max(2 * m, 8, len(y) / 4)


def _min_root_modulus(poly):
    """Least modulus of the roots of ``poly[0] + poly[1] B + ...`` (inf for a constant)."""
    poly = np.trim_zeros(np.asarray(poly, dtype=float), "b")
    if len(poly) < 2:
        return np.inf
    return float(np.abs(np.roots(poly[::-1])).min())


def _criteria(llf, k, n_eff):
    """AIC, AICc and BIC of ``k`` parameters (the error variance counted), as auto.arima."""
    aic = -2 * llf + 2 * k
    aicc = aic + 2 * k * (k + 1) / (n_eff - k - 1) if n_eff - k - 1 > 0 else np.inf
    bic = -2 * llf + k * np.log(n_eff)
    return dict(aic=aic, aicc=aicc, bic=bic)


def _results_table(rows):
    columns = ["p", "d", "q", "P", "D", "Q", "trend", "criterion", "aic", "aicc", "bic", "seconds", "status"]
    table = {}
    for column in columns:
        values = [row[column] for row in rows]
        if column in ("trend", "status"):
            table[column] = np.array(values, dtype=object)
        elif column in ("criterion", "aic", "aicc", "bic", "seconds"):
            table[column] = np.array(values, dtype=np.float64)
        else:
            table[column] = np.array(values, dtype=np.int64)
    return table


def _describe(row, m):
    seasonal = f"({row['P']}, {row['D']}, {row['Q']}, {m})" if m >= 2 else ""
    return f"SARIMA({row['p']}, {row['d']}, {row['q']}){seasonal} trend={row['trend']!r}"
