"""Supervised windows over a (multivariate) series as zero-copy NumPy views.

Rows are time steps. The functions here never loop over windows in Python
and never copy the series: they return read-only strided views built with
:func:`numpy.lib.stride_tricks.sliding_window_view`, so windowing ten years
of daily data costs the same as windowing a week.
"""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from skts._validation import check_positive_int


def sliding_windows(x, seq_length):
    """All windows of ``seq_length`` consecutive time steps of a series.

    Parameters
    ----------
    x : array-like of shape (n_steps,) or (n_steps, n_features)
        Numeric series, rows in time order.
    seq_length : int
        Number of time steps per window, at least 1 and at most ``n_steps``.

    Returns
    -------
    windows : ndarray of shape (n_steps - seq_length + 1, seq_length) or \
            (n_steps - seq_length + 1, seq_length, n_features)
        ``windows[i] = x[i : i + seq_length]``. A read-only view of ``x``
        when ``x`` is a NumPy array (or a pandas object backed by one).

    See Also
    --------
    make_supervised : Windows paired with the targets that follow them.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.windowing import sliding_windows
    >>> sliding_windows(np.arange(5), 3)
    array([[0, 1, 2],
           [1, 2, 3],
           [2, 3, 4]])
    """
    x = _as_series(x)
    seq_length = check_positive_int(seq_length, "seq_length")
    if len(x) < seq_length:
        raise ValueError(
            f"The series has {len(x)} time steps, fewer than seq_length={seq_length}. "
            "Pass a longer series or a smaller seq_length."
        )
    return _window_view(x, seq_length)


def make_supervised(x, seq_length, *, output_length=1, targets=0, sequence_to_sequence=False):
    """Supervised windows from a (multivariate) series: inputs and the targets ahead.

    Window ``i`` covers steps ``i .. t`` with ``t = i + seq_length - 1``; its
    targets are the values of the target column(s) at steps ``t + 1 .. t +
    output_length``. This is what Keras' ``timeseries_dataset_from_array(x,
    targets=x[seq_length:], sequence_length=seq_length)`` gives for
    ``output_length=1``, and the textbook's ``ahead``-step windows for larger
    output lengths.

    Parameters
    ----------
    x : array-like of shape (n_steps,) or (n_steps, n_features)
        Numeric series, rows in time order. NaN is passed through unchanged.
    seq_length : int
        Number of input time steps per window, at least 1.
    output_length : int, default=1
        Number of steps ahead to predict, at least 1.
    targets : int or list of int, default=0
        Column(s) of ``x`` to predict. An int gives targets without a
        trailing target axis; a list (even of one column) keeps it.
    sequence_to_sequence : bool, default=False
        If True, targets are given at every input step ``s`` of a window:
        the ``output_length`` values that follow step ``s`` (the textbook's
        ``to_seq2seq_dataset``), for sequence-to-sequence training.

    Returns
    -------
    inputs : ndarray of shape (n_windows, seq_length, n_features)
        ``inputs[i] = x[i : i + seq_length]`` with ``n_windows = n_steps -
        seq_length - output_length + 1``; ``n_features`` is 1 for 1-D ``x``.
    y : ndarray
        Targets, with ``c`` the target column(s):

        - ``(n_windows, output_length)`` for an int ``targets``, or
          ``(n_windows, output_length, n_targets)`` for a list:
          ``y[i, h] = x[i + seq_length + h, c]``;
        - with ``sequence_to_sequence=True``, ``(n_windows, seq_length,
          output_length)`` or ``(n_windows, seq_length, output_length, n_targets)``:
          ``y[i, s, h] = x[i + s + 1 + h, c]``.

        Both arrays are read-only views of ``x`` (for a list of targets, of
        a copy of the selected columns, which NumPy must gather).

    Raises
    ------
    ValueError
        If ``n_steps < seq_length + output_length`` (no complete window), if a
        target column does not exist or if ``x`` is not numeric.

    See Also
    --------
    sliding_windows : Windows alone.
    SlidingWindow : Lag-window features for a scikit-learn Pipeline.

    Notes
    -----
    The windows overlap and share memory: write to a copy
    (``inputs.copy()``) if you need to modify them.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.windowing import make_supervised
    >>> x = np.arange(6.0)
    >>> inputs, y = make_supervised(x, 3, output_length=2)
    >>> inputs[:, :, 0]
    array([[0., 1., 2.],
           [1., 2., 3.]])
    >>> y
    array([[3., 4.],
           [4., 5.]])
    >>> make_supervised(x, 3, output_length=2, sequence_to_sequence=True)[1][0]
    array([[1., 2.],
           [2., 3.],
           [3., 4.]])
    """
    x = _as_series(x)
    seq_length = check_positive_int(seq_length, "seq_length")
    output_length = check_positive_int(output_length, "output_length")
    n_steps = len(x)
    if n_steps < seq_length + output_length:
        raise ValueError(
            f"The series has {n_steps} time steps, fewer than seq_length + output_length = "
            f"{seq_length} + {output_length} = {seq_length + output_length}, so no window has all "
            "its targets. Pass a longer series or a smaller seq_length or output_length."
        )
    x2d = x.reshape(n_steps, -1)
    columns = _check_targets(targets, x2d.shape[1])
    # A single column is a strided view; a list needs NumPy's fancy indexing,
    # which copies the selected columns once (still no copy per window).
    series = x2d[:, columns]

    inputs = _window_view(x2d[: n_steps - output_length], seq_length)
    if sequence_to_sequence:
        # ahead[j] = the `output_length` values after step j; the window of those
        # "ahead" vectors at steps i .. i + seq_length - 1 is target i.
        ahead = _window_view(series[1:], output_length)
        y = _window_view(ahead, seq_length)
    else:
        y = _window_view(series[seq_length:], output_length)
    return inputs, y


def _window_view(x, length):
    """Windows along axis 0 with the window axis second: (n - length + 1, length, ...)."""
    view = sliding_window_view(x, length, axis=0)
    # sliding_window_view appends the window axis last; time goes second.
    return np.moveaxis(view, -1, 1)


def _as_series(x):
    """A 1-D or 2-D numeric ndarray, without copying NumPy input."""
    x = np.asarray(x)
    if x.ndim not in (1, 2):
        raise ValueError(
            f"Expected a series of shape (n_steps,) or (n_steps, n_features), got "
            f"an array of shape {x.shape}. Reshape it so rows are time steps."
        )
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_):
        raise ValueError(
            f"The series has non-numeric dtype {x.dtype}. Encode or drop the "
            "non-numeric columns (for example with pandas.get_dummies) first."
        )
    return x


def _check_targets(targets, n_features):
    """Validate target column(s); return an int or a list of ints, in range."""
    if isinstance(targets, Integral) and not isinstance(targets, bool):
        columns = [targets]
    else:
        columns = list(np.atleast_1d(np.asarray(targets, dtype=object)))
        if not columns or any(isinstance(c, bool) or not isinstance(c, Integral) for c in columns):
            raise ValueError(
                f"targets must be a column position or a non-empty list of column "
                f"positions (ints), got {targets!r}."
            )
    bad = [int(c) for c in columns if not -n_features <= c < n_features]
    if bad:
        raise ValueError(
            f"Target column(s) {bad} out of range: the series has {n_features} "
            f"column(s), positions 0..{n_features - 1}."
        )
    if isinstance(targets, Integral):
        return int(targets)
    return [int(c) for c in columns]
