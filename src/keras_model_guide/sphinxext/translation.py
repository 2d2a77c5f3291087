"""A translated page is published only when all of it is translated, from a sound catalog.

**The gate.** Sphinx silently falls back to English for a message missing from the
catalogs, or fuzzy (``gettext_allow_fuzzy_translations`` is off). Its i18n transform marks
each translatable node ``translated=True/False``; every ``False`` becomes a warning (an
error under ``-W``) that quotes the English, names the catalog, and says which state the
entry is in, since each needs another next step:

* lost: git's HEAD has a translation the catalog on disk lacks: restore it from git
  (``nox -s translations`` would add the entry back empty);
* missing: the catalogs predate the English edit: run ``nox -s translations``;
* empty: the entry waits for its Korean text;
* fuzzy: the English changed under an old translation: check the msgstr, then delete the
  ``#, fuzzy`` line.

Such a page is not kept in the output (English would show in the middle of Korean) and is
read again on the next build until it is complete. The interface catalog (``sphinx.po``:
the theme's and Sphinx's words) must be complete too, and must translate every message
of the project's templates unless Sphinx's own catalog does.

**The catalogs.** Before a translated build reads any page, each catalog is checked
(:mod:`keras_model_guide.tools.catalogs`): syntax as strictly as ``msgfmt --check`` (Babel
took an unterminated quote and published a title without its last syllable), and every
msgstr keeping its msgid's links, code, emphasis and roles. A problem is a warning at
``FILE.po:LINE``, and the pages that use the catalog (all of them, for ``sphinx.po``) are
left out, with their downloads. Each sound catalog is compiled and its ``.mo`` replaced
whenever it differs: Sphinx recompiles a ``.mo`` only when it is older than its ``.po``,
so a ``.po`` restored from git, or a damaged ``.mo``, was published as it was.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

from babel.messages.pofile import read_po
from docutils import nodes
from jinja2 import Environment
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import get_translator
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from keras_model_guide.sphinxext import code_comments, notebook_files, pages
from keras_model_guide.tools import catalogs
from keras_model_guide.tools.catalogs import _shown

logger = logging.getLogger(__name__)

_untrusted: set[str] = set()  # domains (catalog names) of this build that failed the check


def _translated_elsewhere(node: nodes.Element) -> bool:
    """Say whether Sphinx translated a toctree's caption (it keeps ``translated=False``)."""
    caption = node.get("caption")
    return isinstance(node, addnodes.toctree) and (not caption or caption != node.get("rawcaption"))


def _alt_translated(node: nodes.Element, translations: set[str]) -> bool:
    """Say whether ``node`` is an image whose ``alt`` Sphinx replaced by its translation.

    Sphinx's Locale transform swaps an image's alt for the msgstr but leaves the node
    marked ``translated=False`` (sphinx/transforms/i18n.py, phase 2), so the alt itself
    tells: it is one of the catalog's translations.
    """
    return isinstance(node, nodes.image) and node.get("alt", "") in translations


@functools.cache
def _entries(po: Path, mtime: float) -> dict[str, tuple[bool, str]]:
    """Map each msgid of ``po`` to (fuzzy, its msgstr); ``mtime`` keys the cache."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: (m.fuzzy, str(m.string or "")) for m in catalog if m.id and isinstance(m.id, str)}


@functools.cache
def _at_head(po: Path, mtime: float) -> dict[str, str]:
    """The translations git's HEAD has for ``po``; ``mtime`` keys the cache."""
    return catalogs.translations(catalogs.at_head(po))


