"""make_sine_panel: the textbook's generate_time_series, reproducible."""

import numpy as np
import pytest

from skts.datasets import make_sine_panel


def _book(batch_size, n_steps, seed):
    """The textbook's generate_time_series, on a seeded RandomState."""
    rng = np.random.RandomState(seed)
    freq1, freq2, offsets1, offsets2 = rng.rand(4, batch_size, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += 0.1 * (rng.rand(batch_size, n_steps) - 0.5)
    return series.astype(np.float32)


def test_shape_dtype_and_range():
    series = make_sine_panel(200, 50, random_state=0)
    assert series.shape == (200, 50)
    assert series.dtype == np.float32
    assert np.abs(series).max() <= 0.75
    # The two waves are not degenerate: series differ and move.
    assert series.std(axis=1).min() > 0.05
    assert not np.allclose(series[0], series[1])


def test_same_numbers_as_the_book():
    np.testing.assert_array_equal(make_sine_panel(7, 13, random_state=42), _book(7, 13, 42))


def test_deterministic_given_random_state():
    a = make_sine_panel(5, 20, random_state=3)
    np.testing.assert_array_equal(a, make_sine_panel(5, 20, random_state=3))
    assert not np.array_equal(a, make_sine_panel(5, 20, random_state=4))
    rng = np.random.RandomState(3)
    np.testing.assert_array_equal(a, make_sine_panel(5, 20, random_state=rng))


def test_default_size_is_the_books():
    assert make_sine_panel(random_state=0).shape == (10000, 50)


@pytest.mark.parametrize(
    "kwargs", [{"n_series": 0}, {"n_steps": 0}, {"n_series": 2.5}, {"random_state": "x"}]
)
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="parameter of make_sine_panel"):
        make_sine_panel(**kwargs)
