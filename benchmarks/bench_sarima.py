"""SARIMAEstimator against a bare scikit-learn wrapper and raw statsmodels.

Measures, in one run, on the CTA rail series 2019-01-01 .. 2019-05-31:

1. The textbook's daily-refit evaluation: SARIMA(1, 0, 0)(0, 1, 1, 7) refitted
   for each of the 92 days 2019-03-01 .. 2019-05-31 and forecast one day
   ahead, three ways: the book's raw statsmodels loop, ``cross_val_score``
   with ``TimeSeriesSplit(n_splits=92, test_size=1)`` over a bare wrapper
   (no validation, no index handling, defined below), and the same CV over
   ``skts.forecasting.SARIMAEstimator``. All three must give the same MAE to 1e-6.
   Then the same CV through both wrappers with the statsmodels calls stubbed
   out, which isolates skts' own cost per split (validation, time index).
2. A larger grid search, p, d, q in {0, 1, 2} x {0, 1} x {0, 1, 2} and P, Q
   in {0, 1} with D=1 at season length 7 (72 candidates x 5 folds of 14
   days), through the bare wrapper and through skts at ``n_jobs=1``, and
   through skts at ``n_jobs=2``; the n_jobs=1 runs also count the warnings
   each shows the user.
3. BLAS threads: 10 fits through raw statsmodels and through skts in a
   subprocess with OpenBLAS' default thread count, since skts limits BLAS
   to one thread around statsmodels' calls.

Parts 1 and 2 run with ``OPENBLAS_NUM_THREADS=1`` (set below, before NumPy
loads), so the comparison measures skts' overhead and not BLAS threading.
Variants alternate inside each repeat and the medians are reported, as
wall-clock and as CPU seconds of this process: on a shared machine the CPU
time is the steadier measure of the work done. The load average is printed
before and after.

Usage: SKTS_DATA_HOME=../shared/data python benchmarks/bench_sarima.py [--repeats 5] [--grid-repeats 3]
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
import statsmodels  # noqa: E402
from sklearn.base import BaseEstimator, RegressorMixin  # noqa: E402
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score  # noqa: E402
from statsmodels.tsa.arima.model import ARIMA  # noqa: E402

from skts.forecasting import SARIMAEstimator  # noqa: E402
from skts.datasets import load_ridership  # noqa: E402

BOOK = dict(p=1, d=0, q=0, P=0, D=1, Q=1, season_length=7)
GRID = {"p": [0, 1, 2], "d": [0, 1], "q": [0, 1, 2], "P": [0, 1], "Q": [0, 1]}


class BareSARIMA(RegressorMixin, BaseEstimator):
    """The least a scikit-learn wrapper of statsmodels' ARIMA must do."""

    def __init__(self, p=1, d=0, q=0, P=0, D=0, Q=0, season_length=1):
        self.p = p
        self.d = d
        self.q = q
        self.P = P
        self.D = D
        self.Q = Q
        self.season_length = season_length

    def fit(self, X, y):
        seasonal = (self.P, self.D, self.Q, self.season_length)
        self.results_ = ARIMA(np.asarray(y, dtype=float), order=(self.p, self.d, self.q), seasonal_order=seasonal).fit()
        return self

    def predict(self, X):
        return np.asarray(self.results_.forecast(len(X)))


class SktsWithoutStatsmodels(SARIMAEstimator):
    """skts with the statsmodels calls taken out: what is left is the wrapper's own cost."""

    def _fit(self, y, X):
        pass

    def _predict(self, horizon, X):
        return np.zeros((horizon, 1))


class BareWithoutStatsmodels(BareSARIMA):
    """The bare wrapper with the statsmodels calls taken out."""

    def fit(self, X, y):
        np.asarray(y, dtype=float)
        return self

    def predict(self, X):
        return np.zeros(len(X))


