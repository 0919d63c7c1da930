"""joblib backends for skts searches: one process, loky with 2 workers, a Dask cluster of 2.

Measures, in one run:

1. The 72-candidate SARIMA grid of ``bench_sarima.py`` (p, d, q in
   {0, 1, 2} x {0, 1} x {0, 1, 2}, P, Q in {0, 1}, D=1, season length 7) on
   the CTA rail series 2019-01-01 .. 2019-05-31, ``TimeSeriesSplit(n_splits=5,
   test_size=14)`` + refit = 361 fits, through ``GridSearchCV`` at
   ``n_jobs=1``, on joblib's loky backend with ``n_jobs=2``, and on a
   ``distributed.LocalCluster(n_workers=2, threads_per_worker=1)`` through
   ``joblib.parallel_backend("dask")``. The three must find the same scores.
2. The per-task overhead of each backend, twice: 2,000 no-op tasks through
   ``joblib.Parallel`` (pure scheduling cost), and the same 72-candidate
   ``GridSearchCV`` over ``NaiveSeasonal`` (season lengths 1..72, about a
   millisecond per fit), a trivially cheap estimator with the tasks and the
   data transfers of the SARIMA grid.
3. Start-up: the Dask cluster, and loky's worker processes.

Wall time and the CPU time of this process and all its children (the loky
and Dask workers are children) are recorded for every run; the CPU time is
the steadier measure on a shared machine. Backends alternate inside each
repeat; medians are reported, with the load average before each run.

Usage: SKTS_DATA_HOME=../shared/data python benchmarks/bench_distributed.py [--repeats 3]
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psutil  # noqa: E402
from joblib.externals.loky import get_reusable_executor  # noqa: E402
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit  # noqa: E402

from skts.forecasting import NaiveSeasonal, SARIMAEstimator  # noqa: E402
from skts.datasets import load_ridership  # noqa: E402

GRID = {"p": [0, 1, 2], "d": [0, 1], "q": [0, 1, 2], "P": [0, 1], "Q": [0, 1]}
NAIVE_GRID = {"season_length": list(range(1, 73))}
N_NOOP = 2000


def cpu_seconds():
    """User + system CPU seconds of this process and all its live children."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def load():
    return os.getloadavg()[0]


def measure(func):
    """(wall s, CPU s of this process tree, 1-min load before) and the result."""
    before = load()
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = func()
    return (time.perf_counter() - wall, cpu_seconds() - cpu, before), result


