"""SARIMA no-refit backtests: cost of horizon 7 against horizon 1.

SARIMA(1,0,0)(0,1,1,7) is fitted once on the 2018 rail series, then
``backtest(..., refit=False)`` forecasts from every origin of 2019 with
``horizon=1`` and ``horizon=7``. The script prints the median wall and CPU
seconds of each (the fit included, as a user pays it) and checks that the
7-step forecasts equal a per-origin ``predict``/``update`` loop.

Run from the repository root::

    SKTS_DATA_HOME=../shared/data OPENBLAS_NUM_THREADS=1 python benchmarks/bench_rolling.py --repeats 5

``--no-check`` skips the per-origin reference loop (it takes tens of
seconds), for timing an older checkout that lacks the rolling method.
"""

import argparse
import statistics
import time
import warnings

import numpy as np
import pandas as pd

from skts.forecasting import SARIMAEstimator
from skts.datasets import load_ridership
from skts.model_selection import backtest


def _timed(func):
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _per_origin_loop(rail, horizon):
    """The reference: fit on 2018, then predict and update origin by origin."""
    history = rail[:"2018-12-31"]
    model = SARIMAEstimator(p=1, D=1, Q=1, season_length=7).fit(None, history)
    future = rail["2019-01-01":]
    forecasts = []
    for origin in range(len(future) - horizon + 1):
        rows = pd.DataFrame(index=future.index[origin : origin + horizon])
        forecasts.append(model.predict(rows))
        model.update(None, future.iloc[origin : origin + 1])
    return np.concatenate(forecasts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-check", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rail = load_ridership()["rail"]["2018-01-01":"2019-12-31"].astype(float)
    model = SARIMAEstimator(p=1, D=1, Q=1, season_length=7)
    times = {}
    frames = {}
    for horizon in (1, 7):
        runs = []
        for _ in range(args.repeats):
            frame, wall, cpu = _timed(
                lambda: backtest(model, None, rail, start="2019-01-01", horizon=horizon, refit=False)
            )
            runs.append((wall, cpu))
        frames[horizon] = frame
        times[horizon] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
        print(
            f"horizon={horizon}: {len(frame) // horizon} origins, median wall {times[horizon][0]:.3f} s, "
            f"CPU {times[horizon][1]:.3f} s over {args.repeats} runs"
        )
    print(
        f"horizon 7 / horizon 1: wall {times[7][0] / times[1][0]:.2f}x, CPU {times[7][1] / times[1][1]:.2f}x"
    )
    if not args.no_check:
        reference = _per_origin_loop(rail, 7)
        gap = np.abs(frames[7]["forecast"].to_numpy() - reference).max()
        print(f"horizon 7 against the per-origin predict/update loop: max |difference| = {gap:.2e} riders")


if __name__ == "__main__":
    main()
