"""LogTransformer: log(x + offset), inverted by exp(z) - offset."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skts.preprocessing import LogTransformer


def test_log_and_exp_round_trip():
    x = np.random.default_rng(0).lognormal(size=(20, 3))
    model = LogTransformer().fit(x)
    assert_allclose(model.transform(x), np.log(x), rtol=1e-15)
    assert_allclose(model.inverse_transform(np.log(x)), x, rtol=1e-14)
    assert_array_equal(pickle.loads(pickle.dumps(model)).transform(x), model.transform(x))


def test_offset_one_is_log1p_and_takes_zeros():
    x = np.array([[0.0], [3.0], [9.0]])
    model = LogTransformer(offset=1.0).fit(x)
    assert_allclose(model.transform(x), np.log1p(x), rtol=1e-15)
    assert_allclose(model.inverse_transform(np.log1p(x)), x, atol=1e-14)


def test_values_outside_the_domain_are_named():
    with pytest.raises(ValueError, match="row 1 of column 0 is 0.0 .*transformer='log1p'"):
        LogTransformer().fit([[2.0], [0.0]])
    model = LogTransformer(offset=1.0).fit([[0.0]])
    with pytest.raises(ValueError, match="row 0 of column 0 is -3.0.*Raise offset"):
        model.transform([[-3.0]])
    with pytest.raises(ValueError, match="1 column.*fitted on 2"):
        LogTransformer().fit([[1.0, 2.0]]).inverse_transform([[0.0]])
