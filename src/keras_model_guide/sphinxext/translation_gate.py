"""Fail a translated build when any message has no translation, and say how to fix it.

Sphinx silently falls back to English for a message missing from the catalogs (or
marked fuzzy, since ``gettext_allow_fuzzy_translations`` is off). Sphinx's own
i18n transform marks each translatable node ``translated=True/False``; this
extension turns every ``False`` into a warning, which ``-W`` makes an error. So an
English edit can never leave a stale Korean page behind unnoticed.

Each warning quotes the whole English text on its own lines, names the catalog file that
should hold it, and says which of three states the entry is in, because each needs a
different next step:

* lost: git's HEAD has a translation for it, but the catalog on disk has not (an
  interrupted update, an editor's slip): restore the catalog from git, because
  ``nox -s translations`` would only add the entry back empty;
* missing: the catalogs predate the English edit: run ``nox -s translations``;
* empty: the entry is there, waiting for its Korean text;
* fuzzy: ``nox -s translations`` matched the edited English to the old entry and kept the
  old Korean, marked ``#, fuzzy``: check and edit the msgstr, then delete that line.

A page with such a message is not kept in the output (its HTML would show English in the
middle of Korean), and it is read again on the next build until it is complete.

The interface around the pages (the theme's and Sphinx's own words: "Skip to content",
"Next", the search page) comes from ``locales/<lang>/LC_MESSAGES/sphinx.po``. The gate
checks that catalog too: every entry translated and not fuzzy, and every message of the
project's templates (docs/_templates) translated, by that catalog or by Sphinx's own.
"""

from __future__ import annotations

import functools
import os
import textwrap
from pathlib import Path

from babel.messages.pofile import read_po
from docutils import nodes
from jinja2 import Environment
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import _, get_translator
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from keras_model_guide.tools import catalogs

logger = logging.getLogger(__name__)

UNTRANSLATED = "untranslated_docs"  # the BuildEnvironment attribute: docnames to redo


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


def _untranslated(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, UNTRANSLATED):
        setattr(env, UNTRANSLATED, set())
    return getattr(env, UNTRANSLATED)


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it (as Sphinx shows)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@functools.cache
def _translations(po: Path, mtime: float) -> frozenset[str]:
    """Every msgstr of ``po`` that a build uses (not fuzzy); ``mtime`` keys the cache."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    return frozenset(
        message.string
        for message in catalog
        if message.id and isinstance(message.string, str) and not message.fuzzy
    )


def _alt_translated(node: nodes.Element, translations: frozenset[str]) -> bool:
    """Say whether ``node`` is an image whose ``alt`` Sphinx replaced by its translation.

    Sphinx's Locale transform swaps an image's alt for the msgstr but leaves the node
    marked ``translated=False`` (sphinx/transforms/i18n.py, phase 2), so the alt itself
    tells: it is one of the catalog's translations.
    """
    return isinstance(node, nodes.image) and node.get("alt", "") in translations


@functools.cache
def _entries(po: Path, mtime: float) -> dict[str, tuple[bool, bool]]:
    """Map each msgid of ``po`` to (fuzzy, has a translation); ``mtime`` keys the cache."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    return {
        message.id: (message.fuzzy, bool(str(message.string).strip()))
        for message in catalog
        if message.id and isinstance(message.id, str)
    }


@functools.cache
def _at_head(po: Path, mtime: float) -> dict[str, str]:
    """The translations git's HEAD has for ``po``; ``mtime`` keys the cache."""
    return catalogs.translations(catalogs.at_head(po))


