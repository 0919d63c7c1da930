"""Which statsmodels SARIMAX/ARIMA fit options cut fit time without losing likelihood?

For every benchmark series (benchmarks/_auto_sarima_data.py, training part
before the holdout) and four orders the stepwise search visits, each option
is timed (CPU seconds, median of ``--repeats``) and its exact log-likelihood
compared with the default fit's:

- ``default``: ``ARIMA(...).fit()`` (parameter covariance by numerical Hessian);
- ``cov_none``: ``fit(cov_type="none")``, no covariance matrix;
- ``+low_memory``: also ``low_memory=True`` (no smoothed states kept);
- ``+concentrate_scale``: also the variance concentrated out of the likelihood;
- ``+concentrate_scale+low_memory``: both (the log-likelihood statsmodels
  reports is then wrong: it counts the diffuse burn-in rows);
- ``+simple_differencing``: SARIMAX on the differenced series (conditional
  likelihood); its exact likelihood is evaluated at its parameters;
- ``+neighbour_start``: also start from the parameters of a smaller fitted
  neighbour (zeros for the new lags), as a stepwise search can.

Run: OPENBLAS_NUM_THREADS=1 python benchmarks/bench_sarima_options.py
"""

import argparse
import os
import statistics
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _auto_sarima_data import load_series  # noqa: E402

ORDERS_SEASONAL = [((0, 1, 1), (0, 1, 1)), ((1, 1, 1), (0, 1, 1)), ((1, 1, 0), (1, 1, 0)), ((2, 1, 2), (1, 1, 1))]
ORDERS_PLAIN = [((0, 1, 1), (0, 0, 0)), ((1, 1, 1), (0, 0, 0)), ((1, 1, 0), (0, 0, 0)), ((2, 1, 2), (0, 0, 0))]
# Where a neighbour-started fit starts from: the previous order in the list.
OPTIONS = [
    "default",
    "cov_none",
    "+low_memory",
    "+concentrate_scale",
    "+concentrate_scale+low_memory",
    "+simple_differencing",
    "+neighbour_start",
]


def _fit(option, y, order, seasonal, start=None):
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    if option == "+simple_differencing":
        model = SARIMAX(y, order=order, seasonal_order=seasonal, simple_differencing=True)
        res = model.fit(disp=0, cov_type="none", maxiter=50)
        exact = ARIMA(y, order=order, seasonal_order=seasonal)
        return res, float(exact.loglike(res.params))
    model = ARIMA(y, order=order, seasonal_order=seasonal, concentrate_scale="concentrate" in option)
    kwargs = {"method_kwargs": {"maxiter": 50}}
    if option != "default":
        kwargs["cov_type"] = "none"
    if "low_memory" in option:
        kwargs["low_memory"] = True
    if option == "+neighbour_start" and start is not None:
        kwargs["start_params"] = start
    res = model.fit(**kwargs)
    return res, float(res.llf)


def _neighbour_start(prev, names):
    """Parameters of a smaller model mapped by name; zeros for new lags, its sigma2."""
    start = np.zeros(len(names))
    for i, name in enumerate(names):
        if name in prev:
            start[i] = prev[name]
    return start


def main():
    from statsmodels.tsa.arima.model import ARIMA

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"load: {os.getloadavg()}  OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    ratios = {o: [] for o in OPTIONS}
    dllf = {o: [] for o in OPTIONS}
    conv = {o: 0 for o in OPTIONS}
    rows = 0
    for name, y, m, _, h in load_series():
        train = y[:-h]
        orders = ORDERS_SEASONAL if m > 1 else ORDERS_PLAIN
        prev = None
        for order, sorder in orders:
            seasonal = (*sorder, m) if m > 1 else (0, 0, 0, 0)
            names = ARIMA(train, order=order, seasonal_order=seasonal).param_names
            start = None if prev is None else _neighbour_start(prev, names)
            times, llfs = {}, {}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for option in OPTIONS:
                    samples = []
                    for _ in range(args.repeats):
                        t0 = time.process_time()
                        res, llf = _fit(option, train, order, seasonal, start)
                        samples.append(time.process_time() - t0)
                    times[option] = statistics.median(samples)
                    llfs[option] = llf
                    conv[option] += bool(res.mle_retvals.get("converged", True)) if res.mle_retvals else 1
                    if option == "default":
                        prev = dict(zip(res.param_names, res.params))
            rows += 1
            for option in OPTIONS:
                ratios[option].append(times[option] / times["default"])
                dllf[option].append(llfs[option] - llfs["default"])
            print(
                f"{name:16s} {order}{sorder} default {times['default']:.3f}s "
                + " ".join(f"{o}:{times[o] / times['default']:.2f}/{llfs[o] - llfs['default']:+.3f}" for o in OPTIONS[1:]),
                flush=True,
            )
    print(f"\n{rows} fits; median CPU-time ratio to default, exact log-likelihood minus default's")
    print("| option | median time ratio | median Δllf | worst Δllf | fits with Δllf < -0.01 | converged |")
    print("|---|---|---|---|---|---|")
    for option in OPTIONS:
        d = np.array(dllf[option])
        print(
            f"| {option} | {statistics.median(ratios[option]):.2f} | {np.median(d):+.4f} | {d.min():+.3f} "
            f"| {(d < -0.01).sum()} | {conv[option]}/{rows} |"
        )
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
