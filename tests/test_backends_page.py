"""The built backends page: TensorFlow and JAX agree on what must not depend on the backend.

The page runs the post's experiment in the build's kernel (TensorFlow) and in a subprocess
with ``KERAS_BACKEND=jax``, and prints a table of both. These tests read that table from
the built HTML; they never execute the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.site


def table(site: Path) -> dict[str, list[str]]:
    """The backends page's comparison table, as {row label: [TensorFlow value, JAX value]}."""
    page = site / "en" / "backends.html"
    assert page.is_file(), "the site has no backends page"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    text = "\n".join(output.get_text() for output in soup.select("div.cell_output"))
    rows = {}
    for line in text.splitlines():
        if ":" in line:  # a labelled line ("backend: tensorflow"), not a table row
            continue
        row = re.match(r"^(\w[\w ]*?)\s+(\S+)\s+(\S+)$", line)
        if row:
            rows[row[1]] = [row[2], row[3]]
    header = re.search(r"^\s+(\w+)\s+(\w+)$", text, re.MULTILINE)
    if header:
        rows["backend"] = list(header.groups())
    return rows


def test_the_table_compares_tensorflow_with_jax(site: Path) -> None:
    assert table(site).get("backend") == ["tensorflow", "jax"]


def test_jax_parameter_count_equals_tensorflows(site: Path) -> None:
    assert table(site).get("parameters") == ["472042", "472042"]


def test_both_backends_share_the_four_layers(site: Path) -> None:
    rows = table(site)
    assert rows.get("layers shared") == ["4", "4"]
    assert rows.get("model1 changed") == ["True", "True"]
