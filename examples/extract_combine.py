"""Extract part of a model and combine models

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/extract-combine.html
(한국어: https://keras-model-guide.readthedocs.io/ko/extract-combine.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python extract_combine.py`.

Generated from docs/extract-combine.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python extract_combine.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Extract part of a model and combine models: the code of the Keras Model guide's page, run as a script."
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


# Train the classifier
import keras
import numpy as np
from IPython.display import SVG
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
print([layer.name for layer in seq_model.layers])


# Take part of a model
# The one input of seq_model: the tensor itself, not `inputs`, a list of one, so that
# `encoder` takes an array. (A Sequential model has no `.input` in Keras 3.15.)
encoder = keras.Model(seq_model.inputs[0], seq_model.get_layer("features").output, name="encoder")
codes = encoder.predict(x_test[:5], verbose=0)
print(encoder.output_shape)
print(codes.shape)


# Combine models into one
def build_decoder():
    """Build a small decoder that turns 32 values back into 784 pixels."""
    return keras.Sequential(
        [
            keras.Input(shape=(32,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ],
        name="decoder",
    )


accuracy_before = seq_model.evaluate(x_test, y_test, verbose=0)[1]
encoder.trainable = False
print({layer.name: layer.trainable for layer in seq_model.layers})

decoder = build_decoder()
inputs = keras.Input(shape=seq_model.input_shape[1:])  # One image's 784 pixels.
autoencoder = keras.Model(inputs, decoder(encoder(inputs)), name="autoencoder")
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.summary()


history = autoencoder.fit(x_train, x_train, epochs=2, batch_size=256, verbose=0)
print([round(loss, 4) for loss in history.history["loss"]])
accuracy_after = seq_model.evaluate(x_test, y_test, verbose=0)[1]
print(f"classifier test accuracy before: {accuracy_before:.4f}, after: {accuracy_after:.4f}")
print("unchanged:", accuracy_before == accuracy_after)


SVG(
    keras.utils.model_to_dot(
        autoencoder, show_shapes=True, show_layer_names=True, expand_nested=True, dpi=54
    ).create(format="svg")
)


# The same cut and join with `Sequential`
trained = [seq_model.get_layer(name) for name in ("hidden_1", "hidden_2", "features")]
cut = keras.Sequential([keras.Input(shape=seq_model.input_shape[1:]), *trained])
joined = keras.Sequential([encoder, decoder])

images = x_test[:100]
as_numpy = keras.ops.convert_to_numpy
same_codes = np.array_equal(as_numpy(cut(images)), as_numpy(encoder(images)))
same_images = np.array_equal(as_numpy(joined(images)), as_numpy(autoencoder(images)))
print("Sequential cut computes the encoder:", same_codes)
print("Sequential join computes the autoencoder:", same_images)


# Look at the reconstructions
import numpy as np
from matplotlib.figure import Figure


def plot_history(history, compare=None):
    """Plot each metric of a `History` per epoch, one panel each, the loss first.

    The other metrics follow in the order of their keys (Keras lists them alphabetically).
    This run is a solid line with circles; `compare` (the post's log), when given, a
    dashed line with squares. The x axis counts epochs from 1.
    """
    logs = getattr(history, "history", history)
    logs = {metric: logs[metric] for metric in sorted(logs, key=lambda metric: metric != "loss")}
    # Figure() rather than pyplot: no global state, nothing left open between cells.
    figure = Figure(figsize=(4.2 * len(logs), 3.2), layout="constrained")
    row = figure.subplots(1, len(logs), squeeze=False)[0]
    for axes, (metric, values) in zip(row, logs.items(), strict=True):
        epochs = range(1, len(values) + 1)
        axes.plot(epochs, values, marker="o")
        if compare and len(compare.get(metric, [])) == len(values):
            axes.plot(epochs, compare[metric], marker="s", linestyle="--")
        axes.set_xticks(list(epochs))
        axes.grid(alpha=0.3)
    return figure


def plot_digits(rows, columns=8):
    """Draw MNIST images as a grid, one row per array in `rows`, top to bottom."""
    figure = Figure(figsize=(columns, 1.1 * len(rows)), layout="constrained")
    grid = figure.subplots(len(rows), columns, squeeze=False)
    for axes_row, images in zip(grid, rows, strict=True):
        for column, axes in enumerate(axes_row):
            axes.imshow(np.reshape(images[column], (28, 28)), cmap="gray", vmin=0, vmax=1)
            axes.set_xticks([])
            axes.set_yticks([])
    return figure


originals = x_test[:8]
plot_digits([originals, autoencoder.predict(originals, verbose=0)])


# On your own
# 1. Unfreeze the encoder (`encoder.trainable = True`), compile the
#    autoencoder again, train it for one epoch on 5,000 images, and
#    evaluate `seq_model`: sharing layers means the classifier changes too.

encoder.trainable = True
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(x_train[:5000], x_train[:5000], epochs=1, batch_size=256, verbose=0)
accuracy_unfrozen = seq_model.evaluate(x_test, y_test, verbose=0)[1]
print(f"classifier test accuracy before: {accuracy_before:.4f}, now: {accuracy_unfrozen:.4f}")
print("unchanged:", accuracy_before == accuracy_unfrozen)


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
