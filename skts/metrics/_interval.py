"""Scores of prediction intervals and quantile forecasts, and their scorers.

``interval_score`` (Winkler's score, Gneiting & Raftery 2007, section 6.2)
and ``pinball_loss`` are proper scoring rules: lower is better, and they
reward intervals that are both calibrated and narrow. ``interval_coverage``
and ``interval_width`` describe the two sides separately. The scorers
``neg_interval_score`` and ``neg_pinball_loss`` negate them for
``GridSearchCV(scoring=...)``, as scikit-learn's ``neg_*`` scorers do.
"""

from numbers import Real

import numpy as np

from skts._compat import Interval, validate_params
from skts._validation import check_quantiles


def _arrays(*arrays):
    out = [np.asarray(a, dtype=np.float64) for a in arrays]
    shape = out[0].shape
    for a in out[1:]:
        if a.shape != shape:
            raise ValueError(f"Inputs have shapes {[x.shape for x in out]}: give one value per actual for each bound.")
    if not all(np.isfinite(a).all() for a in out):
        raise ValueError("Inputs contain NaN or inf; score finite forecasts and actuals only.")
    if out[0].size == 0:
        raise ValueError("Inputs are empty: there is nothing to score.")
    return out


@validate_params(
    {
        "y_true": ["array-like"],
        "lower": ["array-like"],
        "upper": ["array-like"],
        "coverage": [Interval(Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def interval_score(y_true, lower, upper, *, coverage):
    """Mean interval score (Winkler score) of central prediction intervals.

    For an interval ``[l, u]`` of nominal coverage ``1 - alpha`` and actual
    ``y`` the score is ``(u - l) + (2 / alpha) (l - y) 1{y < l} + (2 /
    alpha) (y - u) 1{y > u}``: its width, plus a penalty for each miss that
    grows with the distance to the interval. It is proper (Gneiting &
    Raftery 2007, eq. 43): in expectation it is smallest for the true
    ``alpha / 2`` and ``1 - alpha / 2`` quantiles.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_targets)
        Actual values.
    lower, upper : array-like of the same shape
        Interval bounds.
    coverage : float
        Nominal coverage ``1 - alpha`` of the intervals, in (0, 1).

    Returns
    -------
    score : float
        Mean over all values, in the units of ``y``; lower is better.

    Examples
    --------
    >>> from skts.metrics import interval_score
    >>> interval_score([1.0, 5.0], [0.0, 0.0], [2.0, 4.0], coverage=0.8)
    8.0
    """
    y, low, up = _arrays(y_true, lower, upper)
    alpha = 1 - coverage
    score = (up - low) + (2 / alpha) * (np.maximum(low - y, 0) + np.maximum(y - up, 0))
    return float(score.mean())


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "quantiles": [Real, "array-like"]},
    prefer_skip_nested_validation=True,
)
def pinball_loss(y_true, y_pred, *, quantiles=0.5):
    """Mean pinball (quantile) loss of quantile forecasts.

    For level ``q``, forecast ``f`` and actual ``y`` the loss is ``q (y -
    f)`` when ``y >= f``, else ``(1 - q)(f - y)``. At ``q = 0.5`` it is half
    the absolute error.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Actual values.
    y_pred : array-like of shape (n_samples,) or (n_samples, n_quantiles)
        Quantile forecasts, one column per level of ``quantiles``.
    quantiles : float or array-like of shape (n_quantiles,), default=0.5
        The levels, in (0, 1).

    Returns
    -------
    loss : float
        Mean over samples and levels; lower is better.

    Examples
    --------
    >>> from skts.metrics import pinball_loss
    >>> pinball_loss([1.0, 3.0], [[0.0, 2.0], [1.0, 4.0]], quantiles=[0.1, 0.9])
    0.125
    """
    levels = np.atleast_1d(np.asarray(quantiles, dtype=np.float64))
    if levels.ndim != 1 or not ((levels > 0) & (levels < 1)).all():
        raise ValueError(f"quantiles must be levels in (0, 1); got {quantiles!r}.")
    y = np.asarray(y_true, dtype=np.float64).reshape(-1, 1)
    pred = np.asarray(y_pred, dtype=np.float64).reshape(len(y), -1)
    if pred.shape[1] != len(levels):
        raise ValueError(
            f"y_pred has {pred.shape[1]} column(s) but {len(levels)} quantile level(s) were given: "
            "give one column per level."
        )
    y, pred = _arrays(np.broadcast_to(y, pred.shape), pred)
    diff = y - pred
    loss = np.maximum(levels * diff, (levels - 1) * diff)
    return float(loss.mean())


def interval_coverage(y_true, lower, upper):
    """Share of actuals inside their interval (bounds included).

    Parameters
    ----------
    y_true, lower, upper : array-like of the same shape

    Returns
    -------
    coverage : float
        In [0, 1]; compare with the nominal coverage.

    Examples
    --------
    >>> from skts.metrics import interval_coverage
    >>> interval_coverage([1.0, 5.0], [0.0, 0.0], [2.0, 4.0])
    0.5
    """
    y, low, up = _arrays(y_true, lower, upper)
    return float(((y >= low) & (y <= up)).mean())


def interval_width(lower, upper):
    """Mean width ``upper - lower`` of prediction intervals.

    Parameters
    ----------
    lower, upper : array-like of the same shape

    Returns
    -------
    width : float
        In the units of ``y``.

    Examples
    --------
    >>> from skts.metrics import interval_width
    >>> interval_width([0.0, 0.0], [2.0, 4.0])
    3.0
    """
    low, up = _arrays(lower, upper)
    return float((up - low).mean())


class _IntervalScorer:
    """Negated mean interval score of ``estimator.predict_interval``; see make_interval_scorer."""

    def __init__(self, coverage):
        self.coverage = coverage

    def __call__(self, estimator, X, y_true, sample_weight=None):
        intervals = estimator.predict_interval(X, coverage=self.coverage)
        lower, upper = _bounds_like(intervals, y_true)
        return -interval_score(np.asarray(y_true, dtype=np.float64), lower, upper, coverage=self.coverage)

    def __repr__(self):
        return f"make_interval_scorer(coverage={self.coverage})"


class _PinballScorer:
    """Negated mean pinball loss of ``estimator.predict_quantiles``; see make_pinball_scorer."""

    def __init__(self, quantiles):
        self.quantiles = quantiles

    def __call__(self, estimator, X, y_true, sample_weight=None):
        frame = estimator.predict_quantiles(X, quantiles=self.quantiles)
        levels = np.atleast_1d(np.asarray(self.quantiles, dtype=np.float64))
        y = np.asarray(y_true, dtype=np.float64).reshape(len(frame), -1)
        values = frame.to_numpy().reshape(len(frame), y.shape[1], len(levels))
        losses = [pinball_loss(y[:, t], values[:, t], quantiles=levels) for t in range(y.shape[1])]
        return -float(np.mean(losses))

    def __repr__(self):
        return f"make_pinball_scorer(quantiles={self.quantiles})"


def _bounds_like(intervals, y_true):
    """Lower and upper bounds of a single-coverage ``predict_interval`` frame, shaped like y."""
    values = intervals.to_numpy().reshape(len(intervals), -1, 2)
    shape = np.shape(y_true)
    return values[..., 0].reshape(shape), values[..., 1].reshape(shape)


@validate_params({"coverage": [Interval(Real, 0, 1, closed="neither")]}, prefer_skip_nested_validation=True)
def make_interval_scorer(coverage=0.9):
    """A scorer of the negated mean interval score, for ``scoring=``.

    Parameters
    ----------
    coverage : float, default=0.9
        Coverage of the intervals asked from ``estimator.predict_interval``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)`` returns ``-interval_score(y, lower,
        upper, coverage=coverage)`` (greater is better). The estimator needs
        ``predict_interval`` (any skts forecaster with native intervals, or
        a :class:`~skts.forecasting.ConformalForecaster`).

    See Also
    --------
    interval_score : The metric.
    neg_interval_score : This scorer at coverage 0.9.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from skts.forecasting import NaiveSeasonal
    >>> from skts.metrics import make_interval_scorer
    >>> y = np.sin(np.arange(60.0)) + np.arange(60.0) / 10
    >>> scores = cross_val_score(NaiveSeasonal(), np.empty((60, 0)), y, cv=TimeSeriesSplit(3),
    ...                          scoring=make_interval_scorer(coverage=0.8))
    >>> bool((scores < 0).all())
    True
    """
    return _IntervalScorer(float(coverage))


def make_pinball_scorer(quantiles=(0.05, 0.5, 0.95)):
    """A scorer of the negated mean pinball loss, for ``scoring=``.

    Parameters
    ----------
    quantiles : float or sequence of float, default=(0.05, 0.5, 0.95)
        Levels asked from ``estimator.predict_quantiles``, strictly increasing.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)`` returns minus the pinball loss averaged
        over rows, levels and targets (greater is better).

    See Also
    --------
    pinball_loss : The metric.
    neg_pinball_loss : This scorer at the default levels.

    Examples
    --------
    >>> from skts.metrics import make_pinball_scorer
    >>> make_pinball_scorer([0.1, 0.9])
    make_pinball_scorer(quantiles=(0.1, 0.9))
    """
    return _PinballScorer(tuple(float(q) for q in check_quantiles(quantiles)))


neg_interval_score = make_interval_scorer(0.9)
neg_pinball_loss = make_pinball_scorer((0.05, 0.5, 0.95))
