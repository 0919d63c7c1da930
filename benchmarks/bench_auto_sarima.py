"""AutoSARIMA against pmdarima, statsforecast, a SARIMA grid search and seasonal naive.

Nine real series that ship inside pip packages (no network; see
benchmarks/_auto_sarima_data.py): three monthly, three quarterly, three
yearly. Each method is fitted on the rows before a forecast origin and
forecasts ``horizon`` rows (two seasons, 10 for yearly data):

- holdout: the origin leaves the last ``horizon`` rows out;
- rolling: three origins, ``season_length`` rows apart (2 for yearly data),
  the last of them the holdout origin; each origin is refitted.

MASE scales the mean absolute error by the in-sample MAE of the seasonal
naive forecast (lag ``season_length``, lag 1 for yearly data) on the same
training rows. Per method: MASE per series, the geometric mean over series,
and total CPU seconds (fits and forecasts, time.process_time) over all fits.
statsforecast compiles with numba on first use: one warm-up fit runs before
the clock starts.

Run with single-threaded BLAS (multi-threaded OpenBLAS makes every
statsmodels-based method crawl on a 2-core machine):

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_auto_sarima.py [--only NAME ...]

Needs the peers: ``pip install ".[bench]"`` (pmdarima, statsforecast).
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _auto_sarima_data import load_series  # noqa: E402


def _skts_auto(y, m, h):
    from skts import AutoSARIMA

    model = AutoSARIMA(season_length=m).fit(None, y)
    return model.predict(np.empty((h, 0))), model


def _skts_grid(y, m, h):
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    from skts import SARIMAEstimator

    seasonal = dict(D=1, Q=1, season_length=m) if m > 1 else {}
    grid = {"p": [0, 1, 2], "d": [0, 1], "q": [0, 1], "trend": ["n", "c"]}
    search = GridSearchCV(
        SARIMAEstimator(**seasonal),
        grid,
        cv=TimeSeriesSplit(n_splits=3, test_size=h),
        scoring="neg_mean_absolute_error",
        error_score=np.nan,
    )
    search.fit(np.empty((len(y), 0)), y)
    return search.predict(np.empty((h, 0))), search.best_params_


def _pmdarima(y, m, h):
    import pmdarima

    model = pmdarima.auto_arima(y, m=m, seasonal=m > 1, suppress_warnings=True, error_action="ignore")
    return np.asarray(model.predict(h)), model.order + model.seasonal_order


def _statsforecast(y, m, h):
    from statsforecast.models import AutoARIMA

    model = AutoARIMA(season_length=m).fit(y)
    return np.asarray(model.predict(h)["mean"]), None


def _naive(y, m, h):
    season = y[-m:]
    return np.resize(season, h) if m > 1 else np.repeat(y[-1], h), None


METHODS = {
    "AutoSARIMA": _skts_auto,
    "GridSearchCV(SARIMA)": _skts_grid,
    "pmdarima.auto_arima": _pmdarima,
    "statsforecast AutoARIMA": _statsforecast,
    "seasonal naive": _naive,
}


def _mase(train, actual, forecast, m):
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(actual - forecast)) / scale)


def _geomean(values):
    return float(np.exp(np.mean(np.log(values))))


def drift_demo():
    """The airline series, last two years held out: the same orders without and with drift."""
    from skts import SARIMAEstimator

    name, y, m, _, h = load_series()[0]
    train, actual = y[:-h], y[-h:]
    print(f"\n### Drift on {name} (holdout {h}): MASE\n")
    print("| model | trend='n' | trend='c' (drift) |")
    print("|---|---|---|")
    for orders in (dict(p=1, D=1, Q=1), dict(p=2, D=1), dict(p=1, d=1, q=1, D=1, Q=1)):
        scores = []
        for trend in ("n", "c"):
            model = SARIMAEstimator(**orders, season_length=m, trend=trend).fit(None, train)
            scores.append(_mase(train, actual, model.predict(np.empty((h, 0))), m))
        label = f"SARIMA({orders.get('p', 0)},{orders.get('d', 0)},{orders.get('q', 0)})"
        label += f"({orders.get('P', 0)},{orders.get('D', 0)},{orders.get('Q', 0)},{m})"
        print(f"| {label} | {scores[0]:.3f} | {scores[1]:.3f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="series names")
    parser.add_argument("--methods", nargs="*", help="method names")
    parser.add_argument("--drift", action="store_true", help="only the airline drift comparison")
    args = parser.parse_args()
    if args.drift:
        warnings.simplefilter("ignore")
        drift_demo()
        return
    print(f"load before: {os.getloadavg()}  OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    warnings.simplefilter("ignore")
    methods = {k: v for k, v in METHODS.items() if not args.methods or k in args.methods}
    if "statsforecast AutoARIMA" in methods:
        _statsforecast(np.sin(np.arange(48.0)) + np.arange(48.0), 12, 3)  # numba warm-up
    series = [s for s in load_series() if not args.only or s[0] in args.only]
    holdout = {k: {} for k in methods}
    rolling = {k: {} for k in methods}
    seconds = {k: 0.0 for k in methods}
    for name, y, m, freq, h in series:
        step = m if m > 1 else 2
        scale_lag = m if m > 1 else 1
        for method, func in methods.items():
            scores, chosen = [], None
            for k in (2, 1, 0):
                end = len(y) - h - k * step
                train, actual = y[:end], y[end : end + h]
                start = time.process_time()
                forecast, info = func(train, m, h)
                seconds[method] += time.process_time() - start
                scores.append(_mase(train, actual, forecast, scale_lag))
                if k == 0:
                    chosen = info
            holdout[method][name] = scores[-1]
            rolling[method][name] = float(np.mean(scores))
            label = chosen
            if method == "AutoSARIMA":
                label = f"{chosen.order_}{chosen.seasonal_order_} {chosen.trend_} ({chosen.n_candidates_} fits, {chosen.n_failed_} skipped)"
            print(f"{name:16s} {freq:9s} {method:24s} holdout {scores[-1]:.3f} rolling {np.mean(scores):.3f}  {label or ''}", flush=True)
    names = [s[0] for s in series]
    for title, table in (("Holdout", holdout), ("Rolling, 3 origins (mean MASE per series)", rolling)):
        print(f"\n### {title}: MASE\n")
        print("| series | " + " | ".join(methods) + " |")
        print("|---" * (len(methods) + 1) + "|")
        for name in names:
            print(f"| {name} | " + " | ".join(f"{table[k][name]:.3f}" for k in methods) + " |")
        print("| **geometric mean** | " + " | ".join(f"**{_geomean(list(table[k].values())):.3f}**" for k in methods) + " |")
    print("\n### CPU seconds (all fits: 3 origins x series)\n")
    print("| " + " | ".join(methods) + " |")
    print("|---" * len(methods) + "|")
    print("| " + " | ".join(f"{seconds[k]:.1f}" for k in methods) + " |")
    print(f"\nload after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
