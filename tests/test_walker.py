"""The one origin walker: where origins sit and how any forecaster is walked over them."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import BaseEstimator, RegressorMixin

from skts._walker import forecasts_at, rolling_forecasts, rolling_origins, walk
from skts.forecasting import NaiveSeasonal


class _LastValue(RegressorMixin, BaseEstimator):
    """A forecaster with update but no predict_rolling: repeats its last value."""

    def fit(self, X, y):
        self.last_ = float(np.asarray(y)[-1])
        self.n_updates_ = 0
        return self

    def update(self, X, y):
        self.last_ = float(np.asarray(y)[-1])
        self.n_updates_ += 1
        return self

    def predict(self, X):
        return np.full(len(X), self.last_)


def test_origins_keep_their_whole_horizon():
    assert rolling_origins(10, 3, 2).tolist() == [0, 2, 4, 6]
    assert rolling_origins(2, 3, 1).tolist() == []


def test_walk_conditions_only_on_unseen_rows():
    calls = []
    out, seen = walk([0, 0, 2, 5], lambda a, b: calls.append((a, b)), lambda origin: origin * 10)
    assert out == [0, 0, 20, 50]
    assert calls == [(0, 2), (2, 5)]
    assert seen == 5


@pytest.mark.parametrize("stride", [1, 2])
def test_a_forecaster_without_predict_rolling_is_walked_on_a_copy(stride):
    y = np.arange(20.0)
    model = _LastValue().fit(None, y[:10])
    forecasts = rolling_forecasts(model, np.empty((10, 0)), y[10:], 3, stride)
    origins = rolling_origins(10, 3, stride)
    assert_allclose(forecasts, np.repeat(y[9 + origins][:, None], 3, axis=1))
    assert model.n_updates_ == 0
    rolling_forecasts(model, np.empty((10, 0)), y[10:], 3, stride, condition_all=True)
    assert model.last_ == y[-1]


def test_walked_and_batched_forecasts_agree():
    y = np.sin(np.arange(60.0))
    naive = NaiveSeasonal(season_length=4).fit(None, y[:40])
    batched = rolling_forecasts(naive, np.empty((20, 0)), y[40:], 5, 3)

    class _Plain(_LastValue):
        def fit(self, X, y):
            self.inner_ = NaiveSeasonal(season_length=4).fit(None, y)
            return self

        def update(self, X, y):
            self.inner_.update(None, y)
            return self

        def predict(self, X):
            return self.inner_.predict(X)

    walked = rolling_forecasts(_Plain().fit(None, y[:40]), np.empty((20, 0)), y[40:], 5, 3)
    assert_allclose(walked, batched)


def test_forecasts_at_irregular_origins_select_from_every_origin():
    y = np.sin(np.arange(50.0))
    naive = NaiveSeasonal(season_length=3).fit(None, y[:30])
    every = rolling_forecasts(naive, np.empty((20, 0)), y[30:], 2, 1)
    picked = forecasts_at(naive, np.empty((20, 0)), y[30:, None], [1, 4, 5], 2)
    assert_allclose(picked[:, :, 0], every[[1, 4, 5]])


def test_a_predict_of_the_wrong_length_is_named():
    class _Wrong(_LastValue):
        def predict(self, X):
            return np.zeros(len(X) + 1)

    with pytest.raises(ValueError, match=r"_Wrong.predict returned shape \(4,\) for 3 row"):
        rolling_forecasts(_Wrong().fit(None, np.ones(5)), np.empty((5, 0)), np.ones(5), 3)
