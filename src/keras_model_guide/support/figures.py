"""Figures for the pages: training curves, and MNIST digits side by side.

The figures carry no words: no title, legend or axis label. A page's outputs are
executed once and shared by the English and the Korean build, so any word drawn here
would show in English on the Korean page. What a reader needs to read a figure (which
panel is which metric, which line is which run, which row is which) is said in the
page's prose beside it, which is translated.
"""

import numpy as np
from matplotlib.figure import Figure


def plot_history(history, compare=None):
    """Plot each metric of a `History` per epoch, one panel each, the loss first.

    The other metrics follow in the order of their keys (Keras lists them alphabetically).
    This run is a solid line with circles; `compare` (the post's log), when given, a
    dashed line with squares. The x axis counts epochs from 1.

    >>> figure = plot_history({"categorical_accuracy": [0.9, 0.95], "loss": [0.4, 0.2]})
    >>> [axes.lines[0].get_ydata().tolist() for axes in figure.axes]
    [[0.4, 0.2], [0.9, 0.95]]
    >>> [axes.get_title() for axes in figure.axes]
    ['', '']
    >>> axes = plot_history({"loss": [0.4, 0.2]}, compare={"loss": [0.5, 0.3]}).axes[0]
    >>> [line.get_linestyle() for line in axes.lines], axes.get_legend(), axes.get_xlabel()
    (['-', '--'], None, '')
    """
    logs = getattr(history, "history", history)
    logs = {metric: logs[metric] for metric in sorted(logs, key=lambda metric: metric != "loss")}
    # Figure() rather than pyplot: no global state, nothing left open between cells.
    figure = Figure(figsize=(4.2 * len(logs), 3.2), layout="constrained")
    row = figure.subplots(1, len(logs), squeeze=False)[0]
    for axes, (metric, values) in zip(row, logs.items(), strict=True):
        epochs = range(1, len(values) + 1)
        axes.plot(epochs, values, marker="o")
        if compare and len(compare.get(metric, [])) == len(values):
            axes.plot(epochs, compare[metric], marker="s", linestyle="--")
        axes.set_xticks(list(epochs))
        axes.grid(alpha=0.3)
    return figure


def plot_digits(rows, columns=8):
    """Draw MNIST images as a grid, one row per array in `rows`, top to bottom.

    >>> digits = np.zeros((8, 784), dtype="float32")
    >>> figure = plot_digits([digits, digits])
    >>> len(figure.axes), {axes.get_ylabel() for axes in figure.axes}
    (16, {''})
    """
    figure = Figure(figsize=(columns, 1.1 * len(rows)), layout="constrained")
    grid = figure.subplots(len(rows), columns, squeeze=False)
    for axes_row, images in zip(grid, rows, strict=True):
        for column, axes in enumerate(axes_row):
            axes.imshow(np.reshape(images[column], (28, 28)), cmap="gray", vmin=0, vmax=1)
            axes.set_xticks([])
            axes.set_yticks([])
    return figure
