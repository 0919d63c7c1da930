"""ReductionForecaster against regressors fitted by hand on hand-built windows."""

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.multioutput import MultiOutputRegressor
from sklearn.svm import SVR

from skts.preprocessing import Differencer
from skts.forecasting import ReductionForecaster
from skts.forecasting import BaseForecaster

RNG = np.random.RandomState(0)
N = 80
Y = np.sin(np.arange(N) * 2 * np.pi / 7) * 10 + np.arange(N) * 0.3 + RNG.normal(size=N)
Y2 = np.column_stack([Y, np.cos(np.arange(N) / 3.0) * 5 + RNG.normal(size=N)])
XC = np.column_stack([np.arange(N) % 7 == 5, RNG.normal(size=N)]).astype(float)
NONE = np.empty((N, 0))


def _windows(y, X, seq_length, ahead):
    """Features and labels with an explicit loop: lags before t, covariates and label at t + ahead - 1."""
    y = y.reshape(len(y), -1)
    features, labels = [], []
    for t in range(seq_length, len(y) - ahead + 1):
        features.append(np.concatenate([y[t - seq_length : t].ravel(), X[t + ahead - 1]]))
        labels.append(y[t + ahead - 1])
    labels = np.array(labels)
    return np.array(features), labels[:, 0] if labels.shape[1] == 1 else labels


def _recursive_by_hand(model, y, X, X_future, seq_length, steps):
    history = list(y.reshape(len(y), -1))
    out = []
    for s in range(steps):
        feats = np.concatenate([np.ravel(history[-seq_length:]), X_future[s]])
        pred = np.ravel(model.predict(feats[None]))
        history.append(pred)
        out.append(pred)
    return np.array(out)


@pytest.mark.parametrize("y, X", [(Y, NONE), (Y, XC), (Y2, NONE), (Y2, XC)])
def test_recursive_equals_hand_built_linear_regression(y, X):
    seq_length, steps = 5, 9
    train = N - steps
    model = ReductionForecaster(LinearRegression(), seq_length=seq_length).fit(X[:train], y[:train])
    hand = LinearRegression().fit(*_windows(y[:train], X[:train], seq_length, 1))
    np.testing.assert_allclose(model.regressor_.coef_, hand.coef_, rtol=1e-10, atol=1e-10)
    expected = _recursive_by_hand(hand, y[:train], X[:train], X[train:], seq_length, steps)
    np.testing.assert_allclose(model.predict(X[train:]).reshape(steps, -1), expected, rtol=1e-9)
    # One step ahead is the plain regression on the last window.
    np.testing.assert_allclose(model.predict(X[train : train + 1]).ravel(), expected[0], rtol=1e-9)
    assert model.predict(X[train:]).shape == y[train:].shape


@pytest.mark.parametrize("y, X", [(Y, NONE), (Y, XC), (Y2, XC)])
def test_direct_equals_one_regression_per_step(y, X):
    seq_length, horizon, steps = 4, 3, 8  # 8 steps: blocks of 3, 3 and 2
    train = N - steps
    model = ReductionForecaster(LinearRegression(), seq_length=seq_length, output_length=horizon, strategy="direct")
    model.fit(X[:train], y[:train])
    assert not hasattr(model, "regressor_") and len(model.regressors_) == horizon
    hands = [LinearRegression().fit(*_windows(y[:train], X[:train], seq_length, h)) for h in (1, 2, 3)]
    for fitted, hand in zip(model.regressors_, hands):
        np.testing.assert_allclose(fitted.coef_, hand.coef_, rtol=1e-10, atol=1e-10)
    history = list(y[:train].reshape(train, -1))
    expected = []
    for start in range(0, steps, horizon):
        window = np.ravel(history[-seq_length:])
        block = [
            np.ravel(hands[h].predict(np.concatenate([window, X[train + start + h]])[None]))
            for h in range(min(horizon, steps - start))
        ]
        history.extend(block)
        expected.extend(block)
    np.testing.assert_allclose(model.predict(X[train:]).reshape(steps, -1), np.array(expected), rtol=1e-9)


def test_direct_step_one_is_the_recursive_model():
    recursive = ReductionForecaster(LinearRegression(), seq_length=6).fit(XC, Y)
    direct = ReductionForecaster(LinearRegression(), seq_length=6, output_length=4, strategy="direct").fit(XC, Y)
    np.testing.assert_allclose(direct.regressors_[0].coef_, recursive.regressor_.coef_, rtol=1e-10)


def test_covariates_of_the_forecast_step_are_used():
    # y jumps by 100 whenever the covariate is 1: only its value at the forecast step explains it.
    flag = (np.arange(N) % 5 == 0).astype(float)
    y = 100 * flag + 5
    model = ReductionForecaster(LinearRegression(), seq_length=3).fit(flag[:-6, None], y[:-6])
    np.testing.assert_allclose(model.predict(flag[-6:, None]), y[-6:], atol=1e-6)
    # With a different future flag the forecast moves by the learned 100.
    flipped = flag[-6:, None].copy()
    flipped[0] = 1 - flipped[0]
    shift = model.predict(flipped)[0] - model.predict(flag[-6:, None])[0]
    assert shift == pytest.approx(100 * (flipped[0, 0] - flag[-6]), abs=1e-6)


def test_update_extends_the_window_without_refitting():
    model = ReductionForecaster(Ridge(alpha=1.0), seq_length=5).fit(XC[:60], Y[:60])
    coef = model.regressor_.coef_.copy()
    model.update(XC[60:70], Y[60:70])
    np.testing.assert_array_equal(model.regressor_.coef_, coef)
    expected = _recursive_by_hand(model.regressor_, Y[:70], XC[:70], XC[70:], 5, 10)
    np.testing.assert_allclose(model.predict(XC[70:]), expected.ravel(), rtol=1e-10)


