"""The one training path of the Keras window estimators.

:class:`~skts.neural._window_forecaster._WindowForecaster` (windows cut from
a history) and :class:`~skts.neural._window_regressor.BaseWindowRegressor`
(windows given by the user) both go through :class:`_WindowTrainingMixin`
for:

- the training parameters: their defaults (:data:`TRAINING_DEFAULTS`), their
  constraints and their docstring text (:func:`document_training_parameters`),
  declared once, here, for every neural estimator;
- scaling (:func:`_scaling`, the ``scaler`` parameter, fitted attributes
  ``X_offset_``, ``X_scale_``, ``y_offset_``, ``y_scale_``);
- seeding (:func:`~skts.neural._keras_support.keras_seed`: the same
  ``random_state`` gives the same seed; the global ``random`` and
  ``numpy.random`` states are restored after the fit);
- the time-ordered hold-out split for early stopping (the last windows);
- building (the family's ``_build_network`` hook, see
  :mod:`skts.neural._architectures`), training and the padded predictor.
"""

import warnings
from contextlib import nullcontext
from numbers import Integral, Real

import numpy as np

from skts._compat import Interval, StrOptions
from skts._optional import _tensorflow_import_notices_dropped, import_optional
from skts._validation import magnitude_unit
from skts.neural import _keras_support
from skts.neural._keras_support import OPTIMIZERS, KerasPickleMixin, keras_seed, seeded

# Rows of a SIMD block of float32 (AVX-512); see ``_predict_padded``.
_BATCH_BLOCK = 16
# Windows per inference call, a whole number of blocks: bounds the memory of
# one forward pass while keeping the per-call overhead negligible.
_PREDICT_CHUNK = 512 * _BATCH_BLOCK
# Keras loss names; a grid can search over them.
_LOSSES = {"huber", "mse", "mae"}
# Above this magnitude, unscaled values saturate the networks' activations and
# Adam's steps of about ``learning_rate`` cannot reach the targets.
_UNSCALED_LIMIT = 1e3

# The training defaults of every neural estimator (forecasters, window
# regressors, KerasForecaster); tests/neural/test_training_defaults.py checks
# each signature against them. Chosen on realistic data, with the textbook's
# settings (Keras' Adam at 1e-3, batches of 32) as the reference:
# benchmarks/bench_neural_sine.py measures them against its raw Keras code.
TRAINING_DEFAULTS = {
    "scaler": "standard",
    "learning_rate": 1e-3,
    "optimizer": "adam",
    "momentum": None,
    "loss": "huber",
    "epochs": 20,
    "batch_size": 32,
    "shuffle_buffer": None,
    "patience": None,
    "validation_fraction": 0.1,
    "jit_compile": "auto",
    "steps_per_execution": "auto",
    "random_state": None,
    "verbose": 0,
}

