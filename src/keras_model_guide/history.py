"""A figure of a training run: loss and accuracy per epoch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
