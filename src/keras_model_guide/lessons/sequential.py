"""The post's Sequential model for MNIST: the data, the model and how it is trained."""

import keras
from keras import layers


def load_mnist():
    """Load MNIST the way the post used it: 784 values in [0, 1] per image, one-hot labels.

    >>> (x_train, y_train), (x_test, y_test) = load_mnist()
    >>> x_train.shape, y_train.shape, x_test.shape, y_test.shape
    ((60000, 784), (60000, 10), (10000, 784), (10000, 10))
    """
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)
    y_test = keras.utils.to_categorical(y_test, 10)
    return (x_train, y_train), (x_test, y_test)


def build_mlp():
    """Build the post's 784-512-128-32-10 network as a `Sequential` model.

    >>> model = build_mlp()
    >>> model.count_params(), [layer.name for layer in model.layers]
    (472042, ['hidden_1', 'hidden_2', 'features', 'digit'])
    """
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
    """Compile `model` with the post's optimizer, loss and metric.

    >>> model = build_mlp()
    >>> compile_like_post(model)
    >>> model.optimizer.name, model.optimizer.epsilon, model.loss
    ('adam', 1e-08, 'categorical_crossentropy')
    """
    model.compile(
        # The post's Adam: its betas are Keras 3's defaults, its epsilon is not.
        optimizer=keras.optimizers.Adam(learning_rate=0.001, epsilon=1e-8),
        loss="categorical_crossentropy",
        metrics=["categorical_accuracy"],
    )
