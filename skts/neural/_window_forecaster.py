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
holds ``output_length * n_targets`` values in step-major order.
"""

from functools import partial
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from skts._compat import Interval
from skts._optional import import_optional
from skts.forecasting._base import BaseForecaster
from skts.neural._keras_support import index_batches, keras_backend
from skts.neural._window_training import _PREDICT_CHUNK, _WindowTrainingMixin, _scaling
from skts.windowing import make_supervised, sliding_windows


class _WindowForecaster(_WindowTrainingMixin, BaseForecaster):
    """Base class of the Keras window forecasters (not for direct use).

    A subclass puts a network family of :mod:`skts.neural._architectures`
    left of this class, or implements its hooks itself (a user-supplied
    network, for example):

    - ``_build_network(n_features, seq_length, n_outputs)`` returns an
      uncompiled ``keras.Model`` whose input is ``(batch, seq_length,
      n_features)`` (the window rows described in the module docstring) and
      whose output is ``(batch, n_outputs)``, ``n_outputs = output_length *
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
        "output_length": [Interval(Integral, 1, None, closed="left")],
        "global_model": ["boolean"],
    }

    # -- BaseForecaster hooks ------------------------------------------------

    def _fit(self, y, X):
        seq_length, output_length = self.seq_length, self.output_length
        if self.global_model:
            y, X = self._global_history(y, X)
        n_steps, n_targets = y.shape
        if n_steps < seq_length + output_length:
            raise ValueError(
                f"{type(self).__name__} needs at least seq_length + output_length = "
                f"{seq_length} + {output_length} = {seq_length + output_length} observed rows to "
                f"build one training window; got {n_steps} sample(s). Pass a longer "
                "history or a smaller seq_length or output_length."
            )
        n_outputs = output_length * self._network_targets(n_targets)
        self._check_architecture(seq_length, n_outputs)
        n_windows = n_steps - seq_length - output_length + 1
        n_train, n_val = self._holdout_split(n_windows, gap=output_length - 1)

        # Scale with statistics of the rows the training windows touch, so the
        # validation part stays unseen.
        fit_rows = n_train + seq_length + output_length - 1
        self.y_offset_, self.y_scale_ = _scaling(y[:fit_rows], self.scaler)
        self.X_offset_, self.X_scale_ = _scaling(X[:fit_rows], self.scaler)
        rows = self._feature_rows(y, X)

        if self.global_model:
            # A younger series' windows start at its first observed row.
            first_rows = np.isfinite(y).argmax(axis=0)
            train = partial(self._window_datasets, rows, n_train, n_val, first_rows)
            validation = None
        else:
            inputs, targets = make_supervised(
                rows[:, 0],
                seq_length,
                output_length=output_length,
                targets=list(range(n_targets)),
                sequence_to_sequence=self.sequence_to_sequence,
            )
            if self.sequence_to_sequence:
                steps = self._output_steps(seq_length)
                targets = targets[:, steps].reshape(len(targets), len(steps), n_outputs)
            else:
                targets = targets.reshape(len(targets), n_outputs)
            targets = np.ascontiguousarray(targets)
            validation = (inputs[-n_val:], targets[-n_val:]) if n_val else None
            train = (inputs[:n_train], targets[:n_train])
        self._fit_network(rows.shape[2], seq_length, n_outputs, train, validation)
        if n_val:
            # Errors of the trained network on the time-ordered hold-out
            # windows, per step ahead, in the units of y: the calibration of
            # ConformalForecaster(..., calibration="holdout").
            first = n_windows - n_val
            ends = np.arange(first, n_windows) + seq_length - 1
            actual = sliding_windows(y[seq_length:], output_length)[first:]
            self.holdout_residuals_ = actual - self._unscale(self._forecast_scaled(rows, ends, output_length))

    def _predict(self, horizon, X):
        seq_length = self.seq_length
        y_rows = np.concatenate([self.y_[-seq_length:], np.zeros((horizon, self.y_.shape[1]))])
        rows = self._feature_rows(y_rows, np.concatenate([self.X_[-seq_length:], X]))
        scaled = self._forecast_scaled(rows, np.array([seq_length - 1]), horizon)
        return self._unscale(scaled[0])

    def _rolling_forecasts(self, y, X, origins, horizon):
        """Forecasts from every origin in one network call per ``self.output_length`` steps.

        Gives the forecasts of ``predict`` + ``update`` once per origin (see
        :meth:`BaseForecaster._rolling_forecasts`), but builds the windows of
        all origins at once: one network call when ``horizon <=
        self.output_length``, else one per block of ``self.output_length`` steps of the
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

    def _network_targets(self, n_targets):
        """Targets per network output step: 1 for a global model, else every column."""
        return 1 if self.global_model else n_targets

    def _feature_rows(self, y, X):
        """Scaled network input rows, float32, of shape (n_steps, n_series, n_features).

        A multivariate network reads one series of rows (``n_series = 1``),
        row ``t`` being ``[y[t], X[t + 1]]``. A global model reads every
        column of ``y`` as its own series (``n_series = n_targets``), row
        ``t`` of series ``j`` being ``[y[t, j], X[t + 1]]``: the covariates
        are shared. The last row's covariates are not known yet and are
        zero; that row is only ever a target or a place for a forecast,
        never a window input.
        """
        scaled_y = (y - self.y_offset_) / self.y_scale_
        n_steps, n_targets = scaled_y.shape
        n_series = n_targets if self.global_model else 1
        per_series = self._network_targets(n_targets)
        rows = np.zeros((n_steps, n_series, per_series + X.shape[1]), dtype=np.float32)
        rows[:, :, :per_series] = scaled_y.reshape(n_steps, n_series, per_series)
        rows[:-1, :, per_series:] = ((X[1:] - self.X_offset_) / self.X_scale_)[:, np.newaxis]
        return rows

    def _global_history(self, y, X):
        """Every series of a global model from its own first observed row.

        The base class starts the history at the first row where every
        column is observed, which would cut the older series to the age of
        the youngest. The series of a global model are separate samples: the
        history starts where the oldest does, and each series contributes
        the windows that start at or after its first observed row.
        """
        # The stored history, leading NaN rows included (see BaseForecaster).
        full_y, full_X = self.y_, self.X_
        finite = np.isfinite(full_y)
        first = finite.argmax(axis=0)
        start = int(first.min())
        for column, row in enumerate(first):
            if not finite[row:, column].all():
                bad = row + int(np.argmin(finite[row:, column]))
                where = bad if self.index_ is None else self.index_[bad]
                raise ValueError(
                    f"Series {column} of y has NaN at row {where}, after its first observed "
                    "value. A global model takes series that start at different times "
                    "(leading NaN), but no gaps inside a series: impute them first (for "
                    "example y.interpolate())."
                )
        if len(full_y) - start == len(y):
            return y, X
        short = int((len(full_y) - first).min())
        needed = self.seq_length + self.output_length
        if short < needed:
            raise ValueError(
                f"The youngest series of y has {short} observed rows, fewer than "
                f"seq_length + output_length = {needed}: it cannot give one training "
                "window, nor a window to forecast from. Drop it or use shorter windows."
            )
        return full_y[start:], full_X[start:]

    def _global_windows(self, rows, n_train, n_val, first_rows):
        """How a global model's windows are numbered, for both feeds of :meth:`_window_datasets`.

        Window ``k`` of the training set starts at step ``k // n_series`` of
        series ``k % n_series`` (time order, which ``shuffle_buffer``
        streams through its buffer); the validation windows are the last
        ``n_val`` starts of every series (``output_length - 1`` starts after the
        training ones, as for a multivariate network). Windows holding a
        leading NaN of their series are left out.

        Returns
        -------
        target_steps : ndarray of int64
            Row offsets of the targets from a window's first row: shape
            ``(output_length,)``, or ``(n_output_steps, output_length)`` with
            ``sequence_to_sequence``.
        parts : list of (int, ndarray of int64)
            For training, then validation when ``n_val``: the first start
            and the numbers ``k`` of the observed windows.
        """
        seq_length, output_length = self.seq_length, self.output_length
        n_series = rows.shape[1]
        if self.sequence_to_sequence:
            # Target h of output step s is the value h + 1 steps after s.
            steps = np.asarray(self._output_steps(seq_length), dtype=np.int64)
            target_steps = steps[:, np.newaxis] + 1 + np.arange(output_length)
        else:
            target_steps = seq_length + np.arange(output_length, dtype=np.int64)

        def observed(first_start, n_starts):
            k = np.arange(n_starts * n_series, dtype=np.int64)
            return k[first_start + k // n_series >= np.asarray(first_rows)[k % n_series]]

        parts = [(0, observed(0, n_train))]
        if n_val:
            first_validation = rows.shape[0] - seq_length - output_length + 1 - n_val
            parts.append((first_validation, observed(first_validation, n_val)))
        return target_steps, parts

    def _window_datasets(self, rows, n_train, n_val, first_rows, seed):
        """Training and validation batches of a global model, gathered from ``rows``.

        The windows (numbered by :meth:`_global_windows`) are never
        materialised: each batch gathers its rows from ``rows`` when it is
        needed, so memory holds the data, not ``seq_length`` overlapping
        copies of it. On TensorFlow the batches are a ``tf.data`` pipeline
        gathering in the graph, so no Python code runs per batch; on JAX and
        PyTorch, NumPy gathers them in a ``keras.utils.PyDataset``.

        Returns
        -------
        train, validation : tf.data.Dataset, PyDataset or None
            Batches of ``(windows, targets)``: windows ``(batch, seq_length,
            n_features)``, targets ``(batch, output_length)`` or, with
            ``sequence_to_sequence``, ``(batch, n_output_steps, output_length)``.
        """
        target_steps, parts = self._global_windows(rows, n_train, n_val, first_rows)
        n_series = rows.shape[1]
        extra = (1,) * target_steps.ndim
        if keras_backend() != "tensorflow":
            from skts.neural._feeding import IndexBatches

            window_steps = np.arange(self.seq_length)
            targets_of = rows[:, :, 0]

            def gather(first_start, valid):
                def windows_and_targets(i):
                    k = valid[i]
                    start, series = first_start + k // n_series, k % n_series
                    windows = rows[start[:, None] + window_steps, series[:, None]]
                    targets = targets_of[start.reshape(-1, *extra) + target_steps, series.reshape(-1, *extra)]
                    return windows, targets

                return windows_and_targets

            (first_train, train_windows), *validation_part = parts
            train = IndexBatches(
                len(train_windows),
                self.batch_size,
                gather(first_train, train_windows),
                shuffle_buffer=self.shuffle_buffer,
                seed=seed,
            )
            if not n_val:
                return train, None
            first_validation, validation_windows = validation_part[0]
            gather_validation = gather(first_validation, validation_windows)
            return train, IndexBatches(len(validation_windows), self.batch_size, gather_validation, shuffle=False)

        tf = import_optional("tensorflow")
        data = tf.constant(rows)
        window_steps = tf.range(self.seq_length, dtype=tf.int64)
        target_steps = tf.constant(target_steps)

        def gather(first_start, valid):
            valid = tf.constant(valid)

            def windows_and_targets(i):
                k = tf.gather(valid, i)
                start, series = first_start + k // n_series, k % n_series
                input_steps = start[:, None] + window_steps
                input_series = tf.broadcast_to(series[:, None], tf.shape(input_steps))
                windows = tf.gather_nd(data, tf.stack([input_steps, input_series], -1))
                shape = tf.concat([tf.shape(k), tf.shape(target_steps)], 0)
                target_rows = tf.reshape(start, [-1, *extra]) + target_steps
                series = tf.broadcast_to(tf.reshape(series, [-1, *extra]), shape)
                targets = tf.gather_nd(data[:, :, 0], tf.stack([target_rows, series], -1))
                return windows, targets

            return windows_and_targets

        (first_train, train_windows), *validation_part = parts
        train = index_batches(len(train_windows), self.batch_size, self.shuffle_buffer, seed)
        train = train.map(gather(first_train, train_windows)).prefetch(1)
        if not n_val:
            return train, None
        first_validation, validation_windows = validation_part[0]
        validation = tf.data.Dataset.range(len(validation_windows)).batch(self.batch_size)
        return train, validation.map(gather(first_validation, validation_windows)).prefetch(1)

    def _forecast_scaled(self, rows, ends, horizon):
        """Scaled forecasts of ``horizon`` steps from windows of ``rows`` ending at ``ends``.

        Blocks of ``self.output_length`` steps come from one network call each,
        batched over the windows of every origin and series; beyond the
        first block the forecasts are written into the target columns of
        the rows that follow the window and the window moves on (recursive
        strategy). Origins are taken in chunks that bound the memory of the
        window copies.

        Parameters
        ----------
        rows : ndarray of shape (n_steps, n_series, n_features)
            From :meth:`_feature_rows`.
        ends : ndarray of int
            The last step of each origin's window.

        Returns
        -------
        forecasts : ndarray of shape (len(ends), horizon, n_targets), float32
        """
        seq_length, step = self.seq_length, self.output_length
        n_series = rows.shape[1]
        per_series = self._network_targets(self.y_.shape[1])
        n_blocks = -(-horizon // step)
        span = seq_length + (n_blocks - 1) * step
        windows = sliding_window_view(rows, span, axis=0)
        forecasts = np.empty((len(ends), n_series, n_blocks * step, per_series), dtype=np.float32)
        chunk = max(1, _PREDICT_CHUNK // n_series)
        for first in range(0, len(ends), chunk):
            chunk_ends = ends[first : first + chunk]
            # Fancy indexing copies: the buffer is writable and private.
            buffer = windows[chunk_ends - seq_length + 1].transpose(0, 1, 3, 2)
            buffer = buffer.reshape(len(chunk_ends) * n_series, span, rows.shape[2])
            for block in range(n_blocks):
                start = block * step
                outputs = self._predict_padded(buffer[:, start : start + seq_length])
                if self.sequence_to_sequence:
                    outputs = outputs[:, -1]
                outputs = np.reshape(outputs, (len(buffer), step, per_series))
                forecasts[first : first + chunk, :, start : start + step] = outputs.reshape(
                    len(chunk_ends), n_series, step, per_series
                )
                if block + 1 < n_blocks:
                    buffer[:, seq_length + start : seq_length + start + step, :per_series] = outputs
        # Columns of y: series-major for a global model, target-major otherwise.
        forecasts = forecasts[:, :, :horizon].transpose(0, 2, 1, 3)
        return forecasts.reshape(len(ends), horizon, n_series * per_series)

    def _unscale(self, scaled):
        return scaled.astype(np.float64) * self.y_scale_ + self.y_offset_

