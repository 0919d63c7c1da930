"""Interval and quantile scores: values by hand, properness, scorers in scikit-learn's tools."""

import numpy as np
import pytest
from sklearn.metrics import mean_pinball_loss
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from skts.forecasting import NaiveSeasonal
from skts.metrics import (
    interval_coverage,
    interval_score,
    interval_width,
    make_interval_scorer,
    make_pinball_scorer,
    neg_interval_score,
    neg_pinball_loss,
    pinball_loss,
)


def test_interval_score_by_hand():
    y = np.array([1.0, 5.0, -3.0])
    lower = np.array([0.0, 0.0, 0.0])
    upper = np.array([2.0, 4.0, 1.0])
    # widths 2, 4, 1; misses: none, 1 above, 3 below; alpha = 0.1 -> penalty 2 / 0.1 = 20 per unit.
    assert interval_score(y, lower, upper, coverage=0.9) == pytest.approx((2 + (4 + 20) + (1 + 60)) / 3)
    assert interval_coverage(y, lower, upper) == pytest.approx(1 / 3)
    assert interval_width(lower, upper) == pytest.approx(7 / 3)


def test_interval_score_is_smallest_at_the_true_quantiles():
    rng = np.random.default_rng(0)
    y = rng.normal(size=200_000)
    z = 1.6448536269514722  # the 5% and 95% normal quantiles
    best = interval_score(y, np.full_like(y, -z), np.full_like(y, z), coverage=0.9)
    for scale in (0.8, 0.9, 1.1, 1.25):
        assert interval_score(y, np.full_like(y, -z * scale), np.full_like(y, z * scale), coverage=0.9) > best


def test_pinball_loss_matches_scikit_learn_per_level_and_averages_levels():
    rng = np.random.default_rng(1)
    y = rng.normal(size=50)
    preds = np.column_stack([y - 1 + rng.normal(size=50), y + rng.normal(size=50)])
    expected = np.mean([mean_pinball_loss(y, preds[:, j], alpha=q) for j, q in enumerate([0.2, 0.7])])
    assert pinball_loss(y, preds, quantiles=[0.2, 0.7]) == pytest.approx(expected)
    assert pinball_loss(y, preds[:, 0], quantiles=0.5) == pytest.approx(0.5 * np.mean(np.abs(y - preds[:, 0])))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: interval_score([1.0, 2.0], [0.0], [3.0, 3.0], coverage=0.9), "shapes"),
        (lambda: interval_score([1.0], [0.0], [2.0], coverage=1.0), "coverage"),
        (lambda: interval_score([np.nan], [0.0], [2.0], coverage=0.5), "NaN"),
        (lambda: interval_coverage([], [], []), "empty"),
        (lambda: pinball_loss([1.0, 2.0], [[1.0, 2.0], [1.0, 2.0]], quantiles=[0.5]), "one column per level"),
        (lambda: pinball_loss([1.0], [1.0], quantiles=1.5), "quantiles"),
    ],
)
def test_bad_input_is_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_scorers_score_the_estimators_intervals():
    rng = np.random.default_rng(2)
    y = np.cumsum(rng.normal(size=80))
    X = np.empty((80, 0))
    model = NaiveSeasonal().fit(X[:70], y[:70])
    intervals = model.predict_interval(X[70:], coverage=0.9)
    expected = -interval_score(y[70:], intervals["lower"], intervals["upper"], coverage=0.9)
    assert neg_interval_score(model, X[70:], y[70:]) == pytest.approx(expected)
    quantiles = model.predict_quantiles(X[70:], [0.05, 0.5, 0.95])
    assert neg_pinball_loss(model, X[70:], y[70:]) == pytest.approx(
        -pinball_loss(y[70:], quantiles.to_numpy(), quantiles=[0.05, 0.5, 0.95])
    )
    scores = cross_val_score(
        NaiveSeasonal(), X, y, cv=TimeSeriesSplit(3, test_size=5), scoring=make_interval_scorer(0.8)
    )
    assert scores.shape == (3,) and (scores < 0).all()
    assert repr(make_interval_scorer(0.8)) == "make_interval_scorer(coverage=0.8)"
    with pytest.raises(ValueError, match="strictly increasing"):
        make_pinball_scorer([0.9, 0.1])


def test_scorers_average_over_targets():
    rng = np.random.default_rng(3)
    y = np.cumsum(rng.normal(size=(60, 2)), axis=0)
    X = np.empty((60, 0))
    model = NaiveSeasonal().fit(X[:50], y[:50])
    intervals = model.predict_interval(X[50:], coverage=0.9)
    per_target = [
        interval_score(y[50:, t], intervals[name]["lower"], intervals[name]["upper"], coverage=0.9)
        for t, name in enumerate([0, 1])
    ]
    assert neg_interval_score(model, X[50:], y[50:]) == pytest.approx(-np.mean(per_target))
