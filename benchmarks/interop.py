"""skts and sktime models in one GridSearchCV, then an skts RNN in sktime's evaluate.

Two tables on the CTA rail series (markdown on stdout, progress on stderr):

1. one scikit-learn ``GridSearchCV`` over five model families, skts's
   ``NaiveSeasonal``, ``SARIMAEstimator`` and ``RNNForecaster`` beside
   sktime's ``ThetaForecaster`` and ``AutoETS`` wrapped by
   ``skts.interop.SktimeForecaster``. The families are the choices of a
   one-step ``Pipeline`` (``{"model": [...], "model__<param>": [...]}``),
   scored by ``TimeSeriesSplit(n_splits=4, test_size=14)`` on 2018: mean
   absolute error over each 14-day test fold;
2. the other direction: ``skts.interop.to_sktime`` around the best GRU of
   the search (and around the naive and SARIMA models, for reference) in
   sktime's ``evaluate``: fitted on 2016-2018, then 14-day forecasts from an
   origin every 14 days of January-May 2019, the forecaster updated with the
   observed days between origins and never refitted
   (``strategy="no-update_params"``).

The rail series is used alone (no covariates). Run it from the repository
root (``SKTS_DATA_HOME`` points at a local copy of the data)::

    python benchmarks/interop.py          # the full search
    python benchmarks/interop.py --smoke  # tiny grids and networks
"""

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
from _common import Timer, command_line, markdown_table, parse_args, progress, report
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline

from skts.forecasting import NaiveSeasonal, SARIMAEstimator
from skts.neural import RNNForecaster
from skts.datasets import load_ridership
from skts.interop import SktimeForecaster, to_sktime

HORIZON = 14
VALID_START, VALID_END = "2019-01-01", "2019-05-31"

FULL = SimpleNamespace(
    search_history="2018-01-01",
    network_history="2016-01-01",
    units=[16, 32],
    epochs=100,
    patience=10,
    splits=4,
    n_jobs=2,
)
# One process in smoke mode: two fresh workers would spend more time
# importing TensorFlow and sktime than the tiny search takes.
SMOKE = SimpleNamespace(
    search_history="2018-09-01", network_history="2018-06-01", units=[2], epochs=1, patience=None, splits=2, n_jobs=1
)


def main(argv=None):
    """Run the search and the sktime evaluation; print both tables.

    Returns
    -------
    results : dict of str to pandas.DataFrame
        ``"search"``: one row per candidate, best first; ``"evaluate"``: one
        row per model evaluated by sktime.
    """
    args = parse_args(__doc__.splitlines()[0], argv)
    cfg = SMOKE if args.smoke else FULL
    rail = load_ridership()["rail"]
    results = {}
    with Timer() as total:
        progress("GridSearchCV over skts and sktime models ...")
        search = _search(rail.loc[cfg.search_history : "2018-12-31"], cfg)
        results["search"] = _candidates(search)
        progress("sktime evaluate over skts models ...")
        best_rnn = _best_of(search, "RNNForecaster")
        results["evaluate"] = _evaluate(rail.loc[cfg.network_history : VALID_END], best_rnn)
    print("## One GridSearchCV over skts and sktime models, TimeSeriesSplit on 2018\n")
    print(markdown_table(results["search"], {"CV MAE": ",.0f", "CV MAE std": ",.0f", "fit s": ",.1f"}))
    print()
    report(
        "skts models in sktime's evaluate: 14-day forecasts every 14 days of Jan-May 2019",
        results["evaluate"],
        {"MAE 1-14": ",.0f", "origins": "d", "fit s": ",.1f", "seconds": ",.1f"},
        total.seconds,
        command_line("interop.py", argv),
    )
    return results


def _sktime(factory, **params):
    with warnings.catch_warnings():
        # sktime 1.2 announces a config change on every construction.
        warnings.filterwarnings("ignore", "The default of config", FutureWarning)
        return factory(**params)


def _rnn(cfg, units=32):
    return RNNForecaster(
        cell="gru",
        units=units,
        seq_length=56,
        output_length=HORIZON,
        epochs=cfg.epochs,
        patience=cfg.patience,
        random_state=42,
    )


