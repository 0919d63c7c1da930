"""Seasonal naive forecaster: repeat the last observed season."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval

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
    y_ : ndarray of shape (n_steps, n_targets)
        Target history, extended by ``update``; the last season is its tail.
    index_, freq_, target_names_, X_ :
        See :class:`~skts.forecasting.BaseForecaster`.

    See Also
    --------
    SARIMAEstimator : Seasonal ARIMA, whose ``(0, 0, 0)(0, 1, 0, s)`` model is
        this forecaster.

    Examples
    --------
    >>> import numpy as np
    >>> from skts import NaiveSeasonal
    >>> y = np.array([1.0, 2.0, 3.0, 10.0, 20.0, 30.0])
    >>> X = np.empty((6, 0))
    >>> NaiveSeasonal(season_length=3).fit(X, y).predict(np.empty((4, 0)))
    array([10., 20., 30., 10.])
    """

    _parameter_constraints = {"season_length": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, season_length=1):
        self.season_length = season_length

    def _fit(self, y, X):
        if len(y) < self.season_length:
            raise ValueError(
                f"NaiveSeasonal(season_length={self.season_length}) needs at least one "
                f"full season of observed y; got {len(y)} sample(s)."
            )

    def _predict(self, horizon, X):
        last_season = self.y_[-self.season_length :]
        return last_season[np.arange(horizon) % self.season_length]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
