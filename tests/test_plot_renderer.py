"""The build's `dot` (src/keras_model_guide/offline/bin/dot): what it hands graphviz-pure.

How the labels look in a browser is measured in tests/browser/test_model_plots.py; these
fast checks hold the wrapper to what that measurement relies on.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from keras_model_guide import offline

# A node as keras.utils.model_to_dot writes it: an HTML table in Helvetica.
LAYER = (
    "digraph G {\n"
    'node1234567890 [label=<<table border="0" cellborder="1" cellpadding="10"><tr><td>'
    '<font point-size="14">Output shape: <b>(None, 784)</b></font></td></tr></table>>, '
    "fontname=Helvetica];\n"
    "subgraph cluster_encoder { label=encoder; node1234567890; }\n"
    "}\n"
)


def render(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    graph = tmp_path / "graph.dot"
    graph.write_text(LAYER, encoding="utf-8")
    return subprocess.run(
        ["dot", *args, str(graph)], env=offline.environ(), capture_output=True, check=False
    )


def test_svg_text_asks_for_the_font_whose_widths_the_layout_used(tmp_path: Path) -> None:
    svg = render(tmp_path, "-Tsvg").stdout.decode()
    assert "graphviz-pure" in svg
    families = {part.split('"')[0] for part in svg.split('font-family="')[1:]}
    # Node labels and the cluster's title alike: no Helvetica, no default Times.
    assert families == {"DejaVu Sans,sans-serif"}, families
    assert "1234567890" not in svg  # Keras's id() names are numbered


def test_a_failed_render_fails(tmp_path: Path) -> None:
    (tmp_path / "broken.dot").write_text("digraph {", encoding="utf-8")
    result = subprocess.run(
        ["dot", "-Tsvg", str(tmp_path / "broken.dot")],
        env=offline.environ(),
        capture_output=True,
        check=False,
    )
    assert result.returncode != 0


def test_png_keeps_keras_font(tmp_path: Path) -> None:
    """graphviz-pure draws PNG text itself, in a font with Helvetica's widths."""
    result = render(tmp_path, "-Tpng")
    assert result.returncode == 0
    assert result.stdout.startswith(b"\x89PNG")
