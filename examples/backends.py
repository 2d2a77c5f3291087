"""Run the same model on TensorFlow and JAX

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/backends.html
(한국어: https://keras-model-guide.readthedocs.io/ko/backends.html)

Generated from docs/backends.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python backends.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Run the same model on TensorFlow and JAX: the code of the Keras Model guide's page, run as a script."
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


# The backend is chosen before `import keras`
import inspect
import json
import os
import subprocess
import sys

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)
print("backend:", keras.backend.backend())  # tensorflow


# The post's experiment as one function
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
    first_weight = float(seq_model.get_weights()[0][0, 0])  # Drawn from the seed, before training.
    compile_like_post(seq_model)
    seq_model.fit(x_train, y_train, epochs=epochs, batch_size=500, verbose=0)
    _, accuracy = seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0)

    model1 = functional_from_layers(seq_model)
    before = model1.get_weights()[0].copy()  # The first layer's kernel.
    seq_model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=500, verbose=0)
    return {
        "backend": keras.backend.backend(),
        "parameters": seq_model.count_params(),
        "first weight": round(first_weight, 4),
        "test accuracy": round(float(accuracy), 4),
        "layers shared": len(shared_layers(seq_model, model1)),
        "model1 changed": not np.array_equal(before, model1.get_weights()[0]),
    }


here = run_post_experiment(epochs)
print(here)


# Run it again on JAX
functions = [
    load_mnist,
    build_mlp,
    compile_like_post,
    functional_from_layers,
    shared_layers,
    run_post_experiment,
]
program = "\n\n".join(
    ["import json\nimport keras\nimport numpy as np\nfrom keras import layers"]
    + [inspect.getsource(function) for function in functions]
    + [f"print(json.dumps(run_post_experiment({epochs})))"]
)
done = subprocess.run(
    [sys.executable, "-c", program],
    env={**os.environ, "KERAS_BACKEND": "jax"},
    capture_output=True,  # Keep the new process's start-up messages off this page.
    text=True,
    check=False,  # On failure, raise below with the process's error output.
)
if done.returncode != 0:
    raise RuntimeError(done.stderr)
on_jax = json.loads(done.stdout.splitlines()[-1])
print(on_jax)


# Compare the two runs
print(f"{'':16}{here['backend']:>12}{on_jax['backend']:>12}")
for key in ["parameters", "first weight", "test accuracy", "layers shared", "model1 changed"]:
    print(f"{key:16}{here[key]!s:>12}{on_jax[key]!s:>12}")
print("same parameter count:", here["parameters"] == on_jax["parameters"])


# On your own


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
