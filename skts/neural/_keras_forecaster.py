"""Bring your own Keras network: skts's windowing, scaling, training and forecasting around it."""

from skts.neural._window_forecaster import _WindowForecaster
from skts.neural._window_training import document_training_parameters

# get_params/set_params route ``model__<name>`` to ``model_kwargs[<name>]``,
# scikeras' spelling for the hyperparameters of a user's network.
_ROUTE = "model__"


@document_training_parameters
class KerasForecaster(_WindowForecaster):
    """Forecast with your own Keras network, trained on windows of the history.

    You write the network; skts cuts the history into windows (with the
    covariates of the next step), scales, holds out the last windows for
    early stopping, trains, forecasts recursively beyond the network's
    ``output_length``, batches backtests, pickles and stays silent, exactly as for
    :class:`~skts.neural.RNNForecaster`.

    Parameters
    ----------
    model : callable or keras.Model
        Either a function ``model(n_features, seq_length, n_outputs,
        **model_kwargs)`` returning an uncompiled ``keras.Model``, or a
        ``keras.Model`` whose architecture is copied (with fresh weights,
        through ``keras.models.clone_model``) at each fit. Either way the
        network takes windows ``(batch, seq_length, n_features)`` and
        outputs ``(batch, n_outputs)``, ``n_outputs = output_length * n_targets``
        values in step-major order (with ``sequence_to_sequence=True``:
        ``(batch, seq_length, n_outputs)``, one forecast per window step).
        Window step ``t`` holds the scaled targets of step ``t`` followed by
        the scaled covariates of step ``t + 1``, so ``n_features =
        n_targets + n_covariates`` (with ``global_model=True``, one series
        per window: ``n_features = 1 + n_covariates`` and ``n_outputs =
        output_length``). Neither the function nor the model is
        ever modified; a function must be importable (defined at module
        level) for the forecaster to pickle.
    model_kwargs : dict or None, default=None
        Keyword arguments of the build function (ignored for a model
        instance). Each is a hyperparameter of its own for scikit-learn:
        ``get_params()`` lists ``model__<name>`` and ``set_params`` /
        ``GridSearchCV`` accept it, e.g. ``GridSearchCV(forecaster,
        {"model__units": [32, 64]}, cv=TimeSeriesSplit(n_splits=3,
        test_size=14))`` (a time-ordered ``cv``: the default one would train
        on the future); a new dict is made each time, never the one you
        passed.
    seq_length : int, default=56
        Number of time steps in each input window.
    output_length : int, default=1
        Steps forecast by one network call; longer spans are forecast
        recursively, ``output_length`` steps at a time.
    sequence_to_sequence : bool, default=False
        Train on an ``output_length``-step forecast at every window step.
    %(global_model_parameter)s
    %(training_parameters)s

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
    >>> forecaster = KerasForecaster(two_layer_lstm, model_kwargs={"units": 64},
    ...                              scaler="minmax", seq_length=12, epochs=1,
    ...                              random_state=0)
    >>> forecaster.fit(np.empty((120, 0)), y).predict(np.empty((3, 0))).shape
    (3,)
    >>> forecaster.set_params(model__units=8).get_params()["model_kwargs"]
    {'units': 8}
    """

    _parameter_constraints = {
        **_WindowForecaster._parameter_constraints,
        "model": [callable],
        "model_kwargs": [dict, None],
    }

    def __init__(
        self,
        model,
        *,
        model_kwargs=None,
        seq_length=56,
        output_length=1,
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
        jit_compile="auto",
        steps_per_execution="auto",
        random_state=None,
        verbose=0,
    ):
        self.model = model
        self.model_kwargs = model_kwargs
        self.seq_length = seq_length
        self.output_length = output_length
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

    # -- parameters: model__<name> is model_kwargs[<name>] --------------------

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        # Only a dict routes; any other value is left to fit's validation.
        if deep and isinstance(self.model_kwargs, dict):
            for name, value in self.model_kwargs.items():
                params[_ROUTE + name] = value
        return params

    def set_params(self, **params):
        routed = {key[len(_ROUTE) :]: params.pop(key) for key in list(params) if key.startswith(_ROUTE)}
        if routed:
            base = params.pop("model_kwargs", self.model_kwargs)
            # A new dict: the caller's (and a clone's) stays as it was.
            params["model_kwargs"] = {**(base or {}), **routed}
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
            if self.model_kwargs:
                raise ValueError(
                    "model_kwargs are keyword arguments of a build function, but model "
                    "is a keras.Model instance. Pass a function that builds the network "
                    "from them, or drop model_kwargs."
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
            network = self.model(n_features, seq_length, n_outputs, **(self.model_kwargs or {}))
            if not isinstance(network, keras.Model):
                raise TypeError(
                    f"The build function {getattr(self.model, '__name__', self.model)!r} "
                    f"returned {type(network).__name__}, not a keras.Model."
                )
        if not hasattr(network, "inputs"):
            # A subclassed keras.Model has no symbolic input until it is
            # called; skts traces and pickles networks through one.
            network = self._as_functional(network, n_features, seq_length)
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
        got_out = tuple(network.outputs[0].shape[1:])
        expected_out = (seq_length, n_outputs) if self.sequence_to_sequence else (n_outputs,)
        if len(network.outputs) != 1 or not _fits(got_out, expected_out):
            shape = "(batch, seq_length, n_outputs)" if self.sequence_to_sequence else "(batch, n_outputs)"
            raise ValueError(
                f"The network's output is {(None, *got_out)} but must be {shape} = "
                f"{(None, *expected_out)}, n_outputs = output_length * n_targets = {n_outputs} "
                "values per window. A network that ends on a sequence needs "
                "sequence_to_sequence=True, or a last layer that keeps only the last step."
            )

    @staticmethod
    def _as_functional(network, n_features, seq_length):
        """A functional model around a subclassed one, built on the windows' shape."""
        keras = _keras()
        inputs = keras.Input((seq_length, n_features), name="window")
        try:
            outputs = network(inputs)
        except Exception as error:
            raise ValueError(
                f"The network {type(network).__name__} cannot be called on windows of shape "
                f"(batch, seq_length={seq_length}, n_features={n_features}): {error}"
            ) from error
        return keras.Model(inputs, outputs, name=network.name)


def _fits(got, expected):
    """Whether a Keras shape (None for unknown) matches the expected one, axis for axis."""
    return len(got) == len(expected) and all(g is None or g == e for g, e in zip(got, expected))


def _keras():
    from skts._optional import import_optional

    return import_optional("keras")
