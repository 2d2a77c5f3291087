"""What tests share: project paths, and the one rule for optional tools.

Tests that need Chromium, Graphviz's ``dot`` or the built site call ``require(...)``:
it skips on a laptop that lacks the tool, but with ``KERAS_MODEL_GUIDE_STRICT=1``
(``.ci/run`` sets it) a missing tool fails the test, so CI can never pass by skipping.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "docs" / "_build" / "html"
STRICT = os.environ.get("KERAS_MODEL_GUIDE_STRICT") == "1"
#: The browser every Chromium test and Lighthouse drive: Debian's by default; the GitHub
#: workflow points this at the runner's Chrome (Ubuntu's chromium package is a snap).
CHROMIUM = Path(os.environ.get("KERAS_MODEL_GUIDE_CHROMIUM") or "/usr/bin/chromium")


def require(condition: object, reason: str) -> None:
    """Skip the calling test with ``reason`` unless ``condition`` holds; fail in strict mode."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"{reason} (KERAS_MODEL_GUIDE_STRICT=1 forbids skipping)")
    pytest.skip(reason)


def docs_extension(name: str) -> ModuleType:
    """Import a Sphinx extension of the build (``keras_model_guide.sphinxext.<name>``)."""
    return importlib.import_module(f"keras_model_guide.sphinxext.{name}")


T = TypeVar("T")
#: Pages run in fresh processes this many at a time: one per core, as `sphinx-build -j auto`
#: executes them (each kernel is mostly single-threaded).
PARALLEL_RUNS = min(os.cpu_count() or 1, 2)


@contextmanager
def run_all(jobs: dict[str, Callable[[], T]]) -> Iterator[dict[str, Future[T]]]:
    """Start every job, PARALLEL_RUNS at a time; each test then waits for its own result.

    Leaving the block cancels what has not started (Ctrl-C, a failed fixture).

    >>> with run_all({"two": lambda: 1 + 1}) as runs:
    ...     runs["two"].result()
    2
    """
    pool = ThreadPoolExecutor(max_workers=PARALLEL_RUNS, thread_name_prefix="page-run")
    try:
        yield {name: pool.submit(job) for name, job in jobs.items()}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


HANGUL = re.compile(r"[가-힣]")


def english_prose(block: str) -> bool:
    """A Markdown block left in English: Latin words and no Hangul, once code, URLs and
    the titles of outside pages (proper names) are left out.

    >>> english_prose("See `keras.Model` on [Keras](https://keras.io/api/).")
    True
    >>> english_prose("`keras.Model`을 보세요."), english_prose("```python x = 1```")
    (False, False)
    """
    if block.startswith(("```", "~~~")):
        return False  # a code block
    words = re.sub(r"`[^`]*`", "", block)  # code, like `keras.utils.vis_utils`, is not prose
    # A link to an outside page keeps that page's own title ("Save, serialize, ...").
    words = re.sub(r"\[[^\]]*\]\(https?://(?!keras-model-guide)[^)]*\)", "", words)
    words = re.sub(r"\(https?://[^)]*\)|\b[\w.-]+\.(io|org|com)\b", "", words)
    return bool(re.search(r"[A-Za-z]{3}", words)) and not HANGUL.search(block)
