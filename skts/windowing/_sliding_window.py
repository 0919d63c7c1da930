"""Lag-window features for scikit-learn Pipelines."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from skts._compat import Interval, validate_parameters

from skts._validation import check_numeric_columns


class SlidingWindow(TransformerMixin, BaseEstimator):
    """Turn time rows into lag-window features, keeping one row per time step.

    Row ``t`` of the output holds the last ``seq_length`` rows of ``X`` up
    to and including row ``t``, feature by feature: column ``f *
    seq_length + j`` is ``X[t - j, f]``, the value of feature ``f`` ``j``
    steps before row ``t``. **Lag 0 is the current row.** The first
    ``seq_length - 1`` rows have no complete window; their missing lags are
    ``fill_value``.

    Parameters
    ----------
    seq_length : int, default=7
        Number of time steps per window (lags ``0 .. seq_length - 1``), at
        least 1. The default is one week of daily data.
    fill_value : float, default=np.nan
        Value of the lags before the first row of ``X``. NaN keeps them
        visibly missing (drop those rows or use an estimator that accepts
        NaN); ``0.0`` suits standardised inputs.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of ``X`` seen in ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features_in_,)
        Column names of ``X``, when it was a DataFrame with string columns.
    tail_ : ndarray of shape (seq_length - 1, n_features_in_)
        The last rows seen in ``fit`` (``fill_value`` where ``fit`` had
        fewer), the lags of rows that follow them.
    last_label_ : object or None
        The last time label seen in ``fit``; None for input without time
        labels.

    See Also
    --------
    make_supervised : Windows and their targets as zero-copy views, for
        training on complete windows only.
    Differencer : Lag differences, often applied before windowing.

    Notes
    -----
    A DataFrame (or Series) with time labels tells which rows follow the
    ones seen in ``fit``: when the first label of ``X`` in ``transform``
    comes after the last label seen in ``fit`` (a ``DatetimeIndex`` with a
    frequency, a ``PeriodIndex`` or integer labels, one step apart), the
    first rows take their lags from the last ``seq_length - 1`` rows seen in
    ``fit`` (``fill_value`` for the steps in between, such as the ``gap`` of
    ``TimeSeriesSplit(gap=...)``). So in a ``Pipeline`` evaluated with
    ``TimeSeriesSplit``, a test fold gets every lag, as it would in
    production. Any other input (NumPy arrays, rows that do not follow the
    fitted ones, such as the training rows again) is windowed on its own,
    its first rows padded with ``fill_value``. To forecast a series from its
    own lags, :class:`~skts.forecasting.ReductionForecaster` does the
    windowing, the pairing with targets and the recursion for you. To
    predict the step after each window, pair output row ``t`` with the
    target at ``t + 1``.

    The output is a new C-contiguous array of shape ``(n_steps,
    n_features_in_ * seq_length)`` in the input's float dtype; NaN in ``X``
    is passed through to the lags that see it.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skts.windowing import SlidingWindow
    >>> X = pd.DataFrame({"rail": [1.0, 2.0, 3.0, 4.0]})
    >>> SlidingWindow(seq_length=2).fit_transform(X)
    array([[ 1., nan],
           [ 2.,  1.],
           [ 3.,  2.],
           [ 4.,  3.]])
    >>> SlidingWindow(seq_length=2).fit(X).get_feature_names_out()
    array(['rail_lag0', 'rail_lag1'], dtype=object)
    """

    _parameter_constraints = {
        "seq_length": [Interval(Integral, 1, None, closed="left")],
        "fill_value": [Real],
    }

    def __init__(self, *, seq_length=7, fill_value=np.nan):
        self.seq_length = seq_length
        self.fill_value = fill_value

    def fit(self, X, y=None):
        """Record the number and names of the columns of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_features)
            Numeric time rows, in time order.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        validate_parameters(self)
        values = self._validate(X, reset=True)
        self.tail_ = self._tail(values)
        self.last_label_, self._freq = _time_labels(X)
        return self

    def transform(self, X):
        """Lag-window features of each row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_features_in_)
            Numeric time rows, in time order.

        Returns
        -------
        X_lags : ndarray of shape (n_steps, n_features_in_ * seq_length)
            ``X_lags[t, f * seq_length + j] = X[t - j, f]``, ``fill_value``
            where ``t - j < 0``.
        """
        check_is_fitted(self, "n_features_in_")
        steps_after = self._steps_after_fit(X)
        X = self._validate(X, reset=False)
        n_steps, n_features = X.shape
        before = np.full((self.seq_length - 1, n_features), self.fill_value, dtype=X.dtype)
        if steps_after:
            # The rows seen in fit, then fill_value for the steps between them and X.
            known = np.concatenate([self.tail_.astype(X.dtype), before[: steps_after - 1]])
            before = known[len(known) - len(before) :] if len(before) else before
        padded = np.concatenate([before, X])
        # windows[t, f, i] = padded[t + i, f]; reversing i puts lag 0 first.
        windows = sliding_window_view(padded, self.seq_length, axis=0)[:, :, ::-1]
        return np.ascontiguousarray(windows).reshape(n_steps, n_features * self.seq_length)

    def get_feature_names_out(self, input_features=None):
        """Output column names, ``<feature>_lag<j>`` for ``j`` in ``0 .. seq_length - 1``.

        Parameters
        ----------
        input_features : array-like of str, optional
            Input column names; defaults to ``feature_names_in_``, or
            ``x0, x1, ...`` when ``X`` had no column names.

        Returns
        -------
        feature_names_out : ndarray of str, shape (n_features_in_ * seq_length,)
        """
        check_is_fitted(self, "n_features_in_")
        names = _input_feature_names(self, input_features)
        return np.asarray(
            [f"{name}_lag{j}" for name in names for j in range(self.seq_length)], dtype=object
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # NaN is passed through to the lags that see it, like the padding.
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def _tail(self, values):
        """The last ``seq_length - 1`` rows of ``values`` after the ``fill_value`` padding."""
        before = np.full((self.seq_length - 1, values.shape[1]), self.fill_value, dtype=np.float64)
        return np.concatenate([before, values])[len(values) :]

    def _steps_after_fit(self, X):
        """How many steps after the last fitted label the first row of ``X`` is.

        None when it is not within ``seq_length`` steps after it on the
        fitted time grid (or either has no time labels): the fitted rows
        then hold none of the lags of ``X``.
        """
        last, index = getattr(self, "last_label_", None), getattr(X, "index", None)
        if last is None or not isinstance(index, pd.Index) or not len(index):
            return None
        if isinstance(last, pd.Timestamp | pd.Period):
            # The grid of the fitted rows; a test fold cut by iloc has lost its freq.
            grid = (pd.period_range if isinstance(last, pd.Period) else pd.date_range)(
                last, periods=self.seq_length, freq=self._freq
            )
            same_kind = isinstance(index, pd.PeriodIndex if isinstance(last, pd.Period) else pd.DatetimeIndex)
            if not same_kind or index[0] not in grid:
                return None
            return int(grid.get_loc(index[0]))
        if not pd.api.types.is_integer_dtype(index.dtype):
            return None
        steps = int(index[0]) - int(last)
        return steps if 0 < steps < self.seq_length else None

    def _validate(self, X, reset):
        check_numeric_columns(X, self)
        return validate_data(
            self,
            X,
            reset=reset,
            dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan",
        )


def _time_labels(X):
    """The last time label of ``X`` and its frequency, or ``(None, None)`` without time labels."""
    # Only pandas labels: a list's ``index`` is a method.
    index = getattr(X, "index", None)
    if not isinstance(index, pd.Index) or not len(index):
        return None, None
    if isinstance(index, pd.PeriodIndex):
        return index[-1], index.freq
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        return (index[-1], freq) if freq is not None else (None, None)
    if pd.api.types.is_integer_dtype(index.dtype) and not isinstance(index, pd.RangeIndex | pd.MultiIndex):
        return index[-1], 1
    if isinstance(index, pd.RangeIndex) and index.step == 1:
        return index[-1], 1
    return None, None


def _input_feature_names(transformer, input_features):
    """The input column names: given, seen in ``fit``, or ``x0, x1, ...``.

    Given names must match ``feature_names_in_`` when ``fit`` saw names, and
    their number must match ``n_features_in_``.
    """
    seen = getattr(transformer, "feature_names_in_", None)
    if input_features is None:
        if seen is not None:
            return np.asarray(seen, dtype=object)
        return np.asarray([f"x{i}" for i in range(transformer.n_features_in_)], dtype=object)
    names = np.asarray(input_features, dtype=object)
    if seen is not None and not np.array_equal(names, seen):
        raise ValueError(
            f"input_features {list(names)} are not the column names seen in fit, "
            f"{list(seen)}; omit input_features to use those."
        )
    if len(names) != transformer.n_features_in_:
        raise ValueError(
            f"input_features has {len(names)} names but {type(transformer).__name__} was "
            f"fitted on {transformer.n_features_in_} columns."
        )
    return names
