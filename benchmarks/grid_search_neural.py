"""Grid searches of the neural forecasters on the ridership rail series.

Runs, on the daily rail boardings of the textbook's training and validation
period (2016-01-01 to 2019-05-31, 1247 days, in riders)::

    GridSearchCV(RNNForecaster(seq_length=56, output_length=14, epochs=E, random_state=0),
                 {"units": [16, 32], "cell": ["gru", "lstm"]},
                 cv=TimeSeriesSplit(n_splits=3, test_size=14),
                 scoring="neg_mean_absolute_error", n_jobs=2)

and the same with ``WaveNetForecaster`` over ``filters`` and ``n_blocks``.
Each fold forecasts the 14 days after its history in one network call (the
direct ``output_length=14`` head), so the score is the MAE of 14-day forecasts
from three origins. The seasonal naive forecast ("same day last week") on
the same folds is printed for scale. The best estimator of each search is
then dumped with joblib, loaded back, and both forecast the 14 days after
the series: the script fails unless the forecasts are identical.

Usage::

    SKTS_DATA_HOME=../shared/data python benchmarks/grid_search_neural.py [--epochs 10]
"""

import argparse
import tempfile
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score

from skts.forecasting import NaiveSeasonal
from skts.neural import RNNForecaster, WaveNetForecaster
from skts.datasets import load_ridership


def rail_series():
    rail = load_ridership()["rail"].loc["2016-01-01":"2019-05-31"].astype(float)
    return pd.DataFrame(index=rail.index), rail


def run_search(name, estimator, grid, X, y, cv):
    search = GridSearchCV(estimator, grid, cv=cv, scoring="neg_mean_absolute_error", n_jobs=2)
    start = time.perf_counter()
    search.fit(X, y)
    elapsed = time.perf_counter() - start
    results = pd.DataFrame(search.cv_results_)
    table = pd.DataFrame(
        {
            "params": results["params"].map(lambda p: ", ".join(f"{k}={v}" for k, v in p.items())),
            "MAE (riders)": -results["mean_test_score"],
            "MAE std": results["std_test_score"],
            "fit s": results["mean_fit_time"],
            "rank": results["rank_test_score"],
        }
    )
    print(f"\n## {name}: {len(results)} candidates x {cv.get_n_splits()} folds, n_jobs=2, {elapsed:.1f} s")
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    print(f"best: {search.best_params_}, MAE {-search.best_score_:,.0f} riders, refit {search.refit_time_:.1f} s")
    return search.best_estimator_


def check_round_trip(name, best, y):
    future = pd.DataFrame(index=pd.date_range(y.index[-1], periods=best.output_length + 1, freq="D")[1:])
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "best.joblib"
        joblib.dump(best, path)
        size = path.stat().st_size
        loaded = joblib.load(path)
    before, after = best.predict(future), loaded.predict(future)
    identical = np.array_equal(before, after)
    print(
        f"{name} joblib round trip: {size / 1024:.0f} KiB, 14-day forecasts identical: {identical} "
        f"(first three: {np.round(after[:3]).tolist()})"
    )
    if not identical:
        raise SystemExit(f"{name}: forecasts changed through joblib (max diff {np.abs(before - after).max()})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10, help="training epochs per fit (default 10)")
    args = parser.parse_args()

    X, y = rail_series()
    cv = TimeSeriesSplit(n_splits=3, test_size=14)
    print(f"rail boardings {y.index[0].date()} to {y.index[-1].date()}: {len(y)} days; epochs={args.epochs}")
    naive = -cross_val_score(NaiveSeasonal(season_length=7), X, y, cv=cv, scoring="neg_mean_absolute_error")
    print(f"seasonal naive (same day last week) on the same folds: MAE {naive.mean():,.0f} riders")

    rnn = run_search(
        "RNNForecaster",
        RNNForecaster(seq_length=56, output_length=14, epochs=args.epochs, random_state=0),
        {"units": [16, 32], "cell": ["gru", "lstm"]},
        X,
        y,
        cv,
    )
    wavenet = run_search(
        "WaveNetForecaster",
        WaveNetForecaster(seq_length=56, output_length=14, epochs=args.epochs, random_state=0),
        {"filters": [16, 32], "n_blocks": [1, 2]},
        X,
        y,
        cv,
    )
    print()
    check_round_trip("RNNForecaster", rnn, y)
    check_round_trip("WaveNetForecaster", wavenet, y)


if __name__ == "__main__":
    main()
