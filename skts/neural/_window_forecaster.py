"""Shared machinery of the window-based neural forecasters.

:class:`RNNForecaster` and :class:`WaveNetForecaster` differ only in the
network they build. Everything else lives here: scaling, windowing with
:mod:`skts.windowing`, the time-ordered validation split, training, the
direct/recursive forecast loop, the batched rolling-origin path used by
``backtest`` and pickling of the fitted Keras model.

Window layout
-------------
The network sees, at window step ``t``, the (scaled) targets of step ``t``
and the (scaled) covariates of step ``t + 1``: covariates are known in
advance, so the row that ends a window already carries the calendar of the
first step to forecast (the textbook's ``next_day_type``). Each output row
holds ``horizon * n_targets`` values in step-major order.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from skts.forecasting._base import BaseForecaster
from skts.neural._keras_support import OPTIMIZERS, KerasPickleMixin
from skts.windowing import make_supervised, sliding_windows

# Rows of a SIMD block of float32 (AVX-512); see ``_forecast_scaled``.
_BATCH_BLOCK = 16
# Keras loss names; a grid can search over them.
_LOSSES = {"huber", "mse", "mae"}


class _WindowForecaster(KerasPickleMixin, BaseForecaster):
    """Base class of the Keras window forecasters (not for direct use).

    Subclasses set their architecture's ``_parameter_constraints`` on top of
    the training ones below and implement ``_build_network(n_features,
    n_targets)``; they may override ``_output_steps`` (window steps that the
    sequence-to-sequence outputs line up with) and ``_check_architecture``.
    """

    _parameter_constraints: dict = {
        "seq_length": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "sequence_to_sequence": ["boolean"],
        "scaler": [StrOptions({"standard", "minmax"}), None],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "momentum": [Interval(Real, 0, 1, closed="left"), None],
        "loss": [StrOptions(_LOSSES)],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "patience": [Interval(Integral, 1, None, closed="left"), None],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    # -- BaseForecaster hooks ------------------------------------------------

    def _fit(self, y, X):
        from skts.neural._keras_support import seed_everything, train_network

        seq_length, horizon = self.seq_length, self.horizon
        n_steps, n_targets = y.shape
        if n_steps < seq_length + horizon:
            raise ValueError(
                f"{type(self).__name__} needs at least seq_length + horizon = "
                f"{seq_length} + {horizon} = {seq_length + horizon} observed rows to "
                f"build one training window; got {n_steps} sample(s). Pass a longer "
                "history or a smaller seq_length or horizon."
            )
        self._check_architecture()
        n_train, n_val = self._split_windows(n_steps - seq_length - horizon + 1)

        # Scale with statistics of the rows the training windows touch, so the
        # validation part stays unseen.
        fit_rows = n_train + seq_length + horizon - 1
        self.target_offset_, self.target_scale_ = _scaling(y[:fit_rows], self.scaler)
        self.covariate_offset_, self.covariate_scale_ = _scaling(X[:fit_rows], self.scaler)
        rows = self._feature_rows(y, X)

        inputs, targets = make_supervised(
            rows,
            seq_length,
            horizon=horizon,
            targets=list(range(n_targets)),
            sequence_to_sequence=self.sequence_to_sequence,
        )
        if self.sequence_to_sequence:
            steps = self._output_steps()
            targets = targets[:, steps].reshape(len(targets), len(steps), horizon * n_targets)
        else:
            targets = targets.reshape(len(targets), horizon * n_targets)
        targets = np.ascontiguousarray(targets)

        seed = _seed(self.random_state)
        seed_everything(seed)
        model = self._build_network(rows.shape[1], n_targets)
        validation = {}
        if n_val:
            validation = {"X_val": inputs[-n_val:], "y_val": targets[-n_val:]}
        self.history_ = train_network(
            model,
            inputs[:n_train],
            targets[:n_train],
            **validation,
            loss=self.loss,
            optimizer=self.optimizer,
            momentum=self.momentum,
            learning_rate=self.learning_rate,
            epochs=self.epochs,
            batch_size=self.batch_size,
            patience=self.patience,
            random_state=seed,
            verbose=self.verbose,
        )
        self.model_ = model
        self.n_epochs_ = len(self.history_["loss"])
        # Create and trace the cached predictor now: predict then leaves the
        # state alone, and the first forecast is as fast as the next ones.
        self._fast_predictor()(np.zeros((_BATCH_BLOCK, seq_length, rows.shape[1]), np.float32))

    def _predict(self, horizon, X):
        seq_length = self.seq_length
        y_rows = np.concatenate([self.y_[-seq_length:], np.zeros((horizon, self.y_.shape[1]))])
        rows = self._feature_rows(y_rows, np.concatenate([self.X_[-seq_length:], X]))
        scaled = self._forecast_scaled(rows, np.array([seq_length - 1]), horizon)
        return self._unscale(scaled[0])

    def _rolling_forecasts(self, y, X, origins, horizon):
        """Forecasts from every origin in one network call per ``self.horizon`` steps.

        Gives the forecasts of ``predict`` + ``update`` once per origin (see
        :meth:`BaseForecaster._rolling_forecasts`), but builds the windows of
        all origins at once: one network call when ``horizon <=
        self.horizon``, else one per block of ``self.horizon`` steps of the
        recursion, batched over origins.
        """
        origins = np.asarray(origins, dtype=np.intp)
        if len(origins) == 0:
            return np.empty((0, horizon, y.shape[1]))
        seq_length = self.seq_length
        rows = self._feature_rows(
            np.concatenate([self.y_[-seq_length:], y]), np.concatenate([self.X_[-seq_length:], X])
        )
        scaled = self._forecast_scaled(rows, seq_length - 1 + origins, horizon)
        last = int(origins[-1])
        if last > 0:
            self._append_rows(y[:last], X[:last])
        return self._unscale(scaled)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    # -- subclass hooks ------------------------------------------------------

    def _build_network(self, n_features, n_targets):
        raise NotImplementedError

    def _check_architecture(self):
        """Raise a ValueError for hyperparameter combinations the network cannot take."""

    def _output_steps(self):
        """Window steps that the sequence-to-sequence outputs line up with."""
        return np.arange(self.seq_length)

    # -- helpers -------------------------------------------------------------

    def _split_windows(self, n_windows):
        """Numbers of training and validation windows, in time order.

        Without ``patience`` every window trains. With it, the last
        ``validation_fraction`` of the windows validate, and the
        ``horizon - 1`` windows before them are left out so that no training
        target is also a validation target.
        """
        if self.patience is None:
            return n_windows, 0
        n_val = max(1, int(round(self.validation_fraction * n_windows)))
        n_train = n_windows - n_val - (self.horizon - 1)
        if n_train < 1:
            raise ValueError(
                f"Early stopping (patience={self.patience}) holds out the last "
                f"{n_val} of {n_windows} windows, plus {self.horizon - 1} between "
                "training and validation targets, leaving no training window. Pass "
                "a longer history, a smaller validation_fraction, or patience=None."
            )
        return n_train, n_val

    def _feature_rows(self, y, X):
        """Scaled network input rows: row ``t`` is ``[y[t], X[t + 1]]``, float32.

        The last row's covariates are not known yet and are zero; that row is
        only ever a target or a place for a forecast, never a window input.
        """
        n_targets = y.shape[1]
        rows = np.zeros((len(y), n_targets + X.shape[1]), dtype=np.float32)
        rows[:, :n_targets] = (y - self.target_offset_) / self.target_scale_
        rows[:-1, n_targets:] = (X[1:] - self.covariate_offset_) / self.covariate_scale_
        return rows

    def _forecast_scaled(self, rows, ends, horizon):
        """Scaled forecasts of ``horizon`` steps from windows of ``rows`` ending at ``ends``.

        Blocks of ``self.horizon`` steps come from one network call each,
        batched over the windows; beyond the first block the forecasts are
        written into the target columns of the rows that follow the window
        and the window moves on (recursive strategy).

        Returns
        -------
        forecasts : ndarray of shape (len(ends), horizon, n_targets), float32
        """
        seq_length, step = self.seq_length, self.horizon
        n_targets = self.y_.shape[1]
        n_blocks = -(-horizon // step)
        span = seq_length + (n_blocks - 1) * step
        # Fancy indexing copies: the buffer is writable and private.
        buffer = sliding_windows(rows, span)[ends - seq_length + 1]
        forecasts = np.empty((len(ends), n_blocks * step, n_targets), dtype=np.float32)
        # TensorFlow's CPU kernels round a window's outputs differently
        # depending on where it falls among the SIMD blocks of the batch.
        # Padding every batch to whole blocks makes each window's forecast
        # independent of the batch, so the batched rolling forecasts equal
        # per-origin predict/update bit for bit.
        windows = np.zeros((-(-len(ends) // _BATCH_BLOCK) * _BATCH_BLOCK, seq_length, rows.shape[1]), np.float32)
        predictor = self._fast_predictor()
        for block in range(n_blocks):
            start = block * step
            windows[: len(ends)] = buffer[:, start : start + seq_length]
            outputs = predictor(windows)[: len(ends)]
            if self.sequence_to_sequence:
                outputs = outputs[:, -1]
            outputs = np.reshape(outputs, (len(ends), step, n_targets))
            forecasts[:, start : start + step] = outputs
            if block + 1 < n_blocks:
                buffer[:, seq_length + start : seq_length + start + step, :n_targets] = outputs
        return forecasts[:, :horizon]

    def _unscale(self, scaled):
        return scaled.astype(np.float64) * self.target_scale_ + self.target_offset_


def _scaling(values, scaler):
    """Offset and scale per column so that ``(values - offset) / scale`` is scaled.

    Constant columns (a day-type dummy that never changes in the training
    part) get scale 1 rather than a division by zero.
    """
    n_columns = values.shape[1]
    if scaler is None or len(values) == 0:
        return np.zeros(n_columns), np.ones(n_columns)
    if scaler == "standard":
        offset, scale = values.mean(axis=0), values.std(axis=0)
    else:
        offset = values.min(axis=0)
        scale = values.max(axis=0) - offset
    scale = np.where(scale > np.finfo(np.float64).eps * np.maximum(np.abs(offset), 1.0), scale, 1.0)
    return offset, scale


def _seed(random_state):
    """An int seed for Keras, or None to let it draw one."""
    if random_state is None:
        return None
    if isinstance(random_state, Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
