"""Build a GAN from two models, and train it on every backend

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/gan.html
(한국어: https://keras-model-guide.readthedocs.io/ko/gan.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python gan.py`.

Generated from docs/gan.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python gan.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Build a GAN from two models, and train it on every backend: the code of the Keras Model guide's page, run as a script."
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
from keras import layers, ops

keras.utils.set_random_seed(0)


# Two models: a generator and a discriminator
def load_small_digits(count=10000):
    """Load `count` MNIST training images at 14 x 14 pixels: 196 values in [0, 1] each."""
    (images, _), _ = keras.datasets.mnist.load_data()
    # Average each 2 x 2 block of pixels: a quarter of the values, so the GAN learns faster.
    images = images[:count].reshape(-1, 14, 2, 14, 2).mean(axis=(2, 4))
    return (images / 255).reshape(-1, 196).astype("float32")


def build_generator(latent_dim=32):
    """Build the generator: `latent_dim` random numbers in, an image of 196 pixels out."""
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(196, activation="sigmoid"),
        ],
        name="generator",
    )


def build_discriminator(activation="sigmoid"):
    """Build the discriminator: an image in, the probability that it is real out.

    With `activation=None` it gives the logit instead, for a loss with `from_logits=True`.
    """
    return keras.Sequential(
        [
            keras.Input(shape=(196,)),
            layers.Dense(128),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Dense(1, activation=activation),
        ],
        name="discriminator",
    )


images = load_small_digits()
generator = build_generator()
discriminator = build_discriminator()
print("images:", images.shape)
print("generator:", generator.input_shape, "->", generator.output_shape)
print("discriminator:", discriminator.input_shape, "->", discriminator.output_shape)


real_labels = np.ones((2, 1))
logits = np.array([[-20.0], [-30.0]], dtype="float32")
probabilities = layers.Activation("sigmoid")(logits)
from_probabilities = keras.losses.binary_crossentropy(real_labels, probabilities)
from_logits = keras.losses.binary_crossentropy(real_labels, logits, from_logits=True)
print("loss from the probabilities:", np.round(ops.convert_to_numpy(from_probabilities), 3))
print("loss from the logits:       ", np.round(ops.convert_to_numpy(from_logits), 3))


# Combine them into one model
def combine(generator, discriminator):
    """Join the two models into one: noise -> generator -> discriminator."""
    noise = keras.Input(shape=generator.input_shape[1:], name="noise")
    return keras.Model(noise, discriminator(generator(noise)), name="gan")


gan = combine(generator, discriminator)
print([layer.name for layer in gan.layers])
print("same discriminator:", gan.get_layer("discriminator") is discriminator)
print("same generator:", gan.get_layer("generator") is generator)
chain = keras.Sequential([generator, discriminator])  # the same chain, written as a list
print("as a Sequential:", [layer.name for layer in chain.layers], chain.output_shape)


# The Keras 2 recipe
def weights_changed(model, before):
    """Return True if any weight of `model` differs from `before`, a `get_weights()` list."""
    after = model.get_weights()
    return any(not np.array_equal(old, new) for old, new in zip(before, after, strict=True))


discriminator.compile(optimizer="adam", loss="binary_crossentropy")
discriminator.trainable = False  # meant for the combined model only
gan.compile(optimizer="adam", loss="binary_crossentropy")


rng = np.random.default_rng(0)
real = images[:128]
noise = rng.standard_normal((128, 32), dtype="float32")
with warnings.catch_warnings(record=True) as caught:
    d_before, g_before = discriminator.get_weights(), generator.get_weights()
    fake = ops.convert_to_numpy(generator(noise))
    discriminator.train_on_batch(
        np.concatenate([real, fake]), np.concatenate([np.ones((128, 1)), np.zeros((128, 1))])
    )
    print("D's step:      D changed:", weights_changed(discriminator, d_before))
    print("               G changed:", weights_changed(generator, g_before))

    d_before, g_before = discriminator.get_weights(), generator.get_weights()
    gan.train_on_batch(noise, np.ones((128, 1)))
    print("combined step: D changed:", weights_changed(discriminator, d_before))
    print("               G changed:", weights_changed(generator, g_before))
for warning in caught:
    print(f"warning: {warning.category.__name__}: {warning.message}")
print("warnings:", len(caught))


import textwrap

discriminator.trainable = True  # Too late: D's first step was built with no weights.
d_before = discriminator.get_weights()
with warnings.catch_warnings(record=True):
    try:
        discriminator.train_on_batch(
            np.concatenate([real, fake]), np.concatenate([np.ones((128, 1)), np.zeros((128, 1))])
        )
    except ValueError as error:
        print("D's step again: ValueError:", textwrap.shorten(str(error), 70))
    else:
        print("D's step again: D changed:", weights_changed(discriminator, d_before))


discriminator.compile(optimizer="adam", loss="binary_crossentropy")  # a new optimizer
d_before = discriminator.get_weights()
discriminator.fit(
    np.concatenate([real, fake]),
    np.concatenate([np.ones((128, 1)), np.zeros((128, 1))]),
    batch_size=256,  # all 256 images in one batch: one step
    verbose=0,
)
print("after a new compile(): D changed:", weights_changed(discriminator, d_before))


# One model that trains both: `train_step` and `fit()`
class GAN(keras.Model):
    """A generator and a discriminator that fit() trains against each other."""

    def __init__(self, generator, discriminator):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = generator.input_shape[1]
        self.seed_generator = keras.random.SeedGenerator(0)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.built = True  # Its two models are built, and it has no call() to build it by.

    def compile(self, d_optimizer, g_optimizer, loss_fn, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]


if keras.backend.backend() == "tensorflow":
    import tensorflow as tf


    class StepGAN(GAN):
        def train_step(self, real_images):
            batch_size = ops.shape(real_images)[0]
            noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            images = ops.concatenate([real_images, self.generator(noise)])
            labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))])
            with tf.GradientTape() as tape:
                d_loss = self.loss_fn(labels, self.discriminator(images, training=True))
            gradients = tape.gradient(d_loss, self.discriminator.trainable_weights)
            self.d_optimizer.apply(gradients, self.discriminator.trainable_weights)

            noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            with tf.GradientTape() as tape:
                verdict = self.discriminator(self.generator(noise, training=True))
                g_loss = self.loss_fn(ops.ones((batch_size, 1)), verdict)
            gradients = tape.gradient(g_loss, self.generator.trainable_weights)
            self.g_optimizer.apply(gradients, self.generator.trainable_weights)

            self.d_loss_tracker.update_state(d_loss)
            self.g_loss_tracker.update_state(g_loss)
            return {metric.name: metric.result() for metric in self.metrics}


if keras.backend.backend() == "jax":
    import jax


    class StepGAN(GAN):
        def compile(self, d_optimizer, g_optimizer, loss_fn, **kwargs):
            super().compile(d_optimizer, g_optimizer, loss_fn, **kwargs)
            d_optimizer.build(self.discriminator.trainable_variables)
            g_optimizer.build(self.generator.trainable_variables)
            # On JAX, fit() passes the model's variables from step to step as `state`, with the
            # variables of Model.compile's one optimizer only. Kept as the model's own, the two
            # optimizers' variables travel in `state` too.
            self.optimizer_variables = [*d_optimizer.variables, *g_optimizer.variables]

        def train_step(self, state, real_images):
            trainable, non_trainable, optimizer_variables, metrics_variables = state
            mapping = [
                *zip(self.trainable_variables, trainable),
                *zip(self.non_trainable_variables, non_trainable),
                *zip(self.metrics_variables, metrics_variables),
            ]
            # In a StatelessScope, a variable reads its value from `state`, and an assignment
            # (an optimizer step, a tracker update) is recorded instead of made.
            with keras.StatelessScope(state_mapping=mapping) as scope:
                batch_size = ops.shape(real_images)[0]
                noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
                images = ops.concatenate([real_images, self.generator(noise)])
                labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))])
                d_loss = self.train_network(
                    self.discriminator,
                    self.d_optimizer,
                    images,
                    lambda verdict: self.loss_fn(labels, verdict),
                )

                noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
                misleading = ops.ones((batch_size, 1))
                g_loss = self.train_network(
                    self.generator,
                    self.g_optimizer,
                    noise,
                    lambda fake: self.loss_fn(misleading, self.discriminator(fake)),
                )

                self.d_loss_tracker.update_state(d_loss)
                self.g_loss_tracker.update_state(g_loss)
                logs = {metric.name: metric.result() for metric in self.metrics}
            state = (
                [scope.get_current_value(variable) for variable in self.trainable_variables],
                [scope.get_current_value(variable) for variable in self.non_trainable_variables],
                optimizer_variables,
                [scope.get_current_value(variable) for variable in self.metrics_variables],
            )
            return logs, state

        def train_network(self, network, optimizer, inputs, loss_of_output):
            """One step of `optimizer` on `network`'s weights, down the gradient of the loss."""

            def loss_of(weights, others):
                output, others = network.stateless_call(weights, others, inputs, training=True)
                return loss_of_output(output), others

            weights = [variable.value for variable in network.trainable_variables]
            others = [variable.value for variable in network.non_trainable_variables]
            (loss, others), gradients = jax.value_and_grad(loss_of, has_aux=True)(weights, others)
            optimizer.apply(gradients, network.trainable_variables)
            # Keep what the call updated, such as a Dropout's seed or BatchNormalization's means.
            for variable, value in zip(network.non_trainable_variables, others):
                variable.assign(value)
            return loss


