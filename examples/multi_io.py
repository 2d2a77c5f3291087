"""Build a model with two inputs and two outputs

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/multi-io.html
(한국어: https://keras-model-guide.readthedocs.io/ko/multi-io.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python multi_io.py`.

Generated from docs/multi-io.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python multi_io.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Build a model with two inputs and two outputs: the code of the Keras Model guide's page, run as a script."
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


# Build the model
import keras
import numpy as np
from IPython.display import SVG
from keras import layers

keras.utils.set_random_seed(0)


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


model = build_multi_io()
model.summary()


dot = keras.utils.model_to_dot(model, show_shapes=True, show_layer_names=True, dpi=54)
SVG(dot.create(format="svg"))


# Compile with a weight for each loss
def compile_multi_io(model):
    """Compile with RMSprop and binary cross-entropy per output, the aux loss weighted 0.2."""
    model.compile(
        optimizer="rmsprop",
        loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
        loss_weights={"main_output": 1.0, "aux_output": 0.2},
    )


compile_multi_io(model)
print("inputs: ", [tensor.name for tensor in model.inputs])
print("outputs:", model.output_names)


# Fit and predict with named inputs
def toy_headlines(count, seed=0):
    """Make random inputs and targets in the model's shapes: not real headlines."""
    rng = np.random.default_rng(seed)
    headline = rng.integers(1, 10_000, size=(count, 100), dtype="int32")
    extra = rng.random((count, 5), dtype="float32")
    label = rng.integers(0, 2, size=(count, 1)).astype("float32")
    inputs = {"main_input": headline, "aux_input": extra}
    targets = {"main_output": label, "aux_output": label}
    return inputs, targets


inputs, targets = toy_headlines(256, seed=0)
history = model.fit(inputs, targets, epochs=2, batch_size=32, verbose=0)
for name, values in history.history.items():
    print(f"{name}: {[round(value, 4) for value in values]}")


input_list = [inputs["main_input"], inputs["aux_input"]]
target_list = [targets["main_output"], targets["aux_output"]]
history = model.fit(input_list, target_list, epochs=1, batch_size=32, verbose=0)
print(sorted(history.history))


main_prediction, aux_prediction = model.predict(inputs, verbose=0)
print(main_prediction.shape, aux_prediction.shape)


# When a name is misspelled
try:
    misspelled_input = {"main_inptu": inputs["main_input"], "aux_input": inputs["aux_input"]}
    model.predict(misspelled_input, verbose=0)
except Exception as error:  # The page shows this error on purpose.
    print(f"{type(error).__name__}: {error}")


try:
    model = build_multi_io()
    compile_multi_io(model)
    misspelled_target = {"main_outptu": targets["main_output"], "aux_output": targets["aux_output"]}
    model.fit(inputs, misspelled_target, epochs=1, verbose=0)
except Exception as error:  # The page shows this error on purpose.
    print(f"{type(error).__name__}: {error}")


# On your own
# 1. Set `loss_weights` to `{"main_output": 1.0, "aux_output": 0.0}`
#    and compare the losses.

model = build_multi_io()
model.compile(
    optimizer="rmsprop",
    loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
    loss_weights={"main_output": 1.0, "aux_output": 0.0},
)
history = model.fit(inputs, targets, epochs=1, batch_size=32, verbose=0)
for name, values in history.history.items():
    print(f"{name}: {values[0]:.4f}")
total, main = history.history["loss"][0], history.history["main_output_loss"][0]
print("loss is main_output_loss:", bool(np.isclose(total, main, rtol=1e-4)))
# The aux loss is still computed and reported, but it no longer trains the model.


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
