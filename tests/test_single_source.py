"""One source for each piece of code: the helpers in src/keras_model_guide.

Pages show a helper's source with ``{literalinclude}`` + ``:pyobject:`` and call it; the
scripts in examples/ import it. This module fails when a piece of code exists in two
hand-kept copies, or when a page calls a helper whose source the reader has not been shown.

Pure text and ``ast``: nothing here imports TensorFlow or the package.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import ROOT

DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "keras_model_guide"
EXAMPLES = ROOT / "examples"
RUN = 3  # this many consecutive significant lines in common make a copy

LITERALINCLUDE = re.compile(
    r"^```\{literalinclude\}[ \t]+(?P<path>\S+)\n(?P<options>(?::.*\n)*)", re.MULTILINE
)
CODE_CELL = re.compile(
    r"^```\{code-cell\}[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL
)
TOCTREE = re.compile(r"^```\{toctree\}\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
TRIVIAL = {"else:", "try:", "finally:", "pass", "continue", "break", "return"}


@dataclass(frozen=True)
class Code:
    """A piece of Python source that a person keeps by hand: a page's cell or an example."""

    where: str  # for messages: "docs/page.md" or "examples/name.py"
    source: str
    first_line: int = 1  # the line of ``where`` that holds the source's first line

    def at(self, line: int) -> str:
        return f"{self.where}:{self.first_line + line - 1}"


@dataclass(frozen=True)
class Include:
    page: str
    path: Path
    pyobject: str | None


# --- Reading pages, helpers and examples ---------------------------------------------------


def pages() -> dict[str, str]:
    return {page.stem: page.read_text(encoding="utf-8") for page in sorted(DOCS.glob("*.md"))}


def page_order(texts: dict[str, str]) -> list[str]:
    """Pages in the order of index.md's toctrees (the order a reader meets them)."""
    order = []
    for toctree in TOCTREE.finditer(texts["index"]):
        for line in toctree["body"].splitlines():
            entry = line.strip()
            if entry and not entry.startswith(":"):
                order.append(entry.removesuffix(".md"))
    return order


def includes(page: str, text: str) -> list[Include]:
    found = []
    for match in LITERALINCLUDE.finditer(text):
        options = dict(re.findall(r"^:([\w-]+):[ \t]*(.*)$", match["options"], re.MULTILINE))
        found.append(Include(page, (DOCS / match["path"]).resolve(), options.get("pyobject")))
    return found


def cells(page: str, text: str) -> list[Code]:
    """A page's code cells, with IPython magics and cell options blanked (line numbers kept)."""
    found = []
    for match in CODE_CELL.finditer(text):
        lines = match["code"].splitlines()
        if lines and lines[0].strip() == "---":  # a YAML block of cell options
            end = lines.index("---", 1)
            lines[: end + 1] = [""] * (end + 1)
        lines = ["" if re.match(r"\s*(%|!|:\w+:)", line) else line for line in lines]
        first_line = text.count("\n", 0, match.start("code")) + 1
        found.append(Code(f"docs/{page}.md", "\n".join(lines) + "\n", first_line))
    return found


def examples() -> list[Code]:
    return [
        Code(f"examples/{path.name}", path.read_text(encoding="utf-8"))
        for path in sorted(EXAMPLES.glob("*.py"))
    ]


def hand_kept_code() -> list[Code]:
    texts = pages()
    return [cell for page, text in texts.items() for cell in cells(page, text)] + examples()


def helper_names() -> dict[str, Path]:
    """Map each name in ``keras_model_guide.__all__`` to the module file that defines it."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    exported = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", "") == "__all__" for t in node.targets)
    )
    where = {
        alias.asname or alias.name: PACKAGE / f"{node.module}.py"
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        for alias in node.names
    }
    return {name: where[name] for name in exported if name in where}


def find_object(tree: ast.Module, dotted: str) -> ast.AST | None:
    """Find ``name`` or ``Class.method`` the way Sphinx's ``:pyobject:`` does."""
    scope: list[ast.stmt] = tree.body
    node = None
    for part in dotted.split("."):
        node = next(
            (
                child
                for child in scope
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and child.name == part
            ),
            None,
        )
        if node is None:
            return None
        scope = node.body
    return node


# --- Comparing code ------------------------------------------------------------------------


