"""Graphs a `Sequential` model cannot express: a layer used twice, and a skip connection."""

import keras
import numpy as np
from keras import layers


def build_siamese(shared=True):
    """Build a "same digit?" model that encodes two images with one Dense layer (or two).

    >>> build_siamese().count_params(), build_siamese(shared=False).count_params()
    (50305, 100545)
    """
    image_a = keras.Input(shape=(784,), name="image_a")
    image_b = keras.Input(shape=(784,), name="image_b")
    if shared:
        encoder = layers.Dense(64, activation="relu", name="encoder")
        code_a, code_b = encoder(image_a), encoder(image_b)
    else:
        code_a = layers.Dense(64, activation="relu", name="encoder_a")(image_a)
        code_b = layers.Dense(64, activation="relu", name="encoder_b")(image_b)
    difference = layers.Subtract(name="difference")([code_a, code_b])
    distance = keras.ops.abs(difference)
    same = layers.Dense(1, activation="sigmoid", name="same_digit")(distance)
    return keras.Model([image_a, image_b], same, name="siamese" if shared else "two_encoders")


def make_pairs(images, digits, count, seed=0):
    """Pair images at random, half of the pairs showing the same digit; label 1 means same.

    >>> images, digits = np.zeros((20, 784)), np.arange(20) % 10
    >>> (a, b), same = make_pairs(images, digits, 8)
    >>> a.shape, b.shape, same[:4]
    ((8, 784), (8, 784), array([1., 1., 1., 1.], dtype=float32))
    """
    rng = np.random.default_rng(seed)
    first = rng.integers(0, len(images), size=count)
    second = rng.integers(0, len(images), size=count)
    for i in range(count // 2):  # The first half: a partner showing the same digit.
        second[i] = rng.choice(np.flatnonzero(digits == digits[first[i]]))
    same = (digits[first] == digits[second]).astype("float32")
    return (images[first], images[second]), same


def build_residual():
    """Build a small MNIST classifier with one residual block: y = x + f(x).

    >>> build_residual().count_params()
    59210
    """
    inputs = keras.Input(shape=(784,), name="image")
    x = layers.Dense(64, activation="relu", name="project")(inputs)
    y = layers.Dense(64, activation="relu", name="block_dense_1")(x)
    y = layers.Dense(64, name="block_dense_2")(y)
    x = layers.add([x, y], name="skip")  # The block's input, added back to its output.
    x = layers.Activation("relu", name="block_relu")(x)
    outputs = layers.Dense(10, activation="softmax", name="digit")(x)
    return keras.Model(inputs, outputs, name="residual")
