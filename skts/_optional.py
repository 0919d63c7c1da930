"""One place that imports the optional dependencies, with an actionable error."""

import importlib
import os

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
        return importlib.import_module(module)
    except ImportError as exc:
        extra = _EXTRAS.get(module, module)
        raise ImportError(
            f"{module} is required for this feature but is not installed. "
            f"Install it with: pip install 'skts[{extra}]'"
        ) from exc