def _search(y, cfg):
    from sktime.forecasting.ets import AutoETS
    from sktime.forecasting.theta import ThetaForecaster

    grid = [
        {"model": [NaiveSeasonal()], "model__season_length": [1, 7]},
        {"model": [SARIMAEstimator(P=0, D=1, Q=1, season_length=7)], "model__p": [0, 1], "model__q": [0, 1]},
        {"model": [_rnn(cfg)], "model__units": cfg.units},
        {"model": [SktimeForecaster(_sktime(ThetaForecaster))], "model__forecaster__sp": [1, 7]},
        {
            "model": [SktimeForecaster(_sktime(AutoETS, error="add", seasonal="add", sp=7))],
            "model__forecaster__trend": [None, "add"],
        },
    ]
    search = GridSearchCV(
        Pipeline([("model", NaiveSeasonal())]),
        grid,
        cv=TimeSeriesSplit(n_splits=cfg.splits, test_size=HORIZON),
        scoring="neg_mean_absolute_error",
        n_jobs=cfg.n_jobs,
        refit=False,
    )
    with warnings.catch_warnings():
        # Poor SARIMA orders in a grid do not converge; their CV error says so.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", "Optimization failed to converge")
        search.fit(pd.DataFrame(index=y.index), y)
    return search


def _describe(params):
    model = params["model"]
    name = type(model).__name__
    if isinstance(model, SktimeForecaster):
        name = f"sktime {type(model.forecaster).__name__}"
    details = [
        f"{key.removeprefix('model__').removeprefix('forecaster__')}={value}"
        for key, value in params.items()
        if key != "model"
    ]
    return name, ", ".join(details)


def _candidates(search):
    cv = search.cv_results_
    rows = []
    for i, params in enumerate(cv["params"]):
        name, details = _describe(params)
        rows.append(
            {
                "model": name,
                "parameters": details,
                "CV MAE": -cv["mean_test_score"][i],
                "CV MAE std": cv["std_test_score"][i],
                "fit s": cv["mean_fit_time"][i],
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values("CV MAE", kind="stable", na_position="last").reset_index(drop=True)


def _best_of(search, family):
    cv = search.cv_results_
    scores = [
        (cv["mean_test_score"][i], i)
        for i, params in enumerate(cv["params"])
        if type(params["model"]).__name__ == family
    ]
    best = cv["params"][max(scores)[1]]
    params = {key.removeprefix("model__"): value for key, value in best.items() if key != "model"}
    return best["model"].set_params(**params)


def _evaluate(y, best_rnn):
    from sktime.forecasting.model_evaluation import evaluate
    from sktime.performance_metrics.forecasting import MeanAbsoluteError
    from sktime.split import ExpandingWindowSplitter

    y = y.to_period("D")
    initial = int((y.index < pd.Period(VALID_START, "D")).sum())
    cv = ExpandingWindowSplitter(fh=np.arange(1, HORIZON + 1), initial_window=initial, step_length=HORIZON)
    models = [
        ("naive (7 days back)", NaiveSeasonal(season_length=7)),
        ("SARIMA(1,0,0)(0,1,1,7)", SARIMAEstimator(p=1, P=0, D=1, Q=1, season_length=7)),
        (f"GRU, units={best_rnn.units}", best_rnn),
    ]
    rows = []
    for name, model in models:
        with Timer() as timer, warnings.catch_warnings():
            warnings.filterwarnings("ignore", "The default of config", FutureWarning)
            warnings.simplefilter("ignore", ConvergenceWarning)
            frame = evaluate(to_sktime(model), cv, y, strategy="no-update_params", scoring=MeanAbsoluteError())
        rows.append(
            {
                "model": f"to_sktime({name})",
                "MAE 1-14": frame["test_MeanAbsoluteError"].mean(),
                "origins": len(frame),
                "fit s": frame["fit_time"].iloc[0],
                "seconds": timer.seconds,
            }
        )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    main()
