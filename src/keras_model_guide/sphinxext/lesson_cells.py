"""Put lesson code from ``src/keras_model_guide`` into the pages' code cells.

A page asks for code with an ``:inline:`` option on a code cell::

    ```{code-cell} ipython3
    :inline: lessons.sequential.build_mlp

    seq_model = build_mlp()
    ```

Before MyST-NB reads the page, the option is replaced by the named functions' (or
constants') source, above the cell's own lines: verbatim, except that docstrings lose
their ``>>>`` examples (the doctests stay in src/, where the tests run them). The notebook that executes
therefore holds the code itself: what the page shows, what runs, what the copy button
copies, what the downloads hold and what the execution cache keys on are one text. A
page is re-read when a file it inlines from changes, and re-executes only if the code
it inlines actually changed (the cache keys on the notebook's code).

A cell tagged ``backend-jax`` (or ``backend-tensorflow``, ``backend-torch``) holds code
for that Keras backend only, shown in a tab (:mod:`backend_tabs`). Its code is guarded
here, so every run, download and script of the page holds it as
``if keras.backend.backend() == "jax":`` and runs it on that backend alone.

The same function makes the example scripts (:mod:`notebook_files`), so they inline
exactly what the pages do.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from keras_model_guide import PACKAGE

logger = logging.getLogger(__name__)

#: An nbformat notebook, cell or output (a ``NotebookNode``: a dict with attributes).
Notebook = Any

SRC = PACKAGE  # src/keras_model_guide, or its installed copy

# A code cell's opening fence, its `:option:` lines, and the rest of its body.
_CELL = re.compile(
    r"^(?P<head>`{3,}\{code-cell\}[^\n]*\n)(?P<options>(?::[\w-]+:[^\n]*\n)*)"
    r"(?P<body>\n(?!`{3}))?",
    re.MULTILINE,
)
_INLINE = re.compile(r"^:inline:[ \t]*(?P<names>[^\n]*)\n", re.MULTILINE)
#: The Keras backends a tab's cell can be for (its tag is ``backend-<name>``).
TAB_BACKENDS = ("tensorflow", "jax", "torch")
# A whole code cell: its fence, options, and body (up to the closing fence).
_WHOLE_CELL = re.compile(
    r"^(?P<fence>`{3,})\{code-cell\}[^\n]*\n(?P<options>(?::[\w-]+:[^\n]*\n)*)\n?"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_TAB_TAG = re.compile(r"^:tags:.*\bbackend-(?P<backend>\w+)\b", re.MULTILINE)
_GUARD = 'if keras.backend.backend() == "{backend}":'


def guard(code: str, backend: str) -> str:
    """``code`` to run on ``backend`` only: under an ``if`` on Keras's backend.

    >>> print(guard("import jax\\nprint(jax.__name__)", "jax"))
    if keras.backend.backend() == "jax":
        import jax
        print(jax.__name__)
    """
    body = "\n".join(f"    {line}" if line.strip() else "" for line in code.splitlines())
    return f"{_GUARD.format(backend=backend)}\n{body}"


def unguard(code: str) -> str | None:
    """The code :func:`guard` guarded, as the tab shows it; None if ``code`` is not guarded.

    >>> unguard(guard("x = 1", "torch"))
    'x = 1'
    >>> unguard("x = 1") is None
    True
    """
    head, _, body = code.partition("\n")
    if head not in {_GUARD.format(backend=backend) for backend in TAB_BACKENDS}:
        return None
    return "\n".join(line.removeprefix("    ") for line in body.splitlines())


def guard_tab_cells(text: str, problems: list[tuple[int, str]] | None = None) -> str:
    """Guard the code of each cell tagged ``backend-<name>`` by its backend.

    A tag that names no backend raises ``ExtensionError``, or, given ``problems``, is
    added to it with the cell's line, and its cell is left as it is.

    >>> page = "```{code-cell} ipython3\\n:tags: [backend-jax]\\n\\nimport jax\\n```\\n"
    >>> print(guard_tab_cells(page))
    ```{code-cell} ipython3
    :tags: [backend-jax]
    <BLANKLINE>
    if keras.backend.backend() == "jax":
        import jax
    ```
    <BLANKLINE>
    """

    def cell(match: re.Match[str]) -> str:
        tag = _TAB_TAG.search(match["options"])
        if not tag:
            return match[0]
        if tag["backend"] not in TAB_BACKENDS:
            problem = f"backend-{tag['backend']}: a tab's tag names one of " + ", ".join(
                f"backend-{name}" for name in TAB_BACKENDS
            )
            if problems is None:
                raise ExtensionError(problem)
            problems.append((text.count("\n", 0, match.start()) + 1, problem))
            return match[0]
        head = match[0][: match.start("body") - match.start()]
        code = guard(match["body"].rstrip("\n"), tag["backend"])
        return f"{head}{code}\n{match['fence']}"

    return _WHOLE_CELL.sub(cell, text)


def object_source(dotted: str, src: Path = SRC) -> tuple[str, Path]:
    """Return the source of ``package.module.name`` under ``src``, and its file.

    ``name`` is a top-level function, class or constant, returned verbatim with its
    decorators, docstring and comments, less the docstrings' ``>>>`` examples
    (:func:`without_examples`). A dotted name that is itself a module gives the whole
    module but its docstring: its imports, definitions and data.

    >>> text, path = object_source("lessons.sequential.build_mlp")
    >>> text.splitlines()[0], path.name, ">>>" in text
    ('def build_mlp():', 'sequential.py', False)
    >>> print(object_source("support.post")[0].splitlines()[0])
    # Per-epoch training log of the post's Sequential model (5 epochs, batch 500).
    """
    whole = src.joinpath(*dotted.split(".")).with_suffix(".py")
    if whole.is_file():
        tree = ast.parse(whole.read_text(encoding="utf-8"), str(whole))
        start = tree.body[0].end_lineno if ast.get_docstring(tree) else 0
        lines = whole.read_text(encoding="utf-8").splitlines()[start:]
        return without_examples("\n".join(lines).strip()), whole
    module, _, name = dotted.rpartition(".")
    path = src.joinpath(*module.split(".")).with_suffix(".py")
    if not module or not path.is_file():
        modules = sorted(
            ".".join(file.relative_to(src).with_suffix("").parts)
            for file in src.rglob("*.py")
            if file.name != "__init__.py" and "__pycache__" not in file.parts
        )
        near = difflib.get_close_matches(module, modules, n=3, cutoff=0.6) or modules
        raise ExtensionError(
            f":inline: {dotted}: src/keras_model_guide has no module {module!r}; "
            f"it has {', '.join(near)}"
        )
    source = path.read_text(encoding="utf-8")
    for node in ast.parse(source, str(path)).body:
        if _defines(node, name):
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            lines = source.splitlines()[first - 1 : node.end_lineno]
            return without_examples("\n".join(lines)), path
    names = [other for node in ast.parse(source, str(path)).body for other in _names(node)]
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.6) or names
    raise ExtensionError(
        f":inline: {dotted}: {path.name} defines no top-level {name!r}; it defines "
        f"{', '.join(f'{module}.{other}' for other in near)}"
    )


def without_examples(source: str) -> str:
    """Leave the ``>>>`` examples out of each docstring in ``source``, keep the rest.

    The examples are the lessons' doctests, which ``nox -s tests`` runs from src/. Some
    import an earlier lesson from this package, which a reader does not have, and all
    of them would read as clutter in a tutorial's code. A page shows the docstring's
    sentences, as keras-io's code does.

    >>> code = "def one():\\n    '''Return 1.\\n\\n    >>> one()\\n    1\\n    '''\\n    return 1"
    >>> print(without_examples(code))
    def one():
        '''Return 1.'''
        return 1
    """
    lines = source.splitlines()
    cuts = []  # (docstring's first line, its first example line, its last line)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and ast.get_docstring(node):
            doc = node.body[0]
            first, last = doc.lineno - 1, doc.end_lineno - 1  # type: ignore[operator]
            examples = [i for i in range(first, last + 1) if lines[i].lstrip().startswith(">>>")]
            if examples:
                cuts.append((first, examples[0], last))
    for first, example, last in sorted(cuts, reverse=True):  # bottom up: indices stay valid
        kept = lines[first:example]
        while kept and not kept[-1].strip():
            kept.pop()
        closing = lines[last].rstrip()  # the line with the closing quotes
        if len(kept) == 1:
            kept = [kept[0] + closing.strip()]  # a one-line docstring
        else:
            kept.append(closing)
        lines[first : last + 1] = kept
    return "\n".join(lines)


def _names(node: ast.stmt) -> list[str]:
    """The top-level names ``node`` defines."""
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [target.id for target in targets if isinstance(target, ast.Name)]
    return []


def _defines(node: ast.stmt, name: str) -> bool:
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return node.name == name
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(isinstance(target, ast.Name) and target.id == name for target in targets)
    return False


def inline_cells(
    text: str, src: Path = SRC, problems: list[tuple[int, str]] | None = None
) -> tuple[str, set[Path]]:
    """Inline lesson code and guard backend tabs' code (:func:`guard_tab_cells`).

    Each cell's ``:inline: a.b c.d`` option is replaced with those objects' source.

    Returns the new page text and the files it inlined from. A name that does not exist
    raises ``ExtensionError``, or, given ``problems``, is added to it with the option's
    line and its cell is left without the option.

    >>> page = "```{code-cell} ipython3\\n:inline: lessons.sequential.build_mlp\\n\\nm = build_mlp()\\n```\\n"
    >>> text, files = inline_cells(page)
    >>> lines = text.splitlines()
    >>> lines[1], lines[-4:], sorted(path.name for path in files)
    ('def build_mlp():', ['', '', 'm = build_mlp()', '```'], ['sequential.py'])
    """
    files: set[Path] = set()

    def cell(match: re.Match[str]) -> str:
        options = match["options"]
        found = _INLINE.search(options)
        if not found:
            return match[0]
        sources = []
        for dotted in found["names"].split():
            try:
                code, path = object_source(dotted, src)
            except ExtensionError as error:
                if problems is None:
                    raise
                line = text.count("\n", 0, match.start("options") + found.start()) + 1
                problems.append((line, str(error)))
                continue
            sources.append(code)
            files.add(path)
        options = options[: found.start()] + options[found.end() :]
        code = "\n\n\n".join(sources)  # two blank lines around definitions, as in a module
        return f"{match['head']}{options}{code}\n" + ("\n\n" if match["body"] else "")

    if problems is not None:  # a wrong tab tag, at its line in the page as written
        guard_tab_cells(text, problems)
    new = guard_tab_cells(_CELL.sub(cell, text), None if problems is None else [])
    return new, files


def _inline(app: Sphinx, docname: str, source: list[str]) -> None:
    problems: list[tuple[int, str]] = []
    source[0], files = inline_cells(source[0], problems=problems)
    for line, problem in problems:
        # One line at the page's line, not an exception: raised in a `-j` worker, it was
        # "Sphinx parallel build error!" and an invitation to report a Sphinx bug.
        logger.warning(
            "%s: fix the cell's option or tag",
            problem,
            location=(docname, line),
            type="lesson_cells",
        )
    if problems and source[0].startswith("---\n"):
        # The page would fail on the missing code anyway: do not execute it (MyST-NB's
        # per-page setting; the language an execution would have told MyST-NB is given
        # instead); the build fails on the warning above.
        off = "mystnb: {execution_mode: 'off'}\nlanguage_info: {name: python, pygments_lexer: ipython3}"
        source[0] = f"---\n{off}\n{source[0][4:]}"
    for path in files:
        # Re-read this page when a file it inlines from changes.
        app.env.note_dependency(str(path))


def setup(app: Sphinx) -> dict[str, object]:
    """Inline lesson code when each page is read."""
    app.connect("source-read", _inline)
    # An edit to this file can change every page's code, yet Sphinx re-reads a page only
    # when its source or a noted dependency changes: a new env_version re-reads them all
    # (only pages whose code really changed then execute again).
    version = int(hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8], 16)
    return {"env_version": version, "parallel_read_safe": True, "parallel_write_safe": True}