def textbook_loop(rail):
    """The book's loop, as printed: refit on rail[origin:today], forecast tomorrow."""
    origin, start_date, end_date = "2019-01-01", "2019-03-01", "2019-05-31"
    time_period = pd.date_range(start_date, end_date)
    rail_series = rail.loc[origin:end_date].asfreq("D")
    y_preds = []
    for today in time_period.shift(-1):
        model = ARIMA(rail_series[origin:today], order=(1, 0, 0), seasonal_order=(0, 1, 1, 7))
        model = model.fit()
        y_preds.append(model.forecast().iloc[0])
    y_preds = pd.Series(y_preds, index=time_period)
    return (y_preds - rail_series[time_period]).abs().mean()


def cv_mae(estimator, X, y):
    cv = TimeSeriesSplit(n_splits=92, test_size=1)
    return -cross_val_score(estimator, X, y, cv=cv, scoring="neg_mean_absolute_error").mean()


def timed(func, *args):
    """Wall-clock and CPU seconds of this process (CPU time is steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def grid_search(estimator, X, y, n_jobs):
    search = GridSearchCV(
        estimator,
        GRID,
        cv=TimeSeriesSplit(n_splits=5, test_size=14),
        scoring="neg_mean_absolute_error",
        n_jobs=n_jobs,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    return search, len(caught)


BLAS_SNIPPET = """
import sys, time, warnings
import numpy as np
from statsmodels.tsa.arima.model import ARIMA
from skts.forecasting import SARIMAEstimator
from skts.datasets import load_ridership
warnings.simplefilter("ignore")
y = load_ridership()["rail"]["2019-01":"2019-05"].to_numpy(float)
def raw():
    for n in range(130, 140):
        ARIMA(y[:n], order=(1, 0, 0), seasonal_order=(0, 1, 1, 7)).fit()
def skts():
    for n in range(130, 140):
        SARIMAEstimator(p=1, D=1, Q=1, season_length=7).fit(np.empty((n, 0)), y[:n])
