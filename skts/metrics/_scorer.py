"""Scorers for ``scoring=``: negated errors, so that greater is better."""

from numbers import Integral

import numpy as np
from sklearn.metrics import make_scorer, mean_absolute_error
from sklearn.pipeline import Pipeline

from skts._compat import Interval, validate_params
from skts.metrics._regression import (
    mean_absolute_percentage_error,
    mean_absolute_scaled_error,
    symmetric_mean_absolute_percentage_error,
)

mae_scorer = make_scorer(mean_absolute_error, greater_is_better=False)
mape_scorer = make_scorer(mean_absolute_percentage_error, greater_is_better=False)
smape_scorer = make_scorer(symmetric_mean_absolute_percentage_error, greater_is_better=False)


@validate_params(
    {"season_length": [Interval(Integral, 1, None, closed="left")]}, prefer_skip_nested_validation=True
)
def make_mase_scorer(season_length=1):
    """A scorer of the negated MASE, scaled by the fitted forecaster's own history.

    MASE divides by the seasonal naive error on the *training* series,
    which a ``(y_true, y_pred)`` metric never sees. This scorer reads it
    from the fitted forecaster: its ``y_`` attribute (for a
    :class:`~sklearn.pipeline.Pipeline`, the final step's ``y_``). In
    cross-validation that is the training fold, so each fold is scaled by
    its own history.

    Parameters
    ----------
    season_length : int, default=1
        Lag of the naive forecast in the scale (7 for daily data with a
        weekly season).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, sample_weight=None)`` returns
        ``-mean_absolute_scaled_error(y, estimator.predict(X), y_train=...)``
        (greater is better, as for every scikit-learn scorer).

    See Also
    --------
    mean_absolute_scaled_error : The metric.

    Notes
    -----
    The scale uses the history the forecaster holds when it is scored,
    leading NaN rows (from differencing) excluded; rows added by
    ``update`` count. Estimators without ``y_`` are an error; in
    particular a :class:`~sklearn.compose.TransformedTargetRegressor` only
    stores the *transformed* history in its regressor, which is not the
    scale of its forecasts.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from skts.forecasting import NaiveSeasonal
    >>> from skts.metrics import make_mase_scorer
    >>> y = np.sin(np.arange(60.0)) + np.arange(60.0) / 10
    >>> X = np.empty((60, 0))
    >>> scores = cross_val_score(NaiveSeasonal(), X, y, cv=TimeSeriesSplit(3),
    ...                          scoring=make_mase_scorer())
    >>> scores.shape
    (3,)
    """
    return _MASEScorer(season_length)


class _MASEScorer:
    """Negated MASE scaled by the fitted forecaster's history; see make_mase_scorer."""

    def __init__(self, season_length):
        self.season_length = season_length

    def __call__(self, estimator, X, y_true, sample_weight=None):
        history = _training_history(estimator)
        y_pred = estimator.predict(X)
        return -mean_absolute_scaled_error(
            y_true, y_pred, y_train=history, season_length=self.season_length, sample_weight=sample_weight
        )

    def __repr__(self):
        return f"make_mase_scorer(season_length={self.season_length})"


def _training_history(estimator):
    """The observed target history of a fitted forecaster (or Pipeline ending in one)."""
    forecaster = estimator
    while isinstance(forecaster, Pipeline):
        forecaster = forecaster[-1]
    history = getattr(forecaster, "y_", None)
    if history is None:
        raise ValueError(
            f"The MASE scorer scales errors by the training history, which it reads from "
            f"the fitted forecaster's y_ attribute; {type(forecaster).__name__} has none. "
            "Score a fitted skts forecaster (or a Pipeline ending in one), or compute "
            "mean_absolute_scaled_error(y_true, y_pred, y_train=...) yourself."
        )
    history = np.asarray(history, dtype=np.float64)
    if history.ndim == 1:
        history = history.reshape(-1, 1)
    observed = np.isfinite(history).all(axis=1)
    return history[int(np.argmax(observed)) :] if observed.any() else history
