"""A decoder to put behind a trained encoder: two models combined into one."""

import keras
from keras import layers


def build_decoder():
    """Build a small decoder that turns 32 values back into 784 pixels.

    >>> build_decoder().output_shape
    (None, 784)
    """
    return keras.Sequential(
        [
            keras.Input(shape=(32,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ],
        name="decoder",
    )