if keras.backend.backend() == "torch":
    import torch


    class StepGAN(GAN):
        def train_step(self, real_images):
            batch_size = ops.shape(real_images)[0]
            noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            with torch.no_grad():  # The discriminator's step needs no gradient of the generator.
                images = ops.concatenate([real_images, self.generator(noise)])
            labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))])
            self.zero_grad()  # PyTorch adds new gradients to old ones: clear the last step's.
            d_loss = self.loss_fn(labels, self.discriminator(images, training=True))
            d_loss.backward()
            gradients = [variable.value.grad for variable in self.discriminator.trainable_weights]
            with torch.no_grad():
                self.d_optimizer.apply(gradients, self.discriminator.trainable_weights)

            noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            self.zero_grad()
            verdict = self.discriminator(self.generator(noise, training=True))
            g_loss = self.loss_fn(ops.ones((batch_size, 1)), verdict)
            g_loss.backward()
            gradients = [variable.value.grad for variable in self.generator.trainable_weights]
            with torch.no_grad():
                self.g_optimizer.apply(gradients, self.generator.trainable_weights)

            self.d_loss_tracker.update_state(d_loss)
            self.g_loss_tracker.update_state(g_loss)
            return {metric.name: metric.result() for metric in self.metrics}


class DrawSamples(keras.callbacks.Callback):
    """After every epoch, keep what the generator makes from the same random numbers."""

    def __init__(self, noise):
        super().__init__()
        self.noise = noise
        self.samples = []

    def on_epoch_end(self, epoch, logs=None):
        self.samples.append(ops.convert_to_numpy(self.model.generator(self.noise)))


