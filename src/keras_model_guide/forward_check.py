"""Run every page on the next Keras (keras-nightly) and report the facts that change.

The build runs each page on the locked Keras and keeps every backend's run in its
execution cache. ``nox -s nightly`` installs ``keras-nightly`` in place of Keras, beside
the same backends, and runs this module: it executes each page again and compares, cell by
cell, the facts that the build compares between backends (``backend_runs.facts``: counts,
shapes, names, True/False, error types) with the locked run. A cell whose facts change is
where a page's claim would not hold for the next Keras. The result is a report, never a
failure: it names the pages and cells, so that their prose can say which Keras versions it
holds for.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from keras_model_guide.sphinxext.backend_runs import BACKENDS, PINNED, facts, installed, printed

Notebook = Any  # nbformat's NotebookNode


@dataclass
class CellChange:
    """A code cell whose facts differ between the locked run and the new one."""

    index: int  # the cell's index in the page's notebook
    first_line: str  # the cell's first line of code, to find it on the page
    lines: list[str] = field(default_factory=list)  # "-" locked, "+" new, as a diff


def cell_changes(locked: Notebook, new: Notebook) -> list[CellChange]:
    r"""Each code cell of two runs of one notebook whose printed facts differ.

    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> def run(text):
    ...     out = new_output("stream", name="stdout", text=text)
    ...     return new_notebook(cells=[new_code_cell("print(x)", outputs=[out])])
    >>> cell_changes(run("loss 0.25 moved: True\n"), run("loss 0.31 moved: True\n"))
    []
    >>> [change.lines for change in cell_changes(run("moved: True\n"), run("moved: False\n"))]
    [['- moved: True', '+ moved: False']]
    """
    changes = []
    for index, (old, ran) in enumerate(zip(locked.cells, new.cells, strict=True)):
        if old.cell_type != "code":
            continue
        stderr = "remove-stderr" not in old.metadata.get("tags", [])
        before = facts(printed(old, stderr=stderr)).splitlines()
        after = facts(printed(ran, stderr=stderr)).splitlines()
        if before == after:
            continue
        diff = difflib.ndiff(before, after)
        lines = [line.rstrip() for line in diff if line[:1] in "-+"]
        first = next((line for line in old.source.splitlines() if line.strip()), "")
        changes.append(CellChange(index, first, lines))
    return changes


def format_report(
    results: dict[str, dict[str, list[CellChange] | str]],
    versions: dict[str, str],
) -> str:
    """The report as Markdown: a table of the pages, then each change as a diff.

    ``results`` maps page -> backend -> its changes, or a sentence saying why that page
    could not be compared on that backend.

    >>> change = CellChange(3, "model.fit(x)", ["- moved: True", "+ moved: False"])
    >>> text = format_report(
    ...     {"fine-tuning": {"tensorflow": [change]}, "index": {"tensorflow": []}},
    ...     {"locked": "3.15.1", "next": "3.16.0.dev1"})
    >>> print(text.split("## ")[0])  # doctest: +NORMALIZE_WHITESPACE
    # Forward check: the pages on Keras 3.16.0.dev1
    <BLANKLINE>
    Locked Keras 3.15.1 against keras-nightly 3.16.0.dev1, on TensorFlow. ...
    <BLANKLINE>
    | page | TensorFlow |
    |---|---|
    | fine-tuning | 1 cell changes |
    | index | same facts |
    <BLANKLINE>
    <BLANKLINE>
    >>> "- moved: True" in text and "model.fit(x)" in text
    True
    """
    backends = [name for name in BACKENDS if any(name in runs for runs in results.values())]
    lines = [
        f"# Forward check: the pages on Keras {versions['next']}",
        "",
        f"Locked Keras {versions['locked']} against keras-nightly {versions['next']}, on "
        + ", ".join(BACKENDS[name] for name in backends)
        + ". A cell is listed when its facts (counts, shapes, names, True/False, error "
        "types) differ from the locked run's; decimal numbers are left out. Made by "
        "`nox -s nightly` (keras_model_guide.forward_check).",
        "",
        "| page | " + " | ".join(BACKENDS[name] for name in backends) + " |",
        "|---|" + "---|" * len(backends),
    ]
    for page, runs in results.items():
        cells = [_summary(runs.get(name, "not run")) for name in backends]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    for page, runs in results.items():
        changed = {name: value for name, value in runs.items() if value and isinstance(value, list)}
        if not changed:
            continue
        lines += ["", f"## {page}"]
        for name, changes in changed.items():
            for change in changes:
                lines += ["", f"Cell {change.index} (`{change.first_line}`) on {BACKENDS[name]}:"]
                lines += ["", "```diff", *change.lines, "```"]
    return "\n".join(lines) + "\n"


def _summary(value: list[CellChange] | str) -> str:
    if isinstance(value, str):
        return value
    if not value:
        return "same facts"
    return f"{len(value)} cell{' changes' if len(value) == 1 else 's change'}"


# -- Running the pages -------------------------------------------------------------------


def locked_keras(lock: Path) -> str:
    """The Keras version uv.lock pins.

    >>> locked_keras(Path("uv.lock")).count(".") >= 2
    True
    """
    packages = tomllib.loads(lock.read_text(encoding="utf-8"))["package"]
    return next(package["version"] for package in packages if package["name"] == "keras")


def pages(docs: Path) -> list[Path]:
    """The executed pages: MyST notebooks (``file_format: mystnb``), by name."""
    return sorted(
        path for path in docs.glob("*.md") if "file_format: mystnb" in path.read_text("utf-8")
    )


def _kernel_environment(build: Path, backend: str) -> dict[str, str]:
    """What the build's kernels run with (execution.py), on ``backend``."""
    from keras_model_guide import offline

    env = offline.environ()
    env.update(
        KERAS_BACKEND=backend,
        KERAS_HOME=str(build / ".keras"),  # the build's keras.json: Keras's defaults
        IPYTHONDIR=str(build / ".ipython"),  # its kernel profile: no C++ start-up lines
        TF_CPP_MIN_LOG_LEVEL="3",
    )
    env.pop("PYTHONWARNINGS", None)
    return env


