"""Recurrent network on prepared windows, as a scikit-learn regressor."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions

from skts.neural._window_regressor import BaseWindowRegressor


class RNNRegressor(BaseWindowRegressor):
    """Recurrent neural network regressor on windows: ``(n, steps, features) -> (n, h)``.

    Each row of ``X`` is one window, an independent sample, as in the
    textbook's panel of 10,000 synthetic series of 50 steps; to forecast one
    long history, use :class:`~skts.neural.RNNForecaster`, which windows it.
    The network is a (stacked, optionally bidirectional) SimpleRNN, LSTM,
    GRU or layer-normalised SimpleRNN, with an optional Conv1D front end and
    a Dense head on the last step. Inputs and targets are scaled internally
    and predictions come back in the units of ``y``.

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
    scaling : {"standard", "minmax"} or None, default="standard"
        Per-feature scaling of ``X`` and per-column scaling of ``y``, fitted
        on the training windows; ``None`` trains on raw values.
    loss : {"huber", "mse", "mae"}, default="huber"
        Training loss, on scaled targets (Huber, as the textbook).
    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd"}, default="adam"
        Keras optimizer.
    learning_rate : float, default=1e-3
        Learning rate.
    momentum : float or None, default=None
        Momentum for ``"sgd"`` and ``"rmsprop"``; ``None``: their default.
    epochs : int, default=20
        Maximum passes over the training windows.
    batch_size : int, default=32
        Windows per gradient step.
    patience : int or None, default=None
        Stop after ``patience`` epochs without a lower validation loss and
        restore the best weights; needs ``validation_fraction > 0``.
    validation_fraction : float, default=0.0
        Fraction of the windows, the *last* ones (time order kept), held
        out to monitor the validation loss.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling and dropout; an int makes
        ``fit`` reproducible. Reseeds the global ``random``, ``numpy.random``
        and TensorFlow generators, as :func:`keras.utils.set_random_seed`.
    verbose : int, default=0
        0 prints nothing; 1 a Keras progress bar, 2 one line per epoch.

    Attributes
    ----------
    model_ : keras.Model
        Trained network, on scaled data.
    history_ : dict of str to list of float
        Per-epoch training ``"loss"`` (and ``"val_loss"``), scaled units.
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
        **BaseWindowRegressor._parameter_constraints,
        "cell": [StrOptions({"simple", "lstm", "gru", "ln_simple"})],
        "units": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "conv_filters": [Interval(Integral, 0, None, closed="left")],
        "conv_kernel_size": [Interval(Integral, 1, None, closed="left")],
        "conv_strides": [Interval(Integral, 1, None, closed="left")],
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
        scaling="standard",
        loss="huber",
        optimizer="adam",
        learning_rate=1e-3,
        momentum=None,
        epochs=20,
        batch_size=32,
        patience=None,
        validation_fraction=0.0,
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
        self.scaling = scaling
        self.loss = loss
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.epochs = epochs
        self.batch_size = batch_size
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.random_state = random_state
        self.verbose = verbose

    def _build_network(self, n_features, seq_length, n_outputs):
        from skts.neural._networks import build_recurrent

        if self.conv_filters and seq_length < self.conv_kernel_size:
            raise ValueError(
                f"Windows of {seq_length} steps are shorter than conv_kernel_size="
                f"{self.conv_kernel_size}; use longer windows, a smaller "
                f"conv_kernel_size or conv_filters=0."
            )
        return build_recurrent(
            n_features,
            seq_length=seq_length,
            cell=self.cell,
            units=self.units,
            n_layers=self.n_layers,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            conv_filters=self.conv_filters,
            conv_kernel_size=self.conv_kernel_size,
            conv_strides=self.conv_strides,
            horizon=n_outputs,
        )
