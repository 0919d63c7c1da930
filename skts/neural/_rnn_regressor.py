"""Recurrent network on prepared windows, as a scikit-learn regressor."""

from skts.neural._architectures import _RecurrentArchitecture
from skts.neural._window_regressor import BaseWindowRegressor
from skts.neural._window_training import document_training_parameters


@document_training_parameters
class RNNRegressor(_RecurrentArchitecture, BaseWindowRegressor):
    """Recurrent neural network regressor on windows: ``(n, steps, features) -> (n, h)``.

    Each row of ``X`` is one window, an independent sample, as in the
    textbook's panel of 10,000 synthetic series of 50 steps; to forecast one
    long history, use :class:`~skts.neural.RNNForecaster`, which windows it.
    The network is a (stacked, optionally bidirectional) SimpleRNN, LSTM,
    GRU or layer-normalised SimpleRNN, with an optional Conv1D front end and
    a Dense head, trained on the last step (sequence to vector) or on every
    step (sequence to sequence). Architecture and training parameters are
    those of :class:`RNNForecaster`. Inputs and targets are scaled
    internally and predictions come back in the units of ``y``.

    Parameters
    ----------
    cell : {"gru", "lstm", "simple", "ln_simple"}, default="gru"
        Recurrent cell; ``"ln_simple"`` layer-normalises a SimpleRNN cell
        between its linear step and its activation.
    units : int, default=32
        Units of every recurrent layer.
    n_layers : int, default=1
        Number of stacked recurrent layers.
    bidirectional : bool, default=False
        Read each window both ways (outputs concatenated).
    dropout : float, default=0.0
        Dropout rate on the inputs of each recurrent cell, in [0, 1).
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state, in [0, 1).
    conv_filters : int, default=0
        If positive, a ``Conv1D(conv_filters, conv_kernel_size,
        strides=conv_strides, activation="relu")`` front end downsamples the
        window before the recurrent layers.
    conv_kernel_size : int, default=4
        Kernel size of the Conv1D front end, at most ``steps``.
    conv_strides : int, default=2
        Strides of the Conv1D front end.
    dense_head : bool, default=True
        End with ``Dense(n_outputs)``. ``False`` outputs the last recurrent
        layer directly, which needs ``units * (1 + bidirectional) ==
        n_outputs``: ``cell="simple", units=1, dense_head=False`` is the
        textbook's single-neuron ``SimpleRNN(1)`` (3 parameters).
    sequence_to_sequence : bool, default=False
        Train the output of every window step (every Conv1D output step with
        a front end) on the ``n_outputs`` values of the window's first
        feature that follow that step, as the textbook trains its ten-step
        models; ``y`` must then hold the values of that feature that follow
        the window. Predictions come from the last step's output.
    %(training_parameters)s

    Attributes
    ----------
    model_ : keras.Model
        Trained network, on scaled data.
    history_ : dict of str to list of float
        Per-epoch training ``"loss"`` (and ``"val_loss"`` with
        ``patience``), scaled units.
    n_epochs_ : int
        Number of epochs run.
    n_features_in_ : int
        ``X.shape[1]`` in ``fit``, i.e. the steps per window (scikit-learn
        counts the columns of ``X``).
    seq_length_ : int
        Steps per window.
    n_step_features_ : int
        Features per step (1 for 2-D ``X``).
    output_shape_ : tuple
        ``y.shape[1:]`` in ``fit``; predictions have this shape per window.
    X_offset_, X_scale_ : ndarray of shape (n_step_features_,)
        Per-feature scaling of ``X``: ``(X - X_offset_) / X_scale_``.
    y_offset_, y_scale_ : ndarray of shape (n_outputs,)
        Per-column scaling of ``y``.

    See Also
    --------
    WaveNetRegressor : Causal dilated convolutions on the same windows.
    RNNForecaster : The same networks on one history, with the forecasting contract.

    Notes
    -----
    Rows are independent samples here, so scikit-learn's cross-validation
    and search tools apply as to any regressor. Determinism holds on CPU
    given an int ``random_state``; on GPU also enable TensorFlow's op
    determinism.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.neural import RNNRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 10, 2))
    >>> y = X[:, -1, 0] + X[:, -2, 1]
    >>> reg = RNNRegressor(cell="lstm", units=4, epochs=2, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints = {
        **BaseWindowRegressor._training_constraints,
        **_RecurrentArchitecture._architecture_constraints,
    }

    def __init__(
        self,
        *,
        cell="gru",
        units=32,
        n_layers=1,
        bidirectional=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        conv_filters=0,
        conv_kernel_size=4,
        conv_strides=2,
        dense_head=True,
        sequence_to_sequence=False,
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
        self.cell = cell
        self.units = units
        self.n_layers = n_layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.conv_filters = conv_filters
        self.conv_kernel_size = conv_kernel_size
        self.conv_strides = conv_strides
        self.dense_head = dense_head
        self.sequence_to_sequence = sequence_to_sequence
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
