"""Training, seeding, persistence and fast inference for the Keras estimators.

Shared by the scikit-learn wrappers of :mod:`skts.neural`; the networks
themselves are built in :mod:`skts.neural._networks`. Keras and TensorFlow are
imported inside the functions, through :func:`skts._optional.import_optional`.
"""

import contextlib
import logging
import os
import random
import sys
import tempfile
import warnings
from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from skts._compat import keras_default_seeds_from, traced_inference
from skts._optional import import_optional

OPTIMIZERS = ("adam", "adamw", "nadam", "rmsprop", "sgd")
# steps_per_execution="auto" with XLA: up to this many batches per call. It
# covers an epoch of the ridership models (31-33 batches), whose per-batch
# Python overhead (about 3 ms) it removes; a bound keeps the progress bar and
# Ctrl-C responsive on long epochs.
AUTO_STEPS_PER_EXECUTION = 32


def keras_backend():
    """The name of the Keras backend in use: ``"tensorflow"``, ``"jax"`` or ``"torch"``."""
    return import_optional("keras").backend.backend()


def resolve_jit_compile(jit_compile):
    """The ``jit_compile`` a model is compiled with, ``"auto"`` resolved per backend.

    ``"auto"`` compiles on JAX, whose training step otherwise runs one
    operation at a time from Python, and not on TensorFlow (XLA's compile
    costs more than it saves on short fits) nor on PyTorch (``torch.compile``
    takes longer than the textbook's trainings).
    """
    if jit_compile == "auto":
        return keras_backend() == "jax"
    return bool(jit_compile)


