"""Draw a model as a graph

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/plots.html
(한국어: https://keras-model-guide.readthedocs.io/ko/plots.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python plots.py`.

Generated from docs/plots.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python plots.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Draw a model as a graph: the code of the Keras Model guide's page, run as a script."
    ),
)
parser.add_argument(
    "--quick",
    action="store_true",
    help="accepted for a uniform interface; this page's code is already quick",
)
parser.add_argument(
    "--out",
    type=Path,
    metavar="FOLDER",
    help="folder for the files this script writes (default: a new temporary folder)",
)
args = parser.parse_args()
out = args.out or Path(tempfile.mkdtemp(prefix="keras-model-guide-"))
try:  # Find out now, not after the training, whether the files can be written there.
    out.mkdir(parents=True, exist_ok=True)
    tempfile.TemporaryFile(dir=out).close()
except OSError as error:
    parser.error(f"cannot write to --out {out}: {error.strerror or error}")
os.chdir(out)


# From model to picture
import keras
from IPython.display import SVG
from keras import layers

keras.utils.set_random_seed(0)


def build_mlp():
    """Build the post's 784-512-128-32-10 network as a `Sequential` model."""
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            layers.Dense(512, activation="relu", name="hidden_1"),
            layers.Dense(128, activation="relu", name="hidden_2"),
            layers.Dense(32, activation="relu", name="features"),
            layers.Dense(10, activation="softmax", name="digit"),
        ],
        name="seq_model",
    )


seq_model = build_mlp()
keras.utils.plot_model(seq_model, show_shapes=True, show_layer_names=True, dpi=54)


# As SVG, the post's way
dot = keras.utils.model_to_dot(seq_model, show_shapes=True, show_layer_names=True, dpi=54)
SVG(dot.create(format="svg"))


# The options that matter
dot = keras.utils.model_to_dot(seq_model, show_layer_names=True, rankdir="LR", dpi=54)
SVG(dot.create(format="svg"))


SVG(
    keras.utils.model_to_dot(
        seq_model, show_shapes=True, show_layer_names=True, show_layer_activations=True, dpi=54
    ).create(format="svg")
)


def build_multi_io():
    """Build the post's two-input, two-output headline model."""
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


from pathlib import Path

multi_io = build_multi_io()
keras.utils.plot_model(
    multi_io, to_file="multi_io.png", show_shapes=True, show_layer_names=True, dpi=54
)
print(Path("multi_io.png").stat().st_size > 0)


# Graph or summary?
multi_io.summary(line_length=100)


# Nested models and frozen layers
trained = [seq_model.get_layer(name) for name in ("hidden_1", "hidden_2", "features")]
encoder = keras.Sequential([keras.Input(shape=seq_model.input_shape[1:]), *trained], name="encoder")
encoder.trainable = False
inputs = keras.Input(shape=seq_model.input_shape[1:], name="image")
outputs = layers.Dense(10, activation="softmax", name="new_digit")(encoder(inputs))
classifier = keras.Model(inputs, outputs, name="classifier")

classifier.summary(line_length=100, expand_nested=True, show_trainable=True)


dot = keras.utils.model_to_dot(
    classifier,
    show_shapes=True,
    show_layer_names=True,
    expand_nested=True,
    show_trainable=True,
    dpi=54,
)
SVG(dot.create(format="svg"))


# On your own
# 1. The `show_trainable` column above says which layers training
#    updates. Compute the same from `classifier` itself: write a function
#    that lists the layers, nested ones included, that have trainable
#    weights, and check that they are the `Y` rows of the summary.

def updated_layers(model):
    """Names of the layers of `model`, nested models included, that training updates."""
    names = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):  # A nested model: look at its layers.
            names += updated_layers(layer)
        elif layer.trainable_weights:
            names.append(layer.name)
    return names


print("updated by training:", updated_layers(classifier))
print("their weights:", [weight.path for weight in classifier.trainable_weights])
# Only the new head: the encoder's layers are frozen, so they have no trainable weights.


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
