"""Every "On your own" exercise has a folded solution cell right after it, with output.

The checks read the built notebooks (the downloads), whose cells are the page's: the
exercise is a list item in a markdown cell, and the next cell is its solution, tagged
`hide-cell` so that the page folds it, and executed at build so that it shows its answer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

HEADINGS = {"en": "On your own", "ko": "직접 해 보기"}
ITEM = re.compile(r"^(?:\d+\.|[-*]) ", re.MULTILINE)


def exercises(notebook: dict, heading: str) -> list[tuple[str, dict | None]]:
    """Each exercise of the notebook's "On your own" section, with the cell after it."""
    cells = notebook["cells"]
    found, inside = [], False
    for index, cell in enumerate(cells):
        source = "".join(cell["source"])
        if cell["cell_type"] != "markdown":
            continue
        if re.search(rf"^## {re.escape(heading)}\s*$", source, re.MULTILINE):
            inside = True
            source = source.split(heading, 1)[1]
        elif inside and re.search(r"^## ", source, re.MULTILINE):
            source = re.split(r"^## ", source, flags=re.MULTILINE)[0]
            inside = False
            if not source.strip():
                break
        elif not inside:
            continue
        items = ITEM.findall(source)
        following = cells[index + 1] if index + 1 < len(cells) else None
        found += [(source, following)] * len(items)
        if len(items) > 1:  # two exercises share one solution: report it as a missing one
            found.append((source, None))
    return found


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_exercise_has_a_folded_solution_with_output(site: Path, language: str) -> None:
    pages = sorted((site / language).glob("*.ipynb"))
    checked = 0
    for path in pages:
        notebook = json.loads(path.read_text("utf-8"))
        for exercise, solution in exercises(notebook, HEADINGS[language]):
            checked += 1
            where = f"{language}/{path.name}: {exercise.strip()[:70]!r}"
            assert solution is not None, f"{where}: no solution"
            assert solution["cell_type"] == "code", f"{where}: no solution cell"
            assert "hide-cell" in solution["metadata"].get("tags", []), f"{where}: not folded"
            assert solution["outputs"], f"{where}: the solution shows no output"
    assert checked, f"no exercise found in {len(pages)} {language} notebooks"