def keras_seed(random_state):
    """The int seed that a ``random_state`` parameter gives Keras.

    Every neural estimator goes through here, so the same ``random_state``
    gives the same seed in a forecaster and in a window regressor.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        An int is the seed itself; a ``RandomState`` draws one (advancing
        it, as scikit-learn estimators do); ``None`` gives ``None``: Keras
        draws its own seeds.

    Returns
    -------
    seed : int or None
    """
    if random_state is None:
        return None
    if isinstance(random_state, Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def seeded(seed):
    """Seed Keras for the block, then put ``random`` and ``numpy.random`` back.

    :func:`keras.utils.set_random_seed` seeds TensorFlow, NumPy's and
    Python's global generators, and Keras draws the seeds of its initialisers
    and dropout layers from Python's ``random``: build and train the network
    inside the block for reproducible weights, dropout masks and shuffling.
    On exit the global ``random`` and ``numpy.random`` states are restored,
    so a seeded fit leaves the caller's random streams as they were (the
    TensorFlow global seed stays set; it is Keras' own state). On CPU,
    TensorFlow's ops used by the skts networks are deterministic given the
    seed; on GPU, also call ``tf.config.experimental.enable_op_determinism()``
    (global and slower, hence not done here).

    Parameters
    ----------
    seed : int or None
        From :func:`keras_seed`; ``None`` seeds nothing and restores nothing,
        so unseeded fits keep drawing fresh seeds.
    """
    if seed is None:
        yield
        return
    keras = import_optional("keras")
    python_state, numpy_state = random.getstate(), np.random.get_state()
    # On PyTorch, set_random_seed also seeds torch's global generator: the
    # caller's, which is put back as well.
    torch = sys.modules.get("torch") if keras.backend.backend() == "torch" else None
    torch_state = torch.random.get_rng_state() if torch is not None else None
    try:
        keras.utils.set_random_seed(seed)
        # Not the global ``random``, which other threads (a Dask worker's
        # event loop) draw from during the fit.
        with keras_default_seeds_from(seed):
            yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        if torch is not None:
            torch.random.set_rng_state(torch_state)


# Loggers of the backends' compilers: TensorFlow warns about tf.function
# retracing, PyTorch's dynamo about its recompile limit (jit_compile=True),
# when many small models are trained in one process (a grid search).
BACKEND_LOGGERS = ("tensorflow", "torch._dynamo")


@contextlib.contextmanager
def quiet_compilers(verbose):
    """Silence the backends' compiler loggers while training or predicting.

    A default, ``verbose=0``, estimator must print nothing, however many
    models the process has compiled before (see :data:`BACKEND_LOGGERS`).
    The logger levels are restored on exit.
    """
    if verbose:
        yield
        return
    loggers = [logging.getLogger(name) for name in BACKEND_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def make_optimizer(optimizer, learning_rate, momentum=None):
    """Return a fresh Keras optimizer from its name.

    Parameters
    ----------
    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd"}
        Optimizer name.
    learning_rate : float
        Learning rate.
    momentum : float or None, default=None
        Momentum for ``"sgd"`` and ``"rmsprop"`` (the textbook trains its
        RNNs with ``SGD(learning_rate=0.02, momentum=0.9)``); ``None`` keeps
        the optimizer's default.

    Returns
    -------
    keras.optimizers.Optimizer
    """
    keras = import_optional("keras")
    classes = {
        "adam": keras.optimizers.Adam,
        "adamw": keras.optimizers.AdamW,
        "nadam": keras.optimizers.Nadam,
        "rmsprop": keras.optimizers.RMSprop,
        "sgd": keras.optimizers.SGD,
    }
    if optimizer not in classes:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {optimizer!r}.")
    options = {"learning_rate": learning_rate}
    if momentum is not None:
        if optimizer not in ("sgd", "rmsprop"):
            raise ValueError(
                f"momentum only applies to optimizer='sgd' or 'rmsprop'; got "
                f"optimizer={optimizer!r}. Leave momentum=None."
            )
        options["momentum"] = momentum
    return classes[optimizer](**options)


def train_network(
    model,
    X,
    y,
    *,
    X_val=None,
    y_val=None,
    loss="huber",
    optimizer="adam",
    learning_rate=1e-3,
    momentum=None,
    epochs=20,
    batch_size=32,
    patience=None,
    random_state=None,
    verbose=0,
    shuffle_buffer=None,
    jit_compile="auto",
    steps_per_execution=1,
):
    """Compile and fit a Keras model on windows in memory or in a ``tf.data`` pipeline.

    Parameters
    ----------
    model : keras.Model
        An uncompiled (or to be recompiled) model.
    X : ndarray of shape (n_windows, steps, n_features) or tf.data.Dataset
        Training windows, or a dataset of ``(windows, targets)`` batches
        (then ``y`` is None, and ``batch_size`` and ``shuffle_buffer`` are
        the dataset's business: build it on :func:`index_batches`).
    y : ndarray of shape matching the model output, or None
        Training targets; None when ``X`` is a dataset.
    X_val, y_val : ndarray, tf.data.Dataset or None, default=None
        Validation windows and targets, evaluated after each epoch; with a
        dataset ``X``, ``X_val`` is a dataset of batches and ``y_val`` None.
    loss : str, default="huber"
        Keras loss name (``"huber"``, ``"mse"``, ``"mae"``, ...).
    optimizer : str, default="adam"
        See :func:`make_optimizer`.
    learning_rate : float, default=1e-3
        Learning rate.
    momentum : float or None, default=None
        See :func:`make_optimizer`.
    epochs : int, default=20
        Maximum number of passes over the training windows.
    batch_size : int, default=32
        Windows per gradient step.
    patience : int or None, default=None
        With validation data, stop after ``patience`` epochs without a lower
        validation loss and restore the weights of the best epoch.
    random_state : int or None, default=None
        Seed for shuffling and dropout (see :func:`seeded`); build the model
        inside ``seeded(random_state)`` too, for its weights. The global
        ``random`` and ``numpy.random`` states are left as they were.
    verbose : int, default=0
        0 prints nothing; 1 or more one plain line per epoch (see
        :func:`epoch_logger`).
    shuffle_buffer : int or None, default=None
        Order of the training windows in each epoch. ``None``: every window
        permuted anew (Keras' ``shuffle=True``). An int: the windows stream
        in their given (time) order through a buffer of that many windows
        that is reshuffled every epoch, as ``tf.data.Dataset.shuffle``
        (see :func:`index_batches`); ``1`` keeps the given order.
    jit_compile : bool or "auto", default="auto"
        Compile the training step with the backend's compiler (XLA on
        TensorFlow and JAX, ``torch.compile`` on PyTorch); ``"auto"``: see
        :func:`resolve_jit_compile`.
    steps_per_execution : int or "auto", default=1
        Batches run per compiled call, fewer Python round trips for tiny
        batches. ``"auto"``: 1 without compilation and on PyTorch (whose
        Keras trainer runs one batch per call), else the batches of one
        epoch, at most :data:`AUTO_STEPS_PER_EXECUTION`.

    Returns
    -------
    history : dict of str to list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``), as ``History.history``.
    """
    keras = import_optional("keras")
    in_memory = y is not None
    validation_data = X_val if X_val is None or not in_memory else (X_val, y_val)
    callbacks = []
    if validation_data is not None and patience is not None:
        callbacks.append(
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
        )
    if verbose:
        callbacks.append(epoch_logger(epochs))
    backend = keras.backend.backend()
    jit_compile = resolve_jit_compile(jit_compile)
    if steps_per_execution == "auto":
        compiled_steps = jit_compile and backend != "torch"
        steps_per_execution = _auto_steps_per_execution(X, batch_size, in_memory) if compiled_steps else 1
    elif steps_per_execution > 1 and backend == "torch":
        raise ValueError(
            f"steps_per_execution={steps_per_execution}: Keras' PyTorch backend runs one "
            "batch per call. Use steps_per_execution=1 or 'auto' on PyTorch."
        )
    with seeded(random_state), quiet_compilers(verbose):
        model.compile(
            loss=loss,
            optimizer=make_optimizer(optimizer, learning_rate, momentum),
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
        )
        # Optimizer slots created inside the first traced train step make
        # TensorFlow trace it twice; creating them now halves the tracing
        # cost, which dominates fitting small data.
        model.optimizer.build(model.trainable_variables)
        if in_memory and shuffle_buffer is not None:
            # Keras' array input can only permute every window; a buffer needs
            # batches of indices streamed in order, gathered from the windows.
            X, y = _gathered_batches(X, y, batch_size, shuffle_buffer, random_state, backend), None
        # A dataset batches and shuffles itself (Keras warns on shuffle=True);
        # validation arrays are batched by batch_size either way.
        batching = {"batch_size": batch_size, "shuffle": True} if y is not None else {"shuffle": False}
        history = model.fit(
            X,
            y,
            validation_data=validation_data,
            validation_batch_size=batch_size,
            epochs=epochs,
            callbacks=callbacks,
            # Keras' display redraws a progress bar with carriage returns and
            # ANSI codes, which logs and CI output keep as garbage.
            verbose=0,
            **batching,
        )
    return history.history


def epoch_logger(epochs):
    """A Keras callback printing one plain line per epoch to standard output.

    ``epoch 3/20 - loss 0.01234 - val_loss 0.01567 - 1.2 s``: no progress
    bar, carriage return or terminal control code, so that a log file or a
    CI console shows exactly these lines.
    """
    import time

    keras = import_optional("keras")

    class EpochLogger(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            values = "".join(f" - {name} {value:.4g}" for name, value in (logs or {}).items())
            seconds = time.perf_counter() - self._start
            print(f"epoch {epoch + 1}/{epochs}{values} - {seconds:.1f} s", flush=True)

    return EpochLogger()


def index_batches(n, batch_size, shuffle_buffer=None, seed=None):
    """Batches of the indices ``0 .. n - 1``, in a new order every epoch.

    The one place where the neural estimators order their training windows:
    arrays in memory go through it when ``shuffle_buffer`` is set, and a
    global model's windows, gathered from the data, always do.

    Parameters
    ----------
    n : int
        Number of training windows.
    batch_size : int
        Indices per batch (the last batch may be smaller).
    shuffle_buffer : int or None, default=None
        ``None`` permutes all ``n`` indices every epoch. An int streams them
        in order through a buffer of that many, reshuffled every epoch
        (``tf.data.Dataset.shuffle``): each batch then holds windows that are
        close in time and every epoch ends near the end of the history, as
        the textbook's ``ds.shuffle(8 * batch_size)`` over time-ordered
        windows does. ``1`` keeps the order.
    seed : int or None, default=None
        Seed of the shuffle; call inside :func:`seeded` for a reproducible
        order.

    Returns
    -------
    tf.data.Dataset
        Of int64 tensors of shape ``(batch,)``.
    """
    tf = import_optional("tensorflow")
    buffer = n if shuffle_buffer is None else min(shuffle_buffer, n)
    order = tf.data.Dataset.range(n).shuffle(max(buffer, 1), seed=seed, reshuffle_each_iteration=True)
    return order.batch(batch_size)


def _gathered_batches(X, y, batch_size, shuffle_buffer, seed, backend):
    """``(windows, targets)`` batches of in-memory arrays, in :func:`index_batches` order.

    ``tf.data`` on TensorFlow; a :class:`~skts.neural._feeding.IndexBatches`
    of NumPy batches on the other backends.
    """
    if backend != "tensorflow":
        from skts.neural._feeding import IndexBatches

        return IndexBatches(
            len(X), batch_size, lambda k: (X[k], y[k]), shuffle_buffer=shuffle_buffer, seed=seed
        )
    tf = import_optional("tensorflow")
    windows, targets = tf.constant(X), tf.constant(y)
    batches = index_batches(len(X), batch_size, shuffle_buffer, seed)
    return batches.map(lambda k: (tf.gather(windows, k), tf.gather(targets, k))).prefetch(1)


def _auto_steps_per_execution(X, batch_size, in_memory):
    """Batches of one epoch of ``X``, at most ``AUTO_STEPS_PER_EXECUTION``.

    More steps than an epoch has would make Keras report batch indices past
    the epoch's end to callbacks and the progress bar.
    """
    if in_memory:
        batches = -(-len(X) // batch_size)
    elif hasattr(X, "cardinality"):
        batches = int(X.cardinality())  # negative when unknown or infinite
    else:
        batches = len(X)  # a PyDataset
    return min(batches, AUTO_STEPS_PER_EXECUTION) if batches > 0 else AUTO_STEPS_PER_EXECUTION


def fast_predictor(model, verbose=0):
    """Return a low-latency inference function for small batches.

    ``model.predict`` builds a data pipeline per call (about 55 ms for one
    window). Per backend: on TensorFlow, a ``tf.function`` of the model
    call, traced once for any batch size (about a millisecond for a small
    net); on JAX, ``jax.jit`` of the model's stateless call, compiled once
    per batch size (:func:`padded_rows` keeps those few); on PyTorch, the
    model called under ``torch.no_grad()``.

    Parameters
    ----------
    model : keras.Model
        A built model.
    verbose : int, default=0
        0 silences TensorFlow's retracing warnings, which a process holding
        many fitted estimators (a grid search) would otherwise print.

    Returns
    -------
    predict : callable
        ``predict(X) -> ndarray``, ``X`` an array accepted by ``model``,
        cast to the model's input dtype; inference mode (no dropout). It
        reads the model's current weights at every call.

    Notes
    -----
    The function holds a traced graph and must not be pickled: estimators
    get it through :meth:`KerasPickleMixin._fast_predictor`, which drops it
    on pickling and recreates it lazily.
    """
    dtype = model.inputs[0].dtype
    backend = keras_backend()
    if backend == "jax":
        import jax

        @jax.jit
        def call(trainable, non_trainable, X):
            return model.stateless_call(trainable, non_trainable, X, training=False)[0]

        def predict(X):
            trainable = [variable.value for variable in model.trainable_variables]
            non_trainable = [variable.value for variable in model.non_trainable_variables]
            return np.asarray(call(trainable, non_trainable, np.asarray(X, dtype=dtype)))

        return predict
    if backend == "torch":
        import torch

        keras = import_optional("keras")

        def predict(X):
            with torch.no_grad():
                inputs = keras.ops.convert_to_tensor(np.asarray(X, dtype=dtype))
                # Tensor.numpy(), not keras.ops.convert_to_numpy: its np.array
                # call raises NumPy 2's DeprecationWarning on torch tensors.
                return model(inputs, training=False).detach().cpu().numpy()

        return predict
    tf = import_optional("tensorflow")
    call = traced_inference(model)

    def predict(X):
        with quiet_compilers(verbose):
            return call(tf.convert_to_tensor(np.asarray(X), dtype=dtype)).numpy()

    return predict


def padded_rows(n, block):
    """Rows an inference batch of ``n`` windows is padded to.

    Whole blocks of ``block`` rows; on JAX, whose compiled predictor is
    compiled anew for every batch size, the next power of two of at least
    one block, so that any number of calls compiles a handful of shapes.
    """
    rows = -(-n // block) * block
    if keras_backend() == "jax":
        rows = max(block, 1 << (rows - 1).bit_length())
    return rows


def model_to_bytes(model):
    """Serialise a Keras model, architecture, weights and optimizer, to bytes."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "model.keras")
        with warnings.catch_warnings():
            # Keras' own weight export trips NumPy 2's __array__ copy-keyword
            # deprecation; it is not the user's to act on.
            warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
            model.save(path)
        with open(path, "rb") as file:
            return file.read()


def model_from_bytes(data):
    """Load a Keras model saved by :func:`model_to_bytes`."""
    keras = import_optional("keras")
    # Registers skts's custom layers (LNSimpleRNNCell, LastStep) for loading.
    import skts.neural._networks  # noqa: F401

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "model.keras")
        with open(path, "wb") as file:
            file.write(data)
        # The archive is the estimator's own, read back from its pickle, which
        # is trusted already; safe mode would refuse a wrapped PyTorch module
        # (TorchModuleWrapper stores it with torch.save).
        return keras.saving.load_model(path, safe_mode=False)


class KerasPickleMixin:
    """Pickle support and cached fast inference for estimators holding Keras models.

    Keras models do not pickle reliably; this mixin stores each model named
    in ``_keras_model_attributes`` as the bytes of a ``.keras`` archive and
    loads it back on unpickling. Attributes named in ``_cache_attributes``
    (compiled predictors, traced functions) are dropped on pickling and must
    be recreated lazily. It also caches one :func:`fast_predictor`
    per model (``_fast_predictor(name)``), which is never pickled and is
    recreated after loading. Put it left of
    :class:`~sklearn.base.BaseEstimator`.

    Call ``self._fast_predictor()`` at the end of ``fit``: it creates the
    cache there, so ``predict`` does not add attributes to the estimator
    (scikit-learn checks that ``predict`` leaves ``__dict__`` unchanged).
    """

    _keras_model_attributes = ("model_",)
    _cache_attributes = ()

    def _fast_predictor(self, name="model_"):
        """Cached :func:`fast_predictor` of the model in attribute ``name``.

        The cache is keyed by the model object, so a refit that replaces the
        model also replaces its predictor.
        """
        model = getattr(self, name)
        predictors = self.__dict__.setdefault("_fast_predictors", {})
        cached = predictors.get(name)
        if cached is None or cached[0] is not model:
            cached = predictors[name] = (model, fast_predictor(model, verbose=getattr(self, "verbose", 0)))
        return cached[1]

    def __getstate__(self):
        state = dict(super().__getstate__())
        # Traced tf.functions hold graphs that cannot be pickled; they are
        # rebuilt on first use after loading.
        for name in ("_fast_predictors", *self._cache_attributes):
            state.pop(name, None)
        for name in self._keras_model_attributes:
            if state.get(name) is not None:
                state[name] = _SavedModel(model_to_bytes(state[name]))
        return state

    def __setstate__(self, state):
        state = dict(state)
        for name in self._keras_model_attributes:
            if isinstance(state.get(name), _SavedModel):
                state[name] = model_from_bytes(state[name].data)
        state["_fast_predictors"] = {}
        super().__setstate__(state)


class _SavedModel:
    """Bytes of a ``.keras`` archive, marked so ``__setstate__`` loads them."""

    def __init__(self, data):
        self.data = data
