"""Figures for the pages: training curves, and MNIST digits side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure


def plot_history(
    history: Any, *, compare: Mapping[str, Sequence[float]] | None = None, label: str = "this build"
) -> Figure:
    """Plot each metric of ``history`` (a ``History`` or its ``.history`` dict) per epoch.

    ``compare`` draws a second run's metrics (for example the post's numbers) dashed.

    >>> figure = plot_history({"loss": [0.4, 0.2], "categorical_accuracy": [0.9, 0.95]})
    >>> [axes.get_title() for axes in figure.axes]
    ['loss', 'categorical_accuracy']
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping) or not logs:
        raise ValueError(
            "plot_history() needs the History that model.fit() returns (or its .history "
            f"dict of metric lists); got {type(history).__name__}."
        )
    # Figure() rather than pyplot: no global state, nothing left open between cells.
    figure = Figure(figsize=(4.2 * len(logs), 3.2), layout="constrained")
    for axes, (metric, values) in zip(
        figure.subplots(1, len(logs), squeeze=False)[0], logs.items(), strict=True
    ):
        epochs = range(1, len(values) + 1)
        axes.plot(epochs, values, marker="o", label=label)
        if compare and metric in compare:
            axes.plot(epochs, compare[metric], marker="s", linestyle="--", label="original post")
            axes.legend()
        axes.set_title(metric)
        axes.set_xlabel("epoch")
        axes.set_xticks(list(epochs))
        axes.grid(alpha=0.3)
    return figure


def plot_digits(rows: Mapping[str, np.ndarray], *, columns: int = 8) -> Figure:
    """Draw MNIST images as a grid: one row per entry of ``rows``, labelled by its key.

    Each array holds images of 784 pixels (or 28x28) in [0, 1], such as test digits
    and what an autoencoder rebuilt from them.

    >>> digits = np.zeros((8, 784), dtype="float32")
    >>> figure = plot_digits({"original": digits, "rebuilt": digits})
    >>> len(figure.axes)
    16
    """
    if not rows:
        raise ValueError("plot_digits() needs at least one row, e.g. {'original': images}.")
    figure = Figure(figsize=(columns, 1.1 * len(rows)), layout="constrained")
    grid = figure.subplots(len(rows), columns, squeeze=False)
    for axes_row, (label, images) in zip(grid, rows.items(), strict=True):
        for column, axes in enumerate(axes_row):
            axes.imshow(np.reshape(images[column], (28, 28)), cmap="gray", vmin=0, vmax=1)
            axes.set_xticks([])
            axes.set_yticks([])
        axes_row[0].set_ylabel(label)
    return figure