keras.utils.set_random_seed(0)
model = StepGAN(build_generator(), build_discriminator(activation=None))  # logits out
model.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.001, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.001, beta_1=0.5),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
d_before, g_before = model.discriminator.get_weights(), model.generator.get_weights()
draw = DrawSamples(np.random.default_rng(1).standard_normal((32, 32), dtype="float32"))
history = model.fit(images, epochs=8, batch_size=128, callbacks=[draw], verbose=0)
print("logged:", sorted(history.history), "for", len(history.history["d_loss"]), "epochs")
print("D changed:", weights_changed(model.discriminator, d_before))
print("G changed:", weights_changed(model.generator, g_before))
steps = model.d_optimizer.iterations.numpy(), model.g_optimizer.iterations.numpy()
print("steps of the two optimizers:", [int(count) for count in steps])
print("sample grids drawn:", len(draw.samples))


print("weights:", len(model.weights), "of which trainable:", len(model.trainable_weights))


# Digits from random numbers
from matplotlib.figure import Figure


def plot_samples(rows_of_samples, columns=8):
    """Draw rows of 14 x 14 images in a grid, without titles or axes."""
    figure = Figure(figsize=(0.75 * columns, 0.75 * len(rows_of_samples)), layout="constrained")
    grid = figure.subplots(len(rows_of_samples), columns)
    for axes_row, samples in zip(grid, rows_of_samples, strict=True):
        for axes, sample in zip(axes_row, samples[:columns], strict=True):
            axes.imshow(sample.reshape(14, 14), cmap="gray", vmin=0, vmax=1)
            axes.set_axis_off()
    return figure


