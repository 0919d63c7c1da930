"""BoxCoxTransformer: lambda by maximum likelihood (as SciPy) or Guerrero's method (as R), and its inverse."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from skts.preprocessing import BoxCoxTransformer

# Box & Jenkins' monthly airline passengers, 1949-1960 (R's AirPassengers).
AIR_PASSENGERS = np.array([
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118,
    115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
    145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166,
    171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194,
    196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201,
    204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278,
    284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306,
    315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336,
    340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
    360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405,
    417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
], dtype=float)  # fmt: skip


@pytest.fixture
def x():
    return np.random.default_rng(0).lognormal(mean=2.0, sigma=0.6, size=(60, 2)) * [1.0, 30.0]


def test_mle_lambda_and_values_equal_scipy_boxcox(x):
    model = BoxCoxTransformer(method="mle").fit(x)
    for j in range(2):
        values, lam = stats.boxcox(x[:, j])
        assert model.lambdas_[j] == pytest.approx(lam, abs=1e-12)
        assert_allclose(model.transform(x)[:, j], values, rtol=1e-12)
    assert_allclose(model.inverse_transform(model.transform(x)), x, rtol=1e-10)


def test_guerrero_on_air_passengers_matches_r():
    """R: forecast::BoxCox.lambda(AirPassengers) is -0.2947156 (optimize's tolerance ~1.2e-4)."""
    lam = BoxCoxTransformer(season_length=12).fit(AIR_PASSENGERS[:, None]).lambdas_[0]
    assert lam == pytest.approx(-0.2947156, abs=1e-4)


@pytest.mark.parametrize("true_lambda", [-0.5, 0.0, 0.3, 1.0])
def test_guerrero_recovers_lambda_when_sd_is_a_power_of_the_mean(true_lambda):
    """Subseries with sd = c * mean ** (1 - lambda) make the criterion zero at that lambda."""
    pattern = np.array([-1.2, 0.3, 1.5, -0.6])
    pattern = (pattern - pattern.mean()) / pattern.std(ddof=1)
    means = np.linspace(20.0, 400.0, 8)
    c = 0.1 / (means ** -true_lambda).max()  # sd at most a tenth of the mean: all values positive
    x = np.concatenate([m + c * m ** (1 - true_lambda) * pattern for m in means])
    lam = BoxCoxTransformer(season_length=4).fit(x[:, None]).lambdas_[0]
    assert lam == pytest.approx(true_lambda, abs=1e-5)
    # Guerrero uses the last whole subseries: one extra leading row changes nothing.
    padded = np.concatenate([[77.0], x])
    assert BoxCoxTransformer(season_length=4).fit(padded[:, None]).lambdas_[0] == pytest.approx(lam, abs=1e-9)


def test_bounds_limit_the_estimate():
    lam = BoxCoxTransformer(season_length=12, bounds=(0.0, 2.0)).fit(AIR_PASSENGERS[:, None]).lambdas_[0]
    assert lam == pytest.approx(0.0, abs=1e-4)
    steep = np.exp(np.random.default_rng(1).normal(scale=2.0, size=200))  # MLE lambda near 0
    lam = BoxCoxTransformer(method="mle", bounds=(0.5, 2.0)).fit(steep[:, None]).lambdas_[0]
    assert lam == 0.5


def test_fixed_lambda_and_the_log_case(x):
    model = BoxCoxTransformer(lmbda=0.0).fit(x)
    assert_array_equal(model.lambdas_, [0.0, 0.0])
    assert_allclose(model.transform(x), np.log(x), rtol=1e-14)
    assert_allclose(model.inverse_transform(np.log(x)), x, rtol=1e-12)


def test_inverse_follows_r_outside_the_range():
    model = BoxCoxTransformer(lmbda=0.5).fit([[1.0], [4.0]])
    # lambda > 0: lambda * z + 1 = -1 maps to -1 (sign kept), monotone.
    assert_allclose(model.inverse_transform([[-4.0], [-2.0], [0.0]]).ravel(), [-1.0, 0.0, 1.0])
    negative = BoxCoxTransformer(lmbda=-0.5).fit([[1.0], [4.0]])
    with pytest.warns(RuntimeWarning, match="-1/lambda"):
        out = negative.inverse_transform([[0.0], [2.0], [3.0]]).ravel()
    assert out[0] == pytest.approx(1.0) and np.isnan(out[1:]).all()


def test_pandas_input_keeps_feature_names_and_checks_them(x):
    frame = pd.DataFrame(x, columns=["a", "b"])
    model = BoxCoxTransformer(method="mle").fit(frame)
    assert_array_equal(model.get_feature_names_out(), ["a", "b"])
    with pytest.raises(ValueError, match="feature names"):
        model.transform(frame[["b", "a"]])


def test_clone_and_pickle(x):
    model = BoxCoxTransformer(season_length=3).fit(x)
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.transform(x), model.transform(x))
    assert clone(model).get_params() == model.get_params()


@pytest.mark.parametrize("bad", [0.0, -2.0])
def test_values_outside_the_domain_are_named(x, bad):
    x = x.copy()
    x[7, 1] = bad
    with pytest.raises(ValueError, match="positive values .* but row 7 of column 1"):
        BoxCoxTransformer().fit(x)  # estimating lambda needs positive data
    with pytest.raises(ValueError, match="row 7 of column 1"):
        BoxCoxTransformer(lmbda=0.0).fit(x)
    if bad < 0:
        with pytest.raises(ValueError, match="^Negative values in data: .*row 7 of column 1"):
            BoxCoxTransformer(lmbda=0.5).fit(x)
    else:  # lambda > 0 maps zero to -1 / lambda, and back
        model = BoxCoxTransformer(lmbda=0.5).fit(x)
        assert model.transform(x)[7, 1] == -2.0
        assert model.inverse_transform(model.transform(x))[7, 1] == 0.0


def test_clear_errors():
    with pytest.raises(ValueError, match="at least 25 rows, got 24"):
        BoxCoxTransformer(season_length=12).fit(AIR_PASSENGERS[:24, None])
    with pytest.raises(ValueError, match="bounds must be"):
        BoxCoxTransformer(bounds=(2.0, -1.0)).fit(AIR_PASSENGERS[:, None])
    with pytest.raises(InvalidParameterError, match="method"):
        BoxCoxTransformer(method="loglik").fit(AIR_PASSENGERS[:, None])
    with pytest.raises(ValueError, match="NaN"):
        BoxCoxTransformer().fit([[1.0], [np.nan], [2.0], [3.0], [4.0], [5.0]])
    with pytest.raises(NotFittedError):
        BoxCoxTransformer().transform([[1.0]])
    model = BoxCoxTransformer(lmbda=1.0).fit([[1.0, 2.0]])
    with pytest.raises(ValueError, match="1 column.*fitted on 2"):
        model.inverse_transform([[1.0]])


def test_input_is_not_mutated(x):
    before = x.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = BoxCoxTransformer(method="mle").fit(x)
        model.inverse_transform(model.transform(x))
    assert_array_equal(x, before)