_TRAINING_PARAMETERS_DOC = """\
scaler : {"standard", "minmax"} or None, default="standard"
    Per-column scaling of the targets and of the input features, fitted on
    the training windows only: zero mean and unit variance, or ``[0, 1]``.
    ``None`` trains on the raw values, which suits data of order 1 only
    (``fit`` warns beyond 1e3: such values saturate the activations and the
    optimizer's steps cannot reach them). Predictions are in the units of
    ``y`` either way.
learning_rate : float, default=1e-3
    Learning rate of the optimizer (Keras' default for Adam, the
    textbook's setting).
optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd"}, default="adam"
    Keras optimizer.
momentum : float or None, default=None
    Momentum of ``"sgd"`` or ``"rmsprop"`` (the textbook trains its
    ridership RNNs with ``optimizer="sgd", learning_rate=0.02,
    momentum=0.9``); ``None`` keeps the optimizer's default.
loss : {"huber", "mse", "mae"}, default="huber"
    Training loss, on the scaled targets.
epochs : int, default=20
    Maximum number of passes over the training windows.
batch_size : int, default=32
    Windows per gradient step (the last batch of an epoch may be smaller).
shuffle_buffer : int or None, default=None
    Order of the training windows in each epoch. ``None`` permutes all of
    them anew every epoch, as Keras' ``fit(shuffle=True)``. An int streams
    them in time order (a regressor: in the row order of ``X``) through a
    buffer of that many windows, reshuffled every epoch
    (``tf.data.Dataset.shuffle``): a batch then holds windows close in
    time, and each epoch ends on the most recent ones. ``256`` is the
    textbook's ``ds.shuffle(8 * batch_size)`` over its time-ordered
    sequence-to-sequence windows; ``1`` trains in time order.
patience : int or None, default=None
    If set, hold out the last ``validation_fraction`` of the windows (in
    time order), stop after ``patience`` epochs without a lower validation
    loss and restore the best weights. ``None`` trains on every window for
    ``epochs`` epochs.
validation_fraction : float, default=0.1
    Fraction of the windows held out for early stopping, in ``(0, 1)``;
    used only when ``patience`` is set.
jit_compile : bool or "auto", default="auto"
    Compile the training step with the Keras backend's compiler: XLA on
    TensorFlow and JAX, ``torch.compile`` on PyTorch. It trades a compile
    on the first epoch (seconds, paid again by every fit, clone and
    grid-search candidate) for faster later epochs; results agree with
    ``False`` up to float rounding (the compiler may fuse and reorder
    operations). ``"auto"`` compiles on JAX, which otherwise runs the step
    one operation at a time from Python, and not on TensorFlow or PyTorch,
    where compiling pays off only on fits of many epochs.
steps_per_execution : int or "auto", default="auto"
    Batches run per compiled training call. More batches per call mean
    fewer Python round trips per epoch (on the ridership models, about 3 ms
    per batch; 15-25 % of a later epoch without XLA) for a little more
    tracing on the first epoch (about 0.1 s). ``"auto"`` runs one batch per
    call without compilation, the cheapest start for short fits, and with
    compilation a whole epoch, up to 32 batches, per call, so that
    ``jit_compile`` alone chooses both. Keras' PyTorch backend runs one
    batch per call (an int above 1 is an error there). The batches, their
    order, the epochs and early stopping (checked after each epoch) do not
    change, so neither do the results.
random_state : int, RandomState instance or None, default=None
    Seeds weight initialisation, dropout and shuffling: the same int gives
    the same network and predictions, in a forecaster as in a regressor.
    The global ``random`` and ``numpy.random`` states are left as they
    were.
verbose : int, default=0
    0 prints nothing. 1 or more prints one plain line per epoch to
    standard output (epoch, loss, validation loss with ``patience``,
    seconds), with no progress bar or terminal control codes, so that logs
    stay readable.
"""

# The forecasters' global_model parameter, shared the same way.
_GLOBAL_MODEL_DOC = """\
global_model : bool, default=False
    Train one network on the windows of every column of ``y``, each column
    a separate series sharing the weights (a global model, as in darts or
    neuralforecast), instead of one network that reads and forecasts all
    the columns jointly. Each column is scaled on its own and the
    covariates ``X`` are shared by every series. Series may start at
    different times (leading NaN in a column): each gives the windows that
    start at or after its first observed row, and no series is cut to the
    age of the youngest. The windows are gathered batch by batch from the
    data (inside the graph on TensorFlow, from NumPy on JAX and PyTorch),
    never copied out whole, so memory does not grow with ``seq_length`` and
    no Python code runs per series. Forecasts
    come out per column either way. Best for many similar series; with few
    series of different behaviour, the joint network sees how they
    interact.
"""

# The lines of a class docstring that document_training_parameters replaces.
_TRAINING_PARAMETERS_MARKER = "    %(training_parameters)s\n"
_GLOBAL_MODEL_MARKER = "    %(global_model_parameter)s\n"


def document_training_parameters(cls):
    """Put the shared text of the training parameters into ``cls``'s docstring.

    The class docstring holds the line ``%(training_parameters)s`` in its
    Parameters section, indented like the parameter names; it becomes the
    entries of :data:`TRAINING_DEFAULTS`, the one text of every neural
    estimator. A forecaster's line ``%(global_model_parameter)s`` becomes
    the text of ``global_model``.
    """
    if _TRAINING_PARAMETERS_MARKER not in (cls.__doc__ or ""):
        raise AssertionError(f"{cls.__name__}'s docstring lacks the line {_TRAINING_PARAMETERS_MARKER.strip()}")
    cls.__doc__ = cls.__doc__.replace(_TRAINING_PARAMETERS_MARKER, _indented(_TRAINING_PARAMETERS_DOC))
    cls.__doc__ = cls.__doc__.replace(_GLOBAL_MODEL_MARKER, _indented(_GLOBAL_MODEL_DOC))
    return cls


