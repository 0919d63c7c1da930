"""TransformedTargetForecaster: log, Box-Cox and differences around a forecaster, in the units of y."""

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from scipy.special import inv_boxcox
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skts.preprocessing import BoxCoxTransformer
from skts.forecasting import ConformalForecaster
from skts.preprocessing import Differencer
from skts.preprocessing import LogTransformer
from skts.forecasting import NaiveSeasonal
from skts.forecasting import ReductionForecaster
from skts.forecasting import SARIMAEstimator
from skts.compose import TransformedTargetForecaster
from skts.model_selection import backtest


def _none(n):
    return np.empty((n, 0))


@pytest.fixture
def y():
    """Positive, trending, weekly pattern growing with the level: 84 days."""
    rng = np.random.default_rng(3)
    t = np.arange(84)
    season = np.tile([1.0, 1.3, 0.8, 1.1, 1.2, 0.6, 0.9], 12)
    return 50 * np.exp(0.01 * t) * season * np.exp(rng.normal(scale=0.05, size=84))


def _loop(model, y_new, horizon, step):
    """Forecasts of predict/update origin by origin, on a copy (the reference)."""
    model = copy.deepcopy(model)
    out, seen = [], 0
    for origin in range(0, len(y_new) - horizon + 1, step):
        if origin > seen:
            model.update(None, y_new[seen:origin])
            seen = origin
        out.append(model.predict(_none(horizon)))
    return np.stack(out)


def _state(model):
    """What a rolling forecast must leave unchanged: histories, transformer and forecasts."""
    tails = getattr(model.transformer_, "tails_", np.empty(0))
    return model.y_.copy(), model.forecaster_.y_.copy(), tails.copy(), model.predict(_none(9))


# -- log and Box-Cox -----------------------------------------------------------


def test_log_forecasts_are_exp_of_the_log_models_forecasts(y):
    model = TransformedTargetForecaster(SARIMAEstimator(p=1, q=0), transformer="log").fit(None, y)
    on_logs = SARIMAEstimator(p=1, q=0).fit(None, np.log(y))
    assert_allclose(model.predict(_none(10)), np.exp(on_logs.predict(_none(10))), rtol=1e-12)
    assert_allclose(model.forecaster_.params_, on_logs.params_, rtol=1e-10)


def test_log1p_takes_zeros_and_inverts_with_expm1():
    y = np.tile([0.0, 3.0, 8.0], 6)
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=3), transformer="log1p").fit(None, y)
    assert_allclose(model.predict(_none(4)), [0.0, 3.0, 8.0, 0.0], atol=1e-12)
    assert model.transformer_.offset == 1.0


@pytest.mark.parametrize("method", ["mle", "guerrero"])
def test_box_cox_forecasts_invert_the_model_on_the_transformed_series(y, method):
    boxcox = BoxCoxTransformer(method=method, season_length=7)
    model = TransformedTargetForecaster(SARIMAEstimator(p=1, q=0), transformer=boxcox).fit(None, y)
    lam = model.transformer_.lambdas_[0]
    if method == "mle":
        assert lam == pytest.approx(stats.boxcox(y)[1], abs=1e-12)
    inner = SARIMAEstimator(p=1, q=0).fit(None, stats.boxcox(y, lmbda=lam))
    assert_allclose(model.predict(_none(5)), inv_boxcox(inner.predict(_none(5)), lam), rtol=1e-10)


def test_box_cox_string_estimates_lambda_by_guerrero(y):
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer="box-cox").fit(None, y)
    expected = BoxCoxTransformer(method="guerrero").fit(y[:, None]).lambdas_
    assert_array_equal(model.transformer_.lambdas_, expected)


def test_any_row_wise_transformer_and_none(y):
    scaled = TransformedTargetForecaster(
        ReductionForecaster(LinearRegression(), seq_length=7), transformer=StandardScaler()
    ).fit(None, y)
    mean, sd = y.mean(), y.std()
    inner = ReductionForecaster(LinearRegression(), seq_length=7).fit(None, (y - mean) / sd)
    assert_allclose(scaled.predict(_none(6)), inner.predict(_none(6)) * sd + mean, rtol=1e-10)
    plain = TransformedTargetForecaster(NaiveSeasonal(season_length=7)).fit(None, y)
    assert_array_equal(plain.predict(_none(9)), NaiveSeasonal(season_length=7).fit(None, y).predict(_none(9)))


# -- differences ------------------------------------------------------------


def _integrate_by_hand(last_levels, diffs, lag):
    """Levels after a history ending with ``last_levels`` (at least ``lag``), one step at a time."""
    levels = list(last_levels)
    for d in diffs:
        levels.append(levels[-lag] + d)
    return np.array(levels[len(last_levels) :])


