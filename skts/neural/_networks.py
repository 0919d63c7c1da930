"""Keras network builders: hyperparameters in, ``keras.Model`` out.

These functions know nothing about scikit-learn, scaling or windowing; the
estimators in :mod:`skts.neural` own those. Every builder takes windows of
shape ``(batch, steps, n_features)`` and returns a model whose last axis holds
``output_length * n_targets`` values in step-major order, so
``output.reshape(..., output_length, n_targets)`` recovers steps and targets.

- sequence-to-vector (``sequence_to_sequence=False``): one output row per
  window, from its last step, shape ``(batch, output_length * n_targets)``;
- sequence-to-sequence (``sequence_to_sequence=True``): one output row per
  (possibly downsampled) step, shape ``(batch, out_steps, output_length * n_targets)``.

This module imports Keras (through :func:`skts._optional.import_optional`)
when it is imported, so the estimators import it inside their methods.
"""

import numpy as np

from skts._optional import import_optional

keras = import_optional("keras")

RECURRENT_CELLS = ("simple", "lstm", "gru", "ln_simple")


@keras.saving.register_keras_serializable(package="skts")
class LNSimpleRNNCell(keras.layers.SimpleRNNCell):
    """Simple RNN cell with layer normalisation before its activation.

    The textbook's ``LNSimpleRNNCell``: the linear step
    ``x_t W + h_{t-1} U + b`` of a :class:`keras.layers.SimpleRNNCell`, then
    :class:`keras.layers.LayerNormalization` over the units, then the
    activation. Wrap it in :class:`keras.layers.RNN`. Subclassing
    ``SimpleRNNCell`` (rather than wrapping one, as the textbook does) keeps
    Keras' dropout and recurrent-dropout masks, which the ``RNN`` layer only
    manages for its own dropout-aware cells.

    Parameters
    ----------
    units : int
        Dimension of the hidden state and of the output.
    activation : str or callable, default="tanh"
        Applied after the layer normalisation.
    **kwargs
        Forwarded to :class:`keras.layers.SimpleRNNCell` (``dropout``,
        ``recurrent_dropout``, initialisers, ...); its own activation is
        always linear.
    """

    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(units, activation=None, **kwargs)
        self.normalized_activation = keras.activations.get(activation)
        self.layer_norm = keras.layers.LayerNormalization(dtype=self.dtype_policy)

    def build(self, input_shape):
        super().build(input_shape)
        self.layer_norm.build((None, self.units))

    def call(self, sequence, states, training=False):
        linear, _ = super().call(sequence, states, training=training)
        output = self.normalized_activation(self.layer_norm(linear))
        return output, [output]

    def get_config(self):
        config = super().get_config()
        config["activation"] = keras.activations.serialize(self.normalized_activation)
        return config


@keras.saving.register_keras_serializable(package="skts")
class LastStep(keras.layers.Layer):
    """Keep the last time step: ``(batch, steps, k) -> (batch, k)``.

    A named layer rather than a ``Lambda`` so that saved models load in
    Keras' safe mode.
    """

    def call(self, inputs):
        return inputs[:, -1, :]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])


def conv_output_steps(seq_length, kernel_size, strides):
    """Input steps that the outputs of a "valid" strided Conv1D line up with.

    Output step ``j`` of ``Conv1D(kernel_size, strides, padding="valid")``
    sees input steps ``j * strides`` to ``j * strides + kernel_size - 1``, so
    it can only be trained on targets of its last input step. This is the
    textbook's ``Y[:, 3::2]`` for ``kernel_size=4, strides=2``.

    Parameters
    ----------
    seq_length : int
        Number of input steps in a window.
    kernel_size : int
        Conv1D kernel size.
    strides : int
        Conv1D strides.

    Returns
    -------
    steps : ndarray of shape (out_steps,)
        0-based step index, within the window, of the last input step seen by
        each output step: ``np.arange(kernel_size - 1, seq_length, strides)``.
    """
    return np.arange(kernel_size - 1, seq_length, strides)


def _recurrent_layer(cell, units, *, return_sequences, dropout, recurrent_dropout, name):
    options = dict(return_sequences=return_sequences, name=name)
    cell_options = dict(dropout=dropout, recurrent_dropout=recurrent_dropout)
    if cell == "simple":
        return keras.layers.SimpleRNN(units, **cell_options, **options)
    if cell == "lstm":
        return keras.layers.LSTM(units, **cell_options, **options)
    if cell == "gru":
        return keras.layers.GRU(units, **cell_options, **options)
    if cell == "ln_simple":
        return keras.layers.RNN(LNSimpleRNNCell(units, **cell_options), **options)
    raise ValueError(f"cell must be one of {RECURRENT_CELLS}; got {cell!r}.")


