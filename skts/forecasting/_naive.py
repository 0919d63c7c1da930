"""Seasonal naive forecaster: repeat the last observed season."""

from numbers import Integral

import numpy as np

from skts._compat import Interval
from skts.forecasting._base import BaseForecaster


class NaiveSeasonal(BaseForecaster):
    """Forecast by repeating the last observed season.

    The forecast ``h`` steps after the end of the history is the value
    observed ``season_length`` steps earlier in the same phase of the
    season: ``y[n + h] = y[n + h - season_length * ceil(h / season_length)]``.
    With ``season_length=1`` it is the naive "last value" forecast; with
    ``season_length=7`` on daily data, the textbook's "same day last week".

    Parameters
    ----------
    season_length : int, default=1
        Number of time steps in one season, at least 1.

    Attributes
    ----------
    n_features_in_ : int
        Number of covariate columns of ``X`` (ignored by the forecast).
    sigma_ : ndarray of shape (n_targets,)
        Standard deviation of the one-season-ahead forecast, from the
        seasonal differences of the fitted history (``update`` keeps it).
    n_observed_ : int
        Observed rows the history had in ``fit``.
    y_ : ndarray of shape (n_steps, n_targets)
        Target history, extended by ``update``; the last season is its tail.
    index_, freq_, target_names_, X_ :
        See :class:`~skts.forecasting.BaseForecaster`.

    See Also
    --------
    SARIMAEstimator : Seasonal ARIMA, whose ``(0, 0, 0)(0, 1, 0, s)`` model is
        this forecaster.
    ConformalForecaster : Distribution-free intervals from out-of-sample errors.

    Notes
    -----
    Rows are time steps: pandas rows (``DatetimeIndex``, ``PeriodIndex`` or
    integer labels) are aligned by label, NumPy rows follow the history
    immediately, so ``TimeSeriesSplit(gap>0)`` needs pandas input.

    ``predict_interval`` and ``predict_quantiles`` use the textbook seasonal
    naive forecast distribution (Hyndman & Athanasopoulos, *Forecasting:
    Principles and Practice*, 3rd ed., section 5.5): normal, centred on the
    forecast, with standard deviation ``sigma_ * sqrt(k + 1)`` at step ``h``,
    ``k = floor((h - 1) / season_length)``, where ``sigma_`` is the root mean
    square of the in-sample seasonal differences.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.forecasting import NaiveSeasonal
    >>> y = np.array([1.0, 2.0, 3.0, 10.0, 20.0, 30.0])
    >>> X = np.empty((6, 0))
    >>> NaiveSeasonal(season_length=3).fit(X, y).predict(np.empty((4, 0)))
    array([10., 20., 30., 10.])
    >>> model = NaiveSeasonal(season_length=3).fit(X, y)
    >>> model.predict_interval(np.empty((4, 0)), coverage=0.9).round(2)  # doctest: +NORMALIZE_WHITESPACE
    bound  lower  upper
    step
    1     -21.98  41.98
    2     -11.98  51.98
    3      -1.98  61.98
    4     -35.23  55.23
    """

    _parameter_constraints = {"season_length": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, *, season_length=1):
        self.season_length = season_length

    def _fit(self, y, X):
        if len(y) < self.season_length:
            raise ValueError(
                f"NaiveSeasonal(season_length={self.season_length}) needs at least one "
                f"full season of observed y; got {len(y)} sample(s)."
            )
        # FPP3 section 5.5: the in-sample residuals are the seasonal
        # differences; sigma^2 = sum(e^2) / (T - K - M) with K = 0 parameters
        # and M = season_length missing residuals. NaN with no residual.
        residuals = y[self.season_length :] - y[: -self.season_length]
        with np.errstate(invalid="ignore", divide="ignore"):
            self.sigma_ = np.sqrt((residuals**2).sum(axis=0) / len(residuals))
        self.n_observed_ = len(y)

    def _predict_quantiles(self, horizon, X, quantiles):
        from scipy.stats import norm

        if len(self.sigma_) and not np.isfinite(self.sigma_).all():
            raise ValueError(
                f"NaiveSeasonal(season_length={self.season_length}) estimates its interval "
                "width from the in-sample seasonal differences, which needs at least "
                f"season_length + 1 = {self.season_length + 1} observed rows; it was fitted "
                f"on {self.n_observed_}. Fit on a longer history."
            )
        point = self._predict(horizon, X)
        # sigma_h = sigma * sqrt(k + 1), k = floor((h - 1) / season_length):
        # the number of whole seasons between the last observed season and step h.
        k = np.arange(horizon) // self.season_length
        scale = self.sigma_[None, :] * np.sqrt(k + 1.0)[:, None]
        return point, point[:, :, None] + scale[:, :, None] * norm.ppf(quantiles)

    def _predict(self, horizon, X):
        last_season = self.y_[-self.season_length :]
        return last_season[np.arange(horizon) % self.season_length]

    def _rolling_forecasts(self, y, X, origins, horizon):
        # Step h from origin j repeats the row season_length * ceil(h /
        # season_length) steps before it, in the history followed by the new rows.
        series = np.concatenate([self.y_[-self.season_length :], y])
        steps = np.arange(horizon)
        back = self.season_length * (steps // self.season_length + 1)
        rows = self.season_length + np.asarray(origins)[:, None] + steps[None, :] - back[None, :]
        return series[rows]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