@pytest.mark.parametrize("lag", [1, 7])
def test_differences_with_a_gap_match_a_hand_computation(y, lag):
    """Rows 4..6 after the history (TimeSeriesSplit(gap=3)) integrate the diffs of steps 1..6."""
    series = pd.Series(y[:70])
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer=Differencer(lag=lag))
    model.fit(None, series)
    pred = model.predict(pd.DataFrame(index=pd.RangeIndex(73, 76)))
    diffs = y[lag:70] - y[: 70 - lag]
    step_diffs = diffs[-7:][np.arange(6) % 7]  # seasonal naive on the differences, steps 1..6
    expected = _integrate_by_hand(y[70 - lag : 70], step_diffs, lag)[3:]
    assert_allclose(pred, expected, rtol=1e-12)
    # The same rows with a daily DatetimeIndex.
    days = pd.date_range("2024-01-01", periods=84, freq="D")
    dated = model.fit(None, pd.Series(y[:70], index=days[:70])).predict(pd.DataFrame(index=days[73:76]))
    assert_allclose(dated, expected, rtol=1e-12)


def test_gap_folds_of_time_series_split_score_as_by_hand(y):
    series = pd.Series(y)
    cv = TimeSeriesSplit(n_splits=3, test_size=7, gap=3)
    model = TransformedTargetForecaster(NaiveSeasonal(), transformer=Differencer())
    for train, test in cv.split(series):
        pred = model.fit(None, series.iloc[train]).predict(pd.DataFrame(index=series.index[test]))
        last, slope = y[train[-1]], y[train[-1]] - y[train[-2]]
        assert_allclose(pred, last + slope * (test - train[-1]), rtol=1e-12)


def test_second_order_seasonal_differences_match_differencer_inverse(y):
    model = TransformedTargetForecaster(
        ReductionForecaster(LinearRegression(), seq_length=7), transformer=Differencer(lag=7, order=2)
    ).fit(None, y)
    differencer = Differencer(lag=7, order=2).fit(y[:, None])
    z = differencer.transform(y[:, None])[:, 0]
    inner = ReductionForecaster(LinearRegression(), seq_length=7).fit(None, z)
    expected = differencer.inverse_transform(inner.predict(_none(10))[:, None])[:, 0]
    assert_allclose(model.predict(_none(10)), expected, rtol=1e-12)


def test_update_integrates_from_the_new_end(y):
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer=Differencer(lag=7))
    updated = clone(model).fit(None, y[:60]).update(None, y[60:75])
    refitted = clone(model).fit(None, y[:75])  # NaiveSeasonal has nothing to re-estimate
    assert_allclose(updated.predict(_none(9)), refitted.predict(_none(9)), rtol=1e-12)
    assert len(updated.y_) == 75 and len(updated.forecaster_.y_) == 75


def test_update_with_log_updates_the_inner_model_on_logs(y):
    model = TransformedTargetForecaster(SARIMAEstimator(p=1, q=0), transformer="log").fit(None, y[:70])
    model.update(None, y[70:])
    inner = SARIMAEstimator(p=1, q=0).fit(None, np.log(y[:70])).update(None, np.log(y[70:]))
    assert_allclose(model.predict(_none(4)), np.exp(inner.predict(_none(4))), rtol=1e-10)


@pytest.mark.parametrize(
    "forecaster, transformer",
    [
        (NaiveSeasonal(season_length=7), Differencer(lag=7)),
        (ReductionForecaster(LinearRegression(), seq_length=5), Differencer(lag=1, order=2)),
        (SARIMAEstimator(p=1, q=0), "log"),
        (ReductionForecaster(LinearRegression(), seq_length=7), BoxCoxTransformer(season_length=7)),
    ],
)
@pytest.mark.parametrize("horizon, step", [(1, 1), (3, 2), (8, 3)])
def test_predict_rolling_equals_a_predict_update_loop_and_changes_nothing(y, forecaster, transformer, horizon, step):
    model = TransformedTargetForecaster(forecaster, transformer=transformer).fit(None, y[:60])
    before = _state(model)
    rolled = model.predict_rolling(None, y[60:], horizon=horizon, stride=step)
    assert_allclose(rolled, _loop(model, y[60:], horizon, step), rtol=1e-9)
    for now, then in zip(_state(model), before, strict=True):
        assert_array_equal(now, then)


