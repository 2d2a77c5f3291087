"""Fail a translated build when any message has no translation.

Sphinx silently falls back to English for a message missing from the catalogs (or
marked fuzzy, since ``gettext_allow_fuzzy_translations`` is off). Sphinx's own
i18n transform marks each translatable node ``translated=True/False``; this
extension turns every ``False`` into a warning, which ``-W`` makes an error. So an
English edit can never leave a stale Korean page behind unnoticed.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _sphinx_labels() -> set[str]:
    """Field labels of the Python domain, as Sphinx's own catalog already translated them."""
    english = ("Parameters", "Variables", "Raises", "Returns", "Return type")
    return {_(label) for label in english} - set(english)


def _translated_elsewhere(node: nodes.Element, labels: set[str]) -> bool:
    """Say whether Sphinx translated ``node`` itself without marking it translated."""
    if isinstance(node, addnodes.toctree):
        # The caption is swapped in from the catalog, but the node keeps translated=False.
        caption = node.get("caption")
        return not caption or caption != node.get("rawcaption")
    return isinstance(node, nodes.field_name) and node.astext() in labels


def _warn_untranslated(app: Sphinx, doctree: nodes.document) -> None:
    if app.config.language == "en" or app.builder.name == "gettext":
        return
    labels = _sphinx_labels()
    for node in doctree.findall(nodes.Element):
        if node.get("translated") is False and not _translated_elsewhere(node, labels):
            # A page description (a meta node) has no text, only its content attribute.
            text = " ".join((node.astext() or node.get("content", "")).split())
            logger.warning(
                "no %s translation: %.80r (run `nox -s translations`, then translate "
                "the new entries in docs/locales/%s/LC_MESSAGES)",
                app.config.language,
                text,
                app.config.language,
                location=node,
                type="i18n",
                subtype="untranslated",
            )


def setup(app: Sphinx) -> dict[str, object]:
    """Register the check on every read document."""
    app.connect("doctree-read", _warn_untranslated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
