"""Build a translated page only from a catalog the build can trust, and from its own .po.

Before a translated build reads any page, each catalog of the language is checked
(keras_model_guide.tools.catalogs): gettext syntax as strictly as ``msgfmt --check`` reads it (Babel
took an unterminated quote and published the title without its last syllable), and every
msgstr keeping its msgid's links, code spans, emphasis and roles, with its markup closed.
Each problem is a warning at ``FILE.po:LINE`` (an error under ``-W``), and every page that
uses the catalog (all of them, for the interface catalog ``sphinx.po``) is left out of the
output, as translation_gate leaves out a page with a missing translation.

Compiled ``.mo`` files are derived data. Sphinx recompiles one only when it is older than
its ``.po``, so a ``.po`` restored from git (older than its ``.mo``) or a damaged ``.mo``
was published as it was. Here each trusted catalog is compiled and its ``.mo`` replaced
(atomically) whenever it differs.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from keras_model_guide.tools import catalogs

logger = logging.getLogger(__name__)

_untrusted: set[str] = set()  # domains (catalog names) of this build that failed the check


def _shown(path: Path) -> str:
    return catalogs._shown(path)


def _check(app: Sphinx) -> None:
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


def _untrusted_docs(app: Sphinx) -> list[str]:
    if not _untrusted:
        return []
    if "sphinx" in _untrusted:
        return sorted(app.env.found_docs)
    compact = app.config.gettext_compact
    return sorted(
        doc for doc in app.env.found_docs if docname_to_domain(doc, compact) in _untrusted
    )


def _drop_pages(app: Sphinx, exception: Exception | None) -> None:
    """Remove the pages built from a catalog that failed the check."""
    docs = _untrusted_docs(app)
    if exception is not None or not docs or not hasattr(app.builder, "get_outfilename"):
        return
    for doc in docs:
        Path(app.builder.get_outfilename(doc)).unlink(missing_ok=True)
    logger.info(
        "not kept, because their %s catalog failed its check: %s",
        app.config.language,
        ", ".join(_shown(Path(app.builder.get_outfilename(doc))) for doc in docs),
    )


def _drop_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Remove the downloads (notebook_files) of those pages: their prose comes from the catalog."""
    if exception is not None or app.builder.format != "html":
        return
    for doc in _untrusted_docs(app):
        for suffix in (".ipynb", ".py"):
            Path(app.outdir, f"{doc}{suffix}").unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, object]:
    """Check the catalogs once Sphinx knows the language; drop the pages at the end."""
    # Sphinx compiles the page catalogs when the build starts, after this.
    app.connect("builder-inited", _check)
    # Before the search indexes the pages that are left (pagefind_search, priority 500).
    app.connect("build-finished", _drop_pages, priority=400)
    app.connect("build-finished", _drop_downloads, priority=700)  # after notebook_files
    return {"parallel_read_safe": True, "parallel_write_safe": True}
