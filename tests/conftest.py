"""Fixtures and markers shared by the test modules.

Two speeds: `nox -s tests` runs everything not marked `site` or `slow` in under a
minute; `nox -s site` builds the site and runs exactly those. A test never marks itself
`site`: taking the `site` fixture does it (see `pytest_collection_modifyitems`), so a
new test that reads the built HTML lands in the right session by itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SITE, require


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site; `nox -s site` builds it before running the tests that take it."""
    require(
        (SITE / "en" / "index.html").is_file() and (SITE / "ko" / "index.html").is_file(),
        f"no built site in {SITE}: run `nox -s site` (or `nox -s docs`, then pytest -m site)",
    )
    return SITE


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `site` every test that takes the `site` fixture, directly or through another."""
    for item in items:
        if "site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)
