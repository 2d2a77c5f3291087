"""Extract features and transfer a trained model

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/transfer.html
(한국어: https://keras-model-guide.readthedocs.io/ko/transfer.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python transfer.py`.

Generated from docs/transfer.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python transfer.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Extract features and transfer a trained model: the code of the Keras Model guide's page, run as a script."
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


import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)


# Train the post's model
epochs = 1
batch_size = 500


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
seq_model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
print("digit test accuracy:", round(seq_model.evaluate(x_test, y_test, verbose=0)[1], 4))


# Every layer's output at once
extractor = keras.Model(seq_model.inputs[0], [layer.output for layer in seq_model.layers])
features = extractor.predict(x_test[:3], verbose=0)
for layer, output in zip(seq_model.layers, features, strict=True):
    print(f"{layer.name}: {output.shape}")


# Freeze the trained layers and add a new head
def add_parity_head(seq_model):
    """Put a new 2-class head (even or odd digit) on the trained model's 32-value layer."""
    features = seq_model.get_layer("features").output  # The 32 values before the digit head.
    outputs = layers.Dense(2, activation="softmax", name="parity")(features)
    return keras.Model(seq_model.inputs[0], outputs, name="parity_model")


seq_model.trainable = False
parity_model = add_parity_head(seq_model)
parity_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
parity_model.summary()


def weight_snapshot(model):
    """Copy the weights of every layer that has any, keyed by layer name."""
    return {layer.name: layer.get_weights() for layer in model.layers if layer.weights}


def moved_layers(before, after):
    """Tell, layer by layer, whether any weight differs between two snapshots."""
    return {
        name: any(
            not np.array_equal(old, new) for old, new in zip(before[name], after[name], strict=True)
        )
        for name in before
    }


parity_train = y_train.argmax(axis=1) % 2
parity_test = y_test.argmax(axis=1) % 2

before = {**weight_snapshot(seq_model), **weight_snapshot(parity_model)}
parity_model.fit(x_train[:20000], parity_train[:20000], epochs=2, batch_size=batch_size, verbose=0)
after = {**weight_snapshot(seq_model), **weight_snapshot(parity_model)}
for name, moved in moved_layers(before, after).items():
    print(f"{name}: moved: {moved}")
print("even/odd test accuracy:", round(parity_model.evaluate(x_test, parity_test, verbose=0)[1], 4))
print("digit test accuracy:", round(seq_model.evaluate(x_test, y_test, verbose=0)[1], 4))


# When `trainable` takes effect
import textwrap

model = build_mlp()
compile_like_post(model)
model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=batch_size, verbose=0)

trained_layers = ("hidden_1", "hidden_2", "features")
for name in trained_layers:
    model.get_layer(name).trainable = False
print("trainable weights now:", len(model.trainable_weights))


before = weight_snapshot(model)
try:
    model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=batch_size, verbose=0)
except ValueError as error:  # One backend refuses: print its reason and go on.
    print("without compile: ValueError:", textwrap.shorten(str(error), 80))
else:
    for name, moved in moved_layers(before, weight_snapshot(model)).items():
        print(f"without compile, {name}: moved: {moved}")


model = build_mlp()
compile_like_post(model)
model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=batch_size, verbose=0)
for name in trained_layers:
    model.get_layer(name).trainable = False

compile_like_post(model)  # A new Adam each time: compile_like_post() creates one.
before = weight_snapshot(model)
model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=batch_size, verbose=0)
for name, moved in moved_layers(before, weight_snapshot(model)).items():
    print(f"after compile, {name}: moved: {moved}")


for name in trained_layers:
    model.get_layer(name).trainable = True
model.compile(optimizer=model.optimizer, loss="categorical_crossentropy")  # The built one.
try:
    model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=batch_size, verbose=0)
except ValueError as error:
    print("same optimizer: ValueError:", textwrap.shorten(str(error), 80))
else:
    print("same optimizer: fit ran")


# On your own
# 1. Put the new head on `hidden_2` (128 values) instead of `features`, and
#    compare the even/odd accuracy. Train both heads the same short way,
#    one epoch on 5,000 images, so that the comparison is fair and cheap.

for name in ("features", "hidden_2"):
    base_output = seq_model.get_layer(name).output
    head = layers.Dense(2, activation="softmax", name="parity")(base_output)
    head_model = keras.Model(seq_model.inputs[0], head)
    head_model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    head_model.fit(x_train[:5000], parity_train[:5000], epochs=1, batch_size=500, verbose=0)
    accuracy = head_model.evaluate(x_test, parity_test, verbose=0)[1]
    print(f"head on {name} ({base_output.shape[-1]} values): even/odd accuracy {accuracy:.4f}")


# 2. Unfreeze the base with `seq_model.trainable = True`, and count the trainable
#    weights of `parity_model` before and after. Which model's flags did that one
#    line change, and what must come next before `fit` trains the unfrozen layers?

print("parity_model's trainable weights, frozen:", len(parity_model.trainable_weights))
seq_model.trainable = True
print("after seq_model.trainable = True:", len(parity_model.trainable_weights))
print("hidden_1 is trainable:", parity_model.get_layer("hidden_1").trainable)
# parity_model holds seq_model's layer objects, so its count changed too. The next step
# is compile() with a new optimizer, then fit(): that is fine-tuning, the next page.


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
