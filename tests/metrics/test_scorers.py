"""Scorers inside scikit-learn's CV tools, on skts forecasters."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skts.preprocessing import Differencer
from skts.forecasting import NaiveSeasonal
from skts.datasets import load_ridership
from skts.metrics import mae_scorer, make_mase_scorer, mape_scorer, smape_scorer


@pytest.fixture(scope="module")
def rail():
    return load_ridership().loc["2019-01-01":"2019-05-31", "rail"]


def _naive_fold_forecasts(y, cv):
    """Hand-made seasonal naive (7) forecasts and histories of each CV fold."""
    for train, test in cv.split(y):
        history = y[train]
        yield history, y[test], history[len(history) - 7 + np.arange(len(test)) % 7]


def test_textbook_naive_mae_and_mape(rail):
    X = pd.DataFrame(index=rail.index)
    cv = TimeSeriesSplit(n_splits=92, test_size=1)
    mae = -cross_val_score(NaiveSeasonal(season_length=7), X, rail, cv=cv, scoring=mae_scorer).mean()
    assert round(mae) == 42143  # the textbook's naive MAE, to the rider
    mape = -cross_val_score(NaiveSeasonal(season_length=7), X, rail, cv=cv, scoring=mape_scorer).mean()
    y = rail.to_numpy(float)
    expected = np.mean([abs(t[0] - p[0]) / t[0] for _, t, p in _naive_fold_forecasts(y, cv)])
    assert mape == pytest.approx(expected, rel=1e-12)


def test_mase_and_smape_scorers_per_fold(rail):
    X = np.empty((len(rail), 0))
    y = rail.to_numpy(float)
    cv = TimeSeriesSplit(n_splits=5, test_size=14)
    result = cross_validate(
        NaiveSeasonal(season_length=7),
        X,
        y,
        cv=cv,
        scoring={"mase": make_mase_scorer(season_length=7), "smape": smape_scorer},
    )
    mase, smape = [], []
    for history, truth, forecast in _naive_fold_forecasts(y, cv):
        scale = np.mean(np.abs(history[7:] - history[:-7]))
        mase.append(np.mean(np.abs(truth - forecast)) / scale)
        smape.append(np.mean(2 * np.abs(truth - forecast) / (np.abs(truth) + np.abs(forecast))))
    np.testing.assert_allclose(-result["test_mase"], mase, rtol=1e-12)
    np.testing.assert_allclose(-result["test_smape"], smape, rtol=1e-12)


def test_mase_scorer_reads_the_pipeline_forecaster(rail):
    y = rail.to_numpy(float)[:60]
    X = np.empty((60, 0))
    cv = TimeSeriesSplit(n_splits=3, test_size=7)
    scorer = make_mase_scorer(season_length=7)
    plain = cross_val_score(NaiveSeasonal(season_length=7), X, y, cv=cv, scoring=scorer)
    pipeline = make_pipeline(FunctionTransformer(), NaiveSeasonal(season_length=7))
    piped = cross_val_score(pipeline, X, y, cv=cv, scoring=scorer)
    np.testing.assert_allclose(piped, plain)
    assert (plain < 0).all()


def test_mase_scorer_skips_leading_nan_of_the_history():
    y = np.array([np.nan, np.nan, 1.0, 3.0, 2.0, 4.0])
    forecaster = NaiveSeasonal().fit(np.empty((6, 0)), y)
    # history 1, 3, 2, 4 -> scale 5/3; forecast 4 vs truth 5 -> MASE 0.6
    score = make_mase_scorer()(forecaster, np.empty((1, 0)), np.array([5.0]))
    assert score == pytest.approx(-0.6)


def test_mase_scorer_in_grid_search_and_pickle(rail):
    y = rail.to_numpy(float)[:70]
    X = np.empty((70, 0))
    scorer = pickle.loads(pickle.dumps(make_mase_scorer(season_length=7)))
    cv = TimeSeriesSplit(n_splits=3, test_size=7)
    search = GridSearchCV(NaiveSeasonal(), {"season_length": [1, 7]}, cv=cv, scoring=scorer).fit(X, y)
    # Weekly data: repeating last week beats repeating yesterday.
    assert search.best_params_ == {"season_length": 7}
    assert repr(scorer) == "make_mase_scorer(season_length=7)"


def test_mase_scorer_without_history_is_a_clear_error(rail):
    y = rail.to_numpy(float)[:40]
    model = TransformedTargetRegressor(
        regressor=NaiveSeasonal(season_length=7), transformer=Differencer(lag=7), check_inverse=False
    ).fit(np.empty((40, 0)), y)
    with pytest.raises(ValueError, match="TransformedTargetRegressor has none"):
        make_mase_scorer(season_length=7)(model, np.empty((3, 0)), y[:3])


def test_make_mase_scorer_validates_season_length():
    with pytest.raises(ValueError, match="season_length"):
        make_mase_scorer(season_length=0)
