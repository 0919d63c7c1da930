"""The two network families, declared once for their forecaster and their regressor.

A family is a mixin holding the architecture's parameter constraints, its
checks and the mapping of its parameters to a builder of
:mod:`skts.neural._networks`. :class:`RNNForecaster` and
:class:`RNNRegressor` share :class:`_RecurrentArchitecture`;
:class:`WaveNetForecaster` and :class:`WaveNetRegressor` share
:class:`_WaveNetArchitecture`. The estimators differ only in where the
windows come from (a history or prepared windows), so the hooks take the
window length as an argument: ``self.seq_length`` in a forecaster, the
length of the windows passed to ``fit`` in a regressor.

Hooks used by :class:`~skts.neural._window_training._WindowTrainingMixin`:

- ``_check_architecture(seq_length, n_outputs)``: raise a ``ValueError`` naming the fix
  for combinations the network cannot take, before any work;
- ``_build_network(n_features, seq_length, n_outputs)``: the uncompiled
  ``keras.Model``, input ``(batch, seq_length, n_features)``, output
  ``(batch, n_outputs)``, or ``(batch, len(_output_steps(seq_length)),
  n_outputs)`` when ``self.sequence_to_sequence``;
- ``_output_steps(seq_length)``: the window steps that sequence-to-sequence
  outputs line up with.
"""

from numbers import Integral, Real

import numpy as np

from skts._compat import Interval, StrOptions


class _RecurrentArchitecture:
    """SimpleRNN / LSTM / GRU / layer-normalised cell, stacked, optional Conv1D front end."""

    _architecture_constraints = {
        "cell": [StrOptions({"gru", "lstm", "simple", "ln_simple"})],
        "units": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "conv_filters": [Interval(Integral, 0, None, closed="left")],
        "conv_kernel_size": [Interval(Integral, 1, None, closed="left")],
        "conv_strides": [Interval(Integral, 1, None, closed="left")],
        "dense_head": ["boolean"],
    }

    def _check_architecture(self, seq_length, n_outputs):
        width = self.units * (1 + bool(self.bidirectional))
        if not self.dense_head and width != n_outputs:
            raise ValueError(
                f"dense_head=False outputs the last recurrent layer, so units * "
                f"(1 + bidirectional) = {width} must equal the number of outputs "
                f"(output_length * n_targets, or the columns of y) = {n_outputs}; set units "
                "accordingly or use dense_head=True."
            )
        if not self.conv_filters:
            return
        if seq_length < self.conv_kernel_size:
            raise ValueError(
                f"Windows of {seq_length} steps (seq_length) are shorter than "
                f"conv_kernel_size={self.conv_kernel_size}: the Conv1D front end would "
                "output no step. Use longer windows, a smaller conv_kernel_size or "
                "conv_filters=0."
            )
        offset = (seq_length - self.conv_kernel_size) % self.conv_strides
        if self.sequence_to_sequence and offset:
            raise ValueError(
                f"With a Conv1D front end and sequence_to_sequence=True, the last "
                f"output must line up with the last window step, which needs "
                f"(seq_length - conv_kernel_size) % conv_strides == 0; got "
                f"({seq_length} - {self.conv_kernel_size}) % {self.conv_strides} "
                f"= {offset}. Use windows of {seq_length - offset} or "
                f"{seq_length - offset + self.conv_strides} steps (seq_length)."
            )

    def _output_steps(self, seq_length):
        if not self.conv_filters:
            return np.arange(seq_length)
        from skts.neural._networks import conv_output_steps

        return conv_output_steps(seq_length, self.conv_kernel_size, self.conv_strides)

    def _build_network(self, n_features, seq_length, n_outputs):
        from skts.neural._networks import build_recurrent

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
            output_length=n_outputs,
            sequence_to_sequence=self.sequence_to_sequence,
            dense_head=self.dense_head,
        )


class _WaveNetArchitecture:
    """Causal dilated Conv1D stacks, simple (ReLU) or gated, with a 1x1 head."""

    _architecture_constraints = {
        "filters": [Interval(Integral, 1, None, closed="left")],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "dilations": [tuple, list],
        "n_blocks": [Interval(Integral, 1, None, closed="left")],
        "gated": ["boolean"],
    }

    def _check_architecture(self, seq_length, n_outputs):
        dilations = list(self.dilations)
        if not dilations or any(
            isinstance(rate, bool) or not isinstance(rate, Integral) or rate < 1 for rate in dilations
        ):
            raise ValueError(
                f"dilations must be a non-empty tuple of positive integers, such as "
                f"(1, 2, 4, 8); got {self.dilations!r}."
            )

    def _output_steps(self, seq_length):
        # Causal padding keeps every step, and each sees only its past.
        return np.arange(seq_length)

    def _build_network(self, n_features, seq_length, n_outputs):
        from skts.neural._networks import build_wavenet

        return build_wavenet(
            n_features,
            seq_length=seq_length,
            filters=self.filters,
            kernel_size=self.kernel_size,
            dilations=tuple(int(rate) for rate in self.dilations),
            n_blocks=self.n_blocks,
            gated=self.gated,
            output_length=n_outputs,
            sequence_to_sequence=self.sequence_to_sequence,
        )
