"""WaveNet on prepared windows, as a scikit-learn regressor."""

from numbers import Integral

from sklearn.utils._param_validation import Interval

from skts.neural._window_regressor import BaseWindowRegressor


class WaveNetRegressor(BaseWindowRegressor):
    """WaveNet regressor on windows: ``(n, steps, features) -> (n, h)``.

    Stacks of causal dilated ``Conv1D`` layers read each window; a 1x1
    convolution on the last step gives the ``h`` outputs. Each row of ``X``
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
    scaling : {"standard", "minmax"} or None, default="standard"
        Per-feature scaling of ``X`` and per-column scaling of ``y``, fitted
        on the training windows; ``None`` trains on raw values.
    loss : {"huber", "mse", "mae"}, default="huber"
        Training loss, on scaled targets.
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
        Seeds weight initialisation and shuffling; an int makes ``fit``
        reproducible. Reseeds the global ``random``, ``numpy.random`` and
        TensorFlow generators, as :func:`keras.utils.set_random_seed`.
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
        **BaseWindowRegressor._parameter_constraints,
        "filters": [Interval(Integral, 1, None, closed="left")],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "dilations": [tuple, list],
        "n_blocks": [Interval(Integral, 1, None, closed="left")],
        "gated": ["boolean"],
    }

    def __init__(
        self,
        *,
        filters=32,
        kernel_size=2,
        dilations=(1, 2, 4, 8),
        n_blocks=2,
        gated=False,
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilations = dilations
        self.n_blocks = n_blocks
        self.gated = gated
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
        from skts.neural._networks import build_wavenet

        if len(self.dilations) == 0 or not all(
            isinstance(rate, Integral) and not isinstance(rate, bool) and rate >= 1 for rate in self.dilations
        ):
            raise ValueError(
                f"dilations must be a non-empty sequence of positive ints, e.g. (1, 2, 4, 8); "
                f"got {self.dilations!r}."
            )
        return build_wavenet(
            n_features,
            seq_length=seq_length,
            filters=self.filters,
            kernel_size=self.kernel_size,
            dilations=tuple(int(rate) for rate in self.dilations),
            n_blocks=self.n_blocks,
            gated=self.gated,
            horizon=n_outputs,
        )
