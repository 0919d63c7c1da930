"""Lag differencing whose inverse turns forecasts back into levels."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from skts._compat import Interval, validate_parameters
from skts._validation import check_numeric_columns


class Differencer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Lag-``lag`` differencing applied ``order`` times, inverted from the end of the history.

    ``transform`` applies ``z[t] = x[t] - x[t - lag]`` ``order`` times to each
    column and keeps the length: the first ``lag * order`` rows, which have
    no complete difference, are NaN. ``inverse_transform`` reads its input
    as *forecasts of the differences for the rows that immediately follow
    the history seen in* ``fit`` and integrates them back into levels,
    starting from the last ``lag`` values of the history at every
    differencing order. ``Differencer(lag=7)`` is the textbook's
    ``diff(7)``; ``Differencer(lag=1, order=d)`` is the I of ARIMA(p, d, q).

    Parameters
    ----------
    lag : int, default=1
        Steps between the values subtracted, at least 1 (the season length
        for seasonal differencing, e.g. 7 on daily data).
    order : int, default=1
        Number of times the differencing is applied, at least 0. Order 0 is
        the identity, so a grid can ask whether to difference at all.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns (series) seen in ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features_in_,)
        Column names, when the history was a DataFrame with string columns.
    tails_ : ndarray of shape (order, lag, n_features_in_)
        ``tails_[j]``: the last ``lag`` rows of the history differenced
        ``j`` times, in the units of the input; the starting values of
        ``inverse_transform``.

    See Also
    --------
    sklearn.compose.TransformedTargetRegressor : Fits a regressor on the
        transformed target and inverts its predictions.
    NaiveSeasonal : A forecaster to run on the differences.

    Notes
    -----
    Used as a target transformer, ``TransformedTargetRegressor(regressor=
    forecaster, transformer=Differencer(...), check_inverse=False)`` fits the
    forecaster on the differences (skts forecasters skip the leading NaN
    rows) and returns level forecasts. ``check_inverse`` **must be False**:
    scikit-learn checks the inverse by transforming a subsample of the
    *training* targets and inverting them in sample, but this inverse
    treats its input as the rows *after* the training history, so that
    round trip cannot reproduce the targets. Its leading NaN differences
    make ``inverse_transform`` stop the fit with an error saying so.
    A plain scikit-learn regressor (``LinearRegression``) in its place
    rejects those NaN rows ("Input y contains NaN"): to forecast with a
    regressor on differences, use
    ``TransformedTargetForecaster(ReductionForecaster(regressor, ...),
    transformer=Differencer(...))``.

    The inversion assumes the forecast rows start right after the fitted
    history, as with ``TimeSeriesSplit(gap=0)`` and positional ``predict``;
    with a gap, the levels of the skipped rows are unknown, so an skts
    forecaster fitted on the differences refuses rows after a gap (its
    history starts with the differencing's NaN rows) rather than return
    wrong levels. :class:`skts.compose.TransformedTargetForecaster` with
    this transformer handles gaps, ``update`` and no-refit backtests.

    NaN and inf are rejected: difference the series after imputing it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.compose import TransformedTargetRegressor
    >>> from skts.forecasting import NaiveSeasonal
    >>> from skts.preprocessing import Differencer
    >>> y = np.array([1.0, 2.0, 4.0, 7.0, 11.0])
    >>> Differencer(lag=1).fit_transform(y.reshape(-1, 1)).ravel()
    array([nan,  1.,  2.,  3.,  4.])
    >>> Differencer(lag=1, order=2).fit(y.reshape(-1, 1)).inverse_transform([[1.0], [1.0]]).ravel()
    array([16., 22.])

    Forecasting the differences with the naive "last value" gives a linear
    trend in levels, 11 + 4, 11 + 8, ...:

    >>> model = TransformedTargetRegressor(
    ...     regressor=NaiveSeasonal(), transformer=Differencer(lag=1), check_inverse=False
    ... )
    >>> model.fit(np.empty((5, 0)), y).predict(np.empty((3, 0)))
    array([15., 19., 23.])

    The same model in a rolling-origin grid search over the season length:

    >>> from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
    >>> y = np.tile([5.0, 1.0, 3.0], 10) + np.arange(30.0)
    >>> search = GridSearchCV(
    ...     model,
    ...     {"regressor__season_length": [1, 3]},
    ...     cv=TimeSeriesSplit(n_splits=3, test_size=3),
    ...     scoring="neg_mean_absolute_error",
    ... ).fit(np.empty((30, 0)), y)
    >>> search.best_params_, search.best_score_
    ({'regressor__season_length': 3}, np.float64(0.0))
    """

    _parameter_constraints = {
        "lag": [Interval(Integral, 1, None, closed="left")],
        "order": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, *, lag=1, order=1):
        self.lag = lag
        self.order = order

    def fit(self, X, y=None):
        """Store the tails of the history needed to invert forecasts.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_series)
            History of one or more series, in time order; at least
            ``lag * order + 1`` rows so that one difference exists.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        validate_parameters(self)
        X = self._validate(X, reset=True)
        tails = np.empty((self.order, self.lag, X.shape[1]))
        level = X
        for j in range(self.order):
            tails[j] = level[-self.lag :]
            level = level[self.lag :] - level[: -self.lag]
        self.tails_ = tails
        return self

    def transform(self, X):
        """Same-length differences of each column, leading ``lag * order`` rows NaN.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_features_in_)
            Series in time order (the history, or any block of rows).

        Returns
        -------
        X_diff : ndarray of shape (n_steps, n_features_in_)
            Differences in the units of ``X``, float64.
        """
        check_is_fitted(self, "tails_")
        X = self._validate(X, reset=False)
        diffs = np.array(X, dtype=np.float64)
        for _ in range(self.order):
            diffs[self.lag :] = diffs[self.lag :] - diffs[: -self.lag]
            diffs[: self.lag] = np.nan
        return diffs

    def inverse_transform(self, X):
        """Levels from forecasts of the differences of the rows after the history.

        Parameters
        ----------
        X : array-like of shape (horizon, n_features_in_)
            Forecast differences (of order ``order``) for the ``horizon``
            rows that immediately follow the history seen in ``fit``.

        Returns
        -------
        X_levels : ndarray of shape (horizon, n_features_in_)
            Forecasts in levels, in the units of the fitted history.
        """
        check_is_fitted(self, "tails_")
        # Forecasts carry no column names, so only the width is checked.
        diffs = check_array(X, dtype=np.float64, ensure_min_samples=0, ensure_all_finite=False, input_name="X")
        if not np.isfinite(diffs).all():
            raise ValueError(
                "Differencer.inverse_transform got NaN or inf: it turns finite forecasts "
                "of the differences after the fitted history into levels. If this "
                "comes from TransformedTargetRegressor, whose check_inverse round trip "
                "feeds it in-sample differences with their leading NaN, pass "
                "check_inverse=False."
            )
        if diffs.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {diffs.shape[1]} column(s) but Differencer was fitted on "
                f"{self.n_features_in_} series: pass one forecast column per series, "
                f"shape (horizon, {self.n_features_in_})."
            )
        levels = diffs
        for tail in self.tails_[::-1]:
            levels = _integrate(levels, tail)
        return levels

    def _validate(self, X, reset):
        check_numeric_columns(X, self)
        return validate_data(
            self,
            X,
            reset=reset,
            dtype=np.float64,
            ensure_min_samples=self.lag * self.order + 1 if reset else 1,
        )


def _integrate(diffs, tail):
    """Invert one lag difference: ``x[n + i] = diffs[i] + x[n + i - lag]``.

    Row ``i`` adds up every ``lag``-th forecast of its phase, so the recursion
    is one cumulative sum over the seasons of the padded forecasts.
    """
    horizon, n_series = diffs.shape
    lag = len(tail)
    n_seasons = -(-horizon // lag)
    padded = np.zeros((n_seasons * lag, n_series))
    padded[:horizon] = diffs
    seasons = np.cumsum(padded.reshape(n_seasons, lag, n_series), axis=0) + tail
    return seasons.reshape(-1, n_series)[:horizon]
