"""Fail a translated build when any message has no translation.

Sphinx silently falls back to English for a message missing from the catalogs (or
marked fuzzy, since ``gettext_allow_fuzzy_translations`` is off). Sphinx's own
i18n transform marks each translatable node ``translated=True/False``; this
extension turns every ``False`` into a warning, which ``-W`` makes an error. So an
English edit can never leave a stale Korean page behind unnoticed.

The interface around the pages (the theme's and Sphinx's own words: "Skip to content",
"Next", the search page) comes from ``locales/<lang>/LC_MESSAGES/sphinx.po``. The gate
checks that catalog too: every entry translated and not fuzzy, and every message of the
project's templates (docs/_templates) translated, by that catalog or by Sphinx's own.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from docutils import nodes
from jinja2 import Environment
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _, get_translator
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
            text = " ".join(node.astext().split())
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


def _template_messages(folder: Path) -> dict[str, str]:
    """Every message of the templates under ``folder``, with the template that uses it."""
    jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    messages: dict[str, str] = {}
    for template in sorted(folder.rglob("*.html")):
        source = template.read_text(encoding="utf-8")
        for _line, _function, message in jinja.extract_translations(source):
            for text in message if isinstance(message, tuple) else (message,):
                if text:
                    messages.setdefault(text, template.relative_to(folder).as_posix())
    return messages


def _warn_untranslated_interface(app: Sphinx) -> None:
    language = app.config.language
    if language == "en" or app.builder.name == "gettext":
        return
    for locale_dir in app.config.locale_dirs:
        path = Path(app.srcdir, locale_dir, language, "LC_MESSAGES", "sphinx.po")
        if not path.is_file():
            continue
        with path.open("rb") as file:
            catalog = read_po(file, locale=language)
        for message in catalog:
            if message.id and (not message.string or message.fuzzy):
                logger.warning(
                    "no %s translation of the interface text %r (%s)",
                    language,
                    message.id,
                    "fuzzy" if message.fuzzy else "empty",
                    location=f"{path}:{message.lineno}",
                    type="i18n",
                    subtype="untranslated",
                )
    translator = get_translator()  # the project's sphinx.po first, then Sphinx's own
    for folder in app.config.templates_path:
        for text, template in _template_messages(Path(app.srcdir, folder)).items():
            if translator.gettext(text) == text:
                logger.warning(
                    "no %s translation of %r, used in %s/%s (run `nox -s translations`, then "
                    "translate it in docs/locales/%s/LC_MESSAGES/sphinx.po)",
                    language,
                    text,
                    folder,
                    template,
                    language,
                    type="i18n",
                    subtype="untranslated",
                )


def setup(app: Sphinx) -> dict[str, object]:
    """Register the checks: the interface catalog once per build, then every document."""
    app.connect("builder-inited", _warn_untranslated_interface)
    app.connect("doctree-read", _warn_untranslated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
