"""The numbers the original blog post printed, quoted for comparison tables.

These are the post's own results (Keras 2, TensorFlow 1, 2018), kept as data so a
page can set them beside the numbers its own build computes. Nothing here is a
result of this project.
"""

from __future__ import annotations

#: Per-epoch training log of the post's Sequential model (5 epochs, batch 500).
POST_HISTORY: dict[str, list[float]] = {
    "loss": [0.4589, 0.1492, 0.0983, 0.0712, 0.0515],
    "categorical_accuracy": [0.8673, 0.9570, 0.9716, 0.9784, 0.9844],
}

#: The post's ``evaluate`` results for each split, as ``[loss, categorical_accuracy]``.
POST_EVALUATION: dict[str, tuple[float, float]] = {
    "train": (0.041054270681467921, 0.98849090910824866),
    "test": (0.078584650909528139, 0.97660000000000002),
}

#: Parameter counts printed by the post's ``summary()`` calls.
POST_PARAMS: dict[str, int] = {
    "sequential": 472_042,
    "multi_io": 5_200_610,
}
