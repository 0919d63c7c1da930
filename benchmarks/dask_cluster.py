"""skts on a Dask cluster: searches, backtests and many series through joblib's dask backend.

skts has no scheduler of its own: every parallel loop (scikit-learn's
``GridSearchCV`` and ``MultiOutputRegressor``, skts's ``backtest``) goes
through joblib, so inside ``joblib.parallel_backend("dask")`` the fits run
on the workers of a ``dask.distributed.Client``. The same script runs on a
local cluster it starts itself or on an existing cluster::

    python benchmarks/dask_cluster.py                             # local: 2 worker processes
    python benchmarks/dask_cluster.py --scheduler tcp://host:8786  # an existing cluster
    python benchmarks/dask_cluster.py --smoke                     # a tiny run of every step

The workers need the same Python packages as this process (skts with its
``neural`` extra, for the RNN step). On the CTA rail series it runs:

1. a SARIMA(p, d, q)(0, 1, 1, 7) order search, ``GridSearchCV`` with
   ``TimeSeriesSplit(n_splits=5, test_size=14)`` on 2019-01 .. 2019-05;
2. a backtest of the best orders over March-May 2019, refitted every
   7 days (one task per week), one day ahead;
3. many series: ``MultiOutputRegressor(SARIMAEstimator(...), n_jobs=-1)``
   on the bus and rail series together, one model per column;
4. a small ``RNNForecaster`` search over ``units`` (TensorFlow loads in
   each worker; fits are seeded, so the scores equal a one-process run).

Prints a markdown table (step, what it found, wall seconds) on stdout,
progress on stderr. (The script is not called ``distributed.py``: run as
a script, its folder comes first on ``sys.path``, and that name would hide
the ``distributed`` package from this process and from Dask's workers.)
"""

import logging
import warnings

import joblib
import numpy as np
import pandas as pd
from _common import Timer, command_line, parse_args, progress, report
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.multioutput import MultiOutputRegressor

from skts.forecasting import SARIMAEstimator
from skts.neural import RNNForecaster
from skts.datasets import load_ridership
from skts.model_selection import backtest


def connect(scheduler, smoke):
    """A Client on the given scheduler, or on a local cluster of 2 worker processes.

    Returns ``(client, cluster)``; ``cluster`` is None for an existing
    scheduler (this script does not shut other people's clusters down).
    """
    from skts._optional import import_optional

    distributed = import_optional("distributed")
    if scheduler:
        return distributed.Client(scheduler), None
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )
    return distributed.Client(cluster), cluster


def main(argv=None, scheduler=None):
    """Run the four steps on the cluster and print the table.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``--smoke``, ``--scheduler ADDRESS``); None
        reads ``sys.argv``.
    scheduler : str, optional
        Scheduler address, overriding ``--scheduler`` (for the tests).

    Returns
    -------
    results : pandas.DataFrame
        One row per step, as printed.
    """
    import argparse

    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")
    known, rest = extra.parse_known_args(argv)
    args = parse_args(__doc__.splitlines()[0] + " (--scheduler ADDRESS: use a running cluster)", rest)
    scheduler = scheduler or known.scheduler

    data = load_ridership()
    history = data.loc["2019-01":"2019-05", ["rail", "bus"]].astype(float)
    rail = history["rail"]
    X = pd.DataFrame(index=rail.index)
    if args.smoke:
        grid = {"p": [0, 1], "d": [0], "q": [0, 1]}
    else:
        grid = {"p": [0, 1, 2], "d": [0, 1], "q": [0, 1, 2]}
    units = [2, 3] if args.smoke else [16, 32]

    rows = []
    with Timer() as total:
        client, cluster = connect(scheduler, args.smoke)
        try:
            workers = client.scheduler_info()["workers"]
            threads = sum(w["nthreads"] for w in workers.values())
            where = f"{len(workers)} workers, {threads} threads at {client.scheduler.address}"
            progress(f"Dask cluster: {where}")
            with joblib.parallel_backend("dask"), warnings.catch_warnings():
                # A grid always holds some poor orders; their warnings are not news.
                warnings.simplefilter("ignore")

                progress("1. SARIMA order search")
                with Timer() as timer:
                    search = GridSearchCV(
                        SARIMAEstimator(P=0, D=1, Q=1, season_length=7),
                        grid,
                        cv=TimeSeriesSplit(n_splits=5, test_size=14),
                        scoring="neg_mean_absolute_error",
                        n_jobs=-1,
                    ).fit(X, rail)
                best = search.best_params_
                found = f"best (p, d, q) = ({best['p']}, {best['d']}, {best['q']}), "
                found += f"CV MAE {-search.best_score_:,.0f}"
                n_fits = len(search.cv_results_["params"]) * 5 + 1
                rows.append(("SARIMA search", n_fits, found, timer.seconds))

                progress("2. backtest with weekly refits")
                with Timer() as timer:
                    frame = backtest(
                        search.best_estimator_, X, rail, start="2019-03-01", horizon=1, refit=7, n_jobs=-1
                    )
                mae = (frame["actual"] - frame["forecast"]).abs().mean()
                n_refits = int(np.ceil(len(frame) / 7))
                found = f"MAE {mae:,.0f} over {len(frame)} days"
                rows.append(("backtest, refit every 7 days", n_refits, found, timer.seconds))

                progress("3. one SARIMA per series")
                with Timer() as timer:
                    panel = MultiOutputRegressor(SARIMAEstimator(p=1, D=1, Q=1, season_length=7), n_jobs=-1)
                    panel.fit(X, history)
                    future = pd.DataFrame(index=pd.date_range("2019-06-01", periods=7, freq="D"))
                    week = pd.DataFrame(panel.predict(future), index=future.index, columns=history.columns)
                summary = ", ".join(f"{name} {week[name].sum():,.0f}" for name in week.columns)
                found = f"first June week: {summary}"
                rows.append(("MultiOutputRegressor, 2 series", len(week.columns), found, timer.seconds))

                progress("4. RNN search")
                with Timer() as timer:
                    rnn = RNNForecaster(
                        seq_length=14 if args.smoke else 28,
                        epochs=1 if args.smoke else 20,
                        random_state=42,
                    )
                    rnn_search = GridSearchCV(
                        rnn,
                        {"units": units},
                        cv=TimeSeriesSplit(n_splits=3, test_size=14),
                        scoring="neg_mean_absolute_error",
                        n_jobs=-1,
                    ).fit(X, rail)
                best_units = rnn_search.best_params_["units"]
                found = f"best units {best_units}, CV MAE {-rnn_search.best_score_:,.0f}"
                rows.append(("RNN search", len(units) * 3 + 1, found, timer.seconds))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    table = pd.DataFrame(rows, columns=["step", "fits", "result", "seconds"])
    formats = {"fits": "d", "seconds": ".1f"}
    report(f"skts on Dask ({where})", table, formats, total.seconds, command_line("dask_cluster.py", argv))
    return table


if __name__ == "__main__":
    main()
