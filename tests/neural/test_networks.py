"""Keras network builders and training support against the textbook's models."""

import numpy as np
import pytest

from skts._optional import import_optional
from skts.neural._keras_support import (
    fast_predictor,
    model_from_bytes,
    model_to_bytes,
    seeded,
    train_network,
)
from skts.neural._networks import (
    LNSimpleRNNCell,
    build_recurrent,
    build_wavenet,
    conv_output_steps,
)

keras = import_optional("keras")
layers = keras.layers


def _windows(n=8, steps=12, n_features=5, seed=0):
    return np.random.default_rng(seed).normal(size=(n, steps, n_features)).astype(np.float32)


def _assert_same_function(ours, textbook, X):
    """Same parameter count, and the same outputs once given the same weights."""
    assert ours.count_params() == textbook.count_params()
    ours.set_weights(textbook.get_weights())
    np.testing.assert_allclose(np.asarray(keras.ops.convert_to_numpy(ours(X))), np.asarray(keras.ops.convert_to_numpy(textbook(X))), rtol=1e-5, atol=1e-6)


class TextbookLNSimpleRNNCell(layers.Layer):
    """Hands-On ML 3rd ed., chapter 15, ported to Keras 3 (build added)."""

    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(**kwargs)
        self.state_size = units
        self.output_size = units
        self.simple_rnn_cell = layers.SimpleRNNCell(units, activation=None)
        self.layer_norm = layers.LayerNormalization()
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.simple_rnn_cell.build(input_shape)
        self.layer_norm.build((None, self.state_size))

    def call(self, inputs, states):
        outputs, new_states = self.simple_rnn_cell(inputs, states)
        norm_outputs = self.activation(self.layer_norm(outputs))
        return norm_outputs, [norm_outputs]


def test_simple_rnn_1_is_one_unit_without_head():
    X = _windows(n_features=1)
    textbook = keras.Sequential([keras.Input(shape=[None, 1]), layers.SimpleRNN(1)])
    ours = build_recurrent(1, cell="simple", units=1, dense_head=False)
    assert ours.count_params() == 3
    _assert_same_function(ours, textbook, X)


def test_simple_and_deep_rnn_sequence_to_vector():
    X = _windows(n_features=1)
    textbook = keras.Sequential([keras.Input(shape=[None, 1]), layers.SimpleRNN(32), layers.Dense(1)])
    _assert_same_function(build_recurrent(1, cell="simple", units=32), textbook, X)
    deep = keras.Sequential(
        [
            keras.Input(shape=[None, 1]),
            layers.SimpleRNN(32, return_sequences=True),
            layers.SimpleRNN(32, return_sequences=True),
            layers.SimpleRNN(32),
            layers.Dense(1),
        ]
    )
    _assert_same_function(build_recurrent(1, cell="simple", units=32, n_layers=3), deep, X)


def test_sequence_to_sequence_rnn_has_a_dense_head_at_every_step():
    X = _windows()
    textbook = keras.Sequential(
        [keras.Input(shape=[None, 5]), layers.SimpleRNN(32, return_sequences=True), layers.Dense(14)]
    )
    ours = build_recurrent(5, cell="simple", units=32, output_length=14, sequence_to_sequence=True)
    _assert_same_function(ours, textbook, X)
    assert ours(X).shape == (8, 12, 14)


def test_ln_cell_normalises_the_linear_step_before_the_activation():
    X = _windows()
    textbook = keras.Sequential(
        [
            keras.Input(shape=[None, 5]),
            layers.RNN(TextbookLNSimpleRNNCell(32), return_sequences=True),
            layers.Dense(14),
        ]
    )
    ours = build_recurrent(5, cell="ln_simple", units=32, output_length=14, sequence_to_sequence=True)
    cells = [layer.cell for layer in ours.layers if isinstance(layer, layers.RNN)]
    assert len(cells) == 1 and isinstance(cells[0], LNSimpleRNNCell)
    assert isinstance(cells[0].layer_norm, layers.LayerNormalization)
    _assert_same_function(ours, textbook, X)


def test_ln_cell_model_saves_and_loads_with_dropout_and_bidirectional():
    X = _windows()
    ours = build_recurrent(
        5, cell="ln_simple", units=4, n_layers=2, bidirectional=True, dropout=0.2, recurrent_dropout=0.2
    )
    loaded = model_from_bytes(model_to_bytes(ours))
    np.testing.assert_array_equal(np.asarray(keras.ops.convert_to_numpy(loaded(X))), np.asarray(keras.ops.convert_to_numpy(ours(X))))
    cell = loaded.get_layer("bidirectional_0").forward_layer.cell
    assert isinstance(cell, LNSimpleRNNCell)
    assert (cell.dropout, cell.recurrent_dropout) == (0.2, 0.2)
    assert keras.activations.serialize(cell.normalized_activation) == "tanh"


