"""Conformal prediction intervals around any forecaster, from out-of-sample errors."""

import copy
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from skts._compat import HasMethods, Interval, StrOptions, validate_parameters
from skts._validation import check_positive_int
from skts.forecasting._base import _target_names
from skts.forecasting._intervals import (
    IntervalMixin,
    check_coverage,
    check_quantiles,
    conformal_offsets,
    forecast_frame,
    bound_levels,
    _row_index,
)


class ConformalForecaster(IntervalMixin, RegressorMixin, BaseEstimator):
    """Prediction intervals for any forecaster, from its out-of-sample errors.

    ``fit`` holds out the last ``calibration_size`` rows of the history,
    fits a clone of ``forecaster`` on the rows before them and forecasts the
    held-out rows from every origin inside them, ``1..horizon`` steps ahead
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
        gives ``calibration_size - horizon + 1`` calibration origins.
    horizon : int, default=1
        Steps ahead calibrated: the intervals reach ``horizon`` steps after
        the history.
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
    residuals_ : ndarray of shape (n_calibration, horizon, n_targets)
        Calibration errors ``actual - forecast``; ``residuals_[i, h - 1]`` is
        the error of the forecast ``h`` steps after calibration origin ``i``.
        Empty (``n_calibration = 0``) for ``method="native"``.
    n_features_in_ : int
        Number of covariate columns of ``X``.
    target_names_ : list or None
        Column names of ``y`` when it was a DataFrame, or its name when it was
        a named Series.

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
    >>> from skts import ReductionForecaster
    >>> from skts.forecasting import ConformalForecaster
    >>> rng = np.random.default_rng(0)
    >>> y = np.sin(np.arange(200) / 5) + rng.normal(scale=0.1, size=200)
    >>> model = ConformalForecaster(ReductionForecaster(Ridge(), seq_length=10),
    ...                             calibration_size=60, horizon=3)
    >>> model.fit(np.empty((200, 0)), y).residuals_.shape
    (58, 3, 1)
    >>> model.predict_interval(np.empty((3, 0)), coverage=0.9).shape
    (3, 2)
    """

    _parameter_constraints = {
        "forecaster": [HasMethods(["fit", "predict"])],
        "method": [StrOptions({"absolute", "signed", "native"})],
        "calibration_size": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="neither")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "calibration": [StrOptions({"rolling", "holdout"})],
        "refit": ["boolean"],
    }

    def __init__(
        self, forecaster, *, method="absolute", calibration_size=0.25, horizon=1, calibration="rolling", refit=False
    ):
        self.forecaster = forecaster
        self.method = method
        self.calibration_size = calibration_size
        self.horizon = horizon
        self.calibration = calibration
        self.refit = refit

    def fit(self, X, y):
        """Calibrate on the end of the history, then fit the point forecaster.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_features) or None
            Covariates of the history rows; None means no covariates.
        y : array-like of shape (n_steps,) or (n_steps, n_targets)
            Target history, in time order.

        Returns
        -------
        self : object
            Fitted forecaster.
        """
        validate_parameters(self)
        X, y = _with_covariates(X, y)
        y_values = _float_targets(y)
        n_steps, n_targets = y_values.shape
        name = type(self.forecaster).__name__
        if self.method == "native":
            _check_native(self.forecaster)
            forecaster = clone(self.forecaster).fit(X, y)
            residuals = np.empty((0, self.horizon, n_targets))
        elif self.calibration == "holdout":
            self._check_holdout_forecaster(name)
            forecaster = clone(self.forecaster).fit(X, y)
            residuals = self._holdout_residuals(forecaster, name)
        else:
            n_cal = self._calibration_rows(n_steps)
            if not self.refit and not hasattr(self.forecaster, "update"):
                raise ValueError(
                    f"{name} has no update(X, y) method, so it cannot be conditioned on the "
                    "calibration rows without refitting. Use refit=True (calibration then "
                    f"refits it at each of the {n_cal - self.horizon + 1} origins) or wrap "
                    "a forecaster with update."
                )
            cut = n_steps - n_cal
            if not np.isfinite(y_values[cut:]).all():
                raise ValueError(
                    "y has NaN or inf in the calibration rows (the last "
                    f"{n_cal}): every one is an actual to compare forecasts with. Impute "
                    "them or lower calibration_size."
                )
            forecaster, forecasts = self._calibration_forecasts(X, y, cut, name)
            windows = cut + np.arange(len(forecasts))[:, None] + np.arange(self.horizon)
            residuals = y_values[windows] - forecasts.reshape(len(forecasts), self.horizon, n_targets)
            if self.refit:
                forecaster = clone(self.forecaster).fit(X, y)
        self.forecaster_ = forecaster
        self.residuals_ = residuals
        self.n_features_in_ = getattr(forecaster, "n_features_in_", np.shape(X)[1])
        self.target_names_ = _target_names(y)
        self._y_1d = np.ndim(y) == 1
        self._n_targets = n_targets
        self._set_cutoff(X, y)
        return self

    def predict(self, X):
        """Point forecasts of the wrapped forecaster for the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)
            The rows to forecast, as for the wrapped forecaster.

        Returns
        -------
        y_pred : ndarray of shape (n_rows,) or (n_rows, n_targets)
        """
        check_is_fitted(self, "forecaster_")
        if X is not None and not isinstance(X, np.ndarray | pd.Series | pd.DataFrame):
            X = np.asarray(X)
        return self.forecaster_.predict(X)

    def update(self, X, y):
        """Condition the point forecaster on new rows (the calibration is kept).

        Parameters
        ----------
        X : array-like of shape (n_new, n_features) or None
            Covariates of the new rows.
        y : array-like of shape (n_new,) or (n_new, n_targets)
            Observed targets of the rows that follow the history.

        Returns
        -------
        self : object
        """
        check_is_fitted(self, "forecaster_")
        X, y = _with_covariates(X, y)
        self.forecaster_.update(X, y)
        self._advance_cutoff(y)
        return self

    def forecast(self, horizon, X=None, coverage=None):
        """Forecast the next ``horizon`` steps, with bounds when ``coverage`` is given.

        Parameters
        ----------
        horizon : int
            Steps to forecast, at least 1.
        X : array-like of shape (horizon, n_features), optional
            Covariates of the future rows.
        coverage : float or list of float, optional
            Coverages of the intervals to add beside the forecast.

        Returns
        -------
        forecast : pandas.Series or pandas.DataFrame
            As ``BaseForecaster.forecast``: indexed by the future labels (or
            the steps ``1..horizon``), with columns ``forecast``, ``lower``,
            ``upper`` (``lower_80``, ... for a list) when ``coverage`` is given.
        """
        check_is_fitted(self, "forecaster_")
        horizon = check_positive_int(horizon, "horizon")
        if coverage is not None:
            check_coverage(coverage)
        index = self._future_index(horizon)
        if X is None:
            if self.n_features_in_:
                raise ValueError(
                    f"The forecaster was fitted with {self.n_features_in_} covariates: pass "
                    f"their future values as X, shape ({horizon}, {self.n_features_in_})."
                )
            X = pd.DataFrame(index=index) if self._cutoff is not None else np.empty((horizon, 0))
        elif len(X) != horizon:
            raise ValueError(f"X has {len(X)} rows but horizon is {horizon}: give one row per step.")
        y_pred = np.asarray(self.predict(X), dtype=np.float64)
        if coverage is not None:
            coverages, is_list = check_coverage(coverage)
            levels = bound_levels(coverages)
            values, _ = self._quantile_array(X, levels, y_pred)
            multi, targets = self._target_layout()
            return forecast_frame(
                y_pred.reshape(horizon, -1), values, levels, coverages, is_list, index, multi, targets
            )
        if y_pred.ndim == 1:
            name = self.target_names_[0] if self.target_names_ else None
            return pd.Series(y_pred, index=index, name=name)
        return pd.DataFrame(y_pred, index=index, columns=self.target_names_)

    def predict_rolling(self, X, y, *, horizon=1, step=1):
        """Point forecasts from consecutive origins over new rows; see ``BaseForecaster``.

        Uses the wrapped forecaster's ``predict_rolling`` when it has one,
        else ``update`` and ``predict`` origin by origin on a copy. The
        forecaster is not changed.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features) or None
        y : array-like of shape (n_new,) or (n_new, n_targets)
        horizon : int, default=1
        step : int, default=1

        Returns
        -------
        forecasts : ndarray of shape (n_origins, horizon) or (n_origins, horizon, n_targets)
        """
        check_is_fitted(self, "forecaster_")
        horizon = check_positive_int(horizon, "horizon")
        step = check_positive_int(step, "step")
        X, y = _with_covariates(X, y)
        return _rolling(self.forecaster_, X, y, horizon, step, in_place=False)

    def predict_rolling_quantiles(
        self, X, y, *, horizon=1, step=1, quantiles=(0.05, 0.5, 0.95), return_forecasts=False
    ):
        """Quantile forecasts from consecutive origins; see ``IntervalMixin``.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features) or None
        y : array-like of shape (n_new,) or (n_new, n_targets)
        horizon : int, default=1
        step : int, default=1
        quantiles : float or sequence of float, default=(0.05, 0.5, 0.95)
        return_forecasts : bool, default=False

        Returns
        -------
        quantiles : ndarray of shape (n_origins, horizon[, n_targets], n_quantiles)
        forecasts : ndarray of shape (n_origins, horizon[, n_targets])
            Only with ``return_forecasts=True``.
        """
        check_is_fitted(self, "forecaster_")
        levels = check_quantiles(quantiles)
        horizon = check_positive_int(horizon, "horizon")
        if self.method == "native":
            return self.forecaster_.predict_rolling_quantiles(
                X, y, horizon=horizon, step=step, quantiles=levels, return_forecasts=return_forecasts
            )
        self._check_horizon(horizon)
        offsets = conformal_offsets(self.residuals_[:, :horizon], levels, self.method)
        points = self.predict_rolling(X, y, horizon=horizon, step=step)
        shaped = points.reshape(*points.shape[:2], self._n_targets)
        values = shaped[..., None] + offsets[None]
        if self._y_1d:
            values = values[:, :, 0]
        return (values, points) if return_forecasts else values

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        tags.input_tags.allow_nan = False
        tags.target_tags.multi_output = get_tags(self.forecaster).target_tags.multi_output
        return tags

    # -- IntervalMixin hooks ---------------------------------------------------

    def _quantile_array(self, X, quantiles, y_pred=None):
        check_is_fitted(self, "forecaster_")
        if self.method == "native":
            return self.forecaster_._quantile_array(X, quantiles)
        n_rows = len(X)
        steps = self._steps(X, n_rows)
        if n_rows:
            self._check_horizon(int(steps.max()))
        offsets = conformal_offsets(self.residuals_, quantiles, self.method)
        if y_pred is None:
            y_pred = np.asarray(self.predict(X), dtype=np.float64)
        points = y_pred.reshape(n_rows, self._n_targets)
        return points[:, :, None] + offsets[steps - 1], _row_index(X, n_rows)

    def _check_native_intervals(self):
        # Every method gives intervals; "native" was checked in fit.
        pass

    def _target_layout(self):
        names = self.target_names_ if self.target_names_ is not None else list(range(self._n_targets))
        return not self._y_1d, list(names)

    # -- helpers ---------------------------------------------------------------

    def _calibration_rows(self, n_steps):
        size = self.calibration_size
        n_cal = int(size) if isinstance(size, Integral) else int(np.floor(size * n_steps))
        needed = self.horizon
        if n_cal < needed:
            raise ValueError(
                f"calibration_size={size!r} gives {n_cal} calibration row(s) of the history's "
                f"n_samples = {n_steps}, "
                f"but horizon={self.horizon} needs at least {needed} (each origin forecasts "
                f"{self.horizon} held-out rows), and useful intervals need many more origins: "
                f"a 90% interval needs {needed + 8} rows with method='absolute'."
            )
        if n_cal >= n_steps:
            raise ValueError(
                f"calibration_size={size!r} holds out {n_cal} rows but the history has only "
                f"{n_steps}: no rows are left to fit the forecaster on. Pass a longer history "
                "or a smaller calibration_size."
            )
        return n_cal

    def _calibration_forecasts(self, X, y, cut, name):
        """The fitted forecaster and its forecasts of the calibration rows, per origin."""
        forecaster = clone(self.forecaster)
        try:
            forecaster.fit(_rows(X, 0, cut), _rows(y, 0, cut))
        except ValueError as exc:
            raise ValueError(
                f"ConformalForecaster could not fit {name} on the {cut} row(s) before the "
                f"calibration rows (the last {len(y) - cut}): {exc} Pass a longer history or "
                "a smaller calibration_size."
            ) from exc
        X_cal, y_cal = _rows(X, cut, len(y)), _rows(y, cut, len(y))
        if not hasattr(forecaster, "update"):
            # Refit at every origin on the expanding history.
            forecasts = []
            for origin in range(len(y) - cut - self.horizon + 1):
                model = (
                    forecaster
                    if origin == 0
                    else clone(self.forecaster).fit(_rows(X, 0, cut + origin), _rows(y, 0, cut + origin))
                )
                forecasts.append(np.asarray(model.predict(_rows(X_cal, origin, origin + self.horizon)), float))
            return forecaster, np.stack(forecasts)
        in_place = not self.refit and not hasattr(forecaster, "predict_rolling")
        forecasts = _rolling(forecaster, X_cal, y_cal, self.horizon, 1, in_place=in_place)
        if not self.refit and not in_place:
            forecaster.update(X_cal, y_cal)
        return forecaster, forecasts

    def _check_holdout_forecaster(self, name):
        """Before the fit, from the parameters, what _holdout_residuals checks after it."""
        params = self.forecaster.get_params(deep=False) if hasattr(self.forecaster, "get_params") else {}
        if "patience" in params and params["patience"] is None:
            self._raise_no_holdout(name)
        if isinstance(params.get("horizon"), Integral) and params["horizon"] < self.horizon:
            self._raise_short_holdout(name, params["horizon"])

    def _holdout_residuals(self, forecaster, name):
        residuals = getattr(forecaster, "holdout_residuals_", None)
        if residuals is None:
            self._raise_no_holdout(name)
        if residuals.shape[1] < self.horizon:
            self._raise_short_holdout(name, residuals.shape[1])
        return np.asarray(residuals[:, : self.horizon], dtype=np.float64)

    def _raise_no_holdout(self, name):
        raise ValueError(
            f"calibration='holdout' reads the errors of the early-stopping hold-out windows, and "
            f"{name} has none: use a neural forecaster with patience set (e.g. patience=10), "
            "or calibration='rolling'."
        )

    def _raise_short_holdout(self, name, steps):
        raise ValueError(
            f"The hold-out windows of {name} forecast {steps} step(s) ahead, fewer than "
            f"horizon={self.horizon}: set the forecaster's horizon to at least {self.horizon}, "
            "or use calibration='rolling'."
        )

    def _check_horizon(self, steps_ahead):
        if steps_ahead > self.horizon:
            raise ValueError(
                f"The rows reach {steps_ahead} steps ahead, but the intervals are calibrated "
                f"for horizon={self.horizon} steps. Fit with horizon={steps_ahead} or more."
            )

    def _set_cutoff(self, X, y):
        from skts.forecasting._base import _infer_freq, _time_index

        index = _time_index(y, "y") if isinstance(y, pd.Series | pd.DataFrame) else _time_index(X)
        self._cutoff = None if index is None or not len(index) else index[-1]
        self._freq = None if self._cutoff is None else _infer_freq(index)

    def _advance_cutoff(self, y):
        from skts.forecasting._base import _labels_after

        if self._cutoff is not None:
            self._cutoff = _labels_after(self._cutoff, len(y), self._freq)[-1]

    def _future_index(self, horizon):
        from skts.forecasting._base import _labels_after

        if self._cutoff is None:
            return pd.RangeIndex(1, horizon + 1, name="step")
        return _labels_after(self._cutoff, horizon, self._freq)

    def _steps(self, X, n_rows):
        """1-based steps ahead of the rows of ``X``: by label when both are labelled."""
        from skts.forecasting._base import _steps_after, _time_index

        index = _time_index(X)
        if index is None or self._cutoff is None:
            return np.arange(1, n_rows + 1)
        steps = np.asarray(_steps_after(index, self._cutoff, self._freq))
        if len(steps) and (steps < 1).any():
            bad = index[int(np.argmax(steps < 1))]
            raise ValueError(
                f"X has label {bad}, at or before the end of the history ({self._cutoff}) or "
                "off its frequency grid: X must label steps after the history."
            )
        return steps


