"""WaveNetForecaster: simple and gated networks, grid search over depth, persistence."""

import io
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skts.neural import WaveNetForecaster

TINY = dict(filters=3, dilations=(1, 2), n_blocks=1, seq_length=8, epochs=1, batch_size=16, random_state=0)


def _series(n=90, n_targets=1, n_features=0, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    index = pd.date_range("2020-01-01", periods=n, freq="D")
    y = pd.DataFrame(
        {f"s{j}": 50.0 * (j + 1) + 5 * np.sin(2 * np.pi * t / 7 + j) + rng.normal(size=n) for j in range(n_targets)},
        index=index,
    )
    X = pd.DataFrame({f"x{j}": ((t + j) % 7 == 0).astype(float) for j in range(n_features)}, index=index)
    return X, (y.iloc[:, 0] if n_targets == 1 else y)


def _copy(forecaster):
    return pickle.loads(pickle.dumps(forecaster))


@pytest.fixture(scope="module")
def fitted():
    """A gated, sequence-to-sequence, two-target WaveNet with covariates."""
    X, y = _series(n_targets=2, n_features=1)
    forecaster = WaveNetForecaster(**TINY, gated=True, output_length=3, sequence_to_sequence=True)
    return forecaster.fit(X.iloc[:70], y.iloc[:70]), X, y


@pytest.mark.parametrize("gated", [False, True], ids=["simple", "gated"])
@pytest.mark.parametrize("sequence_to_sequence", [False, True], ids=["seq2vec", "seq2seq"])
def test_simple_and_gated_wavenets_train_and_forecast(gated, sequence_to_sequence):
    X, y = _series()
    forecaster = WaveNetForecaster(**TINY, gated=gated, output_length=2, sequence_to_sequence=sequence_to_sequence)
    forecaster.fit(X.iloc[:80], y.iloc[:80])
    assert forecaster.n_epochs_ == 1 and np.isfinite(forecaster.history_["loss"]).all()
    expected_shape = (None, 8, 2) if sequence_to_sequence else (None, 2)
    assert forecaster.model_.output_shape == expected_shape
    has_gate = any(layer.name.endswith("_gate") for layer in forecaster.model_.layers)
    assert has_gate == gated
    y_pred = forecaster.predict(X.iloc[80:85])
    assert y_pred.shape == (5,) and np.isfinite(y_pred).all()


def test_n_blocks_repeats_the_dilations():
    X, y = _series()
    forecaster = WaveNetForecaster(**{**TINY, "n_blocks": 3}).fit(X, y)
    rates = [layer.dilation_rate[0] for layer in forecaster.model_.layers if layer.name.startswith("causal_conv")]
    assert rates == [1, 2] * 3


def test_seq2seq_forecasts_come_from_the_last_step(fitted):
    forecaster, X, y = fitted
    L = forecaster.seq_length
    y_rows = (forecaster.y_[-L:] - forecaster.y_offset_) / forecaster.y_scale_
    X_rows = (X.iloc[70 - L + 1 : 71].to_numpy() - forecaster.X_offset_) / forecaster.X_scale_
    window = np.concatenate([y_rows, X_rows], axis=1)[None].astype(np.float32)
    import keras  # loaded by the fit already; convert_to_numpy detaches torch tensors
    last = keras.ops.convert_to_numpy(forecaster.model_(window, training=False))[0, -1].reshape(3, 2)
    expected = last * forecaster.y_scale_ + forecaster.y_offset_
    y_pred = forecaster.predict(X.iloc[70:77])
    assert y_pred.shape == (7, 2)
    np.testing.assert_allclose(y_pred[:3], expected, rtol=1e-6)


@pytest.mark.parametrize("horizon", [3, 7])
def test_batched_rolling_forecasts_equal_predict_and_update_per_origin(fitted, horizon):
    forecaster, X, y = fitted
    X_new, y_new = X.iloc[70:], y.iloc[70:]
    origins = np.arange(0, len(y_new) - horizon + 1)
    forecasts = _copy(forecaster)._rolling_forecasts(y_new.to_numpy(), X_new.to_numpy(), origins, horizon)
    looped = _copy(forecaster)
    expected = []
    for origin in origins:
        if origin:
            looped.update(X_new.iloc[origin - 1 : origin], y_new.iloc[origin - 1 : origin])
        expected.append(looped.predict(X_new.iloc[origin : origin + horizon]))
    # Exact on one machine: batched or alone, every window goes through the
    # same padded whole-SIMD-block call (see _predict_padded).
    np.testing.assert_array_equal(forecasts, np.array(expected))


def test_deterministic_and_joblib_round_trip(fitted):
    forecaster, X, y = fitted
    X_future = X.iloc[70:76]
    refit = clone(forecaster).fit(X.iloc[:70], y.iloc[:70])
    np.testing.assert_array_equal(refit.predict(X_future), forecaster.predict(X_future))
    buffer = io.BytesIO()
    joblib.dump(forecaster, buffer)
    loaded = joblib.load(io.BytesIO(buffer.getvalue()))
    np.testing.assert_array_equal(loaded.predict(X_future), forecaster.predict(X_future))


def test_grid_search_over_filters_and_blocks():
    X, y = _series(n=60)
    grid = {"filters": [2, 4], "n_blocks": [1, 2]}
    search = GridSearchCV(
        WaveNetForecaster(dilations=(1, 2), seq_length=8, output_length=3, epochs=1, batch_size=16, random_state=0),
        grid,
        cv=TimeSeriesSplit(n_splits=2, test_size=3),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    assert [tuple(p.values()) for p in search.cv_results_["params"]] == [(2, 1), (2, 2), (4, 1), (4, 2)]
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    convs = [layer for layer in best.model_.layers if layer.name.startswith("causal_conv")]
    assert len(convs) == 2 * best.n_blocks and convs[0].filters == best.filters
    assert best.dilations == (1, 2) and clone(best).dilations == (1, 2)


def test_bad_input_raises_clear_errors():
    X, y = _series(n=20)
    with pytest.raises(ValueError, match=r"seq_length \+ output_length = 16 \+ 5 = 21"):
        WaveNetForecaster(**{**TINY, "seq_length": 16}, output_length=5).fit(X, y)
    with pytest.raises(ValueError, match="dilations must be a non-empty tuple of positive integers"):
        WaveNetForecaster(**{**TINY, "dilations": (1, 0)}).fit(X, y)
    with pytest.raises(ValueError, match="dilations"):
        WaveNetForecaster(**{**TINY, "dilations": 4}).fit(X, y)
    forecaster = WaveNetForecaster(**TINY).fit(X, y)
    with pytest.raises(ValueError, match="1 features, but WaveNetForecaster is expecting 0"):
        forecaster.predict(np.zeros((2, 1)))
    y_inf = y.copy()
    y_inf.iloc[5] = np.inf
    with pytest.raises(ValueError, match="inf"):
        WaveNetForecaster(**TINY).fit(X, y_inf)
