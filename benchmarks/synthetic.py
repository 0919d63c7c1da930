"""Chapter 15 of Hands-On Machine Learning (2nd ed.) on its synthetic sine panel, through skts.

Panels of 10,000 series from :func:`skts.datasets.make_sine_panel` (two
random sine waves plus noise each, the book's ``generate_time_series`` with
the same seed, 42), split into 7,000 training, 2,000 validation and 1,000
test series. Every model reads the first 50 steps of a series; as in the
book, the one-step models forecast step 51 of series of 51 steps, the
ten-step models steps 51 to 60 of series of 60 steps (the same time span
sampled more finely, so these series are smoother). The recursive row
applies the one-step deep RNN to the 60-step series, as the book does. The
table (markdown, on stdout) reports the validation MSE, as the book does,
beside the book's figures.

The networks are the window regressors :class:`skts.neural.RNNRegressor`
and :class:`skts.neural.WaveNetRegressor`, which take the panel as it is,
``X`` of shape ``(n_series, 50)`` and ``y`` of shape ``(n_series,)`` or
``(n_series, 10)``; the linear model is scikit-learn's
``LinearRegression`` on the same rows. Run it from the repository root::

    python benchmarks/synthetic.py          # the full trainings
    python benchmarks/synthetic.py --smoke  # 1,000 series, tiny networks, 1 epoch

Setup, as in the book: the series unscaled (``scaler=None``), MSE loss,
Adam (learning rate 0.005 for the SimpleRNN(1), 0.001 otherwise), 20
epochs, batch size 32, layers of 20 units, ``random_state=42``. The
SimpleRNN(1) is the book's bare single neuron (``dense_head=False``, 3
parameters); the deep RNN is the book's second version, two
``SimpleRNN(20)`` and ``Dense(1)``. As in the book, the ten-step
layer-normalised RNN, LSTM, GRU, Conv1D+GRU and WaveNet are trained
sequence to sequence (``sequence_to_sequence=True``: ten values at every
step, at every Conv1D output step for the Conv1D+GRU, the book's
``Y[:, 3::2]``) and scored on the last step's ten values; the "deep RNN, 10
outputs" row is the book's sequence-to-vector model. Where skts differs:
the linear models are solved exactly (least squares) instead of by 20
epochs of Adam, and the book's sequence-to-sequence SimpleRNN has no row.
"""

from types import SimpleNamespace

import numpy as np
import pandas as pd
from _common import Timer, command_line, parse_args, progress, report
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error

from skts.datasets import make_sine_panel
from skts.neural import RNNRegressor, WaveNetRegressor

N_STEPS = 50
AHEAD = 10

FULL = SimpleNamespace(n_series=10000, units=20, epochs=20)
SMOKE = SimpleNamespace(n_series=1000, units=4, epochs=1)


def main(argv=None):
    """Run the book's synthetic-panel models and print the results table.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``--smoke``); None reads ``sys.argv``.

    Returns
    -------
    results : pandas.DataFrame
        One row per model, as printed.
    """
    args = parse_args(__doc__.splitlines()[0], argv)
    cfg = SMOKE if args.smoke else FULL
    data = SimpleNamespace(
        one=_split(make_sine_panel(cfg.n_series, N_STEPS + 1, random_state=42)),
        ten=_split(make_sine_panel(cfg.n_series, N_STEPS + AHEAD, random_state=42)),
    )
    results = []
    with Timer() as total:
        for row in ROWS:
            progress(f"{row.__name__} ...")
            with Timer() as timer:
                results.append(row(data, cfg))
            results[-1]["seconds"] = timer.seconds
            progress(f"{row.__name__}: {timer.seconds:,.0f} s")
    table = pd.DataFrame(results)
    report(
        "Synthetic sine panel (Hands-On ML 2nd ed., chapter 15)",
        table,
        {"validation MSE": ".4f", "seconds": ",.1f"},
        total.seconds,
        command_line("synthetic.py", argv),
    )
    return table


def _split(series):
    """The book's 70/20/10 split: the first 50 steps in, the rest to forecast.

    Targets are 1-D for one step ahead, ``(n, 10)`` for ten.
    """
    n_train, n_valid = int(0.7 * len(series)), int(0.9 * len(series))
    parts = {"train": series[:n_train], "valid": series[n_train:n_valid], "test": series[n_valid:]}
    data = SimpleNamespace()
    for name, part in parts.items():
        setattr(data, f"X_{name}", part[:, :N_STEPS])
        targets = part[:, N_STEPS:]
        setattr(data, f"y_{name}", targets[:, 0] if targets.shape[1] == 1 else targets)
    return data


def _row(model, forecast, book, y_true, y_pred):
    return {
        "model": model,
        "forecast": forecast,
        "validation MSE": mean_squared_error(y_true, y_pred),
        "book MSE": book,
    }


def _rnn(cfg, learning_rate=1e-3, **architecture):
    return RNNRegressor(
        **architecture,
        scaler=None,
        loss="mse",
        optimizer="adam",
        learning_rate=learning_rate,
        epochs=cfg.epochs,
        batch_size=32,
        random_state=42,
    )


def _deep_rnn(cfg):
    return _rnn(cfg, cell="simple", units=cfg.units, n_layers=2)


