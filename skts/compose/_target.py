"""A forecaster on a transformed target (log, Box-Cox, differences), forecasting in the original units."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.stats import norm
from sklearn.base import clone
from sklearn.preprocessing import FunctionTransformer

from skts._compat import HasMethods, StrOptions
from skts._walker import forecasts_at
from skts.forecasting._base import BaseForecaster, inner_target, wrapped_multi_output
from skts.preprocessing._box_cox import BoxCoxTransformer
from skts.preprocessing._differencer import Differencer
from skts.preprocessing._log import LogTransformer

_BUILT_INS = {
    "log": lambda: LogTransformer(),
    "log1p": lambda: LogTransformer(offset=1.0),
    "box-cox": lambda: BoxCoxTransformer(),
}
# One standard deviation either side of the median of a normal distribution.
_SIGMA_LEVELS = np.array([norm.cdf(-1.0), norm.cdf(1.0)])


class TransformedTargetForecaster(BaseForecaster):
    """Forecast a transformed target, return forecasts in the units of ``y``.

    ``fit`` fits ``transformer`` on the target history and ``forecaster`` on
    the transformed history; forecasts are transformed back. Unlike
    scikit-learn's ``TransformedTargetRegressor``, the result is a skts
    forecaster: ``predict`` aligns pandas rows by label (gaps after the
    history included), and ``update``, ``predict_rolling`` (hence
    ``backtest(refit=False)``), ``forecast`` and, for monotone transforms,
    ``predict_interval``/``predict_quantiles`` all work in the original units.

    Two kinds of transformer are handled:

    - **Row by row** (log, Box-Cox, scalers, any transformer that maps each
      row on its own): new observations are transformed with the fitted
      transformer, forecasts and forecast quantiles are inverse-transformed.
    - :class:`~skts.preprocessing.Differencer`: the forecaster models the differences;
      forecasts are integrated from the last observed levels before each
      origin (the end of the history after ``update``, each origin's own
      past in ``predict_rolling``), so gaps and rolling origins give the
      right levels.

    Parameters
    ----------
    forecaster : forecaster object
        A skts forecaster (or any object with ``fit(X, y)``/``predict(X)``,
        plus ``update`` and ``predict_rolling`` for those methods), cloned
        in ``fit``. It sees the covariates and the transformed target as
        NumPy arrays.
    transformer : {"log", "log1p", "box-cox"}, transformer object or None, default=None
        ``"log"``: :class:`~skts.preprocessing.LogTransformer`; ``"log1p"``:
        ``LogTransformer(offset=1.0)``, for counts with zeros; ``"box-cox"``:
        :class:`~skts.preprocessing.BoxCoxTransformer` with ``lambda`` by
        Guerrero's method (pass ``BoxCoxTransformer(method=...,
        season_length=...)`` to choose). Any scikit-learn transformer with
        ``inverse_transform`` that maps rows one by one, or a
        :class:`~skts.preprocessing.Differencer`. None forecasts ``y`` unchanged (useful
        in a grid). Cloned in ``fit``.
    bias_adjust : bool, default=False
        With a log or Box-Cox transformer, return the *mean* of the
        back-transformed forecast distribution instead of its median (the
        plain back-transformed forecast), by FPP3's (and R's ``biasadj``)
        second-order correction ``median * (1 + sigma_h**2 * (1 - lambda) /
        (2 * (lambda * w + 1)**2))``. ``sigma_h`` is read from the
        forecaster's own quantiles, so it must have a forecast distribution
        (SARIMA, seasonal naive).

    Attributes
    ----------
    forecaster_ : forecaster object
        The fitted clone of ``forecaster``, on the transformed target;
        ``update`` extends it.
    transformer_ : transformer object
        The fitted transformer. A ``Differencer`` is refitted on the end of
        the history at each ``update``, so that its ``inverse_transform``
        starts from the last observations.
    n_features_in_, feature_names_in_, y_, X_, index_, freq_, target_names_ :
        See :class:`~skts.forecasting.BaseForecaster`; ``y_`` is the history
        in the original units.

    See Also
    --------
    sklearn.compose.TransformedTargetRegressor : The regressor version, with
        no ``update``, rolling forecasts or intervals, and differences
        integrated as if forecasts always followed the history.
    skts.preprocessing.BoxCoxTransformer : Box-Cox with Guerrero or ML lambda.
    skts.preprocessing.Differencer : Lag differences inverted from the end of the history.

    Notes
    -----
    Chaining transforms (log, then seasonal differences) is nesting:
    ``TransformedTargetForecaster(TransformedTargetForecaster(model,
    transformer=Differencer(lag=7)), transformer="log")``. A ``Pipeline`` that contains a
    ``Differencer`` is refused, since its inverse would not know where each
    forecast starts.

    Intervals and quantiles are those of ``forecaster`` mapped through the
    inverse transform, which is exact for the increasing transforms (log,
    Box-Cox, scalers): a quantile of ``w`` maps to the same quantile of
    ``f^-1(w)``. Differencing is not such a map (a sum of quantiles is not a
    quantile of the sum), so it raises; use
    ``ConformalForecaster(TransformedTargetForecaster(...))`` or a SARIMA
    with ``d``/``D``, which models the differences itself.

    Examples
    --------
    A season that grows with the level is additive on the log scale, where a
    linear model on the last three values extrapolates it exactly:

    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from skts.forecasting import NaiveSeasonal, ReductionForecaster
    >>> from skts.preprocessing import Differencer
    >>> from skts.compose import TransformedTargetForecaster
    >>> y = 100.0 * np.tile([1.0, 2.0, 4.0], 4) * 1.1 ** np.arange(12)
    >>> linear = ReductionForecaster(LinearRegression(), seq_length=3)
    >>> model = TransformedTargetForecaster(linear, transformer="log").fit(None, y)
    >>> model.forecast(3).round(1)
    step
    1     313.8
    2     690.5
    3    1519.0
    dtype: float64

    Differences, integrated from the end of the history even after a gap
    (pandas rows are aligned by label). The last difference of ``0, 1, 4,
    ..., 81`` is 17, so rows 10 to 13 are forecast as 98, 115, 132, 149:

    >>> import pandas as pd
    >>> y = pd.Series(np.arange(10.0) ** 2)
    >>> model = TransformedTargetForecaster(NaiveSeasonal(), transformer=Differencer())
    >>> model.fit(None, y).predict(pd.DataFrame(index=[12, 13]))
    array([132., 149.])
    """

    _parameter_constraints = {
        "forecaster": [HasMethods(["fit", "predict"])],
        "transformer": [
            None,
            StrOptions(set(_BUILT_INS)),
            HasMethods(["fit", "transform", "inverse_transform"]),
        ],
        "bias_adjust": ["boolean"],
    }

    def __init__(self, forecaster, *, transformer=None, bias_adjust=False):
        self.forecaster = forecaster
        self.transformer = transformer
        self.bias_adjust = bias_adjust

    # -- hooks ---------------------------------------------------------------

    def _fit(self, y, X):
        transformer = self._new_transformer()
        z = np.asarray(transformer.fit(y).transform(y), dtype=np.float64)
        _check_transformed(transformer, z, y, "the history", leading_nan=True)
        self.forecaster_ = clone(self.forecaster).fit(X, inner_target(z))
        self.transformer_ = transformer

    def _predict(self, horizon, X):
        if self.bias_adjust:
            points, values = self._inner_quantiles(X, _SIGMA_LEVELS)
            return self._bias_adjusted(points, _sigma(values))
        return self._inverse(self._inner_predict(X))

    def _update(self, y, X):
        # The base class appends y to y_ after this hook: y_ is the old history.
        z = self._transform_new(y)
        if not hasattr(self.forecaster_, "update"):
            raise AttributeError(
                f"{type(self.forecaster_).__name__} has no update(X, y), so "
                "TransformedTargetForecaster cannot condition it on new rows. Refit instead."
            )
        self.forecaster_.update(X, inner_target(z))
        if self._differencing:
            self.transformer_ = clone(self.transformer_).fit(self._levels_with(y))

    def _rolling_forecasts(self, y, X, origins, horizon):
        # Every new row is transformed once; the forecaster's own rolling
        # method does the rest, and each origin is inverted from its own past.
        z = self._transform_new(y)
        if self.bias_adjust:
            points, values = self._inner_rolling(X, z, origins, horizon, _SIGMA_LEVELS)
            return self._bias_adjusted(points, _sigma(values))
        return self._inverse_rolling(self._inner_rolling(X, z, origins, horizon), y, origins)

    def _predict_quantiles(self, horizon, X, quantiles):
        self._check_quantiles_invertible()
        points, values = self._inner_quantiles(X, quantiles)
        if self.bias_adjust:
            point = self._bias_adjusted(points, _sigma(self._inner_quantiles(X, _SIGMA_LEVELS)[1]))
        else:
            point = self._inverse(points)
        return point, self._inverse_quantiles(values)

    def _rolling_quantiles(self, y, X, origins, horizon, quantiles):
        self._check_quantiles_invertible()
        z = self._transform_new(y)
        points, values = self._inner_rolling(X, z, origins, horizon, quantiles)
        if self.bias_adjust:
            sigma = _sigma(self._inner_rolling(X, z, origins, horizon, _SIGMA_LEVELS)[1])
            point = self._bias_adjusted(points, sigma)
        else:
            point = self._inverse(points.reshape(-1, points.shape[-1])).reshape(points.shape)
        return point, self._inverse_quantiles(values)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = wrapped_multi_output(self.forecaster)
        return tags

    # -- transforms ----------------------------------------------------------

    @property
    def _differencing(self):
        return isinstance(self.transformer_, Differencer)

    def _new_transformer(self):
        """An unfitted transformer from the parameter, checked against ``bias_adjust``."""
        if self.transformer is None:
            transformer = FunctionTransformer()
        elif isinstance(self.transformer, str):
            transformer = _BUILT_INS[self.transformer]()
        else:
            transformer = clone(self.transformer)
        if not isinstance(transformer, Differencer) and hasattr(transformer, "get_params"):
            if any(isinstance(value, Differencer) for value in transformer.get_params(deep=True).values()):
                raise ValueError(
                    f"transformer {type(transformer).__name__} contains a Differencer. Its "
                    "inverse would be applied row by row, from the wrong levels; nest the "
                    "forecasters instead: TransformedTargetForecaster("
                    "TransformedTargetForecaster(forecaster, transformer=Differencer(...)), "
                    "transformer=other_transformer)."
                )
        if self.bias_adjust and not isinstance(transformer, LogTransformer | BoxCoxTransformer):
            raise ValueError(
                "bias_adjust=True corrects the back-transformed forecast of a log or Box-Cox "
                f"transform (a median) into a mean; {type(transformer).__name__} is not one. "
                "Use transformer='log', 'log1p', 'box-cox' (or their transformer objects), "
                "or bias_adjust=False."
            )
        return transformer

    def _transform_new(self, y):
        """The transformed values of new rows ``y`` that follow the stored history."""
        if self._differencing:
            context = self._levels_with(y)
            z = self.transformer_.transform(context)[len(context) - len(y) :]
        else:
            z = self.transformer_.transform(y)
        z = np.asarray(z, dtype=np.float64)
        _check_transformed(self.transformer_, z, y, "the new rows", leading_nan=False)
        return z

    def _levels_with(self, y):
        """The last ``lag * order`` levels of the history followed by ``y``."""
        n_lags = self.transformer_.lag * self.transformer_.order
        return np.concatenate([self.y_[len(self.y_) - n_lags :], y])

    def _inverse(self, z):
        """Rows ``(n, n_targets)`` back in the units of ``y``, from the end of the history."""
        return np.asarray(self.transformer_.inverse_transform(z), dtype=np.float64).reshape(z.shape)

    def _inverse_rolling(self, forecasts, y, origins):
        """Forecasts ``(n_origins, horizon, n_targets)`` back in the units of ``y``."""
        if not self._differencing:
            return self._inverse(forecasts.reshape(-1, forecasts.shape[2])).reshape(forecasts.shape)
        # Each origin integrates from its own last levels: the history's end
        # followed by the new rows before it, at every order of differencing.
        lag, order = self.transformer_.lag, self.transformer_.order
        positions = lag * order + np.asarray(origins, dtype=np.intp) - lag
        series, level = [], self._levels_with(y)
        for _ in range(order):
            series.append(level)
            level = np.concatenate([np.full((lag, level.shape[1]), np.nan), level[lag:] - level[:-lag]])
        out = forecasts
        for level in reversed(series):
            tails = sliding_window_view(level, lag, axis=0)[positions]  # (n_origins, n_targets, lag)
            out = _integrate(out, np.moveaxis(tails, 2, 1))
        return out

    def _inverse_quantiles(self, values):
        """Quantiles ``(..., n_targets, n_q)`` mapped back; they must stay ordered."""
        moved = np.moveaxis(values, -1, -2)  # (..., n_q, n_targets)
        back = self._inverse(moved.reshape(-1, moved.shape[-1])).reshape(moved.shape)
        back = np.moveaxis(back, -2, -1)
        if (np.diff(back, axis=-1) < 0).any():
            raise ValueError(
                f"The inverse of {type(self.transformer_).__name__} is not increasing over the "
                "forecast quantiles, so they cannot be mapped back as quantiles. Use an "
                "increasing transform (log, Box-Cox, a scaler) or conformal intervals: "
                "ConformalForecaster(TransformedTargetForecaster(...))."
            )
        return back

    def _check_quantiles_invertible(self):
        if self._differencing:
            raise NotImplementedError(
                "TransformedTargetForecaster cannot turn quantiles of forecast differences "
                "into quantiles of levels: the levels are sums of the differences, and a "
                "sum of quantiles is not a quantile of the sum. Use conformal intervals, "
                "ConformalForecaster(TransformedTargetForecaster(...)), or a model that "
                "differences itself: SARIMAEstimator(d=..., D=..., season_length=...)."
            )

    # -- bias adjustment -------------------------------------------------------

    def _bias_adjusted(self, points, sigma):
        """FPP3's mean of the back-transformed forecast from ``w`` and its sd on the transformed scale."""
        shape = points.shape
        points, sigma = points.reshape(-1, shape[-1]), sigma.reshape(-1, shape[-1])
        transformer = self.transformer_
        if isinstance(transformer, LogTransformer):
            median = np.exp(points)
            return (median * (1 + sigma**2 / 2) - transformer.offset).reshape(shape)
        lambdas = transformer.lambdas_
        median = transformer.inverse_transform(points)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = 1 + sigma**2 * (1 - lambdas) / (2 * (lambdas * points + 1) ** 2)
        return (median * factor).reshape(shape)

    # -- the inner forecaster --------------------------------------------------

    def _n_targets(self):
        return self.y_.shape[1]

    def _inner_predict(self, X):
        return np.asarray(self.forecaster_.predict(X), dtype=np.float64).reshape(len(X), self._n_targets())

    def _inner_quantiles(self, X, quantiles):
        """The forecaster's points ``(h, n_targets)`` and quantiles ``(h, n_targets, n_q)``."""
        inner = self.forecaster_
        if not hasattr(inner, "predict_quantiles"):
            raise NotImplementedError(
                f"{type(inner).__name__} has no predict_quantiles, so "
                "TransformedTargetForecaster has no quantiles to transform back."
            )
        try:
            frame = inner.predict_quantiles(X, quantiles=list(quantiles))
        except NotImplementedError as exc:
            raise NotImplementedError(
                f"TransformedTargetForecaster maps the quantiles of its forecaster back, and "
                f"{type(inner).__name__} has none: {exc}"
            ) from exc
        values = np.asarray(frame, dtype=np.float64).reshape(len(X), self._n_targets(), len(quantiles))
        return self._inner_predict(X), values

    def _inner_rolling(self, X, z, origins, horizon, quantiles=None):
        """The forecaster's rolling forecasts ``(n_origins, horizon, n_targets)`` on new rows.

        With ``quantiles``, returns ``(points, quantiles)``, the latter of shape
        ``(n_origins, horizon, n_targets, n_q)``.
        """
        inner = self.forecaster_
        method = "predict_rolling" if quantiles is None else "predict_rolling_quantiles"
        if not hasattr(inner, method):
            raise AttributeError(
                f"{type(inner).__name__} has no {method}(X, y, horizon=..., stride=...), which "
                "TransformedTargetForecaster needs for rolling forecasts; use a skts forecaster."
            )
        return forecasts_at(inner, X, z, origins, horizon, quantiles=None if quantiles is None else list(quantiles))


