"""Put a failing page's own error on the console, with the next step, in any build mode.

With ``nb_execution_raise_on_error = True``, MyST-NB raises inside the process that reads
the page. Under ``sphinx-build -j`` that process is a worker whose logs are dropped when it
raises, so the console shows only "Sphinx parallel build error! ExecutionError: <path>"
and an invitation to report a Sphinx bug; the cell's message ("not a usable MNIST file
... delete or replace it", "No module named 'jax'") lands in a temporary file.

So conf.py lets MyST-NB record the failure instead of raising
(``nb_execution_raise_on_error = False``), and this extension turns every recorded failure
into an error that the build cannot pass:

* while the page is read (in whichever process reads it), it logs an error located at the
  page, quoting the cell's exception and the first line of the failing cell, and naming
  the file where MyST-NB saved the whole traceback (a page that runs again removes it);
* the page is remembered as failed, so the next build reads (and executes) it again even
  when nothing changed, instead of keeping a page with a traceback in it;
* at the end, the build's exit status is 1 even without ``-W``.

MyST-NB saves the traceback inside the output folder (``<outdir>/reports``), which a host
publishes: it names the build machine's folders. It is moved to ``_build/reports/<lang>``
beside the execution cache, and the error names that file.
"""

from __future__ import annotations

import contextlib
import logging as std_logging
import re
from pathlib import Path

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The line that starts the exception in a Python traceback: "ValueError: ...",
# "keras.src.errors.SomeError: ...", "KeyboardInterrupt".
_EXCEPTION_LINE = re.compile(
    r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning|Failure)\b(: |:?$)"
)
_RULE = "-" * 18  # nbclient frames the failing cell's source with such lines
_MAX_LINES = 12  # of the exception's message; the saved file has all of it
FAILED = "execution_failures"  # the BuildEnvironment attribute: docnames that failed


def reports_folder(app: Sphinx) -> Path:
    """Where a failed page's whole traceback is kept: ``_build/reports/<lang>``, unpublished."""
    return Path(app.srcdir, "_build", "reports", app.config.language or "en")


def _failures(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, FAILED):
        setattr(env, FAILED, set())
    return getattr(env, FAILED)


def summarize(traceback: str) -> tuple[str, str | None]:
    """Return the cell's exception (type and message) and the failing cell's first line.

    ``traceback`` is the text MyST-NB records: Python's traceback of nbclient's
    ``CellExecutionError``, whose message holds the cell's source between two rules of
    dashes, then the kernel's (coloured) traceback.

    >>> text = (
    ...     "Traceback (most recent call last):\\n  ...\\n"
    ...     "nbclient.exceptions.CellExecutionError: An error occurred while executing "
    ...     "the following cell:\\n------------------\\n\\nimport jax\\nx = 1\\n"
    ...     "------------------\\n\\n\\x1b[31m---------\\x1b[0m\\n"
    ...     "\\x1b[31mModuleNotFoundError\\x1b[0m: No module named 'jax'\\n"
    ... )
    >>> summarize(text)
    ("ModuleNotFoundError: No module named 'jax'", 'import jax')
    """
    text = _ANSI.sub("", traceback)
    cell = None
    if _RULE in text:
        # "...following cell:\n<rule>\n<source>\n<rule>\n\n<kernel traceback>"
        parts = text.split(f"\n{_RULE}\n")
        if len(parts) >= 3:  # before, source, after
            source = [line for line in parts[1].splitlines() if line.strip()]
            cell = source[0].strip() if source else None
            text = f"\n{_RULE}\n".join(parts[2:])
    lines = text.rstrip().splitlines()
    starts = [i for i, line in enumerate(lines) if _EXCEPTION_LINE.match(line)]
    tail = lines[starts[-1] :] if starts else [line for line in lines if line.strip()][-3:]
    if len(tail) > _MAX_LINES:
        tail = [*tail[:_MAX_LINES], "..."]
    return "\n".join(tail).strip(), cell


def _report(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    result = NbMetadataCollector.get_exec_data(app.env, docname)
    if not result:
        return
    # Where MyST-NB saves a failed page's traceback (inside the output folder), and where
    # it goes instead, outside what is published.
    parts = f"{docname}.err.log".split("/")
    written = Path(app.outdir, "reports", *parts)
    saved = reports_folder(app).joinpath(*parts)
    if result.get("succeeded", True):
        saved.unlink(missing_ok=True)  # a stale report must not outlive the fix
        written.unlink(missing_ok=True)
        return
    if written.is_file():
        saved.parent.mkdir(parents=True, exist_ok=True)
        written.replace(saved)
        for folder in [*written.parents][: len(parts)]:  # reports/ and its subfolders
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
    _failures(app.env).add(docname)
    traceback = result.get("traceback") or ""
    error, cell = summarize(traceback) if traceback else (result.get("error") or "?", None)
    where = f" in the cell that starts `{cell}`" if cell else ""
    logger.error(
        "a code cell failed%s:\n    %s\n"
        "  Fix what the error names (a file it points at, an environment variable, the "
        "code), then build again: this page is executed again on the next build. "
        "The whole traceback: %s",
        where,
        error.replace("\n", "\n    "),
        saved,
        location=docname,
        type="execution",
        subtype="failed",
    )


def _still_failed(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    """Read a page that failed last time again, even when its source has not changed."""
    return sorted(_failures(env) - added - changed - removed)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _failures(env).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    _failures(env).update(_failures(other) & docnames)


def _fail_build(app: Sphinx, exception: Exception | None) -> None:
    failed = sorted(_failures(app.env))
    if exception is None and failed:
        logger.error(
            "%d page(s) did not execute: %s. Each error above names its cause.",
            len(failed),
            ", ".join(failed),
        )
        app.statuscode = 1  # even without -W: a page that did not run is not built


class _HideMovedReport(std_logging.Filter):
    """Drop MyST-NB's line naming the report inside the output folder; ours names its new place."""

    def filter(self, record: std_logging.LogRecord) -> bool:
        return "Notebook exception traceback saved in:" not in str(record.msg)


def setup(app: Sphinx) -> dict[str, object]:
    """Register the report, the re-read of failed pages and the exit status."""
    for handler in std_logging.getLogger("sphinx").handlers:  # Sphinx's console handlers
        handler.addFilter(_HideMovedReport())
    app.connect("doctree-read", _report)
    app.connect("env-get-outdated", _still_failed)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _fail_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
