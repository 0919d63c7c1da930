"""The textbook's three ridership networks on each Keras 3 backend: epoch time and MAE.

Trains ``simple_rnn``, ``gru`` and ``wavenet`` of :mod:`bench_neural` (the
book's SimpleRNN, GRU sequence-to-sequence and WaveNet, at its settings:
SGD with momentum 0.9, Huber loss, batches of 32, the book's ``/ 1e6`` rail
data, 2016-2018) through skts's forecasters, once per backend and seed, for
a fixed number of epochs without validation. Keras fixes its backend when
it is first imported, so every (backend, seed) pair runs in a fresh Python
process with ``KERAS_BACKEND`` set; the order of the backends rotates from
seed to seed, so that a change in the machine's load does not always fall
on the same backend. Each backend runs at skts's defaults
(``jit_compile="auto"``: compiled with XLA on JAX, not on TensorFlow or
PyTorch).

Measured per model and backend:

- seconds per epoch: the median over the epochs of one fit (wall time, a
  Keras callback), then the median over seeds; the ratio divides by
  TensorFlow's. The first epoch (tracing or compiling) is reported apart;
- CPU seconds of the whole fit (this process, all threads), median over
  seeds;
- validation MAE in riders over January-May 2019, as :mod:`bench_neural`
  scores it (the last step of every one of the book's validation windows,
  all steps ahead averaged), mean and standard deviation over seeds.

Usage::

    SKTS_DATA_HOME=../shared/data python benchmarks/bench_keras_backends.py
    SKTS_DATA_HOME=../shared/data python benchmarks/bench_keras_backends.py --quick  # 2 epochs, 1 seed

Prints the table of ``docs/benchmarks/keras_backends.md``.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODELS = ("simple_rnn", "gru", "wavenet")
TITLES = {"simple_rnn": "SimpleRNN, 1 step", "gru": "GRU seq2seq, 14 steps", "wavenet": "WaveNet seq2seq, 14 steps"}
BACKENDS = ("tensorflow", "jax", "torch")


def run_worker(models, seed, epochs):
    """Train every model once on this process's backend; print one JSON line per model."""
    import logging
    import warnings

    sys.path.insert(0, str(HERE))
    import bench_neural  # imports Keras: the backend is KERAS_BACKEND's

    warnings.filterwarnings("ignore", category=UserWarning)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    data = bench_neural.load_data()
    for name in models:
        cpu_start = time.process_time()
        result = bench_neural.run_skts(name, data, seed=seed, epochs=epochs, early_stopping=False)
        seconds = result["epoch_seconds"]
        print(
            json.dumps(
                dict(
                    model=name,
                    seed=seed,
                    mae=result["mae"],
                    first_epoch=seconds[0],
                    epoch=statistics.median(seconds[1:] or seconds),
                    fit_seconds=result["fit_seconds"],
                    # Fit and validation walk: both run on the backend.
                    cpu_seconds=time.process_time() - cpu_start,
                )
            ),
            flush=True,
        )


def run_backend(backend, models, seed, epochs):
    environment = {**os.environ, "KERAS_BACKEND": backend}
    command = [sys.executable, __file__, "--worker", "--seed", str(seed), "--epochs", str(epochs), "--models", *models]
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if finished.returncode:
        raise RuntimeError(f"{backend}, seed {seed} failed:\n{finished.stderr[-3000:]}")
    return [json.loads(line) for line in finished.stdout.splitlines() if line.startswith("{")]


def versions(backends):
    """Backend library versions, read without importing them into this process."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("keras", "tensorflow", "tensorflow-cpu", "jax", "jaxlib", "torch"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def summarise(results, models, backends):
    lines = [
        "| model | backend | s / epoch | ratio to TensorFlow | first epoch s | fit CPU s | MAE mean | MAE sd |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in models:
        runs = {b: [r for r in results if r["backend"] == b and r["model"] == name] for b in backends}
        reference = statistics.median(r["epoch"] for r in runs["tensorflow"]) if runs.get("tensorflow") else None
        for backend in backends:
            rows = runs[backend]
            if not rows:
                continue
            epoch = statistics.median(r["epoch"] for r in rows)
            maes = [r["mae"] for r in rows]
            spread = statistics.stdev(maes) if len(maes) > 1 else float("nan")
            ratio = f"{epoch / reference:.2f}" if reference else ""
            lines.append(
                f"| {TITLES[name]} | {backend} | {epoch:.3f} | {ratio} | "
                f"{statistics.median(r['first_epoch'] for r in rows):.2f} | "
                f"{statistics.median(r['cpu_seconds'] for r in rows):.1f} | "
                f"{statistics.mean(maes):,.0f} | {spread:,.0f} |"
            )
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0, 1, ...")
    parser.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--quick", action="store_true", help="2 epochs, 1 seed")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args.models, args.seed, args.epochs)
        return
    if args.quick:
        args.epochs, args.seeds = 2, 1

    load_before = os.getloadavg()
    started = time.perf_counter()
    results = []
    for seed in range(args.seeds):
        shift = seed % len(args.backends)
        for backend in args.backends[shift:] + args.backends[:shift]:
            for row in run_backend(backend, args.models, seed, args.epochs):
                results.append({**row, "backend": backend})
                print(
                    f"{backend} {row['model']} seed {seed}: MAE {row['mae']:,.0f}, {row['epoch']:.3f} s/epoch, "
                    f"first {row['first_epoch']:.2f} s, CPU {row['cpu_seconds']:.1f} s",
                    flush=True,
                )
    load_after = os.getloadavg()
    minutes = (time.perf_counter() - started) / 60
    command = "SKTS_DATA_HOME=../shared/data python benchmarks/bench_keras_backends.py " + " ".join(sys.argv[1:])
    body = "\n".join(
        [
            f"Command: `{command.strip()}` ({minutes:.0f} min), {time.strftime('%Y-%m-%d')}.",
            "",
            f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {versions(args.backends)}. "
            f"Load average (1 min) {load_before[0]:.1f} before, {load_after[0]:.1f} after.",
            "",
            f"{args.epochs} epochs, no validation; seeds {list(range(args.seeds))}. s / epoch: median over "
            "the seeds of each fit's median epoch after the first; first epoch: tracing or compiling "
            "included; fit CPU s: the fit and the validation walk, all threads.",
            "",
            *summarise(results, args.models, args.backends),
        ]
    )
    print("\n" + body)


if __name__ == "__main__":
    main()
