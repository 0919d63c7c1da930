"""Prediction intervals on Chicago's rail ridership: are 80% and 95% intervals right 80% and 95% of the time?

After ``python -m pip install ".[plot]"``, from the repository root::

    python examples/intervals.py                        # about half a minute on 2 CPUs
    python examples/intervals.py --figure forecast.png  # also save the banded forecast
    python examples/intervals.py --smoke                # a short history: checks the set-up

Each forecaster is fitted on 2016-2018 and backtested over 2019 without
refitting: from every day, forecast the next 7 days with 80% and 95%
intervals, then condition on that day's observation. The table shows, per
step ahead, how often the actual fell inside (the empirical coverage; the
goal is the nominal coverage within 3 percentage points), with the interval
score (Winkler's: the width plus a penalty for each miss; lower is better).

- ``NaiveSeasonal`` and ``SARIMAEstimator`` have intervals of their own: the
  textbook seasonal naive interval and statsmodels' Gaussian forecast
  distribution.
- ``ConformalForecaster`` wraps any forecaster (here the same SARIMA and the
  textbook's linear model on 56-day windows). It holds out the last quarter
  of the history, forecasts it from every day in it, and turns those
  out-of-sample errors, per step ahead, into intervals.

The figure: the last eight weeks of 2019 and a two-week forecast into 2020
from the conformal SARIMA fitted on 2016-2019, shaded by its 80% and 95%
intervals.
"""

import argparse
import time

import pandas as pd
from _common import command_line, progress, report
from sklearn.linear_model import LinearRegression

from skts import NaiveSeasonal, ReductionForecaster, SARIMAEstimator
from skts.datasets import load_ridership
from skts.forecasting import ConformalForecaster
from skts.model_selection import backtest, backtest_errors

BOOK = dict(p=1, d=0, q=0, P=0, D=1, Q=1, season_length=7)
HORIZON = 7


def forecasters():
    """The rows of the table: name -> forecaster."""
    return {
        "seasonal naive (FPP3 interval)": NaiveSeasonal(season_length=7),
        "SARIMA (Gaussian interval)": SARIMAEstimator(**BOOK),
        "conformal SARIMA": ConformalForecaster(SARIMAEstimator(**BOOK), horizon=HORIZON),
        "conformal linear, 56 days": ConformalForecaster(
            ReductionForecaster(LinearRegression(), seq_length=56), horizon=HORIZON
        ),
    }


def main(argv=None):
    """Backtest the forecasters' intervals, print the calibration table, draw the figure.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``--smoke``, ``--figure PATH``); None reads ``sys.argv``.

    Returns
    -------
    table : pandas.DataFrame
        One row per forecaster: coverage at steps 1 and 7 and the worst step,
        interval scores and mean widths (means over the steps), in thousands of riders.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a short history: checks the set-up in seconds")
    parser.add_argument("--figure", metavar="PATH", help="save the banded forecast figure to this file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    # In millions, as the textbook does: statsmodels' optimiser converges to
    # a different (worse) SARIMA on the raw counts of about a million.
    rail = load_ridership()["rail"].astype(float) / 1e6
    # The smoke run: one year of history, three months of backtest.
    first, last = ("2018-01-01", "2019-03-31") if args.smoke else ("2016-01-01", "2019-12-31")
    y = rail.loc[first:last]
    rows = []
    for name, model in forecasters().items():
        progress(f"backtest: {name}")
        frame = backtest(model, None, y, start="2019-01-01", horizon=HORIZON, coverage=[0.8, 0.95])
        errors = backtest_errors(frame, ["coverage", "interval_score", "width"])
        row = {"forecaster": name}
        for c in ("80", "95"):
            nominal = int(c) / 100
            row[f"{c}%: step 1"] = 100 * errors.loc[1, f"coverage_{c}"]
            row[f"{c}%: step 7"] = 100 * errors.loc[HORIZON, f"coverage_{c}"]
            row[f"{c}%: worst miss (pp)"] = 100 * (errors[f"coverage_{c}"] - nominal).abs().max()
            row[f"{c}%: interval score (k)"] = errors[f"interval_score_{c}"].mean() * 1e3
            row[f"{c}%: width (k)"] = errors[f"width_{c}"].mean() * 1e3
        rows.append(row)
    table = pd.DataFrame(rows)
    formats = {column: ".1f" if "miss" in column else ".0f" for column in table.columns if column != "forecaster"}
    report(
        "Interval calibration on the 2019 rail ridership, 7-day rolling backtest",
        table,
        formats,
        time.perf_counter() - start,
        command_line("intervals.py", argv),
    )
    if args.figure:
        _figure(y, args.figure)
    return table


def _figure(y, path):
    from skts.plotting import plot_forecast

    model = ConformalForecaster(SARIMAEstimator(**BOOK), horizon=14).fit(None, y)
    forecast = model.forecast(14, coverage=[0.8, 0.95])
    ax = plot_forecast(y, forecast, last=56, title="Rail ridership: 14-day conformal SARIMA forecast")
    ax.figure.savefig(path, dpi=100)
    progress(f"figure saved to {path}")


if __name__ == "__main__":
    main()
