"""Save a trained model and reuse it later

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/save-load.html
(한국어: https://keras-model-guide.readthedocs.io/ko/save-load.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python save_load.py`.

Generated from docs/save-load.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python save_load.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Save a trained model and reuse it later: the code of the Keras Model guide's page, run as a script."
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


# Train the post's model
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


# Save and load
seq_model.save("seq_model.keras")
restored = keras.models.load_model("seq_model.keras")

print("restored:", restored.name, f"{restored.count_params():,} parameters")
print("optimizer steps:", int(seq_model.optimizer.iterations), int(restored.optimizer.iterations))


saved_scores = seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0)
restored_scores = restored.evaluate(x_test, y_test, batch_size=128, verbose=0)
print("saved:   ", saved_scores)
print("restored:", restored_scores)
print("identical:", saved_scores == restored_scores)


# Build a new model from the loaded layers
def functional_from_layers(seq_model):
    """Call `seq_model`'s layers, in order, on a new `keras.Input`: the post's `model1`."""
    inputs = keras.Input(shape=seq_model.input_shape[1:])  # (784,): one image's pixels.
    x = inputs
    for layer in seq_model.layers:
        x = layer(x)
    return keras.Model(inputs, x, name="model1")


model1 = functional_from_layers(restored)
compile_like_post(model1)
model1_scores = model1.evaluate(x_test, y_test, batch_size=128, verbose=0)
print("model1 from loaded layers:", model1_scores)
print("identical:", model1_scores == restored_scores)


# What loading does to shared layers
def shared_layers(first, second):
    """Return the names of the layers that are the very same object in both models."""
    return [layer.name for layer in first.layers if any(layer is other for other in second.layers)]


print("shared by seq_model and restored:", shared_layers(seq_model, restored))

before = restored.get_layer("hidden_1").kernel.numpy()  # numpy() returns a copy.
seq_model.fit(x_train[:5000], y_train[:5000], epochs=1, batch_size=500, verbose=0)
changed = not np.array_equal(before, restored.get_layer("hidden_1").kernel.numpy())
print("restored changed when seq_model trained:", changed)


model1.save("model1.keras")
# compile=False: model1's optimizer never trained, so it has no state worth restoring.
model1_loaded = keras.models.load_model("model1.keras", compile=False)
print("shared by model1 and restored:", len(shared_layers(model1, restored)), "layers")
print("shared by model1_loaded and restored:", len(shared_layers(model1_loaded, restored)))


shared_dense = layers.Dense(4, name="shared_dense")
left = keras.Input(shape=(3,), name="left")
right = keras.Input(shape=(3,), name="right")
twice = keras.Model([left, right], layers.add([shared_dense(left), shared_dense(right)]))

twice.save("twice.keras")
twice_loaded = keras.models.load_model("twice.keras")
print("layers after loading:", [layer.name for layer in twice_loaded.layers])
print("parameters:", twice.count_params(), "->", twice_loaded.count_params())


# Save a layer Keras does not know
class Scale(layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config


inputs = keras.Input(shape=(3,))
scaled = keras.Model(inputs, Scale(2.0, name="scale")(inputs))
scaled.save("scaled.keras")


try:
    keras.models.load_model("scaled.keras")
except TypeError as error:
    reason = str(error).split("Exception encountered: ")[-1]
    print("TypeError:", reason.split(". ")[0])


loaded = keras.models.load_model("scaled.keras", custom_objects={"Scale": Scale})
print("factor after loading:", loaded.get_layer("scale").factor)


@keras.saving.register_keras_serializable(package="guide")
class Scale(layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config


print("registered as:", keras.saving.get_registered_name(Scale))
scaled = keras.Model(inputs, Scale(2.0, name="scale")(inputs))
scaled.save("scaled.keras")
loaded = keras.models.load_model("scaled.keras")
print("loaded without custom_objects:", type(loaded.get_layer("scale")).__name__)


# Save only the weights
seq_model.save_weights("mlp.weights.h5")
fresh = build_mlp()
fresh.load_weights("mlp.weights.h5")
pairs = zip(seq_model.get_weights(), fresh.get_weights(), strict=True)
print("same weights after load_weights:", all(np.array_equal(a, b) for a, b in pairs))


# Export for serving
import tensorflow as tf

try:
    seq_model.export("mlp_saved_model", verbose=False)
except Exception as error:  # This backend's exporter refused the model: say why, go on.
    print(f"export failed: {type(error).__name__}: {str(error).splitlines()[0]}")
else:
    served = tf.saved_model.load("mlp_saved_model")
    images = x_test[:5]
    same = np.allclose(served.serve(images), seq_model.predict(images, verbose=0), atol=1e-6)
    print("serve() gives the model's predictions:", same)


if keras.backend.backend() != "torch":
    print(f'format="torch" needs the PyTorch backend, not {keras.backend.backend()}')
else:
    import torch

    batch = {0: torch.export.Dim("batch")}  # The first axis, the batch, may have any size.
    seq_model.export("mlp.pt2", format="torch", dynamic_shapes=batch, verbose=False)
    program = torch.export.load("mlp.pt2").module()
    images = x_test[:5]
    served = program(torch.from_numpy(images)).detach().numpy()
    same = np.allclose(served, seq_model.predict(images, verbose=0), atol=1e-6)
    print("the torch.export program gives the model's predictions:", same)


# On your own
# 1. A weights file holds arrays, not layers. Does `load_weights` match them to layers
#    by name or by position? Load `mlp.weights.h5` into the same MLP with other layer
#    names, and into one whose first layer has 256 units instead of 512: which load
#    works, and does the renamed model score exactly what `seq_model` scores?

def mlp(first_units, names):
    """The post's MLP with `first_units` in its first layer and the given layer names."""
    units, activations = (first_units, 128, 32, 10), ("relu",) * 3 + ("softmax",)
    layer_args = zip(units, activations, names, strict=True)
    dense = [layers.Dense(n, activation=a, name=name) for n, a, name in layer_args]
    return keras.Sequential([keras.Input(shape=(784,)), *dense])


renamed = mlp(512, ["a", "b", "c", "d"])
renamed.load_weights("mlp.weights.h5")
compile_like_post(renamed)  # A weights file holds no optimizer, loss or metrics.
renamed_scores = renamed.evaluate(x_test, y_test, batch_size=128, verbose=0)
seq_scores = seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0)
print("other names, identical:", renamed_scores == seq_scores)
try:
    mlp(256, ["hidden_1", "hidden_2", "features", "digit"]).load_weights("mlp.weights.h5")
except ValueError as error:
    print("256 units: ValueError:", str(error).splitlines()[0])
# By position: the names may differ, the shapes may not.


# 2. Load `seq_model.keras` with `compile=False` and call `evaluate()`: what does Keras
#    say? The answer depends on the backend, so the solution shows each backend's.
#    TensorFlow and JAX check that the model was compiled and say so; PyTorch's
#    `evaluate` skips that check (a Keras inconsistency: compare `evaluate` in
#    [the PyTorch trainer](https://github.com/keras-team/keras/blob/v3.15.1/keras/src/backend/torch/trainer.py#L328)
#    with
#    [TensorFlow's](https://github.com/keras-team/keras/blob/v3.15.1/keras/src/backend/tensorflow/trainer.py#L468)),
#    and fails later, on the optimizer the model does not have.

uncompiled = keras.models.load_model("seq_model.keras", compile=False)
try:
    uncompiled.evaluate(x_test, y_test, batch_size=128, verbose=0)
except (ValueError, AttributeError) as error:
    print(f"{type(error).__name__}: {error}")


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