def test_conv_gru_sequence_to_sequence_matches_textbook():
    X = _windows(steps=56)
    textbook = keras.Sequential(
        [
            keras.Input(shape=[None, 5]),
            layers.Conv1D(filters=32, kernel_size=4, strides=2, activation="relu"),
            layers.GRU(32, return_sequences=True),
            layers.Dense(14),
        ]
    )
    ours = build_recurrent(5, cell="gru", units=32, conv_filters=32, output_length=14, sequence_to_sequence=True)
    _assert_same_function(ours, textbook, X)
    assert ours(X).shape == (8, len(conv_output_steps(56, 4, 2)), 14)


def test_conv_output_steps_is_the_textbook_crop_and_downsampling():
    np.testing.assert_array_equal(conv_output_steps(56, 4, 2), np.arange(56)[3::2])
    np.testing.assert_array_equal(conv_output_steps(10, 3, 3), [2, 5, 8])


def test_conv_output_step_sees_its_aligned_input_step_and_nothing_later():
    steps, kernel_size, strides = 11, 4, 2
    model = build_recurrent(
        1, cell="gru", units=3, conv_filters=3, conv_kernel_size=kernel_size, conv_strides=strides,
        sequence_to_sequence=True,
    )
    # Positive weights and inputs, set explicitly rather than drawn: every
    # ReLU of the front end is alive at every step, on any machine, so a
    # change of an input the output step sees always reaches it.
    weights = model.get_weights()
    model.set_weights([np.linspace(0.1, 0.5, w.size, dtype=np.float32).reshape(w.shape) for w in weights])
    X = np.linspace(0.1, 1.0, steps, dtype=np.float32).reshape(1, steps, 1)
    base = np.asarray(keras.ops.convert_to_numpy(model(X)))[0, :, 0]
    aligned = conv_output_steps(steps, kernel_size, strides)
    assert len(base) == len(aligned)
    for j, step in enumerate(aligned):
        at_step, after_step = X.copy(), X.copy()
        at_step[0, step, 0] += 10.0
        after_step[0, step + 1 :, 0] += 10.0
        assert abs(np.asarray(keras.ops.convert_to_numpy(model(at_step)))[0, j, 0] - base[j]) > 1e-4
        # Exact: the outputs up to step j are computed from the same inputs.
        assert np.asarray(keras.ops.convert_to_numpy(model(after_step)))[0, j, 0] == base[j]


def test_simple_wavenet_matches_textbook():
    X = _windows(steps=56)
    textbook = keras.Sequential([keras.Input(shape=[None, 5])])
    for rate in (1, 2, 4, 8) * 2:
        textbook.add(layers.Conv1D(filters=32, kernel_size=2, padding="causal", activation="relu", dilation_rate=rate))
    textbook.add(layers.Conv1D(filters=14, kernel_size=1))
    ours = build_wavenet(5, output_length=14, sequence_to_sequence=True)
    _assert_same_function(ours, textbook, X)
    # Sequence to vector is the last step of the same network.
    last = build_wavenet(5, output_length=14)
    last.set_weights(textbook.get_weights())
    np.testing.assert_allclose(np.asarray(keras.ops.convert_to_numpy(last(X))), np.asarray(keras.ops.convert_to_numpy(textbook(X)))[:, -1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("gated", [False, True])
def test_wavenet_is_causal(gated):
    # Seeded: with random weights a dead ReLU or a saturated gate can leave
    # a later output unchanged, which the last assertion would then miss.
    with seeded(0):
        model = build_wavenet(2, filters=4, dilations=(1, 2), n_blocks=2, gated=gated, sequence_to_sequence=True)
    X = _windows(n=1, steps=9, n_features=2)
    changed = X.copy()
    changed[0, 5:] += 10.0
    before, after = np.asarray(keras.ops.convert_to_numpy(model(X)))[0], np.asarray(keras.ops.convert_to_numpy(model(changed)))[0]
    np.testing.assert_array_equal(after[:5], before[:5])
    assert np.all(after[5:] != before[5:])


def test_gated_wavenet_has_gates_residuals_and_skips():
    model = build_wavenet(3, filters=4, dilations=(1, 2, 4), n_blocks=2, gated=True)
    by_type = {}
    for layer in model.layers:
        by_type.setdefault(type(layer).__name__, []).append(layer)
    assert len(by_type["Multiply"]) == 6
    activations = {layer.name.rsplit("_", 1)[-1]: layer.activation.__name__ for layer in by_type["Conv1D"]}
    assert activations["filter"] == "tanh" and activations["gate"] == "sigmoid"
    # A residual per layer but the last, whose residual output feeds nothing
    # (only its skip does), then the sum of the skips.
    assert [layer.name for layer in by_type["Add"]] == [f"block_{i}_residual" for i in range(5)] + ["skip_sum"]
    assert [layer.dilation_rate[0] for layer in by_type["Conv1D"] if layer.name.endswith("_filter")] == [1, 2, 4] * 2


HEADS = [
    (build_recurrent, {"cell": "lstm"}, (8, 6)),
    (build_recurrent, {"cell": "lstm", "sequence_to_sequence": True}, (8, 12, 6)),
    (build_recurrent, {"cell": "gru", "conv_filters": 4, "sequence_to_sequence": True}, (8, 5, 6)),
    (build_recurrent, {"cell": "simple", "bidirectional": True, "n_layers": 2}, (8, 6)),
    (build_wavenet, {"gated": True}, (8, 6)),
    (build_wavenet, {"gated": True, "sequence_to_sequence": True}, (8, 12, 6)),
]


@pytest.mark.parametrize(("builder", "params", "shape"), HEADS)
def test_head_shapes_are_step_major_horizon_times_targets(builder, params, shape):
    model = builder(5, output_length=3, n_targets=2, **({"units": 4} if builder is build_recurrent else {"filters": 4}), **params)
    assert model(_windows()).shape == shape


ARCHITECTURES = [
    (build_recurrent, {"cell": "simple", "units": 4}),
    (build_recurrent, {"cell": "lstm", "units": 4}),
    (build_recurrent, {"cell": "gru", "units": 4, "conv_filters": 4}),
    (build_recurrent, {"cell": "ln_simple", "units": 4, "n_layers": 2, "bidirectional": True, "dropout": 0.1,
                       "recurrent_dropout": 0.1}),
    (build_wavenet, {"filters": 4, "dilations": (1, 2), "n_blocks": 1}),
    (build_wavenet, {"filters": 4, "dilations": (1, 2), "n_blocks": 1, "gated": True}),
]


@pytest.mark.parametrize(("builder", "params"), ARCHITECTURES)
def test_each_architecture_trains_one_epoch(builder, params, tiny_training):
    X = _windows(n=32, n_features=2)
    y = X[:, -1, :1] + X[:, -2, 1:]
    model = builder(2, seq_length=12, **params)
    before = [w.copy() for w in model.get_weights()]
    history = train_network(model, X, y, learning_rate=0.01, **tiny_training)
    assert len(history["loss"]) == 1 and np.isfinite(history["loss"][0])
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def _trained_weights(random_state):
    with seeded(random_state):
        model = build_recurrent(1, seq_length=12, cell="gru", units=3, dropout=0.2)
    X = _windows(n=32, n_features=1)
    train_network(model, X, X[:, -1, 0], epochs=2, batch_size=8, random_state=random_state)
    return model.get_weights()


def test_same_seed_same_weights_other_seed_other_weights():
    first, again, other = _trained_weights(0), _trained_weights(0), _trained_weights(1)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other))


