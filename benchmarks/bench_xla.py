"""XLA-compiled training in skts against the book's raw Keras code, same run.

The three ridership models of Hands-On ML (3rd ed., ch. 15), built exactly as
in :mod:`bench_neural` (SimpleRNN(32) seq-to-vector on 56-day rail windows,
SGD(0.05, momentum 0.9); GRU(32) seq-to-seq + Dense(14) on 56-day
multivariate windows, SGD(0.1, 0.9); the simple WaveNet on 112-day
multivariate windows, SGD(0.1, 0.9); Huber loss, batch size 32, the book's
``/ 1e6`` data), each trained ``--epochs`` fixed epochs, without validation
or early stopping, by these arms:

- ``book``: the book's raw Keras code (:mod:`bench_neural_book`: its
  ``tf.data`` windows and ``model.compile`` as printed, so Keras' default
  ``jit_compile="auto"``, which is off on CPU), via
  :func:`bench_neural.run_book`;
- ``skts``: ``RNNForecaster`` / ``WaveNetForecaster`` with their defaults
  ``jit_compile=False, steps_per_execution="auto"`` (one batch per call)
  and ``shuffle_buffer=None`` (every window permuted each epoch);
- ``skts_spe``: ``jit_compile=False, steps_per_execution=N``
  (``--steps-per-execution N``, default 32): the per-call overhead removed
  without XLA;
- ``skts_xla``: ``jit_compile=True`` (``steps_per_execution="auto"`` then runs
  an epoch, up to 32 batches, per call);
- ``skts_order`` and ``skts_order_xla``: ``skts`` and ``skts_xla`` with the
  book's window order, ``shuffle_buffer=256`` for the sequence-to-sequence
  GRU and WaveNet (the book's ``to_seq2seq_dataset`` shuffles its
  time-ordered windows through ``8 * batch_size``); the SimpleRNN keeps
  ``None`` (:data:`bench_neural.BOOK_SHUFFLE_BUFFER`).

``--arms`` picks among them (``book`` always runs).

For every seed the arms of every model run back to back, in reversed order on
odd seeds, so a drift of the machine's load hits all arms. Per fit:

- first-epoch seconds: tracing, the first pass of the input pipeline and,
  with ``jit_compile``, the XLA compile;
- median seconds of the later epochs (``--epochs`` - 1 of them);
- fit CPU seconds (``time.process_time``: every thread of the process; the
  book's dataset construction and skts's windowing included);
- validation MAE in riders: forecasts from the last step of each of the
  book's validation windows (95, 82 and 26 of them), all steps ahead
  averaged, as :mod:`bench_neural` computes it for both codes.

Usage::

    SKTS_DATA_HOME=../shared/data python benchmarks/bench_xla.py --epochs 30 --seeds 5

Prints per-fit lines, the ``uptime`` load before and after, and Markdown
tables; it does not edit ``benchmarks/README.md``.
"""

import argparse
import gc
import logging
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_neural  # noqa: E402

# Arm -> (jit_compile, steps_per_execution or None for "auto", the book's window order).
ARMS = {
    "book": None,
    "skts": (False, None, False),
    "skts_spe": (False, "spe", False),
    "skts_xla": (True, None, False),
    "skts_order": (False, None, True),
    "skts_order_xla": (True, None, True),
}
# The XLA arm each arm's compile time is measured against.
COMPILED = {"skts_xla": "skts", "skts_order_xla": "skts_order"}


def run_book(name, data, *, seed, epochs):
    cpu = time.process_time()
    result = bench_neural.run_book(name, data, seed=seed, epochs=epochs, early_stopping=False)
    cpu = time.process_time() - cpu
    return result["mae"], result["epoch_seconds"], result["fit_seconds"], cpu


def run_skts(name, data, *, seed, epochs, jit_compile, steps_per_execution, book_order):
    forecaster = bench_neural.make_forecaster(
        name, seed=seed, epochs=epochs, early_stopping=False, book_order=book_order
    )
    forecaster.set_params(jit_compile=jit_compile, steps_per_execution=steps_per_execution)
    X_train, X_valid = data["X_univariate" if name == "simple_rnn" else "X_multivariate"]
    y_train, y_valid = data["y"]
    cpu = time.process_time()
    _, epoch_seconds, fit_seconds = bench_neural.timed(forecaster.fit, X_train, y_train)
    cpu = time.process_time() - cpu
    assert forecaster.n_epochs_ == epochs
    forecasts, actuals = bench_neural.validation_forecasts(forecaster, X_valid, y_valid)
    return float(np.abs(forecasts - actuals).mean()), epoch_seconds, fit_seconds, cpu


