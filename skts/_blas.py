"""One BLAS thread around statsmodels' small matrix products, safely across threads."""

import contextlib
import functools
import threading

_lock = threading.Lock()
_depth = 0
_limiter = None


@functools.cache
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextlib.contextmanager
def one_blas_thread():
    """Limit BLAS to one thread inside the block; restore the limits after the last block.

    statsmodels' Kalman filter multiplies matrices of a few dozen elements,
    where BLAS threads only add synchronisation; on a busy machine
    OpenBLAS' spinning threads made each fit 10-30 times slower
    (benchmarks/README.md). The limit is process-wide, so blocks that
    overlap in several threads (concurrent ``predict`` calls) share it: the
    first to enter sets it and the last to leave restores the limits found
    by the first. Nested limits that each saved and restored their own
    (``threadpoolctl``'s context manager) would leave BLAS at one thread
    when the blocks end out of order.
    """
    global _depth, _limiter
    with _lock:
        if _depth == 0:
            _limiter = _controller().limit(limits=1, user_api="blas")
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _limiter.restore_original_limits()
                _limiter = None
