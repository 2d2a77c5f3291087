"""Model plots as SVG: ``keras.utils.model_to_dot`` rendered by Graphviz.

The system ``dot`` renders when it is on ``PATH``; otherwise ``graphviz-pure`` (a PyPI
package, installed with this one) does, so a pip-only machine still draws every plot.
``keras.utils.plot_model`` cannot use graphviz-pure: it probes Graphviz with ``-Tps``.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path

import keras

from .checks import require_built


def find_renderer() -> str:
    """Return the Graphviz program that will render plots: ``dot``, else ``graphviz-pure``.

    >>> Path(find_renderer()).name in {"dot", "graphviz-pure"}
    True
    """
    found = shutil.which("dot")
    # A Jupyter kernel or an IDE may not have the environment's bin folder on PATH,
    # so look for graphviz-pure beside this Python too.
    found = found or shutil.which("graphviz-pure")
    found = found or shutil.which("graphviz-pure", path=sysconfig.get_path("scripts"))
    if not found:
        raise RuntimeError(
            "No Graphviz renderer found for model plots. Either install Graphviz so that "
            "`dot` is on PATH (apt-get install graphviz, brew install graphviz), or "
            "`pip install graphviz-pure` into this Python environment."
        )
    return found


def model_svg(
    model: keras.Model,
    path: str | os.PathLike[str] | None = None,
    *,
    show_shapes: bool = True,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    show_layer_activations: bool = False,
) -> str:
    """Draw ``model`` as SVG text, with layer names and shapes; also write it to ``path``.

    ``rankdir`` is ``"TB"`` (top to bottom) or ``"LR"`` (left to right).

    >>> from keras_model_guide.sequential import build_mlp
    >>> svg = model_svg(build_mlp())
    >>> svg.startswith("<?xml"), "dense" in svg, "(None, 512)" in svg
    (True, True, True)
    """
    require_built(model)
    if rankdir not in {"TB", "LR"}:
        raise ValueError(f"rankdir must be 'TB' or 'LR', not {rankdir!r}.")
    graph = keras.utils.model_to_dot(
        model,
        show_shapes=show_shapes,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        show_layer_activations=show_layer_activations,
        # Three quarters of Graphviz's natural size suits a page column; dpi=None
        # would draw a stray "dpi" node instead.
        dpi=54,
    )
    svg = graph.create(prog=find_renderer(), format="svg").decode("utf-8")
    if path is not None:
        Path(path).write_text(svg, encoding="utf-8")
    return svg
