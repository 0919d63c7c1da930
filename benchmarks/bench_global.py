"""One global network over many series against the window-regressor path, on the sine panel.

The goal is that ``RNNForecaster(global_model=True)`` on the textbook's
synthetic panel (:func:`skts.datasets.make_sine_panel`, one series per
column) reach the validation MSE of the window-regressor path at the same
settings, within 10 %.

Protocol. ``make_sine_panel(n_series, 60, random_state=42)``, transposed so
that rows are time steps and columns series. Windows of 50 steps, one step
ahead: 10 windows per series, whose targets are steps 50 .. 59. The first 8
window starts of every series train (targets 50 .. 57), the last 2 validate
(targets 58 and 59): a time-ordered split, the same windows for both arms.

- **window regressor**: the book's path. ``make_supervised`` windows of
  every series, stacked (``n_series * 8`` training windows of shape
  ``(50, 1)``), fed to ``RNNRegressor``; validation MSE of ``predict`` on
  the ``n_series * 2`` validation windows.
- **global forecaster**: ``RNNForecaster(global_model=True)`` fitted on the
  first 58 rows of the panel (all columns), then ``predict_rolling`` over
  rows 58 and 59 (one-step forecasts from origins 57 and 58, without
  refitting); validation MSE over all series.

Both use the book's deep RNN (2nd ed., ch. 15: SimpleRNN(20), SimpleRNN(20),
Dense(1); Adam 1e-3, MSE loss, batch 32), ``scaler=None`` (the panel is
already in [-0.75, 0.75]), a fixed number of epochs, the same seeds; the two
arms alternate per seed. Also reported: seconds per epoch (median of the
epochs after the first), the fit's CPU seconds (all threads of the
process: the steadier measure on a shared machine), and the bytes of training inputs each arm holds
(the stacked windows against the panel itself).

Usage::

    python benchmarks/bench_global.py --series 2000 --epochs 10 --seeds 3

Prints a Markdown table; it does not edit ``benchmarks/README.md``.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from skts.neural import RNNForecaster
from skts.datasets import make_sine_panel
from skts.neural import RNNRegressor
from skts.windowing import make_supervised

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_neural import timed  # noqa: E402  (the epoch timer of the neural benchmarks)

SEQ_LENGTH, N_STEPS, N_VALIDATION = 50, 60, 2
BOOK_DEEP_RNN = dict(
    cell="simple",
    units=20,
    n_layers=2,
    scaler=None,
    loss="mse",
    optimizer="adam",
    learning_rate=1e-3,
    batch_size=32,
)


def run_regressor(panel, seed, epochs):
    n_train = N_STEPS - SEQ_LENGTH - N_VALIDATION
    inputs, targets = zip(*(make_supervised(panel[:, j], SEQ_LENGTH) for j in range(panel.shape[1])))
    inputs = np.stack(inputs, axis=1)  # (10 starts, n_series, 50, 1)
    targets = np.stack(targets, axis=1)
    X_train = inputs[:n_train].reshape(-1, SEQ_LENGTH, 1)
    y_train = targets[:n_train].reshape(-1)
    X_valid = inputs[n_train:].reshape(-1, SEQ_LENGTH, 1)
    y_valid = targets[n_train:].reshape(-1)
    regressor = RNNRegressor(**BOOK_DEEP_RNN, epochs=epochs, random_state=seed)
    cpu = time.process_time()
    _, seconds, _ = timed(regressor.fit, X_train, y_train)
    cpu = time.process_time() - cpu
    mse = float(np.mean((regressor.predict(X_valid) - y_valid) ** 2))
    return mse, seconds, cpu, X_train.nbytes


def run_global(panel, seed, epochs):
    fit_rows = N_STEPS - N_VALIDATION
    forecaster = RNNForecaster(
        **BOOK_DEEP_RNN, global_model=True, seq_length=SEQ_LENGTH, epochs=epochs, random_state=seed
    )
    cpu = time.process_time()
    _, seconds, _ = timed(forecaster.fit, None, panel[:fit_rows])
    cpu = time.process_time() - cpu
    forecasts = forecaster.predict_rolling(None, panel[fit_rows:])[:, 0]
    mse = float(np.mean((forecasts - panel[fit_rows:]) ** 2))
    return mse, seconds, cpu, panel[:fit_rows].astype(np.float32).nbytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    panel = make_sine_panel(args.series, N_STEPS, random_state=42).T.astype(np.float64)
    print(f"{platform.machine()}, {os.cpu_count()} cores; load average before: {os.getloadavg()}")
    rows = {"window regressor": [], "global forecaster": []}
    for seed in range(args.seeds):
        arms = [("window regressor", run_regressor), ("global forecaster", run_global)]
        for name, run in arms if seed % 2 == 0 else arms[::-1]:
            mse, seconds, cpu, nbytes = run(panel, seed, args.epochs)
            rows[name].append((mse, statistics.median(seconds[1:]), seconds[0], cpu, nbytes))
            print(
                f"  seed {seed} {name}: MSE {mse:.5f}, later epochs {statistics.median(seconds[1:]):.2f} s, "
                f"first {seconds[0]:.2f} s, fit CPU {cpu:.1f} s, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    print(f"\n{args.series} series x {N_STEPS} steps, {args.epochs} epochs, medians of {args.seeds} seeds\n")
    print("| arm | validation MSE (median) | per seed | s / later epoch | first epoch s | fit CPU s | training input kB |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for name, results in rows.items():
        mses = [r[0] for r in results]
        print(
            f"| {name} | {statistics.median(mses):.5f} | {' / '.join(f'{m:.5f}' for m in mses)} "
            f"| {statistics.median(r[1] for r in results):.2f} | {statistics.median(r[2] for r in results):.2f} "
            f"| {statistics.median(r[3] for r in results):.1f} | {results[0][4] / 1e3:,.0f} |"
        )
    ratio = statistics.median(r[0] for r in rows["global forecaster"]) / statistics.median(
        r[0] for r in rows["window regressor"]
    )
    print(f"\nglobal / regressor validation MSE: {ratio:.3f}; load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
