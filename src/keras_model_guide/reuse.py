"""Reuse a trained model's layers in a new functional ``Model``, or copy it instead."""

from __future__ import annotations

import keras

from .checks import require_built


def functional_from_layers(model: keras.Model, name: str = "model1") -> keras.Model:
    """Call ``model``'s layers, in order, on a new ``keras.Input`` (the post's ``model1``).

    The new model holds the *same layer objects*, so it shares their weights:
    training either model changes both.

    >>> from keras_model_guide.sequential import build_mlp
    >>> seq_model = build_mlp()
    >>> model1 = functional_from_layers(seq_model)
    >>> model1.layers[1] is seq_model.layers[0]
    True
    """
    require_built(model)
    inputs = keras.Input(shape=model.input_shape[1:])
    x = inputs
    for layer in model.layers:
        x = layer(x)
    return keras.Model(inputs, x, name=name)


def independent_copy(model: keras.Model) -> keras.Model:
    """Return a copy of ``model`` with new layers that start from the same weights.

    ``clone_model`` makes fresh layers (with fresh random weights); ``set_weights``
    then copies the trained values over. The copy is not compiled.

    >>> from keras_model_guide.sequential import build_mlp
    >>> seq_model = build_mlp()
    >>> copy = independent_copy(seq_model)
    >>> copy.layers[0] is seq_model.layers[0]
    False
    >>> bool((copy.get_weights()[0] == seq_model.get_weights()[0]).all())
    True
    """
    require_built(model)
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    return copy


def shared_layers(first: keras.Model, second: keras.Model) -> list[str]:
    """Return the names of the layers that are the very same object in both models.

    >>> from keras_model_guide.sequential import build_mlp
    >>> seq_model = build_mlp()
    >>> shared_layers(seq_model, functional_from_layers(seq_model))
    ['dense...', 'dense...', 'dense...', 'dense...']
    >>> shared_layers(seq_model, independent_copy(seq_model))
    []
    """
    second_ids = {id(layer) for layer in second.layers}
    return [layer.name for layer in first.layers if id(layer) in second_ids]
