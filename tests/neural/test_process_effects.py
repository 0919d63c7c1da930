"""A neural fit changes nothing outside the estimator, seen from a fresh process.

Each test runs a short script in a new interpreter, so that TensorFlow is
imported by skts there (its first import is what touches stderr) and the
global states are those a user's script would have.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import pytest


def _run(code, **env):
    # KERAS_BACKEND passes through: the suite's run on each backend checks
    # that backend's first fit.
    environ = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=environ, timeout=300
    )


# What ``import tensorflow`` itself sets (TensorFlow 2.21, measured with a
# bare import), what JAX sets where it is installed, since Keras then
# imports it on every backend (JAX 0.10: TF_CPP_MIN_LOG_LEVEL on import,
# TPU_SKIP_MDS_QUERY when it finds no TPU), what Keras 3 sets on a backend
# other than TensorFlow (TF_FORCE_GPU_ALLOW_GROWTH) and what PyTorch 2.13
# sets when Keras' torch backend is imported (TORCHINDUCTOR_CACHE_DIR). skts
# sets no variable of its own.
LIBRARY_IMPORT_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL",
    "ENABLE_RUNTIME_UPTIME_TELEMETRY",
    "HDF5_PLUGIN_PATH",
    "KMP_DUPLICATE_LIB_OK",
    "KMP_INIT_AT_FORK",
    "TF2_BEHAVIOR",
    "TF_FORCE_GPU_ALLOW_GROWTH",
    "TORCHINDUCTOR_CACHE_DIR",
    "TPU_ML_PLATFORM",
    "TPU_ML_PLATFORM_VERSION",
    "TPU_SKIP_MDS_QUERY",
}


def test_first_fit_keeps_other_output_random_states_and_environment_and_prints_nothing():
    # Another thread writes numbered lines to stderr while the first fit
    # imports TensorFlow: every line must arrive, in order, and nothing else.
    # Then a seeded regressor fit; the global random states must be those
    # the script set, and no variable but TensorFlow's own may change.
    result = _run(
        """
        import os, random, sys, threading, time
        import numpy as np
        from skts.neural import RNNForecaster
        from skts.neural import WaveNetRegressor

        environ = dict(os.environ)
        random.seed(123)
        np.random.seed(123)
        python_state, numpy_state = random.getstate(), np.random.get_state()
        stop, written = threading.Event(), []

        def chatter():
            while not stop.is_set():
                written.append(len(written))
                sys.stderr.write(f"other thread {written[-1]}\\n")
                sys.stderr.flush()
                time.sleep(0.001)

        thread = threading.Thread(target=chatter)
        thread.start()
        y = np.sin(np.arange(40.0))
        RNNForecaster(units=2, seq_length=5, epochs=1, random_state=0).fit(np.empty((40, 0)), y)
        stop.set()
        thread.join()
        X = y.reshape(4, 10)
        WaveNetRegressor(filters=2, n_blocks=1, epochs=1, random_state=3).fit(X, X[:, -1]).predict(X)
        assert random.getstate() == python_state, "random"
        assert all(np.array_equal(a, b) for a, b in zip(np.random.get_state(), numpy_state)), "numpy.random"
        changed = sorted(key for key in set(environ) | set(os.environ) if environ.get(key) != os.environ.get(key))
        print(len(written), *changed)
        """
    )
    assert result.returncode == 0, result.stderr
    n_written, *changed = result.stdout.split()
    assert int(n_written) > 0
    assert result.stderr.splitlines() == [f"other thread {i}" for i in range(int(n_written))]
    assert set(changed) <= LIBRARY_IMPORT_ENVIRONMENT


@pytest.mark.parametrize("level", ["1", "2", "0"])
def test_tensorflow_notices_follow_only_an_explicit_log_level_zero(level):
    # A worker process started after JAX was imported inherits JAX's
    # TF_CPP_MIN_LOG_LEVEL=1: its first fit must still print nothing. Only
    # an explicit 0 asks to see TensorFlow's import notices, which exist
    # only where TensorFlow is installed (Keras then imports it on every
    # backend).
    if level == "0" and importlib.util.find_spec("tensorflow") is None:
        pytest.skip("TensorFlow is not installed: it has no import notices to show")
    result = _run(
        """
        import numpy as np
        from skts.neural import RNNRegressor

        X = np.zeros((8, 4))
        RNNRegressor(units=2, epochs=1, random_state=0).fit(X, X[:, 0])
        """,
        TF_CPP_MIN_LOG_LEVEL=level,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    if level == "0":
        assert "absl::InitializeLog" in result.stderr
    else:
        assert result.stderr == ""


def test_an_unsupported_keras_backend_is_a_clear_error():
    # Keras refuses nothing at import for the OpenVINO backend; the error must
    # come from skts, before any training, and name the backends that work.
    result = _run(
        """
        import numpy as np
        from skts.neural import RNNRegressor

        X = np.zeros((8, 4))
        try:
            RNNRegressor(units=2, epochs=1).fit(X, X[:, 0])
        except RuntimeError as error:
            print(error)
        """,
        KERAS_BACKEND="openvino",
    )
    assert result.returncode == 0, result.stderr
    message = result.stdout
    assert "'tensorflow', 'jax', 'torch' backends" in message and "'openvino'" in message
    assert "KERAS_BACKEND" in message
