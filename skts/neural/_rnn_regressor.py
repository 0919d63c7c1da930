"""Recurrent network on prepared windows, as a scikit-learn regressor."""

from skts.neural._architectures import _RecurrentArchitecture
from skts.neural._window_regressor import BaseWindowRegressor


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
    scaler : {"standard", "minmax"} or None, default="standard"
        Per-feature scaling of ``X`` and per-column scaling of ``y``, fitted
        on the training windows; ``None`` trains on raw values. Predictions
        are in the units of ``y`` either way.
    learning_rate : float, default=0.01
        Learning rate. With ``batch_size=16``, this default fits small panels
        (a few hundred windows) within 20 epochs, as scikit-learn's checks
        ask of a regressor; on large panels the textbook's 0.001 and batches
        of 32 are the usual choice (see ``examples/synthetic.py``).
    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd"}, default="adam"
        Keras optimizer.
    momentum : float or None, default=None
        Momentum for ``"sgd"`` and ``"rmsprop"``; ``None``: their default.
    loss : {"huber", "mse", "mae"}, default="huber"
        Training loss, on scaled targets (Huber, as the textbook).
    epochs : int, default=20
        Maximum passes over the training windows.
    batch_size : int, default=16
        Windows per gradient step.
    shuffle_buffer : int or None, default=None
        Order of the training windows in each epoch. ``None`` permutes all
        of them anew every epoch, as Keras' ``fit(shuffle=True)``. An int
        streams them in the order of the rows of ``X`` through a buffer of
        that many windows, reshuffled every epoch
        (``tf.data.Dataset.shuffle``): for windows in time order, a batch
        then holds windows close in time and each epoch ends on the most
        recent ones; ``1`` keeps the row order.
    patience : int or None, default=None
        If set, hold out the last ``validation_fraction`` of the windows (row
        order is kept), stop after ``patience`` epochs without a lower
        validation loss and restore the best weights. ``None`` trains on
        every window for ``epochs`` epochs.
    validation_fraction : float, default=0.1
        Fraction of the windows held out for early stopping, in ``(0, 1)``;
        used only when ``patience`` is set.
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
        Seeds weight initialisation, shuffling and dropout; an int makes
        ``fit`` reproducible and is the same seed as in
        :class:`RNNForecaster`. The global ``random`` and ``numpy.random``
        states are left as they were.
    verbose : int, default=0
        0 prints nothing; 1 a Keras progress bar, 2 one line per epoch.

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
        learning_rate=0.01,
        optimizer="adam",
        momentum=None,
        loss="huber",
        epochs=20,
        batch_size=16,
        shuffle_buffer=None,
        patience=None,
        validation_fraction=0.1,
        jit_compile=False,
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
