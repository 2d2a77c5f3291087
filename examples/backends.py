"""Run the same model on TensorFlow, JAX and PyTorch

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/backends.html
(한국어: https://keras-model-guide.readthedocs.io/ko/backends.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python backends.py`.

Generated from docs/backends.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python backends.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Run the same model on TensorFlow, JAX and PyTorch: the code of the Keras Model guide's page, run as a script."
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


# How Keras picks its backend
import warnings

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)
print("backend:", keras.backend.backend())


print("floatx:", keras.config.floatx())
print("epsilon:", keras.config.epsilon())
print("image_data_format:", keras.config.image_data_format())


# The post's experiment on every backend
epochs = 1


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


def functional_from_layers(seq_model):
    """Call `seq_model`'s layers, in order, on a new `keras.Input`: the post's `model1`."""
    inputs = keras.Input(shape=seq_model.input_shape[1:])  # (784,): one image's pixels.
    x = inputs
    for layer in seq_model.layers:
        x = layer(x)
    return keras.Model(inputs, x, name="model1")


def shared_layers(first, second):
    """Return the names of the layers that are the very same object in both models."""
    return [layer.name for layer in first.layers if any(layer is other for other in second.layers)]


def run_post_experiment(epochs=5):
    """Train the post's MLP, build `model1` from its layers, refit, and report the results."""
    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_mnist()
    seq_model = build_mlp()
    first_kernel = seq_model.get_layer("hidden_1").kernel
    first_weight = float(first_kernel.numpy()[0, 0])  # Drawn from the seed, before training.
    compile_like_post(seq_model)
    seq_model.fit(x_train, y_train, epochs=epochs, batch_size=500, verbose=0)
    _, accuracy = seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0)

    model1 = functional_from_layers(seq_model)
    before = model1.get_layer("hidden_1").kernel.numpy()  # numpy() returns a copy.
    seq_model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=500, verbose=0)
    return {
        "backend": keras.backend.backend(),
        "parameters": seq_model.count_params(),
        "first weight": round(first_weight, 4),
        "test accuracy": round(float(accuracy), 4),
        "layers shared": len(shared_layers(seq_model, model1)),
        "model1 changed": not np.array_equal(before, model1.get_layer("hidden_1").kernel.numpy()),
    }


result = run_post_experiment(epochs)
for key, value in result.items():
    print(f"{key}: {value}")


for key in ["parameters", "layers shared", "model1 changed"]:
    print(f"{key}: {result[key]}")


# Why the numbers differ
keras.utils.set_random_seed(0)
print("normal:", keras.ops.convert_to_numpy(keras.random.normal((3,), seed=0)).round(4))
print("shuffled:", keras.ops.convert_to_numpy(keras.random.shuffle(keras.ops.arange(8), seed=0)))


(x_train, y_train), _ = load_mnist()
rng = np.random.default_rng(0)
model = build_mlp()
model.set_weights([rng.normal(0, 0.05, weight.shape) for weight in model.get_weights()])
compile_like_post(model)
history = model.fit(
    x_train[:2000], y_train[:2000], epochs=3, batch_size=500, shuffle=False, verbose=0
)
print("loss per epoch:", [f"{loss:.8f}" for loss in history.history["loss"]])


# Switching inside a running session
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    keras.config.set_backend(keras.backend.backend())
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")


# On your own
# 1. Keras takes the backend from the `KERAS_BACKEND` environment variable, and
#    without it from `"backend"` in `keras.json`, once, when it is imported. Check all
#    three parts: change `KERAS_BACKEND` in this session and ask Keras again; then
#    start a new Python with `KERAS_HOME` set to a folder whose `keras.json` names
#    this session's backend; then another with a `keras.json` that names a different
#    backend and `KERAS_BACKEND` set to this one. Which backend does each get?

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

this_backend = keras.backend.backend()
other_backend = "jax" if this_backend != "jax" else "tensorflow"

os.environ["KERAS_BACKEND"] = other_backend
print("read once, at import:", keras.backend.backend() == this_backend)
os.environ.pop("KERAS_BACKEND")


def backend_of_new_python(keras_json_backend, **environment):
    """Start a new Python whose keras.json names `keras_json_backend`; return its backend."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "keras.json").write_text(json.dumps({"backend": keras_json_backend}))
        env = {**os.environ, "KERAS_HOME": folder, **environment}
        code = "import keras; print(keras.backend.backend())"
        command = [sys.executable, "-c", code]
        run = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return run.stdout.split()[-1]


print("keras.json alone is read:", backend_of_new_python(this_backend) == this_backend)
chosen = backend_of_new_python(other_backend, KERAS_BACKEND=this_backend)
print("KERAS_BACKEND wins over keras.json:", chosen == this_backend)


# 2. Time the training of `model` with `time.perf_counter()` on two backends: which
#    one trains this model faster on your computer? Run one epoch first, which builds
#    the training step, and time the epochs after it; with 4 batches an epoch, you
#    would mostly time the cost of each call. (The page runs on every backend when it
#    is built, so the solution shows the build machine's times side by side.)

import time

images, labels = x_train[:10000], y_train[:10000]
model.fit(images, labels, epochs=1, batch_size=500, verbose=0)  # Builds the step: not timed.
start = time.perf_counter()
model.fit(images, labels, epochs=3, batch_size=500, verbose=0)
steps = 3 * len(images) // 500
milliseconds = 1000 * (time.perf_counter() - start) / steps
print(f"{keras.backend.backend()}: {milliseconds:.1f} ms per training step of 500 images")
# This measures a small model on this machine's processor, steps of 500 images; a larger
# model, other batch sizes or a GPU can rank the backends differently.


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
