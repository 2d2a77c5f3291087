"""Run every executed page on each Keras backend the build has, and show where they differ.

MyST-NB executes each page once, on the backend the build pins (TensorFlow), into its
execution cache. This extension runs the same notebook (the same code, lesson code
inlined) on every other backend installed beside the build (JAX, PyTorch), each into a
jupyter-cache of its own next to MyST-NB's. So, as for TensorFlow, a page runs once per
backend per change of its code, and both languages share the runs.

Then, for each page:

* Every code cell's printed text is compared with TensorFlow's. Facts must agree: counts,
  shapes, layer names, True/False, error types, everything but decimal numbers. A cell
  whose facts differ fails the build, unless it is tagged ``compare-backends``: such a
  cell shows every backend's output side by side, and the page explains the difference.
* A tab's cell (tagged ``backend-jax``, say) runs on its own backend only: what it printed
  there is kept for its tab (:mod:`backend_tabs`), not compared.
* Decimal numbers (losses, accuracies, weights) and figures may differ: each backend
  draws its own random streams and computes in its own floating-point order. They are
  listed, not failed: the "ran on" line under the title names the sections that hold them.
* The "ran on" line names Keras's and each backend's version and the day the page ran. A
  build without JAX or PyTorch says that it proved TensorFlow only.

``docs/_build/backends.json`` keeps what each page's runs found, for the tests and for
anyone who wants to know which outputs differ by backend.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import _
from sphinx.util import logging

from keras_model_guide.sphinxext import pages
from keras_model_guide.sphinxext.lesson_cells import TAB_BACKENDS, Notebook

logger = logging.getLogger(__name__)

#: The backend the published outputs come from (conf.py pins the kernels to it), then the
#: others, in the order pages list them. Keys are ``KERAS_BACKEND`` values.
PINNED = "tensorflow"
BACKENDS = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
TAG = "compare-backends"  # a cell that shows every backend's output
REPORT = "backends.json"  # in docs/_build, beside the language folders

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# A decimal number: "0.9776", "-1.5e-03", "1e-07". Integers (counts, shapes) are facts.
_DECIMAL = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w.])")


@dataclass
class PageRuns:
    """What one page's runs on every backend found."""

    date: str  # the day TensorFlow executed the page (its cache record)
    ran: list[str]  # backends that ran the page, the pinned one first
    #: Section ids (and titles) holding numbers that differ by backend.
    numbers_differ: dict[str, str] = field(default_factory=dict)
    #: Cell index -> {backend: printed text}, for cells tagged compare-backends.
    compared: dict[int, dict[str, str]] = field(default_factory=dict)
    #: Cell index -> [backend, printed text], for a tab's cell: what it printed on its own
    #: backend, or None where the build has not that backend (backend_tabs shows it).
    tabs: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    failed: bool = False  # a backend stopped, or printed other facts: read again next build


def tab_backend(cell: Notebook) -> str | None:
    """The backend a tab's cell is for (its ``backend-<name>`` tag), else None.

    >>> from nbformat.v4 import new_code_cell
    >>> tab_backend(new_code_cell("", metadata={"tags": ["backend-jax"]}))
    'jax'
    """
    tags = cell.get("metadata", {}).get("tags", [])
    return next((name for name in TAB_BACKENDS if f"backend-{name}" in tags), None)


def installed() -> list[str]:
    """The backends this Python can run, the pinned one first.

    >>> installed()[0]
    'tensorflow'
    """
    others = [name for name in BACKENDS if name != PINNED and importlib.util.find_spec(name)]
    return [PINNED, *others]


