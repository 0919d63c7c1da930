"""A fit or forecast changes nothing outside the estimator.

Global random generators, environment variables, open file descriptors and
BLAS thread limits are as they were, also when several threads forecast at
once. (The first neural fit in a fresh process is checked in
tests/neural, in a subprocess.)
"""

import os
import random
import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from skts.forecasting import NaiveSeasonal, ReductionForecaster, SARIMAEstimator
from skts.neural import RNNForecaster
from skts.model_selection import backtest

Y = 10 + np.sin(np.arange(80) * 2 * np.pi / 7) + np.random.default_rng(0).normal(scale=0.1, size=80)


def _blas_limits():
    return sorted((info["filepath"], info["num_threads"]) for info in threadpool_info() if info["user_api"] == "blas")


def _open_fds():
    return sorted(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else []


def _global_state():
    return {
        "random": random.getstate(),
        "numpy": np.random.get_state()[1].tobytes(),
        "environ": dict(os.environ),
        "blas": _blas_limits(),
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda: NaiveSeasonal(season_length=7),
        lambda: SARIMAEstimator(p=1, D=1, Q=1, season_length=7),
        lambda: ReductionForecaster(__import__("sklearn.linear_model", fromlist=["Ridge"]).Ridge(), seq_length=7),
        lambda: RNNForecaster(units=2, seq_length=7, epochs=1, random_state=0),
    ],
    ids=["naive", "sarima", "reduction", "rnn"],
)
def test_fit_forecast_and_backtest_leave_the_process_as_they_found_it(make):
    make().fit(None, Y[:40])  # first use: imports and one-time set-up happen here
    before, fds = _global_state(), _open_fds()
    model = make().fit(None, Y[:60])
    model.predict(np.empty((5, 0)))
    model.update(None, Y[60:62]).predict_rolling(None, Y[62:70], horizon=2)
    backtest(make(), None, Y, start=70, refit=2)
    assert _global_state() == before
    assert _open_fds() == fds


def test_concurrent_sarima_forecasts_restore_the_blas_limits():
    model = SARIMAEstimator(p=2, D=1, Q=1, season_length=7).fit(None, Y)
    # The tests run BLAS single-threaded (conftest); two threads make a
    # restore to the wrong limit visible.
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_limits()
        assert any(threads == 2 for _, threads in before)
        _forecast_concurrently(model)
        assert _blas_limits() == before


def _forecast_concurrently(model):
    errors = []

    def forecast_many():
        try:
            for _ in range(20):
                model.predict(np.empty((7, 0)))
                model.predict_rolling(None, Y[:10] + 1, horizon=3)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=forecast_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors


def test_blas_limit_blocks_ending_out_of_order_restore_the_limits(monkeypatch):
    """Overlapping blocks in two threads: the limit is set once and restored last.

    A process-wide BLAS limit is simulated, because OpenBLAS builds differ
    in how a limit set from another thread shows (some keep it per thread).
    """
    from skts import _blas

    process = {"threads": 2}

    class Limiter:
        def __init__(self):
            self.saved = process["threads"]
            process["threads"] = 1

        def restore_original_limits(self):
            process["threads"] = self.saved

    class Controller:
        def limit(self, limits, user_api):
            assert (limits, user_api) == (1, "blas")
            return Limiter()

    monkeypatch.setattr(_blas, "_controller", Controller)
    a_entered, b_entered, a_left = threading.Event(), threading.Event(), threading.Event()
    inside = []

    def first():
        with _blas.one_blas_thread():
            a_entered.set()
            b_entered.wait(5)
        a_left.set()

    def second():
        a_entered.wait(5)
        with _blas.one_blas_thread():
            b_entered.set()
            a_left.wait(5)
            # The first block has ended; this one still runs single-threaded.
            inside.append(process["threads"])

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inside == [1]
    assert process["threads"] == 2