func = raw if sys.argv[1] == "raw" else skts
start = time.perf_counter()
func()
print(time.perf_counter() - start)
"""


def blas_default_seconds(which):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", BLAS_SNIPPET, which], env=env, check=True, capture_output=True, text=True
    )
    return float(out.stdout.split()[-1])


def report(times, reference, per):
    """One markdown row per variant: medians of wall and CPU seconds, ratios to ``reference``."""
    wall_ref = statistics.median(t[0] for t in times[reference])
    cpu_ref = statistics.median(t[1] for t in times[reference])
    for name, runs in times.items():
        wall = statistics.median(t[0] for t in runs)
        cpu = statistics.median(t[1] for t in runs)
        listed = ", ".join(f"{t[0]:.2f}/{t[1]:.2f}" for t in runs)
        print(
            f"| {name} | {wall:.2f} | {wall / wall_ref:.3f} | {cpu:.2f} | {cpu / cpu_ref:.3f} | "
            f"{1000 * cpu / per:.1f} |  wall/CPU runs: {listed}"
        )


def machine():
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pd.__version__}, scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}"
    )


def load():
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the 92-refit CV")
    parser.add_argument("--grid-repeats", type=int, default=3, help="repeats of each grid search")
    parser.add_argument("--blas-repeats", type=int, default=3, help="repeats of the BLAS-threads check")
    args = parser.parse_args()

    print(machine())
    print(f"start: {load()}")
    rail = load_ridership()["rail"]
    y = rail["2019-01":"2019-05"].astype(float)
    X = pd.DataFrame(index=y.index)

    # 1. The 92 daily refits, three ways, alternating.
    variants = {
        "textbook raw statsmodels loop": lambda: textbook_loop(rail),
        "bare wrapper + cross_val_score": lambda: cv_mae(BareSARIMA(**BOOK), X, y),
        "skts SARIMAEstimator + cross_val_score": lambda: cv_mae(SARIMAEstimator(**BOOK), X, y),
    }
    times = {name: [] for name in variants}
    maes = {}
    for repeat in range(args.repeats):
        names = list(variants)
        names = names[repeat % 3 :] + names[: repeat % 3]
        for name in names:
            seconds, maes[name] = timed(variants[name])
            times[name].append(seconds)
    reference = maes["textbook raw statsmodels loop"]
    worst = max(abs(mae - reference) / reference for mae in maes.values())
    assert worst <= 1e-6, f"MAE differ: {maes}"
    print(f"\n## 92 daily refits, MAE {reference:,.1f} riders (max relative difference {worst:.1e})")
    print(f"medians of {args.repeats} | variant | wall s | wall ratio | CPU s | CPU ratio | CPU ms per fit")
    report(times, "bare wrapper + cross_val_score", per=92)

    # 1b. The wrappers' own cost, statsmodels stubbed out: steadier than the
    # difference of two noisy totals.
    stubs = {
        "bare wrapper without statsmodels": lambda: cv_mae(BareWithoutStatsmodels(**BOOK), X, y),
        "skts without statsmodels": lambda: cv_mae(SktsWithoutStatsmodels(**BOOK), X, y),
    }
    stub_cpu = {name: [] for name in stubs}
    for repeat in range(5 * args.repeats):
        for name in list(stubs)[:: 1 if repeat % 2 else -1]:
            stub_cpu[name].append(timed(stubs[name])[0][1])
    skts_cpu = statistics.median(stub_cpu["skts without statsmodels"])
    bare_cpu = statistics.median(stub_cpu["bare wrapper without statsmodels"])
    overhead = (skts_cpu - bare_cpu) / 92
    bare_fit = statistics.median(t[1] for t in times["bare wrapper + cross_val_score"]) / 92
    print(
        f"skts' own overhead: {1000 * overhead:.2f} CPU ms per split (median of {5 * args.repeats}), "
        f"{100 * overhead / bare_fit:.1f}% of the bare wrapper's {1000 * bare_fit:.1f} CPU ms per split"
    )

    # 2. The larger grid, 72 candidates x 5 folds + refit = 361 fits per search.
    base = dict(D=1, season_length=7)
    grid_variants = {
        "bare wrapper, n_jobs=1": (BareSARIMA(**base), 1),
        "skts, n_jobs=1": (SARIMAEstimator(**base), 1),
        "skts, n_jobs=2": (SARIMAEstimator(**base), 2),
    }
    grid_times = {name: [] for name in grid_variants}
    results = {}
    for repeat in range(args.grid_repeats):
        names = list(grid_variants)
        names = names[repeat % 3 :] + names[: repeat % 3]
        for name in names:
            estimator, n_jobs = grid_variants[name]
            seconds, results[name] = timed(grid_search, estimator, X, y, n_jobs)
            grid_times[name].append(seconds)
    bare_search, bare_warnings = results["bare wrapper, n_jobs=1"]
    skts_search, skts_warnings = results["skts, n_jobs=1"]
    assert_same = np.allclose(
        bare_search.cv_results_["mean_test_score"], skts_search.cv_results_["mean_test_score"], rtol=1e-6
    )
    assert assert_same, "bare wrapper and skts grid scores differ"
    n_fits = len(bare_search.cv_results_["params"]) * 5 + 1
    best = f"best {skts_search.best_params_}, MAE {-skts_search.best_score_:,.1f}"
    print(f"\n## grid search, {n_fits} fits per search, {best}")
    print(f"warnings shown (n_jobs=1): bare wrapper {bare_warnings}, skts {skts_warnings}")
    print(f"medians of {args.grid_repeats} | variant | wall s | wall ratio | main-process CPU s | CPU ratio | ms/fit")
    report(grid_times, "bare wrapper, n_jobs=1", per=n_fits)

    # 3. Default BLAS threads, in fresh processes.
    blas = {"raw": [], "skts": []}
    for _ in range(args.blas_repeats):
        for which in blas:
            blas[which].append(blas_default_seconds(which))
    print("\n## 10 fits with OpenBLAS' default thread count (fresh processes)")
    for which, runs in blas.items():
        print(f"| {which} | {statistics.median(runs):.2f} |  runs: " + ", ".join(f"{t:.2f}" for t in runs))
    print(f"\nend: {load()}")


if __name__ == "__main__":
    main()
