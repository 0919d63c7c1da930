"""One place that imports the optional dependencies, with an actionable error."""

import contextlib
import importlib
import os
import sys

_EXTRAS = {
    "keras": "neural",
    "tensorflow": "neural",
    "matplotlib": "plot",
}


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
    """
    if module in ("keras", "tensorflow"):
        # TensorFlow's C++ logging goes straight to stderr at import time; a
        # default fit must print nothing, so silence it unless the user chose.
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    try:
        if module in ("keras", "tensorflow") and "tensorflow" not in sys.modules:
            # TensorFlow >= 2.18 prints oneDNN notices through absl before
            # TF_CPP_MIN_LOG_LEVEL is read; a default fit must print nothing.
            with _stderr_silenced():
                return importlib.import_module(module)
        return importlib.import_module(module)
    except ImportError as exc:
        extra = _EXTRAS.get(module, module)
        raise ImportError(
            f"{module} is required for this feature but is not installed. "
            f"Install it with: pip install 'skts[{extra}]'"
        ) from exc


@contextlib.contextmanager
def _stderr_silenced():
    """Send file descriptor 2 (C-level stderr included) to the null device."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
