"""skts's neural training defaults against the book's raw Keras code, on the synthetic sine panel.

Hands-On Machine Learning (2nd ed., chapter 15) trains its first networks on
:func:`skts.datasets.make_sine_panel` (10,000 series, seed 42; 7,000
training and 2,000 validation series), with Keras' defaults: Adam at
learning rate 1e-3, batches of 32, MSE loss, 20 epochs, unscaled data. Three
of its models, each trained twice in the same process:

- ``deep RNN, 1 step``: ``SimpleRNN(20)``, ``SimpleRNN(20)``, ``Dense(1)``
  reads the first 50 steps of a 51-step series and forecasts the last one;
- ``seq-to-vector RNN, 10 steps``: the same layers with ``Dense(10)`` read
  the first 50 steps of a 60-step series and forecast the last 10;
- ``WaveNet, 10 steps``: eight causal ``Conv1D(20, 2)`` with dilations
  ``(1, 2, 4, 8) * 2`` and a ``Conv1D(10, 1)`` head, trained on the next 10
  values at every step (sequence to sequence) and scored, as the book does,
  on the last step's 10 values.

Arms:

- ``keras``: the book's code as printed, with ``keras.utils.set_random_seed``
  for its seed (under Keras 3 ``tf.random.set_seed`` alone no longer seeds
  the initialisers) and ``keras.Input`` for the deprecated ``input_shape``;
- ``skts``: :class:`~skts.neural.RNNRegressor` and
  :class:`~skts.neural.WaveNetRegressor` with the same architecture and
  every training parameter at its default (the defaults shared by every
  neural estimator: scaler, loss, optimizer, learning rate, batch size,
  epochs), ``random_state`` = the seed;
- ``skts_fast`` (only with ``--arms``): the same with ``learning_rate=0.01,
  batch_size=16``, the settings that fit scikit-learn's 200-sample
  ``check_regressors_train`` within 20 epochs, to show what they cost on
  real panels.

Reported: validation MSE per model and arm (median over ``--seeds``), the
ratio skts / keras, and CPU seconds per fit (``time.process_time``). The
goal is a ratio at most 1.10 on every model.

Usage::

    nice -n 10 python benchmarks/bench_neural_sine.py [--n-series 10000] [--seeds 42]

``--n-series`` takes a subset of the panel (the first ``n`` series of the
same draws, split 70/20/10 the same way) when the full run is too slow for
the machine; both arms always see the same data.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import time

import numpy as np

from skts.datasets import make_sine_panel
from skts.neural import RNNRegressor, WaveNetRegressor

N_STEPS = 50
AHEAD = 10
EPOCHS = 20
MODELS = ("deep RNN, 1 step", "seq-to-vector RNN, 10 steps", "WaveNet, 10 steps")


def split(series, ahead):
    n_train, n_valid = int(0.7 * len(series)), int(0.9 * len(series))
    X = series[:, :N_STEPS]
    targets = series[:, N_STEPS:] if ahead > 1 else series[:, -1]
    return (X[:n_train], targets[:n_train]), (X[n_train:n_valid], targets[n_train:n_valid])


def seq2seq_targets(series):
    """The book's ``Y[..., k - 1] = series[:, k : k + n_steps]``: (n, 50, 10)."""
    return np.stack([series[:, k : k + N_STEPS] for k in range(1, AHEAD + 1)], axis=-1)


def keras_arm(model_name, data, seed):
    import keras

    (X_train, y_train), (X_valid, y_valid) = data
    keras.utils.set_random_seed(seed)
    if model_name.startswith("WaveNet"):
        model = keras.Sequential([keras.Input(shape=[None, 1])])
        for rate in (1, 2, 4, 8) * 2:
            model.add(keras.layers.Conv1D(20, 2, padding="causal", activation="relu", dilation_rate=rate))
        model.add(keras.layers.Conv1D(AHEAD, 1))
        series_train = np.concatenate([X_train, y_train], axis=1)
        Y_train = seq2seq_targets(series_train)
        model.compile(loss="mse", optimizer="adam")
        model.fit(X_train[..., np.newaxis], Y_train, epochs=EPOCHS, verbose=0)
        y_pred = model.predict(X_valid[..., np.newaxis], verbose=0)[:, -1]
    else:
        outputs = AHEAD if y_train.ndim == 2 else 1
        model = keras.Sequential(
            [
                keras.Input(shape=[None, 1]),
                keras.layers.SimpleRNN(20, return_sequences=True),
                keras.layers.SimpleRNN(20),
                keras.layers.Dense(outputs),
            ]
        )
        model.compile(loss="mse", optimizer="adam")
        model.fit(X_train[..., np.newaxis], y_train, epochs=EPOCHS, verbose=0)
        y_pred = model.predict(X_valid[..., np.newaxis], verbose=0).reshape(y_valid.shape)
    return float(np.mean((y_valid - y_pred) ** 2))


