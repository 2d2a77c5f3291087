"""Fine-tune a model that has BatchNormalization

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/fine-tuning.html
(한국어: https://keras-model-guide.readthedocs.io/ko/fine-tuning.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python fine_tuning.py`.

Generated from docs/fine-tuning.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python fine_tuning.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Fine-tune a model that has BatchNormalization: the code of the Keras Model guide's page, run as a script."
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


def load_mnist():
    """Load MNIST the way the post used it: 784 values in [0, 1] per image, one-hot labels."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)
    y_test = keras.utils.to_categorical(y_test, 10)
    return (x_train, y_train), (x_test, y_test)


(x_train, y_train), (x_test, y_test) = load_mnist()
parity_train = y_train.argmax(axis=1) % 2
parity_test = y_test.argmax(axis=1) % 2


# A base model with BatchNormalization
inputs = keras.Input(shape=(784,), name="image")
x = layers.Dense(64, name="dense")(inputs)
x = layers.BatchNormalization(name="batch_norm")(x)
x = layers.ReLU(name="relu")(x)
base = keras.Model(inputs, x, name="base")

classifier = keras.Sequential([base, layers.Dense(10, activation="softmax", name="digit")])
classifier.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
classifier.fit(x_train[:10000], y_train[:10000], epochs=1, batch_size=100, verbose=0)
print("digit test accuracy:", round(classifier.evaluate(x_test, y_test, verbose=0)[1], 4))
pretrained = base.get_weights()  # Kept: the last section starts again from these values.


norm = base.get_layer("batch_norm")
print("trainable:", [weight.name for weight in norm.trainable_weights])
print("non-trainable:", [weight.name for weight in norm.non_trainable_weights])


# Training mode and inference mode
def snapshot():
    """Copy the base's moving mean and its Dense kernel."""
    return {
        "moving mean": keras.ops.convert_to_numpy(norm.moving_mean),
        "dense kernel": keras.ops.convert_to_numpy(base.get_layer("dense").kernel),
    }


def changes(before):
    """Say, for each array of the snapshot, whether it changed since `before`."""
    after = snapshot()
    return ", ".join(
        f"{name} changed: {not np.array_equal(before[name], after[name])}" for name in before
    )


images = x_test[:100]
inference = keras.ops.convert_to_numpy(base(images, training=False))
training = keras.ops.convert_to_numpy(base(images, training=True))
print("the two modes give the same output:", np.allclose(inference, training))

before = snapshot()
base(images, training=False)
print("after a call with training=False:", changes(before))
before = snapshot()
base(images, training=True)
print("after a call with training=True: ", changes(before))


# Freeze the base and train a new head
base.trainable = False
inputs = keras.Input(shape=(784,), name="image")
x = base(inputs, training=False)
outputs = layers.Dense(2, activation="softmax", name="parity")(x)
parity_model = keras.Model(inputs, outputs, name="parity_model")

parity_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
before = snapshot()
parity_model.fit(x_train[:5000], parity_train[:5000], epochs=1, batch_size=100, verbose=0)
print("frozen:", changes(before))


# Fine-tune: `training=False` does not hold
base.trainable = True
parity_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-5),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
before = snapshot()
parity_model.fit(x_train[:5000], parity_train[:5000], epochs=1, batch_size=100, verbose=0)
print("fine-tuning:", changes(before))


before = snapshot()
parity_model(images, training=True)
print("parity_model called with training=True:", changes(before))


# Keep the statistics: freeze BatchNormalization again
def freeze_batch_norm(model):
    """Freeze every `BatchNormalization` layer of `model`, inside nested models too.

    `model.layers` lists only the top level: a `BatchNormalization` layer inside a nested
    model (a `Sequential` block, a pretrained backbone) is found by looking inside it.
    """
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):  # A nested model: look at its own layers.
            frozen += freeze_batch_norm(layer)
        elif isinstance(layer, layers.BatchNormalization):
            layer.trainable = False
            frozen.append(layer.name)
    return frozen


base.set_weights(pretrained)  # The pretrained base, before the cells above moved it.
pretrained_mean = norm.moving_mean.numpy()
print("BatchNormalization layers frozen:", freeze_batch_norm(base))

parity_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-5),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
before = snapshot()
parity_model.fit(x_train[:5000], parity_train[:5000], epochs=1, batch_size=100, verbose=0)
print("fine-tuning, normalization frozen:", changes(before))
kept = np.array_equal(norm.moving_mean.numpy(), pretrained_mean)
print("moving mean is the pretrained one:", kept)
print("even/odd test accuracy:", round(parity_model.evaluate(x_test, parity_test, verbose=0)[1], 4))


# On your own
# 1. `base.trainable = True` unfroze every layer of the base, and the last section froze
#    its `BatchNormalization` layer again. Print the `trainable` flag of each layer of
#    the base, and the names of the weights of `parity_model` that the optimizer does
#    not train. Which of them would stay untrained even if the layer were unfrozen?

for layer in base.layers:
    print(f"{layer.name}: trainable={layer.trainable}")
print("not trained:", [weight.path for weight in parity_model.non_trainable_weights])
# gamma and beta are frozen with their layer; moving_mean and moving_variance are never
# trained by the optimizer: only a call in training mode updates them.


# 2. A `Dropout` layer also behaves differently in training and in
#    inference: it sets a random part of its inputs to zero only in training
#    mode. Does a frozen `Dropout` layer, with `trainable = False`, still
#    drop values when called with `training=True`?

dropout = layers.Dropout(0.5)
dropout.trainable = False
ones = np.ones((1, 100), dtype="float32")
dropped = keras.ops.convert_to_numpy(dropout(ones, training=True)) == 0
print("training=True, some values dropped:", bool(dropped.any()))
kept = keras.ops.convert_to_numpy(dropout(ones, training=False)) == ones
print("training=False, every value kept:", bool(kept.all()))
# `trainable` is about weights, and Dropout has none: only BatchNormalization also
# reads it to choose its mode.


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