@pytest.mark.parametrize("strategy, horizon", [("recursive", 1), ("direct", 3)])
def test_rolling_hook_equals_predict_and_update(strategy, horizon):
    model = ReductionForecaster(LinearRegression(), seq_length=4, output_length=horizon, strategy=strategy)
    model.fit(XC[:50], Y2[:50])
    reference = copy.deepcopy(model)
    origins = np.array([0, 1, 5, 12, 20])
    batched = model._rolling_forecasts(Y2[50:], XC[50:], origins, 7)
    walked = BaseForecaster._rolling_forecasts(reference, Y2[50:], XC[50:], origins, 7)
    np.testing.assert_allclose(batched, walked, rtol=1e-12)
    # Neither path changes the forecaster.
    np.testing.assert_array_equal(model.y_, Y2[:50])
    np.testing.assert_array_equal(reference.y_, Y2[:50])


def test_grid_search_over_regressor_alpha():
    X, y = NONE, Y
    cv = TimeSeriesSplit(n_splits=4, test_size=7)
    grid = {"regressor__alpha": [0.01, 1e4]}
    search = GridSearchCV(
        ReductionForecaster(Ridge(), seq_length=7), grid, cv=cv, scoring="neg_mean_absolute_error"
    ).fit(X, y)
    for i, alpha in enumerate(grid["regressor__alpha"]):
        manual = cross_val_score(
            ReductionForecaster(Ridge(alpha=alpha), seq_length=7), X, y, cv=cv, scoring="neg_mean_absolute_error"
        )
        assert search.cv_results_["mean_test_score"][i] == pytest.approx(manual.mean())
    # Heavy shrinkage kills the weekly pattern: the light penalty wins.
    assert search.best_params_ == {"regressor__alpha": 0.01}
    assert search.best_estimator_.regressor_.alpha == 0.01


def test_pandas_history_and_forecast_index():
    index = pd.date_range("2020-01-01", periods=N, freq="D", name="date")
    y = pd.Series(Y, index=index, name="rail")
    X = pd.DataFrame({"weekend": XC[:, 0]}, index=index)
    model = ReductionForecaster(LinearRegression(), seq_length=7).fit(X[:-5], y[:-5])
    forecast = model.forecast(5, X[-5:])
    assert forecast.index.equals(index[-5:]) and forecast.name == "rail"
    np.testing.assert_allclose(forecast.to_numpy(), model.predict(X[-5:]))


def test_leading_nan_from_differencing():
    model = TransformedTargetRegressor(
        regressor=ReductionForecaster(LinearRegression(), seq_length=7),
        transformer=Differencer(lag=7),
        check_inverse=False,
    ).fit(NONE[:70], Y[:70])
    inner = ReductionForecaster(LinearRegression(), seq_length=7).fit(NONE[7:70], Y[7:70] - Y[:63])
    diffs = inner.predict(NONE[70:77])
    np.testing.assert_allclose(model.predict(NONE[70:77]), Y[63:70] + diffs, rtol=1e-10)


def test_inputs_not_mutated_and_pickle_round_trip():
    y, X = Y2.copy(), XC.copy()
    model = ReductionForecaster(Ridge(), seq_length=4, output_length=2, strategy="direct").fit(X, y)
    np.testing.assert_array_equal(y, Y2)
    np.testing.assert_array_equal(X, XC)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(XC[:5]), model.predict(XC[:5]))


@pytest.mark.parametrize(
    "params, n, message",
    [
        ({"seq_length": 10}, 10, r"at least seq_length \+ 1 = 10 \+ 1 = 11 observed rows.*got 10 sample"),
        ({"seq_length": 10, "output_length": 5, "strategy": "direct"}, 14, r"seq_length \+ output_length = 10 \+ 5 = 15"),
    ],
)
def test_series_shorter_than_the_window(params, n, message):
    with pytest.raises(ValueError, match=message):
        ReductionForecaster(LinearRegression(), **params).fit(NONE[:n], Y[:n])


def test_short_after_leading_nan():
    y = Y[:12].copy()
    y[:4] = np.nan
    with pytest.raises(ValueError, match="got 8 sample"):
        ReductionForecaster(LinearRegression(), seq_length=8).fit(NONE[:12], y)


def test_multi_target_needs_a_multi_output_regressor():
    with pytest.raises(ValueError, match="SVR predicts a single output.*MultiOutputRegressor"):
        ReductionForecaster(SVR(), seq_length=3).fit(NONE, Y2)
    wrapped = ReductionForecaster(MultiOutputRegressor(SVR()), seq_length=3).fit(NONE, Y2)
    assert wrapped.predict(NONE[:4]).shape == (4, 2)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"strategy": "dirrect"}, "strategy"),
        ({"seq_length": 0}, "seq_length"),
        ({"output_length": 0}, "output_length"),
        ({"regressor": "ridge"}, "regressor"),
    ],
)
def test_bad_parameters(params, message):
    kwargs = {"regressor": LinearRegression(), "seq_length": 3, **params}
    with pytest.raises(ValueError, match=message):
        ReductionForecaster(**kwargs).fit(NONE, Y)


def test_wrong_covariate_width_at_predict():
    model = ReductionForecaster(LinearRegression(), seq_length=3).fit(XC, Y)
    with pytest.raises(ValueError, match="features"):
        model.predict(np.ones((3, 1)))