def _check_native(forecaster):
    native = getattr(forecaster, "_check_native_intervals", None)
    if native is None or isinstance(forecaster, ConformalForecaster):
        raise ValueError(
            f"method='native' uses the forecaster's own forecast distribution, and "
            f"{type(forecaster).__name__} has none: use method='absolute' or 'signed'."
        )
    try:
        native()
    except NotImplementedError as exc:
        raise ValueError(
            f"method='native' uses the forecaster's own forecast distribution, and "
            f"{type(forecaster).__name__} has none (native: SARIMAEstimator, NaiveSeasonal): "
            "use method='absolute' or 'signed'."
        ) from exc


def _rolling(forecaster, X, y, horizon, step, *, in_place):
    """Forecasts ``(n_origins, horizon[, n_targets])`` from origins over new rows.

    ``predict_rolling`` when the forecaster has it; else ``update`` and
    ``predict`` origin by origin, on a copy unless ``in_place`` (then the
    forecaster ends conditioned on every new row).
    """
    n_new = len(y)
    if n_new < horizon:
        raise ValueError(f"{n_new} new row(s) are fewer than horizon={horizon}.")
    if hasattr(forecaster, "predict_rolling"):
        return np.asarray(forecaster.predict_rolling(X, y, horizon=horizon, step=step), dtype=np.float64)
    model = forecaster if in_place else copy.deepcopy(forecaster)
    origins = range(0, n_new - horizon + 1, step)
    forecasts, seen = [], 0
    for origin in origins:
        if origin > seen:
            model.update(_rows(X, seen, origin), _rows(y, seen, origin))
            seen = origin
        forecasts.append(np.asarray(model.predict(_rows(X, origin, origin + horizon)), dtype=np.float64))
    if in_place and seen < n_new:
        model.update(_rows(X, seen, n_new), _rows(y, seen, n_new))
    return np.stack(forecasts)