def skts_arm(model_name, data, seed, **training):
    (X_train, y_train), (X_valid, y_valid) = data
    if model_name.startswith("WaveNet"):
        estimator = WaveNetRegressor(
            filters=20,
            kernel_size=2,
            dilations=(1, 2, 4, 8),
            n_blocks=2,
            sequence_to_sequence=True,
            random_state=seed,
            **training,
        )
    else:
        estimator = RNNRegressor(cell="simple", units=20, n_layers=2, random_state=seed, **training)
    assert estimator.epochs == EPOCHS, "the benchmark compares 20 epochs, the shared default"
    y_pred = estimator.fit(X_train, y_train).predict(X_valid)
    return float(np.mean((y_valid - y_pred) ** 2))


def load():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=10000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[42])
    parser.add_argument("--arms", nargs="+", choices=sorted(ARMS), default=["keras", "skts"])
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    panels = {
        1: make_sine_panel(args.n_series, N_STEPS + 1, random_state=42),
        AHEAD: make_sine_panel(args.n_series, N_STEPS + AHEAD, random_state=42),
    }
    data = {
        MODELS[0]: split(panels[1], 1),
        MODELS[1]: split(panels[AHEAD], AHEAD),
        MODELS[2]: split(panels[AHEAD], AHEAD),
    }
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC", flush=True)
    print(f"load before: {load()}", flush=True)
    results = {(model, arm): [] for model in MODELS for arm in args.arms}
    seconds = {key: [] for key in results}
    for index, seed in enumerate(args.seeds):
        for model in MODELS:
            arms = tuple((arm, ARMS[arm]) for arm in args.arms)
            # Alternate the order so that a drift of the machine's load hits both arms.
            for arm, run in arms if index % 2 == 0 else arms[::-1]:
                start = time.process_time()
                mse = run(model, data[model], seed)
                seconds[model, arm].append(time.process_time() - start)
                results[model, arm].append(mse)
                print(f"{model} | {arm} | seed {seed} | MSE {mse:.5f} | {seconds[model, arm][-1]:.0f} CPU s", flush=True)
    print(f"load after: {load()}", flush=True)
    print()
    print(
        f"Command: `nice -n 10 python benchmarks/bench_neural_sine.py --n-series {args.n_series} "
        f"--seeds {' '.join(map(str, args.seeds))} --arms {' '.join(args.arms)}`"
    )
    print()
    others = [arm for arm in args.arms if arm != "keras"]
    print(
        "| model | raw Keras MSE | "
        + " | ".join(f"{arm} MSE | {arm} / Keras" for arm in others)
        + " | "
        + " | ".join(f"{arm} CPU s" for arm in args.arms)
        + " |"
    )
    print("|---|---:|" + "---:|---:|" * len(others) + "---:|" * len(args.arms))
    for model in MODELS:
        # Without the keras arm in this run, no ratio: ratios come from one run.
        keras_mse = statistics.median(results[model, "keras"]) if "keras" in args.arms else float("nan")
        cells = [f"{keras_mse:.4f}"]
        for arm in others:
            mse = statistics.median(results[model, arm])
            cells += [f"{mse:.4f}", f"{mse / keras_mse:.2f}"]
        cells += [f"{statistics.median(seconds[model, arm]):.0f}" for arm in args.arms]
        print(f"| {model} | " + " | ".join(cells) + " |")


ARMS = {
    "keras": keras_arm,
    "skts": skts_arm,
    "skts_fast": lambda model, data, seed: skts_arm(model, data, seed, learning_rate=0.01, batch_size=16),
}


if __name__ == "__main__":
    main()
