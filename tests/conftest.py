"""Fixtures and markers shared by the test modules, and the build's offline stand-ins.

Two speeds: `nox -s tests` runs everything not marked `site` or `slow` in under a
minute; `nox -s site` builds the site and runs exactly those. A test never marks itself
`site`: taking the `site` fixture does it (see `pytest_collection_modifyitems`), so a
new test that reads the built HTML lands in the right session by itself.

The tests run the same lesson code as the pages, so they get what the docs build gives
its kernels (src/keras_model_guide/offline): ``keras.datasets.mnist.load_data()`` falls
back to a verified copy when Keras's host is out of reach, and ``dot`` renders with
graphviz-pure. This process gets the MNIST fallback here; subprocesses the environment.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from static_host import serve
from support import SITE, require

from keras_model_guide import offline

os.environ.update(offline.environ())
sys.path.insert(0, str(offline.HERE))  # sitecustomize's fallback imports mnist_offline
importlib.import_module("keras_model_guide.offline.sitecustomize")


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site; `nox -s site` builds it before running the tests that take it."""
    require(
        (SITE / "en" / "index.html").is_file() and (SITE / "ko" / "index.html").is_file(),
        f"no built site in {SITE}: run `nox -s site` (or `nox -s docs`, then pytest -m site)",
    )
    return SITE


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site served as a static host serves it (static_host.py); its base URL."""
    with serve(site) as url:
        yield url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `site` every test that takes the `site` fixture, directly or through another."""
    for item in items:
        if "site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)