def test_early_stopping_restores_the_best_validation_weights():
    # Validation targets are the negated training targets: learning the
    # training data makes the validation loss worse every epoch.
    X = _windows(n=64, n_features=1)
    y = X[:, -1, 0]
    with seeded(0):
        model = build_recurrent(1, seq_length=12, cell="simple", units=4)
    history = train_network(
        model, X[:48], y[:48], X_val=X[48:], y_val=-y[48:], learning_rate=0.02, epochs=20, batch_size=8,
        patience=2, random_state=0,
    )
    val_loss = history["val_loss"]
    assert len(val_loss) < 20
    assert val_loss[-1] > min(val_loss)
    restored = model.evaluate(X[48:], -y[48:], verbose=0)
    np.testing.assert_allclose(restored, min(val_loss), rtol=1e-5)


def test_sgd_momentum_and_unknown_optimizer():
    model = build_recurrent(1, seq_length=12, cell="simple", units=2)
    X = _windows(n=16, n_features=1)
    train_network(model, X, X[:, -1, 0], optimizer="sgd", momentum=0.9, learning_rate=0.02, epochs=1)
    assert model.optimizer.momentum == 0.9
    with pytest.raises(ValueError, match="optimizer must be one of"):
        train_network(model, X, X[:, -1, 0], optimizer="adagrad", epochs=1)
    with pytest.raises(ValueError, match="momentum only applies"):
        train_network(model, X, X[:, -1, 0], optimizer="adam", momentum=0.9, epochs=1)


def test_fast_predictor_equals_predict_for_any_batch_size():
    model = build_wavenet(5, filters=4, dilations=(1, 2), n_blocks=1, gated=True, output_length=2)
    predict = fast_predictor(model)
    X = _windows(n=7, steps=12)
    for rows in (slice(0, 1), slice(0, 7), slice(2, 5)):
        np.testing.assert_allclose(predict(X[rows]), model.predict(X[rows], verbose=0), rtol=1e-6)
    # Float64 input is cast to the model's dtype.
    np.testing.assert_allclose(predict(X.astype(np.float64)), predict(X), rtol=0)


def test_builder_errors_name_the_fix():
    with pytest.raises(ValueError, match="cell must be one of"):
        build_recurrent(1, cell="rnn")
    with pytest.raises(ValueError, match="dense_head=False.*must equal"):
        build_recurrent(1, cell="simple", units=4, output_length=2, dense_head=False)
    with pytest.raises(ValueError, match="shorter than conv_kernel_size"):
        build_recurrent(1, seq_length=3, conv_filters=2, conv_kernel_size=4)
