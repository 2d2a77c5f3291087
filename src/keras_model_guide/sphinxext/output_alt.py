"""Give every image a notebook cell draws a real ``alt`` text, in the page's language.

MyST-NB turns an image output into an image node without ``alt``, and Sphinx then
writes the file name instead (``alt="_images/3f2a….svg"``), which a screen reader
reads out as noise. Before each page is written, this fills in what the build knows:

1. an ``alt`` the cell sets itself (``:mystnb: {image: {alt: …}}``) is kept: it says
   what the figure shows, and the page's catalog translates it (conf.py keeps PNG
   outputs in the gettext build so that the alt reaches the catalog);
2. an image inside a figure takes the figure's caption;
3. a Graphviz model plot (SVG) is described from the drawing itself: its layers, their
   types and how they connect, which is what a sighted reader gets from it;
4. any other image says what drew it and where: the code cell above, in section «…».

Why not a package: MyST-NB passes on an ``alt`` a cell sets by hand and nothing more;
no package describes a Graphviz drawing in words.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The sentences, per language; English is the fallback for any other build.
TEXT = {
    "en": {
        "chain": "Model plot with {count} layers, in order: {layers}.",
        "graph": "Model plot with {count} layers: {layers}. Connections: {edges}.",
        "figure": "Figure drawn by the code cell above, in the section “{section}”.",
        "list_sep": ", ",
    },
    "ko": {
        "chain": "레이어 {count}개로 된 모델 그림. 입력부터 차례로: {layers}.",
        "graph": "레이어 {count}개로 된 모델 그림. 레이어: {layers}. 연결: {edges}.",
        "figure": "“{section}” 절에서 위 코드 셀이 그린 그림.",
        "list_sep": ", ",
    },
}


def _local(tag: str) -> str:
    """``{http://www.w3.org/2000/svg}g`` -> ``g``: Graphviz and graphviz-pure differ."""
    return tag.rsplit("}", 1)[-1]


def describe_model_plot(svg: str, language: str) -> str | None:
    """Describe a Keras model plot drawn by Graphviz, or return None for any other SVG.

    Graphviz writes each layer as ``<g class="node">`` whose first texts are the name and
    ``(Type)``, and each arrow as ``<g class="edge"><title>a->b</title>``.
    """
    try:
        root = ET.fromstring(svg)  # the build's own output, not untrusted input
    except ET.ParseError:
        return None
    names: dict[str, str] = {}  # Graphviz node id -> "name (Type)"
    edges: list[tuple[str, str]] = []
    for group in root.iter():
        if _local(group.tag) != "g":
            continue
        kind = group.get("class")
        title = next((el.text or "" for el in group if _local(el.tag) == "title"), "")
        if kind == "node":
            texts = [el.text or "" for el in group.iter() if _local(el.tag) == "text"]
            label = texts[0] + (texts[1] if len(texts) > 1 and texts[1].strip()[:1] == "(" else "")
            names[title] = " ".join(label.split())
        elif kind == "edge" and "->" in title:
            tail, head = title.split("->", 1)
            edges.append((tail.strip(), head.strip()))
    if not names:
        return None
    text = TEXT.get(language, TEXT["en"])
    labels = list(names.values())
    order = list(names)
    is_chain = edges == list(itertools.pairwise(order))
    if is_chain:
        return text["chain"].format(count=len(labels), layers=" → ".join(labels))
    arrows = [
        f"{names.get(a, a).split(' (')[0]} → {names.get(b, b).split(' (')[0]}" for a, b in edges
    ]
    return text["graph"].format(
        count=len(labels),
        layers=text["list_sep"].join(labels),
        edges=text["list_sep"].join(arrows),
    )


def _in_cell_output(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if "cell_output" in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


def _section_title(node: nodes.Node) -> str:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.children:
            return parent[0].astext()
        parent = parent.parent
    return ""


def alt_text(app: Sphinx, image: nodes.image) -> str:
    """The alt text for one output image, by the rules in the module docstring."""
    language = app.config.language or "en"
    text = TEXT.get(language, TEXT["en"])
    figure = image.parent if isinstance(image.parent, nodes.figure) else None
    captions = list(figure.findall(nodes.caption)) if figure else []
    if captions:
        return captions[0].astext()
    path = Path(app.srcdir, image["uri"])
    if path.suffix == ".svg" and path.is_file():
        description = describe_model_plot(path.read_text(encoding="utf-8"), language)
        if description:
            return description
    return text["figure"].format(section=_section_title(image))


def _fill_alt(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for image in doctree.findall(nodes.image):
        if image.get("alt") or not _in_cell_output(image):
            continue
        image["alt"] = alt_text(app, image)
        logger.debug("alt for %s: %s", image["uri"], image["alt"])


def setup(app: Sphinx) -> dict[str, object]:
    """Fill in alt texts on every page just before it is written."""
    app.connect("doctree-resolved", _fill_alt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
