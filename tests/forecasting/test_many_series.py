"""Many series with a single-target forecaster: one SARIMA per column.

``MultiOutputRegressor(SARIMAEstimator(...), n_jobs=...)`` is the documented
way: each column of a wide ``y`` is one series, fitted by its own clone,
in parallel through joblib.
"""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.multioutput import MultiOutputRegressor

from skts import SARIMAEstimator
from skts.model_selection import backtest

ORDERS = dict(p=1, D=1, season_length=7)


def _panel(n=42, n_series=3, seed=0):
    """Daily series, one per column, each with its own level and weekly phase."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    columns = {
        f"store_{k}": 50 * (k + 1) + 10 * np.sin(2 * np.pi * t / 7 + k) + rng.normal(scale=2, size=n)
        for k in range(n_series)
    }
    return pd.DataFrame(columns, index=pd.date_range("2024-01-01", periods=n, freq="D", name="day"))


# Starting loky's worker processes is most of this test's time.
@pytest.mark.slow
def test_multioutput_equals_one_fit_per_column_in_parallel():
    y = _panel()
    Y = y.to_numpy()
    X, X_future = np.empty((len(Y), 0)), np.empty((5, 0))
    model = MultiOutputRegressor(SARIMAEstimator(**ORDERS), n_jobs=2).fit(X, Y)
    y_pred = model.predict(X_future)

    assert y_pred.shape == (5, Y.shape[1])
    for k in range(Y.shape[1]):
        single = SARIMAEstimator(**ORDERS).fit(X, Y[:, k])
        assert_allclose(y_pred[:, k], single.predict(X_future), rtol=1e-10)
        assert_allclose(model.estimators_[k].params_, single.params_, rtol=1e-10)
    # The caller's table is left as it was.
    assert_array_equal(y.to_numpy(), Y)


def test_multioutput_with_pandas_aligns_by_timestamp():
    y = _panel()
    X = pd.DataFrame(index=y.index)
    model = MultiOutputRegressor(SARIMAEstimator(**ORDERS)).fit(X, y)
    # Rows two days after the end of the history: aligned by timestamp, so
    # these are steps 3..5, as for each series on its own.
    future = pd.DataFrame(index=pd.date_range(y.index[-1] + pd.Timedelta(days=3), periods=3, freq="D"))
    y_pred = pd.DataFrame(model.predict(future), index=future.index, columns=y.columns)

    for name in y.columns:
        assert model.estimators_[y.columns.get_loc(name)].index_.equals(y.index)
        single = SARIMAEstimator(**ORDERS).fit(X, y[name]).forecast(5)
        assert_allclose(y_pred[name].to_numpy(), single.iloc[2:].to_numpy(), rtol=1e-10)
        assert y_pred.index.equals(single.index[2:])


@pytest.mark.parametrize("horizon", [1, 3])
def test_backtest_of_multioutput_equals_per_series_backtests(horizon):
    y = _panel(n=36, n_series=2)
    X = pd.DataFrame(index=y.index)
    panel = MultiOutputRegressor(SARIMAEstimator(**ORDERS))
    frame = backtest(panel, X, y, start=30, horizon=horizon, refit=True)

    assert list(frame.columns) == ["origin", "timestamp", "step", "target", "actual", "forecast"]
    assert set(frame["target"]) == set(y.columns)
    for name in y.columns:
        rows = frame[frame["target"] == name].reset_index(drop=True)
        single = backtest(SARIMAEstimator(**ORDERS), X, y[name], start=30, horizon=horizon, refit=True)
        assert_array_equal(rows["timestamp"].to_numpy(), single["timestamp"].to_numpy())
        assert_allclose(rows["actual"].to_numpy(), single["actual"].to_numpy())
        assert_allclose(rows["forecast"].to_numpy(), single["forecast"].to_numpy(), rtol=1e-10)


def test_grid_parameters_reach_every_series():
    y = _panel(n_series=2).to_numpy()
    model = MultiOutputRegressor(SARIMAEstimator(**ORDERS))
    model = clone(model).set_params(estimator__p=0, estimator__Q=1).fit(np.empty((len(y), 0)), y)
    assert all(est.p == 0 and est.Q == 1 for est in model.estimators_)
    assert all("ma.S.L7" in est.results_.param_names for est in model.estimators_)


def test_single_target_error_points_to_multioutput():
    y = _panel(n_series=2)
    with pytest.raises(ValueError, match=r"single target; y has 2 columns.*MultiOutputRegressor"):
        SARIMAEstimator(**ORDERS).fit(pd.DataFrame(index=y.index), y)
