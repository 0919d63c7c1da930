"""MAPE, sMAPE and MASE (MAE is scikit-learn's): hand-computed values, scikit-learn agreement, bad input."""

import numpy as np
import pandas as pd
import pytest
import sklearn.metrics as skm

from skts.metrics import (
    mean_absolute_percentage_error,
    mean_absolute_scaled_error,
    symmetric_mean_absolute_percentage_error,
)

Y_TRUE = np.array([[100.0, 10.0], [200.0, 20.0], [400.0, 40.0]])
Y_PRED = np.array([[110.0, 10.0], [150.0, 30.0], [400.0, 20.0]])
ALL = [
    mean_absolute_percentage_error,
    symmetric_mean_absolute_percentage_error,
    lambda t, p, **kw: mean_absolute_scaled_error(t, p, y_train=np.arange(8.0) ** 2 + 1, **kw),
]


def test_hand_computed_values():
    t, p = Y_TRUE[:, 0], Y_PRED[:, 0]
    # |errors| = 10, 50, 0
    assert mean_absolute_percentage_error(t, p) == pytest.approx((0.1 + 0.25 + 0.0) / 3)
    assert symmetric_mean_absolute_percentage_error(t, p) == pytest.approx((20 / 210 + 100 / 350 + 0.0) / 3)
    # y_train naive(1) errors: 2, 4, 1 -> scale 7/3; naive(2) errors: 6, 3 -> scale 4.5
    y_train = [1.0, 3.0, 7.0, 6.0]
    # The MAE is 20.
    assert mean_absolute_scaled_error(t, p, y_train=y_train) == pytest.approx(20.0 / (7 / 3))
    assert mean_absolute_scaled_error(t, p, y_train=y_train, season_length=2) == pytest.approx(20.0 / 4.5)


def test_multioutput():
    np.testing.assert_allclose(
        mean_absolute_percentage_error(Y_TRUE, Y_PRED, multioutput="raw_values"),
        [0.35 / 3, (0 + 0.5 + 0.5) / 3],
    )
    # MASE scales each output by its own history.
    y_train = np.array([[1.0, 0.0], [3.0, 10.0], [7.0, 0.0]])  # scales 3 and 10
    np.testing.assert_allclose(
        mean_absolute_scaled_error(Y_TRUE, Y_PRED, y_train=y_train, multioutput="raw_values"),
        [20.0 / 3, 10.0 / 10],
    )


@pytest.mark.parametrize("multioutput", ["raw_values", "uniform_average", [0.2, 0.8]])
def test_mape_agrees_with_sklearn_away_from_zero(multioutput):
    ours, theirs = mean_absolute_percentage_error, skm.mean_absolute_percentage_error
    rng = np.random.RandomState(0)
    y_true = rng.uniform(1, 10, size=(30, 2))
    y_pred = y_true + rng.normal(size=(30, 2))
    weights = rng.uniform(0, 2, size=30)
    for kwargs in ({}, {"sample_weight": weights}):
        np.testing.assert_allclose(
            ours(y_true, y_pred, multioutput=multioutput, **kwargs),
            theirs(y_true, y_pred, multioutput=multioutput, **kwargs),
        )
    assert ours(y_true[:, 0], y_pred[:, 0]) == pytest.approx(theirs(y_true[:, 0], y_pred[:, 0]))


def test_sample_weight_by_hand():
    t, p = Y_TRUE[:, 0], Y_PRED[:, 0]
    w = [1.0, 0.0, 3.0]
    assert symmetric_mean_absolute_percentage_error(t, p, sample_weight=w) == pytest.approx(20 / 210 / 4)
    assert mean_absolute_scaled_error(t, p, y_train=[0.0, 2.0], sample_weight=w) == pytest.approx(10 / 4 / 2)


def test_mase_one_is_the_naive_forecast():
    """The seasonal naive forecast over the training rows themselves scores exactly 1."""
    rng = np.random.RandomState(1)
    y = rng.normal(size=40).cumsum()
    assert mean_absolute_scaled_error(y[7:], y[:-7], y_train=y, season_length=7) == pytest.approx(1.0)


def test_smape_bounds_and_zeros():
    assert symmetric_mean_absolute_percentage_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert symmetric_mean_absolute_percentage_error([5.0, -1.0], [0.0, 1.0]) == pytest.approx(2.0)
    assert symmetric_mean_absolute_percentage_error([1.0, 2.0], [1.0, 2.0]) == 0.0


def test_pandas_input():
    t = pd.Series([100.0, 200.0])
    p = pd.DataFrame({"f": [110.0, 180.0]})
    assert mean_absolute_percentage_error(t, p) == pytest.approx(0.1)


def test_inputs_are_not_mutated():
    t, p = Y_TRUE[:, 0].copy(), Y_PRED[:, 0].copy()
    for metric in ALL:
        metric(t, p)
    np.testing.assert_array_equal(t, Y_TRUE[:, 0])
    np.testing.assert_array_equal(p, Y_PRED[:, 0])


def test_mape_zero_is_a_clear_error():
    with pytest.raises(ValueError, match=r"1 zero value\(s\) \(first at row 1\).*symmetric_mean"):
        mean_absolute_percentage_error([1.0, 0.0, 2.0], [1.0, 0.1, 2.0])


@pytest.mark.parametrize("metric", ALL)
def test_shape_mismatch(metric):
    with pytest.raises(ValueError, match=r"y_true has shape \(3, 2\) and y_pred has shape \(3,\)"):
        metric(Y_TRUE, Y_PRED[:, 0])
    with pytest.raises(ValueError, match="inconsistent|shape"):
        metric(Y_TRUE[:2], Y_PRED)


@pytest.mark.parametrize("metric", ALL)
def test_column_vector_equals_1d(metric):
    t, p = Y_TRUE[:, :1], Y_PRED[:, 0]
    assert metric(t, p) == pytest.approx(metric(t.ravel(), p))


@pytest.mark.parametrize("metric", ALL)
def test_nan_is_rejected(metric):
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        metric([1.0, 2.0], [1.0, np.nan])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sample_weight": [1.0, 2.0]}, "sample_weight has shape"),
        ({"sample_weight": [1.0, -1.0, 1.0]}, "non-negative"),
        ({"multioutput": [1.0, 2.0, 3.0]}, "multioutput has shape"),
        ({"multioutput": "variance_weighted"}, "multioutput"),
    ],
)
def test_bad_weights(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mean_absolute_percentage_error(Y_TRUE, Y_PRED, **kwargs)


def test_mase_bad_training_history():
    with pytest.raises(ValueError, match="needs at least 8"):
        mean_absolute_scaled_error([1.0], [2.0], y_train=np.arange(7.0), season_length=7)
    with pytest.raises(ValueError, match=r"exact on y_train for output\(s\) \[1\]"):
        mean_absolute_scaled_error(Y_TRUE, Y_PRED, y_train=[[1.0, 5.0], [2.0, 5.0]])
    with pytest.raises(ValueError, match="y_train has 1 output"):
        mean_absolute_scaled_error(Y_TRUE, Y_PRED, y_train=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="y_train contains NaN"):
        mean_absolute_scaled_error([1.0], [2.0], y_train=[np.nan, 1.0, 2.0])
    with pytest.raises(ValueError, match="season_length"):
        mean_absolute_scaled_error([1.0], [2.0], y_train=[1.0, 2.0], season_length=0)