def build_recurrent(
    n_features,
    *,
    seq_length=None,
    cell="gru",
    units=32,
    n_layers=1,
    bidirectional=False,
    dropout=0.0,
    recurrent_dropout=0.0,
    conv_filters=0,
    conv_kernel_size=4,
    conv_strides=2,
    output_length=1,
    n_targets=1,
    sequence_to_sequence=False,
    dense_head=True,
):
    """Build a recurrent network: optional Conv1D front end, stacked RNN, head.

    Parameters
    ----------
    n_features : int
        Number of input features per step.
    seq_length : int or None, default=None
        Steps per window; ``None`` accepts windows of any length.
    cell : {"simple", "lstm", "gru", "ln_simple"}, default="gru"
        ``SimpleRNN``, ``LSTM``, ``GRU`` or :class:`LNSimpleRNNCell` in an
        ``RNN`` layer.
    units : int, default=32
        Units of every recurrent layer.
    n_layers : int, default=1
        Stacked recurrent layers; all but the last (or all, for
        sequence-to-sequence) return sequences.
    bidirectional : bool, default=False
        Wrap every recurrent layer in ``Bidirectional`` (outputs
        concatenated, so ``2 * units`` wide). A bidirectional layer reads the
        window backwards too, which is only causal for whole windows:
        sequence-to-sequence outputs then see later steps of the window.
    dropout, recurrent_dropout : float, default=0.0
        Dropout rates on the inputs and on the recurrent state of each cell.
    conv_filters : int, default=0
        If positive, a front end
        ``Conv1D(conv_filters, conv_kernel_size, strides=conv_strides,
        padding="valid", activation="relu")`` downsamples the input; its
        output step ``j`` lines up with input step
        ``conv_output_steps(seq_length, conv_kernel_size, conv_strides)[j]``.
    conv_kernel_size, conv_strides : int, default=4, 2
        Kernel size and strides of the Conv1D front end.
    output_length : int, default=1
        Steps forecast by each output row.
    n_targets : int, default=1
        Target series forecast at each step.
    sequence_to_sequence : bool, default=False
        Output at every (possibly downsampled) step instead of the last one.
    dense_head : bool, default=True
        End with ``Dense(output_length * n_targets)``. ``False`` makes the last
        recurrent layer the output, which then needs
        ``units * (1 + bidirectional) == output_length * n_targets``: the
        textbook's one-layer ``SimpleRNN(1)`` is
        ``build_recurrent(1, cell="simple", units=1, dense_head=False)``, its
        deep RNN ``SimpleRNN(32), SimpleRNN(32), SimpleRNN(1)`` is not a
        uniform stack, use ``n_layers=2, units=32`` with the Dense head.

    Returns
    -------
    model : keras.Model
        Input ``(batch, seq_length, n_features)``; output
        ``(batch, output_length * n_targets)`` or, for sequence-to-sequence,
        ``(batch, out_steps, output_length * n_targets)`` with ``out_steps`` the
        input steps, or ``len(conv_output_steps(...))`` with a Conv1D front end.
    """
    if cell not in RECURRENT_CELLS:
        raise ValueError(f"cell must be one of {RECURRENT_CELLS}; got {cell!r}.")
    n_outputs = output_length * n_targets
    if not dense_head and units * (1 + bool(bidirectional)) != n_outputs:
        raise ValueError(
            f"dense_head=False outputs the last recurrent layer, so units * "
            f"(1 + bidirectional) = {units * (1 + bool(bidirectional))} must equal "
            f"output_length * n_targets = {n_outputs}; set units accordingly or use "
            f"dense_head=True."
        )
    if conv_filters and seq_length is not None and seq_length < conv_kernel_size:
        raise ValueError(
            f"seq_length={seq_length} is shorter than conv_kernel_size="
            f"{conv_kernel_size}: the Conv1D front end would output no step."
        )
    inputs = keras.Input(shape=(seq_length, n_features), name="window")
    hidden = inputs
    if conv_filters:
        hidden = keras.layers.Conv1D(
            conv_filters,
            conv_kernel_size,
            strides=conv_strides,
            padding="valid",
            activation="relu",
            name="conv_front_end",
        )(hidden)
    for i in range(n_layers):
        last = i == n_layers - 1
        layer = _recurrent_layer(
            cell,
            units,
            return_sequences=sequence_to_sequence or not last,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            name=f"{cell}_{i}",
        )
        if bidirectional:
            layer = keras.layers.Bidirectional(layer, name=f"bidirectional_{i}")
        hidden = layer(hidden)
    # Dense acts on the last axis, so the same head serves every step of a
    # sequence-to-sequence output.
    outputs = keras.layers.Dense(n_outputs, name="head")(hidden) if dense_head else hidden
    return keras.Model(inputs, outputs, name=f"{cell}_rnn")


