"""
A PyTorch module as a forecaster: the primer's LSTM
===================================================

The RNN/LSTM primer builds its network in PyTorch: a two-layer
``nn.LSTM(input_size=5, hidden_size=45)`` followed by ``nn.Linear(45, 1)``,
fed the 5 previous values of a min-max-scaled series as the features of one
step, trained with Adam (learning rate 0.01) for 200 full-batch epochs on
the first 70% of the windows. On Keras' PyTorch backend,
``keras.layers.TorchModuleWrapper`` makes that module a Keras layer, so
:class:`~skts.neural.KerasForecaster` trains it like any network: it cuts
the windows, scales, seeds, forecasts, backtests and pickles. Here it learns
Chicago's daily rail ridership.

This page is not executed when the site is built, since it needs Keras'
torch backend: run it with::

    KERAS_BACKEND=torch SKTS_DATA_HOME=../shared/data python examples/pytorch_lstm.py

after installing the ``torch`` extra (see the README for the CPU-only
wheel). On 2026-12-05 (2 cores, torch 2.13, Keras 3.15.1) it printed the
output shown in the comments below.

**A model already written in PyTorch, with its own training loop.**
``TorchModuleWrapper`` keeps the module but replaces the loop: Keras'
optimizer, loss and batches train it. To keep your own loop, wrap the model
in an estimator that trains it (for example skorch's
``NeuralNetRegressor``, a scikit-learn regressor around a PyTorch module)
and give it to :class:`~skts.forecasting.ReductionForecaster`, which feeds any
scikit-learn regressor the flattened lag windows ``(n_windows, seq_length *
n_features)``; the module then reshapes them itself. That route needs no
Keras at all, but skts cannot seed it, batch its backtests, or pickle more
than the regressor itself supports.
"""

# %%
# The primer's network, unchanged, as a ``torch.nn.Module``. skts hands it
# windows of shape ``(batch, 5, 1)``: five past values of one series. The
# primer feeds those five values as the features of a single LSTM step, so
# ``forward`` turns the window into one step of five features.
import keras
import torch


class PrimerLSTM(torch.nn.Module):
    def __init__(self, n_lags=5, hidden_size=45, num_layers=2):
        super().__init__()
        self.lstm = torch.nn.LSTM(n_lags, hidden_size, num_layers=num_layers, batch_first=True)
        self.linear = torch.nn.Linear(hidden_size, 1)

    def forward(self, windows):
        output, _ = self.lstm(windows.transpose(1, 2))  # (batch, 1, n_lags)
        return self.linear(output[:, -1, :])


def primer_network(n_features, seq_length, n_outputs):
    """Build function for KerasForecaster: a fresh module at every fit, inside its seeded block."""
    module = PrimerLSTM(n_lags=seq_length)
    return keras.Sequential(
        [keras.Input((seq_length, n_features)), keras.layers.TorchModuleWrapper(module, output_shape=(None, n_outputs))]
    )


# %%
# The primer's training: min-max scaling, Adam at 0.01, squared error, 200
# epochs of one batch holding every window (any ``batch_size`` above the
# number of windows). ``random_state`` seeds PyTorch's initialisation too.
from skts.neural import KerasForecaster

lstm = KerasForecaster(
    primer_network,
    seq_length=5,
    scaler="minmax",
    optimizer="adam",
    learning_rate=1e-2,
    loss="mse",
    epochs=200,
    batch_size=100_000,
    random_state=42,
)

# %%
# Daily rail boardings, 2016 to May 2019. The first 70% of the days train,
# the rest are forecast one day ahead from every origin, without retraining
# (``predict_rolling`` conditions on each new day). The seasonal naive
# forecast ("same day last week") is the baseline: five days of history
# cannot see the weekly cycle, so expect the LSTM to lose to it.
import numpy as np

from skts.datasets import load_ridership
from skts.forecasting import NaiveSeasonal

rail = load_ridership().loc["2016-01-01":"2019-05-31", "rail"].astype(float)
n_train = int(0.7 * len(rail))
train, test = rail.iloc[:n_train], rail.iloc[n_train:]

lstm.fit(None, train)
print(f"{lstm.n_epochs_} epochs, training loss {lstm.history_['loss'][0]:.4f} -> {lstm.history_['loss'][-1]:.4f}")

forecasts = {}
for name, model in {"primer LSTM": lstm, "naive (7 days back)": NaiveSeasonal(season_length=7).fit(None, train)}.items():
    forecasts[name] = model.predict_rolling(None, test, horizon=1)[:, 0]
    print(f"{name}: one-step MAE {np.mean(np.abs(forecasts[name] - test.to_numpy())):,.0f} riders")

# Printed:
#   200 epochs, training loss 0.2435 -> 0.0095
#   primer LSTM: one-step MAE 73,042 riders
#   naive (7 days back): one-step MAE 62,071 riders

# %%
# The last eight weeks, one day ahead.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(test.index[-56:], test.to_numpy()[-56:], color="black", label="rail boardings")
for name, forecast in forecasts.items():
    ax.plot(test.index[-56:], forecast[-56:], label=name)
ax.set_ylabel("riders per day")
ax.legend()

# %%
# The fitted forecaster is an ordinary skts estimator: labelled forecasts,
# ``update`` with new days, ``joblib``/``pickle`` round trips (the module
# travels inside the Keras model).
lstm.update(None, test)
print(lstm.forecast(3))

# Printed:
#   2019-06-01    703819.079448
#   2019-06-02    504976.629066
#   2019-06-03    388152.215565
#   Freq: D, Name: rail, dtype: float64
