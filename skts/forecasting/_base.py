"""The forecasting contract shared by every skts forecaster.

Rows are time steps in order. ``fit(X, y)`` takes the history, ``predict(X)``
forecasts the rows that follow it, ``update(X, y)`` appends observations
without re-estimating and ``forecast(horizon)`` is the convenience call. The
base class owns validation, pandas index alignment and the stored history;
subclasses implement three hooks on plain float arrays:

- ``_fit(y, X)``: estimate from the history (leading NaN rows of ``y``
  already removed), ``y`` of shape ``(n, n_targets)``, ``X`` ``(n, k)``;
- ``_predict(horizon, X)``: forecasts for steps ``1..horizon`` after the
  stored history, ``X`` of shape ``(horizon, k)``; returns
  ``(horizon, n_targets)``;
- ``_update(y, X)`` (optional): condition on new rows before they are
  appended to the stored history.
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from skts._validation import check_numeric_columns

_TIME_INDEXES = (pd.DatetimeIndex, pd.PeriodIndex)


def _time_index(obj):
    """The DatetimeIndex/PeriodIndex of a pandas object, else None."""
    index = getattr(obj, "index", None)
    return index if isinstance(index, _TIME_INDEXES) else None


def _infer_freq(index):
    """The regular frequency of a time index, as a pandas offset."""
    if isinstance(index, pd.PeriodIndex):
        return index.freq
    if index.freq is not None:
        return index.freq
    if len(index) >= 3:
        with warnings.catch_warnings():
            # pandas >= 3 warns that the return type will change; we accept both.
            warnings.simplefilter("ignore")
            freq = pd.infer_freq(index)
        if freq is not None:
            return pd.tseries.frequencies.to_offset(freq)
    raise ValueError(
        "Cannot infer a regular frequency from the time index of the history "
        f"(first timestamps: {list(index[:3])}). Give the index a frequency, for "
        "example y = y.asfreq('D'), and fill or drop the irregular rows yourself."
    )


def _check_time_index(index, what):
    if not index.is_unique:
        dup = index[index.duplicated()][0]
        raise ValueError(
            f"The time index of {what} has duplicate timestamps (first: {dup}). "
            "Each row must be one time step: drop or aggregate the duplicates."
        )
    if not index.is_monotonic_increasing:
        raise ValueError(
            f"The time index of {what} is not sorted. Rows are time steps in "
            "order: sort them first, for example y = y.sort_index()."
        )


def _future_grid(cutoff, last, freq):
    """Timestamps from ``cutoff`` (position 0) to ``last`` on the frequency grid."""
    if isinstance(cutoff, pd.Period):
        return pd.period_range(start=cutoff, end=last, freq=freq)
    return pd.date_range(start=cutoff, end=last, freq=freq)


class BaseForecaster(RegressorMixin, BaseEstimator):
    """Base class for skts forecasters (not for direct use).

    Subclasses implement ``_fit``, ``_predict`` and optionally ``_update`` on
    validated float arrays; see the module docstring. The history is stored
    in fitted attributes so that ``predict`` and ``update`` can condition on
    its end.

    Attributes
    ----------
    n_features_in_ : int
        Number of covariate columns of ``X`` seen in ``fit`` (may be 0).
    feature_names_in_ : ndarray of str, shape (n_features_in_,)
        Covariate names, when ``X`` was a DataFrame with string columns.
    y_ : ndarray of shape (n_steps, n_targets)
        Target history in float64, leading NaN rows included, extended by
        ``update``.
    X_ : ndarray of shape (n_steps, n_features_in_)
        Covariate history aligned with ``y_``.
    index_ : pandas.DatetimeIndex, pandas.PeriodIndex or None
        Time index of the history when ``X`` or ``y`` had one, else None
        (positional history).
    freq_ : pandas.DateOffset or None
        Frequency of ``index_``.
    target_names_ : list or None
        Column names of ``y`` when it was a DataFrame, or its name when it was
        a named Series.
    """

    _parameter_constraints: dict = {}
    # Rows needed by ``_fit`` after leading NaN rows are removed.
    _min_history = 1

    def fit(self, X, y):
        """Fit the forecaster on a history.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_features)
            Covariates known in advance for the history rows; ``n_features``
            may be 0 (``pd.DataFrame(index=y.index)`` or
            ``np.empty((n_steps, 0))``).
        y : array-like of shape (n_steps,) or (n_steps, n_targets)
            Target history, in time order. Leading NaN rows (as produced by
            :class:`~skts.Differencer`) are ignored by the estimation; NaN or
            inf after the first finite row is an error.

        Returns
        -------
        self : object
            Fitted forecaster.
        """
        self._validate_params()
        X_arr, y_arr, index = self._validate_history(X, y, reset=True)
        self.y_ = y_arr
        self.X_ = X_arr
        self.index_ = index
        self.freq_ = None if index is None else _infer_freq(index)
        start = self._first_valid_row(y_arr)
        self._fit(y_arr[start:], X_arr[start:])
        return self

    def predict(self, X):
        """Forecast the rows of ``X``, which follow the history.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)
            Covariates of the rows to forecast. NumPy input means the rows
            follow the history immediately (steps ``1..n_rows``). With a
            DatetimeIndex/PeriodIndex on the history, a pandas ``X`` is
            aligned by timestamp, so gaps after the history are allowed.

        Returns
        -------
        y_pred : ndarray of shape (n_rows,) or (n_rows, n_targets)
            Forecasts, in the units of ``y``.
        """
        check_is_fitted(self, "y_")
        X_arr, steps = self._validate_future(X)
        if len(steps) == 0:
            return self._shape_output(np.empty((0, self.y_.shape[1])))
        horizon = int(steps.max())
        X_all = self._covariates_for_steps(X_arr, steps, horizon)
        y_pred = self._predict(horizon, X_all)
        return self._shape_output(y_pred[steps - 1])

    def update(self, X, y):
        """Append new observations without re-estimating the parameters.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features)
            Covariates of the new rows.
        y : array-like of shape (n_new,) or (n_new, n_targets)
            Observed targets of the rows that immediately follow the history.

        Returns
        -------
        self : object
            The forecaster, now conditioned on the longer history.
        """
        check_is_fitted(self, "y_")
        X_arr, y_arr, index = self._validate_history(X, y, reset=False)
        if not np.isfinite(y_arr).all():
            raise ValueError(
                "y passed to update contains NaN or inf. Only the start of the "
                "history may be missing; impute the new observations first."
            )
        self._check_follows_history(index, len(y_arr))
        self._append_rows(y_arr, X_arr)
        return self

    def forecast(self, horizon, X=None):
        """Forecast the next ``horizon`` steps after the history.

        Parameters
        ----------
        horizon : int
            Number of steps to forecast, at least 1.
        X : array-like of shape (horizon, n_features), optional
            Covariates of the future rows; required when the forecaster was
            fitted with covariates.

        Returns
        -------
        forecast : pandas.Series or pandas.DataFrame
            Indexed by the future timestamps when the history had a time
            index, else by the steps ``1..horizon``; a DataFrame for
            multi-target ``y``.
        """
        check_is_fitted(self, "y_")
        if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
            raise ValueError(f"horizon must be a positive integer, got {horizon!r}.")
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
        y_pred = self.predict(X)
        if self.index_ is None:
            index = pd.RangeIndex(1, horizon + 1, name="step")
        else:
            last = self.index_[-1]
            index = _future_grid(last, last + horizon * self.freq_, self.freq_)[1:]
            index.name = self.index_.name
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
        """Forecasts from several origins after the history (used by ``backtest``).

        Origin ``j`` has seen the history plus the first ``j`` of the new rows
        and forecasts new rows ``j .. j + horizon - 1``. This default walks the
        origins with ``_append_rows`` and ``_predict``; window forecasters
        override it with one batched network call. On return the forecaster
        has appended the new rows up to the last origin.

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
        forecasts = np.empty((len(origins), horizon, y.shape[1]))
        seen = 0
        for i, origin in enumerate(origins):
            if origin > seen:
                self._append_rows(y[seen:origin], X[seen:origin])
                seen = origin
            forecasts[i] = self._predict(horizon, X[origin : origin + horizon])
        return forecasts

    def _fit(self, y, X):
        raise NotImplementedError

    def _predict(self, horizon, X):
        raise NotImplementedError

    def _update(self, y, X):
        """Condition on new rows; the default needs nothing beyond ``y_``."""

    # -- validation ----------------------------------------------------------

    def _validate_history(self, X, y, reset):
        """Validate a block of history rows; return float arrays and time index."""
        name = type(self).__name__
        if y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        index = self._history_index(X, y)
        if index is not None:
            _check_time_index(index, "the history" if reset else "the rows passed to update")
        check_numeric_columns(X, self)
        check_numeric_columns(y, self)
        X_arr = validate_data(
            self,
            _no_empty_frame(X),
            reset=reset,
            ensure_min_features=0,
            ensure_min_samples=self._min_history if reset else 1,
            dtype=np.float64,
        )
        multi_output = self.__sklearn_tags__().target_tags.multi_output
        y_values = y
        if isinstance(y, (pd.Series, pd.DataFrame)):
            # Numeric (checked above): a float array is what check_array would
            # build, at a third of its cost on pandas input, per fit.
            y_values = y.to_numpy(dtype=np.float64, na_value=np.nan)
        y_arr = check_array(
            y_values,
            ensure_2d=False,
            ensure_all_finite="allow-nan",
            ensure_min_samples=self._min_history if reset else 1,
            dtype=np.float64,
            input_name="y",
        )
        if np.isinf(y_arr).any():
            raise ValueError("y contains inf. Replace or drop the infinite values before fitting.")
        if y_arr.ndim == 2 and y_arr.shape[1] == 1 and not multi_output:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. "
                "Please change the shape of y to (n_samples,), for example using ravel().",
                DataConversionWarning,
                stacklevel=3,
            )
            y_arr = y_arr.ravel()
        if y_arr.ndim > 2:
            raise ValueError(f"y must be 1D or 2D (n_steps, n_targets), got shape {y_arr.shape}.")
        if len(X_arr) != len(y_arr):
            raise ValueError(
                f"X has {len(X_arr)} rows and y has {len(y_arr)}: they must describe the same time steps."
            )
        if reset:
            self._y_1d = y_arr.ndim == 1
            self.target_names_ = _target_names(y)
            if y_arr.ndim == 2 and y_arr.shape[1] > 1 and not multi_output:
                raise ValueError(
                    f"{name} models a single target; y has {y_arr.shape[1]} columns. "
                    "Fit one forecaster per target."
                )
        else:
            n_targets = 1 if y_arr.ndim == 1 else y_arr.shape[1]
            if n_targets != self.y_.shape[1]:
                raise ValueError(
                    f"y has {n_targets} target columns but the forecaster was fitted with {self.y_.shape[1]}."
                )
        return X_arr, y_arr.reshape(len(y_arr), -1), index

    def _first_valid_row(self, y):
        """Index of the first row with all targets finite; NaN after it is an error."""
        finite = np.isfinite(y).all(axis=1)
        if not finite.any():
            raise ValueError("y has no finite rows: every value is NaN.")
        start = int(np.argmax(finite))
        if not finite[start:].all():
            bad = start + int(np.argmin(finite[start:]))
            where = bad if self.index_ is None else self.index_[bad]
            raise ValueError(
                f"y has NaN at row {where}, after the first observed value. Only "
                "leading NaN (from differencing) are allowed: impute or drop the "
                "gaps before fitting."
            )
        if len(y) - start < self._min_history:
            raise ValueError(
                f"{type(self).__name__} needs at least {self._min_history} observed "
                f"rows after the leading NaN; y has {len(y) - start} sample(s)."
            )
        return start

    def _history_index(self, X, y):
        x_index, y_index = _time_index(X), _time_index(y)
        if x_index is not None and y_index is not None and not x_index.equals(y_index):
            raise ValueError(
                "X and y have different time indexes: they must describe the same rows."
            )
        return y_index if y_index is not None else x_index

    def _validate_future(self, X):
        """Validate prediction rows; return covariates and 1-based steps ahead."""
        index = _time_index(X)
        check_numeric_columns(X, self)
        X_arr = validate_data(
            self, _no_empty_frame(X), reset=False, ensure_min_features=0, ensure_min_samples=0, dtype=np.float64
        )
        if index is None or self.index_ is None:
            return X_arr, np.arange(1, len(X_arr) + 1)
        if type(index) is not type(self.index_):
            raise ValueError(
                f"X has a {type(index).__name__} but the history has a {type(self.index_).__name__}."
            )
        _check_time_index(index, "X")
        cutoff = self.index_[-1]
        if len(index) and index[0] <= cutoff:
            raise ValueError(
                f"X starts at {index[0]}, at or before the end of the history ({cutoff}). "
                "predict forecasts the rows that follow the history; use update() "
                "to add observed rows."
            )
        if len(index) == 0:
            return X_arr, np.arange(1, 1)
        steps = _future_grid(cutoff, index[-1], self.freq_).get_indexer(index)
        if (steps < 0).any():
            off = index[steps < 0][0]
            raise ValueError(
                f"X has timestamp {off}, which is not on the history's frequency "
                f"grid ({self.freq_.freqstr} from {cutoff})."
            )
        return X_arr, steps

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

    def _check_follows_history(self, index, n_new):
        """Check that time-indexed rows passed to ``update`` follow the history."""
        if self.index_ is None or index is None:
            return
        last = self.index_[-1]
        expected = _future_grid(last, last + n_new * self.freq_, self.freq_)[1:]
        if not index.equals(expected):
            raise ValueError(
                f"update() needs the rows that immediately follow the history: expected "
                f"{expected[0]} to {expected[-1]}, got {index[0]} to {index[-1]}."
            )

    def _append_rows(self, y, X):
        """Condition on validated new rows and extend the stored history."""
        self._update(y, X)
        self.y_ = np.concatenate([self.y_, y])
        self.X_ = np.concatenate([self.X_, X])
        if self.index_ is not None:
            last = self.index_[-1]
            self.index_ = self.index_.append(_future_grid(last, last + len(y) * self.freq_, self.freq_)[1:])

    def _shape_output(self, y_pred):
        return y_pred[:, 0] if self._y_1d else y_pred


def _no_empty_frame(X):
    """A DataFrame without columns as an empty array (check_array rejects it)."""
    if isinstance(X, pd.DataFrame) and X.shape[1] == 0:
        return np.empty((len(X), 0))
    return X


def _target_names(y):
    if isinstance(y, pd.DataFrame):
        return list(y.columns)
    if isinstance(y, pd.Series) and y.name is not None:
        return [y.name]
    return None
