"""The forward check's comparison and report (`nox -s nightly`), on small notebooks.

The session itself runs every page on keras-nightly (minutes); these tests check, in a
second, what it compares and what it writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from keras_model_guide import forward_check
from keras_model_guide.forward_check import CellChange, cell_changes, format_report


def run(*outputs: str, error: str | None = None) -> dict:
    """A notebook of one markdown cell and one code cell per printed text."""
    cells = [new_markdown_cell("# A page")]
    for text in outputs:
        cells.append(new_code_cell("print(result)", outputs=[_stream(text)]))
    if error:
        name, value = error.split(": ", 1)
        failed = new_output("error", ename=name, evalue=value, traceback=[])
        cells[-1].outputs.append(failed)
    return new_notebook(cells=cells)


def _stream(text: str) -> dict:
    return new_output("stream", name="stdout", text=text + "\n")


def test_numbers_that_change_are_not_facts() -> None:
    locked = run("moving mean changed: True, loss 0.1234", "params: 472,042")
    new = run("moving mean changed: True, loss 0.2", "params: 472,042")
    assert cell_changes(locked, new) == []


def test_a_changed_fact_is_reported_with_its_cell() -> None:
    locked = run("params: 472,042", "fine-tuning: moving mean changed: True")
    new = run("params: 472,042", "fine-tuning: moving mean changed: False")
    (change,) = cell_changes(locked, new)
    assert change.index == 2
    assert change.first_line == "print(result)"
    assert change.lines == [
        "- fine-tuning: moving mean changed: True",
        "+ fine-tuning: moving mean changed: False",
    ]


def test_an_error_on_the_next_keras_is_a_change() -> None:
    """A cell that raises on keras-nightly (the run goes on) is reported by its error type."""
    (change,) = cell_changes(run("ok"), run("ok", error="TypeError: unexpected argument"))
    assert "+ TypeError: unexpected argument" in change.lines


def test_the_report_lists_every_page_and_each_change() -> None:
    change = CellChange(12, "parity_model(images, training=True)", ["- a: True", "+ a: False"])
    results = {
        "fine-tuning": {"tensorflow": [change], "jax": [change]},
        "index": {"tensorflow": [], "jax": "no locked run (build this page first)"},
    }
    report = format_report(results, {"locked": "3.15.1", "next": "3.16.0.dev2026102704"})
    assert "| page | TensorFlow | JAX |" in report
    assert "| fine-tuning | 1 cell changes | 1 cell changes |" in report
    assert "| index | same facts | no locked run (build this page first) |" in report
    assert "## fine-tuning" in report
    assert "## index" not in report
    assert "Cell 12 (`parity_model(images, training=True)`) on JAX:" in report
    assert "```diff\n- a: True\n+ a: False\n```" in report


def test_every_executed_page_is_checked() -> None:
    names = [path.stem for path in forward_check.pages(Path("docs"))]
    assert "fine-tuning" in names
    assert "glossary" not in names


def test_without_keras_nightly_the_module_says_what_to_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        forward_check.main(["--docs", "docs"])
    assert "nox -s nightly" in capsys.readouterr().err