def advice(
    catalog: Path,
    entries: dict[str, tuple[bool, str]] | None,
    msgid: str,
    head: dict[str, str] | None = None,
) -> str:
    """Say where the entry for ``msgid`` is, what state it is in and what to do.

    ``head`` holds the translations of the catalog in git's HEAD.

    >>> po = Path("docs/locales/ko/LC_MESSAGES/sequential.po")
    >>> print(advice(po, {"Old text.": (True, "옛 글")}, "Old text."))
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
    has_text = entries is not None and msgid in entries and entries[msgid][1].strip()
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
    if app.builder.name == "gettext":
        return  # it extracts the code cells' messages from their nodes
    # The code cells' comments and docstrings, in place (an English page's stay as written).
    untranslated_code = [
        (node, message)
        for node, missing in code_comments.translate_cells(doctree)
        for message in missing
    ]
    if app.config.language == "en":
        return
    docname = app.env.docname
    domain = docname_to_domain(docname, app.config.gettext_compact)
    language = app.config.language
    locale_dir = Path(app.srcdir, app.config.locale_dirs[0])
    po = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
    entries = _entries(po, po.stat().st_mtime) if po.is_file() else None
    translations = {text for fuzzy, text in (entries or {}).values() if text and not fuzzy}
    # The catalog's msgid for each node (for MyST pages, the block's Markdown source).
    msgids = {id(node): msgid for node, msgid in extract_messages(doctree)}
    untranslated = untranslated_code + [
        # A page description (a meta node) has no text, only its content attribute.
        (node, msgids.get(id(node), node.astext() or node.get("content", "")))
        for node in doctree.findall(nodes.Element)
        if node.get("translated") is False
        and not _translated_elsewhere(node)
        and not _alt_translated(node, translations)
    ]
    if not untranslated:
        return
    pages(app.env, "untranslated")[docname] = True
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


def _check_catalogs(app: Sphinx) -> None:
    """Check every catalog of the language; rebuild each .mo that does not match its .po."""
    _untrusted.clear()
    config = app.config
    if config.language == "en" or app.builder.name == "gettext":
        return
    interface_rebuilt = False
    for locale_dir in config.locale_dirs:
        folder = Path(app.srcdir, locale_dir, config.language, "LC_MESSAGES")
        for po in sorted(folder.glob("*.po")):
            found = catalogs.problems(po)
            for line, problem in found:
                logger.warning(
                    "%s: edit the catalog; its %s pages stay unpublished until then",
                    problem,
                    config.language,
                    location=f"{_shown(po)}:{line}",
                    type="i18n",
                    subtype="untrusted",
                )
            if found:
                _untrusted.add(po.stem)
                continue
            mo = po.with_suffix(".mo")
            data = catalogs.compiled(po)
            if mo.is_file() and mo.read_bytes() == data:
                continue
            if mo.is_file():
                logger.info("rebuilt %s from %s: it did not match", _shown(mo), po.name)
            catalogs.replace_atomically(mo, data)
            interface_rebuilt |= po.stem == "sphinx"
    if interface_rebuilt:
        # Sphinx loaded the interface catalog before any extension ran; load it again.
        app._init_i18n()


def _unpublished(app: Sphinx) -> dict[str, str]:
    """Each page to leave out of the output -> why."""
    compact = app.config.gettext_compact
    untrusted = {
        doc: "their %s catalog failed its check"
        for doc in app.env.found_docs
        if "sphinx" in _untrusted or docname_to_domain(doc, compact) in _untrusted
    }
    untranslated = dict.fromkeys(
        pages(app.env, "untranslated"), "English would show where %s is missing"
    )
    return {**untranslated, **untrusted}


def _drop_pages(app: Sphinx, exception: Exception | None) -> None:
    """Remove the pages just written with English in them, or from an untrusted catalog."""
    dropped = _unpublished(app)
    if exception is not None or not dropped or not hasattr(app.builder, "get_outfilename"):
        return
    for reason in sorted(set(dropped.values())):
        docs = sorted(doc for doc, why in dropped.items() if why == reason)
        for doc in docs:
            Path(app.builder.get_outfilename(doc)).unlink(missing_ok=True)
        logger.info(
            "not kept, because " + reason + ": %s",
            app.config.language,
            ", ".join(_shown(Path(app.builder.get_outfilename(doc))) for doc in docs),
        )


def _drop_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Remove those pages' downloads (notebook_files): their prose comes from the catalog."""
    if exception is not None or app.builder.format != "html":
        return
    for doc in _unpublished(app):
        for file in (f"{doc}.ipynb", notebook_files.script_name(doc)):
            Path(app.outdir, file).unlink(missing_ok=True)


def _template_messages(folder: Path) -> dict[str, str]:
    """Every message of the templates under ``folder``, with the template that uses it."""
    jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    messages: dict[str, str] = {}
    for template in sorted(folder.rglob("*.html")):
        source = template.read_text(encoding="utf-8")
        for _line, _function, message in jinja.extract_translations(source):  # type: ignore[attr-defined]
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
    """Check the catalogs and the interface, then every page; drop what is incomplete."""
    app.setup_extension("keras_model_guide.sphinxext")  # the pages domain
    app.setup_extension("keras_model_guide.sphinxext.code_comments")  # messages of code cells
    # Sphinx compiles the page catalogs when the build starts, after this.
    app.connect("builder-inited", _check_catalogs)
    app.connect("builder-inited", _warn_untranslated_interface)
    app.connect("doctree-read", _warn_untranslated)
    # Before the search indexes the pages that are left (pagefind_search, priority 500),
    # and, for the downloads, after notebook_files writes them.
    app.connect("build-finished", _drop_pages, priority=400)
    app.connect("build-finished", _drop_downloads, priority=700)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 7}
