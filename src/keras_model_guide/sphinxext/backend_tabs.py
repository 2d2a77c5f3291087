"""Code that differs by backend, in tabs named TensorFlow, JAX and PyTorch.

A page writes the part that must differ (a ``train_step`` takes its gradients with
``tf.GradientTape``, ``jax.value_and_grad`` or ``loss.backward()``) as consecutive code
cells, one per backend, each tagged with its backend::

    ```{code-cell} ipython3
    :tags: [backend-tensorflow]

    import tensorflow as tf
    ...
    ```

Everything else on the page is shared code, run on every backend as usual.

- Each tab's code runs on its own backend only (:func:`lesson_cells.guard` puts it under
  ``if keras.backend.backend() == ...`` in every run, download and script), and its
  output is that backend's run (:mod:`backend_runs` keeps it). A build without the
  backend says so in the tab.
- The page shows the code without the guard, so the copy button copies what the tab
  shows.
- The tabs are radio buttons and labels: they switch without JavaScript, and with
  JavaScript off all three stay readable, one click apart. ``docs/_static/backend-tabs.js``
  makes a choice hold for every group of the page and, remembered in ``localStorage``, for
  the next pages, as sphinx-design's synced tabs do.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _

from keras_model_guide.sphinxext import pages
from keras_model_guide.sphinxext.backend_runs import BACKENDS, PINNED, PageRuns, tab_backend
from keras_model_guide.sphinxext.lesson_cells import unguard


def _backend(cell: nodes.Element) -> str | None:
    """The backend of a tab's cell (MyST-NB keeps the cell's tags in ``cell_metadata``)."""
    return tab_backend({"metadata": cell.get("cell_metadata", {})})


def _tab_cells(doctree: nodes.document) -> list[nodes.Element]:
    return [
        node
        for node in doctree.findall(nodes.container)
        if node.get("nb_element") == "cell_code" and _backend(node)
    ]


def groups(doctree: nodes.document) -> list[list[nodes.Element]]:
    """The page's tab groups: runs of tab cells that follow each other, in page order."""
    found: list[list[nodes.Element]] = []
    for cell in _tab_cells(doctree):
        previous = found[-1][-1] if found else None
        follows = (
            previous is not None
            and previous.parent is cell.parent
            and cell.parent.index(cell) == cell.parent.index(previous) + 1
        )
        if follows:
            found[-1].append(cell)
        else:
            found.append([cell])
    return found


def _show_code_unguarded(cell: nodes.Element) -> None:
    for block in cell.findall(nodes.literal_block):
        code = unguard(block.astext())
        if code is not None:
            block.children = [nodes.Text(code)]
            block.rawsource = code
            return


def _show_output(cell: nodes.Element, backend: str, printed: str | None) -> None:
    """Put what the cell printed on its own backend under its code."""
    for output in [n for n in cell.children if n.get("nb_element") == "cell_code_output"]:
        cell.remove(output)
    if printed is None:
        note = _("This build has no %(backend)s, so this tab's code did not run here.")
        cell += nodes.paragraph("", note % {"backend": BACKENDS[backend]}, classes=["tab-not-run"])
    elif printed:
        output = nodes.container(nb_element="cell_code_output", classes=["cell_output"])
        output += nodes.literal_block(
            printed, printed, language="none", classes=["output", "stream"]
        )
        cell += output


def _radio(group: str, backend: str, checked: bool) -> nodes.raw:
    """The tab's button: a radio input and its label, before the tab's cell."""
    tab = f"{group}-{backend}"
    html = (
        f'<input type="radio" class="backend-tab" name="{group}" id="{tab}" '
        f'data-backend="{backend}"{" checked" if checked else ""}>'
        f'<label for="{tab}">{BACKENDS[backend]}</label>'
    )
    return nodes.raw("", html, format="html")


def make_tabs(doctree: nodes.document, page: PageRuns | None) -> None:
    """Put each group of backend cells in tabs, each with what its own backend printed.

    The output comes from ``page``'s runs, MyST-NB's run for the pinned backend; without
    runs (``page`` None) the cells keep what they show.
    """
    for cells in groups(doctree):
        first = cells[0]
        parent, position = first.parent, first.parent.index(first)
        group = f"tabs-{first['cell_index']}"
        box = nodes.container(classes=["backend-tabs"])
        for number, cell in enumerate(cells):
            backend = _backend(cell)
            assert backend is not None  # groups() holds tab cells only
            _show_code_unguarded(cell)
            if page is not None and backend != PINNED:  # MyST-NB ran the pinned one's
                _show_output(cell, backend, page.tabs.get(cell["cell_index"], (None, None))[1])
            parent.remove(cell)
            box += _radio(group, backend, checked=number == 0)
            box += cell
        parent.insert(position, box)


def _make_tabs(app: Sphinx, doctree: nodes.document) -> None:
    make_tabs(doctree, pages(app.env, "runs").get(app.env.docname))


def setup(app: Sphinx) -> dict[str, object]:
    """Group each page's backend cells into tabs, each with its own backend's output."""
    app.setup_extension("keras_model_guide.sphinxext.backend_runs")
    # After backend_runs has run the page on every backend (600), before the ran-on line.
    app.connect("doctree-read", _make_tabs, priority=650)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
