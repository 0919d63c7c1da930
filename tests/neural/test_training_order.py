"""Order of the training windows: the ``shuffle_buffer`` parameter.

``None`` (the default) permutes every window each epoch; an int streams the
windows in time order through a shuffle buffer, as the textbook's
``ds.shuffle(8 * batch_size)``. Declared once in the shared training
constraints and applied in one place per feed (``index_batches`` for
TensorFlow's ``tf.data``, ``epoch_order`` for the NumPy batches of JAX and
PyTorch), for windows in memory and for a global model's gathered windows
alike.
"""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import clone

from skts.neural import KerasForecaster, RNNForecaster, RNNRegressor, WaveNetForecaster, WaveNetRegressor
from skts.neural._keras_support import index_batches, keras_backend, seeded

SEQ_LENGTH, BATCH_SIZE, EPOCHS = 6, 8, 3
SGD = dict(optimizer="sgd", learning_rate=0.05, loss="mse", batch_size=BATCH_SIZE, epochs=EPOCHS, scaler=None)


def _epochs(n, buffer, seed, n_epochs):
    """The index batches of ``n_epochs`` epochs, from the feed of the suite's Keras backend.

    ``tf.data`` (:func:`index_batches`) on TensorFlow, NumPy's
    :class:`~skts.neural._feeding.IndexBatches` on JAX and PyTorch.
    """
    with seeded(seed):
        if keras_backend() == "tensorflow":
            dataset = index_batches(n, BATCH_SIZE, buffer, seed=seed)
            return [[batch.numpy().tolist() for batch in dataset] for _ in range(n_epochs)]
        from skts.neural._feeding import IndexBatches

        batches = IndexBatches(n, BATCH_SIZE, lambda k: k, shuffle_buffer=buffer, seed=seed)
        epochs = []
        for _ in range(n_epochs):
            epochs.append([batches[i].tolist() for i in range(len(batches))])
            batches.on_epoch_end()
        return epochs


@pytest.mark.parametrize("buffer", [None, 1, 5, 40, 100])
def test_every_epoch_holds_every_index_once_within_reach_of_the_buffer(buffer):
    n = 40
    epochs = _epochs(n, buffer, seed=0, n_epochs=3)
    for batches in epochs:
        assert [len(batch) for batch in batches] == [8] * 5
        order = np.concatenate(batches)
        assert sorted(order) == list(range(n))
        reach = n if buffer is None else buffer
        # A buffer of b has read at most i + b indices when it emits its i-th.
        assert (order < np.arange(n) + reach).all()
    if buffer == 1:
        assert np.concatenate(epochs[0]).tolist() == list(range(n))
    else:
        # Reshuffled every epoch.
        assert epochs[0] != epochs[1]


def test_seeded_order_is_reproducible():
    def draw(seed):
        return _epochs(50, 16, seed=seed, n_epochs=2)

    assert draw(3) == draw(3)
    assert draw(3) != draw(4)


def _zero_dense(n_features, seq_length, n_outputs):
    import keras

    # Zero initial weights: plain Keras below starts from the same network
    # whatever the seeds.
    return keras.Sequential(
        [
            keras.Input((seq_length, n_features)),
            keras.layers.Flatten(),
            keras.layers.Dense(n_outputs, kernel_initializer="zeros"),
        ]
    )


def _plain_keras(inputs, targets):
    """The same network trained by ``model.fit`` on windows in the given order, unshuffled."""
    import keras

    model = _zero_dense(inputs.shape[2], inputs.shape[1], targets.shape[1])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=SGD["learning_rate"]), loss="mse")
    model.fit(inputs, targets, batch_size=BATCH_SIZE, epochs=EPOCHS, shuffle=False, verbose=0)
    return model


def _series(n=60, n_series=1):
    t = np.arange(n)[:, None]
    return np.sin(t / 3 + np.arange(n_series)) + 0.01 * t


