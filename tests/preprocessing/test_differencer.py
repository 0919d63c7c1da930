"""Differencer: same-length differences, and levels back from forecasts."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skts.preprocessing import Differencer
from skts.forecasting import NaiveSeasonal


def hand_difference(values, lag, order):
    """Lag differences applied ``order`` times, as lists, leading values dropped."""
    levels = [list(values)]
    for _ in range(order):
        d = levels[-1]
        levels.append([d[t] - d[t - lag] for t in range(lag, len(d))])
    return levels


def hand_forecast(history, lag, order, season_length, horizon):
    """Seasonal-naive forecast of the differences, integrated back step by step."""
    levels = hand_difference(history, lag, order)
    top = levels[-1]
    forecast = [top[len(top) - season_length + i % season_length] for i in range(horizon)]
    for level in reversed(levels[:-1]):
        extended = list(level)
        for value in forecast:
            extended.append(value + extended[-lag])
        forecast = extended[len(level) :]
    return forecast


@pytest.fixture
def y():
    """Weekly pattern, trend and noise: 120 days."""
    rng = np.random.default_rng(7)
    t = np.arange(120)
    return 100 + 0.8 * t + 10 * np.sin(2 * np.pi * t / 7) + rng.normal(scale=2.0, size=120)


@pytest.mark.parametrize("lag, order", [(1, 1), (1, 2), (7, 1), (7, 2), (3, 3)])
def test_transform_matches_hand_differences(y, lag, order):
    out = Differencer(lag=lag, order=order).fit_transform(y.reshape(-1, 1))
    assert out.shape == (120, 1)
    assert np.isnan(out[: lag * order]).all()
    assert_allclose(out[lag * order :, 0], hand_difference(y, lag, order)[-1], rtol=0, atol=1e-9)


def test_multi_column_differences_each_column(y):
    Y = np.column_stack([y, y[::-1], 2 * y])
    out = Differencer(lag=7, order=2).fit_transform(Y)
    for j in range(3):
        assert_array_equal(out[:, j], Differencer(lag=7, order=2).fit_transform(Y[:, [j]])[:, 0])


def test_inverse_multi_column_from_each_tail(y):
    Y = np.column_stack([y, -3 * y])
    differencer = Differencer(lag=7, order=2).fit(Y[:100])
    future_diffs = differencer.transform(Y)[100:]
    assert_allclose(differencer.inverse_transform(future_diffs), Y[100:], rtol=1e-12)


def test_order_zero_is_the_identity(y):
    differencer = Differencer(lag=7, order=0).fit(y.reshape(-1, 1))
    assert_array_equal(differencer.transform(y.reshape(-1, 1))[:, 0], y)
    assert_array_equal(differencer.inverse_transform([[1.0], [2.0]]), [[1.0], [2.0]])


@settings(max_examples=80, deadline=None)
@given(
    lag=st.integers(1, 10),
    order=st.integers(1, 2),
    n_history_extra=st.integers(1, 30),
    horizon=st.integers(1, 40),
    n_series=st.integers(1, 3),
    data=st.data(),
)
def test_round_trip_reproduces_the_continuation(lag, order, n_history_extra, horizon, n_series, data):
    # Integer-valued floats make every difference and sum exact.
    n = lag * order + n_history_extra + horizon
    values = data.draw(st.lists(st.integers(-10**6, 10**6), min_size=n * n_series, max_size=n * n_series))
    series = np.array(values, dtype=float).reshape(n, n_series)
    history = series[:-horizon]
    differencer = Differencer(lag=lag, order=order).fit(history)
    future_diffs = Differencer(lag=lag, order=order).fit(series).transform(series)[-horizon:]
    assert np.isfinite(future_diffs).all()
    assert_array_equal(differencer.inverse_transform(future_diffs), series[-horizon:])


@pytest.mark.parametrize("lag, order", [(1, 1), (7, 1), (1, 2), (7, 2)])
def test_grid_search_level_forecasts_equal_hand_computation(y, lag, order):
    X = np.empty((len(y), 0))
    model = TransformedTargetRegressor(
        regressor=NaiveSeasonal(), transformer=Differencer(lag=lag, order=order), check_inverse=False
    )
    cv = TimeSeriesSplit(n_splits=3, test_size=14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        search = GridSearchCV(
            model, {"regressor__season_length": [1, 7]}, cv=cv, scoring="neg_mean_absolute_error"
        ).fit(X, y)
        refit_forecast = search.predict(np.empty((14, 0)))

    for candidate, season_length in enumerate([1, 7]):
        for split, (train, test) in enumerate(cv.split(X)):
            expected = hand_forecast(y[train], lag, order, season_length, len(test))
            mae = np.mean(np.abs(y[test] - np.array(expected)))
            assert search.cv_results_[f"split{split}_test_score"][candidate] == pytest.approx(-mae, rel=1e-12)
    best = search.best_params_["regressor__season_length"]
    assert_allclose(refit_forecast, hand_forecast(y, lag, order, best, 14), rtol=1e-12)


def test_time_indexed_multi_target_forecast(y):
    index = pd.date_range("2019-01-01", periods=120, freq="D")
    Y = pd.DataFrame({"bus": y, "rail": 2 * y[::-1]}, index=index)
    X = pd.DataFrame(index=index)
    model = TransformedTargetRegressor(
        regressor=NaiveSeasonal(season_length=7), transformer=Differencer(lag=7), check_inverse=False
    )
    future = pd.DataFrame(index=pd.date_range("2019-05-01", periods=10, freq="D"))
    forecast = model.fit(X, Y).predict(future)
    assert forecast.shape == (10, 2)
    for j, column in enumerate(Y):
        assert_allclose(forecast[:, j], hand_forecast(Y[column].to_numpy(), 7, 1, 7, 10), rtol=1e-12)


def test_check_inverse_round_trip_cannot_pass(y):
    # Why the docs require check_inverse=False: scikit-learn inverts in-sample
    # differences as if they were forecasts after the history.
    # The in-sample differences start with NaN, and the error says what to do.
    model = TransformedTargetRegressor(regressor=NaiveSeasonal(), transformer=Differencer(lag=7))
    with pytest.raises(ValueError, match="TransformedTargetRegressor.*pass check_inverse=False"):
        model.fit(np.empty((len(y), 0)), y)


def test_input_is_not_modified(y):
    Y = y.reshape(-1, 1)
    before = Y.copy()
    differencer = Differencer(lag=7, order=2).fit(Y)
    differencer.transform(Y)
    diffs = np.ones((5, 1))
    differencer.inverse_transform(diffs)
    assert_array_equal(Y, before)
    assert_array_equal(diffs, np.ones((5, 1)))


def test_pandas_output_keeps_names(y):
    frame = pd.DataFrame({"rail": y}, index=pd.date_range("2019-01-01", periods=120, freq="D"))
    out = Differencer(lag=7).set_output(transform="pandas").fit_transform(frame)
    assert list(out.columns) == ["rail"]
    assert out.index.equals(frame.index)
    assert out["rail"].iloc[7] == pytest.approx(y[7] - y[0])


def test_bad_input(y):
    Y = y.reshape(-1, 1)
    with pytest.raises(NotFittedError):
        Differencer().inverse_transform(Y[:3])
    with pytest.raises(NotFittedError):
        Differencer().transform(Y)
    nan_y = Y.copy()
    nan_y[10] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Differencer().fit(nan_y)
    with pytest.raises(ValueError, match="infinity"):
        Differencer().fit(np.where(np.arange(120)[:, None] == 3, np.inf, Y))
    # lag * order = 14 rows leave no difference in a 14-row history.
    with pytest.raises(ValueError, match="Found array with 14 sample.*minimum of 15"):
        Differencer(lag=7, order=2).fit(Y[:14])
    Differencer(lag=7, order=2).fit(Y[:15])
    frame = pd.DataFrame({"rail": y, "day_type": ["W"] * 120})
    with pytest.raises(ValueError, match=r"non-numeric column\(s\): \['day_type'\]"):
        Differencer().fit(frame)
    fitted = Differencer(lag=7).fit(np.column_stack([y, y]))
    with pytest.raises(ValueError, match=r"X has 1 column\(s\) but Differencer was fitted on 2 series.*\(horizon, 2\)"):
        fitted.inverse_transform(np.ones((3, 1)))
    with pytest.raises(ValueError, match="X has 3 features, but Differencer is expecting 2"):
        fitted.transform(np.ones((10, 3)))
    with pytest.raises(ValueError, match="inverse_transform got NaN or inf"):
        fitted.inverse_transform(np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="Expected 2D array"):
        Differencer().fit(y)
    with pytest.raises(ValueError, match="lag"):
        Differencer(lag=0).fit(Y)