def run(arm, name, data, *, seed, epochs, spe):
    if arm == "book":
        mae, epoch_seconds, fit_seconds, cpu = run_book(name, data, seed=seed, epochs=epochs)
    else:
        jit_compile, steps, book_order = ARMS[arm]
        mae, epoch_seconds, fit_seconds, cpu = run_skts(
            name,
            data,
            seed=seed,
            epochs=epochs,
            jit_compile=jit_compile,
            steps_per_execution=spe if steps == "spe" else "auto",
            book_order=book_order,
        )
    assert len(epoch_seconds) == epochs
    gc.collect()
    return dict(
        first=epoch_seconds[0], later=statistics.median(epoch_seconds[1:]), fit=fit_seconds, cpu=cpu, mae=mae
    )


def uptime():
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30, help="fixed epochs per fit (>= 4 for 3 later epochs)")
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0, 1, ...")
    parser.add_argument("--models", nargs="+", choices=bench_neural.MODELS, default=list(bench_neural.MODELS))
    parser.add_argument(
        "--arms",
        nargs="+",
        choices=[arm for arm in ARMS if arm != "book"],
        default=["skts", "skts_xla", "skts_order", "skts_order_xla"],
        help="skts arms beside the book's",
    )
    parser.add_argument("--steps-per-execution", type=int, default=32, help="of the skts_spe arm")
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error("--epochs must be >= 2 (the first epoch plus later ones; report runs use >= 4)")
    # The book's code triggers Keras 3 notices (shuffle ignored for datasets,
    # predict retracing once per new model) that say nothing about the results.
    warnings.filterwarnings("ignore", category=UserWarning)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    arms = ["book", *args.arms]
    data = bench_neural.load_data()
    load_before = uptime()
    print(f"load average before (1, 5, 15 min): {load_before}", flush=True)
    started = time.perf_counter()
    results = {}  # (name, arm) -> list of per-seed dicts
    first_fit = {}  # (name, arm) -> the first fit's first-epoch seconds in this process
    for seed in range(args.seeds):
        for name in args.models:
            for arm in arms if seed % 2 == 0 else arms[::-1]:
                result = run(arm, name, data, seed=seed, epochs=args.epochs, spe=args.steps_per_execution)
                results.setdefault((name, arm), []).append(result)
                first_fit.setdefault((name, arm), result["first"])
                print(
                    f"seed {seed} {name} {arm}: " + ", ".join(f"{k} {v:,.3f}" for k, v in result.items()),
                    flush=True,
                )
    load_after = uptime()
    minutes = (time.perf_counter() - started) / 60
    print(f"load average after (1, 5, 15 min): {load_after}; {minutes:.1f} min")

    def med(name, arm, key):
        return statistics.median(r[key] for r in results[name, arm])

    def ratios(name, arm, key, base="book"):
        return [r[key] / b[key] for r, b in zip(results[name, arm], results[name, base])]

    print(f"\n{args.epochs} epochs, seeds 0..{args.seeds - 1}, medians over the seeds\n")
    print("| model | arm | first epoch s (first fit) | later epochs s | fit s | fit CPU s | validation MAE (riders) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in args.models:
        for arm in arms:
            print(
                f"| {name} | {arm} | {med(name, arm, 'first'):.2f} ({first_fit[name, arm]:.2f}) "
                f"| {med(name, arm, 'later'):.3f} | {med(name, arm, 'fit'):.2f} | {med(name, arm, 'cpu'):.2f} "
                f"| {med(name, arm, 'mae'):,.0f} |"
            )
    print(
        "\n| model | arm | later epochs / book | MAE / book: ratio of the medians; median of per-seed "
        "ratios (min-max) | fit CPU / book | XLA arms: compile s (first epoch - uncompiled arm's); "
        "MAE / uncompiled arm's (min-max) |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for name in args.models:
        for arm in arms[1:]:
            later = med(name, arm, "later") / med(name, "book", "later")
            mae = ratios(name, arm, "mae")
            of_medians = med(name, arm, "mae") / med(name, "book", "mae")
            cpu = med(name, arm, "cpu") / med(name, "book", "cpu")
            uncompiled = COMPILED.get(arm)
            compiled = "-"
            if uncompiled in arms:
                compile_s = statistics.median(
                    x["first"] - u["first"] for x, u in zip(results[name, arm], results[name, uncompiled])
                )
                same = ratios(name, arm, "mae", base=uncompiled)
                compiled = f"{compile_s:.2f}; {statistics.median(same):.4f} ({min(same):.4f}-{max(same):.4f})"
            print(
                f"| {name} | {arm} | {later:.2f} | {of_medians:.3f}; {statistics.median(mae):.3f} "
                f"({min(mae):.3f}-{max(mae):.3f}) | {cpu:.2f} | {compiled} |"
            )
    print(f"\nload average (1, 5, 15 min): {load_before} before, {load_after} after; {minutes:.1f} min")


if __name__ == "__main__":
    main()
