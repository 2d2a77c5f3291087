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
from keras import layers

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


def build_discriminator():
    """Build the discriminator: an image in, the probability that it is real out."""
    return keras.Sequential(
        [
            keras.Input(shape=(196,)),
            layers.Dense(128),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="discriminator",
    )


images = load_small_digits()
generator = build_generator()
discriminator = build_discriminator()
print("images:", images.shape)
print("generator:", generator.input_shape, "->", generator.output_shape)
print("discriminator:", discriminator.input_shape, "->", discriminator.output_shape)


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
    fake = keras.ops.convert_to_numpy(generator(noise))
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


# A recipe that trains on every backend
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


def train_gan(generator, discriminator, gan, images, *, steps, batch_size=128, seed=0):
    """Alternate the two steps `steps` times; return the last step's two losses."""
    rng = np.random.default_rng(seed)
    latent_dim = generator.input_shape[1]
    for _ in range(steps):
        real = images[rng.integers(0, len(images), batch_size)]
        noise = rng.standard_normal((batch_size, latent_dim), dtype="float32")
        d_loss = discriminator_step(generator, discriminator, real, noise)
        noise = rng.standard_normal((batch_size, latent_dim), dtype="float32")
        g_loss = generator_step(discriminator, gan, noise)
    return d_loss, g_loss


d_loss, g_loss = train_gan(generator, discriminator, gan, images, steps=600)
print(f"last step: discriminator loss {d_loss:.3f}, generator loss {g_loss:.3f}")


# Digits from random numbers
from matplotlib.figure import Figure


def plot_samples(samples, rows=4, columns=8):
    """Draw 14 x 14 images in a grid, without titles or axes."""
    figure = Figure(figsize=(0.75 * columns, 0.75 * rows), layout="constrained")
    for axes, sample in zip(figure.subplots(rows, columns).flat, samples, strict=True):
        axes.imshow(sample.reshape(14, 14), cmap="gray", vmin=0, vmax=1)
        axes.set_axis_off()
    return figure


sample_noise = np.random.default_rng(1).standard_normal((32, 32), dtype="float32")
plot_samples(keras.ops.convert_to_numpy(generator(sample_noise)))


# What `compile()` does, and what the post said about it
print("gan holds the discriminator itself:", gan.get_layer("discriminator") is discriminator)
print("one optimizer each:", gan.optimizer is not discriminator.optimizer)


# On your own
discriminator.trainable = False
print("discriminator frozen:", len(gan.trainable_weights), "trainable weights")
discriminator.trainable = True
print("discriminator trainable:", len(gan.trainable_weights), "trainable weights")
# generator_step sets `discriminator.trainable = False` first: it sees the generator's 4.


fakes = generator.predict_on_batch(np.random.default_rng(2).standard_normal((128, 32)))
print(f"real images:      {discriminator.predict_on_batch(images[-128:]).mean():.2f}")
print(f"generated images: {discriminator.predict_on_batch(fakes).mean():.2f}")
# A discriminator that had won would say 1.00 and 0.00; a generator that had won, 0.50 each.


generator2, discriminator2 = build_generator(), build_discriminator()
gan2 = combine(generator2, discriminator2)
gan2.compile(optimizer="adam", loss="binary_crossentropy")
d_before, g_before = discriminator2.get_weights(), generator2.get_weights()
gan2.train_on_batch(noise, np.ones((128, 1)))
print("combined step: D changed:", weights_changed(discriminator2, d_before))
print("               G changed:", weights_changed(generator2, g_before))
# Both: the discriminator learns to call generated images real, the opposite of its job.


# Further reading


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
