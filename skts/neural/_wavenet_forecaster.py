"""WaveNet forecaster: causal dilated convolutions, simple (ReLU) or gated."""

from skts.neural._architectures import _WaveNetArchitecture
from skts.neural._window_forecaster import _WindowForecaster
from skts.neural._window_training import document_training_parameters


@document_training_parameters
class WaveNetForecaster(_WaveNetArchitecture, _WindowForecaster):
    """Forecast with a WaveNet trained on windows of the history.

    Stacks of causal ``Conv1D`` layers whose dilation doubles within a block
    (``dilations``), the block repeated ``n_blocks`` times. Windows,
    covariates (those of step ``t + 1`` enter with step ``t``), scaling,
    training and the direct/recursive forecasts work as in
    :class:`RNNForecaster`.

    Parameters
    ----------
    filters : int, default=32
        Channels of every convolution.
    kernel_size : int, default=2
        Kernel size of the dilated convolutions.
    dilations : tuple of int, default=(1, 2, 4, 8)
        Dilation rates of one block. The receptive field is ``1 +
        (kernel_size - 1) * sum(dilations) * n_blocks`` steps (31 by
        default); steps of the window before it are not seen.
    n_blocks : int, default=2
        How many times the block of ``dilations`` is stacked.
    gated : bool, default=False
        ``False``: the textbook's simple WaveNet (ReLU convolutions).
        ``True``: the full WaveNet with gated activation units
        ``tanh * sigmoid``, residual and skip connections.
    seq_length : int, default=56
        Number of time steps in each input window.
    output_length : int, default=1
        Steps forecast by one network call.
    sequence_to_sequence : bool, default=False
        Train on an ``output_length``-step forecast at every window step (causal
        convolutions make every step a fair forecast, as in the textbook's
        WaveNet) instead of the last one only; forecasts come from the last
        step's output.
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
    RNNForecaster : Recurrent networks on the same windows.

    Notes
    -----
    Rows are time steps: pandas rows (``DatetimeIndex``, ``PeriodIndex`` or
    integer labels) are aligned by label, NumPy rows follow the history
    immediately, so ``TimeSeriesSplit(gap>0)`` needs pandas input.

    The textbook's WaveNet is ``WaveNetForecaster(filters=32, kernel_size=2,
    dilations=(1, 2, 4, 8), n_blocks=2, seq_length=56, output_length=14,
    sequence_to_sequence=True)`` on the multivariate input; grid-search the
    depth with ``n_blocks`` rather than with tuples of dilations.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.neural import WaveNetForecaster
    >>> y = np.sin(np.arange(200) / 4)
    >>> forecaster = WaveNetForecaster(filters=4, seq_length=16, output_length=4, epochs=2, random_state=0)
    >>> forecaster.fit(np.empty((200, 0)), y).predict(np.empty((6, 0))).shape
    (6,)
    """

    _parameter_constraints = {
        **_WindowForecaster._parameter_constraints,
        **_WaveNetArchitecture._architecture_constraints,
    }

    def __init__(
        self,
        *,
        filters=32,
        kernel_size=2,
        dilations=(1, 2, 4, 8),
        n_blocks=2,
        gated=False,
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilations = dilations
        self.n_blocks = n_blocks
        self.gated = gated
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
