"""skts in a minute: naive, SARIMA and a GRU forecasting Chicago's daily rail ridership.

After ``python -m pip install ".[neural,plot]"``, from the repository root::

    python examples/quickstart.py          # about a minute on 2 CPUs
    python examples/quickstart.py --smoke  # a 1-epoch GRU, to check the set-up

The ridership CSV is downloaded once into ``~/skts_data`` (or the folder in
``SKTS_DATA_HOME``, where a copy placed by hand is read without a download).

The forecasters are scikit-learn estimators: rows are days, ``y`` is the
series, ``X`` the covariates known in advance (here the day type: weekday,
Saturday, Sunday/holiday; empty for the models that use none). Two ways to
evaluate them, both printed in one table:

- ``skts.model_selection.backtest``: fit once on the history before March
  2019, then from every day of March-May forecast the next 7 days and
  condition on the new observation without refitting (``refit=False``);
- scikit-learn's ``cross_val_score`` with ``TimeSeriesSplit``: 13 weekly
  folds over the same months, refitting on the growing history each time
  (done for the fast statistical models only).
"""

import argparse
import time
import warnings

import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from skts import NaiveSeasonal, RNNForecaster, SARIMAEstimator
from skts.datasets import load_ridership
from skts.model_selection import backtest, backtest_errors


def main(argv=None):
    """Evaluate the three forecasters and print the table.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``--smoke``); None reads ``sys.argv``.

    Returns
    -------
    results : pandas.DataFrame
        One row per model, as printed.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a 1-epoch GRU: checks the set-up in seconds")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    df = load_ridership()
    rail = df.loc["2016-01":"2019-05", "rail"]
    day_type = pd.get_dummies(df["day_type"], dtype=float).loc[rail.index]
    no_covariates = pd.DataFrame(index=rail.index)

    # SARIMA fits the 2019 history only, as the textbook does; the GRU
    # learns from three years of 56-day windows.
    models = {
        "naive (7 days back)": (NaiveSeasonal(season_length=7), no_covariates, "2019-01-01"),
        "SARIMA(1,0,0)(0,1,1,7)": (
            SARIMAEstimator(p=1, P=0, D=1, Q=1, season_length=7),
            no_covariates,
            "2019-01-01",
        ),
        "GRU(32) + day type": (
            RNNForecaster(
                cell="gru",
                units=4 if args.smoke else 32,
                seq_length=56,
                output_length=7,
                epochs=1 if args.smoke else 20,
                random_state=42,
            ),
            day_type,
            "2016-01-01",
        ),
    }
    rows = []
    for name, (model, X, first_day) in models.items():
        X, y = X.loc[first_day:], rail.loc[first_day:]
        frame = backtest(model, X, y, start="2019-03-01", horizon=7, refit=False)
        row = {
            "model": name,
            "MAE next day": backtest_errors(frame, ["mae"]).loc[1, "mae"],
            "MAE days 1-7": backtest_errors(frame, ["mae"], by=None)["mae"],
        }
        if not isinstance(model, RNNForecaster):
            with warnings.catch_warnings():
                # Statsmodels may not converge on the shortest folds; the score shows it.
                warnings.simplefilter("ignore")
                scores = cross_val_score(
                    model,
                    X,
                    y,
                    cv=TimeSeriesSplit(n_splits=13, test_size=7),
                    scoring="neg_mean_absolute_error",
                )
            row["MAE days 1-7, weekly refits"] = -scores.mean()
        rows.append(row)
    table = pd.DataFrame(rows)
    print("Mean absolute error on the rail ridership, March-May 2019 (riders per day):\n")
    print(table.to_string(index=False, float_format="{:,.0f}".format, na_rep=""))
    print(f"\n{time.perf_counter() - start:,.0f} s")
    return table


if __name__ == "__main__":
    main()