def _gated_residual_block(inputs, filters, kernel_size, dilation_rate, name):
    # Gated activation unit tanh(W_f * x) * sigmoid(W_g * x): two causal
    # convolutions, the same as the paper's one 2*filters conv split in two.
    conv = dict(padding="causal", dilation_rate=dilation_rate)
    tanh = keras.layers.Conv1D(filters, kernel_size, activation="tanh", **conv, name=f"{name}_filter")(inputs)
    gate = keras.layers.Conv1D(filters, kernel_size, activation="sigmoid", **conv, name=f"{name}_gate")(inputs)
    gated = keras.layers.Multiply(name=f"{name}_gated")([tanh, gate])
    skip = keras.layers.Conv1D(filters, 1, name=f"{name}_skip")(gated)
    residual = keras.layers.Add(name=f"{name}_residual")([inputs, skip])
    return residual, skip


def build_wavenet(
    n_features,
    *,
    seq_length=None,
    filters=32,
    kernel_size=2,
    dilations=(1, 2, 4, 8),
    n_blocks=2,
    gated=False,
    output_length=1,
    n_targets=1,
    sequence_to_sequence=False,
):
    """Build a WaveNet: stacks of causal dilated Conv1D layers, then a 1x1 head.

    Parameters
    ----------
    n_features : int
        Number of input features per step.
    seq_length : int or None, default=None
        Steps per window; ``None`` accepts windows of any length.
    filters : int, default=32
        Channels of every convolution.
    kernel_size : int, default=2
        Kernel size of the dilated convolutions.
    dilations : sequence of int, default=(1, 2, 4, 8)
        Dilation rates of one block; the receptive field is
        ``1 + (kernel_size - 1) * sum(dilations) * n_blocks`` steps.
    n_blocks : int, default=2
        How many times the block of ``dilations`` is repeated.
    gated : bool, default=False
        ``False``: the textbook's simple WaveNet, causal ``Conv1D`` layers
        with ReLU. ``True``: the full WaveNet, a causal ``Conv1D`` to
        ``filters`` channels, then per dilation a gated activation unit
        ``tanh * sigmoid``, a 1x1 conv, a residual connection and a skip
        output; the skips are summed, then ReLU, ``Conv1D(filters, 1,
        relu)``.
    output_length : int, default=1
        Steps forecast by each output row.
    n_targets : int, default=1
        Target series forecast at each step.
    sequence_to_sequence : bool, default=False
        Output at every step (causal padding keeps them all) instead of the
        last one.

    Returns
    -------
    model : keras.Model
        Input ``(batch, seq_length, n_features)``; output
        ``(batch, output_length * n_targets)`` or, for sequence-to-sequence,
        ``(batch, seq_length, output_length * n_targets)``.
    """
    n_outputs = output_length * n_targets
    rates = tuple(dilations) * n_blocks
    inputs = keras.Input(shape=(seq_length, n_features), name="window")
    if gated:
        hidden = keras.layers.Conv1D(filters, kernel_size, padding="causal", name="causal_input")(inputs)
        skips = []
        for i, rate in enumerate(rates):
            hidden, skip = _gated_residual_block(hidden, filters, kernel_size, rate, name=f"block_{i}")
            skips.append(skip)
        hidden = skips[0] if len(skips) == 1 else keras.layers.Add(name="skip_sum")(skips)
        hidden = keras.layers.ReLU(name="skip_relu")(hidden)
        hidden = keras.layers.Conv1D(filters, 1, activation="relu", name="post_conv")(hidden)
    else:
        hidden = inputs
        for i, rate in enumerate(rates):
            hidden = keras.layers.Conv1D(
                filters,
                kernel_size,
                padding="causal",
                activation="relu",
                dilation_rate=rate,
                name=f"causal_conv_{i}",
            )(hidden)
    outputs = keras.layers.Conv1D(n_outputs, 1, name="head")(hidden)
    if not sequence_to_sequence:
        # A 1x1 conv then the last step is a Dense head on the last step.
        outputs = LastStep(name="last_step")(outputs)
    return keras.Model(inputs, outputs, name="gated_wavenet" if gated else "wavenet")
