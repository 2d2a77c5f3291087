"""What each page's HTML carries beyond Sphinx's own: for readers, search engines, phones.

**The description**, for search results and link previews, stated once under the title::

    ```{description}
    Build a Keras model with two inputs and two outputs ...
    ```

It is the ``meta`` node of docutils' ``meta`` directive (which MyST cannot run), so the
gettext builder extracts it like a paragraph and the translation gate holds the Korean
build until it is translated. It also replaces sphinxext-opengraph's ``og:description``
(the first paragraph, cut at 200 characters). A page without one is a warning.

**Alt text** for every image a code cell draws, in the page's language (MyST-NB leaves
``alt`` empty and Sphinx writes the file name): an ``alt`` the cell sets
(``:mystnb: {image: {alt: …}}``, translated by the catalog) is kept; else a figure's
caption; else, for a Graphviz model plot, its layers and how they connect, read from the
SVG; else what drew it and in which section.

**Image sizes.** ``width``/``height`` on every image, so the text below does not jump
when it loads (Lighthouse: unsized-images); an image more than :data:`LAZY_AFTER_CHARS`
characters down the page gets ``loading="lazy"`` (offscreen-images).

**Accessible HTML.** A toctree caption is ``<p class="caption" role="heading">`` without
the ``aria-level`` ARIA requires (axe: aria-required-attr): sphinx-doc/sphinx#14030, open,
fix proposed in sphinx-doc/sphinx#14437; drop ``AccessibleHTMLTranslator`` once a release
writes the level. A folded cell's ``<summary>`` (MyST-NB's ``hide-input``) carries an
English ``aria-label`` that is not its visible text (axe: label-content-name-mismatch);
here its visible text, translated, is its name, in a ``<span>`` (a ``<summary>`` holds
phrasing content only). No MyST-NB issue tracks this yet.

**Lean highlighting.** With this site's Pygments styles (``a11y-light``/``a11y-dark``),
names, punctuation and whitespace are drawn in the code block's own colour, yet their
``<span>`` s were half the elements of a page with code (Lighthouse: dom-size). They are
written as plain text; which token types qualify is computed from the configured styles.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path
from typing import IO

from docutils import nodes
from docutils.parsers.rst import Directive
from myst_nb.sphinx_ import HideCodeCellNode
from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import Name, Punctuation, Text, Token, Whitespace, _TokenType
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.images import get_image_size
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

# -- The description --------------------------------------------------------------------


class DescriptionDirective(Directive):
    """``{description}``: the page's one-sentence summary, for ``<meta name="description">``."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        """Return a ``meta`` node holding the content as one line of text."""
        text = " ".join(" ".join(self.content).split())
        if not text:
            raise self.error("the description is empty")
        node = nodes.meta(name="description", content=text)
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        return [node]


def _description_nodes(doctree: nodes.Node) -> list[nodes.Element]:
    return [node for node in doctree.findall(nodes.meta) if node.get("name") == "description"]


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    """Store the (already translated) description as the page's og:description."""
    if app.builder.name == "gettext":
        return
    docname = app.env.docname
    found = _description_nodes(doctree)
    if not found:
        logger.warning(
            "page has no description: add a {description} directive under its title",
            location=docname,
            type="description",
        )
        return
    if len(found) > 1:
        logger.warning("page has more than one description", location=found[1])
    description = " ".join(found[0]["content"].split())
    app.env.metadata[docname]["og:description"] = description


