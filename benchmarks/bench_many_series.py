"""1,000 seasonal series, one SARIMA per series: skts against raw statsmodels and statsforecast.

Measures, in one run, on generated daily series (200 training points and 14
held-out points each; a level, a weekly pattern and AR(1) noise, different
for every series, seeded):

1. skts's per-series forecaster, ``PerSeriesForecaster(SARIMAEstimator(p=1,
   D=1, Q=1, season_length=7), n_jobs=2)``, and
   ``MultiOutputRegressor(SARIMAEstimator(...), n_jobs=2)``, fitted on the
   wide ``(200, 1000)`` table and predicting the 14 next days; the latter
   with ``fit_kwargs={"cov_type": "none"}`` and with ``"low_memory": True``
   too (both change nothing now that a fitted model keeps no statsmodels
   results); and ``SARIMAEstimator`` per series inside the raw loop's
   ``joblib.Parallel`` call, returning forecasts only;
2. the raw statsmodels code doing the same work: ``ARIMA(y, order=(1, 0, 0),
   seasonal_order=(0, 1, 1, 7)).fit().forecast(14)`` per series in
   ``joblib.Parallel(n_jobs=2)``, which separates skts's cost from
   statsmodels';
3. statsforecast's compiled ``ARIMA`` with the same orders through
   ``StatsForecast(..., n_jobs=2).forecast`` (its first call, which pays
   imports and compilation, is timed apart);
4. the seasonal naive forecast (repeat the last week) as a reference MAE.

All forecast the same 14 days of every series; the MAE is averaged over all
series and days. Then one fit is profiled (cProfile over 20 series,
serially): statsmodels model construction, start parameters, the
closed-form fit and its likelihood evaluations, and statsmodels' one filter
pass at the estimate.

Wall time and the CPU time of this process and all its children (the
workers of both libraries) are recorded; variants alternate inside each
repeat and medians are reported, with the load average before each run.

Two other measurements replace these on request:

- ``--auto N``: automatic orders, ``PerSeriesForecaster(AutoSARIMA(
  season_length=7), n_jobs=2)`` against statsforecast's ``AutoARIMA(
  season_length=7)`` with ``n_jobs=2``, on a seeded choice of ``N`` of the
  series (CPU, wall time, MAE, the seasonal naive's MAE), then cProfile over
  five AutoSARIMA fits: the functions where its time goes.
- ``--dask``: ``PerSeriesForecaster(SARIMAEstimator(...), n_jobs=-1)``
  inside ``joblib.parallel_backend("dask")`` on a
  ``distributed.LocalCluster`` of 2 worker processes, fitting and
  forecasting ``--n-series`` series: wall and CPU time (this process, the
  in-process scheduler and the workers), the client's resident memory
  before, at its peak during, and after the fit (sampled every 20 ms by a
  thread), the pickled size of the fitted forecaster, and a check that the
  first 50 columns equal serial fits.

Needs the ``bench`` extra (``pip install -e ".[bench]"``).
Usage: python benchmarks/bench_many_series.py [--n-series 1000] [--repeats 3] [--only WORD ...]
       python benchmarks/bench_many_series.py --auto 1000 --repeats 1
       python benchmarks/bench_many_series.py --dask --n-series 10000
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psutil  # noqa: E402
import statsmodels  # noqa: E402
from sklearn.multioutput import MultiOutputRegressor  # noqa: E402

from skts.forecasting import SARIMAEstimator  # noqa: E402

N_TRAIN, HORIZON, SEASON = 200, 14, 7
# statsmodels options that keep what forecasting needs: no parameter
# covariance matrix, no stored smoother output (a fitted model is ~65x smaller).
LEAN = {"cov_type": "none", "low_memory": True}
ORDER, SEASONAL = (1, 0, 0), (0, 1, 1)


def make_series(n_series, seed=0):
    """(N_TRAIN + HORIZON, n_series) array: level + weekly pattern + AR(1) noise, per series."""
    rng = np.random.default_rng(seed)
    n = N_TRAIN + HORIZON
    level = rng.uniform(50, 500, n_series)
    pattern = rng.normal(scale=0.1, size=(SEASON, n_series)) * level
    phi = rng.uniform(0.3, 0.9, n_series)
    shocks = rng.normal(scale=0.03, size=(n, n_series)) * level
    noise = np.empty((n, n_series))
    noise[0] = shocks[0]
    for t in range(1, n):
        noise[t] = phi * noise[t - 1] + shocks[t]
    return level + pattern[np.arange(n) % SEASON] + noise


def cpu_seconds():
    """CPU seconds of this process, its reaped children and its live children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
    for child in psutil.Process().children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def measure(func):
    before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = func()
    return (time.perf_counter() - wall, cpu_seconds() - cpu, before), result


