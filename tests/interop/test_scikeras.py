"""scikeras' KerasRegressor as the regressor of ReductionForecaster.

scikeras 0.13 predates scikit-learn 1.6's tags: its ``_more_tags`` are
ignored, so scikit-learn sees a plain estimator with default tags (not a
regressor, single output). The last tests pin those limits down, so that the
README's list goes stale loudly if scikeras changes.
"""

import numpy as np
import pytest
from sklearn.base import clone, is_regressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skts.forecasting import ReductionForecaster
from skts.model_selection import backtest

wrappers = pytest.importorskip("scikeras.wrappers")


def build_mlp(units=4, meta=None):
    """A one-hidden-layer network on the lag window, one output per target."""
    import keras

    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(meta["n_outputs_"]),
        ]
    )


def _regressor(**params):
    options = dict(model=build_mlp, model__units=4, loss="mse", epochs=1, batch_size=16, verbose=0, random_state=0)
    return wrappers.KerasRegressor(**{**options, **params})


@pytest.fixture(scope="module")
def series():
    return np.sin(np.arange(80) / 3.0) + 0.01 * np.arange(80)


def test_fits_forecasts_and_backtests(series):
    model = ReductionForecaster(_regressor(), seq_length=5).fit(None, series[:60])
    y_pred = model.predict(np.empty((4, 0)))
    assert y_pred.shape == (4,) and np.isfinite(y_pred).all()
    # Recursion: the first step is the regressor on the last window.
    first = model.regressor_.predict(series[55:60][np.newaxis])
    np.testing.assert_allclose(y_pred[0], np.ravel(first)[0], rtol=1e-6)
    frame = backtest(ReductionForecaster(_regressor(), seq_length=5), None, series[:65], start=60, horizon=2)
    loop = []
    for origin in range(60, 64):
        loop.append(model.predict(np.empty((2, 0))))
        model.update(None, series[origin : origin + 1])
    np.testing.assert_allclose(frame.forecast.to_numpy(), np.ravel(loop), rtol=1e-5)


def test_clone_and_grid_search_over_the_network(series):
    regressor = _regressor()
    twin = clone(ReductionForecaster(regressor, seq_length=5))
    assert twin.regressor is not regressor and twin.regressor.get_params()["model__units"] == 4
    search = GridSearchCV(
        ReductionForecaster(regressor, seq_length=5),
        {"regressor__model__units": [2, 4]},
        cv=TimeSeriesSplit(n_splits=2, test_size=2),
        scoring="neg_mean_absolute_error",
    ).fit(np.empty((80, 0)), series)
    assert search.best_estimator_.regressor_.model__units in (2, 4)
    assert not hasattr(regressor, "model_")


def test_several_targets_reach_the_network(series):
    y = np.c_[series, 2 * series]
    model = ReductionForecaster(_regressor(), seq_length=5).fit(None, y[:60])
    assert model.predict(np.empty((2, 0))).shape == (2, 2)
    assert model.regressor_.model_.output_shape == (None, 2)


def test_known_limits_of_scikeras_tags():
    regressor = _regressor()
    # scikit-learn >= 1.6 reads __sklearn_tags__ only: scikeras' are defaults.
    assert not is_regressor(regressor)
    from sklearn.utils.estimator_checks import check_estimator

    with pytest.raises(TypeError, match="__sklearn_tags__"):
        check_estimator(regressor)
