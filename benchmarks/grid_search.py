"""Model selection with GridSearchCV and TimeSeriesSplit on the CTA rail series, through skts.

Three searches, each with scikit-learn's own tools on the history before
2019, then the best of each against the naive baseline on the validation
period (markdown tables on stdout, progress on stderr):

1. SARIMA orders: ``GridSearchCV`` over ``p``, ``d`` and ``q`` of
   SARIMA(p,d,q)(0,1,1,7) with ``TimeSeriesSplit(n_splits=8, test_size=14)``
   on July-December 2018;
2. RNN size: ``GridSearchCV`` over ``units`` of a GRU forecasting 14 days,
   with ``TimeSeriesSplit(n_splits=3, test_size=14)`` on 2016-2018;
3. WaveNet size: ``GridSearchCV`` over ``filters`` and ``n_blocks``, same
   folds;
4. side by side: naive (same day last week), the best SARIMA, RNN and
   WaveNet, refitted on the history up to 2018-12-31 and scored by
   ``backtest(horizon=14, refit=False)`` from every origin of
   2019-01-01 to 2019-05-31 whose 14 days lie within it: MAE at t+1, at
   t+14 and over the 14 steps.

All models see the rail series only (no covariates), so the comparison is
between methods, not inputs. Run it from the repository root::

    python benchmarks/grid_search.py          # the full searches
    python benchmarks/grid_search.py --smoke  # tiny grids and networks

The networks use skts's defaults (Adam, learning rate 0.001, Huber loss,
standard scaling) with up to 200 epochs and early stopping on the last 10%
of the training windows (patience 20), ``random_state=42``. The searches
score ``neg_mean_absolute_error`` over each 14-day test fold; each
SARIMA fit is limited to ``maxiter=50`` and its convergence warnings are
silenced, since a grid always holds some poor models.
"""

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
from _common import Timer, command_line, markdown_table, parse_args, progress, report
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skts.forecasting import NaiveSeasonal, SARIMAEstimator
from skts.neural import RNNForecaster, WaveNetForecaster
from skts.datasets import load_ridership
from skts.model_selection import backtest, backtest_errors

VALID_START, VALID_END = "2019-01-01", "2019-05-31"
HORIZON = 14

FULL = SimpleNamespace(
    sarima_history="2018-07-01",
    sarima_grid={"p": [0, 1, 2], "d": [0, 1], "q": [0, 1, 2]},
    sarima_splits=8,
    network_history="2016-01-01",
    rnn_grid={"units": [16, 32, 64]},
    wavenet_grid={"filters": [16, 32], "n_blocks": [1, 2]},
    network_splits=3,
    epochs=200,
    patience=20,
)
SMOKE = SimpleNamespace(
    sarima_history="2018-10-01",
    sarima_grid={"p": [0, 1], "d": [0], "q": [0, 1]},
    sarima_splits=2,
    network_history="2018-01-01",
    rnn_grid={"units": [2, 4]},
    wavenet_grid={"filters": [2], "n_blocks": [1, 2]},
    network_splits=2,
    epochs=1,
    patience=None,
)


def main(argv=None):
    """Run the three searches and the side-by-side; print their tables.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``--smoke``); None reads ``sys.argv``.

    Returns
    -------
    results : dict of str to pandas.DataFrame
        ``"sarima"``, ``"rnn"`` and ``"wavenet"``: the search results, one row
        per candidate; ``"comparison"``: the side-by-side, as printed.
    """
    args = parse_args(__doc__.splitlines()[0], argv)
    cfg = SMOKE if args.smoke else FULL
    rail = load_ridership()["rail"]
    results = {}
    with Timer() as total:
        progress("SARIMA search ...")
        sarima = _search(
            SARIMAEstimator(P=0, D=1, Q=1, season_length=7),
            cfg.sarima_grid,
            rail.loc[cfg.sarima_history : "2018-12-31"],
            cfg.sarima_splits,
        )
        results["sarima"] = _candidates(sarima, ["p", "d", "q"])
        progress("RNN search ...")
        history = rail.loc[cfg.network_history : "2018-12-31"]
        rnn = _search(_rnn(cfg), cfg.rnn_grid, history, cfg.network_splits)
        results["rnn"] = _candidates(rnn, ["units"])
        progress("WaveNet search ...")
        wavenet = _search(_wavenet(cfg), cfg.wavenet_grid, history, cfg.network_splits)
        results["wavenet"] = _candidates(wavenet, ["filters", "n_blocks"])
        progress("side by side ...")
        results["comparison"] = _side_by_side(rail, cfg, sarima, rnn, wavenet)
    for name, title in [
        ("sarima", "SARIMA(p,d,q)(0,1,1,7) orders, TimeSeriesSplit on Jul-Dec 2018"),
        ("rnn", "GRU units, TimeSeriesSplit on 2016-2018"),
        ("wavenet", "WaveNet filters and blocks, TimeSeriesSplit on 2016-2018"),
    ]:
        print(f"## {title}\n")
        print(markdown_table(results[name], {"CV MAE": ",.0f", "CV MAE std": ",.0f", "fit s": ",.1f"}))
        print()
    report(
        "Best of each against the naive baseline, 14 days ahead, Jan-May 2019",
        results["comparison"],
        {"MAE t+1": ",.0f", "MAE t+14": ",.0f", "MAE 1-14": ",.0f", "seconds": ",.1f"},
        total.seconds,
        command_line("grid_search.py", argv),
    )
    return results


