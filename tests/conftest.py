"""Fixtures shared by the test modules, and the build's offline stand-ins for the tests.

The tests run the same lesson code as the pages, so they need what the docs build gives
its kernels (src/keras_model_guide/offline): ``keras.datasets.mnist.load_data()`` falls
back to a verified copy when Keras's host is out of reach, and ``dot`` renders with
graphviz-pure. This process gets the MNIST fallback here; subprocesses the environment.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

import pytest
from support import SITE, require

from keras_model_guide import offline

os.environ.update(offline.environ())
sys.path.insert(0, str(offline.HERE))  # sitecustomize's fallback imports mnist_offline
runpy.run_path(str(offline.HERE / "sitecustomize.py"))


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site; `nox -s docs` makes it (the tests session builds it first)."""
    require(
        (SITE / "en" / "index.html").is_file() and (SITE / "ko" / "index.html").is_file(),
        f"no built site in {SITE}: run `nox -s docs`",
    )
    return SITE
