"""Reuse a trained model for a new task, and check which weights training changed."""

import keras
import numpy as np
from keras import layers


def add_parity_head(seq_model):
    """Put a new 2-class head (even or odd digit) on the trained model's 32-value layer.

    >>> from keras_model_guide.lessons.sequential import build_mlp
    >>> parity_model = add_parity_head(build_mlp())
    >>> len(parity_model.layers), parity_model.layers[-1].name, parity_model.output_shape
    (5, 'parity', (None, 2))
    """
    features = seq_model.get_layer("features").output  # The 32 values before the digit head.
    outputs = layers.Dense(2, activation="softmax", name="parity")(features)
    return keras.Model(seq_model.inputs[0], outputs, name="parity_model")


def weight_snapshot(model):
    """Copy the weights of every layer that has any, keyed by layer name.

    >>> from keras_model_guide.lessons.sequential import build_mlp
    >>> snapshot = weight_snapshot(build_mlp())
    >>> [[array.shape for array in arrays] for arrays in snapshot.values()][-1]
    [(32, 10), (10,)]
    """
    return {layer.name: layer.get_weights() for layer in model.layers if layer.weights}


def moved_layers(before, after):
    """Tell, layer by layer, whether any weight differs between two snapshots.

    >>> from keras_model_guide.lessons.sequential import build_mlp
    >>> model = build_mlp()
    >>> before = weight_snapshot(model)
    >>> model.get_layer("hidden_1").set_weights([np.ones((784, 512)), np.zeros(512)])
    >>> list(moved_layers(before, weight_snapshot(model)).values())
    [True, False, False, False]
    """
    return {
        name: any(
            not np.array_equal(old, new) for old, new in zip(before[name], after[name], strict=True)
        )
        for name in before
    }


def freeze_batch_norm(model):
    """Freeze every `BatchNormalization` layer of `model`, inside nested models too.

    `model.layers` lists only the top level: a `BatchNormalization` layer inside a nested
    model (a `Sequential` block, a pretrained backbone) is found by looking inside it.

    >>> block = keras.Sequential([layers.Dense(4), layers.BatchNormalization(name="inner")])
    >>> model = keras.Sequential([keras.Input((3,)), block, layers.BatchNormalization(name="top")])
    >>> freeze_batch_norm(model)
    ['inner', 'top']
    >>> block.get_layer("inner").trainable
    False
    """
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):  # A nested model: look at its own layers.
            frozen += freeze_batch_norm(layer)
        elif isinstance(layer, layers.BatchNormalization):
            layer.trainable = False
            frozen.append(layer.name)
    return frozen
