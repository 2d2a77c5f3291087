"""Update the post's code for Keras 3

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/keras3-changes.html
(한국어: https://keras-model-guide.readthedocs.io/ko/keras3-changes.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python keras3_changes.py`.

Generated from docs/keras3-changes.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python keras3_changes.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Update the post's code for Keras 3: the code of the Keras Model guide's page, run as a script."
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


import importlib.util
import subprocess
import sys
import warnings
from pathlib import Path

import keras
import numpy as np
from keras import layers


def attempt(action):
    """Run `action` and print the error's type and message instead of a traceback."""
    try:
        action()
    except Exception as error:
        print(f"{type(error).__name__}: {error}")
    else:
        print("ran without an error")


print("Keras", keras.__version__)


# Reading MNIST
def tutorial_reader():
    from tensorflow.examples.tutorials.mnist import input_data  # noqa: F401


attempt(tutorial_reader)


# `Adam(lr=...)`
attempt(lambda: keras.optimizers.Adam(lr=0.001))
attempt(lambda: keras.optimizers.Adam(learning_rate=0.001))


default = keras.optimizers.Adam(learning_rate=0.001)
print(f"default: {default.beta_1} {default.beta_2} {default.epsilon}")
print(f"post:    {keras.optimizers.Adam(learning_rate=0.001, epsilon=1e-8).epsilon}")


# `input_shape=` on the first layer
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    layers.Dense(512, input_shape=(784,), activation="relu")
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")


# `Embedding(input_length=...)`
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    layers.Embedding(output_dim=512, input_dim=10000, input_length=100)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")


# One loss with a list of `loss_weights`
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


def toy_headlines(count, seed=0):
    """Make random inputs and targets in the model's shapes: not real headlines."""
    rng = np.random.default_rng(seed)
    headline = rng.integers(1, 10_000, size=(count, 100), dtype="int32")
    extra = rng.random((count, 5), dtype="float32")
    label = rng.integers(0, 2, size=(count, 1)).astype("float32")
    inputs = {"main_input": headline, "aux_input": extra}
    targets = {"main_output": label, "aux_output": label}
    return inputs, targets


model = build_multi_io()
inputs, targets = toy_headlines(8)

model.compile(optimizer="rmsprop", loss="binary_crossentropy", loss_weights=[1.0, 0.2])
attempt(lambda: model.fit(inputs, targets, epochs=1, verbose=0))


model.compile(optimizer="rmsprop", loss=["binary_crossentropy"] * 2, loss_weights=[1.0, 0.2])
attempt(lambda: model.fit(inputs, targets, epochs=1, verbose=0))

model.compile(
    optimizer="rmsprop",
    loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
    loss_weights={"main_output": 1.0, "aux_output": 0.2},
)
attempt(lambda: model.fit(inputs, targets, epochs=1, verbose=0))


model.compile(optimizer="rmsprop", loss="binary_crossentropy")
history = model.fit(inputs, targets, epochs=1, verbose=0)
print(sorted(history.history))  # one loss per output, and their sum


# Input names
print(hasattr(model, "input_names"))
print([tensor.name for tensor in model.inputs], model.output_names)


# `keras.utils.vis_utils`
def old_plot_import():
    from keras.utils.vis_utils import model_to_dot  # noqa: F401


attempt(old_plot_import)


# `plot_model` to an SVG file
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


attempt(lambda: keras.utils.plot_model(build_mlp(), to_file="model.svg", show_shapes=True))
print("model.svg written:", Path("model.svg").is_file())


script = """
import keras
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
keras.utils.plot_model(model, to_file="script.svg")
"""
done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
print("IPython importable:", importlib.util.find_spec("IPython") is not None)
print("plain script:", done.stderr.splitlines()[-1] if done.returncode else "ran without an error")


dot = keras.utils.model_to_dot(build_mlp(), show_shapes=True, show_layer_names=True)
dot.write("model_to_dot.svg", format="svg")
print("model_to_dot.svg written:", Path("model_to_dot.svg").is_file())


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