def test_buffer_of_one_trains_on_the_windows_in_time_order():
    y = _series()[:, 0]
    forecaster = KerasForecaster(_zero_dense, seq_length=SEQ_LENGTH, shuffle_buffer=1, random_state=0, **SGD)
    forecaster.fit(None, y)
    inputs = sliding_window_view(y, SEQ_LENGTH)[:-1, :, None]
    plain = _plain_keras(inputs, y[SEQ_LENGTH:, None])
    for got, expected in zip(forecaster.model_.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    # The order matters to SGD: the default permutation trains another network.
    shuffled = clone(forecaster).set_params(shuffle_buffer=None).fit(None, y)
    assert not np.allclose(shuffled.model_.get_weights()[0], plain.get_weights()[0], rtol=1e-3)


def test_buffer_of_one_gives_a_global_model_its_windows_time_major():
    y = _series(n_series=3)
    forecaster = KerasForecaster(
        _zero_dense, seq_length=SEQ_LENGTH, global_model=True, shuffle_buffer=1, random_state=0, **SGD
    )
    forecaster.fit(None, y)
    # Window k starts at step k // 3 of series k % 3.
    windows = sliding_window_view(y[:-1], SEQ_LENGTH, axis=0)  # (starts, series, steps)
    inputs = windows.reshape(-1, SEQ_LENGTH)[:, :, None]
    targets = y[SEQ_LENGTH:].reshape(-1, 1)
    plain = _plain_keras(inputs, targets)
    for got, expected in zip(forecaster.model_.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_regressor_streams_its_rows_in_the_given_order(panel):
    X, y = panel
    regressor = RNNRegressor(units=4, shuffle_buffer=1, random_state=0, **dict(SGD, scaler="standard"))
    regressor.fit(X, y)
    again = clone(regressor).fit(X, y)
    np.testing.assert_array_equal(again.predict(X), regressor.predict(X))
    # Reversing the rows reverses the order of the gradient steps.
    reversed_rows = clone(regressor).fit(X[::-1], y[::-1])
    assert not np.allclose(reversed_rows.predict(X), regressor.predict(X), rtol=1e-3)


def test_buffer_keeps_early_stopping_on_the_last_windows():
    y = _series(80)[:, 0]
    forecaster = RNNForecaster(
        units=4, seq_length=SEQ_LENGTH, output_length=2, shuffle_buffer=8, patience=2, random_state=0, epochs=3
    ).fit(None, y)
    assert len(forecaster.history_["val_loss"]) == forecaster.n_epochs_
    assert forecaster.holdout_residuals_.shape == (round(0.1 * (80 - SEQ_LENGTH - 1)), 2, 1)


@pytest.mark.parametrize("cls", [RNNForecaster, WaveNetForecaster, RNNRegressor, WaveNetRegressor])
def test_shuffle_buffer_is_a_flat_parameter_with_the_default_permutation(cls):
    estimator = cls()
    assert estimator.get_params()["shuffle_buffer"] is None
    assert clone(estimator.set_params(shuffle_buffer=256)).get_params()["shuffle_buffer"] == 256


@pytest.mark.parametrize(
    "value, match",
    [
        (0, "'shuffle_buffer' parameter"),
        (2.5, "'shuffle_buffer' parameter"),
        ("256", "'shuffle_buffer' parameter"),
        # True would otherwise be a buffer of one: time order, not Keras' shuffle=True.
        (True, "shuffle_buffer=True is a bool"),
        (False, "'shuffle_buffer' parameter"),
        (np.True_, "'shuffle_buffer' parameter"),
    ],
)
def test_invalid_shuffle_buffer_is_a_clear_error_before_any_training(monkeypatch, value, match):
    import skts.neural._keras_support as support

    def no_training(*args, **kwargs):
        raise AssertionError("trained despite an invalid parameter")

    monkeypatch.setattr(support, "train_network", no_training)
    with pytest.raises(ValueError, match=match):
        RNNForecaster(seq_length=SEQ_LENGTH, shuffle_buffer=value).fit(None, _series()[:, 0])
