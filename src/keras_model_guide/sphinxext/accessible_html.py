"""Fix, where Sphinx writes it, the HTML that axe-core flags as inaccessible.

A toctree caption ("Contents" above a table of contents, in the sidebar and on the
home page) is written as ``<p class="caption" role="heading">`` with no level. ARIA
requires ``aria-level`` with ``role="heading"`` (axe: aria-required-attr, critical);
without it a screen reader announces a level-2 heading by accident, or none at all.
The caption heads a list of pages under the page title, so it is level 2.

Why not a package: it is a Sphinx bug (sphinx-doc/sphinx#14030, fix proposed in
sphinx-doc/sphinx#14437); delete this extension once a Sphinx release writes the level.

A folded code cell (MyST-NB's ``hide-input``) is a ``<details>`` whose ``<summary>``
says "Show code cell source" but carries ``aria-label="Toggle hidden content"``: a screen
reader announces a name that is not the visible text (axe: label-content-name-mismatch,
serious), and the label is English on every page. Here the summary's visible text, in
the page's language (sphinx.po), is its accessible name.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.writers.html5 import HTML5Translator

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


def setup(app: Sphinx) -> dict[str, object]:
    """Use the accessible translator for the HTML builders."""
    app.add_node(HideCodeCellNode, override=True, html=(visit_folded_cell, depart_folded_cell))
    for builder in ("html", "dirhtml", "singlehtml"):
        app.set_translator(builder, AccessibleHTMLTranslator, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