def _one_step_deep_rnn(data, cfg):
    """The one-step deep RNN, fitted once for its own row and the recursive one."""
    if not hasattr(data, "deep_rnn"):
        data.deep_rnn = _deep_rnn(cfg).fit(data.one.X_train, data.one.y_train)
    return data.deep_rnn


# -- one step ahead ----------------------------------------------------------


def naive(data, cfg):
    """The last observed value."""
    one = data.one
    return _row("naive (last value)", "1 step", "0.020", one.y_valid, one.X_valid[:, -1])


def linear(data, cfg):
    """Least squares on the 50 values."""
    one = data.one
    model = LinearRegression().fit(one.X_train, one.y_train)
    return _row("linear (LinearRegression)", "1 step", "0.004", one.y_valid, model.predict(one.X_valid))


def simple_rnn_1(data, cfg):
    """A single recurrent neuron."""
    one = data.one
    model = _rnn(cfg, learning_rate=0.005, cell="simple", units=1, dense_head=False)
    model.fit(one.X_train, one.y_train)
    return _row("SimpleRNN(1)", "1 step", "0.014", one.y_valid, model.predict(one.X_valid))


def deep_rnn(data, cfg):
    """Two SimpleRNN(20) and a Dense(1) head."""
    model = _one_step_deep_rnn(data, cfg)
    y_pred = model.predict(data.one.X_valid)
    return _row("deep RNN, 2 x SimpleRNN(20)", "1 step", "0.003", data.one.y_valid, y_pred)


# -- ten steps ahead ---------------------------------------------------------


def naive_10(data, cfg):
    """The last observed value, ten times."""
    ten = data.ten
    Y_pred = np.repeat(ten.X_valid[:, -1:], AHEAD, axis=1)
    return _row("naive (last value)", "10 steps", "0.223", ten.y_valid, Y_pred)


def linear_10(data, cfg):
    """Least squares, ten outputs."""
    ten = data.ten
    model = LinearRegression().fit(ten.X_train, ten.y_train)
    return _row("linear (LinearRegression)", "10 steps", "0.0188", ten.y_valid, model.predict(ten.X_valid))


def recursive(data, cfg):
    """The one-step deep RNN, its forecasts appended to the window ten times."""
    model = _one_step_deep_rnn(data, cfg)
    windows = data.ten.X_valid
    for _ in range(AHEAD):
        # The network was fitted on 50-step windows: slide the window along.
        windows = np.concatenate([windows, model.predict(windows[:, -N_STEPS:])[:, np.newaxis]], axis=1)
    return _row("deep RNN, recursive", "10 steps", "~0.03", data.ten.y_valid, windows[:, N_STEPS:])


def seq2vec(data, cfg):
    """Two SimpleRNN(20) and a Dense(10) head."""
    ten = data.ten
    model = _deep_rnn(cfg).fit(ten.X_train, ten.y_train)
    return _row("deep RNN, 10 outputs", "10 steps", "0.008", ten.y_valid, model.predict(ten.X_valid))


def _ten_step_rnn(data, cfg, model, cell, **architecture):
    """Two recurrent layers trained sequence to sequence, as the book's ten-step models."""
    ten = data.ten
    estimator = _rnn(cfg, cell=cell, units=cfg.units, n_layers=2, sequence_to_sequence=True, **architecture)
    estimator.fit(ten.X_train, ten.y_train)
    return _row(model, "10 steps", "n/a", ten.y_valid, estimator.predict(ten.X_valid))


def layer_norm(data, cfg):
    """Two layer-normalised SimpleRNN(20) cells."""
    return _ten_step_rnn(data, cfg, "2 x LN SimpleRNN(20)", "ln_simple")


def lstm(data, cfg):
    """Two LSTM(20)."""
    return _ten_step_rnn(data, cfg, "2 x LSTM(20)", "lstm")


def gru(data, cfg):
    """Two GRU(20)."""
    return _ten_step_rnn(data, cfg, "2 x GRU(20)", "gru")


def conv_gru(data, cfg):
    """Conv1D(20, kernel 4, strides 2) then two GRU(20)."""
    return _ten_step_rnn(
        data, cfg, "Conv1D(20, 4, strides 2) + 2 x GRU(20)", "gru",
        conv_filters=cfg.units, conv_kernel_size=4, conv_strides=2,
    )


def wavenet(data, cfg):
    """Causal Conv1D(20) layers with dilations 1, 2, 4, 8, twice."""
    model = WaveNetRegressor(
        filters=cfg.units,
        kernel_size=2,
        dilations=(1, 2, 4, 8),
        n_blocks=2,
        sequence_to_sequence=True,
        scaler=None,
        loss="mse",
        optimizer="adam",
        epochs=cfg.epochs,
        batch_size=32,
        random_state=42,
    ).fit(data.ten.X_train, data.ten.y_train)
    y_pred = model.predict(data.ten.X_valid)
    return _row("WaveNet, dilations 1-8 x 2", "10 steps", "n/a", data.ten.y_valid, y_pred)


ROWS = [
    naive,
    linear,
    simple_rnn_1,
    deep_rnn,
    naive_10,
    linear_10,
    recursive,
    seq2vec,
    layer_norm,
    lstm,
    gru,
    conv_gru,
    wavenet,
]


if __name__ == "__main__":
    main()