def advice(
    catalog: Path,
    entries: dict[str, tuple[bool, bool]] | None,
    msgid: str,
    head: dict[str, str] | None = None,
) -> str:
    """Say where the entry for ``msgid`` is, what state it is in and what to do.

    ``head`` holds the translations of the catalog in git's HEAD.

    >>> po = Path("docs/locales/ko/LC_MESSAGES/sequential.po")
    >>> print(advice(po, {"Old text.": (True, True)}, "Old text."))
    docs/locales/ko/LC_MESSAGES/sequential.po has this entry marked `#, fuzzy` (the English
    changed since it was translated): check its msgstr against the English above, edit it,
    then delete the `#, fuzzy` line above the entry.
    >>> print(advice(po, {}, "New text."))
    docs/locales/ko/LC_MESSAGES/sequential.po has no entry for it yet: run `nox -s
    translations` to add it, then write its msgstr.
    >>> print(advice(po, {}, "Old text.", {"Old text.": "옛 글"}))
    docs/locales/ko/LC_MESSAGES/sequential.po lost this entry's translation, which git's HEAD
    has: see `git diff docs/locales/ko/LC_MESSAGES/sequential.po` and restore it with `git
    checkout -- docs/locales/ko/LC_MESSAGES/sequential.po` (`nox -s translations` would add
    it back empty).
    """
    has_text = entries is not None and msgid in entries and entries[msgid][1]
    if head and msgid in head and not has_text:
        text = (
            f"{catalog} lost this entry's translation, which git's HEAD has: see `git diff "
            f"{catalog}` and restore it with `git checkout -- {catalog}` (`nox -s "
            "translations` would add it back empty)."
        )
    elif entries is None:
        text = (
            f"{catalog} does not exist: run `nox -s translations` to create it, then "
            "translate its entries."
        )
    elif msgid not in entries:
        text = (
            f"{catalog} has no entry for it yet: run `nox -s translations` to add it, then "
            "write its msgstr."
        )
    elif entries[msgid][0]:
        text = (
            f"{catalog} has this entry marked `#, fuzzy` (the English changed since it "
            "was translated): check its msgstr against the English above, edit it, then "
            "delete the `#, fuzzy` line above the entry."
        )
    else:
        text = f"{catalog} has this entry with an empty msgstr: write the translation there."
    return textwrap.fill(text, width=88, break_on_hyphens=False, break_long_words=False)


def _warn_untranslated(app: Sphinx, doctree: nodes.document) -> None:
    if app.config.language == "en" or app.builder.name == "gettext":
        return
    labels = _sphinx_labels()
    docname = app.env.docname
    domain = docname_to_domain(docname, app.config.gettext_compact)
    language = app.config.language
    locale_dir = Path(app.srcdir, app.config.locale_dirs[0])
    po = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
    translations = _translations(po, po.stat().st_mtime) if po.is_file() else frozenset()
    # The catalog's msgid for each node (for MyST pages, the block's Markdown source).
    msgids = {id(node): msgid for node, msgid in extract_messages(doctree)}
    untranslated = [
        # A page description (a meta node) has no text, only its content attribute.
        (node, msgids.get(id(node), node.astext() or node.get("content", "")))
        for node in doctree.findall(nodes.Element)
        if node.get("translated") is False
        and not _translated_elsewhere(node, labels)
        and not _alt_translated(node, translations)
    ]
    if not untranslated:
        return
    _untranslated(app.env).add(docname)
    entries = _entries(po, po.stat().st_mtime) if po.is_file() else None
    head = _at_head(po, po.stat().st_mtime if po.is_file() else 0.0)
    for node, msgid in untranslated:
        english = textwrap.indent(textwrap.fill(" ".join(msgid.split()), width=84), "    ")
        logger.warning(
            "no %s translation for:\n%s\n%s",
            language,
            english,
            textwrap.indent(advice(Path(_shown(po)), entries, msgid, head), "  "),
            location=node,
            type="i18n",
            subtype="untranslated",
        )


def _redo(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Read an incomplete page again, even when neither it nor its catalog changed."""
    return sorted(_untranslated(env) - added - changed - removed)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _untranslated(env).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    _untranslated(env).update(_untranslated(other) & docnames)


def _drop_incomplete_pages(app: Sphinx, exception: Exception | None) -> None:
    """Remove the pages just written with English in them; the warnings say why."""
    incomplete = sorted(_untranslated(app.env))
    if exception is not None or not incomplete or not hasattr(app.builder, "get_outfilename"):
        return
    for docname in incomplete:
        Path(app.builder.get_outfilename(docname)).unlink(missing_ok=True)
    logger.info(
        "not kept, because English would show where %s is missing: %s",
        app.config.language,
        ", ".join(_shown(Path(app.builder.get_outfilename(doc))) for doc in incomplete),
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
    """Register the checks (the interface once, then every page) and the clean-up."""
    app.connect("builder-inited", _warn_untranslated_interface)
    app.connect("doctree-read", _warn_untranslated)
    app.connect("env-get-outdated", _redo)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _drop_incomplete_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
