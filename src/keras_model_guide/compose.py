"""Take part of a trained model, and combine models into a new one.

The post opens with both wishes ("이미 만든 모델에서 일정 부분만 가져와서",
"이미 만든 모델들을 합쳐서") and ends by promising to try them with an encoder and a
decoder. A sub-model is a ``Model`` from an existing input to an inner layer's output; a
combined model calls whole models as if they were layers.
"""

from __future__ import annotations

import keras
from keras import layers

from .checks import require_built, require_model


def extract_submodel(model: keras.Model, layer_name: str, name: str | None = None) -> keras.Model:
    """Return a model from ``model``'s input to the output of the layer ``layer_name``.

    The sub-model shares the trained layers (and their weights) with ``model``.

    >>> from keras_model_guide.sequential import build_mlp
    >>> seq_model = build_mlp()
    >>> features = extract_submodel(seq_model, seq_model.layers[2].name)
    >>> features.output_shape
    (None, 32)
    """
    require_built(model)
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(
            f"Model {model.name!r} has no layer named {layer_name!r}. "
            f"Its layers are {names}; pass one of those (see model.summary())."
        )
    return keras.Model(model.inputs, model.get_layer(layer_name).output, name=name)


def build_decoder(code_size: int = 32, name: str = "decoder") -> keras.Sequential:
    """Build a small decoder that turns a ``code_size`` vector back into 784 pixels.

    >>> build_decoder().output_shape
    (None, 784)
    """
    return keras.Sequential(
        [
            keras.Input(shape=(code_size,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ],
        name=name,
    )


def chain(*models: keras.Model, name: str = "combined") -> keras.Model:
    """Combine models into one by calling each on the previous one's output.

    Each model appears in the result as a single layer (a nested model).

    >>> from keras_model_guide.sequential import build_mlp
    >>> seq_model = build_mlp()
    >>> encoder = extract_submodel(seq_model, seq_model.layers[2].name, name="encoder")
    >>> autoencoder = chain(encoder, build_decoder(), name="autoencoder")
    >>> [layer.name for layer in autoencoder.layers]
    ['input_layer...', 'encoder', 'decoder']
    """
    if not models:
        raise ValueError("chain() needs at least one model, for example chain(encoder, decoder).")
    for model in models:
        require_model(model)
        require_built(model)
    inputs = keras.Input(shape=models[0].input_shape[1:])
    x = inputs
    for model in models:
        x = model(x)
    return keras.Model(inputs, x, name=name)
