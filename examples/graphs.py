"""Build graphs a Sequential model cannot express

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/graphs.html
(한국어: https://keras-model-guide.readthedocs.io/ko/graphs.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python graphs.py`.

Generated from docs/graphs.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python graphs.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Build graphs a Sequential model cannot express: the code of the Keras Model guide's page, run as a script."
    ),
)
parser.add_argument(
    "--quick",
    action="store_true",
    help="a quick smoke test (epochs = 1) instead of the page's settings",
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
from IPython.display import SVG
from keras import layers

keras.utils.set_random_seed(0)


# One layer, called twice
def build_siamese(shared=True):
    """Build a "same digit?" model that encodes two images with one Dense layer (or two)."""
    image_a = keras.Input(shape=(784,), name="image_a")
    image_b = keras.Input(shape=(784,), name="image_b")
    if shared:
        encoder = layers.Dense(64, activation="relu", name="encoder")
        code_a, code_b = encoder(image_a), encoder(image_b)
    else:
        code_a = layers.Dense(64, activation="relu", name="encoder_a")(image_a)
        code_b = layers.Dense(64, activation="relu", name="encoder_b")(image_b)
    difference = layers.Subtract(name="difference")([code_a, code_b])
    distance = keras.ops.abs(difference)
    same = layers.Dense(1, activation="sigmoid", name="same_digit")(distance)
    return keras.Model([image_a, image_b], same, name="siamese" if shared else "two_encoders")


siamese = build_siamese()
siamese.summary()


dot = keras.utils.model_to_dot(siamese, show_shapes=True, show_layer_names=True, dpi=54)
SVG(dot.create(format="svg"))


# Nodes: what `[0][0]` means
encoder = siamese.get_layer("encoder")
first_call, second_call = siamese.get_layer("difference").input
print("encoder.output is the first call's output:", encoder.output is first_call)
print("encoder.output is the second call's output:", encoder.output is second_call)


image_a, image_b = siamese.inputs
encode_a = keras.Model(image_a, encoder.output)
print(encode_a.input.name, "->", encode_a.output.shape)
print("same encoder layer:", encode_a.layers[-1] is encoder)


try:
    keras.Model(image_b, encoder.output)
except Exception as error:  # The page shows this error on purpose.
    print(f"{type(error).__name__}: {error}")


# The weights are stored once
two_encoders = build_siamese(shared=False)
print("layers:", [layer.name for layer in siamese.layers])
print("shared encoder:", siamese.count_params())
print("two encoders:", two_encoders.count_params())


code_a, code_b = siamese.get_layer("difference").input
branch_a = keras.Model(siamese.inputs[0], code_a)
branch_b = keras.Model(siamese.inputs[1], code_b)
print("weights:", [weight.path for weight in siamese.weights])
print("same kernel object:", branch_a.weights[0] is branch_b.weights[0])
print("is the encoder's kernel:", branch_a.weights[0] is siamese.get_layer("encoder").kernel)


# Train it on pairs of digits
epochs = 2
pair_count = 6000


if args.quick:  # A smoke test, not the page's run.
    epochs = 1


def load_mnist():
    """Load MNIST the way the post used it: 784 values in [0, 1] per image, one-hot labels."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)
    y_test = keras.utils.to_categorical(y_test, 10)
    return (x_train, y_train), (x_test, y_test)


(x_train, y_train), (x_test, y_test) = load_mnist()


def make_pairs(images, digits, count, seed=0):
    """Pair images at random, half of the pairs showing the same digit; label 1 means same."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, len(images), size=count)
    second = rng.integers(0, len(images), size=count)
    for i in range(count // 2):  # The first half: a partner showing the same digit.
        second[i] = rng.choice(np.flatnonzero(digits == digits[first[i]]))
    same = (digits[first] == digits[second]).astype("float32")
    return (images[first], images[second]), same


train_pairs, train_same = make_pairs(x_train, y_train.argmax(axis=1), pair_count, seed=0)
test_pairs, test_same = make_pairs(x_test, y_test.argmax(axis=1), 2000, seed=1)

accuracies = {}
for model in (siamese, two_encoders):
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(train_pairs, train_same, epochs=epochs, batch_size=64, verbose=0)
    accuracies[model.name] = model.evaluate(test_pairs, test_same, verbose=0)[1]
    print(f"{model.name}: test accuracy {accuracies[model.name]:.4f}")
print(f"shared minus separate: {accuracies['siamese'] - accuracies['two_encoders']:+.4f}")


image_a, image_b = test_pairs
for model in (siamese, two_encoders):
    forward = model.predict([image_a, image_b], verbose=0)
    swapped = model.predict([image_b, image_a], verbose=0)
    print(f"{model.name}: f(a, b) == f(b, a): {np.array_equal(forward, swapped)}")
    print(f"{model.name}: largest change when swapped {np.abs(forward - swapped).max():.4f}")


# A connection that skips layers
def build_residual():
    """Build a small MNIST classifier with one residual block: y = x + f(x)."""
    inputs = keras.Input(shape=(784,), name="image")
    x = layers.Dense(64, activation="relu", name="project")(inputs)
    y = layers.Dense(64, activation="relu", name="block_dense_1")(x)
    y = layers.Dense(64, name="block_dense_2")(y)
    x = layers.add([x, y], name="skip")  # The block's input, added back to its output.
    x = layers.Activation("relu", name="block_relu")(x)
    outputs = layers.Dense(10, activation="softmax", name="digit")(x)
    return keras.Model(inputs, outputs, name="residual")


residual = build_residual()
residual.summary()


dot = keras.utils.model_to_dot(residual, show_shapes=True, show_layer_names=True, dpi=54)
SVG(dot.create(format="svg"))


x = keras.Input(shape=(64,))
print(layers.add([x, layers.Dense(1)(x)]).shape)
print("multiply:", layers.multiply([x, layers.Dense(1)(x)]).shape)
print("concatenate:", layers.concatenate([x, layers.Dense(1)(x)]).shape)  # 64 + 1 values


try:
    layers.add([x, layers.Dense(32)(x)])
except Exception as error:  # The page shows this error on purpose.
    print(f"{type(error).__name__}: {error}")


# On your own
# 1. Use a deeper encoder in the siamese model: a small
#    `keras.Sequential` of two `Dense` layers, called on both inputs like
#    a single layer. Check that `count_params()` still counts it once.

deep_encoder = keras.Sequential(
    [layers.Dense(64, activation="relu"), layers.Dense(32, activation="relu")], name="encoder"
)
image_a = keras.Input(shape=(784,), name="image_a")
image_b = keras.Input(shape=(784,), name="image_b")
distance = keras.ops.abs(layers.Subtract()([deep_encoder(image_a), deep_encoder(image_b)]))
deep_siamese = keras.Model([image_a, image_b], layers.Dense(1, activation="sigmoid")(distance))
print("encoder:", deep_encoder.count_params())
print("model:  ", deep_siamese.count_params())


# 2. Add a second residual block after the first, and compare the summary's totals.

inputs = keras.Input(shape=(784,), name="image")
x = layers.Dense(64, activation="relu", name="project")(inputs)
for block in (1, 2):
    y = layers.Dense(64, activation="relu", name=f"block{block}_dense_1")(x)
    y = layers.Dense(64, name=f"block{block}_dense_2")(y)
    x = layers.Activation("relu", name=f"block{block}_relu")(layers.add([x, y]))
outputs = layers.Dense(10, activation="softmax", name="digit")(x)
two_blocks = keras.Model(inputs, outputs, name="two_blocks")
print("one block: ", residual.count_params())
print("two blocks:", two_blocks.count_params())


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