def printed(cell: Notebook, *, stderr: bool = True) -> str:
    """Everything a code cell printed, displayed as text or raised, as one text.

    Without `stderr`, what the cell wrote to stderr is left out, as MyST-NB leaves it
    out of a cell tagged `remove-stderr`.

    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("print(1)", outputs=[
    ...     new_output("stream", name="stdout", text="params: 10\\n"),
    ...     new_output("error", ename="ValueError", evalue="bad", traceback=[])])
    >>> printed(cell)
    'params: 10\\nValueError: bad'
    """
    text = ""
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":  # a print may arrive in several pieces: join them as sent
            if stderr or output.get("name") != "stderr":
                text += output["text"]
        elif kind == "error":
            text += f"{output['ename']}: {output['evalue']}\n"
        elif "text/plain" in output.get("data", {}) and not _is_image(output):
            text += output["data"]["text/plain"].rstrip("\n") + "\n"
    return _ANSI.sub("", text).rstrip("\n")


def _is_image(output: Notebook) -> bool:
    return any(kind.startswith("image/") for kind in output.get("data", {}))


def _images(cell: Notebook) -> list[str]:
    return [
        json.dumps(output["data"], sort_keys=True)
        for output in cell.get("outputs", [])
        if _is_image(output)
    ]


def facts(text: str) -> str:
    """``text`` with every decimal number replaced by ``#``, and spaces collapsed.

    Two backends' outputs that agree here differ only in numbers that random streams
    and floating point decide; integers (parameter counts, shapes) are kept.

    >>> facts("loss 0.1234   accuracy 0.97  params 472,042  shape (None, 784)  ok True")
    'loss # accuracy # params 472,042 shape (None, 784) ok True'
    >>> facts("[-1.5e-03  2.0]") == facts("[ 0.25  -3.0]")
    True
    """
    text = re.sub(r"[ \t]+", " ", _DECIMAL.sub("#", text))
    # NumPy pads a number with a space where a minus sign could stand: "[ 0.2 -0.1]".
    return re.sub(r"([\[(]) | ([\])])", r"\1\2", text).strip()


# -- Running a page on another backend -------------------------------------------------


def _cache(app: Sphinx, backend: str) -> Any:
    from jupyter_cache import get_cache

    base = app.config.nb_execution_cache_path
    return get_cache(base if backend == PINNED else f"{base}-{backend}")


