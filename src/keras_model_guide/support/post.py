"""The numbers the original blog post printed (Keras 2, TensorFlow 1, 2018).

Kept as data so a page can set them beside the numbers its own build computes;
nothing here is a result of this project.
"""

# Per-epoch training log of the post's Sequential model (5 epochs, batch 500).
POST_HISTORY = {
    "loss": [0.4589, 0.1492, 0.0983, 0.0712, 0.0515],
    "categorical_accuracy": [0.8673, 0.9570, 0.9716, 0.9784, 0.9844],
}

# The post's evaluate() results for each split, as (loss, categorical_accuracy).
POST_EVALUATION = {
    "train": (0.041054270681467921, 0.98849090910824866),
    "test": (0.078584650909528139, 0.97660000000000002),
}
