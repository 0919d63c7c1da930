"""A PyTorch module trained inside KerasForecaster through keras.layers.TorchModuleWrapper.

Runs on Keras' torch backend only (``KERAS_BACKEND=torch``); skipped on the
others, where a torch module cannot be a Keras layer.
"""

import pickle

import numpy as np
import pytest

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(keras.backend.backend() != "torch", reason="needs KERAS_BACKEND=torch")

from skts.neural import KerasForecaster  # noqa: E402


class LagsAsFeaturesLSTM(torch.nn.Module):
    """The primer's network, small: the window's lags are the features of one LSTM step."""

    def __init__(self, n_lags, hidden_size=4, num_layers=2):
        super().__init__()
        self.lstm = torch.nn.LSTM(n_lags, hidden_size, num_layers=num_layers, batch_first=True)
        self.linear = torch.nn.Linear(hidden_size, 1)

    def forward(self, windows):
        output, _ = self.lstm(windows.transpose(1, 2))  # (batch, 1, n_lags)
        return self.linear(output[:, -1, :])


def lags_as_features_lstm(n_features, seq_length, n_outputs):
    module = LagsAsFeaturesLSTM(n_lags=seq_length)
    return keras.Sequential(
        [keras.Input((seq_length, n_features)), keras.layers.TorchModuleWrapper(module, output_shape=(None, 1))]
    )


def _forecaster(epochs=200):
    return KerasForecaster(
        lags_as_features_lstm,
        seq_length=5,
        scaler="minmax",
        learning_rate=1e-2,
        loss="mse",
        epochs=epochs,
        batch_size=1000,  # more than the windows: full-batch training, as the primer's
        random_state=0,
    )


@pytest.fixture(scope="module")
def series():
    rng = np.random.default_rng(0)
    y = 10 + np.sin(np.arange(140) / 3) + 0.05 * rng.normal(size=140)
    return np.empty((140, 0)), y


def test_the_torch_module_is_trained_by_keras(series):
    X, y = series
    forecaster = _forecaster().fit(X[:120], y[:120])
    module = forecaster.model_.layers[0].module
    assert isinstance(module, LagsAsFeaturesLSTM)
    # Every torch parameter is a Keras weight, so Keras' optimizer trains it.
    assert len(forecaster.model_.trainable_weights) == len(list(module.parameters()))
    losses = forecaster.history_["loss"]
    assert len(losses) == 200 and losses[-1] < 0.3 * losses[0]
    # One step ahead of a smooth sine, a trained network beats the mean by far.
    forecasts = forecaster.predict_rolling(X[120:], y[120:], horizon=1)[:, 0]
    assert np.mean(np.abs(forecasts - y[120:])) < 0.5 * np.mean(np.abs(y[120:] - y[:120].mean()))


def test_a_seeded_fit_is_reproducible_and_pickles(series):
    X, y = series
    first = _forecaster(epochs=5).fit(X, y)
    second = _forecaster(epochs=5).fit(X, y)
    future = np.empty((3, 0))
    np.testing.assert_array_equal(first.predict(future), second.predict(future))
    restored = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(restored.predict(future), first.predict(future))
