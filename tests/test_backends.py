"""Every page, executed on JAX, prints the same deterministic numbers as the TensorFlow build.

Keras 3 runs the same code on several backends. The site is built on TensorFlow; here each
page's notebook (lesson code inlined, as the build executes it) runs in a fresh kernel
started with ``KERAS_BACKEND=jax``, two pages at a time. Accuracies may differ between
backends; parameter counts and weight sharing must not. Cells tagged ``raises-exception``
may raise.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import nbformat
import pytest
from support import ROOT, docs_extension, execute_notebook, run_all

from keras_model_guide import offline

pytestmark = pytest.mark.slow

notebook_files = docs_extension("notebook_files")
DOCS = ROOT / "docs"
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # summary() colours its text in a kernel
PAGES = sorted(
    path.stem for path in DOCS.glob("*.md") if notebook_files.is_notebook(path.read_text("utf-8"))
)
#: Each page's run on JAX, started by the ``jax_runs`` fixture: (printed text, error).
JaxRuns = dict[str, Future[tuple[str, str | None]]]


def run_on_jax(page: str, folder: Path) -> tuple[str, str | None]:
    """Execute one page on JAX in ``folder``; return its printed text and its error, if any."""
    path = folder / f"{page}.ipynb"
    nbformat.write(notebook_files.page_notebook(DOCS / f"{page}.md"), path)
    env = offline.environ()  # MNIST and `dot` without the internet, as in the docs build
    env["KERAS_BACKEND"] = "jax"
    error = execute_notebook(sys.executable, path, env)
    return printed_text(nbformat.read(path, as_version=4)), error


@pytest.fixture(scope="module")
def jax_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[JaxRuns]:
    """Every page, executed on JAX two at a time; a test waits for the pages it reads."""
    jobs = {
        page: functools.partial(run_on_jax, page, tmp_path_factory.mktemp(page)) for page in PAGES
    }
    with run_all(jobs) as runs:
        yield runs


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


def outputs(jax_runs: JaxRuns, page: str) -> str:
    """A page's printed text on JAX; fails the calling test if the page did not run."""
    text, error = jax_runs[page].result()
    if error is not None:
        pytest.fail(f"{page}.md stopped on JAX (see test_page_runs_on_jax[{page}])")
    return text


#: transfer.md shows, on TensorFlow, `fit` after `trainable` changed without `compile`.
#: As the page says, JAX refuses that `fit`, so the page stops there on JAX.
TENSORFLOW_ONLY = {"transfer"}


@pytest.mark.parametrize("page", sorted(set(PAGES) - TENSORFLOW_ONLY))
def test_page_runs_on_jax(jax_runs: JaxRuns, page: str) -> None:
    _text, error = jax_runs[page].result()
    assert error is None, f"{page}.md fails on KERAS_BACKEND=jax:\n{error}"


def test_transfer_page_on_jax_refuses_fit_without_compile_as_it_says(jax_runs: JaxRuns) -> None:
    text, error = jax_runs["transfer"].result()
    assert "trainable weights now: 2" in text  # the cells before it ran
    assert error is not None, "transfer.md ran to its end on JAX: the page says it stops"
    assert "ValueError" in error
    assert "whereas the optimizer was built with 8 variables" in error


@pytest.mark.parametrize(
    ("page", "total"),
    [("sequential", "472,042"), ("functional", "472,042"), ("multi-io", "5,200,610")],
)
def test_summary_parameter_count_is_tensorflows(jax_runs: JaxRuns, page: str, total: str) -> None:
    assert f"Total params: {total}" in outputs(jax_runs, page), (
        f"{page}.md: summary() total is not {total}"
    )


def test_functional_page_layers_stay_shared_on_jax(jax_runs: JaxRuns) -> None:
    text = outputs(jax_runs, "functional")
    # Both readings of the post's sentence: recompiling either model splits nothing.
    assert "seq_model recompiled, then refit -> model1 changed: True" in text
    assert "model1 recompiled, seq_model refit -> model1 changed: True" in text


def test_functional_page_clone_stays_independent_on_jax(jax_runs: JaxRuns) -> None:
    assert "copy changed: False" in outputs(jax_runs, "functional")


def test_backends_page_parameter_count_is_tensorflows(jax_runs: JaxRuns) -> None:
    text = outputs(jax_runs, "backends")
    row = re.search(r"^parameters\s+(\d+)\s+(\d+)$", text, re.MULTILINE)
    assert row, "backends.md prints no parameters row"
    # Here the kernel runs on JAX too; both columns must hold the TensorFlow build's count.
    assert row.groups() == ("472042", "472042")
    assert "same parameter count: True" in text


def test_backends_page_layers_stay_shared_on_jax(jax_runs: JaxRuns) -> None:
    text = outputs(jax_runs, "backends")
    assert re.search(r"^layers shared\s+4\s+4$", text, re.MULTILINE), "not all 4 layers shared"
    assert re.search(r"^model1 changed\s+True\s+True$", text, re.MULTILINE)


def test_gan_page_trains_each_model_in_its_own_step_on_jax(jax_runs: JaxRuns) -> None:
    text = outputs(jax_runs, "gan")
    # The Keras 2 recipe: D does not learn in its own step, on JAX as on TensorFlow.
    assert re.search(r"D's step:\s+D changed: False\s+G changed: False", text)
    # The page's recipe: each model moves in its own step only, with no warning.
    assert re.search(
        r"D's step:\s+D changed: True\s+G changed: False\s+"
        r"combined step:\s+D changed: False\s+G changed: True\s+warnings: 0",
        text,
    )
