"""Customize what `fit()` does: validation, callbacks, weights, data, the loss and the step

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/customize-fit.html
(한국어: https://keras-model-guide.readthedocs.io/ko/customize-fit.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python customize_fit.py`.

Generated from docs/customize-fit.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python customize_fit.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Customize what `fit()` does: validation, callbacks, weights, data, the loss and the step: the code of the Keras Model guide's page, run as a script."
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


import importlib.util
import os
import warnings

import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(0)

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train[:10000].reshape(-1, 784).astype("float32") / 255
y_train = y_train[:10000]
x_test = x_test.reshape(-1, 784).astype("float32") / 255


def build_model():
    """A small 784-128-10 classifier, as a functional model."""
    inputs = keras.Input(shape=(784,), name="image")
    x = layers.Dense(128, activation="relu", name="hidden")(inputs)
    outputs = layers.Dense(10, activation="softmax", name="digit")(x)
    return keras.Model(inputs, outputs, name="mlp")


# Hold out validation data
model = build_model()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, validation_split=0.1, epochs=2, batch_size=100, verbose=0)
print("history:", sorted(history.history))
print("epochs:", len(history.history["val_loss"]))


# Stop early and keep the best model: callbacks
class Recorder(keras.callbacks.Callback):
    """Keep the validation loss of every epoch."""

    def __init__(self):
        super().__init__()
        self.val_losses = []

    def on_epoch_end(self, epoch, logs=None):
        self.val_losses.append(logs["val_loss"])


model = build_model()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
recorder = Recorder()
callbacks = [
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
    keras.callbacks.ModelCheckpoint("best.keras", monitor="val_loss", save_best_only=True),
    recorder,
]
model.fit(
    x_train,
    y_train,
    validation_split=0.1,
    epochs=30,
    batch_size=100,
    callbacks=callbacks,
    verbose=0,
)
x_val, y_val = x_train[9000:], y_train[9000:]  # the last tenth: what validation_split held out
best_loss = min(recorder.val_losses)
print("stopped before 30 epochs:", len(recorder.val_losses) < 30)
print("epochs after the best one:", len(recorder.val_losses) - 1 - int(np.argmin(recorder.val_losses)))
restored_loss = model.evaluate(x_val, y_val, verbose=0)[0]
print("the restored weights give the best val_loss:", np.isclose(restored_loss, best_loss, rtol=1e-4))
saved = keras.models.load_model("best.keras")
saved_loss = saved.evaluate(x_val, y_val, verbose=0)[0]
print("the checkpoint gives the best val_loss:", np.isclose(saved_loss, best_loss, rtol=1e-4))


# Weigh samples and classes
def accuracy_on(model, digit):
    """The share of the test images of `digit` that `model` classifies as `digit`."""
    images = x_test[y_test == digit]
    return np.mean(model.predict(images, verbose=0).argmax(axis=1) == digit)


weights = np.where(y_train == 0, 0.0, 1.0)
by_sample = build_model()
by_sample.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
by_sample.fit(x_train, y_train, sample_weight=weights, epochs=2, batch_size=100, verbose=0)

by_class = build_model()
by_class.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
class_weight = {digit: 0.0 if digit == 0 else 1.0 for digit in range(10)}
by_class.fit(x_train, y_train, class_weight=class_weight, epochs=2, batch_size=100, verbose=0)

for name, model in [("sample_weight", by_sample), ("class_weight", by_class)]:
    print(f"{name}: recognises 0s: {accuracy_on(model, 0) > 0.5}, 1s: {accuracy_on(model, 1) > 0.5}")


# Per-output metrics and `evaluate(return_dict=True)`
base = build_model()
features = base.get_layer("hidden").output
parity = layers.Dense(1, activation="sigmoid", name="even")(features)
two_heads = keras.Model(base.input, {"digit": base.output, "even": parity})
two_heads.compile(
    optimizer="adam",
    loss={"digit": "sparse_categorical_crossentropy", "even": "binary_crossentropy"},
    metrics={"digit": ["accuracy"], "even": ["accuracy"]},
)
targets = {"digit": y_train, "even": (y_train % 2 == 0).astype("float32")}
two_heads.fit(x_train, targets, epochs=1, batch_size=100, verbose=0)
test_targets = {"digit": y_test, "even": (y_test % 2 == 0).astype("float32")}
results = two_heads.evaluate(x_test, test_targets, verbose=0, return_dict=True)
print("evaluate(return_dict=True):", sorted(results))


# Feed it data: NumPy, `tf.data`, `PyDataset` and `DataLoader`
class Batches(keras.utils.PyDataset):
    """The arrays `x` and `y`, in batches of `batch_size`."""

    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))

    def __getitem__(self, index):
        batch = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[batch], self.y[batch]


class BatchCounter(keras.callbacks.Callback):
    """Count the batches of one fit."""

    def on_train_begin(self, logs=None):
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1


dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000, seed=0).batch(100)
sources = {
    "NumPy arrays": {"x": x_train, "y": y_train, "batch_size": 100},
    "tf.data.Dataset": {"x": dataset, "shuffle": False},
    "PyDataset": {"x": Batches(x_train, y_train, batch_size=100)},
}
if importlib.util.find_spec("torch"):
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    pairs = TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train))
    loader = DataLoader(pairs, batch_size=100, shuffle=True, generator=torch.Generator().manual_seed(0))
    sources["DataLoader"] = {"x": loader, "shuffle": False}
else:
    print("DataLoader: PyTorch is not installed here, so this cell skips it")
for name, data in sources.items():
    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    counter = BatchCounter()
    model.fit(**data, epochs=1, callbacks=[counter], verbose=0)
    accuracy = model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    print(f"{name:16} batches: {counter.batches}, test accuracy: {accuracy:.3f}")


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model.fit(dataset.take(1), epochs=1, verbose=0)
print("warning:", str(caught[0].message).split(". ")[0])


# Add to the loss: override `compute_loss`
class ConfidentModel(keras.Model):
    """A functional model whose loss rewards spread-out predictions."""

    def __init__(self, *args, penalty=0.1, **kwargs):
        super().__init__(*args, **kwargs)
        self.penalty = penalty
        self.entropy_tracker = keras.metrics.Mean(name="entropy")

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = super().compute_loss(x, y, y_pred, sample_weight, training)
        log_p = keras.ops.log(keras.ops.clip(y_pred, 1e-7, 1.0))
        entropy = -keras.ops.mean(keras.ops.sum(y_pred * log_p, axis=-1))
        self.entropy_tracker.update_state(entropy)
        return loss - self.penalty * entropy

    @property
    def metrics(self):
        return [*super().metrics, self.entropy_tracker]


plain = build_model()
confident = ConfidentModel(plain.input, plain.output)
confident.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = confident.fit(x_train, y_train, validation_split=0.1, epochs=2, batch_size=100, verbose=0)
print("history:", sorted(history.history))


# Write the step yourself: `train_step` and `test_step`
model = build_model()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
x, y = x_train[:100], y_train[:100]


if keras.backend.backend() == "tensorflow":
    with tf.GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = model.compute_loss(x=x, y=y, y_pred=y_pred)
    gradients = tape.gradient(loss, model.trainable_variables)
    print("gradients:", len(gradients), type(gradients[0]).__name__)


if keras.backend.backend() == "jax":
    import jax


    def loss_of(trainable_variables):
        y_pred, _ = model.stateless_call(trainable_variables, non_trainable_variables, x, training=True)
        loss, _ = model.stateless_compute_loss(
            trainable_variables, non_trainable_variables, metrics_variables, x=x, y=y, y_pred=y_pred
        )
        return loss


    trainable_variables = [variable.value for variable in model.trainable_variables]
    non_trainable_variables = [variable.value for variable in model.non_trainable_variables]
    metrics_variables = [variable.value for variable in model.metrics_variables]
    gradients = jax.grad(loss_of)(trainable_variables)
    print("gradients:", len(gradients), type(gradients[0]).__name__)


if keras.backend.backend() == "torch":
    model.zero_grad()
    y_pred = model(x, training=True)
    loss = model.compute_loss(x=x, y=y, y_pred=y_pred)
    loss.backward()
    gradients = [variable.value.grad for variable in model.trainable_variables]
    print("gradients:", len(gradients), type(gradients[0]).__name__)


if keras.backend.backend() == "tensorflow":
    class StepModel(keras.Model):
        """A model whose fit() and evaluate() run the two steps below."""

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply(gradients, self.trainable_variables)
            return self.update_metrics(loss, y, y_pred)

        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, training=False)
            return self.update_metrics(loss, y, y_pred)

        def update_metrics(self, loss, y, y_pred):
            for metric in self.metrics:  # the loss tracker, then compile()'s metrics
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {metric.name: metric.result() for metric in self.metrics}


if keras.backend.backend() == "jax":
    import jax


    class StepModel(keras.Model):
        """A model whose fit() and evaluate() run the two steps below."""

        def loss_and_updates(self, trainable, non_trainable, metrics_variables, x, y, training):
            y_pred, non_trainable = self.stateless_call(trainable, non_trainable, x, training=training)
            loss, (trainable, non_trainable, metrics_variables) = self.stateless_compute_loss(
                trainable, non_trainable, metrics_variables, x=x, y=y, y_pred=y_pred, training=training
            )
            return loss, (y_pred, non_trainable, metrics_variables)

        def train_step(self, state, data):
            trainable, non_trainable, optimizer_variables, metrics_variables = state
            x, y = data
            gradient_fn = jax.value_and_grad(self.loss_and_updates, has_aux=True)
            (loss, (y_pred, non_trainable, metrics_variables)), gradients = gradient_fn(
                trainable, non_trainable, metrics_variables, x, y, training=True
            )
            trainable, optimizer_variables = self.optimizer.stateless_apply(
                optimizer_variables, gradients, trainable
            )
            logs, metrics_variables = self.update_metrics(metrics_variables, loss, y, y_pred)
            return logs, (trainable, non_trainable, optimizer_variables, metrics_variables)

        def test_step(self, state, data):
            trainable, non_trainable, metrics_variables = state
            x, y = data
            loss, (y_pred, non_trainable, metrics_variables) = self.loss_and_updates(
                trainable, non_trainable, metrics_variables, x, y, training=False
            )
            logs, metrics_variables = self.update_metrics(metrics_variables, loss, y, y_pred)
            return logs, (trainable, non_trainable, metrics_variables)

        def update_metrics(self, metrics_variables, loss, y, y_pred):
            logs, updated = {}, []
            for metric in self.metrics:  # the loss tracker, then compile()'s metrics
                own = metrics_variables[len(updated) : len(updated) + len(metric.variables)]
                if metric.name == "loss":
                    own = metric.stateless_update_state(own, loss)
                else:
                    own = metric.stateless_update_state(own, y, y_pred)
                logs[metric.name] = metric.stateless_result(own)
                updated += own
            return logs, updated


if keras.backend.backend() == "torch":
    import torch


    class StepModel(keras.Model):
        """A model whose fit() and evaluate() run the two steps below."""

        def train_step(self, data):
            x, y = data
            self.zero_grad()  # PyTorch adds new gradients to old ones: clear the last step's
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
            loss.backward()
            gradients = [variable.value.grad for variable in self.trainable_variables]
            with torch.no_grad():
                self.optimizer.apply(gradients, self.trainable_variables)
            return self.update_metrics(loss, y, y_pred)

        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, training=False)
            return self.update_metrics(loss, y, y_pred)

        def update_metrics(self, loss, y, y_pred):
            for metric in self.metrics:  # the loss tracker, then compile()'s metrics
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {metric.name: metric.result() for metric in self.metrics}


start = build_model()
weights = start.get_weights()
stepped = StepModel(start.input, start.output)
builtin = build_model()
builtin.set_weights(weights)
histories = {}
for name, model in [("StepModel", stepped), ("built-in", builtin)]:
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x_train, y_train, validation_split=0.1, epochs=2, batch_size=100, shuffle=False, verbose=0
    )
    histories[name] = history.history
print("history:", sorted(histories["StepModel"]))
print("evaluate:", sorted(stepped.evaluate(x_test, y_test, verbose=0, return_dict=True)))
same = np.allclose(histories["StepModel"]["val_loss"], histories["built-in"]["val_loss"], atol=1e-4)
print("val_loss as with the built-in steps:", same)


# `predict()` or calling the model
model = build_model()
predicted = model.predict(x_test[:5], verbose=0)
called = model(x_test[:5])
print("predict() returns:", type(predicted).__name__)
print("model(x) returns: ", type(called).__name__)
print("same values:", np.allclose(predicted, keras.ops.convert_to_numpy(called), atol=1e-6))


seen = []


class Peek(layers.Layer):
    """Pass the input through, noting the type of tensor call() receives."""

    def call(self, inputs):
        seen.append(type(inputs).__name__)
        return inputs


for run_eagerly in (False, True):
    inputs = keras.Input(shape=(784,))
    outputs = layers.Dense(10, activation="softmax")(Peek()(inputs))
    peeking = keras.Model(inputs, outputs)
    peeking.compile(optimizer="adam", loss="sparse_categorical_crossentropy", run_eagerly=run_eagerly)
    seen.clear()
    peeking.fit(x_train[:200], y_train[:200], batch_size=100, epochs=1, verbose=0)
    print(f"run_eagerly={run_eagerly}: call() saw {sorted(set(seen))}")


# On your own
# 1. Write a callback that stops training as soon as the validation accuracy
#    reaches 0.92: set `self.model.stop_training = True` in `on_epoch_end`.

class StopAt(keras.callbacks.Callback):
    def __init__(self, target):
        super().__init__()
        self.target = target

    def on_epoch_end(self, epoch, logs=None):
        if logs["val_accuracy"] >= self.target:
            self.model.stop_training = True


model = build_model()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(
    x_train,
    y_train,
    validation_split=0.1,
    epochs=30,
    batch_size=100,
    callbacks=[StopAt(0.92)],
    verbose=0,
)
val_accuracy = history.history["val_accuracy"]
print("reached 0.92:", val_accuracy[-1] >= 0.92)
print("stopped at the first epoch that did:", all(value < 0.92 for value in val_accuracy[:-1]))


# 2. Save a checkpoint after every epoch, with the epoch number in the file
#    name (`ModelCheckpoint("epoch_{epoch:02d}.keras")`), and list the files.

model = build_model()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
checkpoint = keras.callbacks.ModelCheckpoint("epoch_{epoch:02d}.keras")
model.fit(x_train, y_train, epochs=3, batch_size=100, callbacks=[checkpoint], verbose=0)
print(sorted(name for name in os.listdir() if name.startswith("epoch_")))


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