# -- the variants: each returns forecasts of shape (HORIZON, n_series) ----------


def skts_forecasts(Y, fit_kwargs=None):
    model = MultiOutputRegressor(
        SARIMAEstimator(p=1, D=1, Q=1, season_length=SEASON, fit_kwargs=fit_kwargs), n_jobs=2
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(np.empty((N_TRAIN, 0)), Y)
    return model.predict(np.empty((HORIZON, 0)))


def per_series_forecasts(Y):
    """skts's per-series forecaster: one clone per column, fitted in joblib, light models returned."""
    from skts.compose import PerSeriesForecaster

    model = PerSeriesForecaster(SARIMAEstimator(p=1, D=1, Q=1, season_length=SEASON), n_jobs=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(np.empty((N_TRAIN, 0)), Y)
    return model.predict(np.empty((HORIZON, 0)))


def _skts_one(y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SARIMAEstimator(p=1, D=1, Q=1, season_length=SEASON).fit(np.empty((N_TRAIN, 0)), y)
    return model.predict(np.empty((HORIZON, 0)))


def skts_loop_forecasts(Y):
    """skts per series in the raw loop's joblib call: forecasts come back, not fitted models."""
    out = joblib.Parallel(n_jobs=2)(joblib.delayed(_skts_one)(Y[:, i]) for i in range(Y.shape[1]))
    return np.column_stack(out)


def _raw_one(y):
    from statsmodels.tsa.arima.model import ARIMA

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ARIMA(y, order=ORDER, seasonal_order=(*SEASONAL, SEASON)).fit().forecast(HORIZON)


def raw_forecasts(Y):
    out = joblib.Parallel(n_jobs=2)(joblib.delayed(_raw_one)(Y[:, i]) for i in range(Y.shape[1]))
    return np.column_stack(out)


def statsforecast_forecasts(Y):
    from statsforecast import StatsForecast
    from statsforecast.models import ARIMA

    n, k = Y.shape
    frame = pd.DataFrame(
        {"unique_id": np.repeat(np.arange(k), n), "ds": np.tile(np.arange(n), k), "y": Y.T.ravel()}
    )
    model = ARIMA(order=ORDER, seasonal_order=SEASONAL, season_length=SEASON)
    forecast = StatsForecast(models=[model], freq=1, n_jobs=2).forecast(df=frame, h=HORIZON)
    forecast = forecast.sort_values(["unique_id", "ds"])
    return forecast["ARIMA"].to_numpy().reshape(k, HORIZON).T


def naive_forecasts(Y):
    last = Y[-SEASON:]
    return last[np.arange(HORIZON) % SEASON]


# -- automatic orders: AutoSARIMA against statsforecast's AutoARIMA ---------------


def auto_skts_forecasts(Y):
    from skts.compose import PerSeriesForecaster
    from skts.forecasting import AutoSARIMA

    model = PerSeriesForecaster(AutoSARIMA(season_length=SEASON), n_jobs=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(np.empty((N_TRAIN, 0)), Y)
    return model.predict(np.empty((HORIZON, 0)))


def auto_statsforecast_forecasts(Y):
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA

    n, k = Y.shape
    frame = pd.DataFrame(
        {"unique_id": np.repeat(np.arange(k), n), "ds": np.tile(np.arange(n), k), "y": Y.T.ravel()}
    )
    forecast = StatsForecast(models=[AutoARIMA(season_length=SEASON)], freq=1, n_jobs=2).forecast(
        df=frame, h=HORIZON
    )
    forecast = forecast.sort_values(["unique_id", "ds"])
    return forecast["AutoARIMA"].to_numpy().reshape(k, HORIZON).T


def run_variants(variants, repeats):
    """Time every variant ``repeats`` times, rotating their order from repeat to repeat.

    Returns ``times`` ({name: [(wall s, CPU s, load before), ...]}) and the
    last forecasts of each variant ({name: array}).
    """
    times = {name: [] for name in variants}
    forecasts = {}
    for repeat in range(repeats):
        names = list(variants)
        names = names[repeat % len(names) :] + names[: repeat % len(names)]
        for name in names:
            seconds, forecasts[name] = measure(variants[name])
            times[name].append(seconds)
            wall, cpu, before = seconds
            print(f"  {name}: wall {wall:.2f} s, CPU {cpu:.2f} s, load {before:.1f}", flush=True)
    return times, forecasts


def print_table(forecasts, times, actual, reference, n_series):
    """The markdown table: medians of wall and CPU time, their ratios to ``reference``'s, and MAE."""
    ref_wall = statistics.median(t[0] for t in times[reference])
    ref_cpu = statistics.median(t[1] for t in times[reference])
    print(
        "| variant | wall s | CPU s | wall / statsforecast | CPU / statsforecast | CPU ms per series "
        "| MAE | load before each run |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, forecast in forecasts.items():
        mae = np.abs(forecast - actual).mean()
        if name not in times:
            print(f"| {name} | | | | | | {mae:.3f} | |")
            continue
        wall = statistics.median(t[0] for t in times[name])
        cpu = statistics.median(t[1] for t in times[name])
        loads = "/".join(f"{t[2]:.1f}" for t in times[name])
        print(
            f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / ref_wall:.2f} | {cpu / ref_cpu:.2f} | "
            f"{1e3 * cpu / n_series:.2f} | {mae:.3f} | {loads} |"
        )


def run_auto(data, n_auto, repeats):
    """AutoSARIMA and statsforecast's AutoARIMA on a seeded subset of the series, in one run."""
    columns = np.sort(np.random.default_rng(1).choice(data.shape[1], size=min(n_auto, data.shape[1]), replace=False))
    Y, actual = data[:N_TRAIN, columns], data[N_TRAIN:, columns]
    # statsforecast compiles its code on its first call: paid here, apart.
    # skts's first call starts loky's workers, which import skts and statsmodels.
    (cold, cold_cpu, _), _ = measure(lambda: auto_statsforecast_forecasts(Y[:, :4]))
    (skts_cold, skts_cold_cpu, _), _ = measure(lambda: auto_skts_forecasts(Y[:, :4]))
    print(
        f"\ncold first call on 4 series: statsforecast AutoARIMA {cold:.2f} s wall / {cold_cpu:.2f} s CPU; "
        f"skts AutoSARIMA {skts_cold:.2f} s / {skts_cold_cpu:.2f} s"
    )
    variants = {
        "skts PerSeriesForecaster(AutoSARIMA(season_length=7)), n_jobs=2": lambda: auto_skts_forecasts(Y),
        "statsforecast AutoARIMA(season_length=7), n_jobs=2": lambda: auto_statsforecast_forecasts(Y),
    }
    times, forecasts = run_variants(variants, repeats)
    forecasts["seasonal naive (last week repeated)"] = naive_forecasts(Y)
    sf_name = "statsforecast AutoARIMA(season_length=7), n_jobs=2"
    print(
        f"\n## automatic orders: {len(columns)} of the {data.shape[1]} series (seeded choice), "
        f"{HORIZON}-day forecasts; medians of {repeats}"
    )
    print_table(forecasts, times, actual, sf_name, len(columns))
    skts_name = next(iter(variants))
    per_series = np.abs(forecasts[skts_name] - actual).mean(axis=0)
    per_series_sf = np.abs(forecasts[sf_name] - actual).mean(axis=0)
    print(
        f"per-series MAE, AutoSARIMA lower than AutoARIMA on {100 * np.mean(per_series < per_series_sf):.0f}% "
        f"of series; median ratio {np.median(per_series / per_series_sf):.3f}"
    )
    profile_auto(Y)


def profile_auto(Y, n=5):
    """Where AutoSARIMA's time goes: cProfile over ``n`` fits, serially, top functions by own time."""
    from skts.forecasting import AutoSARIMA

    n = min(n, Y.shape[1])
    X = np.empty((N_TRAIN, 0))
    profiler = cProfile.Profile()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        profiler.enable()
        fitted = [AutoSARIMA(season_length=SEASON).fit(X, Y[:, i]) for i in range(n)]
        profiler.disable()
    candidates = np.mean([f.n_candidates_ for f in fitted])
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(
        f"\n## where AutoSARIMA's time goes (cProfile over {n} fits, serial; {1e3 * total / n:.0f} ms per fit "
        f"with the profiler, {candidates:.1f} candidates per fit)"
    )
    print("| function | calls per fit | cumulative ms per fit | own ms per fit | share (cumulative) |")
    print("|---|---|---|---|---|")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])
    shown = 0
    for (filename, line, funcname), (_, ncalls, own, cumulative, _) in rows:
        where = filename.replace("\\", "/")
        if not any(key in where for key in ("skts/", "statsmodels/", "scipy/")):
            continue
        short = "/".join(where.split("/")[-2:])
        print(
            f"| {short}:{line} {funcname} | {ncalls / n:.0f} | {1e3 * cumulative / n:.0f} | {1e3 * own / n:.0f} "
            f"| {100 * cumulative / total:.0f}% |"
        )
        shown += 1
        if shown == 25:
            break


# -- many series on a Dask cluster: client memory -------------------------------


class PeakRSS:
    """The largest resident set size of this process, sampled every ``interval`` seconds in a thread."""

    def __init__(self, interval=0.02):
        import threading

        self.interval, self.peak = interval, psutil.Process().memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        process = psutil.Process()
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, process.memory_info().rss)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, psutil.Process().memory_info().rss)


