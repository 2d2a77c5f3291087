"""Translate the word "module" in the general index's module entries.

Sphinx's Python domain writes each module's index entry as the English text
``module; <name>`` (sphinx/domains/python/__init__.py, ``PyModule.run``) instead of
passing the word through its catalog, so the Korean index listed every module as
"module". This transform swaps in the translated word before the index domain collects
the entries (its ``SphinxDomains`` transform runs at priority 850).
"""

from __future__ import annotations

from typing import Any

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.transforms import SphinxTransform

ENGLISH = "module; "


class TranslateModuleEntries(SphinxTransform):
    """``module; keras_model_guide.mnist`` -> ``모듈; keras_model_guide.mnist``."""

    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        """Rewrite the pair entries that start with the English word."""
        if self.config.language == "en":
            return
        word = _("module")
        for node in self.document.findall(addnodes.index):
            node["entries"] = [
                (kind, f"{word}; {text.removeprefix(ENGLISH)}", *rest)
                if kind == "pair" and text.startswith(ENGLISH)
                else (kind, text, *rest)
                for kind, text, *rest in node["entries"]
            ]


def setup(app: Sphinx) -> dict[str, object]:
    """Register the transform."""
    app.add_transform(TranslateModuleEntries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