def _indented(text):
    """Numpydoc entries indented as a class docstring's Parameters section."""
    return "".join("    " + line if line.strip() else line for line in text.splitlines(True))


class _WindowTrainingMixin(KerasPickleMixin):
    """Training, scaling, seeding, hold-out split and padded inference.

    Put it left of the estimator base class, with an architecture family of
    :mod:`skts.neural._architectures` left of it. The estimator declares
    ``_parameter_constraints = {**_WindowTrainingMixin._training_constraints,
    **family._architecture_constraints, ...}``.
    """

    _training_constraints = {
        "sequence_to_sequence": ["boolean"],
        "scaler": [StrOptions({"standard", "minmax"}), None],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "momentum": [Interval(Real, 0, 1, closed="left"), None],
        "loss": [StrOptions(_LOSSES)],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "shuffle_buffer": [Interval(Integral, 1, None, closed="left"), None],
        "patience": [Interval(Integral, 1, None, closed="left"), None],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "jit_compile": ["boolean", StrOptions({"auto"})],
        "steps_per_execution": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def _holdout_split(self, n_windows, gap=0):
        """Numbers of training and validation windows, in time order.

        Without ``patience`` every window trains. With it, the last
        ``validation_fraction`` of the windows (at least one) validate, and
        the ``gap`` windows before them are left out (a forecaster leaves
        ``output_length - 1``, so that no training target is also a validation
        target).
        """
        if self.patience is None:
            return n_windows, 0
        n_val = max(1, int(round(self.validation_fraction * n_windows)))
        n_train = n_windows - n_val - gap
        if n_train < 1:
            between = f", plus {gap} between training and validation targets," if gap else ""
            raise ValueError(
                f"Early stopping (patience={self.patience}) holds out the last "
                f"{n_val} of {n_windows} windows{between} leaving no training window. "
                "Pass more data, a smaller validation_fraction, or patience=None."
            )
        return n_train, n_val

    def _fit_network(self, n_features, seq_length, n_outputs, train, validation=None):
        """Seed, build, train; set ``model_``, ``history_`` and ``n_epochs_``.

        Parameters
        ----------
        n_features, seq_length, n_outputs : int
            Passed to ``_build_network``.
        train : tuple of ndarray or callable
            Scaled float32 windows ``(n, seq_length, n_features)`` and their
            targets, shaped like the network's output; or a function of the
            int seed (or None) returning ``tf.data`` datasets ``(train,
            validation)`` of ``(windows, targets)`` batches, validation None
            without early stopping, shuffled with that seed.
        validation : tuple of ndarray or None
            The held-out windows and targets, for early stopping (with
            arrays only).
        """
        if self.shuffle_buffer is True:
            # True passes the int constraint (False fails its lower bound) and
            # would mean a buffer of one window: training in time order, the
            # opposite of Keras' shuffle=True.
            raise ValueError(
                "shuffle_buffer=True is a bool; it takes a number of "
                "windows (an int >= 1) or None. None, the default, already permutes "
                "every window each epoch (Keras' shuffle=True); 1 trains in time order."
            )
        seed = keras_seed(self.random_state)
        with seeded(seed):
            model = self._build_network(n_features, seq_length, n_outputs)
        if callable(train):
            # Datasets carry their targets: train_network takes (dataset, None).
            dataset, X_val = train(seed)
            train, y_val = (dataset, None), None
        else:
            X_val, y_val = validation if validation is not None else (None, None)
        # XLA's first compile in a process writes absl INFO lines (service
        # started, "Compiled cluster using XLA!") to the C-level stderr, in
        # the format of TensorFlow's import notices: a silent fit drops
        # those lines, and only those, as the first import does.
        quiet_xla = (
            _tensorflow_import_notices_dropped
            if _keras_support.resolve_jit_compile(self.jit_compile)
            and not self.verbose
            and _keras_support.keras_backend() == "tensorflow"
            else nullcontext
        )
        with quiet_xla():
            # Looked up on the module so that tests can watch what is trained.
            self.history_ = _keras_support.train_network(
                model,
                *train,
                X_val=X_val,
                y_val=y_val,
                loss=self.loss,
                optimizer=self.optimizer,
                learning_rate=self.learning_rate,
                momentum=self.momentum,
                epochs=self.epochs,
                batch_size=self.batch_size,
                shuffle_buffer=self.shuffle_buffer,
                patience=self.patience,
                random_state=seed,
                verbose=self.verbose,
                jit_compile=self.jit_compile,
                steps_per_execution=self.steps_per_execution,
            )
        self._check_converged(model)
        self.model_ = model
        self.n_epochs_ = len(self.history_["loss"])
        # Create and trace the cached predictor now: predict then leaves the
        # state alone (scikit-learn checks that), and the first forecast is
        # as fast as the next ones.
        self._predict_padded(np.zeros((1, seq_length, n_features), np.float32))

    def _check_converged(self, model):
        """A clear error when training diverged, instead of NaN predictions later."""
        losses = np.asarray(self.history_["loss"], dtype=np.float64)
        # Checked by keras.ops on the backend: NumPy copies of torch tensors
        # (get_weights) raise NumPy 2's DeprecationWarning on __array__.
        ops = import_optional("keras").ops
        finite_weights = all(bool(ops.all(ops.isfinite(weight.value))) for weight in model.weights)
        if np.isfinite(losses).all() and finite_weights:
            return
        bad = np.flatnonzero(~np.isfinite(losses))
        when = f"the training loss became {losses[bad[0]]} at epoch {bad[0] + 1}" if len(bad) else "weights became NaN"
        fixes = [f"lower learning_rate (now {self.learning_rate})"]
        if self.scaler is None:
            fixes.append("scale the data (scaler='standard')")
        if self.loss != "huber":
            fixes.append(f"use loss='huber', which bounds the gradients of large errors (now {self.loss!r})")
        raise FloatingPointError(
            f"{type(self).__name__}'s training diverged: {when}, so every prediction would be "
            f"NaN. To train it: {'; '.join(fixes)}."
        )

    def _predict_padded(self, windows):
        """Network outputs for float32 ``windows``, each independent of the batch.

        TensorFlow's CPU kernels round a window's outputs differently
        depending on where it falls among the SIMD blocks of the batch.
        Padding every call to whole blocks of ``_BATCH_BLOCK`` rows makes a
        window's output the same whatever else is in the batch, so batched
        rolling forecasts equal per-origin ``predict``/``update`` and
        predictions do not depend on the order of the rows, bit for bit on
        one machine.
        """
        predict = self._fast_predictor()
        outputs = []
        for start in range(0, len(windows), _PREDICT_CHUNK):
            chunk = windows[start : start + _PREDICT_CHUNK]
            padded = np.zeros((_keras_support.padded_rows(len(chunk), _BATCH_BLOCK), *chunk.shape[1:]), np.float32)
            padded[: len(chunk)] = chunk
            outputs.append(predict(padded)[: len(chunk)])
        if not outputs:
            return np.empty((0, *self.model_.output_shape[1:]), np.float32)
        return np.concatenate(outputs)


def _scaling(values, scaler):
    """Offset and scale per column of 2-D ``values``: ``(values - offset) / scale``.

    ``"standard"``: mean and standard deviation; ``"minmax"``: minimum and
    range; ``None``: 0 and 1. Constant columns (a day-type dummy that never
    changes in the training part) get scale 1 rather than a division by zero.
    The statistics are computed in float64, so the scaled values fit the
    networks' float32 whatever the units of the data.
    """
    n_columns = values.shape[1]
    if scaler is None or len(values) == 0:
        magnitude = np.nanmax(np.abs(values), initial=0.0)
        if magnitude > _UNSCALED_LIMIT:
            warnings.warn(
                f"scaler=None trains the network on raw values as large as {magnitude:.3g}: "
                "the activations saturate and the optimizer's steps cannot reach such "
                "targets, so the predictions will be poor. Keep scaler='standard' (the "
                "default) or scale the data to order 1 yourself.",
                UserWarning,
                stacklevel=4,
            )
        return np.zeros(n_columns), np.ones(n_columns)
    # Per column, in units that keep squares of data far from 1 in float64.
    unit = magnitude_unit(values, axis=0)
    # NaN-aware: a global model's younger series has leading NaN rows.
    if scaler == "standard":
        offset = np.nanmean(values / unit, axis=0) * unit
        scale = np.nanstd(values / unit, axis=0) * unit
    else:
        offset = np.nanmin(values, axis=0)
        scale = np.nanmax(values, axis=0) - offset
    scale = np.where(scale > np.finfo(np.float64).eps * np.maximum(np.abs(offset), unit), scale, 1.0)
    return offset, scale
