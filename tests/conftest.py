"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SITE, require


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site; `nox -s docs` makes it (the tests session builds it first)."""
    require(
        (SITE / "en" / "index.html").is_file() and (SITE / "ko" / "index.html").is_file(),
        f"no built site in {SITE}: run `nox -s docs`",
    )
    return SITE