def test_backtest_without_refit_equals_the_loop(y):
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer=Differencer(lag=7))
    frame = backtest(model, None, y, start=63, horizon=3, stride=2, refit=False)
    loop = _loop(clone(model).fit(None, y[:63]), y[63:], 3, 2)
    assert_allclose(frame["forecast"].to_numpy(), loop.ravel(), rtol=1e-12)
    logged = backtest(
        TransformedTargetForecaster(SARIMAEstimator(p=1, q=0), transformer="log"), None, y, start=70, refit=False
    )
    assert np.isfinite(logged["forecast"]).all() and len(logged) == 14


def test_multi_target_differences(y):
    Y = np.column_stack([y, y[::-1] * 2])
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer=Differencer()).fit(None, Y[:70])
    pred = model.predict(_none(5))
    assert pred.shape == (5, 2)
    for j in range(2):
        one = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer=Differencer())
        assert_allclose(pred[:, j], one.fit(None, Y[:70, j]).predict(_none(5)), rtol=1e-12)
    rolled = model.predict_rolling(None, Y[70:], horizon=2, stride=3)
    assert rolled.shape == (5, 2, 2)
    assert_allclose(rolled, _loop(model, Y[70:], 2, 3), rtol=1e-12)


def test_nested_log_then_differences(y):
    """Log-differences by nesting: the outer log, the inner seasonal differences."""
    inner = TransformedTargetForecaster(NaiveSeasonal(), transformer=Differencer(lag=7))
    model = TransformedTargetForecaster(inner, transformer="log").fit(None, y[:70])
    log_y = np.log(y[:70])
    # The naive forecast of the lag-7 differences is the last one, added to last week's logs.
    assert_allclose(model.predict(_none(7)), np.exp(log_y[-7:] + log_y[-1] - log_y[-8]), rtol=1e-12)
    assert_allclose(model.predict_rolling(None, y[70:], horizon=2), _loop(model, y[70:], 2, 1), rtol=1e-12)


# -- intervals ---------------------------------------------------------------


def test_log_quantiles_are_exp_of_the_inner_quantiles(y):
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer="log").fit(None, y)
    inner = NaiveSeasonal(season_length=7).fit(None, np.log(y))
    levels = [0.05, 0.5, 0.9]
    assert_allclose(
        model.predict_quantiles(_none(9), levels).to_numpy(),
        np.exp(inner.predict_quantiles(_none(9), levels).to_numpy()),
        rtol=1e-12,
    )
    frame = model.forecast(3, coverage=0.8)
    bounds = np.exp(inner.predict_interval(_none(3), coverage=0.8).to_numpy())
    assert_allclose(frame[["lower", "upper"]].to_numpy(), bounds, rtol=1e-12)
    rolled = model.predict_rolling_quantiles(None, y[:20] * 1.1, horizon=2, stride=5, quantiles=levels)
    by_hand = np.exp(inner.predict_rolling_quantiles(None, np.log(y[:20] * 1.1), horizon=2, stride=5, quantiles=levels))
    assert_allclose(rolled, by_hand, rtol=1e-12)


def test_bias_adjustment_is_fpp3s_correction(y):
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer="log", bias_adjust=True)
    model.fit(None, y)
    inner = NaiveSeasonal(season_length=7).fit(None, np.log(y))
    h = np.arange(1, 11)
    sigma = inner.sigma_[0] * np.sqrt((h - 1) // 7 + 1)
    median = np.exp(inner.predict(_none(10)))
    assert_allclose(model.predict(_none(10)), median * (1 + sigma**2 / 2), rtol=1e-9)
    assert_allclose(model.predict_rolling(None, y[:14], horizon=3), _loop(model, y[:14], 3, 1), rtol=1e-12)

    lam = 0.5
    boxcox = TransformedTargetForecaster(
        NaiveSeasonal(season_length=7), transformer=BoxCoxTransformer(lmbda=lam), bias_adjust=True
    ).fit(None, y)
    w = NaiveSeasonal(season_length=7).fit(None, stats.boxcox(y, lam))
    wsig = w.sigma_[0] * np.sqrt((h - 1) // 7 + 1)
    wpred = w.predict(_none(10))
    expected = inv_boxcox(wpred, lam) * (1 + wsig**2 * (1 - lam) / (2 * (lam * wpred + 1) ** 2))
    assert_allclose(boxcox.predict(_none(10)), expected, rtol=1e-9)


def test_differences_have_no_transformed_intervals_but_conformal_works(y):
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer=Differencer(lag=7)).fit(None, y)
    with pytest.raises(NotImplementedError, match="sum of quantiles.*ConformalForecaster.*SARIMAEstimator"):
        model.predict_interval(_none(3))
    conformal = ConformalForecaster(clone(model), calibration_horizon=2, calibration_size=0.5).fit(None, y)
    interval = conformal.predict_interval(_none(2), coverage=0.5).to_numpy()
    assert (interval[:, 0] <= model.predict(_none(2))).all() and (model.predict(_none(2)) <= interval[:, 1]).all()


def test_quantiles_need_an_increasing_transform_and_an_inner_distribution(y):
    flipped = FunctionTransformer(np.negative, inverse_func=np.negative)
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer=flipped).fit(None, y)
    assert_allclose(model.predict(_none(3)), y[-7:-4])
    with pytest.raises(ValueError, match="not increasing.*ConformalForecaster"):
        model.predict_quantiles(_none(3))
    linear = TransformedTargetForecaster(ReductionForecaster(LinearRegression(), seq_length=7), transformer="log")
    with pytest.raises(NotImplementedError, match="ReductionForecaster has none.*ConformalForecaster"):
        linear.fit(None, y).predict_interval(_none(3))


