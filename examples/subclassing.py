"""Subclass `Model` in depth: build, training mode, config and saving

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/subclassing.html
(한국어: https://keras-model-guide.readthedocs.io/ko/subclassing.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python subclassing.py`.

Generated from docs/subclassing.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python subclassing.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Subclass `Model` in depth: build, training mode, config and saving: the code of the Keras Model guide's page, run as a script."
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


import warnings

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

(x_train, y_train), _ = keras.datasets.mnist.load_data()
images = x_train[:1000].reshape(-1, 784).astype("float32") / 255
labels = y_train[:1000]


# Create the weights in `build()`
class Classifier(keras.Model):
    """A hidden layer and a softmax head."""

    def __init__(self, units=64, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = layers.Dense(units, activation="relu", name="hidden")
        self.head = layers.Dense(10, activation="softmax", name="head")

    def call(self, inputs):
        return self.head(self.hidden(inputs))


model = Classifier()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model.build((None, 784))
print("built:", model.built)
print("weights:", len(model.weights))
print("warning:", str(caught[0].message).split(". ")[0])


class BuiltClassifier(Classifier):
    """Classifier that can build its weights from an input shape alone."""

    def build(self, input_shape):
        self.hidden.build(input_shape)
        self.head.build((*input_shape[:-1], self.units))


model = BuiltClassifier()
model.build((None, 784))
print("weights:", len(model.weights))
model.summary()


# What `training` a call receives
received = []


class Noise(layers.Layer):
    """Add Gaussian noise while training; pass the input through otherwise."""

    def __init__(self, stddev=0.1, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed_generator = keras.random.SeedGenerator(0)

    def call(self, inputs, training=None):
        received.append(training)
        if training:
            shape = keras.ops.shape(inputs)
            return inputs + keras.random.normal(shape, stddev=self.stddev, seed=self.seed_generator)
        return inputs


class NoisyClassifier(keras.Model):
    """Classifier with noise on its hidden layer's output while training."""

    def __init__(self, units=64, stddev=0.1, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.stddev = stddev
        self.hidden = layers.Dense(units, activation="relu", name="hidden")
        self.noise = Noise(stddev, name="noise")
        self.head = layers.Dense(10, activation="softmax", name="head")

    def call(self, inputs, training=None):
        return self.head(self.noise(self.hidden(inputs), training=training))


model = NoisyClassifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

model(images[:2])
print("first call:      ", received)
received.clear()
model(images[:2])
print("plain call:      ", received)
received.clear()
model.predict(images[:2], verbose=0)
print("predict:         ", received)
received.clear()
model.fit(images, labels, epochs=1, batch_size=100, verbose=0)
print("fit passed True: ", True in received)
received.clear()
model.evaluate(images, labels, verbose=0)
print("evaluate:        ", sorted(set(received), key=str))


dropout = layers.Dropout(0.5)
ones = np.ones((2, 8), dtype="float32")
unchanged = np.array_equal(keras.ops.convert_to_numpy(dropout(ones)), ones)
print("Dropout changed nothing on a plain call:", unchanged)


# Give the model a config
config = model.get_config()
print({key: config[key] for key in ("name", "units", "stddev")})


class Head(keras.Model):
    """A softmax head on an encoder given as an argument."""

    def __init__(self, encoder, classes=10, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.classes = classes
        self.head = layers.Dense(classes, activation="softmax", name="head")

    def call(self, inputs):
        return self.head(self.encoder(inputs))


inputs = keras.Input(shape=(784,), name="image")
features = layers.Dense(32, activation="relu", name="features")(inputs)
encoder = keras.Model(inputs, features, name="encoder")
try:
    Head(encoder).get_config()
except NotImplementedError as error:
    print("NotImplementedError:", " ".join(str(error).split()).split(". ")[0])


@keras.saving.register_keras_serializable(package="guide")
class Head(keras.Model):
    """A softmax head on an encoder given as an argument, with a config."""

    def __init__(self, encoder, classes=10, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.classes = classes
        self.head = layers.Dense(classes, activation="softmax", name="head")

    def call(self, inputs):
        return self.head(self.encoder(inputs))

    def get_config(self):
        config = super().get_config()
        config["encoder"] = keras.saving.serialize_keras_object(self.encoder)
        config["classes"] = self.classes
        return config

    @classmethod
    def from_config(cls, config):
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        return cls(**config)


# Save and load a subclassed model
classifier = Head(encoder)
classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
classifier.fit(images, labels, epochs=1, batch_size=100, verbose=0)
classifier.save("head.keras")

restored = keras.models.load_model("head.keras")
print("loaded as:", type(restored).__name__, "around", type(restored.encoder).__name__)
print("encoder's layers:", [layer.name for layer in restored.encoder.layers])
before = classifier.predict(images, verbose=0)
after = restored.predict(images, verbose=0)
print("same predictions:", np.allclose(before, after))


# Add a loss from inside `call()`
class ActivityPenalty(layers.Layer):
    """Pass the input through, adding rate * mean(input**2) to the model's loss."""

    def __init__(self, rate=0.01, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * keras.ops.mean(keras.ops.square(inputs)))
        return inputs


class PenalizedClassifier(Classifier):
    """Classifier with a penalty on its hidden layer's output."""

    def __init__(self, units=64, **kwargs):
        super().__init__(units, **kwargs)
        self.penalty = ActivityPenalty(name="penalty")

    def call(self, inputs):
        return self.head(self.penalty(self.hidden(inputs)))


penalized = PenalizedClassifier()
penalized.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
penalized.fit(images, labels, epochs=1, batch_size=100, verbose=0)

outputs = penalized(images[:100])
print("losses after a call:", len(penalized.losses))
penalty = keras.ops.convert_to_numpy(penalized.losses[0])
crossentropy = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(labels[:100], outputs))
crossentropy = keras.ops.convert_to_numpy(crossentropy)
loss = penalized.evaluate(images[:100], labels[:100], batch_size=100, verbose=0)
print("evaluate's loss is crossentropy + penalty:", np.isclose(loss, crossentropy + penalty))
penalized(images[:10])
print("losses after one more call:", len(penalized.losses))


penalized.predict(images[:100], verbose=0)
print("model.losses after predict:", [type(value).__name__ for value in penalized.losses])


# On your own
# 1. Change `Noise` so that it tests `if training is not False:` and call
#    the model twice on the same two images. Do the two outputs agree?

class EagerNoise(Noise):
    def call(self, inputs, training=None):
        if training is not False:  # None is not False: this adds noise to a plain call.
            return super().call(inputs, training=True)
        return inputs


noisy = keras.Sequential(
    [
        layers.Dense(64, activation="relu"),
        EagerNoise(),
        layers.Dense(10, activation="softmax"),
    ]
)
first = keras.ops.convert_to_numpy(noisy(images[:2]))
second = keras.ops.convert_to_numpy(noisy(images[:2]))
print("two plain calls agree:", np.array_equal(first, second))


# 2. Give `Head` a `dropout` argument, a rate for a `Dropout`
#    layer between the encoder and the head, keep it in the
#    config, then save and load the model and read the rate back.

@keras.saving.register_keras_serializable(package="guide")
class DropoutHead(Head):
    def __init__(self, encoder, classes=10, dropout=0.2, **kwargs):
        super().__init__(encoder, classes, **kwargs)
        self.dropout = layers.Dropout(dropout, name="dropout")

    def call(self, inputs, training=None):
        x = self.dropout(self.encoder(inputs), training=training)
        return self.head(x)

    def get_config(self):
        config = super().get_config()
        config["dropout"] = self.dropout.rate
        return config


with_dropout = DropoutHead(encoder, dropout=0.3)
with_dropout(images[:2])
with_dropout.save("dropout_head.keras")
print("rate after loading:", keras.models.load_model("dropout_head.keras").dropout.rate)


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
