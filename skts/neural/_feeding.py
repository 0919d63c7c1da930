"""Training batches fed from NumPy, for the Keras backends without ``tf.data``.

On TensorFlow the neural estimators stream their batches through ``tf.data``
(:func:`skts.neural._keras_support.index_batches`); on JAX and PyTorch,
:class:`IndexBatches` gives Keras the same batches as a
:class:`keras.utils.PyDataset`: the same orders (every window permuted anew,
or streamed through a shuffle buffer), gathered from arrays in memory by a
function of the window numbers.

This module imports Keras when it is imported, so the estimators import it
inside their methods.
"""

import numpy as np

from skts._optional import import_optional

keras = import_optional("keras")


def epoch_order(n, shuffle_buffer, rng):
    """The order of the windows ``0 .. n - 1`` in one epoch.

    Parameters
    ----------
    n : int
        Number of windows.
    shuffle_buffer : int or None
        ``None`` permutes all ``n``. An int streams them in order through a
        buffer of that many: each step draws one window of the buffer at
        random and refills its place with the next window, as
        ``tf.data.Dataset.shuffle`` does; ``1`` keeps the order.
    rng : numpy.random.Generator
        Source of the draws.

    Returns
    -------
    order : ndarray of int64, shape (n,)
    """
    if shuffle_buffer is None or shuffle_buffer >= n:
        return rng.permutation(n).astype(np.int64)
    if shuffle_buffer <= 1:
        return np.arange(n, dtype=np.int64)
    buffer = list(range(shuffle_buffer))
    following = shuffle_buffer
    draws = rng.random(n)
    order = np.empty(n, dtype=np.int64)
    for position in range(n):
        slot = int(draws[position] * len(buffer))
        order[position] = buffer[slot]
        if following < n:
            buffer[slot] = following
            following += 1
        else:
            buffer[slot] = buffer[-1]
            buffer.pop()
    return order


class IndexBatches(keras.utils.PyDataset):
    """Batches ``gather(k)`` of window numbers ``k``, in a new order every epoch.

    Parameters
    ----------
    n : int
        Number of windows.
    batch_size : int
        Windows per batch (the last batch may be smaller).
    gather : callable
        ``gather(k) -> (windows, targets)`` for an int64 array ``k`` of
        window numbers: float32 arrays whose first axis is ``len(k)``.
    shuffle_buffer : int or None, default=None
        See :func:`epoch_order`; ignored with ``shuffle=False``.
    seed : int or None, default=None
        Seed of the orders; ``None`` draws fresh ones.
    shuffle : bool, default=True
        ``False`` keeps the windows in order (validation batches).
    """

    def __init__(self, n, batch_size, gather, *, shuffle_buffer=None, seed=None, shuffle=True):
        super().__init__()
        self._n, self._batch_size, self._gather = n, batch_size, gather
        self._shuffle_buffer = shuffle_buffer if shuffle else 1
        self._rng = np.random.default_rng(seed)
        self._order = epoch_order(n, self._shuffle_buffer, self._rng)

    def __len__(self):
        return -(-self._n // self._batch_size)

    def __getitem__(self, batch):
        return self._gather(self._order[batch * self._batch_size : (batch + 1) * self._batch_size])

    def on_epoch_end(self):
        self._order = epoch_order(self._n, self._shuffle_buffer, self._rng)