def _create_caches(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Create each backend's cache database once, before the ``-j`` workers need it."""
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    from keras_model_guide.sphinxext.execution import repair

    for backend in installed()[1:]:
        for line in repair(Path(f"{app.config.nb_execution_cache_path}-{backend}")):
            logger.info("Repaired: %s", line)
        _cache(app, backend).db.dispose()


def run_on(app: Sphinx, notebook: Notebook, backend: str, docname: str) -> Notebook:
    """Return ``notebook`` executed on ``backend``: from its cache, else run now and cached.

    Cells tagged ``compare-backends`` may raise on any backend; any other error stops the
    run, and the page is reported (not cached, so the next build tries again).
    """
    import nbformat
    from jupyter_cache.base import CacheBundleIn
    from nbclient import NotebookClient

    cache = _cache(app, backend)
    try:
        return cache.merge_match_into_notebook(notebook)[1]
    except KeyError:
        pass
    run = nbformat.from_dict(json.loads(json.dumps(notebook)))  # a copy to fill
    for cell in run.cells:
        tags = cell.metadata.get("tags", [])
        if TAG in tags and "raises-exception" not in tags:
            cell.metadata["tags"] = [*tags, "raises-exception"]
    env = {**os.environ, "KERAS_BACKEND": backend}
    if "TF_NUM_INTRAOP_THREADS" in env:  # execution shares the cores between kernels
        # PyTorch starts a thread per core too: two such kernels on two cores ran 5x slower.
        env.setdefault("OMP_NUM_THREADS", env["TF_NUM_INTRAOP_THREADS"])
    from keras_model_guide.sphinxext.console import (
        running,
    )  # "executing 3/26 functional.md on JAX", then its time

    with (
        tempfile.TemporaryDirectory(prefix=f"{backend}-") as folder,
        running(app, docname, BACKENDS[backend]),
    ):
        for attempt in (1, 2):
            client = NotebookClient(
                run,
                timeout=app.config.nb_execution_timeout,
                kernel_name="python3",
                resources={"metadata": {"path": folder}},
            )
            try:
                client.execute(env=env)  # raises CellExecutionError on an unexpected error
                break
            except RuntimeError as error:
                # Two kernels started at once by two -j workers can draw the same free
                # TCP port ("ZMQError: Address already in use", seen once in CI); that
                # kernel dies before it runs a cell. Start it once more.
                if attempt == 2 or "Kernel died before replying" not in str(error):
                    raise
    # jupyter-cache keys a notebook on its code cells' source and metadata: store the run
    # under the page's own metadata (not the added tag, nor nbclient's timings), or the
    # next build, and the other language's, would miss it and run the page again.
    for ran, cell in zip(run.cells, notebook.cells, strict=True):
        ran.metadata = copy.deepcopy(cell.metadata)
    cache.cache_notebook_bundle(
        CacheBundleIn(run, uri=docname), check_validity=False, overwrite=True
    )
    return run


# -- Comparing and showing -------------------------------------------------------------


def _cell_nodes(doctree: nodes.document) -> dict[int, nodes.Element]:
    return {
        node["cell_index"]: node
        for node in doctree.findall(nodes.container)
        if node.get("nb_element") == "cell_code"
    }


def _section(node: nodes.Node) -> tuple[str, str] | None:
    while node is not None:
        if isinstance(node, nodes.section) and node.get("ids"):
            title = next(iter(node.findall(nodes.title)), None)
            return node["ids"][0], title.astext() if title else node["ids"][0]
        node = node.parent
    return None


def _compare(app: Sphinx, doctree: nodes.document) -> None:
    from myst_nb.sphinx_ import NbMetadataCollector

    docname = app.env.docname
    from keras_model_guide.sphinxext.notebook_files import page_notebook

    result = NbMetadataCollector.get_exec_data(app.env, docname)
    if not result or not result.get("succeeded", True):
        return  # not a notebook, or TensorFlow failed: execution reports it
    notebook = page_notebook(Path(app.env.doc2path(docname)))
    try:
        record = _cache(app, PINNED).match_cache_notebook(notebook)
    except KeyError:
        return
    runs = {PINNED: _cache(app, PINNED).merge_match_into_notebook(notebook)[1]}
    from nbclient.exceptions import CellExecutionError

    from keras_model_guide.sphinxext.execution import summarize

    failed = False
    for backend in installed()[1:]:
        try:
            runs[backend] = run_on(app, notebook, backend, docname)
        except CellExecutionError as error:
            failed = True
            message, cell = summarize(str(error))
            logger.warning(
                "stopped on %s in the cell that starts `%s`:\n    %s\n"
                "  A page runs on every backend: make the cell work on %s too, or tag it "
                "`%s` and explain the difference on the page.",
                BACKENDS[backend],
                cell,
                message.replace("\n", "\n    "),
                BACKENDS[backend],
                TAG,
                location=docname,
                type="backends",
                subtype="failed",
            )
    page = PageRuns(date=record.created.date().isoformat(), ran=list(runs), failed=failed)
    cells = _cell_nodes(doctree)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        stderr = "remove-stderr" not in cell.metadata.get("tags", [])
        texts = {backend: printed(run.cells[index], stderr=stderr) for backend, run in runs.items()}
        images = {backend: _images(run.cells[index]) for backend, run in runs.items()}
        if TAG in cell.metadata.get("tags", []):
            page.compared[index] = texts
            continue
        tab = tab_backend(cell)
        if tab:  # runs on its own backend only: nothing to compare
            page.tabs[index] = (tab, texts.get(tab))
            continue
        where = cells.get(index)
        for backend, text in texts.items():
            if facts(text) != facts(texts[PINNED]):
                page.failed = True
                logger.warning(
                    "the cell on line %s prints other facts on %s than on %s:\n%s\n"
                    "  Facts (counts, shapes, names, True/False) must agree on every "
                    "backend. Tag the cell `%s` to show each backend's output, and explain "
                    "the difference on the page.",
                    where.line if where is not None else "?",
                    BACKENDS[backend],
                    BACKENDS[PINNED],
                    _first_difference(texts[PINNED], text),
                    TAG,
                    location=where if where is not None else docname,
                    type="backends",
                    subtype="facts",
                )
            elif text != texts[PINNED] or images[backend] != images[PINNED]:
                section = _section(where) if where is not None else None
                if section:
                    page.numbers_differ.setdefault(*section)
    pages(app.env, "runs")[docname] = page
    _show_compared(doctree, cells, page)


def _first_difference(expected: str, got: str) -> str:
    """The first pair of lines whose facts differ, each named by its backend's line.

    >>> print(_first_difference("a 1\\nb 2", "a 1\\nb 3"))
        expected: b 2
        got:      b 3
    """
    left, right = expected.splitlines(), got.splitlines()
    for one, other in zip(left + [""] * len(right), right + [""] * len(left), strict=False):
        if facts(one) != facts(other):
            return f"    expected: {one}\n    got:      {other}"
    return "    (the same lines, in another order)"


def _show_compared(
    doctree: nodes.document, cells: dict[int, nodes.Element], page: PageRuns
) -> None:
    """Replace each compared cell's output by every backend's output, side by side."""
    for index, texts in page.compared.items():
        cell = cells.get(index)
        if cell is None:
            continue
        for output in [n for n in cell.children if n.get("nb_element") == "cell_code_output"]:
            cell.remove(output)
        grid = nodes.container(classes=["backend-outputs", "cell_output"])
        for backend, text in texts.items():
            column = nodes.container(classes=["backend-output"])
            column += nodes.paragraph("", BACKENDS[backend], classes=["backend-name"])
            column += nodes.literal_block(
                text, text, language="none", classes=["output", "stream", "backend-text"]
            )
            grid += column
        cell += grid


def ran_on_text(page: PageRuns, versions: dict[str, str]) -> str:
    """The "ran on" sentence in the build's language (sphinx.po holds the Korean).

    >>> page = PageRuns(date="2026-12-06", ran=["tensorflow"])
    >>> ran_on_text(page, {"keras": "3.15.1", "tensorflow": "2.21.0"})  # doctest: +ELLIPSIS
    'Ran on Keras 3.15.1 with TensorFlow 2.21.0 on 2026-12-06. This build had no JAX or PyTorch...'
    """
    names = [f"{BACKENDS[name]} {versions[name]}" for name in page.ran]
    backends = names[0] if len(names) == 1 else ", ".join(names[:-1]) + _(" and ") + names[-1]
    text = _("Ran on Keras %(keras)s with %(backends)s on %(date)s.") % {
        "keras": versions["keras"],
        "backends": backends,
        "date": page.date,
    }
    missing = [BACKENDS[name] for name in BACKENDS if name not in page.ran]
    if missing and not page.failed:  # a backend that failed fails the build anyway
        text += " " + _(
            "This build had no %(missing)s to run it on, so it proves this page on "
            "%(backend)s only; the hosted site runs every page on all three."
        ) % {"missing": _(" or ").join(missing), "backend": BACKENDS[PINNED]}
    return text


def versions() -> dict[str, str]:
    """Keras's and each installed backend's version, as pip names them."""
    packages = {"keras": "keras", "tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
    found = {}
    for key, package in packages.items():
        try:
            found[key] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def ran_on_node(page: PageRuns, doctree: nodes.document | None = None) -> nodes.paragraph:
    """The line under a page's title: versions, date, and where numbers differ.

    The sections are linked by their titles as ``doctree`` sets them: code stays code.
    """
    paragraph = nodes.paragraph(classes=["ran-on"])
    paragraph += nodes.Text(ran_on_text(page, versions()))
    if len(page.ran) > 1:
        paragraph += nodes.Text(" ")
        if page.numbers_differ:
            paragraph += nodes.Text(
                _(
                    "Counts, shapes, names and True/False results agree on every backend; "
                    "the decimal numbers and figures differ by backend in:"
                )
                + " "
            )
            for position, (anchor, title) in enumerate(page.numbers_differ.items()):
                if position:
                    paragraph += nodes.Text(", ")
                paragraph += nodes.reference(
                    "", "", *_title_nodes(doctree, anchor, title), refid=anchor
                )
            paragraph += nodes.Text(".")
        elif page.compared:
            paragraph += nodes.Text(
                _("Besides the cells that show each backend's output, every output is the same.")
            )
        else:
            paragraph += nodes.Text(_("Every output is the same on every backend."))
    return paragraph


def _title_nodes(doctree: nodes.document | None, anchor: str, title: str) -> list[nodes.Node]:
    """A copy of the title of the section ``anchor`` in ``doctree``; its text without one."""
    section = doctree.ids.get(anchor) if doctree is not None else None
    heading = next(iter(section.findall(nodes.title)), None) if section is not None else None
    return [child.deepcopy() for child in heading.children] if heading else [nodes.Text(title)]


def _add_ran_on(app: Sphinx, doctree: nodes.document) -> None:
    page = pages(app.env, "runs").get(app.env.docname)
    title = next(iter(doctree.findall(nodes.title)), None)
    if page is None or title is None:
        return
    title.parent.insert(title.parent.index(title) + 1, ran_on_node(page, doctree))


def ran_on_line(app: Sphinx, docname: str) -> str | None:
    """The ran-on line as plain text, in the build's language; None if the page did not run."""
    page = pages(app.env, "runs").get(docname)
    return None if page is None else ran_on_node(page).astext()


def ran_on_markdown(app: Sphinx, docname: str) -> str:
    """The ran-on line for a notebook download, and how to pick another backend."""
    line = ran_on_line(app, docname) or ""
    how = _(
        "Keras picks its backend when it is imported: to run this on another one, set "
        "`KERAS_BACKEND` first, for example `KERAS_BACKEND=jax python %(script)s`."
    ) % {"script": docname.replace("-", "_") + ".py"}
    return f"{line}\n\n{how}"


# -- Bookkeeping ----------------------------------------------------------------------


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Read again a page whose runs failed, or that has not run on every backend here."""
    backends = installed()
    return sorted(
        docname
        for docname, page in pages(env, "runs").items()
        if (page.failed or page.ran != backends) and docname not in added | changed | removed
    )


def _write_report(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    report = {docname: asdict(page) for docname, page in sorted(pages(app.env, "runs").items())}
    path = Path(app.outdir).parent.parent / REPORT  # docs/_build/html/<lang> -> docs/_build
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _check_backends(app: Sphinx) -> None:
    missing = [BACKENDS[name] for name in BACKENDS if name not in installed()]
    if missing and os.environ.get("KERAS_MODEL_GUIDE_STRICT") == "1":
        logger.warning(
            "%s not installed: CI (KERAS_MODEL_GUIDE_STRICT=1) proves every page on every "
            "backend. Install the `backends` dependency group (`nox -s site` does).",
            " and ".join(missing),
            type="backends",
            subtype="missing",
        )


def setup(app: Sphinx) -> dict[str, object]:
    """Run each page on every installed backend, compare, and write the ran-on line."""
    app.setup_extension("keras_model_guide.sphinxext")  # the pages domain
    app.connect("builder-inited", _check_backends)
    app.connect("env-before-read-docs", _create_caches)
    # After MyST-NB has executed the page (while it is parsed) and after execution's report.
    app.connect("doctree-read", _compare, priority=600)
    app.connect("doctree-read", _add_ran_on, priority=700)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _write_report)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 4}
