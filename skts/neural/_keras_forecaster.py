"""Bring your own Keras network: skts's windowing, scaling, training and forecasting around it."""

from skts.neural._window_forecaster import _WindowForecaster

# get_params/set_params route ``model__<name>`` to ``model_params[<name>]``,
# scikeras' spelling for the hyperparameters of a user's network.
_ROUTE = "model__"


class KerasForecaster(_WindowForecaster):
    """Forecast with your own Keras network, trained on windows of the history.

    You write the network; skts cuts the history into windows (with the
    covariates of the next step), scales, holds out the last windows for
    early stopping, trains, forecasts recursively beyond the network's
    horizon, batches backtests, pickles and stays silent, exactly as for
    :class:`~skts.RNNForecaster`.

    Parameters
    ----------
    model : callable or keras.Model
        Either a function ``model(n_features, seq_length, n_outputs,
        **model_params)`` returning an uncompiled ``keras.Model``, or a
        ``keras.Model`` whose architecture is copied (with fresh weights,
        through ``keras.models.clone_model``) at each fit. Either way the
        network takes windows ``(batch, seq_length, n_features)`` and
        outputs ``(batch, n_outputs)``, ``n_outputs = horizon * n_targets``
        values in step-major order (with ``sequence_to_sequence=True``:
        ``(batch, seq_length, n_outputs)``, one forecast per window step).
        Window step ``t`` holds the scaled targets of step ``t`` followed by
        the scaled covariates of step ``t + 1``, so ``n_features =
        n_targets + n_covariates`` (with ``global_model=True``, one series
        per window: ``n_features = 1 + n_covariates`` and ``n_outputs =
        horizon``). Neither the function nor the model is
        ever modified; a function must be importable (defined at module
        level) for the forecaster to pickle.
    model_params : dict or None, default=None
        Keyword arguments of the build function (ignored for a model
        instance). Each is a hyperparameter of its own for scikit-learn:
        ``get_params()`` lists ``model__<name>`` and ``set_params`` /
        ``GridSearchCV`` accept it, e.g. ``{"model__units": [32, 64]}``; a
        new dict is made each time, never the one you passed.
    seq_length : int, default=56
        Number of time steps in each input window.
    horizon : int, default=1
        Steps forecast by one network call; longer spans are forecast
        recursively, ``horizon`` steps at a time.
    sequence_to_sequence : bool, default=False
        Train on a ``horizon``-step forecast at every window step.
    global_model : bool, default=False
        Train one network on the windows of every column of ``y``, each
        column a separate series sharing the weights (a global model, as in
        darts or neuralforecast), instead of one network that reads and
        forecasts all the columns jointly. Each column is scaled on its own
        and the covariates ``X`` are shared by every series. The windows are
        gathered batch by batch from the data inside the TensorFlow graph,
        never copied out, so memory does not grow with ``seq_length`` and
        no Python code runs per series. Forecasts come out per column
        either way. Best for many similar series; with few series of
        different behaviour, the joint network sees how they interact.
    scaler : {"standard", "minmax"} or None, default="standard"
        Per-column scaling of targets and covariates, fitted on the rows of
        the training windows; forecasts are in the units of ``y``.
    learning_rate : float, default=1e-3
        Learning rate of the optimizer.
    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd"}, default="adam"
        Keras optimizer.
    momentum : float or None, default=None
        Momentum of ``"sgd"`` or ``"rmsprop"``.
    loss : {"huber", "mse", "mae"}, default="huber"
        Training loss, on the scaled targets.
    epochs : int, default=20
        Maximum number of passes over the training windows.
    batch_size : int, default=32
        Windows per gradient step.
    shuffle_buffer : int or None, default=None
        Order of the training windows in each epoch. ``None`` permutes all
        of them anew every epoch, as Keras' ``fit(shuffle=True)``. An int
        streams them in time order through a buffer of that many windows,
        reshuffled every epoch (``tf.data.Dataset.shuffle``): a batch then
        holds windows close in time, and each epoch ends on the most recent
        ones. ``256`` is the textbook's ``ds.shuffle(8 * batch_size)`` over
        its time-ordered sequence-to-sequence windows, which ends every
        epoch near the end of the history; ``1`` trains in time order.
    patience : int or None, default=None
        If set, hold out the last ``validation_fraction`` of the windows (in
        time order), stop after ``patience`` epochs without improvement and
        restore the best weights.
    validation_fraction : float, default=0.1
        Fraction of the windows held out for early stopping.
    jit_compile : bool, default=False
        Compile the training step with XLA. It trades a compile on the first
        epoch (seconds, paid again by every fit, clone and grid-search
        candidate) for faster later epochs, so it pays off only on fits of
        many epochs; results agree with ``False`` up to float rounding
        (XLA may fuse and reorder operations). Prediction is not compiled.
    steps_per_execution : int or "auto", default="auto"
        Batches run per compiled training call. More batches per call mean
        fewer Python round trips per epoch (on the ridership models, about
        3 ms per batch; 15-25 % of a later epoch without XLA) for a little
        more tracing on the first epoch (about 0.1 s). ``"auto"`` runs one
        batch per call without XLA, the cheapest start for short fits, and
        with ``jit_compile=True`` a whole epoch, up to 32 batches, per call,
        so that the one setting ``jit_compile=True`` chooses both. The
        progress bar advances that many batches at a time. The batches, their
        order, the epochs and early stopping (checked after each epoch) do
        not change, so neither do the results.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling.
    verbose : int, default=0
        Keras training progress: 0 silent, 1 progress bar, 2 one line per
        epoch.

    Attributes
    ----------
    model_ : keras.Model
        The trained network (built by ``model`` or copied from it).
    history_ : dict of str to list of float
        Loss per epoch (and validation loss with ``patience``).
    n_epochs_ : int
        Number of epochs run.
    y_offset_, y_scale_ : ndarray of shape (n_targets,)
        Scaling of the targets: ``(y - y_offset_) / y_scale_``.
    X_offset_, X_scale_ : ndarray of shape (n_features_in_,)
        Scaling of the covariates.
    n_features_in_ : int
        Number of covariate columns of ``X`` (may be 0).
    y_, X_, index_, freq_, target_names_ :
        The stored history; see :class:`~skts.forecasting.BaseForecaster`.

    See Also
    --------
    RNNForecaster : The same machinery around skts's recurrent networks.
    skts.neural.build_recurrent : A builder to start from.

    Notes
    -----
    The build function runs inside the seeded block, so its initial weights
    follow ``random_state``: given ``skts.neural._networks.build_recurrent``
    with ``cell="gru"``, this forecaster reproduces ``RNNForecaster(cell="gru")``
    bit for bit. The optimizer, loss and epochs are this estimator's
    parameters, not the network's: the model is compiled by skts.

    Examples
    --------
    The primer's two-layer LSTM with 64 hidden units and min-max scaling:

    >>> import keras
    >>> import numpy as np
    >>> from skts.neural import KerasForecaster
    >>> def two_layer_lstm(n_features, seq_length, n_outputs, units=64):
    ...     return keras.Sequential([
    ...         keras.Input((seq_length, n_features)),
    ...         keras.layers.LSTM(units, return_sequences=True),
    ...         keras.layers.LSTM(units),
    ...         keras.layers.Dense(n_outputs),
    ...     ])
    >>> y = np.sin(np.arange(120) / 4)
    >>> forecaster = KerasForecaster(two_layer_lstm, model_params={"units": 64},
    ...                              scaler="minmax", seq_length=12, epochs=1,
    ...                              random_state=0)
    >>> forecaster.fit(np.empty((120, 0)), y).predict(np.empty((3, 0))).shape
    (3,)
    >>> forecaster.set_params(model__units=8).get_params()["model_params"]
    {'units': 8}
    """

    _parameter_constraints = {
        **_WindowForecaster._parameter_constraints,
        "model": [callable],
        "model_params": [dict, None],
    }

    def __init__(
        self,
        model,
        *,
        model_params=None,
        seq_length=56,
        horizon=1,
        sequence_to_sequence=False,
        global_model=False,
        scaler="standard",
        learning_rate=1e-3,
        optimizer="adam",
        momentum=None,
        loss="huber",
        epochs=20,
        batch_size=32,
        shuffle_buffer=None,
        patience=None,
        validation_fraction=0.1,
        jit_compile=False,
        steps_per_execution="auto",
        random_state=None,
        verbose=0,
    ):
        self.model = model
        self.model_params = model_params
        self.seq_length = seq_length
        self.horizon = horizon
        self.sequence_to_sequence = sequence_to_sequence
        self.global_model = global_model
        self.scaler = scaler
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.momentum = momentum
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle_buffer = shuffle_buffer
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.jit_compile = jit_compile
        self.steps_per_execution = steps_per_execution
        self.random_state = random_state
        self.verbose = verbose

    # -- parameters: model__<name> is model_params[<name>] --------------------

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        if deep:
            for name, value in (self.model_params or {}).items():
                params[_ROUTE + name] = value
        return params

    def set_params(self, **params):
        routed = {key[len(_ROUTE) :]: params.pop(key) for key in list(params) if key.startswith(_ROUTE)}
        if routed:
            base = params.pop("model_params", self.model_params)
            # A new dict: the caller's (and a clone's) stays as it was.
            params["model_params"] = {**(base or {}), **routed}
        return super().set_params(**params)

    def __sklearn_clone__(self):
        if not self._is_keras_model(self.model):
            return super().__sklearn_clone__()
        from sklearn.base import clone

        # A keras.Model given as ``model`` is shared, not deep-copied (Keras
        # copies through its saving code): skts only ever reads it.
        params = self.get_params(deep=False)
        params = {name: clone(value, safe=False) for name, value in params.items() if name != "model"}
        return type(self)(self.model, **params)

    # -- _WindowForecaster hooks -----------------------------------------------

    def _check_architecture(self, seq_length, n_outputs):
        if self._is_keras_model(self.model):
            if self.model_params:
                raise ValueError(
                    "model_params are keyword arguments of a build function, but model "
                    "is a keras.Model instance. Pass a function that builds the network "
                    "from them, or drop model_params."
                )
        elif not callable(self.model):
            raise TypeError(
                "model must be a function returning a keras.Model or a keras.Model; "
                f"got {type(self.model).__name__}."
            )

    def _output_steps(self, seq_length):
        import numpy as np

        return np.arange(seq_length)

    def _build_network(self, n_features, seq_length, n_outputs):
        keras = _keras()
        if self._is_keras_model(self.model):
            network = keras.models.clone_model(self.model)
        else:
            network = self.model(n_features, seq_length, n_outputs, **(self.model_params or {}))
            if not isinstance(network, keras.Model):
                raise TypeError(
                    f"The build function {getattr(self.model, '__name__', self.model)!r} "
                    f"returned {type(network).__name__}, not a keras.Model."
                )
        self._check_network_shapes(network, n_features, seq_length, n_outputs)
        return network

    # -- pickling: a keras.Model given as ``model`` travels as a .keras archive

    def __getstate__(self):
        state = super().__getstate__()
        if self._is_keras_model(state.get("model")):
            from skts.neural._keras_support import _SavedModel, model_to_bytes

            state["model"] = _SavedModel(model_to_bytes(state["model"]))
        return state

    def __setstate__(self, state):
        from skts.neural._keras_support import _SavedModel, model_from_bytes

        state = dict(state)
        if isinstance(state.get("model"), _SavedModel):
            state["model"] = model_from_bytes(state["model"].data)
        super().__setstate__(state)

    # -- helpers -------------------------------------------------------------

    @staticmethod
    def _is_keras_model(obj):
        import sys

        keras = sys.modules.get("keras")
        return keras is not None and isinstance(obj, keras.Model)

    def _check_network_shapes(self, network, n_features, seq_length, n_outputs):
        """A clear error before training when the network does not fit the windows."""
        inputs = network.inputs
        if len(inputs) != 1:
            raise ValueError(f"The network must take one input, the windows; it takes {len(inputs)}.")
        expected_in = (seq_length, n_features)
        got_in = tuple(inputs[0].shape[1:])
        if len(got_in) != 2 or any(g is not None and g != e for g, e in zip(got_in, expected_in)):
            raise ValueError(
                f"The network's input is {(None, *got_in)} but the windows are "
                f"(batch, seq_length={seq_length}, n_features={n_features}): n_features "
                "is the number of targets plus the number of covariate columns."
            )
        last = network.outputs[0].shape[-1]
        if len(network.outputs) != 1 or (last is not None and last != n_outputs):
            raise ValueError(
                f"The network must output horizon * n_targets = {n_outputs} values per "
                f"window (last axis); its output shape is {network.outputs[0].shape}."
            )


def _keras():
    from skts._optional import import_optional

    return import_optional("keras")