def _clean(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop Sphinx's bookkeeping flag, which would become an invalid HTML attribute."""
    for node in _description_nodes(doctree):
        node.attributes.pop("translated", None)


# -- Alt text -------------------------------------------------------------------------

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


# -- Image sizes ----------------------------------------------------------------------

#: Text before an image beyond which it is off the first screen on any device. A phone
#: (412 px wide, Lighthouse's mobile preset) shows about 600 characters of this site's
#: prose under the header and the page title; 1,500 leaves room for a wide desktop.
LAZY_AFTER_CHARS = 1500

#: CSS pixels per unit, for the units Graphviz and matplotlib write on an SVG's root.
CSS_PX = {
    "": 1.0,
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 9.6 / 2.54,
}

_LENGTH = re.compile(r"^\s*([0-9.]+)\s*([a-z]*)\s*$")


def svg_size(svg: str) -> tuple[int, int] | None:
    """The size in CSS pixels at which a browser draws ``svg`` in an ``<img>``.

    >>> svg_size('<svg xmlns="http://www.w3.org/2000/svg" width="188pt" height="75pt"/>')
    (251, 100)
    >>> svg_size('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 30"/>')
    (40, 30)
    """
    try:
        root = ET.fromstring(svg)  # the build's own output, not untrusted input
    except ET.ParseError:
        return None
    size: list[int] = []
    for attribute in ("width", "height"):
        match = _LENGTH.match(root.get(attribute, ""))
        if not match or match[2] not in CSS_PX:
            size = []
            break
        size.append(round(float(match[1]) * CSS_PX[match[2]]))
    if size:
        return size[0], size[1]
    box = root.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        return round(float(box[2])), round(float(box[3]))
    return None


def image_size(path: Path) -> tuple[int, int] | None:
    """An image file's size in CSS pixels, or None when it cannot be read."""
    if path.suffix.lower() == ".svg":
        try:
            return svg_size(path.read_text(encoding="utf-8"))
        except OSError:
            return None
    size = get_image_size(path)
    return (int(size[0]), int(size[1])) if size else None


def _size_images(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    seen = 0  # characters of text before the current node, in reading order
    for node in doctree.findall():
        if isinstance(node, nodes.Text):
            seen += len(node)
            continue
        if not isinstance(node, nodes.image) or "://" in node["uri"]:
            continue
        if not ("width" in node or "height" in node or "scale" in node):
            size = image_size(Path(app.srcdir, node["uri"]))
            if size is None:
                logger.warning(
                    "cannot read the size of %s", node["uri"], location=node, type="image_size"
                )
            else:
                node["width"], node["height"] = (str(value) for value in size)
        if seen > LAZY_AFTER_CHARS:
            node.setdefault("loading", "lazy")


# -- Accessible HTML ------------------------------------------------------------------

#: The level of a toctree caption: it sits under the page's one <h1>.
CAPTION_LEVEL = "2"


class AccessibleHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 writer, with ``aria-level`` on toctree captions."""

    def visit_title(self, node: nodes.title) -> None:
        """Write titles as Sphinx does, adding ``aria-level`` to toctree captions."""
        super().visit_title(node)
        parent = node.parent
        if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
            # Sphinx has just written '<p class="caption" role="heading">' and a <span>.
            for index in range(len(self.body) - 1, -1, -1):
                if self.body[index].startswith("<p ") and 'role="heading"' in self.body[index]:
                    self.body[index] = self.body[index].replace(
                        'role="heading"', f'role="heading" aria-level="{CAPTION_LEVEL}"', 1
                    )
                    break


def visit_folded_cell(self: HTML5Translator, node: HideCodeCellNode) -> None:
    """Open a folded cell as MyST-NB does, with no aria-label over the summary's text."""
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n')
    self.body.append("<summary>\n")
    for state, prompt in (("collapsed", "prompt_show"), ("expanded", "prompt_hide")):
        text = escape(_(node[prompt]))
        # <span>, not MyST-NB's <p>: a <summary> holds phrasing content only (Nu checker).
        self.body.append(f'<span class="{state} admonition-title">{text}</span>\n')
    self.body.append("</summary>\n")


def depart_folded_cell(self: HTML5Translator, node: HideCodeCellNode) -> None:
    """Close a folded cell."""
    self.body.append("</details>\n")


# -- Lean highlighting ----------------------------------------------------------------

#: Token types worth checking: the ones code is mostly made of.
CANDIDATES = (Name, Punctuation, Whitespace, Text.Whitespace)


def plain_token_types(styles: Iterable[str | type[Style]]) -> frozenset[_TokenType]:
    """Candidates drawn exactly like plain text (no colour, weight or background) by every style.

    >>> sorted(str(t) for t in plain_token_types(["a11y-light", "a11y-dark"]))
    ['Token.Name', 'Token.Punctuation', 'Token.Text.Whitespace']
    """
    plain = set(CANDIDATES)
    for name in styles:
        style = get_style_by_name(name) if isinstance(name, str) else name
        text = style.style_for_token(Text)
        plain = {token for token in plain if style.style_for_token(token) == text}
    return frozenset(plain)


class LeanHtmlFormatter(HtmlFormatter):
    """Pygments' HTML formatter, writing the tokens in ``plain`` as unwrapped text."""

    plain: frozenset[_TokenType] = frozenset()

    def format_unencoded(
        self, tokensource: Iterable[tuple[_TokenType, str]], outfile: IO[str]
    ) -> None:
        """Format as usual, after turning plain-looking tokens into ``Token.Text``."""

        def tokens() -> Iterator[tuple[_TokenType, str]]:
            for token, value in tokensource:
                yield (Token.Text if token in self.plain else token), value

        super().format_unencoded(tokens(), outfile)


def _install_lean_formatter(app: Sphinx) -> None:
    highlighter = getattr(app.builder, "highlighter", None)
    if highlighter is None or app.builder.format != "html":
        return
    # The style classes Sphinx resolved (it knows names Pygments does not, like "sphinx").
    styles = [highlighter.formatter_args["style"]]
    dark = getattr(app.builder, "dark_highlighter", None)
    if dark is not None:
        styles.append(dark.formatter_args["style"])
    # Furo draws dark mode from its own setting, not from Sphinx's dark highlighter.
    furo_dark = getattr(app.config, "pygments_dark_style", None)
    if furo_dark:
        styles.append(highlighter.get_style(furo_dark))
    plain = plain_token_types(styles)
    formatter = type("LeanHtmlFormatter", (LeanHtmlFormatter,), {"plain": plain})
    highlighter.formatter = formatter
    logger.verbose("lean highlighting: plain text for %s", ", ".join(sorted(map(str, plain))))


def setup(app: Sphinx) -> dict[str, object]:
    """Register the description, and rewrite each page's HTML as the docstring says."""
    app.setup_extension("sphinxext.opengraph")  # it writes the og:description set here
    app.add_directive("description", DescriptionDirective)
    app.connect("doctree-read", _collect)
    app.connect("doctree-resolved", _clean)
    app.connect("doctree-resolved", _fill_alt)
    app.connect("doctree-resolved", _size_images)
    app.add_node(HideCodeCellNode, override=True, html=(visit_folded_cell, depart_folded_cell))
    for builder in ("html", "dirhtml", "singlehtml"):
        app.set_translator(builder, AccessibleHTMLTranslator, override=True)
    app.connect("builder-inited", _install_lean_formatter)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
