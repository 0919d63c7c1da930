"""The forecasting contract shared by every skts forecaster.

Rows are time steps in order. ``fit(X, y)`` takes the history, ``predict(X)``
forecasts the rows that follow it, ``update(X, y)`` appends observations
without re-estimating, ``predict_rolling(X, y)`` forecasts from many
consecutive origins in one call and ``forecast(horizon)`` is the convenience
call. The base class owns validation, pandas index alignment and the stored
history; subclasses implement hooks on plain float arrays:

- ``_fit(y, X)``: estimate from the history (leading NaN rows of ``y``
  already removed), ``y`` of shape ``(n, n_targets)``, ``X`` ``(n, k)``;
- ``_predict(horizon, X)``: forecasts for steps ``1..horizon`` after the
  stored history, ``X`` of shape ``(horizon, k)``; returns
  ``(horizon, n_targets)``;
- ``_update(y, X)`` (optional): condition on new rows before they are
  appended to the stored history;
- ``_rolling_forecasts(y, X, origins, horizon)`` (optional): forecasts from
  several origins over new rows, without changing the forecaster; the
  default walks the origins on a shallow copy.

Time labels
-----------
A pandas ``DatetimeIndex``, ``PeriodIndex`` or integer index (``RangeIndex``
included) labels the rows with time steps; any other pandas index is an
error, never silently positional. NumPy input is positional: prediction rows
follow the history immediately.
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted, validate_data

from skts._compat import validate_parameters
from skts._time_grid import TimeGrid, check_time_index, index_kind, time_index
from skts._validation import (
    check_coverage,
    check_numeric_columns,
    check_positive_int,
    check_target,
    no_covariates,
    no_empty_frame,
    target_names,
)
from skts._walker import rolling_origins, walk
from skts.forecasting._intervals import IntervalMixin


class BaseForecaster(IntervalMixin, RegressorMixin, BaseEstimator):
    """Base class for skts forecasters (not for direct use).

    Subclasses implement ``_fit``, ``_predict`` and optionally ``_update``
    and ``_rolling_forecasts`` on validated float arrays; see the module
    docstring. The history is copied into fitted attributes so that
    ``predict`` and ``update`` can condition on its end.

    Attributes
    ----------
    n_features_in_ : int
        Number of covariate columns of ``X`` seen in ``fit`` (may be 0).
    feature_names_in_ : ndarray of str, shape (n_features_in_,)
        Covariate names, when ``X`` was a DataFrame with string columns.
    y_ : ndarray of shape (n_steps, n_targets)
        Target history in float64 (a copy), leading NaN rows included,
        extended by ``update``.
    X_ : ndarray of shape (n_steps, n_features_in_)
        Covariate history aligned with ``y_`` (a copy).
    index_ : pandas.Index or None
        Time labels of the history (a DatetimeIndex, PeriodIndex or integer
        index) when ``X`` or ``y`` was pandas, else None (positional history).
    freq_ : pandas.DateOffset, int or None
        Step between consecutive labels of ``index_`` (1 for integer labels).
    target_names_ : list or None
        Column names of ``y`` when it was a DataFrame, or its name when it was
        a named Series.

    Notes
    -----
    Rows are time steps. With pandas input, the labels of the rows of ``X``
    say which steps ``predict`` forecasts, so a
    ``TimeSeriesSplit(gap=g)`` fold is forecast ``g + 1`` steps ahead and
    on. NumPy rows have no labels: they follow the history immediately,
    so ``TimeSeriesSplit(gap>0)`` needs pandas input.
    """

    _parameter_constraints: dict = {}
    # Rows needed by ``_fit`` after leading NaN rows are removed.
    _min_history = 1
    # Whether NaN may appear inside the history (after the first observed
    # row); only models whose estimation skips missing values set it.
    _allow_interior_nan = False

    def fit(self, X, y):
        """Fit the forecaster on a history.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_features) or None
            Covariates known in advance for the history rows; ``n_features``
            may be 0 (``pd.DataFrame(index=y.index)`` or
            ``np.empty((n_steps, 0))``). None means no covariates.
        y : array-like of shape (n_steps,) or (n_steps, n_targets)
            Target history, in time order, without missing time steps.
            Leading NaN rows (as produced by :class:`~skts.preprocessing.Differencer`) are
            ignored by the estimation; NaN or inf after the first finite row
            is an error.

        Returns
        -------
        self : object
            Fitted forecaster.
        """
        validate_parameters(self)
        X_arr, y_arr, index = self._validate_history(X, y, reset=True)
        self.y_ = y_arr
        self.X_ = X_arr
        self.index_ = index
        self.freq_ = TimeGrid.of(index).freq
        start = self._first_valid_row(y_arr)
        self._fit(y_arr[start:], X_arr[start:])
        return self

    def predict(self, X):
        """Forecast the rows of ``X``, which follow the history.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)
            Covariates of the rows to forecast (``n_features`` may be 0).
            NumPy input means the rows follow the history immediately (steps
            ``1..n_rows``). A pandas ``X`` on a history with time labels is
            aligned by label, so gaps after the history are allowed.

        Returns
        -------
        y_pred : ndarray of shape (n_rows,) or (n_rows, n_targets)
            Forecasts, in the units of ``y``.
        """
        check_is_fitted(self, "y_")
        X_all, steps = self._future_rows(X)
        if len(steps) == 0:
            return self._shape_output(np.empty((0, self.y_.shape[1])))
        y_pred = self._predict(len(X_all), X_all)
        return self._shape_output(y_pred[steps - 1])

    def update(self, X, y):
        """Append new observations without re-estimating the parameters.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features) or None
            Covariates of the new rows; None means no covariates.
        y : array-like of shape (n_new,) or (n_new, n_targets)
            Observed targets of the rows that immediately follow the history.

        Returns
        -------
        self : object
            The forecaster, now conditioned on the longer history.
        """
        check_is_fitted(self, "y_")
        X_arr, y_arr, _ = self._validate_new_rows(X, y, "update")
        self._append_rows(y_arr, X_arr)
        return self

    def predict_rolling(self, X, y, *, horizon=1, stride=1):
        """Forecast from consecutive origins over new observations, in one call.

        The new rows ``X``, ``y`` follow the history. Origin ``i`` sits
        before new row ``i * stride``: it has seen the history and ``y[:i *
        stride]``, and forecasts new rows ``i * stride .. i * stride + horizon -
        1``. Origins continue while their whole horizon lies within ``y``.
        The forecasts equal ``predict`` and ``update`` called origin by
        origin, but the forecaster is left unchanged and the work is done
        at once (one Kalman filter pass for SARIMA, one network call per
        block of steps for the neural forecasters).

        Parameters
        ----------
        X : array-like of shape (n_new, n_features) or None
            Covariates of the new rows; None means no covariates.
        y : array-like of shape (n_new,) or (n_new, n_targets)
            Observed targets of the rows that immediately follow the history.
        horizon : int, default=1
            Steps forecast from each origin, at least 1.
        stride : int, default=1
            New rows between consecutive origins, at least 1.

        Returns
        -------
        forecasts : ndarray of shape (n_origins, horizon) or (n_origins, horizon, n_targets)
            ``forecasts[i, h - 1]`` forecasts new row ``i * stride + h - 1``,
            in the units of ``y``; 3-D when ``y`` of ``fit`` was 2-D.

        See Also
        --------
        skts.model_selection.backtest : Rolling-origin evaluation built on
            this method.

        Examples
        --------
        >>> import numpy as np
        >>> from skts.forecasting import NaiveSeasonal
        >>> model = NaiveSeasonal(season_length=2).fit(None, np.array([1.0, 2.0, 3.0, 4.0]))
        >>> model.predict_rolling(None, np.array([5.0, 6.0, 7.0]), horizon=2)
        array([[3., 4.],
               [4., 5.]])
        """
        check_is_fitted(self, "y_")
        horizon = check_positive_int(horizon, "horizon")
        stride = check_positive_int(stride, "stride")
        X_arr, y_arr, _ = self._validate_new_rows(X, y, "predict_rolling")
        if len(y_arr) < horizon:
            raise ValueError(
                f"predict_rolling got {len(y_arr)} new row(s), fewer than horizon={horizon}: "
                "every origin needs its whole horizon of observed rows. Pass more rows "
                "or a shorter horizon."
            )
        origins = rolling_origins(len(y_arr), horizon, stride)
        forecasts = self._rolling_forecasts(y_arr, X_arr, origins, horizon)
        return forecasts[:, :, 0] if self._y_1d else forecasts

    def forecast(self, horizon, X=None, coverage=None):
        """Forecast the next ``horizon`` steps after the history.

        Parameters
        ----------
        horizon : int
            Number of steps to forecast, at least 1.
        X : array-like of shape (horizon, n_features), optional
            Covariates of the future rows; required when the forecaster was
            fitted with covariates. A pandas ``X`` must be labelled with the
            next ``horizon`` steps of the history.
        coverage : float or list of float, optional
            Also return prediction intervals of these coverages (see
            ``predict_interval``).

        Returns
        -------
        forecast : pandas.Series or pandas.DataFrame
            Indexed by the labels of the forecast steps when the history had
            time labels, else by the steps ``1..horizon``; a DataFrame for
            multi-target ``y``. With ``coverage``, a DataFrame with columns
            ``forecast``, ``lower`` and ``upper`` (``lower_80``,
            ``upper_80``, ... for a list of coverages), under a leading
            target level for multi-target ``y``.
        """
        check_is_fitted(self, "y_")
        if coverage is not None:
            check_coverage(coverage, flat=True)
        horizon = check_positive_int(horizon, "horizon")
        if X is None:
            if self.n_features_in_ > 0:
                raise ValueError(
                    f"{type(self).__name__} was fitted with {self.n_features_in_} "
                    "covariates: pass their future values as X, shape "
                    f"({horizon}, {self.n_features_in_})."
                )
            X = np.empty((horizon, 0))
        elif len(X) != horizon:
            raise ValueError(f"X has {len(X)} rows but horizon is {horizon}: give one row per step.")
        grid = self._time_grid
        index = grid.labels_after(horizon)
        if not grid.positional:
            index.name = self.index_.name
            x_index = time_index(X)
            if x_index is not None:
                x_index = grid.align_timezone(x_index, "X")
                if not x_index.equals(index):
                    raise ValueError(
                        f"forecast({horizon}) forecasts the next {horizon} steps, {index[0]} "
                        f"to {index[-1]}, but X is labelled {x_index[0]} to {x_index[-1]}. "
                        "Pass the covariates of those steps, or use predict(X) to "
                        "forecast the rows X is labelled with."
                    )
        y_pred = self.predict(X)
        if coverage is not None:
            return self._forecast_with_bounds(X, y_pred, index, coverage)
        if y_pred.ndim == 1:
            name = self.target_names_[0] if self.target_names_ else None
            return pd.Series(y_pred, index=index, name=name)
        return pd.DataFrame(y_pred, index=index, columns=self.target_names_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # R^2 on rows treated as the future of the same rows is meaningless,
        # so the in-sample score threshold of the common checks does not apply.
        tags.regressor_tags.poor_score = True
        tags.input_tags.allow_nan = False
        return tags

    # -- hooks ---------------------------------------------------------------

    def _rolling_forecasts(self, y, X, origins, horizon):
        """Forecasts from several origins over new rows (see ``predict_rolling``).

        Origin ``j`` has seen the history plus the first ``j`` new rows and
        forecasts new rows ``j .. j + horizon - 1``. This default walks the
        origins with ``_update`` and ``_predict`` on a shallow copy, so the
        forecaster itself is unchanged; subclasses override it with one
        batched computation.

        Parameters
        ----------
        y : ndarray of shape (m, n_targets)
            Validated observations of the rows that follow the history.
        X : ndarray of shape (m, n_features_in_)
            Their covariates.
        origins : ndarray of int, shape (n_origins,)
            Increasing positions in ``[0, m - horizon]``.
        horizon : int
            Steps forecast from each origin.

        Returns
        -------
        forecasts : ndarray of shape (n_origins, horizon, n_targets)
        """
        forecasts = self._walk_on_copy(y, X, origins, lambda shadow, origin: shadow._predict(horizon, X[origin : origin + horizon]))
        return np.stack(forecasts) if forecasts else np.empty((0, horizon, y.shape[1]))

    def _walk_on_copy(self, y, X, origins, forecast):
        """``forecast(copy, origin)`` from each origin, on a shallow copy conditioned on the rows before it."""
        shadow = self._shallow_copy()

        def condition(seen, origin):
            shadow._append_rows(y[seen:origin], X[seen:origin], labels=False)

        return walk(origins, condition, lambda origin: forecast(shadow, origin))[0]

    def _shallow_copy(self):
        """A copy sharing every attribute, to condition on new rows without changing self.

        Through ``__dict__``: ``copy.copy`` would go through the pickling
        hooks, which serialise fitted statsmodels and Keras objects.
        """
        shadow = object.__new__(type(self))
        shadow.__dict__.update(self.__dict__)
        return shadow

    def _fit(self, y, X):
        raise NotImplementedError

    def _predict(self, horizon, X):
        raise NotImplementedError

    def _update(self, y, X):
        """Condition on new rows; the default needs nothing beyond ``y_``."""

    # -- validation ----------------------------------------------------------

    @property
    def _time_grid(self):
        """The time grid of the stored history (labels ``index_``, step ``freq_``)."""
        return TimeGrid(self.index_, self.freq_)

    def _validate_history(self, X, y, reset):
        """Validate a block of history rows; return float array copies and time index."""
        name = type(self).__name__
        if y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        if X is None:
            X = no_covariates(y)
        index = self._history_index(X, y, reset)
        if index is not None:
            check_time_index(index, "the history" if reset else "the new rows")
        y = check_numeric_columns(y, self, "y")
        X = check_numeric_columns(X, self, "X")
        min_samples = self._min_history if reset else 1
        # Copies: a fitted model owns its history, so editing the caller's
        # arrays afterwards cannot change a forecast.
        X_arr = validate_data(
            self,
            no_empty_frame(X),
            reset=reset,
            ensure_min_features=0,
            ensure_min_samples=min_samples,
            dtype=np.float64,
            copy=True,
        )
        y_arr = check_target(y, min_samples)
        multi_output = self.__sklearn_tags__().target_tags.multi_output
        if y_arr.ndim == 2 and y_arr.shape[1] == 1 and not multi_output:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. "
                "Please change the shape of y to (n_samples,), for example using ravel().",
                DataConversionWarning,
                stacklevel=3,
            )
            y_arr = y_arr.ravel()
        if len(X_arr) != len(y_arr):
            raise ValueError(
                f"X has {len(X_arr)} rows and y has {len(y_arr)}: they must describe the same time steps."
            )
        if reset:
            if y_arr.ndim == 2 and y_arr.shape[1] > 1 and not multi_output:
                raise ValueError(
                    f"{name} models a single target; y has {y_arr.shape[1]} columns. Fit one "
                    f"forecaster per column, for example MultiOutputRegressor({name}(...), "
                    "n_jobs=-1) from sklearn.multioutput, which fits them in parallel "
                    "(skts.model_selection.backtest takes it with any refit)."
                )
            self._y_1d = y_arr.ndim == 1
            self.target_names_ = target_names(y)
        else:
            n_targets = 1 if y_arr.ndim == 1 else y_arr.shape[1]
            if n_targets != self.y_.shape[1]:
                raise ValueError(
                    f"y has {n_targets} target columns but the forecaster was fitted with {self.y_.shape[1]}."
                )
        return X_arr, y_arr.reshape(len(y_arr), -1), index

    def _validate_new_rows(self, X, y, method):
        """Validate observed rows that follow the history (``update``, ``predict_rolling``)."""
        X_arr, y_arr, index = self._validate_history(X, y, reset=False)
        if not self._allow_interior_nan and not np.isfinite(y_arr).all():
            raise ValueError(
                f"y passed to {method} contains NaN or inf. Only the start of the "
                "history may be missing; impute the new observations first."
            )
        self._time_grid.check_follows(index, len(y_arr), method)
        return X_arr, y_arr, index

    def _first_valid_row(self, y):
        """Index of the first row with all targets finite; NaN after it is an error."""
        finite = np.isfinite(y).all(axis=1)
        if not finite.any():
            raise ValueError("y has no finite rows: every value is NaN.")
        start = int(np.argmax(finite))
        if not self._allow_interior_nan and not finite[start:].all():
            bad = start + int(np.argmin(finite[start:]))
            where = bad if self.index_ is None else self.index_[bad]
            raise ValueError(
                f"y has NaN at row {where}, after the first observed value. Only "
                "leading NaN (from differencing) are allowed: impute the gaps before "
                "fitting (for example y.interpolate()), or use SARIMAEstimator, whose "
                "Kalman filter skips missing values."
            )
        n_observed = int(finite[start:].sum())
        if n_observed < self._min_history:
            raise ValueError(
                f"{type(self).__name__} needs at least {self._min_history} observed "
                f"rows after the leading NaN; y has {n_observed} sample(s)."
            )
        return start

    def _history_index(self, X, y, reset):
        what = "the history" if reset else "the new rows"
        # y first: with X=None, X's rows carry y's labels, and the message must name y.
        y_index = time_index(y, f"y of {what}")
        x_index = time_index(X, f"X of {what}")
        if x_index is not None and y_index is not None and not x_index.equals(y_index):
            raise ValueError(
                f"X and y of {what} have different indexes (X: {_span(x_index)}; y: {_span(y_index)}): "
                "they must label the same time steps. Build X on y's index, for example "
                "pd.DataFrame(index=y.index)."
            )
        return y_index if y_index is not None else x_index

    def _future_rows(self, X):
        """Covariates of steps ``1..horizon`` and the 1-based steps ahead of the rows of ``X``.

        The rows to forecast are validated and placed on the history's time
        grid; ``horizon`` is the furthest of their steps.
        """
        if X is None:
            raise ValueError(
                "X is needed to know which rows to forecast: pass their covariates, "
                "np.empty((n_rows, 0)) or pd.DataFrame(index=future_labels) without "
                "covariates, or call forecast(horizon)."
            )
        index = time_index(X, "X")
        X = check_numeric_columns(X, self, "X")
        X_arr = validate_data(
            self, no_empty_frame(X), reset=False, ensure_min_features=0, ensure_min_samples=0, dtype=np.float64
        )
        if index is None or self.index_ is None:
            steps = np.arange(1, len(X_arr) + 1)
        else:
            steps = self._time_grid.future_steps(index, "X")
        if len(steps) == 0:
            return X_arr, steps
        horizon = int(steps.max())
        self._check_gap_allowed(steps)
        return self._covariates_for_steps(X_arr, steps, horizon), steps

    def _check_gap_allowed(self, steps):
        """Refuse a gap when the history looks differenced by a target transformer.

        ``TransformedTargetRegressor(forecaster, Differencer())`` inverts the
        forecasts as if they were the rows right after the history; after a
        gap it would integrate them from the wrong origin, a silent wrong
        level. Leading NaN rows in ``y_`` are the trace of that differencing.
        """
        if steps[0] == 1 or np.isfinite(self.y_[0]).all():
            return
        raise ValueError(
            f"X starts {int(steps[0])} steps after the history, and this forecaster was "
            "fitted on a y with leading NaN rows, as a Differencer inside "
            "TransformedTargetRegressor produces. That wrapper integrates the forecasts "
            "from the end of the history as if no steps were skipped, which gives wrong "
            "levels after a gap. Use skts.compose.TransformedTargetForecaster (it "
            "handles gaps), predict the rows right after the history, or drop the "
            "leading NaN rows of y."
        )

    def _covariates_for_steps(self, X_arr, steps, horizon):
        """Covariates for every step 1..horizon; gaps are allowed only without covariates."""
        if X_arr.shape[1] == 0:
            return np.empty((horizon, 0))
        if len(steps) != horizon or not np.array_equal(steps, np.arange(1, horizon + 1)):
            raise ValueError(
                "The forecaster uses covariates, so X must cover every step after the "
                f"end of the history; the rows of X start {int(steps[0])} steps ahead "
                "or skip steps. Pass the covariates from the first step on, or "
                "update() the forecaster with the observations in the gap."
            )
        return X_arr

    def _append_rows(self, y, X, labels=True):
        """Condition on validated new rows and extend the stored history."""
        self._update(y, X)
        self.y_ = np.concatenate([self.y_, y])
        self.X_ = np.concatenate([self.X_, X])
        if labels:
            self.index_ = self._time_grid.extended(len(y)).labels

    def _shape_output(self, y_pred):
        return y_pred[:, 0] if self._y_1d else y_pred


def inner_target(y):
    """Targets ``(n, n_targets)`` as a wrapped forecaster takes them: 1-D for a single target."""
    return y[:, 0] if y.shape[1] == 1 else y


def wrapped_multi_output(estimator):
    """Whether a meta-forecaster's wrapped estimator takes several targets (by its tags)."""
    try:
        return get_tags(estimator).target_tags.multi_output
    except (AttributeError, TypeError):
        return False


def _span(index):
    """An index in a message: its length, kind and first and last labels."""
    labels = f"{index[0]} to {index[-1]}" if len(index) else "empty"
    return f"{len(index)} rows, {index_kind(index)} {labels}"
