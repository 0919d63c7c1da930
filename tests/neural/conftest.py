"""Tiny networks and data for the Keras tests: each fit costs about one trace."""

import numpy as np
import pytest

# Small and seeded: one epoch on a few dozen windows exercises the whole
# training path; learning quality is measured in benchmarks/, not here.
TINY_TRAINING = {"epochs": 1, "batch_size": 16, "random_state": 0}


@pytest.fixture
def tiny_training():
    """Training keyword arguments shared by the network and regressor tests."""
    return dict(TINY_TRAINING)


@pytest.fixture(scope="session")
def panel():
    """A panel of 96 noisy sine series of 12 steps, like the textbook's synthetic data.

    Returns ``(X, y)``: windows of shape (96, 10, 2) (the series and a
    calendar-like second feature) and the next 2 values of each series,
    shape (96, 2).
    """
    rng = np.random.default_rng(0)
    n_series, n_steps = 96, 12
    freq, offset = rng.uniform(0.5, 1.5, size=(2, n_series, 1))
    t = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((t - offset) * (10 * freq + 10)) + 0.1 * rng.normal(size=(n_series, n_steps))
    calendar = np.broadcast_to(np.arange(n_steps) % 7 / 6.0, (n_series, n_steps))
    X = np.stack([series[:, :10], calendar[:, :10]], axis=-1)
    return X, series[:, 10:]