def run_dask(n_series):
    """Fixed-order SARIMA on ``n_series`` series through PerSeriesForecaster on a LocalCluster of 2 workers."""
    import gc
    import logging
    import pickle

    import distributed

    from skts.compose import PerSeriesForecaster

    data = make_series(n_series)
    Y, actual = data[:N_TRAIN], data[N_TRAIN:]
    X, future = np.empty((N_TRAIN, 0)), np.empty((HORIZON, 0))
    (start_wall, _, _), cluster = measure(
        lambda: distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
    )
    client = distributed.Client(cluster)
    estimator = SARIMAEstimator(p=1, D=1, Q=1, season_length=SEASON)
    try:
        with joblib.parallel_backend("dask"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # The workers import skts and statsmodels with their first tasks.
            (warm_wall, warm_cpu, _), _ = measure(lambda: PerSeriesForecaster(estimator).fit(X, Y[:, :20]))
            gc.collect()
            baseline = psutil.Process().memory_info().rss
            model = PerSeriesForecaster(estimator, n_jobs=-1)
            with PeakRSS() as fit_peak:
                (fit_wall, fit_cpu, fit_load), _ = measure(lambda: model.fit(X, Y))
            gc.collect()
            held = psutil.Process().memory_info().rss
            with PeakRSS() as predict_peak:
                (predict_wall, predict_cpu, predict_load), forecasts = measure(lambda: model.predict(future))
        # The first columns again, serially in this process: the cluster's fits must equal them.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            serial = PerSeriesForecaster(estimator).fit(X, Y[:, :50]).predict(future)
        gap = np.max(np.abs(serial - forecasts[:, :50]))
        blob = pickle.dumps(model)
    finally:
        client.close()
        cluster.close()
    mib = 1024**2
    mae = np.abs(forecasts - actual).mean()
    naive_mae = np.abs(naive_forecasts(Y) - actual).mean()
    print(
        f"\n## {n_series} series x {N_TRAIN} points on a Dask LocalCluster (2 worker processes, 1 thread each), "
        f"PerSeriesForecaster(SARIMAEstimator(p=1, D=1, Q=1, season_length=7), n_jobs=-1) "
        f'inside joblib.parallel_backend("dask")'
    )
    print(
        f"cluster start {start_wall:.1f} s; first 20-series fit (imports in the workers) {warm_wall:.1f} s wall "
        f"/ {warm_cpu:.1f} s CPU"
    )
    print("| step | wall s | CPU s (client + scheduler + workers) | CPU ms per series | load before |")
    print("|---|---|---|---|---|")
    print(f"| fit | {fit_wall:.1f} | {fit_cpu:.1f} | {1e3 * fit_cpu / n_series:.1f} | {fit_load:.1f} |")
    print(
        f"| predict {HORIZON} days | {predict_wall:.1f} | {predict_cpu:.1f} | {1e3 * predict_cpu / n_series:.1f} "
        f"| {predict_load:.1f} |"
    )
    print(
        "\n| client memory (this process; the LocalCluster's scheduler runs in it) | MiB | KiB per series |\n"
        "|---|---|---|"
    )
    print(f"| RSS before the fit (imports, data, cluster, scheduler) | {baseline / mib:.0f} | |")
    print(f"| peak RSS during the fit, above that | {(fit_peak.peak - baseline) / mib:.0f} | "
          f"{(fit_peak.peak - baseline) / 1024 / n_series:.1f} |")
    print(f"| RSS holding the fitted forecaster, above that | {(held - baseline) / mib:.0f} | "
          f"{(held - baseline) / 1024 / n_series:.1f} |")
    print(f"| peak RSS during predict, above the baseline | {(predict_peak.peak - baseline) / mib:.0f} | "
          f"{(predict_peak.peak - baseline) / 1024 / n_series:.1f} |")
    print(f"| pickled fitted PerSeriesForecaster | {len(blob) / mib:.1f} | {len(blob) / 1024 / n_series:.2f} |")
    print(
        f"\nMAE {mae:.3f} (seasonal naive {naive_mae:.3f}); first 50 columns within {gap:.1e} of serial fits "
        "in this process"
    )


# -- profile of one fit ---------------------------------------------------------

# (label, file suffix, function name): cumulative time of these calls.
PROFILED = [
    ("skts SARIMAEstimator.fit, total", "skts/forecasting/_base.py", "fit"),
    ("statsmodels ARIMA(...) construction", "statsmodels/tsa/arima/model.py", "__init__"),
    ("start parameters (statsmodels)", "statsmodels/tsa/statespace/sarimax.py", "start_params"),
    ("closed-form fit, total", "skts/forecasting/_sarima_fit.py", "fit_differenced"),
    ("  one closed-form log-likelihood evaluation (per call)", "skts/forecasting/_arma_likelihood.py", "__call__"),
    ("statsmodels filter at the estimate", "statsmodels/tsa/statespace/mlemodel.py", "filter"),
]


def profile_fits(Y, n=20):
    n = min(n, Y.shape[1])
    profiler = cProfile.Profile()
    X = np.empty((N_TRAIN, 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        profiler.enable()
        for i in range(n):
            SARIMAEstimator(p=1, D=1, Q=1, season_length=SEASON).fit(X, Y[:, i])
        profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = None
    rows = []
    for label, path, name in PROFILED:
        calls, cumulative = 0, 0.0
        for (filename, _, funcname), (_, ncalls, _, cum, _) in stats.items():
            if filename.replace("\\", "/").endswith(path) and funcname == name:
                calls += ncalls
                cumulative += cum
        if total is None:
            total = cumulative
        per_call = "per call" in label
        value = cumulative / max(calls, 1) if per_call else cumulative / n
        rows.append((label, calls / n, 1e3 * value, None if per_call else 100 * cumulative / total))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--only", nargs="+", default=None, help="run only the variants whose name contains one of these words"
    )
    parser.add_argument(
        "--auto",
        type=int,
        default=0,
        metavar="N",
        help="instead: AutoSARIMA against statsforecast's AutoARIMA on a seeded choice of N of the series",
    )
    parser.add_argument(
        "--dask",
        action="store_true",
        help="instead: fixed-order fits of --n-series series on a Dask LocalCluster of 2 workers, client memory",
    )
    args = parser.parse_args()

    import statsforecast

    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}, statsmodels {statsmodels.__version__}, "
        f"statsforecast {statsforecast.__version__}, joblib {joblib.__version__}"
    )
    print(f"start: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.dask:
        run_dask(args.n_series)
        print(f"\nend: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return
    data = make_series(args.n_series)
    if args.auto:
        run_auto(data, args.auto, args.repeats)
        print(f"\nend: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return
    Y, actual = data[:N_TRAIN], data[N_TRAIN:]

    # Cold starts: statsforecast's first call (imports, compilation, process
    # pool) and loky's worker start-up with skts's imports, on 20 series.
    (sf_cold, sf_cold_cpu, sf_load), _ = measure(lambda: statsforecast_forecasts(Y[:, :20]))
    (skts_cold, skts_cold_cpu, skts_load), _ = measure(lambda: skts_forecasts(Y[:, :20]))
    print(
        f"\ncold first call on 20 series: statsforecast {sf_cold:.2f} s wall / {sf_cold_cpu:.2f} s CPU "
        f"(load {sf_load:.1f}); skts {skts_cold:.2f} s / {skts_cold_cpu:.2f} s (load {skts_load:.1f})"
    )

    variants = {
        "skts PerSeriesForecaster(SARIMAEstimator), n_jobs=2": lambda: per_series_forecasts(Y),
        "skts MultiOutputRegressor(SARIMAEstimator), n_jobs=2": lambda: skts_forecasts(Y),
        'skts, fit_kwargs={"cov_type": "none"}': lambda: skts_forecasts(Y, {"cov_type": "none"}),
        'skts, fit_kwargs={"cov_type": "none", "low_memory": True}': lambda: skts_forecasts(Y, LEAN),
        "skts SARIMAEstimator per series in joblib, n_jobs=2 (forecasts only)": lambda: skts_loop_forecasts(Y),
        "raw statsmodels ARIMA loop, joblib n_jobs=2": lambda: raw_forecasts(Y),
        "statsforecast ARIMA, n_jobs=2": lambda: statsforecast_forecasts(Y),
    }
    if args.only:
        variants = {name: f for name, f in variants.items() if any(word in name for word in args.only)}
    times, forecasts = run_variants(variants, args.repeats)
    forecasts["seasonal naive (last week repeated)"] = naive_forecasts(Y)

    raw_name = "raw statsmodels ARIMA loop, joblib n_jobs=2"
    skts_names = [name for name in times if name.startswith("skts")]
    reference = forecasts[raw_name] if raw_name in times else None
    # skts estimates on the closed-form likelihood: statsmodels' maximum to a
    # tolerance, not bit for bit, so the forecasts differ slightly; what must
    # hold is that they are no worse.
    for name in skts_names:
        if reference is not None:
            gap = np.abs(forecasts[name] - reference) / np.abs(reference)
            print(f"  {name}: forecasts within {gap.max():.1e} (max), {np.median(gap):.1e} (median) of raw statsmodels")
    sf_name = "statsforecast ARIMA, n_jobs=2"
    print(
        f"\n## {args.n_series} series x {N_TRAIN} points, SARIMA(1, 0, 0)(0, 1, 1, 7), {HORIZON}-day forecasts; "
        f"medians of {args.repeats}"
    )
    print_table(forecasts, times, actual, sf_name, args.n_series)
    per_series = np.abs(forecasts[skts_names[0]] - actual).mean(axis=0)
    per_series_sf = np.abs(forecasts[sf_name] - actual).mean(axis=0)
    print(
        f"per-series MAE, skts lower than statsforecast on {100 * np.mean(per_series < per_series_sf):.0f}% of series; "
        f"median ratio skts/statsforecast {np.median(per_series / per_series_sf):.3f}"
    )

    print("\n## where the time of one skts fit goes (cProfile over 20 series, serial; profiler overhead included)")
    print("| part | calls per fit | ms per fit | share of skts fit |")
    print("|---|---|---|---|")
    for label, calls, ms, share in profile_fits(Y):
        share_text = "" if share is None else f"{share:.0f}%"
        print(f"| {label} | {calls:.1f} | {ms:.2f} | {share_text} |")
    # MultiOutputRegressor ships each fitted model back from its worker (and
    # to a worker again for predict): a fitted model keeps its parameters and
    # its 200 rows, not statsmodels' results.
    import pickle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = SARIMAEstimator(p=1, D=1, Q=1, season_length=SEASON).fit(np.empty((N_TRAIN, 0)), Y[:, 0])
    start = time.process_time()
    for _ in range(20):
        blob = pickle.dumps(fitted)
        pickle.loads(blob)
    round_trip = (time.process_time() - start) / 20
    print(
        f"\none fitted SARIMAEstimator pickles to {len(blob) / 1024:.0f} KiB; dumps + loads "
        f"{1e3 * round_trip:.1f} CPU ms (MultiOutputRegressor moves each fitted model twice)"
    )
    print(f"\nend: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
