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

from numbers import Integral

import numpy as np

from skts._compat import Interval
from skts.forecasting._base import BaseForecaster
from skts.neural._window_training import _WindowTrainingMixin, _scaling
from skts.windowing import make_supervised, sliding_windows


class _WindowForecaster(_WindowTrainingMixin, BaseForecaster):
    """Base class of the Keras window forecasters (not for direct use).

    A subclass puts a network family of :mod:`skts.neural._architectures`
    left of this class, or implements its hooks itself (a user-supplied
    network, for example):

    - ``_build_network(n_features, seq_length, n_outputs)`` returns an
      uncompiled ``keras.Model`` whose input is ``(batch, seq_length,
      n_features)`` (the window rows described in the module docstring) and
      whose output is ``(batch, n_outputs)``, ``n_outputs = horizon *
      n_targets`` in step-major order, or with ``sequence_to_sequence=True``
      ``(batch, len(_output_steps(seq_length)), n_outputs)``. It is called
      inside the seeded block, so its weights follow ``random_state``.
    - ``_check_architecture(seq_length, n_outputs)`` raises a ``ValueError``
      for parameter combinations the network cannot take; it runs before
      any scaling or training.
    - ``_output_steps(seq_length)`` gives the window steps the
      sequence-to-sequence outputs line up with.

    Its ``_parameter_constraints`` are the training ones of
    :class:`~skts.neural._window_training._WindowTrainingMixin`, the window
    ones below and the family's.
    """

    _parameter_constraints: dict = {
        **_WindowTrainingMixin._training_constraints,
        "seq_length": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
    }

    # -- BaseForecaster hooks ------------------------------------------------

    def _fit(self, y, X):
        seq_length, horizon = self.seq_length, self.horizon
        n_steps, n_targets = y.shape
        if n_steps < seq_length + horizon:
            raise ValueError(
                f"{type(self).__name__} needs at least seq_length + horizon = "
                f"{seq_length} + {horizon} = {seq_length + horizon} observed rows to "
                f"build one training window; got {n_steps} sample(s). Pass a longer "
                "history or a smaller seq_length or horizon."
            )
        self._check_architecture(seq_length, horizon * n_targets)
        n_train, n_val = self._holdout_split(n_steps - seq_length - horizon + 1, gap=horizon - 1)

        # Scale with statistics of the rows the training windows touch, so the
        # validation part stays unseen.
        fit_rows = n_train + seq_length + horizon - 1
        self.y_offset_, self.y_scale_ = _scaling(y[:fit_rows], self.scaler)
        self.X_offset_, self.X_scale_ = _scaling(X[:fit_rows], self.scaler)
        rows = self._feature_rows(y, X)

        inputs, targets = make_supervised(
            rows,
            seq_length,
            horizon=horizon,
            targets=list(range(n_targets)),
            sequence_to_sequence=self.sequence_to_sequence,
        )
        if self.sequence_to_sequence:
            steps = self._output_steps(seq_length)
            targets = targets[:, steps].reshape(len(targets), len(steps), horizon * n_targets)
        else:
            targets = targets.reshape(len(targets), horizon * n_targets)
        targets = np.ascontiguousarray(targets)
        validation = (inputs[-n_val:], targets[-n_val:]) if n_val else None
        self._fit_network(
            rows.shape[1], seq_length, horizon * n_targets, (inputs[:n_train], targets[:n_train]), validation
        )
        if n_val:
            # Errors of the trained network on the time-ordered hold-out
            # windows, per step ahead, in the units of y: the calibration of
            # ConformalForecaster(..., calibration="holdout").
            first = len(inputs) - n_val
            ends = np.arange(first, len(inputs)) + seq_length - 1
            actual = sliding_windows(y[seq_length:], horizon)[first:]
            self.holdout_residuals_ = actual - self._unscale(self._forecast_scaled(rows, ends, horizon))

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
        return self._unscale(scaled)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    # -- helpers -------------------------------------------------------------

    def _feature_rows(self, y, X):
        """Scaled network input rows: row ``t`` is ``[y[t], X[t + 1]]``, float32.

        The last row's covariates are not known yet and are zero; that row is
        only ever a target or a place for a forecast, never a window input.
        """
        n_targets = y.shape[1]
        rows = np.zeros((len(y), n_targets + X.shape[1]), dtype=np.float32)
        rows[:, :n_targets] = (y - self.y_offset_) / self.y_scale_
        rows[:-1, n_targets:] = (X[1:] - self.X_offset_) / self.X_scale_
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
        for block in range(n_blocks):
            start = block * step
            outputs = self._predict_padded(buffer[:, start : start + seq_length])
            if self.sequence_to_sequence:
                outputs = outputs[:, -1]
            outputs = np.reshape(outputs, (len(ends), step, n_targets))
            forecasts[:, start : start + step] = outputs
            if block + 1 < n_blocks:
                buffer[:, seq_length + start : seq_length + start + step, :n_targets] = outputs
        return forecasts[:, :horizon]

    def _unscale(self, scaled):
        return scaled.astype(np.float64) * self.y_scale_ + self.y_offset_

