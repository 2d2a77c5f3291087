"""A GAN on MNIST from two models: a generator, a discriminator, and the two combined."""

import keras
import numpy as np
from keras import layers


def load_small_digits(count=10000):
    """Load `count` MNIST training images at 14 x 14 pixels: 196 values in [0, 1] each.

    >>> images = load_small_digits(100)
    >>> images.shape, images.dtype.name
    ((100, 196), 'float32')
    """
    (images, _), _ = keras.datasets.mnist.load_data()
    # Average each 2 x 2 block of pixels: a quarter of the values, so the GAN learns faster.
    images = images[:count].reshape(-1, 14, 2, 14, 2).mean(axis=(2, 4))
    return (images / 255).reshape(-1, 196).astype("float32")


def build_generator(latent_dim=32):
    """Build the generator: `latent_dim` random numbers in, an image of 196 pixels out.

    >>> build_generator().output_shape
    (None, 196)
    """
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

    >>> build_discriminator().output_shape
    (None, 1)
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


def combine(generator, discriminator):
    """Join the two models into one: noise -> generator -> discriminator.

    >>> gan = combine(build_generator(), build_discriminator())
    >>> [layer.name for layer in gan.layers]
    ['noise', 'generator', 'discriminator']
    """
    noise = keras.Input(shape=generator.input_shape[1:], name="noise")
    return keras.Model(noise, discriminator(generator(noise)), name="gan")


def weights_changed(model, before):
    """Return True if any weight of `model` differs from `before`, a `get_weights()` list.

    >>> model = build_discriminator()
    >>> weights_changed(model, model.get_weights())
    False
    """
    after = model.get_weights()
    return any(not np.array_equal(old, new) for old, new in zip(before, after, strict=True))


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
