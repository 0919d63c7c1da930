"""Prediction intervals: calibration on the CTA series, against statsforecast and sktime.

Protocol: each forecaster is fitted on the rail (or bus) series of
2016-01-01 .. 2018-12-31 (1,096 days, in millions of riders), then
backtested over 2019 from every day with ``refit=False`` (parameters fixed,
each origin conditions on the observations before it): one backtest with
``horizon=1`` (365 origins) and one with ``horizon=7`` (359 origins). For
80% and 95% intervals the script reports

- the empirical coverage per step ahead (share of actuals inside), and the
  worst miss over the steps against the ±3 percentage-point goal;
- the mean interval score (Winkler; Gneiting & Raftery 2007), lower is
  better; and the mean width;
- wall-clock and CPU seconds of the whole run (fit, calibration, backtest).

skts arms: ``NaiveSeasonal(7)`` (FPP3 section 5.5 interval), the textbook's
``SARIMAEstimator(1, 0, 0)(0, 1, 1, 7)`` with its native Gaussian interval,
and ``ConformalForecaster`` (default: absolute residuals, the last 25% of
the history as calibration rows, ``refit=False``) around that SARIMA and
around the textbook's linear model on 56-day windows
(``ReductionForecaster(LinearRegression(), seq_length=56)``); the signed
variant of the conformal SARIMA is listed as the alternative method.

Peers, same data and origins: statsforecast ``ARIMA`` with the same orders
and ``AutoARIMA(season_length=7)``, ``level=[80, 95]``, through
``StatsForecast.cross_validation(refit=False)``; sktime's ``ConformalIntervals``
(``method="conformal"``) around sktime's ``StatsModelsARIMA`` with the same
orders, calibrated on its last ``--sktime-calibration`` days (sktime refits
the forecaster at each calibration origin, so this is kept small) and then
updated without refitting origin by origin (``update_params=False``).
sktime runs only the 7-step backtest; its step-1 numbers come from it.

A cost section times, for the textbook SARIMA on rail, a point
``backtest(refit=False)`` against the same backtest with intervals (native,
and conformal including its calibration), medians of ``--repeats``.

Needs the peers: ``pip install -e ".[bench,sktime]"``.

Usage: SKTS_DATA_HOME=../shared/data python benchmarks/bench_intervals.py [--series rail bus]
       [--repeats 3] [--sktime-calibration 60] [--no-peers]
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402

from skts.forecasting import NaiveSeasonal, ReductionForecaster, SARIMAEstimator  # noqa: E402
from skts.datasets import load_ridership  # noqa: E402
from skts.forecasting import ConformalForecaster  # noqa: E402
from skts.metrics import interval_score  # noqa: E402
from skts.model_selection import backtest  # noqa: E402

BOOK = dict(p=1, d=0, q=0, P=0, D=1, Q=1, season_length=7)
COVERAGES = (0.8, 0.95)
TRAIN = ("2016-01-01", "2018-12-31")
TEST_END = "2019-12-31"


def skts_arms(horizon, neural=False):
    """name -> (estimator, method label)."""
    arms = {
        "skts NaiveSeasonal(7)": (NaiveSeasonal(season_length=7), "native (FPP3 5.5)"),
        "skts SARIMA": (SARIMAEstimator(**BOOK), "native (Gaussian)"),
        "skts Conformal(SARIMA)": (
            ConformalForecaster(SARIMAEstimator(**BOOK), horizon=horizon),
            "conformal, absolute",
        ),
        "skts Conformal(SARIMA), signed": (
            ConformalForecaster(SARIMAEstimator(**BOOK), horizon=horizon, method="signed"),
            "conformal, signed",
        ),
        "skts Conformal(linear, 56 days)": (
            ConformalForecaster(ReductionForecaster(LinearRegression(), seq_length=56), horizon=horizon),
            "conformal, absolute",
        ),
    }
    if neural:
        from skts.neural import RNNForecaster

        # The quickstart's GRU (32 units on 56-day windows, 7 steps at once).
        gru = RNNForecaster(cell="gru", units=32, seq_length=56, output_length=7, epochs=20, random_state=42)
        arms["skts Conformal(GRU(32), 20 epochs)"] = (ConformalForecaster(gru, horizon=horizon), "conformal, absolute")
    return arms


def timed(func):
    wall, cpu = time.perf_counter(), time.process_time()
    out = func()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def bounds_table(actual, step, lower, upper):
    """Long arrays -> per-coverage per-step coverage, interval score and width."""
    rows = {}
    for c in COVERAGES:
        lo, up = lower[c], upper[c]
        inside = (actual >= lo) & (actual <= up)
        per_step = pd.Series(inside).groupby(step).mean()
        rows[c] = {
            "per_step": per_step,
            "score": interval_score(actual, lo, up, coverage=c),
            "width": float(np.mean(up - lo)),
        }
    return rows


def run_skts(estimator, y, horizon):
    frame = backtest(estimator, None, y, start="2019-01-01", horizon=horizon, coverage=list(COVERAGES))
    lower = {c: frame[f"lower_{100 * c:g}"].to_numpy() for c in COVERAGES}
    upper = {c: frame[f"upper_{100 * c:g}"].to_numpy() for c in COVERAGES}
    return bounds_table(frame["actual"].to_numpy(), frame["step"].to_numpy(), lower, upper)


def run_statsforecast(model, y, horizon):
    from statsforecast import StatsForecast

    df = pd.DataFrame({"unique_id": "s", "ds": y.index, "y": y.to_numpy()})
    n_windows = len(y.loc["2019-01-01":]) - horizon + 1
    sf = StatsForecast(models=[model], freq="D", n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cv = sf.cross_validation(df=df, h=horizon, step_size=1, n_windows=n_windows, refit=False, level=[80, 95])
    alias = str(model)
    step = ((cv["ds"] - cv["cutoff"]) / pd.Timedelta(days=1)).astype(int).to_numpy()
    lower = {c: cv[f"{alias}-lo-{round(100 * c)}"].to_numpy() for c in COVERAGES}
    upper = {c: cv[f"{alias}-hi-{round(100 * c)}"].to_numpy() for c in COVERAGES}
    return bounds_table(cv["y"].to_numpy(), step, lower, upper)


def run_sktime(y, horizon, calibration):
    from sktime.forecasting.arima import StatsModelsARIMA
    from sktime.forecasting.conformal import ConformalIntervals

    history = y.loc[:"2018-12-31"]
    test = y.loc["2019-01-01":]
    fh = list(range(1, horizon + 1))
    arima = StatsModelsARIMA(order=(1, 0, 0), seasonal_order=(0, 1, 1, 7))
    model = ConformalIntervals(arima, method="conformal", initial_window=len(history) - calibration)
    actual, step, lower, upper = [], [], {c: [] for c in COVERAGES}, {c: [] for c in COVERAGES}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(history, fh=fh)
        for origin in range(len(test) - horizon + 1):
            if origin:
                model.update(test.iloc[origin - 1 : origin], update_params=False)
            intervals = model.predict_interval(fh=fh, coverage=list(COVERAGES))
            actual.append(test.iloc[origin : origin + horizon].to_numpy())
            step.append(np.arange(1, horizon + 1))
            for c in COVERAGES:
                lower[c].append(intervals.xs((c, "lower"), axis=1, level=(1, 2)).to_numpy().ravel())
                upper[c].append(intervals.xs((c, "upper"), axis=1, level=(1, 2)).to_numpy().ravel())
    cat = np.concatenate
    return bounds_table(
        cat(actual), cat(step), {c: cat(v) for c, v in lower.items()}, {c: cat(v) for c, v in upper.items()}
    )


def describe(name, method, table, wall, cpu, horizon):
    worst = {c: float((table[c]["per_step"] - c).abs().max()) for c in COVERAGES}
    meets = all(worst[c] <= 0.03 for c in COVERAGES)
    fmt = lambda s: " ".join(f"{100 * v:.0f}" for v in s)  # noqa: E731
    return (
        f"| {name} | {method} | {fmt(table[0.8]['per_step'])} | {fmt(table[0.95]['per_step'])} | "
        f"{100 * worst[0.8]:.1f} / {100 * worst[0.95]:.1f} {'yes' if meets else '**no**'} | "
        f"{table[0.8]['score'] * 1000:.0f} / {table[0.95]['score'] * 1000:.0f} | "
        f"{table[0.8]['width'] * 1000:.0f} / {table[0.95]['width'] * 1000:.0f} | {wall:.1f} / {cpu:.1f} |"
    )


def calibration_section(series, horizon, args):
    y = series.loc[TRAIN[0] : TEST_END]
    print(f"\n#### {series.name}, horizon {horizon} ({len(y.loc['2019-01-01':]) - horizon + 1} origins)\n")
    print(
        "| forecaster | method | coverage 80% per step (%) | coverage 95% per step (%) | "
        "worst miss 80/95 (pp), within ±3 | interval score 80/95 (k riders) | width 80/95 (k riders) | wall / CPU s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, (estimator, method) in skts_arms(horizon, args.neural).items():
        if args.arms and not any(key in name for key in args.arms):
            continue
        table, wall, cpu = timed(lambda est=estimator: run_skts(est, y, horizon))
        print(describe(name, method, table, wall, cpu, horizon), flush=True)
    if args.no_peers:
        return
    from statsforecast.models import ARIMA, AutoARIMA

    # statsforecast's own ConformalIntervals is left out: its rolling
    # cross_validation(refit=False) with 5 calibration windows did not finish
    # in 10 minutes (benchmarks/README.md).
    peers = {
        "statsforecast ARIMA": (ARIMA(order=(1, 0, 0), season_length=7, seasonal_order=(0, 1, 1)), "native (Gaussian)"),
        "statsforecast AutoARIMA": (AutoARIMA(season_length=7), "native (Gaussian)"),
    }
    for name, (model, method) in peers.items():
        table, wall, cpu = timed(lambda m=model: run_statsforecast(m, y, horizon))
        print(describe(name, method, table, wall, cpu, horizon), flush=True)
    if horizon > 1:
        table, wall, cpu = timed(lambda: run_sktime(y, horizon, args.sktime_calibration))
        print(
            describe(
                "sktime ConformalIntervals(StatsModelsARIMA)",
                f"conformal, {args.sktime_calibration} refits",
                table,
                wall,
                cpu,
                horizon,
            ),
            flush=True,
        )


def cost_section(series, args):
    y = series.loc[TRAIN[0] : TEST_END]
    print(
        f"\n#### Cost of intervals in a `backtest(refit=False)` ({series.name}, textbook SARIMA, "
        f"medians of {args.repeats})\n"
    )
    print(
        "| horizon | point backtest wall / CPU s | native intervals | ratio (CPU) "
        "| conformal intervals (with calibration) | ratio (CPU) |"
    )
    print("|---|---|---|---|---|---|")
    for horizon in (1, 7):
        runs = {"point": [], "native": [], "conformal": []}
        for _ in range(args.repeats):
            runs["point"].append(
                timed(lambda: backtest(SARIMAEstimator(**BOOK), None, y, start="2019-01-01", horizon=horizon))[1:]
            )
            runs["native"].append(
                timed(
                    lambda: backtest(
                        SARIMAEstimator(**BOOK), None, y, start="2019-01-01", horizon=horizon, coverage=[0.8, 0.95]
                    )
                )[1:]
            )
            runs["conformal"].append(
                timed(
                    lambda: backtest(
                        ConformalForecaster(SARIMAEstimator(**BOOK), horizon=horizon),
                        None,
                        y,
                        start="2019-01-01",
                        horizon=horizon,
                        coverage=[0.8, 0.95],
                    )
                )[1:]
            )
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
        print(
            f"| {horizon} | {med['point'][0]:.2f} / {med['point'][1]:.2f} "
            f"| {med['native'][0]:.2f} / {med['native'][1]:.2f} | "
            f"{med['native'][1] / med['point'][1]:.2f} | {med['conformal'][0]:.2f} / {med['conformal'][1]:.2f} | "
            f"{med['conformal'][1] / med['point'][1]:.2f} |",
            flush=True,
        )


def warm_up(peers):
    """Imports, first calls and numba compilation, so that no arm pays them."""
    y = pd.Series(np.sin(np.arange(120.0)) + 5, index=pd.date_range("2020-01-01", periods=120, freq="D"))
    backtest(SARIMAEstimator(**BOOK), None, y, start=100, horizon=2, coverage=[0.8])
    if peers:
        from statsforecast.models import ARIMA, AutoARIMA

        for model in (ARIMA(order=(1, 0, 0), season_length=7, seasonal_order=(0, 1, 1)), AutoARIMA(season_length=7)):
            # 120 days ending 2019-01-10: ten origins in "2019".
            run_statsforecast(model, y.set_axis(pd.date_range("2018-09-13", periods=120, freq="D")), 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", nargs="+", default=["rail", "bus"])
    parser.add_argument("--horizons", nargs="+", type=int, default=[1, 7])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sktime-calibration", type=int, default=60)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-cost", action="store_true")
    parser.add_argument("--neural", action="store_true", help="add a conformal GRU (needs skts[neural])")
    parser.add_argument("--arms", nargs="+", help="run only the skts arms whose name contains one of these")
    args = parser.parse_args()

    print(f"python {platform.python_version()}, {platform.machine()}, load average before: {os.getloadavg()}")
    data = load_ridership()
    warm_up(not args.no_peers)
    for name in args.series:
        series = (data[name].astype(float) / 1e6).rename(name)
        for horizon in args.horizons:
            calibration_section(series, horizon, args)
    if not args.no_cost:
        cost_section((data["rail"].astype(float) / 1e6).rename("rail"), args)
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
