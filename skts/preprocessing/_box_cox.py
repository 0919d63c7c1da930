"""Box-Cox power transform with the power estimated by Guerrero's method or maximum likelihood."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import boxcox
from scipy.stats import boxcox_normmax
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from skts._compat import Interval, StrOptions
from skts._validation import check_numeric_columns
from skts.preprocessing._log import _check_inverse_input


class BoxCoxTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Box-Cox transform ``(x**lambda - 1) / lambda`` (``log x`` at 0), one power per column.

    The power ``lambda`` makes the variation of a positive series roughly
    independent of its level: 1 leaves the shape alone, 0.5 is a square
    root, 0 the log, -1 the inverse. It is given, or estimated in ``fit``:

    - ``method="guerrero"`` (Guerrero 1993, as R's
      ``forecast::BoxCox.lambda`` and FPP3): the series is cut into
      consecutive subseries of ``max(2, season_length)`` rows, and
      ``lambda`` minimises the coefficient of variation of
      ``sd_i / mean_i ** (1 - lambda)`` over the subseries, within ``bounds``;
    - ``method="mle"``: the maximum of the Box-Cox normal log-likelihood, as
      ``scipy.stats.boxcox`` (then clipped to ``bounds``).

    Every row is transformed on its own, so the transformer can wrap any
    forecaster in :class:`~skts.compose.TransformedTargetForecaster`.

    Parameters
    ----------
    lmbda : float or None, default=None
        The power (spelled as in SciPy). None estimates it in ``fit``.
    method : {"guerrero", "mle"}, default="guerrero"
        How ``lambda`` is estimated when ``lmbda`` is None.
    season_length : int, default=1
        Steps in one season; Guerrero's subseries have ``max(2,
        season_length)`` rows (12 for monthly data, as R uses the series'
        frequency). Ignored by ``"mle"``.
    bounds : tuple of float, default=(-1.0, 2.0)
        ``(lower, upper)`` limits of the estimated ``lambda`` (R's defaults).

    Attributes
    ----------
    lambdas_ : ndarray of shape (n_features_in_,)
        The power used for each column.
    n_features_in_ : int
        Number of columns (series) seen in ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame with string columns.

    See Also
    --------
    LogTransformer : The ``lambda = 0`` case, with an offset for zeros.
    TransformedTargetForecaster : Forecasts on the transformed scale,
        returned in the units of ``y``.
    sklearn.preprocessing.PowerTransformer : Box-Cox followed by
        standardisation, with the power by maximum likelihood only.

    Notes
    -----
    The data must be positive (NaN and inf are rejected), as for SciPy;
    zero is accepted in the columns whose lambda is positive, where it maps
    to ``-1 / lambda``, but not by the estimation. R's ``BoxCox.lambda`` returns 1 without a word when the series has
    fewer than ``2 * season_length + 1`` rows, where this raises an error.

    ``inverse_transform`` follows R's ``InvBoxCox``: with ``lambda > 0``,
    ``lambda * z + 1 < 0`` maps to ``-|lambda * z + 1| ** (1 / lambda)``
    (monotone, so forecast quantiles stay ordered); with ``lambda < 0``
    the values ``z >= -1 / lambda`` have no preimage and become NaN with a
    warning.

    References
    ----------
    Guerrero, V. M. (1993). Time-series analysis supported by power
    transformations. Journal of Forecasting, 12, 37-48.

    Box, G. E. P. and Cox, D. R. (1964). An analysis of transformations.
    JRSS B, 26, 211-246.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from skts.preprocessing import BoxCoxTransformer
    >>> x = np.random.default_rng(0).lognormal(size=(50, 1))
    >>> boxcox = BoxCoxTransformer(method="mle").fit(x)
    >>> bool(np.isclose(boxcox.lambdas_[0], stats.boxcox(x[:, 0])[1]))
    True
    >>> bool(np.allclose(boxcox.inverse_transform(boxcox.transform(x)), x))
    True
    """

    _parameter_constraints = {
        "lmbda": [Interval(Real, None, None, closed="neither"), None],
        "method": [StrOptions({"guerrero", "mle"})],
        "season_length": [Interval(Integral, 1, None, closed="left")],
        "bounds": [tuple],
    }

    def __init__(self, *, lmbda=None, method="guerrero", season_length=1, bounds=(-1.0, 2.0)):
        self.lmbda = lmbda
        self.method = method
        self.season_length = season_length
        self.bounds = bounds

    def fit(self, X, y=None):
        """Estimate ``lambda`` for each column (or take ``lmbda``).

        Parameters
        ----------
        X : array-like of shape (n_steps, n_series)
            Positive series in time order; Guerrero's method needs at least
            ``2 * max(2, season_length) + 1`` rows.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        self._validate_params()
        lower, upper = self._check_bounds()
        X = self._validate(X, reset=True)
        # Estimating lambda needs positive data; a given lambda > 0 maps 0 to -1/lambda.
        self._check_domain(X, np.nan if self.lmbda is None else self.lmbda)
        if self.lmbda is not None:
            self.lambdas_ = np.full(X.shape[1], float(self.lmbda))
        elif self.method == "mle":
            # SciPy's own estimate, so that lambda equals stats.boxcox's; the
            # profile log-likelihood is unimodal, so clipping is the bounded optimum.
            self.lambdas_ = np.array([np.clip(boxcox_normmax(col, method="mle"), lower, upper) for col in X.T])
        else:
            period = max(2, self.season_length)
            if len(X) <= 2 * period:
                raise ValueError(
                    f"Guerrero's method compares subseries of {period} rows and needs more "
                    f"than two of them: at least {2 * period + 1} rows, got {len(X)}. Pass a "
                    "longer series, a smaller season_length, method='mle' or a fixed lmbda."
                )
            self.lambdas_ = np.array([_guerrero_lambda(col, period, lower, upper) for col in X.T])
        return self

    def transform(self, X):
        """Box-Cox transform of each column with its ``lambda``.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_features_in_)
            Positive values.

        Returns
        -------
        Z : ndarray of shape (n_steps, n_features_in_)
            Transformed values, float64.
        """
        check_is_fitted(self, "lambdas_")
        X = self._check_domain(self._validate(X, reset=False), self.lambdas_)
        return boxcox(X, self.lambdas_)

    def inverse_transform(self, X):
        """Values in the units of the fitted data from Box-Cox transformed ones.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features_in_)
            Values on the transformed scale (for example forecasts).

        Returns
        -------
        X_original : ndarray of shape (n_rows, n_features_in_)
        """
        check_is_fitted(self, "lambdas_")
        Z = _check_inverse_input(X, self)
        lambdas = np.broadcast_to(self.lambdas_, Z.shape)
        power = lambdas != 0
        out = np.empty_like(Z)
        out[~power] = np.exp(Z[~power])
        base = lambdas[power] * Z[power] + 1
        beyond_pole = (lambdas[power] < 0) & (base <= 0)
        if beyond_pole.any():
            warnings.warn(
                f"{int(beyond_pole.sum())} value(s) lie at or beyond -1/lambda, where the "
                "inverse Box-Cox transform with lambda < 0 is undefined; they are NaN. "
                "The forecasts left the range of the transformed data: try a lambda >= 0 "
                "(bounds=(0, 2)) or a log transform.",
                RuntimeWarning,
                stacklevel=2,
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.sign(base) * np.abs(base) ** (1 / lambdas[power])
        values[beyond_pole] = np.nan
        out[power] = values
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags

    def _validate(self, X, reset):
        X = check_numeric_columns(X, self)
        return validate_data(self, X, reset=reset, dtype=np.float64)

    def _check_bounds(self):
        bounds = self.bounds
        if (
            len(bounds) != 2
            or not all(isinstance(b, Real) and np.isfinite(b) for b in bounds)
            or not bounds[0] < bounds[1]
        ):
            raise ValueError(
                f"bounds must be (lower, upper) with finite lower < upper, got {bounds!r}; "
                "R's default is (-1.0, 2.0)."
            )
        return float(bounds[0]), float(bounds[1])

    def _check_domain(self, X, lambdas):
        """Positive values; zero too in the columns whose lambda is positive."""
        bad = (X < 0) | ((X == 0) & ~(np.asarray(lambdas) > 0))
        if bad.any():
            row, col = np.argwhere(bad)[0]
            value = float(X[row, col])
            raise ValueError(
                f"{'Negative values in data: ' if value < 0 else ''}BoxCoxTransformer needs "
                f"positive values (zero only with a given lmbda > 0), but row {row} of "
                f"column {col} is {value!r}. Shift the series first, or use "
                "LogTransformer(offset=1.0) (transformer='log1p') for counts with zeros."
            )
        return X


def _guerrero_lambda(x, period, lower, upper):
    """Guerrero's lambda for one positive series, as R's ``forecast:::guerrero``.

    The last ``period * (len(x) // period)`` values are cut into consecutive
    subseries; lambda minimises the coefficient of variation (sample
    standard deviations) of ``sd / mean ** (1 - lambda)`` over them, by
    Brent's bounded search like R's ``optimize``.
    """
    n_sub = len(x) // period
    blocks = x[len(x) - n_sub * period :].reshape(n_sub, period)
    means = blocks.mean(axis=1)
    sds = blocks.std(axis=1, ddof=1)
    if not sds.any():
        # Constant within every subseries: nothing to stabilise, keep the scale.
        return 1.0

    def coefficient_of_variation(lam):
        ratios = sds / means ** (1 - lam)
        return ratios.std(ddof=1) / ratios.mean()

    result = minimize_scalar(
        coefficient_of_variation, bounds=(lower, upper), method="bounded", options={"xatol": 1e-10}
    )
    return float(result.x)
