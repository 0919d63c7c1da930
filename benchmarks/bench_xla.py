"""XLA-compiled training (``jit_compile=True``) against the default, on the book's GRU.

The ridership GRU of Hands-On ML (3rd ed., ch. 15) through
``skts.RNNForecaster``, built exactly as in :mod:`bench_neural`
(``make_forecaster("gru", ...)``: GRU(32) sequence-to-sequence, 14 steps
ahead, 56-day multivariate windows, SGD(0.1, momentum 0.9), the book's
``/ 1e6`` data), trained ``--epochs`` fixed epochs with ``jit_compile=False``
and ``True`` for each of ``--seeds`` seeds (the two arms alternate, so load
drifts hit both). Per fit:

- first-epoch seconds: tracing, plus the XLA compile with ``jit_compile``;
- median seconds of the later epochs;
- fit CPU seconds (``time.process_time``, all threads of the process);
- validation MAE in riders over the book's validation windows, as in
  :mod:`bench_neural`.

Usage::

    SKTS_DATA_HOME=/work/shared/data python benchmarks/bench_xla.py --epochs 6 --seeds 3

Prints a Markdown table; it does not edit ``benchmarks/README.md``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_neural  # noqa: E402


def run(data, *, seed, epochs, jit_compile):
    forecaster = bench_neural.make_forecaster("gru", seed=seed, epochs=epochs, early_stopping=False)
    forecaster.set_params(jit_compile=jit_compile)
    X_train, X_valid = data["X_multivariate"]
    y_train, y_valid = data["y"]
    cpu = time.process_time()
    _, epoch_seconds, fit_seconds = bench_neural.timed(forecaster.fit, X_train, y_train)
    cpu = time.process_time() - cpu
    forecasts, actuals = bench_neural.validation_forecasts(forecaster, X_valid, y_valid)
    return dict(
        first=epoch_seconds[0],
        later=statistics.median(epoch_seconds[1:]),
        fit=fit_seconds,
        cpu=cpu,
        mae=float(abs(forecasts - actuals).mean()),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    data = bench_neural.load_data()
    print(f"load average before: {os.getloadavg()}")
    results = {False: [], True: []}
    for seed in range(args.seeds):
        for jit_compile in (False, True) if seed % 2 == 0 else (True, False):
            result = run(data, seed=seed, epochs=args.epochs, jit_compile=jit_compile)
            results[jit_compile].append(result)
            print(f"seed {seed} jit_compile={jit_compile}: " + ", ".join(f"{k} {v:.3f}" for k, v in result.items()))
    print(f"load average after: {os.getloadavg()}")

    def median(jit_compile, key):
        return statistics.median(r[key] for r in results[jit_compile])

    print(f"\n{args.epochs} epochs, seeds 0..{args.seeds - 1}, medians over the seeds\n")
    print("| jit_compile | first epoch s | later epochs s (median) | fit s | fit CPU s | validation MAE |")
    print("|---|---:|---:|---:|---:|---:|")
    for jit_compile in (False, True):
        cells = [f"{median(jit_compile, key):.3f}" for key in ("first", "later", "fit", "cpu")]
        print(f"| {jit_compile} | " + " | ".join(cells) + f" | {median(jit_compile, 'mae'):,.0f} |")
    later = median(True, "later") / median(False, "later")
    mae = median(True, "mae") / median(False, "mae")
    extra = median(True, "first") - median(False, "first")
    saved = median(False, "later") - median(True, "later")
    print(
        f"\nlater-epoch time ratio True/False {later:.2f}; MAE ratio {mae:.3f}; "
        f"extra first-epoch s {extra:.2f}, recovered after {extra / saved:.1f} epochs"
        if saved > 0
        else f"\nlater-epoch time ratio True/False {later:.2f}; MAE ratio {mae:.3f}; no epoch time saved"
    )


if __name__ == "__main__":
    main()