def significant_lines(source: str) -> list[tuple[int, str]]:
    """Return ``(line number, line)`` for each line that says something, whitespace removed.

    Dropped: blank lines, comments, imports, docstrings, and lines of only brackets or a
    bare keyword, which any two pieces of Python share.
    """
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            skipped.update(range(node.lineno, node.end_lineno + 1))
        body = getattr(node, "body", None)
        if isinstance(
            node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ) and (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            skipped.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines = source.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            row, column = token.start
            lines[row - 1] = lines[row - 1][:column]
    result = []
    for number, line in enumerate(lines, start=1):
        text = re.sub(r"\s+", "", line)
        if number in skipped or text in TRIVIAL or len(re.sub(r"\W", "", text)) < 4:
            continue
        result.append((number, text))
    return result


def helper_runs() -> dict[tuple[str, ...], str]:
    """Every run of ``RUN`` consecutive significant lines in a function or class in src/."""
    runs = {}
    for module in sorted(PACKAGE.glob("*.py")):
        source = module.read_text(encoding="utf-8")
        lines = significant_lines(source)
        for node in ast.parse(source).body:
            if not isinstance(node, ast.FunctionDef | ast.ClassDef):
                continue
            body = [text for number, text in lines if node.lineno <= number <= node.end_lineno]
            for start in range(len(body) - RUN + 1):
                runs.setdefault(tuple(body[start : start + RUN]), f"{module.name}:{node.name}")
    return runs


def copies(code: Code, runs: dict[tuple[str, ...], str]) -> list[str]:
    """Describe each place where ``code`` repeats ``RUN`` lines of a helper (once per place)."""
    lines = significant_lines(code.source)
    found, covered = [], 0
    for start in range(len(lines) - RUN + 1):
        run = tuple(text for _, text in lines[start : start + RUN])
        if run in runs and start >= covered:
            found.append(f"{code.at(lines[start][0])}: repeats lines of {runs[run]}; call it")
        if run in runs:
            covered = start + RUN
    return found


def redefinitions(code: Code, helpers: dict[str, Path]) -> list[str]:
    """Describe each ``def`` or ``class`` in ``code`` that takes a helper's name."""
    return [
        f"{code.at(node.lineno)}: defines {node.name}, a helper in "
        f"src/keras_model_guide/{helpers[node.name].name}; import it instead"
        for node in ast.walk(ast.parse(code.source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.name in helpers
    ]


def imported_helpers(code: Code, helpers: dict[str, Path]) -> set[str]:
    """Helpers that ``code`` imports from ``keras_model_guide`` or one of its modules."""
    return {
        alias.name
        for node in ast.walk(ast.parse(code.source))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").split(".")[0] == "keras_model_guide"
        for alias in node.names
        if alias.name in helpers
    }


def unshown_helpers(texts: dict[str, str], helpers: dict[str, Path]) -> list[str]:
    """Helpers a page imports before any page (it or an earlier one) shows their source."""
    shown: set[tuple[Path, str]] = set()
    problems = []
    for page in page_order(texts):
        shown |= {(i.path, i.pyobject) for i in includes(page, texts[page]) if i.pyobject}
        for cell in cells(page, texts[page]):
            for name in sorted(imported_helpers(cell, helpers)):
                if (helpers[name].resolve(), name) not in shown:
                    problems.append(
                        f"docs/{page}.md imports {name} but neither it nor an earlier page shows "
                        f"its source: add a literalinclude of "
                        f"../src/keras_model_guide/{helpers[name].name} with :pyobject: {name}"
                    )
    return problems


# --- The tests -----------------------------------------------------------------------------


def test_literalincludes_point_at_existing_objects():
    problems = []
    for page, text in pages().items():
        for include in includes(page, text):
            if not include.path.is_file():
                problems.append(f"docs/{page}.md includes {include.path}, which does not exist")
            elif include.pyobject and not find_object(
                ast.parse(include.path.read_text(encoding="utf-8")), include.pyobject
            ):
                problems.append(
                    f"docs/{page}.md includes :pyobject: {include.pyobject}, "
                    f"which {include.path.name} does not define"
                )
    assert not problems, "\n".join(problems)


def test_no_hand_kept_copies():
    """No page cell or example redefines a helper or repeats lines of one: import it instead."""
    helpers, runs = helper_names(), helper_runs()
    problems = []
    for code in hand_kept_code():
        problems += redefinitions(code, helpers) + copies(code, runs)
    assert not problems, "\n".join(problems)


def test_pages_show_the_helpers_they_call():
    texts = pages()
    assert [page for page in texts if page not in page_order(texts)] == ["index"]
    problems = unshown_helpers(texts, helper_names())
    assert not problems, "\n".join(problems)


def test_the_checks_see_what_they_check():
    """Guard against a check passing because it found nothing to look at."""
    texts, helpers = pages(), helper_names()
    assert {"build_mlp", "model_svg", "load_mnist", "chain"} <= set(helpers)
    assert sum(len(includes(page, text)) for page, text in texts.items()) >= 15
    assert len(hand_kept_code()) >= 30
    assert page_order(texts)[:2] == ["why-model", "sequential"]
    assert len(helper_runs()) > 100


# --- The checks can fail: each one catches a planted copy ----------------------------------

PLANTED_COPY = """
import keras
from keras import layers

# Rebuilt by hand instead of calling build_mlp():
model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(512, activation="relu"),
        layers.Dense(128, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
"""


def test_a_copied_helper_body_is_caught():
    found = copies(Code("planted", PLANTED_COPY), helper_runs())
    assert found
    assert "sequential.py:build_mlp" in found[0]


def test_a_reformatted_copy_is_caught():
    squeezed = PLANTED_COPY.replace('activation="relu"', 'activation = "relu"')
    assert copies(Code("planted", squeezed), helper_runs())


def test_calls_and_short_overlaps_are_not_copies():
    calls = "seq_model = compile_like_post(build_mlp())\nx = inputs\nreturn_value = None\n"
    assert not copies(Code("calls", calls), helper_runs())


def test_a_redefined_helper_is_caught():
    planted = Code("planted", "def model_svg(model):\n    return ''\n")
    assert redefinitions(planted, helper_names())


def test_a_missing_or_late_literalinclude_is_caught():
    texts = pages()
    name = "load_mnist"
    first = next(page for page in page_order(texts) if f":pyobject: {name}\n" in texts[page])
    without = dict(texts)
    without[first] = texts[first].replace(f":pyobject: {name}\n", ":pyobject: no_such_helper\n")
    problems = unshown_helpers(without, helper_names())
    assert any(f"docs/{first}.md imports {name}" in problem for problem in problems)


@pytest.mark.parametrize("pyobject", ["build_mlp", "compile_like_post"])
def test_find_object_reads_pyobject_like_sphinx(pyobject):
    tree = ast.parse((PACKAGE / "sequential.py").read_text(encoding="utf-8"))
    assert find_object(tree, pyobject) is not None
    assert find_object(tree, f"{pyobject}_renamed") is None
