"""The post's 784-512-128-32-10 network written the two other ways: functional, subclassed."""

import keras
from keras import layers


def build_functional_mlp():
    """The post's network as a functional model: tensors in, tensors out.

    >>> build_functional_mlp().count_params()
    472042
    """
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(512, activation="relu")(inputs)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dense(32, activation="relu")(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="functional_mlp")


class SubclassedMLP(keras.Model):
    """The post's network as a subclass: layers in `__init__`, the forward pass in `call`.

    >>> model = SubclassedMLP()
    >>> model.built, tuple(model(keras.ops.zeros((1, 784))).shape), model.count_params()
    (False, (1, 10), 472042)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [
            layers.Dense(512, activation="relu"),
            layers.Dense(128, activation="relu"),
            layers.Dense(32, activation="relu"),
        ]
        self.classifier = layers.Dense(10, activation="softmax")

    def call(self, inputs):
        x = inputs
        for layer in self.hidden:
            x = layer(x)
        return self.classifier(x)
