"""SlidingWindow: lag-window features, one row per time step."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from skts.windowing import SlidingWindow
from skts.windowing import sliding_windows


def hand_lags(X, seq_length, fill_value):
    """Row t, column f * seq_length + j: X[t - j, f], fill_value before the start."""
    n_steps, n_features = X.shape
    out = np.empty((n_steps, n_features * seq_length))
    for t in range(n_steps):
        for f in range(n_features):
            for j in range(seq_length):
                out[t, f * seq_length + j] = X[t - j, f] if t - j >= 0 else fill_value
    return out


@pytest.fixture
def X():
    return np.random.default_rng(1).normal(size=(12, 3))


@pytest.mark.parametrize("seq_length", [1, 2, 5, 12, 15])
@pytest.mark.parametrize("fill_value", [np.nan, 0.0, -1.5])
def test_transform_matches_hand_lags(X, seq_length, fill_value):
    out = SlidingWindow(seq_length=seq_length, fill_value=fill_value).fit_transform(X)
    assert out.shape == (12, 3 * seq_length)
    assert_array_equal(out, hand_lags(X, seq_length, fill_value))


def test_complete_rows_are_the_reversed_windows(X):
    seq_length = 4
    out = SlidingWindow(seq_length=seq_length).fit_transform(X)
    windows = sliding_windows(X, seq_length)  # (n - 3, 4, 3), oldest step first
    expected = windows[:, ::-1, :].transpose(0, 2, 1).reshape(len(windows), -1)
    assert_array_equal(out[seq_length - 1 :], expected)
    assert np.isnan(out[: seq_length - 1]).any(axis=1).all()


def test_feature_names_put_lag_zero_on_the_current_row():
    frame = pd.DataFrame({"bus": [1.0, 2.0, 3.0], "rail": [10.0, 20.0, 30.0]})
    window = SlidingWindow(seq_length=2).fit(frame)
    names = window.get_feature_names_out()
    assert list(names) == ["bus_lag0", "bus_lag1", "rail_lag0", "rail_lag1"]
    out = window.transform(frame)
    assert out[2, list(names).index("rail_lag0")] == 30.0
    assert out[2, list(names).index("rail_lag1")] == 20.0
    unnamed = SlidingWindow(seq_length=2).fit(np.zeros((3, 2)))
    assert list(unnamed.get_feature_names_out()) == ["x0_lag0", "x0_lag1", "x1_lag0", "x1_lag1"]


def test_pandas_output_keeps_index_and_names():
    index = pd.date_range("2019-01-01", periods=5, freq="D")
    frame = pd.DataFrame({"rail": [1.0, 2.0, 3.0, 4.0, 5.0]}, index=index)
    out = SlidingWindow(seq_length=3, fill_value=0.0).set_output(transform="pandas").fit_transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(index)
    assert list(out.columns) == ["rail_lag0", "rail_lag1", "rail_lag2"]
    assert out.loc["2019-01-04"].tolist() == [4.0, 3.0, 2.0]
    assert out.loc["2019-01-02"].tolist() == [2.0, 1.0, 0.0]


def test_pipeline_learns_a_linear_function_of_the_lags():
    # The target of row t, 0.5 * x[t] - 0.25 * x[t - 2], is exactly linear in its lags.
    x = np.random.default_rng(2).normal(size=60)
    X_rows = x[:-1].reshape(-1, 1)
    target = 0.5 * x[:-1] - 0.25 * np.concatenate([[0.0, 0.0], x[:-3]])
    model = make_pipeline(SlidingWindow(seq_length=3, fill_value=0.0), LinearRegression())
    model.fit(X_rows, target)
    assert_allclose(model[-1].coef_, [0.5, 0.0, -0.25], atol=1e-10)
    assert_allclose(model.predict(X_rows), target, atol=1e-10)


def test_dtype_and_nan_pass_through(X):
    out = SlidingWindow(seq_length=2, fill_value=0.0).fit_transform(X.astype(np.float32))
    assert out.dtype == np.float32
    X_nan = X.copy()
    X_nan[5, 1] = np.nan
    out = SlidingWindow(seq_length=3, fill_value=0.0).fit_transform(X_nan)
    nan_rows, nan_cols = np.nonzero(np.isnan(out))
    assert nan_rows.tolist() == [5, 6, 7]
    assert nan_cols.tolist() == [3, 4, 5]


def test_input_is_not_modified(X):
    before = X.copy()
    SlidingWindow(seq_length=4).fit_transform(X)
    assert_array_equal(X, before)


def test_bad_input(X):
    with pytest.raises(NotFittedError):
        SlidingWindow().transform(X)
    window = SlidingWindow(seq_length=2).fit(X)
    with pytest.raises(ValueError, match="X has 2 features, but SlidingWindow is expecting 3"):
        window.transform(X[:, :2])
    frame = pd.DataFrame({"rail": [1.0, 2.0], "day_type": ["W", "A"]})
    with pytest.raises(ValueError, match=r"non-numeric column\(s\): \['day_type'\].*get_dummies"):
        SlidingWindow(seq_length=2).fit(frame)
    with pytest.raises(ValueError, match="infinity"):
        SlidingWindow(seq_length=2).fit(np.array([[1.0], [np.inf]]))
    with pytest.raises(ValueError, match="seq_length"):
        SlidingWindow(seq_length=0).fit(X)


@pytest.mark.parametrize(
    "index",
    [
        pd.date_range("2020-01-01", periods=48, freq="D"),
        pd.period_range("2020-01", periods=48, freq="M"),
        pd.RangeIndex(48),
    ],
    ids=["DatetimeIndex", "PeriodIndex", "RangeIndex"],
)
@pytest.mark.parametrize("gap", [0, 2])
def test_test_folds_of_time_series_split_get_their_lags_from_the_fitted_rows(index, gap):
    from sklearn.model_selection import TimeSeriesSplit

    X = pd.DataFrame({"rail": np.arange(48.0), "bus": -np.arange(48.0)}, index=index)
    for train, test in TimeSeriesSplit(n_splits=3, test_size=8, gap=gap).split(X):
        lags = SlidingWindow(seq_length=5).fit(X.iloc[train]).transform(X.iloc[test])
        # Rows inside the gap were never seen: their lags are fill_value, as in production.
        seen = X.copy()
        seen.iloc[train[-1] + 1 : test[0]] = np.nan
        assert_array_equal(lags, SlidingWindow(seq_length=5).fit_transform(seen)[test])
        assert gap or not np.isnan(lags).any()


def test_rows_that_do_not_follow_the_fitted_ones_are_windowed_on_their_own(X):
    frame = pd.DataFrame(X, index=pd.date_range("2020-01-01", periods=12, freq="D"))
    window = SlidingWindow(seq_length=3).fit(frame)
    # The fitted rows again (as scikit-learn's fit(X).transform(X)), NumPy rows.
    assert_array_equal(window.transform(frame), hand_lags(X, 3, np.nan))
    assert_array_equal(window.transform(X), hand_lags(X, 3, np.nan))
