"""The post's model with two inputs and two outputs, and data in its shapes."""

import keras
import numpy as np
from keras import layers


def build_multi_io():
    """Build the post's two-input, two-output headline model.

    >>> model = build_multi_io()
    >>> [tensor.name for tensor in model.inputs], model.output_names
    (['main_input', 'aux_input'], ['main_output', 'aux_output'])
    >>> model.count_params()
    5200610
    """
    main_input = keras.Input(shape=(100,), dtype="int32", name="main_input")
    x = layers.Embedding(input_dim=10_000, output_dim=512)(main_input)
    lstm_out = layers.LSTM(32)(x)
    aux_output = layers.Dense(1, activation="sigmoid", name="aux_output")(lstm_out)

    aux_input = keras.Input(shape=(5,), name="aux_input")
    x = layers.concatenate([lstm_out, aux_input])
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dense(64, activation="relu")(x)
    main_output = layers.Dense(1, activation="sigmoid", name="main_output")(x)

    return keras.Model(
        inputs=[main_input, aux_input], outputs=[main_output, aux_output], name="multi_io"
    )


def compile_multi_io(model):
    """Compile with RMSprop and binary cross-entropy per output, the aux loss weighted 0.2.

    >>> model = build_multi_io()
    >>> compile_multi_io(model)
    >>> dict(model.loss)
    {'main_output': 'binary_crossentropy', 'aux_output': 'binary_crossentropy'}
    """
    model.compile(
        optimizer="rmsprop",
        loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
        loss_weights={"main_output": 1.0, "aux_output": 0.2},
    )


def toy_headlines(count, seed=0):
    """Make random inputs and targets in the model's shapes: not real headlines.

    >>> inputs, targets = toy_headlines(4)
    >>> {name: array.shape for name, array in inputs.items()}
    {'main_input': (4, 100), 'aux_input': (4, 5)}
    """
    rng = np.random.default_rng(seed)
    headline = rng.integers(1, 10_000, size=(count, 100), dtype="int32")
    extra = rng.random((count, 5), dtype="float32")
    label = rng.integers(0, 2, size=(count, 1)).astype("float32")
    inputs = {"main_input": headline, "aux_input": extra}
    targets = {"main_output": label, "aux_output": label}
    return inputs, targets
