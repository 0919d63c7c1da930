"""Conformal prediction intervals around any forecaster, from out-of-sample errors."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone

from skts._compat import HasMethods, Interval, StrOptions
from skts._time_grid import rows
from skts._walker import fit_before, forecasts_at, predict_rows, rolling_forecasts, rolling_origins, walk
from skts.forecasting._base import BaseForecaster, inner_target, wrapped_multi_output
from skts.forecasting._intervals import conformal_offsets


class ConformalForecaster(BaseForecaster):
    """Prediction intervals for any forecaster, from its out-of-sample errors.

    ``fit`` holds out the last ``calibration_size`` rows of the history,
    fits a clone of ``forecaster`` on the rows before them and forecasts the
    held-out rows from every origin inside them, ``1..calibration_horizon``
    steps ahead
    (a rolling backtest with ``refit=False``). The errors ``actual -
    forecast`` of those forecasts, per step ahead, calibrate the intervals:
    split conformal prediction with the finite-sample correction, so that
    an interval of coverage ``c`` contains the actual with probability at
    least ``c`` when the errors of future forecasts are exchangeable with
    the calibration errors. The point forecast is the forecaster's own.

    Parameters
    ----------
    forecaster : object
        The forecaster to wrap: anything with ``fit(X, y)``, ``predict(X)``
        and ``update(X, y)`` on rows that are time steps (an skts
        forecaster, a ``Pipeline`` or ``TransformedTargetRegressor`` around
        one, a user's class). Without ``update`` it needs ``refit=True``,
        and calibration refits it at every origin. Cloned; never modified.
    method : {"absolute", "signed", "native"}, default="absolute"
        How the intervals are made:

        - ``"absolute"``: symmetric around the forecast. The half-width of
          the interval of coverage ``c`` at step ``h`` is the
          ``ceil((n + 1) c)``-th smallest absolute calibration error at
          step ``h``, ``n`` the number of calibration origins.
        - ``"signed"``: each bound from the signed errors, so a biased or
          skewed forecaster gets an asymmetric interval: the lower bound of
          coverage ``c`` adds the ``floor((n + 1)(1 - c) / 2)``-th smallest
          error, the upper bound the ``ceil((n + 1)(1 + c) / 2)``-th. Needs
          about twice as many calibration origins as ``"absolute"``.
        - ``"native"``: the wrapped forecaster's own forecast distribution
          (``SARIMAEstimator``, ``NaiveSeasonal``), without calibration;
          for a grid search over the three.
    calibration_size : int or float, default=0.25
        Rows at the end of the history held out for calibration: a number
        of rows, or a fraction of the history in (0, 1) (rounded down). It
        gives ``calibration_size - calibration_horizon + 1`` calibration
        origins.
    calibration_horizon : int, default=1
        Steps ahead calibrated: the intervals reach ``calibration_horizon``
        steps after the history.
    calibration : {"rolling", "holdout"}, default="rolling"
        Where the out-of-sample errors come from. ``"rolling"``: the rolling
        backtest over the last ``calibration_size`` rows described above.
        ``"holdout"``: the time-ordered hold-out windows that a neural
        forecaster's early stopping already keeps out of training
        (``RNNForecaster``, ``WaveNetForecaster`` or ``KerasForecaster`` with
        ``patience`` set, which store their errors there as
        ``holdout_residuals_``); the forecaster is fitted once, on the whole
        history, and ``calibration_size`` and ``refit`` are not used. Those
        windows also chose the epoch that early stopping kept, so their
        errors can be slightly optimistic.
    refit : bool, default=False
        False: the final forecaster is the calibration clone, conditioned on
        the held-out rows by ``update`` without re-estimating, so its
        parameters are exactly those whose errors were measured (split
        conformal) and the whole calibration costs one fit. True: refit on
        the whole history after calibrating (a second fit; the intervals then
        describe a forecaster fitted on fewer rows).

    Attributes
    ----------
    forecaster_ : object
        The fitted forecaster that makes the point forecasts.
    residuals_ : ndarray of shape (n_calibration, calibration_horizon, n_targets)
        Calibration errors ``actual - forecast``; ``residuals_[i, h - 1]`` is
        the error of the forecast ``h`` steps after calibration origin ``i``.
        Empty (``n_calibration = 0``) for ``method="native"``.
    n_features_in_, feature_names_in_, y_, X_, index_, freq_, target_names_ :
        See :class:`~skts.forecasting.BaseForecaster`. The wrapped forecaster
        sees the covariates and the target as NumPy arrays; the time labels
        are this forecaster's.

    See Also
    --------
    SARIMAEstimator : Gaussian intervals from statsmodels' state space model.
    NaiveSeasonal : The textbook seasonal naive intervals.

    Notes
    -----
    ``update`` conditions the point forecaster on new rows; the calibration
    errors are not changed (refit to recalibrate). The coverage guarantee
    assumes that future errors behave like the calibration errors; a
    calibration period without holidays, for example, under-covers them.
    The largest coverage available is ``n / (n + 1)`` for ``"absolute"``
    with ``n`` calibration origins: a higher coverage raises an error that
    names the ``calibration_size`` it needs.

    References
    ----------
    Lei, G'Sell, Rinaldo, Tibshirani and Wasserman (2018), "Distribution-free
    predictive inference for regression", JASA 113(523). Stankeviciute,
    Alaa and van der Schaar (2021), "Conformal time-series forecasting",
    NeurIPS (one calibration per step ahead).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skts.forecasting import ConformalForecaster, ReductionForecaster
    >>> rng = np.random.default_rng(0)
    >>> y = np.sin(np.arange(200) / 5) + rng.normal(scale=0.1, size=200)
    >>> model = ConformalForecaster(ReductionForecaster(Ridge(), seq_length=10),
    ...                             calibration_size=60, calibration_horizon=3)
    >>> model.fit(np.empty((200, 0)), y).residuals_.shape
    (58, 3, 1)
    >>> model.predict_interval(np.empty((3, 0)), coverage=0.9).shape
    (3, 2)
    """

    _parameter_constraints = {
        "forecaster": [HasMethods(["fit", "predict"])],
        "method": [StrOptions({"absolute", "signed", "native"})],
        "calibration_size": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="neither")],
        "calibration_horizon": [Interval(Integral, 1, None, closed="left")],
        "calibration": [StrOptions({"rolling", "holdout"})],
        "refit": ["boolean"],
    }
    # NaN inside the history is the wrapped forecaster's to accept (SARIMA
    # skips it) or refuse; the calibration rows are checked here.
    _allow_interior_nan = True

    def __init__(
        self,
        forecaster,
        *,
        method="absolute",
        calibration_size=0.25,
        calibration_horizon=1,
        calibration="rolling",
        refit=False,
    ):
        self.forecaster = forecaster
        self.method = method
        self.calibration_size = calibration_size
        self.calibration_horizon = calibration_horizon
        self.calibration = calibration
        self.refit = refit

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = wrapped_multi_output(self.forecaster)
        return tags

    # -- hooks ---------------------------------------------------------------

    def _fit(self, y, X):
        """Calibrate on the end of the history (rows of ``self.y_``), then keep the point forecaster."""
        inner_y = inner_target(y)
        name = type(self.forecaster).__name__
        if self.method == "native":
            _check_native(self.forecaster)
            forecaster = clone(self.forecaster).fit(X, inner_y)
            residuals = np.empty((0, self.calibration_horizon, y.shape[1]))
        elif self.calibration == "holdout":
            self._check_holdout_forecaster(name)
            forecaster = clone(self.forecaster).fit(X, inner_y)
            residuals = self._holdout_residuals(forecaster, name)
        else:
            # The share of the whole history, leading NaN rows included.
            n_cal = self._calibration_rows(len(self.y_))
            horizon = self.calibration_horizon
            if not self.refit and not hasattr(self.forecaster, "update"):
                raise ValueError(
                    f"{name} has no update(X, y) method, so it cannot be conditioned on the "
                    "calibration rows without refitting. Use refit=True (calibration then "
                    f"refits it at each of the {n_cal - horizon + 1} origins) or wrap "
                    "a forecaster with update."
                )
            cut = len(y) - n_cal
            if not np.isfinite(y[cut:]).all():
                raise ValueError(
                    "y has NaN or inf in the calibration rows (the last "
                    f"{n_cal}): every one is an actual to compare forecasts with. Impute "
                    "them or lower calibration_size."
                )
            forecaster, forecasts = self._calibration_forecasts(X, inner_y, cut, name)
            windows = cut + np.arange(len(forecasts))[:, None] + np.arange(horizon)
            residuals = y[windows] - forecasts.reshape(len(forecasts), horizon, y.shape[1])
            if self.refit:
                forecaster = clone(self.forecaster).fit(X, inner_y)
        self.forecaster_ = forecaster
        self.residuals_ = residuals

    def _predict(self, horizon, X):
        return np.asarray(self.forecaster_.predict(X), dtype=np.float64).reshape(horizon, -1)

    def _update(self, y, X):
        # The calibration is kept: refit to recalibrate.
        self.forecaster_.update(X, inner_target(y))

    def _rolling_forecasts(self, y, X, origins, horizon):
        return forecasts_at(self.forecaster_, X, y, origins, horizon)

    def _predict_quantiles(self, horizon, X, quantiles):
        if self.method == "native":
            frame = self.forecaster_.predict_quantiles(X, quantiles=list(quantiles))
            values = np.asarray(frame, dtype=np.float64).reshape(horizon, -1, len(quantiles))
            return self._predict(horizon, X), values
        points = self._predict(horizon, X)
        return points, points[:, :, None] + self._offsets(horizon, quantiles)

    def _rolling_quantiles(self, y, X, origins, horizon, quantiles):
        if self.method == "native":
            return forecasts_at(self.forecaster_, X, y, origins, horizon, quantiles=list(quantiles))
        offsets = self._offsets(horizon, quantiles)
        points = self._rolling_forecasts(y, X, origins, horizon)
        return points, points[..., None] + offsets[None]

    # -- calibration -----------------------------------------------------------

    def _offsets(self, horizon, quantiles):
        """Offsets ``(horizon, n_targets, n_q)`` from the point forecasts to their quantiles."""
        if horizon > self.calibration_horizon:
            raise ValueError(
                f"The rows reach {horizon} steps ahead, but the intervals are calibrated "
                f"for calibration_horizon={self.calibration_horizon} steps. Fit with "
                f"calibration_horizon={horizon} or more."
            )
        return conformal_offsets(self.residuals_[:, :horizon], quantiles, self.method)

    def _calibration_rows(self, n_steps):
        size = self.calibration_size
        n_cal = int(size) if isinstance(size, Integral) else int(np.floor(size * n_steps))
        needed = self.calibration_horizon
        if n_cal < needed:
            raise ValueError(
                f"calibration_size={size!r} gives {n_cal} calibration row(s) of the history's "
                f"n_samples = {n_steps}, but calibration_horizon={needed} needs at least "
                f"{needed} (each origin forecasts {needed} held-out rows), and useful intervals "
                f"need many more origins: a 90% interval needs {needed + 8} rows with "
                "method='absolute'."
            )
        if n_cal >= n_steps:
            raise ValueError(
                f"calibration_size={size!r} holds out {n_cal} rows but the history has only "
                f"{n_steps}: no rows are left to fit the forecaster on. Pass a longer history "
                "or a smaller calibration_size."
            )
        return n_cal

    def _calibration_forecasts(self, X, y, cut, name):
        """The fitted forecaster and its forecasts of the calibration rows, per origin.

        A backtest from ``cut`` on without refits: the forecaster is fitted
        once and conditioned on the calibration rows (kept conditioned on
        all of them unless ``refit``). A forecaster without ``update`` is
        refitted at every origin instead.
        """
        horizon = self.calibration_horizon
        forecaster = fit_before(
            self.forecaster,
            X,
            y,
            cut,
            caller="ConformalForecaster",
            where=f"before the calibration rows (the last {len(y) - cut})",
            advice=" Pass a longer history or a smaller calibration_size.",
        )
        X_cal, y_cal = rows(X, cut, len(y)), rows(y, cut, len(y))
        if hasattr(forecaster, "update"):
            forecasts = rolling_forecasts(forecaster, X_cal, y_cal, horizon, condition_all=not self.refit)
            return forecaster, forecasts
        current = [forecaster]

        def refit(seen, origin):
            current[0] = clone(self.forecaster).fit(rows(X, 0, cut + origin), rows(y, 0, cut + origin))

        def forecast(origin):
            return predict_rows(current[0], rows(X_cal, origin, origin + horizon), horizon)

        forecasts, _ = walk(rolling_origins(len(y_cal), horizon, 1), refit, forecast)
        return forecaster, np.stack(forecasts)

    def _check_holdout_forecaster(self, name):
        """Before the fit, from the parameters, what _holdout_residuals checks after it."""
        params = self.forecaster.get_params(deep=False) if hasattr(self.forecaster, "get_params") else {}
        if "patience" in params and params["patience"] is None:
            self._raise_no_holdout(name)
        steps = params.get("output_length")
        if isinstance(steps, Integral) and steps < self.calibration_horizon:
            self._raise_short_holdout(name, steps)

    def _holdout_residuals(self, forecaster, name):
        residuals = getattr(forecaster, "holdout_residuals_", None)
        if residuals is None:
            self._raise_no_holdout(name)
        if residuals.shape[1] < self.calibration_horizon:
            self._raise_short_holdout(name, residuals.shape[1])
        return np.asarray(residuals[:, : self.calibration_horizon], dtype=np.float64)

    def _raise_no_holdout(self, name):
        raise ValueError(
            f"calibration='holdout' reads the errors of the early-stopping hold-out windows, and "
            f"{name} has none: use a neural forecaster with patience set (e.g. patience=10), "
            "or calibration='rolling'."
        )

    def _raise_short_holdout(self, name, steps):
        raise ValueError(
            f"The hold-out windows of {name} forecast {steps} step(s) ahead, fewer than "
            f"calibration_horizon={self.calibration_horizon}: set the forecaster's output_length "
            f"to at least {self.calibration_horizon}, or use calibration='rolling'."
        )


def _check_native(forecaster):
    """``method="native"`` needs a forecaster with a forecast distribution of its own."""
    native = getattr(forecaster, "_check_native_intervals", None)
    try:
        if native is None:
            raise NotImplementedError
        native()
    except NotImplementedError as exc:
        raise ValueError(
            f"method='native' uses the forecaster's own forecast distribution, and "
            f"{type(forecaster).__name__} has none (native: SARIMAEstimator, NaiveSeasonal): "
            "use method='absolute' or 'signed'."
        ) from exc
