"""Recurrent-network forecaster: the textbook's RNN, deep RNN, LSTM, GRU, Conv1D+GRU."""

from skts.neural._architectures import _RecurrentArchitecture
from skts.neural._window_forecaster import _WindowForecaster
from skts.neural._window_training import document_training_parameters


@document_training_parameters
class RNNForecaster(_RecurrentArchitecture, _WindowForecaster):
    """Forecast with a recurrent network trained on windows of the history.

    The history is cut into overlapping windows of ``seq_length`` steps
    (zero-copy views); at window step ``t`` the network reads the scaled
    targets of step ``t`` and the scaled covariates of step ``t + 1``, which
    are known in advance (the textbook's ``next_day_type``). It outputs the
    next ``output_length`` steps of every target. ``predict`` forecasts up to
    ``output_length`` steps with one network call and longer spans recursively,
    feeding the forecasts back ``output_length`` steps at a time.

    Parameters
    ----------
    cell : {"gru", "lstm", "simple", "ln_simple"}, default="gru"
        Recurrent cell: ``GRU``, ``LSTM``, ``SimpleRNN``, or a SimpleRNN cell
        with layer normalisation between its linear step and its activation.
    units : int, default=32
        Units of every recurrent layer.
    n_layers : int, default=1
        Number of stacked recurrent layers (deep RNN when above 1).
    bidirectional : bool, default=False
        Wrap each recurrent layer in ``Bidirectional``. With
        ``sequence_to_sequence=True`` the outputs then see later steps of
        the window, so only the last output is a fair forecast.
    dropout : float, default=0.0
        Dropout rate on the inputs of each recurrent cell, in ``[0, 1)``.
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state, in ``[0, 1)``.
    conv_filters : int, default=0
        If positive, a ``Conv1D(conv_filters, conv_kernel_size,
        strides=conv_strides, activation="relu")`` front end downsamples the
        window before the recurrent layers (the textbook's Conv1D+GRU).
    conv_kernel_size : int, default=4
        Kernel size of the Conv1D front end.
    conv_strides : int, default=2
        Strides of the Conv1D front end.
    dense_head : bool, default=True
        End with ``Dense(output_length * n_targets)``. ``False`` outputs the last
        recurrent layer directly, which needs ``units * (1 + bidirectional)
        == output_length * n_targets``: ``cell="simple", units=1,
        dense_head=False`` is the textbook's single-unit ``SimpleRNN(1)``
        (use ``scaler="minmax"``, since its tanh output is bounded).
    seq_length : int, default=56
        Number of time steps in each input window.
    output_length : int, default=1
        Steps forecast by one network call.
    sequence_to_sequence : bool, default=False
        Train on an ``output_length``-step forecast at every window step (at every
        Conv1D output step with a front end) instead of the last one only;
        forecasts come from the last step's output.
    %(global_model_parameter)s
    %(training_parameters)s

    Attributes
    ----------
    model_ : keras.Model
        The trained network; input ``(batch, seq_length, n_targets +
        n_features_in_)``, or ``(batch, seq_length, 1 + n_features_in_)``
        with ``global_model=True``.
    history_ : dict of str to list of float
        Loss per epoch (and validation loss with ``patience``).
    n_epochs_ : int
        Number of epochs run.
    holdout_residuals_ : ndarray of shape (n_holdout, output_length, n_targets)
        Errors ``actual - forecast`` of the trained network on the
        early-stopping hold-out windows, per step ahead (only with
        ``patience``); see ``ConformalForecaster(calibration="holdout")``.
    y_offset_, y_scale_ : ndarray of shape (n_targets,)
        Scaling of the targets: ``(y - y_offset_) / y_scale_``.
    X_offset_, X_scale_ : ndarray of shape (n_features_in_,)
        Scaling of the covariates: ``(X - X_offset_) / X_scale_``.
    n_features_in_ : int
        Number of covariate columns of ``X`` (may be 0).
    y_, X_, index_, freq_, target_names_ :
        The stored history; see :class:`~skts.forecasting.BaseForecaster`.

    See Also
    --------
    WaveNetForecaster : Causal dilated convolutions instead of recurrence.

    Notes
    -----
    Rows are time steps: pandas rows (``DatetimeIndex``, ``PeriodIndex`` or
    integer labels) are aligned by label, NumPy rows follow the history
    immediately, so ``TimeSeriesSplit(gap>0)`` needs pandas input.

    With ``patience``, the ``output_length - 1`` windows between the training and
    the validation windows are left out so that no training target is also a
    validation target. With a Conv1D front end and
    ``sequence_to_sequence=True``, the targets are cropped and downsampled to
    the Conv1D output steps (the textbook's ``Y[:, 3::2]``), which needs
    ``(seq_length - conv_kernel_size) % conv_strides == 0`` so that the last
    output lines up with the end of the window.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.neural import RNNForecaster
    >>> y = np.sin(np.arange(200) / 4)
    >>> forecaster = RNNForecaster(units=8, seq_length=16, output_length=4, epochs=2, random_state=0)
    >>> forecaster.fit(np.empty((200, 0)), y).predict(np.empty((6, 0))).shape
    (6,)
    """

    _parameter_constraints = {
        **_WindowForecaster._parameter_constraints,
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
