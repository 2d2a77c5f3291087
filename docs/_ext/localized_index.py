"""Translate the word "module" in the general index's module entries.

Sphinx's Python domain writes each module's index entry as the English text
``module; <name>`` (sphinx/domains/python/__init__.py, ``PyModule.run``) instead of
passing the word through its catalog, so the Korean index listed every module as
"module". This swaps in the translated word when a document is read.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _

ENGLISH = "module; "


def _translate_module_entries(app: Sphinx, doctree: nodes.document) -> None:
    if app.config.language == "en":
        return
    word = _("module")
    for node in doctree.findall(addnodes.index):
        node["entries"] = [
            (kind, f"{word}; {text.removeprefix(ENGLISH)}", *rest)
            if kind == "pair" and text.startswith(ENGLISH)
            else (kind, text, *rest)
            for kind, text, *rest in node["entries"]
        ]


def setup(app: Sphinx) -> dict[str, object]:
    """Register the swap on every read document."""
    app.connect("doctree-read", _translate_module_entries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
