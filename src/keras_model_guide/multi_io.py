"""The post's multi-input / multi-output model, and ``fit`` keyed by input and output names."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import layers

from .checks import require_built, require_names


def build_multi_io(
    vocab_size: int = 10_000, sequence_length: int = 100, aux_features: int = 5
) -> keras.Model:
    """Build the post's two-input, two-output headline model (5,200,610 parameters).

    ``main_input`` takes 100 word indices, ``aux_input`` 5 extra features; ``main_output``
    and ``aux_output`` each predict one probability. Keras 3 deprecates the post's
    ``Embedding(input_length=100)``: the length comes from the ``Input`` instead.

    >>> model = build_multi_io()
    >>> [tensor.name for tensor in model.inputs], model.output_names
    (['main_input', 'aux_input'], ['main_output', 'aux_output'])
    >>> model.count_params()
    5200610
    """
    main_input = keras.Input(shape=(sequence_length,), dtype="int32", name="main_input")
    x = layers.Embedding(input_dim=vocab_size, output_dim=512)(main_input)
    lstm_out = layers.LSTM(32)(x)
    aux_output = layers.Dense(1, activation="sigmoid", name="aux_output")(lstm_out)

    aux_input = keras.Input(shape=(aux_features,), name="aux_input")
    x = layers.concatenate([lstm_out, aux_input])
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dense(64, activation="relu")(x)
    main_output = layers.Dense(1, activation="sigmoid", name="main_output")(x)

    return keras.Model(
        inputs=[main_input, aux_input], outputs=[main_output, aux_output], name="multi_io"
    )


def compile_multi_io(model: keras.Model) -> keras.Model:
    """Compile with RMSprop and binary cross-entropy, weighting the aux loss by 0.2.

    The post passed one loss string with ``loss_weights=[1., 0.2]``; Keras 3 counts that
    as one loss and two weights and refuses it, so loss and weights are keyed by output.

    >>> model = compile_multi_io(build_multi_io())
    >>> model.compiled_loss is not None or model.loss is not None
    True
    """
    model.compile(
        optimizer="rmsprop",
        loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
        loss_weights={"main_output": 1.0, "aux_output": 0.2},
    )
    return model


def input_names(model: keras.Model) -> list[str]:
    """Return the names that ``fit`` and ``predict`` expect as input dict keys.

    >>> input_names(build_multi_io())
    ['main_input', 'aux_input']
    """
    require_built(model)
    return [tensor.name for tensor in model.inputs]


def fit_by_name(
    model: keras.Model,
    inputs: dict[str, Any],
    targets: dict[str, Any],
    **fit_options: Any,
) -> keras.callbacks.History:
    """Check the dict keys against the model's names, then call ``model.fit``.

    A misspelled key fails here with the model's real names and a suggestion,
    before any training starts.

    >>> model = compile_multi_io(build_multi_io())
    >>> inputs, targets = toy_headlines(8)
    >>> fit_by_name(model, inputs, {"main_outptu": targets["main_output"]}, verbose=0)
    Traceback (most recent call last):
    ...
    ValueError: Unknown target name 'main_outptu' (did you mean 'main_output'?). ...
    """
    require_names("input", inputs, input_names(model))
    require_names("target", targets, model.output_names)
    return model.fit(inputs, targets, **fit_options)


def toy_headlines(
    count: int, *, seed: int = 0, vocab_size: int = 10_000, sequence_length: int = 100
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Make *generated* inputs and targets in the shapes the multi-I/O model expects.

    These are random numbers, not real headlines: enough to show ``fit`` and
    ``predict`` with named inputs, not to learn anything.

    >>> inputs, targets = toy_headlines(4)
    >>> {name: array.shape for name, array in inputs.items()}
    {'main_input': (4, 100), 'aux_input': (4, 5)}
    """
    rng = np.random.default_rng(seed)
    headline = rng.integers(1, vocab_size, size=(count, sequence_length), dtype="int32")
    extra = rng.random((count, 5), dtype="float32")
    label = rng.integers(0, 2, size=(count, 1)).astype("float32")
    return (
        {"main_input": headline, "aux_input": extra},
        {"main_output": label, "aux_output": label},
    )