# -- estimator contract --------------------------------------------------------


def test_clone_pickle_and_grid_search_over_the_transformer(y):
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer="log").fit(None, y)
    assert clone(model).get_params()["transformer"] == "log"
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.predict(_none(5)), model.predict(_none(5)))
    search = GridSearchCV(
        TransformedTargetForecaster(NaiveSeasonal()),
        {"transformer": [None, "log", Differencer(lag=7)], "forecaster__season_length": [1, 7]},
        cv=TimeSeriesSplit(n_splits=3, test_size=7),
        scoring="neg_mean_absolute_error",
    ).fit(_none(84), y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    # The trend makes last week plus the last weekly change beat last week alone.
    assert isinstance(search.best_params_["transformer"], Differencer)


def test_user_data_is_not_mutated(y):
    series = pd.Series(y.copy())
    model = TransformedTargetForecaster(NaiveSeasonal(season_length=7), transformer=Differencer()).fit(None, series)
    model.update(None, pd.Series(y[:5].copy(), index=pd.RangeIndex(84, 89)))
    assert_array_equal(series.to_numpy(), y)


# -- errors --------------------------------------------------------------------


@pytest.mark.parametrize("transformer", ["log", "box-cox"])
def test_non_positive_y_is_refused_before_any_fit(y, transformer):
    bad = y.copy()
    bad[10] = 0.0
    model = TransformedTargetForecaster(NaiveSeasonal(), transformer=transformer)
    with pytest.raises(ValueError, match="row 10 .*log1p"):
        model.fit(None, bad)
    assert not hasattr(model, "forecaster_")
    model.fit(None, y)
    with pytest.raises(ValueError, match="row 1 "):
        model.update(None, [3.0, -1.0])
    assert len(model.y_) == 84
    with pytest.raises(ValueError, match="row 1 "):
        model.predict_rolling(None, [3.0, -1.0])


def test_transformer_without_inverse_is_a_parameter_error(y):
    with pytest.raises(InvalidParameterError, match="inverse_transform"):
        TransformedTargetForecaster(NaiveSeasonal(), transformer=LinearRegression()).fit(None, y)
    with pytest.raises(InvalidParameterError, match="transformer"):
        TransformedTargetForecaster(NaiveSeasonal(), transformer="sqrt").fit(None, y)


def test_pipeline_with_a_differencer_is_refused(y):
    pipe = make_pipeline(LogTransformer(), Differencer())
    with pytest.raises(ValueError, match="contains a Differencer.*nest"):
        TransformedTargetForecaster(NaiveSeasonal(), transformer=pipe).fit(None, y)


def test_bias_adjust_needs_log_or_box_cox(y):
    with pytest.raises(ValueError, match="bias_adjust=True.*Differencer"):
        TransformedTargetForecaster(NaiveSeasonal(), transformer=Differencer(), bias_adjust=True).fit(None, y)


@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")
def test_transform_that_breaks_rows_or_gives_nan_is_named(y):
    sqrt = FunctionTransformer(np.sqrt, inverse_func=np.square, check_inverse=False)
    with pytest.raises(ValueError, match="FunctionTransformer gave NaN or inf at row 2"):
        TransformedTargetForecaster(NaiveSeasonal(), transformer=sqrt).fit(None, [1.0, 4.0, -1.0, 9.0])
    drop = FunctionTransformer(lambda v: v[1:], inverse_func=lambda v: v, check_inverse=False)
    with pytest.raises(ValueError, match="same width|one row"):
        TransformedTargetForecaster(NaiveSeasonal(), transformer=drop).fit(None, y)