plot_samples([draw.samples[0], draw.samples[3], draw.samples[-1]])


# If you keep two models: a loop that trains on every backend
def discriminator_step(generator, discriminator, real, noise):
    """Teach the discriminator: `real` images are labelled 1, generated ones 0.

    The discriminator must be trainable while it trains: Keras 3.15 builds a model's
    training step at its first training call after `compile()`, from the `trainable`
    flags of that moment.
    """
    fake = keras.ops.convert_to_numpy(generator(noise))
    images = np.concatenate([real, fake])
    labels = np.concatenate([np.ones((len(real), 1)), np.zeros((len(fake), 1))])
    discriminator.trainable = True
    return discriminator.train_on_batch(images, labels)


def generator_step(discriminator, gan, noise):
    """Teach the generator through the combined model, with the discriminator frozen.

    The target is "real" (1): the generator learns to make the discriminator say so.
    """
    discriminator.trainable = False
    return gan.train_on_batch(noise, np.ones((len(noise), 1)))


keras.utils.set_random_seed(0)
generator = build_generator()
discriminator = build_discriminator()
gan = combine(generator, discriminator)
discriminator.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.001, beta_1=0.5), loss="binary_crossentropy"
)
discriminator.trainable = False  # The Keras 2 order: frozen when the combined model compiles.
gan.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.001, beta_1=0.5), loss="binary_crossentropy"
)


with warnings.catch_warnings(record=True) as caught:
    for round_ in (1, 2):
        print(f"round {round_}")
        d_before, g_before = discriminator.get_weights(), generator.get_weights()
        discriminator_step(generator, discriminator, real, noise)
        print("D's step:      D changed:", weights_changed(discriminator, d_before))
        print("               G changed:", weights_changed(generator, g_before))

        d_before, g_before = discriminator.get_weights(), generator.get_weights()
        generator_step(discriminator, gan, noise)
        print("combined step: D changed:", weights_changed(discriminator, d_before))
        print("               G changed:", weights_changed(generator, g_before))
print("warnings:", len(caught))


# What `compile()` does, and what the post said about it
print("gan holds the discriminator itself:", gan.get_layer("discriminator") is discriminator)
print("one optimizer each:", gan.optimizer is not discriminator.optimizer)


# On your own
# 1. Count the trainable weights of `gan` with the discriminator frozen
#    and unfrozen. Which number does the combined model's step see?

discriminator.trainable = False
print("discriminator frozen:", len(gan.trainable_weights), "trainable weights")
discriminator.trainable = True
print("discriminator trainable:", len(gan.trainable_weights), "trainable weights")
# generator_step sets `discriminator.trainable = False` first: it sees the generator's 4.


# 2. Does the discriminator that `fit()` trained still tell
#    real digits from generated ones? Compare its average
#    output on 128 real images with that on 128 generated ones.

fakes = model.generator(np.random.default_rng(2).standard_normal((128, 32), dtype="float32"))
real_verdicts = ops.sigmoid(model.discriminator(images[-128:]))  # its logits, as probabilities
fake_verdicts = ops.sigmoid(model.discriminator(fakes))
print(f"real images:      {ops.convert_to_numpy(real_verdicts).mean():.2f}")
print(f"generated images: {ops.convert_to_numpy(fake_verdicts).mean():.2f}")
# A discriminator that had won would say 1.00 and 0.00; a generator that had won, 0.50 each.


# 3. Leave out `discriminator.trainable = False` in the generator's
#    step: build fresh models, compile them, and run one combined
#    step with the discriminator trainable. Which models change?

generator2, discriminator2 = build_generator(), build_discriminator()
gan2 = combine(generator2, discriminator2)
gan2.compile(optimizer="adam", loss="binary_crossentropy")
d_before, g_before = discriminator2.get_weights(), generator2.get_weights()
gan2.fit(noise, np.ones((128, 1)), batch_size=128, verbose=0)  # one step
print("combined step: D changed:", weights_changed(discriminator2, d_before))
print("               G changed:", weights_changed(generator2, g_before))
# Both: the discriminator learns to call generated images real, the opposite of its job.


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