def grid_search(estimator, grid, X, y, n_jobs):
    search = GridSearchCV(
        estimator,
        grid,
        cv=TimeSeriesSplit(n_splits=5, test_size=14),
        scoring="neg_mean_absolute_error",
        n_jobs=n_jobs,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return search.fit(X, y)


def noop(i):
    return i


def noops(n_jobs, n_tasks=N_NOOP):
    return joblib.Parallel(n_jobs=n_jobs)(joblib.delayed(noop)(i) for i in range(n_tasks))


def in_backend(name, func):
    """Run ``func(n_jobs)`` on the named backend."""
    if name == "n_jobs=1":
        return func(1)
    if name == "loky, 2 workers":
        with joblib.parallel_backend("loky"):
            return func(2)
    with joblib.parallel_backend("dask"):
        return func(2)


def summary(runs, n_tasks=None):
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    loads = "/".join(f"{r[2]:.1f}" for r in runs)
    listed = ", ".join(f"{r[0]:.2f}/{r[1]:.2f}" for r in runs)
    per = "" if n_tasks is None else f" | {1e3 * wall / n_tasks:.3f} | {1e3 * cpu / n_tasks:.3f}"
    return f"{wall:.2f} | {cpu:.2f}{per} | {loads} | {listed}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-sarima", action="store_true", help="only the overhead measurements")
    args = parser.parse_args()

    import dask
    import distributed

    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; Python "
        f"{platform.python_version()}, joblib {joblib.__version__}, dask {dask.__version__}, "
        f"distributed {distributed.__version__}"
    )
    print(f"start: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    y = load_ridership()["rail"]["2019-01":"2019-05"].astype(float)
    X = pd.DataFrame(index=y.index)

    # 3. Start-up costs, measured once (they are paid once per session).
    get_reusable_executor().shutdown(wait=True)
    (loky_start, _, loky_load), _ = measure(lambda: noops(2, n_tasks=2))
    (dask_start, _, dask_load), cluster = measure(
        lambda: distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
    )
    client = distributed.Client(cluster)
    # The first task on each Dask worker imports skts, scikit-learn and
    # statsmodels there; loky's workers import them with their first task too.
    def warm(n_jobs):
        return grid_search(SARIMAEstimator(D=1, season_length=7), {"p": [0, 1]}, X, y, n_jobs)

    (dask_warm, _, _), _ = measure(lambda: in_backend("dask", warm))
    (loky_warm, _, _), _ = measure(lambda: in_backend("loky, 2 workers", warm))
    print("\n## start-up (once per session)")
    print(f"| loky: 2 worker processes, first trivial call | {loky_start:.2f} s | load {loky_load:.1f} |")
    print(f"| Dask: LocalCluster(n_workers=2) | {dask_start:.2f} s | load {dask_load:.1f} |")
    print(f"| first 11-fit SARIMA search (imports in the workers) | Dask {dask_warm:.2f} s, loky {loky_warm:.2f} s |")

    backends = ["n_jobs=1", "loky, 2 workers", "Dask LocalCluster, 2 workers"]
    measurements = {
        "no-op tasks": lambda n_jobs: noops(n_jobs),
        "NaiveSeasonal grid": lambda n_jobs: grid_search(NaiveSeasonal(season_length=7), NAIVE_GRID, X, y, n_jobs),
    }
    if not args.skip_sarima:
        sarima = SARIMAEstimator(D=1, season_length=7)
        measurements["SARIMA grid"] = lambda n_jobs: grid_search(sarima, GRID, X, y, n_jobs)
    times = {(m, b): [] for m in measurements for b in backends}
    scores = {}
    for repeat in range(args.repeats):
        order = backends[repeat % 3 :] + backends[: repeat % 3]
        for m, func in measurements.items():
            for b in order:
                seconds, result = measure(lambda: in_backend(b, func))
                times[m, b].append(seconds)
                if m != "no-op tasks":
                    scores[m, b] = result
                wall, cpu, before = seconds
                print(f"  {m} / {b}: wall {wall:.2f} s, CPU {cpu:.2f} s, load {before:.1f}", flush=True)
    for m in measurements:
        if m == "no-op tasks":
            continue
        reference = scores[m, "n_jobs=1"].cv_results_["mean_test_score"]
        for b in backends:
            found = scores[m, b].cv_results_["mean_test_score"]
            assert np.allclose(found, reference, rtol=1e-8, equal_nan=True), f"{m}: {b} scores differ"

    n_fits = 72 * 5 + 1
    print(f"\n## medians of {args.repeats}; CPU = this process + its children (the workers)")
    print(
        "| measurement | backend | wall s | CPU s | wall ms per task | CPU ms per task "
        "| load before each run | wall/CPU runs |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for m in measurements:
        n_tasks = N_NOOP if m == "no-op tasks" else n_fits
        for b in backends:
            print(f"| {m} ({n_tasks} tasks) | {b} | {summary(times[m, b], n_tasks)} |")
    if not args.skip_sarima:
        search = scores["SARIMA grid", "n_jobs=1"]
        best = f"best {search.best_params_}, MAE {-search.best_score_:,.1f}"
        print(f"\nSARIMA grid: all backends equal scores (rtol 1e-8); {best}")
    client.close()
    cluster.close()
    print(f"\nend: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
