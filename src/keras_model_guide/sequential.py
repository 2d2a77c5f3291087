"""The post's Sequential MLP for MNIST and the way it is compiled."""

from __future__ import annotations

import keras
from keras import layers


def build_mlp(name: str = "seq_model") -> keras.Sequential:
    """Build the post's 784-512-128-32-10 multilayer perceptron.

    ``keras.Input`` takes the place of the post's ``input_shape=(784,)`` argument,
    which Keras 3 still accepts but warns about.

    >>> model = build_mlp()
    >>> [layer.units for layer in model.layers]
    [512, 128, 32, 10]
    >>> model.count_params()
    472042
    """
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            layers.Dense(512, activation="relu"),
            layers.Dense(128, activation="relu"),
            layers.Dense(32, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name=name,
    )


def compile_like_post(model: keras.Model) -> keras.Model:
    """Compile ``model`` with the post's optimizer, loss and metric, and return it.

    The post wrote ``Adam(lr=0.001, ...)``; Keras 3 only accepts ``learning_rate``.

    >>> model = compile_like_post(build_mlp())
    >>> model.optimizer.learning_rate.numpy().round(4)
    np.float32(0.001)
    """
    model.compile(
        optimizer=keras.optimizers.Adam(
            learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8
        ),
        loss="categorical_crossentropy",
        metrics=["categorical_accuracy"],
    )
    return model
