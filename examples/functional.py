"""Reuse trained layers in a functional model

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/functional.html
(한국어: https://keras-model-guide.readthedocs.io/ko/functional.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python functional.py`.

Generated from docs/functional.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python functional.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Reuse trained layers in a functional model: the code of the Keras Model guide's page, run as a script."
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


# Train the Sequential model again
import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)


def load_mnist():
    """Load MNIST the way the post used it: 784 values in [0, 1] per image, one-hot labels."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)
    y_test = keras.utils.to_categorical(y_test, 10)
    return (x_train, y_train), (x_test, y_test)


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


def compile_like_post(model):
    """Compile `model` with the post's optimizer, loss and metric."""
    model.compile(
        # The post's Adam: its betas are Keras 3's defaults, its epsilon is not.
        optimizer=keras.optimizers.Adam(learning_rate=0.001, epsilon=1e-8),
        loss="categorical_crossentropy",
        metrics=["categorical_accuracy"],
    )


(x_train, y_train), (x_test, y_test) = load_mnist()


seq_model = build_mlp()
compile_like_post(seq_model)
seq_model.fit(x_train, y_train, epochs=1, batch_size=500, verbose=0)
print(seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0))  # [loss, accuracy]


# Apply the trained layers to a new `Input`
def functional_from_layers(seq_model):
    """Call `seq_model`'s layers, in order, on a new `keras.Input`: the post's `model1`."""
    inputs = keras.Input(shape=seq_model.input_shape[1:])  # (784,): one image's pixels.
    x = inputs
    for layer in seq_model.layers:
        x = layer(x)
    return keras.Model(inputs, x, name="model1")


model1 = functional_from_layers(seq_model)
compile_like_post(model1)
model1.summary()


# Both models give the same answers
seq_scores = seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0)
model1_scores = model1.evaluate(x_test, y_test, batch_size=128, verbose=0)
print("seq_model:", seq_scores)
print("model1:   ", model1_scores)
print("identical:", seq_scores == model1_scores)


# Layer 0 is not the same layer in both models
print("seq_model.layers[0]:", seq_model.layers[0].name)
print("model1.layers[0]:   ", model1.layers[0].name)  # input_layer...
print("model1.layers[1] is seq_model.layers[0]:", model1.layers[1] is seq_model.layers[0])


print(model1.get_layer("hidden_1") is seq_model.get_layer("hidden_1"))


# What a new `compile()` really does
def independent_copy(model):
    """Return a copy of `model` with new layers that start from the same weights."""
    copy = keras.models.clone_model(model)  # New layers, new random weights...
    copy.set_weights(model.get_weights())  # ...then the trained values.
    return copy


copy = independent_copy(seq_model)
copy_before = copy.get_layer("hidden_1").kernel.numpy()  # numpy() returns a copy.


def refit_changes_model1():
    """Refit seq_model briefly; report whether model1's first kernel moved."""
    before = model1.get_layer("hidden_1").kernel.numpy()  # 784 x 512 values.
    # Ten steps on 5,000 images: any training step moves the weights.
    seq_model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=500, verbose=0)
    return not np.array_equal(before, model1.get_layer("hidden_1").kernel.numpy())


compile_like_post(seq_model)  # Reading 1: the previous network is compiled anew.
print("seq_model recompiled, then refit -> model1 changed:", refit_changes_model1())
compile_like_post(model1)  # Reading 2: the new network is compiled anew.
print("model1 recompiled, seq_model refit -> model1 changed:", refit_changes_model1())
print("copy changed:", not np.array_equal(copy_before, copy.get_layer("hidden_1").kernel.numpy()))


def shared_layers(first, second):
    """Return the names of the layers that are the very same object in both models."""
    return [layer.name for layer in first.layers if any(layer is other for other in second.layers)]


print("shared with model1:", shared_layers(seq_model, model1))
print("shared with copy:  ", shared_layers(seq_model, copy))


# On your own
# 1. Freeze the first layer through `model1`, with
#    `model1.get_layer("hidden_1").trainable = False`, compile
#    `seq_model` again and refit it. How many trainable weights does
#    `seq_model` have now, and does `model1`'s first layer change?

model1.get_layer("hidden_1").trainable = False
compile_like_post(seq_model)
print("seq_model trainable weights:", len(seq_model.trainable_weights))
print("model1's first layer changed:", refit_changes_model1())
model1.get_layer("hidden_1").trainable = True
# `trainable` is a flag on the layer objects, which both models hold. compile() does not
# read it: seq_model's first fit after compile() does (see "The rule: when freezing and
# unfreezing take effect" on the transfer learning page).


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