def _check_transformed(transformer, z, y, what, leading_nan):
    """Transformed rows must keep the shape of y and be finite (after any leading NaN)."""
    name = type(transformer).__name__
    if z.shape != y.shape:
        raise ValueError(
            f"transformer {name} turned {what} of shape {y.shape} into shape {z.shape}: "
            "a target transformer must map each row of y to one row of the same width."
        )
    finite = np.isfinite(z).all(axis=1)
    # A Differencer's first rows have no difference: NaN there is expected.
    start = int(np.argmax(finite)) if leading_nan and finite.any() else 0
    if not finite[start:].all():
        bad = start + int(np.argmin(finite[start:]))
        raise ValueError(
            f"transformer {name} gave NaN or inf at row {bad} of {what}: y is outside the "
            "domain of the transform there. Check the transform against the values of y."
        )


def _sigma(values):
    """Standard deviations from the quantiles at ``_SIGMA_LEVELS`` (last axis)."""
    return (values[..., 1] - values[..., 0]) / 2


def _integrate(diffs, tails):
    """Invert one lag difference per origin: ``x[n + i] = diffs[i] + x[n + i - lag]``.

    Parameters
    ----------
    diffs : ndarray of shape (n_origins, horizon, n_targets)
    tails : ndarray of shape (n_origins, lag, n_targets)
        The last ``lag`` levels before each origin.
    """
    n_origins, horizon, n_targets = diffs.shape
    lag = tails.shape[1]
    n_seasons = -(-horizon // lag)
    padded = np.zeros((n_origins, n_seasons * lag, n_targets))
    padded[:, :horizon] = diffs
    seasons = np.cumsum(padded.reshape(n_origins, n_seasons, lag, n_targets), axis=1) + tails[:, None]
    return seasons.reshape(n_origins, -1, n_targets)[:, :horizon]
