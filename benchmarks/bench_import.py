"""Time ``import skts`` against ``import pandas, sklearn`` in fresh interpreters.

Each import runs in its own Python process (nothing cached in memory), the
statements alternate, and the medians of ``--repeats`` runs are compared.
``import skts`` loads its subpackages on first use, so the public names are
timed too: importing all of them is what a user's script pays.

Usage: python benchmarks/bench_import.py [--repeats 21]
"""

import argparse
import statistics
import subprocess
import sys

HEAVY = ("tensorflow", "keras", "matplotlib", "statsmodels")


def import_seconds(statement):
    code = (
        "import time\n"
        "t0 = time.perf_counter()\n"
        f"{statement}\n"
        "t1 = time.perf_counter()\n"
        "import sys\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(t1 - t0, ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    seconds, heavy = (out.stdout.split() + [""])[:2]
    return float(seconds), heavy


STATEMENTS = {
    "import skts": "import skts",
    "from skts import <every public name>": (
        "from skts import NaiveSeasonal, SARIMAEstimator, ReductionForecaster, Differencer, "
        "SlidingWindow, RNNForecaster, WaveNetForecaster, backtest\n"
        "import skts.metrics, skts.datasets, skts.neural"
    ),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    baseline, times, heavy = [], {label: [] for label in STATEMENTS}, set()
    for _ in range(args.repeats):
        baseline.append(import_seconds("import pandas, sklearn")[0])
        for label, statement in STATEMENTS.items():
            seconds, loaded = import_seconds(statement)
            times[label].append(seconds)
            heavy.update(filter(None, loaded.split(",")))
    base = statistics.median(baseline)
    print(f"| statement | median ms ({args.repeats} runs) | ratio to pandas + sklearn |")
    print("|---|---:|---:|")
    print(f"| import pandas, sklearn | {base * 1000:.0f} | 1.00 |")
    for label, seconds in times.items():
        ours = statistics.median(seconds)
        print(f"| {label} | {ours * 1000:.0f} | {ours / base:.2f} |")
    print(f"\nheavy modules imported: {sorted(heavy) or 'none'}")


if __name__ == "__main__":
    main()
