"""Windowing: turn a (multivariate) series into supervised windows.

``sliding_windows`` and ``make_supervised`` return zero-copy, read-only NumPy
views; ``SlidingWindow`` is the scikit-learn transformer that turns time rows
into lag-window features for a Pipeline.
"""

from skts.windowing._sliding_window import SlidingWindow
from skts.windowing._windows import make_supervised, sliding_windows

__all__ = ["SlidingWindow", "make_supervised", "sliding_windows"]
