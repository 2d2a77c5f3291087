"""A lesson edit re-executes only the pages that inline it (the cache keys on their code).

Works on a copy of the built tree, so the project's own build and cache stay untouched.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

EXECUTED = re.compile(r"\bexecuted \d+/\d+ (\S+)\.md in ")  # docs/_ext/console.py


def pages_inlining(docs: Path, name: str) -> list[str]:
    pattern = re.compile(rf"^:inline:.*\b{re.escape(name)}\b", re.MULTILINE)
    return sorted(
        page.stem for page in docs.glob("*.md") if pattern.search(page.read_text("utf-8"))
    )


def add_comment_to(module: Path, function: str) -> None:
    """Change a function's code (a comment after its docstring), not its behaviour."""
    text = module.read_text("utf-8")
    node = next(n for n in ast.parse(text).body if getattr(n, "name", None) == function)
    lines = text.splitlines()
    lines.insert(node.body[0].end_lineno, "    # An edit: the pages that inline this run again.")
    module.write_text("\n".join(lines) + "\n", "utf-8")


def build_english(tree: Path) -> str:
    docs, build = tree / "docs", tree / "docs" / "_build"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-j", "auto", "-D", "language=en"]
    command += ["-d", str(build / "doctrees" / "en"), str(docs), str(build / "html" / "en")]
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    # Without the colour codes FORCE_COLOR adds (nox sets it in CI): "\x1b[Kexecuted"
    # has no word boundary before "executed".
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", done.stdout + done.stderr)


@pytest.mark.slow
@pytest.mark.site
def test_editing_a_lesson_re_executes_only_the_pages_that_inline_it(
    site: Path, tmp_path: Path
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "uv.lock", tree / "uv.lock")  # conf.py keys the cache folder on it
    shutil.copytree(
        ROOT / "docs", tree / "docs", ignore=shutil.ignore_patterns("ko", "linkcheck", "gettext")
    )
    assert not EXECUTED.findall(build_english(tree)), "the copied cache should be complete"

    # toy_headlines: two pages inline it, so the rebuild stays short. `nox -s bench -- --only
    # lesson` measures the same for build_mlp, which most pages inline.
    add_comment_to(tree / "src/keras_model_guide/lessons/multi_io.py", "toy_headlines")
    executed = sorted(EXECUTED.findall(build_english(tree)))

    users = pages_inlining(tree / "docs", "lessons.multi_io.toy_headlines")
    assert executed == users
    assert 2 <= len(users) < len(list((tree / "docs").glob("*.md")))
