"""skts on a Dask cluster through joblib: the same results as in one process.

Every parallel path of skts (and of the scikit-learn tools around it) goes
through joblib, so ``joblib.parallel_backend("dask")`` on a
``dask.distributed.Client`` sends the fits to the cluster's workers. One
local cluster of 2 worker processes (1 thread each) is started for the
module and closed at its end; most of the module's time is its start-up and
TensorFlow loading in both workers.
"""

import logging
import os
import sys
import tempfile

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.multioutput import MultiOutputRegressor

from skts.compose import PerSeriesForecaster
from skts.forecasting import SARIMAEstimator
from skts.model_selection import backtest

distributed = pytest.importorskip("distributed", reason="needs the extra: pip install 'skts[distributed]'")

# Two worker processes and a TensorFlow import in each: a few seconds even
# on an idle machine, so the module is marked slow (CI still runs it).
pytestmark = pytest.mark.slow

SARIMA = dict(P=0, D=1, Q=0, season_length=7)


def _series(n=48, n_targets=1, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    columns = [
        100 + 10 * np.sin(2 * np.pi * t / 7 + k) + rng.normal(scale=2, size=n) for k in range(n_targets)
    ]
    return np.column_stack(columns) if n_targets > 1 else columns[0]


@pytest.fixture(scope="module")
def cluster():
    """A local cluster whose workers write their stdout/stderr to a file.

    The worker processes inherit file descriptors 1 and 2 when they start,
    so pointing both at a file while the cluster starts collects everything
    the workers print (TensorFlow's C++ notices included) for the silence
    test. Yields ``(client, path of that file)``.
    """
    output = tempfile.NamedTemporaryFile(prefix="skts-dask-workers-", suffix=".txt", delete=False)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    try:
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        local = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
    client = distributed.Client(local)
    pids = list(client.run(os.getpid).values())
    try:
        yield client, output.name
    finally:
        client.close()
        local.close()
        output.close()
        os.unlink(output.name)
    # Nothing outlives the cluster: both worker processes have exited.
    psutil = pytest.importorskip("psutil")
    alive = [pid for pid in pids if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    assert not alive, f"worker processes {alive} still run after the cluster closed"


def _grid_search(estimator, grid, X, y, n_jobs, cv, refit=True):
    return GridSearchCV(
        estimator,
        grid,
        cv=cv,
        scoring="neg_mean_absolute_error",
        n_jobs=n_jobs,
        error_score="raise",
        refit=refit,
    ).fit(X, y)


def _split_scores(search):
    return np.array([search.cv_results_[f"split{i}_test_score"] for i in range(search.n_splits_)])


def test_sarima_grid_search_on_dask_equals_serial(cluster):
    client, _ = cluster
    y = _series()
    X = pd.DataFrame(index=pd.date_range("2024-01-01", periods=len(y), freq="D"))
    y = pd.Series(y, index=X.index, name="riders")
    grid = {"p": [0, 1], "d": [0, 1], "q": [0, 1]}
    cv = TimeSeriesSplit(n_splits=2, test_size=7)
    serial = _grid_search(SARIMAEstimator(**SARIMA), grid, X, y, n_jobs=1, cv=cv)
    with joblib.parallel_backend("dask"):
        on_dask = _grid_search(SARIMAEstimator(**SARIMA), grid, X, y, n_jobs=2, cv=cv)
    # The fits ran on the workers: both loaded statsmodels' ARIMA.
    loaded = client.run(lambda: "statsmodels.tsa.arima.model" in sys.modules)
    assert len(loaded) == 2 and all(loaded.values())

    assert_allclose(_split_scores(on_dask), _split_scores(serial), rtol=1e-8)
    assert on_dask.best_params_ == serial.best_params_
    future = pd.DataFrame(index=pd.date_range(X.index[-1] + pd.Timedelta(days=1), periods=7, freq="D"))
    assert_allclose(on_dask.predict(future), serial.predict(future), rtol=1e-8)


def test_cross_val_score_and_multioutput_on_dask_equal_serial(cluster):
    y = _series(n=42, n_targets=2)
    X = np.empty((len(y), 0))
    cv = TimeSeriesSplit(n_splits=2, test_size=5)
    model = MultiOutputRegressor(SARIMAEstimator(p=1, **SARIMA), n_jobs=2)
    serial = cross_val_score(model, X, y, cv=cv, scoring="neg_mean_absolute_error", n_jobs=1)
    serial_fit = model.set_params(n_jobs=1).fit(X, y).predict(np.empty((4, 0)))
    with joblib.parallel_backend("dask"):
        on_dask = cross_val_score(model, X, y, cv=cv, scoring="neg_mean_absolute_error", n_jobs=2)
        # MultiOutputRegressor's own n_jobs: one task per column.
        dask_fit = model.set_params(n_jobs=2).fit(X, y).predict(np.empty((4, 0)))
    assert_allclose(on_dask, serial, rtol=1e-8)
    assert dask_fit.shape == (4, 2)
    assert_allclose(dask_fit, serial_fit, rtol=1e-8)


@pytest.mark.parametrize("refit", [3, True])
def test_backtest_with_refits_on_dask_equals_serial(cluster, refit):
    y = _series(n=40)
    X = np.empty((len(y), 0))
    estimator = SARIMAEstimator(p=1, **SARIMA)
    serial = backtest(estimator, X, y, start=28, horizon=2, refit=refit, n_jobs=1)
    with joblib.parallel_backend("dask"):
        on_dask = backtest(estimator, X, y, start=28, horizon=2, refit=refit, n_jobs=2)
    assert len(serial) == 2 * 11
    pd.testing.assert_frame_equal(on_dask, serial, rtol=1e-8)


def test_multioutput_backtest_without_refit_on_dask_equals_serial(cluster):
    # One fit of the panel, its columns fitted on the workers by
    # MultiOutputRegressor's n_jobs; each column's rolling forecasts follow.
    client, _ = cluster
    y = _series(n=40, n_targets=2)
    X = np.empty((len(y), 0))
    panel = MultiOutputRegressor(SARIMAEstimator(p=1, **SARIMA), n_jobs=2)
    serial = backtest(panel.set_params(n_jobs=1), X, y, start=30, horizon=2, refit=False, coverage=0.8)
    with joblib.parallel_backend("dask"):
        on_dask = backtest(panel.set_params(n_jobs=2), X, y, start=30, horizon=2, refit=False, coverage=0.8)
    loaded = client.run(lambda: "statsmodels.tsa.arima.model" in sys.modules)
    assert len(loaded) == 2 and all(loaded.values())
    assert len(serial) == 9 * 2 * 2
    pd.testing.assert_frame_equal(on_dask, serial, rtol=1e-8)


def test_per_series_forecaster_on_dask_equals_serial(cluster):
    # PerSeriesForecaster's column fits and forecasts go through joblib, so
    # under the dask backend they run on the workers; the forecasts, their
    # intervals and a backtest with refits must not change.
    client, _ = cluster
    index = pd.date_range("2024-01-01", periods=60, freq="D")
    y = pd.DataFrame(_series(n=60, n_targets=4, seed=1), index=index, columns=["a", "b", "c", "d"])
    model = PerSeriesForecaster(SARIMAEstimator(p=1, D=1, season_length=7), n_jobs=2)

    def forecast():
        return clone(model).fit(None, y).forecast(7, coverage=[0.8, 0.95])

    def backtest_with_refits():
        return backtest(model, None, y, start=46, horizon=2, refit=7, coverage=0.8)

    serial_forecast, serial_backtest = forecast(), backtest_with_refits()
    with joblib.parallel_backend("dask"):
        with distributed.get_task_stream(client) as tasks:
            dask_forecast = forecast()
        dask_backtest = backtest_with_refits()
    # The column fits and the column forecasts ran on the workers (joblib
    # may batch the columns, so at least one task each).
    assert len(tasks.data) >= 2, "PerSeriesForecaster sent nothing to the cluster"
    assert list(serial_forecast.columns.get_level_values(0).unique()) == ["a", "b", "c", "d"]
    pd.testing.assert_frame_equal(dask_forecast, serial_forecast, rtol=1e-8)
    assert len(serial_backtest) == 13 * 2 * 4 and {"lower", "upper"} <= set(serial_backtest.columns)
    pd.testing.assert_frame_equal(dask_backtest, serial_backtest, rtol=1e-8)


def test_rnn_grid_search_on_dask_equals_serial_and_is_silent(cluster):
    client, worker_output = cluster
    from skts.neural import RNNForecaster

    y = _series(n=40)
    X = np.empty((len(y), 0))
    rnn = RNNForecaster(units=2, seq_length=3, epochs=1, batch_size=16, random_state=0)
    grid = {"units": [2, 3]}
    # Two origins, two candidates: 4 fits, so each worker trains a network
    # after another one, and its result must not depend on what ran before.
    cv = TimeSeriesSplit(n_splits=2, test_size=5)
    serial = _grid_search(rnn, grid, X, y, n_jobs=1, cv=cv, refit=False)
    with joblib.parallel_backend("dask"):
        on_dask = _grid_search(rnn, grid, X, y, n_jobs=2, cv=cv, refit=False)

    loaded = client.run(lambda: "tensorflow" in sys.modules)
    assert any(loaded.values()), "no worker loaded TensorFlow: the fits did not run on the cluster"
    # Same seed, same network, same float32 arithmetic on the same CPU.
    assert_array_equal(_split_scores(on_dask), _split_scores(serial))
    # The workers printed nothing: no TensorFlow start-up notices, no
    # progress bars, no warnings.
    with open(worker_output, encoding="utf-8", errors="replace") as f:
        printed = f.read()
    assert printed == "", f"the Dask workers printed:\n{printed[:2000]}"


def test_auto_sarima_grid_search_on_dask_equals_serial(cluster):
    client, _ = cluster
    from skts.forecasting import AutoSARIMA

    y = _series(n=48)
    X = np.empty((len(y), 0))
    params = dict(season_length=7, search="grid", d=0, D=1, max_p=1, max_q=1, max_P=0, max_Q=1)
    serial = AutoSARIMA(**params, n_jobs=1).fit(X, y)
    with joblib.parallel_backend("dask"):
        on_dask = AutoSARIMA(**params, n_jobs=2).fit(X, y)

    assert on_dask.n_candidates_ == serial.n_candidates_ >= 4
    assert (on_dask.order_, on_dask.seasonal_order_, on_dask.trend_) == (
        serial.order_,
        serial.seasonal_order_,
        serial.trend_,
    )
    assert_array_equal(on_dask.search_results_["status"], serial.search_results_["status"])
    assert_allclose(on_dask.search_results_["aicc"], serial.search_results_["aicc"], rtol=1e-8)
    assert_allclose(on_dask.predict(np.empty((3, 0))), serial.predict(np.empty((3, 0))), rtol=1e-8)
