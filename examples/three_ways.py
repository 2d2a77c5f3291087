"""Write the same model three ways: Sequential, functional, subclassed

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/three-ways.html
(한국어: https://keras-model-guide.readthedocs.io/ko/three-ways.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python three_ways.py`.

Generated from docs/three-ways.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python three_ways.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Write the same model three ways: Sequential, functional, subclassed: the code of the Keras Model guide's page, run as a script."
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


# One network, three definitions
import keras
import numpy as np
from IPython.display import SVG
from keras import layers

keras.utils.set_random_seed(0)


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


sequential = build_mlp()


def build_functional_mlp():
    """The post's network as a functional model: tensors in, tensors out."""
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(512, activation="relu")(inputs)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dense(32, activation="relu")(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="functional_mlp")


functional = build_functional_mlp()


class SubclassedMLP(keras.Model):
    """The post's network as a subclass: layers in `__init__`, the forward pass in `call`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [
            layers.Dense(512, activation="relu"),
            layers.Dense(128, activation="relu"),
            layers.Dense(32, activation="relu"),
        ]
        self.classifier = layers.Dense(10, activation="softmax")

    def call(self, inputs):
        x = inputs
        for layer in self.hidden:
            x = layer(x)
        return self.classifier(x)


subclassed = SubclassedMLP()
subclassed(np.zeros((1, 784), dtype="float32"))

models = {"Sequential": sequential, "functional": functional, "subclassed": subclassed}
for name, model in models.items():
    print(f"{name:10} parameters: {model.count_params():,}")


# The same weights give the same outputs
_, (x_test, y_test) = keras.datasets.mnist.load_data()
images = x_test[:100].reshape(-1, 784).astype("float32") / 255

functional.set_weights(sequential.get_weights())
subclassed.set_weights(sequential.get_weights())
reference = keras.ops.convert_to_numpy(sequential(images))
for name, model in [("functional", functional), ("subclassed", subclassed)]:
    difference = np.abs(keras.ops.convert_to_numpy(model(images)) - reference).max()
    print(f"{name:10} largest difference from Sequential: {difference}")


# What `summary()` and a plot can show
functional.summary()


print("images in the last call:", subclassed(images).shape[0])
subclassed.summary()


dot = keras.utils.model_to_dot(subclassed, show_shapes=True, show_layer_names=True, dpi=54)
SVG(dot.create(format="svg"))


print("functional inputs:", functional.inputs)
print("subclassed has inputs:", hasattr(subclassed, "inputs"))


# Mix the styles
class Rescale(layers.Layer):
    """Multiply each feature by a learned factor."""

    def build(self, input_shape):
        self.factor = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="factor")

    def call(self, inputs):
        return keras.ops.multiply(inputs, self.factor)


inputs = keras.Input(shape=(784,))
x = layers.Dense(32, activation="relu", name="hidden")(inputs)
x = Rescale(name="rescale")(x)
encoder = keras.Model(inputs, x, name="encoder")
for name in ("hidden", "rescale"):
    layer = encoder.get_layer(name)
    print(f"{layer.name} ({type(layer).__name__}): {layer.output.shape}")
print("encoder parameters:", encoder.count_params())


class Classifier(keras.Model):
    """A subclassed model around a functional encoder."""

    def __init__(self, encoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.head = layers.Dense(10, activation="softmax", name="head")

    def call(self, inputs):
        return self.head(self.encoder(inputs))


classifier = Classifier(encoder)
print("output shape:", tuple(classifier(images).shape))
print("layers:", [layer.name for layer in classifier.layers])
print("parameters:", classifier.count_params())
held = all(any(w is v for v in classifier.weights) for w in encoder.weights)
print("holds the encoder's weights:", held)


# Layers and losses for every backend
def sparse_crossentropy(y_true, y_pred):
    """-log of the probability given to the true class, one value per sample."""
    y_true = keras.ops.cast(keras.ops.reshape(y_true, (-1, 1)), "int32")
    probabilities = keras.ops.take_along_axis(y_pred, y_true, axis=-1)
    return -keras.ops.log(keras.ops.clip(probabilities[:, 0], 1e-7, 1.0))


labels = y_test[:100]
predictions = classifier(images)
mine = keras.ops.convert_to_numpy(sparse_crossentropy(labels, predictions))
expected = keras.losses.sparse_categorical_crossentropy(labels, predictions)
print("loss shape:", mine.shape)
print("same as Keras's loss:", np.allclose(mine, keras.ops.convert_to_numpy(expected), atol=1e-6))

classifier.compile(optimizer="adam", loss=sparse_crossentropy)
factor = keras.ops.convert_to_numpy(encoder.get_layer("rescale").factor)
history = classifier.fit(images, labels, epochs=5, batch_size=50, verbose=0)
moved = not np.array_equal(factor, keras.ops.convert_to_numpy(encoder.get_layer("rescale").factor))
print("Rescale's factors moved:", moved)
print("loss went down:", history.history["loss"][-1] < history.history["loss"][0])


# Which one to use
inputs = keras.Input(shape=(784,))
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dropout(0.5)(x)
with_dropout = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))

for training in (True, False, None):
    first = keras.ops.convert_to_numpy(with_dropout(images, training=training))
    second = keras.ops.convert_to_numpy(with_dropout(images, training=training))
    print(f"training={training}: two calls give equal outputs: {np.array_equal(first, second)}")


# On your own
# 1. Add a `print()` inside `SubclassedMLP.call` and call the model directly on two
#    batches: the line runs on each direct call, because `call()` is ordinary Python.
#    (Inside `fit` and `predict`, Keras may compile the step, and then `call()` runs
#    only while the step is traced.) How often does it run on the first call, and why?

class PrintingMLP(SubclassedMLP):
    def call(self, inputs):
        print(f"call() runs on shape {tuple(inputs.shape)}; model built: {self.built}")
        return super().call(inputs)


printing = PrintingMLP()
predictions = printing(images[:2])
predictions = printing(images[:5])
# Twice on the first call: a model is built on its first call. Keras runs call() once to
# build it (built: False), which creates the weights of the layers inside, then once more
# on the data. Later calls run call() once each.


# 2. Write a `Sequential` model without a `keras.Input` and
#    call `summary()` before and after calling it on data.

lazy = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(10)])
print("built before a call:", lazy.built)
lazy.summary()  # No shapes and no parameters yet.
lazy(images)
print("built after a call:", lazy.built)
lazy.summary()


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
