"""Compiled training: the ``jit_compile`` and ``steps_per_execution`` parameters.

Both are declared once in the shared training constraints and passed through
the one training call, so the tiny RNNForecaster and WaveNetRegressor fits
below stand for the five neural estimators.
"""

import io

import joblib
import numpy as np
import pytest
from sklearn.base import clone

from skts.neural import KerasForecaster, RNNForecaster, RNNRegressor, WaveNetForecaster, WaveNetRegressor
from skts.neural._keras_support import keras_backend

ESTIMATORS = [RNNForecaster, WaveNetForecaster, RNNRegressor, WaveNetRegressor]
TINY_RNN = dict(units=4, seq_length=8, output_length=2, epochs=1, batch_size=16, random_state=0)
TINY_WAVENET = dict(filters=4, n_blocks=1, epochs=1, batch_size=16, random_state=0)


def _series(n=80):
    return np.empty((n, 0)), np.sin(np.arange(n) / 4) + 0.05 * np.random.default_rng(0).normal(size=n)


def _tiny_network(n_features, seq_length, n_outputs):
    import keras

    return keras.Sequential([keras.Input((seq_length, n_features)), keras.layers.Flatten(), keras.layers.Dense(n_outputs)])


def _all_estimators():
    return [cls() for cls in ESTIMATORS] + [KerasForecaster(_tiny_network)]


@pytest.mark.parametrize("estimator", _all_estimators(), ids=lambda e: type(e).__name__)
def test_defaults_are_flat_params_that_clone_and_grid_search(estimator):
    params = estimator.get_params()
    # The default compiles only where the backend needs it (JAX): TensorFlow
    # and PyTorch must not pay a compile a short fit cannot recover.
    assert params["jit_compile"] == "auto" and params["steps_per_execution"] == "auto"
    for candidate in ({"jit_compile": True, "steps_per_execution": 4}, {"jit_compile": False, "steps_per_execution": 2}):
        cloned = clone(estimator).set_params(**candidate)
        assert {key: cloned.get_params()[key] for key in candidate} == candidate
        assert {key: clone(cloned).get_params()[key] for key in candidate} == candidate


def _silent(capfd):
    out, err = capfd.readouterr()
    assert out == "" and err == "", (out, err)


# XLA logs its first compile in a process to the C-level stderr, so the two
# jit tests below each check that nothing was printed: whichever runs first
# in a process sees that first compile.


def test_jit_compiled_forecaster_is_silent_close_to_uncompiled_and_round_trips(capfd):
    X, y = _series()
    plain = RNNForecaster(**TINY_RNN, jit_compile=False).fit(X, y)
    compiled = RNNForecaster(**TINY_RNN, jit_compile=True).fit(X, y)
    forecasts = compiled.forecast(5)
    _silent(capfd)
    assert compiled.model_.jit_compile is True and plain.model_.jit_compile is False
    # Same seed, same initial weights and batches; XLA fuses and reorders
    # float32 operations, so the results agree to rounding, not bit for bit.
    np.testing.assert_allclose(forecasts, plain.forecast(5), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(compiled.history_["loss"], plain.history_["loss"], rtol=1e-4)
    # Prediction is not compiled: the fast predictor of the loaded network
    # gives the same forecasts, bit for bit.
    buffer = io.BytesIO()
    joblib.dump(compiled, buffer)
    buffer.seek(0)
    loaded = joblib.load(buffer)
    assert loaded.get_params()["jit_compile"] is True
    np.testing.assert_array_equal(loaded.forecast(5), forecasts)


def test_jit_compiled_regressor_is_silent_and_predicts_like_the_uncompiled_one(panel, capfd):
    X, y = panel
    plain = WaveNetRegressor(**TINY_WAVENET, jit_compile=False).fit(X, y)
    compiled = WaveNetRegressor(**TINY_WAVENET, jit_compile=True).fit(X, y)
    _silent(capfd)
    assert compiled.model_.jit_compile is True
    # Tolerance, not equality: XLA may reorder float operations.
    np.testing.assert_allclose(compiled.predict(X), plain.predict(X), rtol=1e-4, atol=1e-6)


def test_steps_per_execution_reaches_keras_and_changes_no_result(panel):
    X, y = panel
    if keras_backend() == "torch":
        with pytest.raises(ValueError, match="PyTorch backend runs one batch per call"):
            RNNRegressor(units=4, epochs=1, random_state=0, steps_per_execution=4).fit(X, y)
        return
    one = RNNRegressor(units=4, epochs=3, batch_size=16, random_state=0, jit_compile=False).fit(X, y)
    four = RNNRegressor(
        units=4, epochs=3, batch_size=16, random_state=0, jit_compile=False, steps_per_execution=4
    ).fit(X, y)
    # "auto" without compilation: one batch per call, the cheapest trace.
    assert one.model_.steps_per_execution == 1 and four.model_.steps_per_execution == 4
    # Same batches in the same order, only fewer calls: the same training.
    assert four.n_epochs_ == 3
    np.testing.assert_allclose(four.history_["loss"], one.history_["loss"], rtol=1e-6)
    np.testing.assert_allclose(four.predict(X), one.predict(X), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("global_model", [False, True])
def test_auto_steps_per_execution_with_xla_runs_an_epoch_per_call(global_model, capfd):
    X, y = _series(120)
    y = np.column_stack([y, 2 * y]) if global_model else y
    params = dict(TINY_RNN, batch_size=8, jit_compile=True)
    forecaster = RNNForecaster(**params, global_model=global_model).fit(X, y)
    _silent(capfd)
    if keras_backend() == "torch":
        # Keras' PyTorch backend runs one batch per call, compiled or not.
        assert forecaster.model_.steps_per_execution == 1
        return
    # Training windows of every series, ceil-divided into batches.
    n_windows = (len(y) - TINY_RNN["seq_length"] - TINY_RNN["output_length"] + 1) * (2 if global_model else 1)
    assert forecaster.model_.steps_per_execution == -(-n_windows // 8)
    # The bound: a longer epoch runs in calls of at most 32 batches.
    forecaster = RNNForecaster(**dict(params, batch_size=1), global_model=global_model).fit(X, y)
    assert forecaster.model_.steps_per_execution == 32


@pytest.mark.parametrize(
    "params, match",
    [
        ({"jit_compile": "always"}, "'jit_compile' parameter"),
        ({"jit_compile": 1.0}, "'jit_compile' parameter"),
        ({"steps_per_execution": 0}, "'steps_per_execution' parameter"),
        ({"steps_per_execution": 2.5}, "'steps_per_execution' parameter"),
        ({"steps_per_execution": "fast"}, "'steps_per_execution' parameter"),
    ],
)
def test_invalid_values_are_clear_errors_before_any_training(monkeypatch, params, match):
    import skts.neural._keras_support as support

    def no_training(*args, **kwargs):
        raise AssertionError("trained despite an invalid parameter")

    monkeypatch.setattr(support, "train_network", no_training)
    X, y = _series()
    with pytest.raises(ValueError, match=match):
        RNNForecaster(**TINY_RNN, **params).fit(X, y)
