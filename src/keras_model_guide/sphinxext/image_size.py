"""Write ``width``/``height`` on every image, and lazy-load the ones far down a page.

Without its size in the HTML, the browser learns an image's height only when the file
arrives, and the text below it jumps (Lighthouse: unsized-images; layout shift). The
build knows each size: model plots are Graphviz SVGs that state theirs in points, and
matplotlib PNGs have theirs in the file header. Furo's ``img {height: auto; max-width:
100%}`` keeps the ratio when a phone's screen is narrower than the image.

An image that starts more than :data:`LAZY_AFTER_CHARS` characters of text into the page
gets ``loading="lazy"``, so a phone fetches it only when the reader scrolls near it
(Lighthouse: offscreen-images). Images nearer the top load at once: a lazy image on the
first screen would delay the largest paint instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.images import get_image_size

logger = logging.getLogger(__name__)

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
    size = []
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


def setup(app: Sphinx) -> dict[str, object]:
    """Size (and where far down, lazy-load) every image just before its page is written."""
    app.connect("doctree-resolved", _size_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
