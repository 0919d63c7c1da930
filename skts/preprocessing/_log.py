"""Log transform of a positive target, inverted by the exponential."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from skts._compat import Interval
from skts._validation import check_numeric_columns


class LogTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Natural logarithm ``log(x + offset)`` of each column, inverted by ``exp(z) - offset``.

    The log turns a multiplicative seasonality or a variance that grows with
    the level into additive, constant-variance variation, the textbook's
    ``np.log`` before ARIMA. Every row is transformed on its own, so the
    transformer can wrap any forecaster in
    :class:`~skts.compose.TransformedTargetForecaster`.

    Parameters
    ----------
    offset : float, default=0.0
        Added before the logarithm. 0 is the plain log and needs positive
        values; 1 is ``log1p``, for counts with zeros.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns (series) seen in ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame with string columns.

    See Also
    --------
    BoxCoxTransformer : The power transforms, the log included, with the
        power estimated from the data.
    TransformedTargetForecaster : Forecasts on the log scale, returned in
        the units of ``y``.

    Notes
    -----
    The exponential of a forecast of the log is a forecast of the *median*
    of the original series when the log-scale forecast errors are
    symmetric; ``TransformedTargetForecaster(bias_adjust=True)`` returns the
    mean instead.

    NaN and inf are rejected, and so is any ``x + offset <= 0``, with the
    row named.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.preprocessing import LogTransformer
    >>> x = np.array([[1.0], [np.e], [np.e ** 2]])
    >>> LogTransformer().fit_transform(x).ravel()
    array([0., 1., 2.])
    >>> LogTransformer(offset=1.0).fit(x).inverse_transform([[0.0], [np.log(3.0)]]).ravel()
    array([0., 2.])
    """

    _parameter_constraints = {"offset": [Interval(Real, None, None, closed="neither")]}

    def __init__(self, *, offset=0.0):
        self.offset = offset

    def fit(self, X, y=None):
        """Check that the values are in the domain of the log.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_series)
            Values with ``X + offset > 0``.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        self._validate_params()
        self._check_domain(self._validate(X, reset=True))
        return self

    def transform(self, X):
        """``log(X + offset)``.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_features_in_)
            Values with ``X + offset > 0``.

        Returns
        -------
        Z : ndarray of shape (n_steps, n_features_in_)
            Logs, float64.
        """
        check_is_fitted(self, "n_features_in_")
        X = self._check_domain(self._validate(X, reset=False))
        return np.log(X + self.offset)

    def inverse_transform(self, X):
        """``exp(X) - offset``: values in the units of the fitted data.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features_in_)
            Values on the log scale (for example forecasts).

        Returns
        -------
        X_original : ndarray of shape (n_rows, n_features_in_)
        """
        check_is_fitted(self, "n_features_in_")
        Z = _check_inverse_input(X, self)
        return np.exp(Z) - self.offset

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags

    def _validate(self, X, reset):
        X = check_numeric_columns(X, self)
        return validate_data(self, X, reset=reset, dtype=np.float64)

    def _check_domain(self, X):
        shifted = X + self.offset
        if (shifted <= 0).any():
            row, col = np.argwhere(shifted <= 0)[0]
            value = float(X[row, col])
            fix = (
                "LogTransformer(offset=1.0) (transformer='log1p') takes counts with zeros"
                if self.offset == 0 and value == 0
                else "Raise offset above -min(X)"
            )
            raise ValueError(
                f"{'Negative values in data: ' if value < 0 else ''}LogTransformer needs "
                f"X + offset > 0, but row {row} of column {col} is {value!r} with "
                f"offset={self.offset!r}: the log is undefined there. {fix}, or shift the "
                "series before transforming it."
            )
        return X


def _check_inverse_input(X, transformer):
    """Forecasts to invert: a float array of the fitted width (no column names)."""
    Z = check_array(X, dtype=np.float64, ensure_min_samples=0, ensure_all_finite=False, input_name="X")
    if Z.shape[1] != transformer.n_features_in_:
        raise ValueError(
            f"X has {Z.shape[1]} column(s) but {type(transformer).__name__} was fitted on "
            f"{transformer.n_features_in_}: pass one column per series."
        )
    return Z
