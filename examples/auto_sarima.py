"""AutoSARIMA on the CTA rail series: the orders chosen for you, against the textbook's.

The textbook identifies SARIMA(1, 0, 0)(0, 1, 1, 7) by hand from ACF/PACF
plots. ``AutoSARIMA(season_length=7)`` chooses the differencing by unit-root
tests (KPSS for ``d``, STL seasonal strength for ``D``) and the orders and
constant by a stepwise AICc search, on the same history (January and
February 2019). Printed on stdout:

1. the search table: every candidate with its AICc, fit time and status;
2. one-step-ahead forecasts over March-May 2019, fitted once and updated
   day by day (``backtest(refit=False)``, the textbook's protocol): naive
   (same day last week), the textbook's SARIMA and AutoSARIMA, MAE and
   fit seconds.

Run it from the repository root::

    python examples/auto_sarima.py          # the full search
    python examples/auto_sarima.py --smoke  # a small search (max orders 1)
"""

import warnings

import pandas as pd
from _common import Timer, command_line, markdown_table, parse_args, progress, report

from skts import AutoSARIMA, NaiveSeasonal, SARIMAEstimator
from skts.datasets import load_ridership
from skts.model_selection import backtest

HISTORY = ("2019-01-01", "2019-05-31")
START = "2019-03-01"


def main(argv=None):
    """Run the search and the comparison; print their tables.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``--smoke``); None reads ``sys.argv``.

    Returns
    -------
    results : dict of str to pandas.DataFrame
        ``"search"``: one row per candidate, as ``search_results_``;
        ``"comparison"``: the one-step MAE table, as printed.
    """
    args = parse_args(__doc__.splitlines()[0], argv)
    bounds = dict(max_p=1, max_q=1, max_P=1, max_Q=1) if args.smoke else {}
    rail = load_ridership()["rail"].loc[HISTORY[0] : HISTORY[1]].astype(float)
    X = pd.DataFrame(index=rail.index)
    history = rail.loc[:START].iloc[:-1]
    auto = AutoSARIMA(season_length=7, **bounds)

    with Timer() as total:
        progress("AutoSARIMA search on Jan-Feb 2019 ...")
        with Timer() as search_time:
            fitted = auto.fit(X.loc[history.index], history)
        search = pd.DataFrame(fitted.search_results_)
        search["model"] = [_describe(row) for row in search.itertuples()]
        # The criterion the search ranks by: inf for skipped candidates.
        search = search[["model", "criterion", "seconds", "status"]].rename(columns={"criterion": "AICc"})
        search = search.sort_values("AICc", kind="stable")
        search = search.reset_index(drop=True)

        rows = []
        for name, model in [
            ("naive (7 days back)", NaiveSeasonal(season_length=7)),
            ("SARIMA(1,0,0)(0,1,1,7), the textbook's", SARIMAEstimator(p=1, D=1, Q=1, season_length=7)),
            (f"AutoSARIMA: {_chosen(fitted)}", auto),
        ]:
            progress(f"backtest {name} ...")
            with Timer() as fit_time, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = backtest(model, X, rail, start=START, horizon=1, refit=False)
            mae = (frame["actual"] - frame["forecast"]).abs().mean()
            rows.append({"model": name, "MAE t+1": mae, "seconds": fit_time.seconds})
        comparison = pd.DataFrame(rows)

    print(f"## AutoSARIMA(season_length=7) search on Jan-Feb 2019 ({len(search)} candidates, "
          f"{fitted.n_failed_} skipped, {search_time.seconds:.1f} s)\n")
    print(markdown_table(search, {"AICc": ",.2f", "seconds": ".3f"}))
    print()
    report(
        "One-step-ahead forecasts, Mar-May 2019, fitted on Jan-Feb and updated daily",
        comparison,
        {"MAE t+1": ",.0f", "seconds": ",.1f"},
        total.seconds,
        command_line("auto_sarima.py", argv),
    )
    return {"search": search, "comparison": comparison}


def _describe(row):
    seasonal = f"({row.P},{row.D},{row.Q},7)"
    constant = " + constant" if row.trend == "c" else ""
    return f"SARIMA({row.p},{row.d},{row.q}){seasonal}{constant}"


def _chosen(model):
    p, d, q = model.order_
    P, D, Q, m = model.seasonal_order_
    constant = " + constant" if model.trend_ == "c" else ""
    return f"SARIMA({p},{d},{q})({P},{D},{Q},{m}){constant}"


if __name__ == "__main__":
    main()
