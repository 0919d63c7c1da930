"""The textbook's synthetic panel: two random sine waves plus noise per series."""

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from skts._compat import Interval, validate_params


@validate_params(
    {
        "n_series": [Interval(Integral, 1, None, closed="left")],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_sine_panel(n_series=10000, n_steps=50, *, random_state=None):
    """A panel of short series, each the sum of two random sine waves plus noise.

    The textbook's ``generate_time_series(batch_size, n_steps)``: on the time
    grid ``t = linspace(0, 1, n_steps)`` each series is

    ``0.5 * sin((t - o1) * (10 * f1 + 10)) + 0.2 * sin((t - o2) * (20 * f2 + 20))
    + 0.1 * (u - 0.5)``

    with ``f1, f2, o1, o2`` uniform on ``[0, 1)`` per series and ``u``
    uniform noise per step. With the same seed it draws the same numbers as
    the book's code, in the same order.

    Parameters
    ----------
    n_series : int, default=10000
        Number of series (the book's ``batch_size``).
    n_steps : int, default=50
        Number of time steps per series.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws; pass an int for reproducible output. ``None``
        uses NumPy's global random state, as the book's code does.

    Returns
    -------
    series : ndarray of shape (n_series, n_steps), dtype float32
        One series per row, time along the columns. Values lie in
        ``[-0.75, 0.75]`` (amplitudes 0.5 + 0.2 + noise of half-width 0.05).

    See Also
    --------
    skts.windowing.make_supervised : Windows and targets from one series.

    Notes
    -----
    The book adds a trailing feature axis, ``series[..., np.newaxis]``, to
    feed recurrent networks, and splits the first ``n_steps - 1`` (or
    ``n_steps - 10``) columns as inputs from the rest as targets.

    Examples
    --------
    >>> from skts.datasets import make_sine_panel
    >>> series = make_sine_panel(3, 5, random_state=42)
    >>> series.shape, series.dtype
    ((3, 5), dtype('float32'))
    """
    rng = check_random_state(random_state)
    freq1, freq2, offsets1, offsets2 = rng.rand(4, n_series, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += 0.1 * (rng.rand(n_series, n_steps) - 0.5)
    return series.astype(np.float32)
