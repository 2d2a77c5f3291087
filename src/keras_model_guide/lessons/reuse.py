"""Reuse a trained model's layers in a new functional `Model`, or copy the model instead."""

import keras


def functional_from_layers(seq_model):
    """Call `seq_model`'s layers, in order, on a new `keras.Input`: the post's `model1`.

    >>> from keras_model_guide.lessons.sequential import build_mlp
    >>> seq_model = build_mlp()
    >>> model1 = functional_from_layers(seq_model)
    >>> model1.layers[1] is seq_model.layers[0]
    True
    """
    inputs = keras.Input(shape=seq_model.input_shape[1:])  # (784,): one image's pixels.
    x = inputs
    for layer in seq_model.layers:
        x = layer(x)
    return keras.Model(inputs, x, name="model1")


def independent_copy(model):
    """Return a copy of `model` with new layers that start from the same weights.

    >>> from keras_model_guide.lessons.sequential import build_mlp
    >>> seq_model = build_mlp()
    >>> copy = independent_copy(seq_model)
    >>> copy.layers[0] is seq_model.layers[0]
    False
    """
    copy = keras.models.clone_model(model)  # New layers, new random weights...
    copy.set_weights(model.get_weights())  # ...then the trained values.
    return copy


def shared_layers(first, second):
    """Return the names of the layers that are the very same object in both models.

    >>> from keras_model_guide.lessons.sequential import build_mlp
    >>> seq_model = build_mlp()
    >>> len(shared_layers(seq_model, functional_from_layers(seq_model)))
    4
    """
    return [layer.name for layer in first.layers if any(layer is other for other in second.layers)]
