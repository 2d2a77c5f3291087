"""The Sphinx extensions that build the guide's site (docs/conf.py lists them).

Each module is one extension; its docstring says what it does that no maintained package
does. Importing :mod:`keras_model_guide` never imports Sphinx: only this package does.

This module holds what the extensions remember about each page between builds, as a
Sphinx domain (as ``sphinx.ext.duration`` does): Sphinx forgets a page's entries when it
reads the page again (``clear_doc``) and merges the entries of pages read by ``-j``
workers (``merge_domaindata``). A page that failed to execute or has untranslated text is
read again on the next build, even when neither its source nor its catalog changed.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

#: What is kept per page: docname -> a value, for each kind.
KINDS = (
    "failed",  # a cell failed (execution): the build fails, the page runs again
    "untranslated",  # text without translation (translation): not published, read again
    "notebooks",  # an executed page (notebook_files): it has downloads
    "runs",  # its runs on the other backends (backend_runs): a PageRuns
)
REDO = ("failed", "untranslated")  # kinds whose pages are read again on the next build


class PagesDomain(Domain):
    """Per-page facts of the build, forgotten and merged with their pages."""

    name = "guide"
    label = "Keras Model guide build"
    initial_data: dict[str, Any] = {kind: {} for kind in KINDS}  # noqa: RUF012 - Sphinx's API
    data_version = 1

    def pages(self, kind: str) -> dict[str, Any]:
        """Docname -> value for ``kind`` (see :data:`KINDS`)."""
        return self.data.setdefault(kind, {})

    def clear_doc(self, docname: str) -> None:
        """Forget ``docname``: Sphinx is about to read it again, or it is gone."""
        for kind in KINDS:
            self.pages(kind).pop(docname, None)

    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        """Take a ``-j`` worker's entries for the pages it read."""
        for kind in KINDS:
            self.pages(kind).update(
                (doc, value) for doc, value in otherdata.get(kind, {}).items() if doc in docnames
            )


def pages(env: BuildEnvironment, kind: str) -> dict[str, Any]:
    """The build's entries of ``kind``: docname -> value."""
    domain = env.domains["guide"]
    assert isinstance(domain, PagesDomain)
    return domain.pages(kind)


def _redo(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Read again every page that failed or was incomplete, even when nothing changed."""
    redo = {doc for kind in REDO for doc in pages(env, kind)}
    return sorted(redo - added - changed - removed)


def setup(app: Sphinx) -> dict[str, object]:
    """Register the domain; each extension of this package loads it."""
    app.add_domain(PagesDomain)
    app.connect("env-get-outdated", _redo)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
