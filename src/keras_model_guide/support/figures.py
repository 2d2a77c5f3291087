"""Figures for the pages: training curves, and MNIST digits side by side."""

import numpy as np
from matplotlib.figure import Figure


def plot_history(history, compare=None):
    """Plot each metric of a `History` per epoch; `compare` (the post's log) is dashed.

    >>> figure = plot_history({"loss": [0.4, 0.2], "categorical_accuracy": [0.9, 0.95]})
    >>> [axes.get_title() for axes in figure.axes]
    ['loss', 'categorical_accuracy']
    >>> len(plot_history({"loss": [0.4, 0.2]}, compare={"loss": [0.5, 0.3]}).axes[0].lines)
    2
    """
    logs = getattr(history, "history", history)
    # Figure() rather than pyplot: no global state, nothing left open between cells.
    figure = Figure(figsize=(4.2 * len(logs), 3.2), layout="constrained")
    row = figure.subplots(1, len(logs), squeeze=False)[0]
    for axes, (metric, values) in zip(row, logs.items(), strict=True):
        epochs = range(1, len(values) + 1)
        axes.plot(epochs, values, marker="o", label="this build")
        if compare and len(compare.get(metric, [])) == len(values):
            axes.plot(epochs, compare[metric], marker="s", linestyle="--", label="original post")
            axes.legend()
        axes.set_title(metric)
        axes.set_xlabel("epoch")
        axes.set_xticks(list(epochs))
        axes.grid(alpha=0.3)
    return figure


def plot_digits(rows, columns=8):
    """Draw MNIST images as a grid: one row per entry of `rows`, labelled by its key.

    >>> digits = np.zeros((8, 784), dtype="float32")
    >>> len(plot_digits({"original": digits, "rebuilt": digits}).axes)
    16
    """
    figure = Figure(figsize=(columns, 1.1 * len(rows)), layout="constrained")
    grid = figure.subplots(len(rows), columns, squeeze=False)
    for axes_row, (label, images) in zip(grid, rows.items(), strict=True):
        for column, axes in enumerate(axes_row):
            axes.imshow(np.reshape(images[column], (28, 28)), cmap="gray", vmin=0, vmax=1)
            axes.set_xticks([])
            axes.set_yticks([])
        axes_row[0].set_ylabel(label)
    return figure