def run_page(notebook: Notebook, env: dict[str, str], timeout: int = 600) -> Notebook:
    """Execute a copy of ``notebook`` to its end, errors kept as outputs, in a temp folder."""
    from nbclient import NotebookClient

    run = copy.deepcopy(notebook)  # the caller's notebook keeps no outputs of this run
    with tempfile.TemporaryDirectory(prefix="nightly-") as folder:
        client = NotebookClient(
            run,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,  # a cell that fails on the next Keras is a change to report
            resources={"metadata": {"path": folder}},
        )
        # The kernels' start-up lines (TensorFlow's C++ log) are not the report's business.
        client.execute(env=env, stderr=subprocess.DEVNULL)
    return run


def check(
    docs: Path, backends: Sequence[str], only: Iterable[str] = (), jobs: int = 2
) -> dict[str, dict[str, list[CellChange] | str]]:
    """Run each page on each backend, ``jobs`` at a time; compare with the build's runs.

    The build's runs are its execution caches, matched on the same code.
    """
    from concurrent.futures import ThreadPoolExecutor

    from jupyter_cache import get_cache

    from keras_model_guide.sphinxext.execution import cache_key
    from keras_model_guide.sphinxext.notebook_files import page_notebook

    build = docs / "_build"
    base = build / ".jupyter_cache" / cache_key(docs)
    if not base.is_dir():
        raise SystemExit(
            f"No execution cache at {base}: the forward check compares with the build's runs "
            "on the locked Keras. Build first: nox -s docs -- --all-backends"
        )
    wanted = set(only)
    results: dict[str, dict[str, list[CellChange] | str]] = {}
    runs = {}
    for path in pages(docs):
        if wanted and path.stem not in wanted:
            continue
        notebook = page_notebook(path)
        results[path.stem] = {}
        for backend in backends:
            cache = get_cache(str(base if backend == PINNED else f"{base}-{backend}"))
            try:
                locked = cache.merge_match_into_notebook(notebook)[1]
            except KeyError:
                results[path.stem][backend] = "no locked run (build this page first)"
                continue
            runs[path.stem, backend] = (notebook, locked)
    # Each kernel gets its share of the cores, as the build's kernels do (execution.py).
    threads = str(max(1, (os.cpu_count() or 1) // jobs))

    def compare(page: str, backend: str) -> None:
        notebook, locked = runs[page, backend]
        env = _kernel_environment(build, backend)
        for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
            env.setdefault(name, threads)
        start = time.perf_counter()
        changes = cell_changes(locked, run_page(notebook, env))
        results[page][backend] = changes
        seconds = time.perf_counter() - start
        # A line per run as it ends: the whole check takes minutes (a tool's console output).
        sys.stdout.write(f"{page} on {BACKENDS[backend]}: {_summary(changes)} ({seconds:.0f} s)\n")
        sys.stdout.flush()

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in [pool.submit(compare, *key) for key in runs]:
            future.result()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m keras_model_guide.forward_check --docs docs``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    parser.add_argument("--out", type=Path, help="write the report here too (Markdown)")
    parser.add_argument(
        "--backends", default=",".join(installed()), help="comma-separated KERAS_BACKEND values"
    )
    parser.add_argument("--jobs", type=int, default=2, help="pages run at once (default 2)")
    parser.add_argument("pages", nargs="*", help="page names (default: every executed page)")
    args = parser.parse_args(argv)
    backends = [name for name in args.backends.split(",") if name]
    unknown = [name for name in backends if name not in BACKENDS]
    if unknown:
        parser.error(f"unknown backend {', '.join(unknown)}: choose from {', '.join(BACKENDS)}")
    try:
        next_keras = metadata.version("keras-nightly")
    except metadata.PackageNotFoundError:
        parser.error("keras-nightly is not installed here: run `nox -s nightly`, which installs it")
    versions = {"locked": locked_keras(args.docs.parent / "uv.lock"), "next": next_keras}
    report = format_report(check(args.docs, backends, args.pages, args.jobs), versions)
    sys.stdout.write("\n" + report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
