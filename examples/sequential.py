"""Train a Sequential model on MNIST

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/sequential.html
(한국어: https://keras-model-guide.readthedocs.io/ko/sequential.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python sequential.py`.

Generated from docs/sequential.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python sequential.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Train a Sequential model on MNIST: the code of the Keras Model guide's page, run as a script."
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


# Load the data
import keras
from keras import layers

keras.utils.set_random_seed(0)  # The same seed gives the same numbers on every run.


def load_mnist():
    """Load MNIST the way the post used it: 784 values in [0, 1] per image, one-hot labels."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)
    y_test = keras.utils.to_categorical(y_test, 10)
    return (x_train, y_train), (x_test, y_test)


(x_train, y_train), (x_test, y_test) = load_mnist()
print(x_train.shape, y_train.shape)
print(x_test.shape, y_test.shape)


# Build the model
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
seq_model.summary()


# Compile and train
epochs = 5
batch_size = 500


if args.quick:  # A smoke test, not the page's run.
    epochs = 1


def compile_like_post(model):
    """Compile `model` with the post's optimizer, loss and metric."""
    model.compile(
        # The post's Adam: its betas are Keras 3's defaults, its epsilon is not.
        optimizer=keras.optimizers.Adam(learning_rate=0.001, epsilon=1e-8),
        loss="categorical_crossentropy",
        metrics=["categorical_accuracy"],
    )


compile_like_post(seq_model)
print("Keras 3's default epsilon:", keras.optimizers.Adam().epsilon)
print("this model's epsilon:     ", seq_model.optimizer.epsilon)

history = seq_model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)

for epoch, (loss, accuracy) in enumerate(
    zip(history.history["loss"], history.history["categorical_accuracy"], strict=True), start=1
):
    print(f"epoch {epoch}: loss {loss:.4f}, categorical_accuracy {accuracy:.4f}")


# Per-epoch training log of the post's Sequential model (5 epochs, batch 500).
POST_HISTORY = {
    "loss": [0.4589, 0.1492, 0.0983, 0.0712, 0.0515],
    "categorical_accuracy": [0.8673, 0.9570, 0.9716, 0.9784, 0.9844],
}

# The post's evaluate() results for each split, as (loss, categorical_accuracy).
POST_EVALUATION = {
    "train": (0.041054270681467921, 0.98849090910824866),
    "test": (0.078584650909528139, 0.97660000000000002),
}


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


plot_history(history, compare=POST_HISTORY)


# Evaluate
train_loss, train_accuracy = seq_model.evaluate(x_train, y_train, batch_size=128, verbose=0)
test_loss, test_accuracy = seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0)
print(f"train: loss {train_loss:.4f}, accuracy {train_accuracy:.4f}")
print(f"test:  loss {test_loss:.4f}, accuracy {test_accuracy:.4f}")


rows = [
    (
        f"epoch {epochs} training accuracy",
        POST_HISTORY["categorical_accuracy"][-1],
        history.history["categorical_accuracy"][-1],
    ),
    ("train loss", POST_EVALUATION["train"][0], train_loss),
    ("train accuracy", POST_EVALUATION["train"][1], train_accuracy),
    ("test loss", POST_EVALUATION["test"][0], test_loss),
    ("test accuracy", POST_EVALUATION["test"][1], test_accuracy),
]
print(f"{'':26} {'post (2018)':>11} {'this build':>11}")
for name, post, ours in rows:
    print(f"{name:26} {post:11.4f} {ours:11.4f}")


# On your own
# 1. Train a fresh `build_mlp()` for one epoch on the first 5,000 training images
#    with `batch_size=32`, and another with `batch_size=500`. How many update
#    steps does each take, and which reaches the higher test accuracy? (The full
#    set with `batch_size=32` takes far longer; the subset shows the same trade.)

for size in (32, 500):
    model = build_mlp()
    compile_like_post(model)
    model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=size, verbose=0)
    accuracy = model.evaluate(x_test, y_test, batch_size=500, verbose=0)[1]
    steps = int(model.optimizer.iterations)
    print(f"batch_size={size}: {steps} steps, test accuracy {accuracy:.4f}")
# More, smaller steps learn more from one pass; each epoch also takes longer.


# 2. Build two fresh models with `build_mlp()`: are their first weights equal?
#    Then call `keras.utils.set_random_seed(1)` before each build and compare
#    again. This is what the `set_random_seed` line at the top of the page buys.

first, second = build_mlp().get_weights()[0], build_mlp().get_weights()[0]
print("without a seed, equal:", bool((first == second).all()))
keras.utils.set_random_seed(1)
first = build_mlp().get_weights()[0]
keras.utils.set_random_seed(1)
second = build_mlp().get_weights()[0]
print("with the same seed, equal:", bool((first == second).all()))


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
