"""WaveNet on prepared windows, as a scikit-learn regressor."""

from skts.neural._architectures import _WaveNetArchitecture
from skts.neural._window_regressor import BaseWindowRegressor
from skts.neural._window_training import document_training_parameters


@document_training_parameters
class WaveNetRegressor(_WaveNetArchitecture, BaseWindowRegressor):
    """WaveNet regressor on windows: ``(n, steps, features) -> (n, h)``.

    Stacks of causal dilated ``Conv1D`` layers read each window; a 1x1
    convolution on the last step gives the ``h`` outputs (or, sequence to
    sequence, on every step). Architecture and training parameters are those
    of :class:`WaveNetForecaster`. Each row of ``X``
    is one independent window (a panel of many short series); to forecast one
    long history, use :class:`~skts.neural.WaveNetForecaster`. Inputs and
    targets are scaled internally and predictions come back in the units of
    ``y``.

    Parameters
    ----------
    filters : int, default=32
        Channels of every convolution.
    kernel_size : int, default=2
        Kernel size of the dilated convolutions.
    dilations : tuple of int, default=(1, 2, 4, 8)
        Dilation rates within one block. The last step sees
        ``1 + (kernel_size - 1) * sum(dilations) * n_blocks`` steps; older
        steps of longer windows do not reach the output.
    n_blocks : int, default=2
        Repetitions of the block of ``dilations``.
    gated : bool, default=False
        ``False``: the textbook's simple WaveNet (ReLU convolutions).
        ``True``: the full WaveNet, with gated activation units
        ``tanh * sigmoid``, residual and skip connections.
    sequence_to_sequence : bool, default=False
        Train the output of every window step (causal convolutions make each
        a fair forecast) on the ``n_outputs`` values of the window's first
        feature that follow that step, as the textbook trains its WaveNet;
        ``y`` must then hold the values of that feature that follow the
        window. Predictions come from the last step's output.
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
    RNNRegressor : Recurrent networks on the same windows.
    WaveNetForecaster : The same networks on one history, with the forecasting contract.

    Examples
    --------
    >>> import numpy as np
    >>> from skts.neural import WaveNetRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 16))
    >>> y = np.column_stack([X[:, -1], X[:, -2]])
    >>> reg = WaveNetRegressor(filters=4, n_blocks=1, epochs=2, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3, 2)
    """

    _parameter_constraints = {
        **BaseWindowRegressor._training_constraints,
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilations = dilations
        self.n_blocks = n_blocks
        self.gated = gated
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
