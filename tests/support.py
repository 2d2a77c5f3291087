"""What tests share: project paths, and the one rule for optional tools.

Tests that need Chromium, Graphviz's ``dot`` or the built site call ``require(...)``:
it skips on a laptop that lacks the tool, but with ``KERAS_MODEL_GUIDE_STRICT=1``
(``.ci/run`` sets it) a missing tool fails the test, so CI can never pass by skipping.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "docs" / "_build" / "html"
STRICT = os.environ.get("KERAS_MODEL_GUIDE_STRICT") == "1"


def require(condition: object, reason: str) -> None:
    """Skip the calling test with ``reason`` unless ``condition`` holds; fail in strict mode."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"{reason} (KERAS_MODEL_GUIDE_STRICT=1 forbids skipping)")
    pytest.skip(reason)


@functools.cache
def docs_extension(name: str) -> ModuleType:
    """Load a Sphinx extension from docs/_ext (they are plain files, not an installed package)."""
    # As under Sphinx (conf.py), the extensions import one another from that folder.
    if str(ROOT / "docs" / "_ext") not in sys.path:
        sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / "_ext" / f"{name}.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