def _with_covariates(X, y):
    if y is None:
        raise ValueError("ConformalForecaster requires y to be passed, but the target y is None.")
    for name, data in (("X", X), ("y", y)):
        if issparse(data):
            raise TypeError(
                f"Sparse input is not supported: {name} is a sparse matrix; rows are time steps of a "
                "dense series. Convert it with .toarray()."
            )
    if not isinstance(y, np.ndarray | pd.Series | pd.DataFrame):
        y = np.asarray(y, dtype=np.float64)
    if X is not None and not isinstance(X, np.ndarray | pd.Series | pd.DataFrame):
        X = np.asarray(X)
    if X is None:
        X = pd.DataFrame(index=y.index) if isinstance(y, pd.Series | pd.DataFrame) else np.empty((len(y), 0))
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows and y has {len(y)}: they must describe the same time steps.")
    return X, y


def _float_targets(y):
    values = y.to_numpy(dtype=np.float64) if isinstance(y, pd.Series | pd.DataFrame) else np.asarray(y, float)
    if values.ndim not in (1, 2):
        raise ValueError(f"y must be 1D or 2D (n_steps, n_targets), got shape {values.shape}.")
    return values.reshape(len(values), -1)


def _rows(data, start, stop):
    return data.iloc[start:stop] if isinstance(data, pd.Series | pd.DataFrame) else data[start:stop]
