"""The post's experiment as one function, to run unchanged on any Keras backend."""

import keras
import numpy as np

from keras_model_guide.lessons.reuse import functional_from_layers, shared_layers
from keras_model_guide.lessons.sequential import build_mlp, compile_like_post, load_mnist


def run_post_experiment(epochs=5):
    """Train the post's MLP, build `model1` from its layers, refit, and report the results.

    >>> result = run_post_experiment(epochs=0)  # No training: only the sharing check.
    >>> result["parameters"], result["layers shared"], result["model1 changed"]
    (472042, 4, True)
    >>> keras.backend.clear_session()  # Start the next example with fresh layer names.
    """
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
