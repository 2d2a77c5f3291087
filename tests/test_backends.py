"""Every page, executed on JAX, prints the same deterministic numbers as the TensorFlow build.

Keras 3 runs the same code on several backends. The site is built on TensorFlow; here each
page's notebook (lesson code inlined, as the build executes it) runs in a fresh kernel
started with ``KERAS_BACKEND=jax``. Accuracies may differ between backends; parameter
counts and weight sharing must not. Cells tagged ``raises-exception`` may raise.
"""

from __future__ import annotations

import functools
import re
import tempfile

import pytest
from support import ROOT, docs_extension

from keras_model_guide import offline

pytestmark = pytest.mark.slow

notebook_files = docs_extension("notebook_files")
DOCS = ROOT / "docs"
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # summary() colours its text in a kernel
PAGES = sorted(
    path.stem for path in DOCS.glob("*.md") if notebook_files.is_notebook(path.read_text("utf-8"))
)


@functools.cache
def run_on_jax(page: str) -> tuple[str, str | None]:
    """Execute one page on JAX; return its printed text and the error that stopped it, if any."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = notebook_files.page_notebook(DOCS / f"{page}.md")
    env = offline.environ()  # MNIST and `dot` without the internet, as in the docs build
    env["KERAS_BACKEND"] = "jax"
    error = None
    with tempfile.TemporaryDirectory() as folder:  # a page that writes files writes them here
        client = NotebookClient(
            notebook, kernel_name="python3", timeout=600, resources={"metadata": {"path": folder}}
        )
        try:
            client.execute(env=env)
        except CellExecutionError as failure:
            error = str(failure)
    return printed_text(notebook), error


def printed_text(notebook) -> str:
    """Everything the code cells printed or displayed as plain text, in order."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            elif output.get("output_type") == "error":  # a raises-exception cell's error
                parts.append(f"{output['ename']}: {output['evalue']}")
            elif "text/plain" in output.get("data", {}):
                parts.append(output["data"]["text/plain"])
    return ANSI.sub("", "\n".join(parts))


def outputs(page: str) -> str:
    """A page's printed text on JAX; fails the calling test if the page did not run."""
    text, error = run_on_jax(page)
    if error is not None:
        pytest.fail(f"{page}.md stopped on JAX (see test_page_runs_on_jax[{page}])")
    return text


#: transfer.md shows, on TensorFlow, `fit` after `trainable` changed without `compile`.
#: JAX refuses that fit, as the page says, and its model cannot train on after it.
TENSORFLOW_ONLY = {"transfer"}


@pytest.mark.parametrize("page", sorted(set(PAGES) - TENSORFLOW_ONLY))
def test_page_runs_on_jax(page: str) -> None:
    _text, error = run_on_jax(page)
    assert error is None, f"{page}.md fails on KERAS_BACKEND=jax:\n{error}"


def test_transfer_page_on_jax_refuses_fit_without_compile_as_it_says() -> None:
    text, error = run_on_jax("transfer")
    assert "trainable weights now: 2" in text  # the cells before it ran
    assert "ValueError: Argument optimizer_variables must be a list" in text
    assert error is not None  # the model is left without usable weights


@pytest.mark.parametrize(
    ("page", "total"),
    [("sequential", "472,042"), ("functional", "472,042"), ("multi-io", "5,200,610")],
)
def test_summary_parameter_count_is_tensorflows(page: str, total: str) -> None:
    assert f"Total params: {total}" in outputs(page), f"{page}.md: summary() total is not {total}"


def test_functional_page_layers_stay_shared_on_jax() -> None:
    text = outputs("functional")
    # Both readings of the post's sentence: recompiling either model splits nothing.
    assert "seq_model recompiled, then refit -> model1 changed: True" in text
    assert "model1 recompiled, seq_model refit -> model1 changed: True" in text


def test_functional_page_clone_stays_independent_on_jax() -> None:
    assert "copy changed: False" in outputs("functional")


def test_backends_page_parameter_count_is_tensorflows() -> None:
    text = outputs("backends")
    row = re.search(r"^parameters\s+(\d+)\s+(\d+)$", text, re.MULTILINE)
    assert row, "backends.md prints no parameters row"
    # Here the kernel runs on JAX too; both columns must hold the TensorFlow build's count.
    assert row.groups() == ("472042", "472042")
    assert "same parameter count: True" in text


def test_backends_page_layers_stay_shared_on_jax() -> None:
    text = outputs("backends")
    assert re.search(r"^layers shared\s+4\s+4$", text, re.MULTILINE), "not all 4 layers shared"
    assert re.search(r"^model1 changed\s+True\s+True$", text, re.MULTILINE)
