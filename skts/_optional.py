"""One place that imports the optional dependencies, with an actionable error."""

import contextlib
import importlib
import importlib.util
import os
import random
import re
import select
import sys
import threading
import time

_EXTRAS = {
    "keras": "neural",
    "tensorflow": "neural",
    "jax": "jax",
    "torch": "torch",
    "matplotlib": "plot",
}

# The Keras 3 backends skts's neural estimators run on. Any other backend
# (openvino, numpy) lacks training or the operations the networks use.
KERAS_BACKENDS = ("tensorflow", "jax", "torch")

# What TensorFlow 2.21 writes to the C-level stderr while it is imported,
# measured on CPU: absl's preamble, then INFO lines (oneDNN notice, CPU
# features) in absl's format, one of them continued on a second line.
# TF_CPP_MIN_LOG_LEVEL does not hide the absl ones, so these lines, and only
# these, are dropped; every other line written to fd 2 meanwhile (another
# thread's log, say) is passed on as it arrives.
_TENSORFLOW_IMPORT_LINES = re.compile(
    rb"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    rb"|[IW]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.-]+:\d+\] .*"
    rb"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\."
)


def import_optional(module):
    """Import an optional dependency or raise an ImportError naming its extra.

    Parameters
    ----------
    module : str
        Top-level module name: ``"keras"``, ``"tensorflow"`` or ``"matplotlib"``.

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    ImportError
        If the module is not installed; the message names the extra.
    RuntimeError
        For ``"keras"``, if Keras runs on a backend other than those of
        :data:`KERAS_BACKENDS` (``KERAS_BACKEND`` or ``~/.keras/keras.json``).

    Notes
    -----
    The first import of TensorFlow drops TensorFlow's own import-time notices
    from the C-level stderr (see ``_TENSORFLOW_IMPORT_LINES``) and passes on
    every other line; no environment variable is changed. A user who sets
    ``TF_CPP_MIN_LOG_LEVEL=0`` sees them all. Any other value is not taken as
    asking for them: JAX, which Keras imports wherever it is installed, sets
    the variable to 1 itself, and worker processes started afterwards (Dask,
    joblib) inherit it.
    That import also draws from Python's global ``random`` generator; its
    state, and NumPy's, are put back afterwards, so that a first fit leaves
    them as they were.
    """
    if module == "keras":
        _check_keras_backend(os.environ.get("KERAS_BACKEND", "tensorflow"))
    try:
        # Only a first import can print TensorFlow's notices: without TensorFlow
        # installed, later calls (one per prediction) must not open the filter.
        first_import = module not in sys.modules and "tensorflow" not in sys.modules
        if first_import and module in ("keras", "tensorflow"):
            has_tensorflow = importlib.util.find_spec("tensorflow") is not None
            with _tensorflow_import_quieted(has_tensorflow):
                if module == "keras" and has_tensorflow:
                    # Keras seeds TensorFlow wherever it is installed, importing
                    # it on every backend; import it now, inside the filter.
                    importlib.import_module("tensorflow")
                imported = importlib.import_module(module)
        else:
            imported = importlib.import_module(module)
    except ImportError as exc:
        extra = _EXTRAS.get(module, module)
        raise ImportError(
            f"{module} is required for this feature but is not installed. "
            f"Install it with: pip install 'skts[{extra}]'"
        ) from exc
    if module == "keras":
        # ~/.keras/keras.json can choose the backend too.
        _check_keras_backend(imported.backend.backend())
    return imported


def _check_keras_backend(backend):
    if backend not in KERAS_BACKENDS:
        raise RuntimeError(
            f"skts's neural estimators run on Keras' {', '.join(map(repr, KERAS_BACKENDS))} "
            f"backends, but Keras was loaded with the {backend!r} backend (from the "
            f"KERAS_BACKEND environment variable or ~/.keras/keras.json). Set "
            f"KERAS_BACKEND to one of them before Python starts, or before the first "
            f"'import keras'."
        )


@contextlib.contextmanager
def _tensorflow_import_quieted(has_tensorflow):
    """Import TensorFlow (if ``has_tensorflow``) without its notices and without moving global random states."""
    import numpy as np

    python_state, numpy_state = random.getstate(), np.random.get_state()
    try:
        # Without TensorFlow installed (Keras on JAX or PyTorch alone) there
        # are no notices to drop: fd 2 is left alone.
        if os.environ.get("TF_CPP_MIN_LOG_LEVEL") == "0" or not has_tensorflow:
            yield
        else:
            with _tensorflow_import_notices_dropped():
                yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)


@contextlib.contextmanager
def _tensorflow_import_notices_dropped():
    """Route fd 2 through a filter that drops TensorFlow's import notices.

    A thread copies every other line to the real stderr as soon as it is
    complete, so nothing another thread writes meanwhile is lost; fd 2 is
    restored on exit, whatever happens, once the copier has passed on what
    the pipe held (so that lines written just before the restore are not
    overtaken by those written just after it).
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        # No usable fd 2 (a closed or replaced stderr): nothing to protect.
        yield
        return
    read_end, write_end = os.pipe()
    copying = threading.Lock()
    copier = threading.Thread(target=_copy_lines, args=(read_end, saved, copying), daemon=True)
    copier.start()
    try:
        os.dup2(write_end, 2)
        yield
    finally:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.flush()
        with _passed_on(read_end, copying):
            os.dup2(saved, 2)
        os.close(write_end)
        # A child process started during the import may hold the pipe open;
        # do not wait on it forever.
        copier.join(timeout=10)
        if not copier.is_alive():
            os.close(read_end)
            os.close(saved)


# A pipe can be polled (poll, unlike select, takes any file descriptor
# number) and its unread bytes counted on POSIX systems, not on Windows.
_CAN_POLL_PIPES = hasattr(select, "poll")


def _copy_lines(read_end, destination, copying):
    """Pass on every line arriving on ``read_end`` but TensorFlow's notices, each chunk under ``copying``."""
    pending = b""
    # Wait for data without the lock, then read and write it with the lock
    # held, so that the lock's holder sees the pipe settled.
    poller = select.poll() if _CAN_POLL_PIPES else None
    if poller is not None:
        poller.register(read_end, select.POLLIN)
    while True:
        if poller is not None:
            poller.poll()
        with copying:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            kept = [line + b"\n" for line in lines if not _TENSORFLOW_IMPORT_LINES.fullmatch(line)]
            if kept:
                _write_all(destination, b"".join(kept))
    if pending and not _TENSORFLOW_IMPORT_LINES.fullmatch(pending):
        _write_all(destination, pending)


@contextlib.contextmanager
def _passed_on(read_end, copying, timeout=1.0):
    """Hold ``copying`` once the pipe is empty: everything written to it so far has been passed on.

    Waits at most ``timeout`` seconds; on Windows, where a pipe cannot be
    polled, it does not wait.
    """
    if not _CAN_POLL_PIPES:
        yield
        return
    import fcntl
    import termios

    deadline = time.monotonic() + timeout
    while True:
        with copying:
            unread = int.from_bytes(fcntl.ioctl(read_end, termios.FIONREAD, bytes(4)), sys.byteorder)
            if unread == 0 or time.monotonic() > deadline:
                yield
                return
        time.sleep(0.001)


def _write_all(fd, data):
    while data:
        data = data[os.write(fd, data) :]