def _rnn(cfg):
    return RNNForecaster(
        cell="gru",
        seq_length=56,
        output_length=HORIZON,
        epochs=cfg.epochs,
        patience=cfg.patience,
        random_state=42,
    )


def _wavenet(cfg):
    return WaveNetForecaster(
        seq_length=56,
        output_length=HORIZON,
        sequence_to_sequence=True,
        epochs=cfg.epochs,
        patience=cfg.patience,
        random_state=42,
    )


def _search(estimator, grid, y, n_splits):
    """GridSearchCV with rolling 14-day folds; no refit, backtest refits the best."""
    search = GridSearchCV(
        estimator,
        grid,
        cv=TimeSeriesSplit(n_splits=n_splits, test_size=HORIZON),
        scoring="neg_mean_absolute_error",
        refit=False,
    )
    with warnings.catch_warnings():
        # A grid holds poor orders whose likelihood does not converge; their
        # high CV error is the answer, the warnings add nothing.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        search.fit(pd.DataFrame(index=y.index), y)
    return search


def _candidates(search, params):
    """The search results, best first: parameters, CV MAE, its spread, fit time."""
    cv = search.cv_results_
    frame = pd.DataFrame({name: cv[f"param_{name}"] for name in params})
    frame = frame.astype({name: "int64" for name in params})
    frame["CV MAE"] = -cv["mean_test_score"]
    frame["CV MAE std"] = cv["std_test_score"]
    frame["fit s"] = cv["mean_fit_time"]
    return frame.sort_values("CV MAE", kind="stable", na_position="last").reset_index(drop=True)


def _side_by_side(rail, cfg, sarima, rnn, wavenet):
    best_sarima = SARIMAEstimator(P=0, D=1, Q=1, season_length=7).set_params(**sarima.best_params_)
    models = [
        ("naive (7 days back)", NaiveSeasonal(season_length=7), cfg.sarima_history),
        (_describe("SARIMA", sarima.best_params_, "(0,1,1,7)"), best_sarima, cfg.sarima_history),
        (_describe("GRU", rnn.best_params_), _rnn(cfg).set_params(**rnn.best_params_), cfg.network_history),
        (
            _describe("WaveNet", wavenet.best_params_),
            _wavenet(cfg).set_params(**wavenet.best_params_),
            cfg.network_history,
        ),
    ]
    rows = []
    for name, estimator, history in models:
        y = rail.loc[history:VALID_END]
        with Timer() as timer, warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            frame = backtest(estimator, None, y, start=VALID_START, horizon=HORIZON, refit=False)
        steps = backtest_errors(frame, ["mae"])["mae"]
        rows.append(
            {
                "model": name,
                "history from": history,
                "MAE t+1": steps.loc[1],
                "MAE t+14": steps.loc[HORIZON],
                "MAE 1-14": float(np.mean(np.abs(frame["actual"] - frame["forecast"]))),
                "seconds": timer.seconds,
            }
        )
    return pd.DataFrame(rows)


def _describe(name, params, suffix=""):
    if name == "SARIMA":
        return f"SARIMA({params['p']},{params['d']},{params['q']}){suffix}"
    return f"{name} (" + ", ".join(f"{key}={value}" for key, value in sorted(params.items())) + ")"


if __name__ == "__main__":
    main()
