"""Pages hold plain Keras: lesson code is inlined from src, and nothing needs this package.

These read the pages' sources and src/ only (no Sphinx build, no TensorFlow import).
"""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError
from support import ROOT, docs_extension

from keras_model_guide.tools.examples import stale_examples

lesson_cells = docs_extension("lesson_cells")
notebook_files = docs_extension("notebook_files")

DOCS = ROOT / "docs"
PAGES = sorted(
    path for path in DOCS.glob("*.md") if notebook_files.is_notebook(path.read_text("utf-8"))
)
SRC = ROOT / "src" / "keras_model_guide"
#: What a reader's own Python has: the Keras stack, and IPython in a notebook.
READER_PACKAGES = {"keras", "numpy", "matplotlib", "IPython", "tensorflow", "jax"}
# Anywhere in a line: a docstring's `>>> from keras_model_guide ...` is copied too.
PACKAGE = re.compile(r"\b(from|import)\s+keras_model_guide\b")


def code_cells(page: Path) -> list[str]:
    """The code of each cell as it executes: lesson code inlined."""
    notebook = notebook_files.page_notebook(page)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_every_tutorial_page_is_an_executed_notebook() -> None:
    names = {page.stem for page in PAGES}
    assert {"sequential", "functional", "multi-io", "plots", "extract-combine"} <= names


@pytest.mark.parametrize("doc", sorted(DOCS.glob("*.md")), ids=lambda doc: doc.stem)
def test_no_code_a_reader_copies_imports_the_package(doc: Path) -> None:
    """A reader who copies a cell or a code block, or downloads the page, has only Keras.

    The page's whole source with the lesson code inlined: its cells and its code blocks,
    which every language's page and download show as they are (nothing translates code).
    """
    text, _ = lesson_cells.inline_cells(doc.read_text("utf-8"))
    offenders = [line.strip() for line in text.splitlines() if PACKAGE.search(line)]
    assert not offenders, f"{doc.name} imports keras_model_guide:\n{offenders}"


@pytest.mark.parametrize("doc", PAGES, ids=lambda doc: doc.stem)
def test_page_defines_every_name_its_inlined_code_uses(doc: Path) -> None:
    """Inlined functions use module globals (keras, layers, np): the page must import them.

    Runs the page's code cells as one module through Python's symbol tables, without
    executing them: any name read but never bound (nor a builtin) would be a NameError.
    """
    source = "\n".join(
        "\n".join(line for line in cell.splitlines() if not line.lstrip().startswith("%"))
        for cell in code_cells(doc)
    )
    tree = ast.parse(source)
    bound = set(dir(builtins)) | {"display", "get_ipython"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
            bound |= {arg.arg for arg in ast.walk(node) if isinstance(arg, ast.arg)}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    used = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    assert not used - bound, f"{doc.name} uses names it never defines: {sorted(used - bound)}"


@pytest.mark.parametrize(
    "module", sorted((SRC / "lessons").glob("*.py")) + sorted((SRC / "support").glob("*.py"))
)
def test_inlined_modules_import_only_what_readers_have(module: Path) -> None:
    imported = set()
    for node in ast.walk(ast.parse(module.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    imported -= {"keras_model_guide"}  # doctests build on earlier lessons; never inlined
    assert imported <= READER_PACKAGES, f"{module.name} imports {imported - READER_PACKAGES}"


def test_inline_puts_the_source_above_the_cell_body() -> None:
    page = "```{code-cell} ipython3\n:tags: [x]\n:inline: lessons.compose.build_decoder\n\nd = build_decoder()\n```\n"
    text, files = lesson_cells.inline_cells(page)
    lines = text.splitlines()
    assert lines[:3] == ["```{code-cell} ipython3", ":tags: [x]", "def build_decoder():"]
    assert lines[-4:] == ["", "", "d = build_decoder()", "```"]  # PEP 8: 2 after a def
    assert files == {lesson_cells.SRC / "lessons" / "compose.py"}


def test_inline_takes_several_objects_in_order() -> None:
    page = "```{code-cell} ipython3\n:inline: lessons.reuse.shared_layers lessons.reuse.independent_copy\n```\n"
    text, _ = lesson_cells.inline_cells(page)
    assert text.index("def shared_layers") < text.index("def independent_copy")


def test_inline_of_a_module_keeps_its_imports_but_not_its_docstring() -> None:
    text, _ = lesson_cells.object_source("support.figures")
    assert text.startswith("import numpy as np")
    assert '"""Figures for the pages' not in text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("lessons.sequential.build_mpl", "defines no top-level 'build_mpl'"),
        ("lessons.nowhere.build_mlp", "no module 'lessons.nowhere'"),
    ],
)
def test_inline_of_a_missing_name_fails_the_build(name: str, message: str) -> None:
    with pytest.raises(ExtensionError, match=re.escape(message)):
        lesson_cells.object_source(name)


def test_cells_without_inline_are_untouched() -> None:
    page = "```{code-cell} ipython3\n:tags: [x]\nprint(1)\n```\n"
    assert lesson_cells.inline_cells(page) == (page, set())


def test_a_tab_cell_runs_on_its_backend_only_and_an_unknown_backend_fails() -> None:
    page = "```{code-cell} ipython3\n:tags: [backend-torch]\n\nimport torch\n\nx = 1\n```\n"
    text, _ = lesson_cells.inline_cells(page)
    code = text.split("\n\n", 1)[1].rsplit("\n```", 1)[0]
    assert code == 'if keras.backend.backend() == "torch":\n    import torch\n\n    x = 1'
    assert lesson_cells.unguard(code) == "import torch\n\nx = 1"
    with pytest.raises(ExtensionError, match="backend-tensorflow, backend-jax, backend-torch"):
        lesson_cells.inline_cells(page.replace("backend-torch", "backend-mxnet"))
    # In a build: a warning at the cell's line (docs/conf.py's -W fails the build on it).
    problems: list[tuple[int, str]] = []
    lesson_cells.inline_cells("Text\n\n" + page.replace("torch]", "mxnet]"), problems=problems)
    assert [line for line, _ in problems] == [3]


def test_examples_are_generated_from_the_current_pages() -> None:
    stale = stale_examples(DOCS, ROOT / "examples")
    assert not stale, f"stale example scripts {stale}: run `nox -s examples` and commit them"


def test_a_script_catches_the_errors_its_page_shows_on_purpose() -> None:
    script = (ROOT / "examples" / "multi_io.py").read_text("utf-8")
    assert "except Exception as error:  # The page shows this error on purpose." in script


def test_korean_notebook_prose_replaces_each_block() -> None:
    markdown = "## Load the data\n\nThe post read\nMNIST.\n\n1. first\n2. second\n   line"
    catalog = {
        "Load the data": "데이터 불러오기",
        "The post read MNIST.": "원글은 MNIST를 읽었습니다.",
        "first": "첫째",
        "second line": "둘째 줄",
    }
    assert notebook_files.translate_markdown(markdown, catalog) == (
        "## 데이터 불러오기\n\n원글은 MNIST를 읽었습니다.\n\n1. 첫째\n2. 둘째 줄"
    )
