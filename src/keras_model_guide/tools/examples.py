"""Write (or check) ``examples/*.py``: each executed page as a standalone script.

``nox -s examples`` runs ``python -m keras_model_guide.tools.examples --write-examples``
from the project's root; ``--check`` says which scripts are stale. The scripts are what
the English build offers as each page's ``.py`` download, without the "ran on" line.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from keras_model_guide.sphinxext.notebook_files import (
    is_notebook,
    notebook_script,
    page_notebook,
    script_name,
)


def write_examples(docs: Path, folder: Path) -> list[Path]:
    """Write every executed page of ``docs`` as a script into ``folder``; return the files."""
    written = []
    for page in sorted(docs.glob("*.md")):
        if is_notebook(page.read_text(encoding="utf-8")):
            target = folder / script_name(page.stem)
            target.write_text(notebook_script(page_notebook(page), page.stem), encoding="utf-8")
            written.append(target)
    return written


def stale_examples(docs: Path, folder: Path) -> list[str]:
    """Name the scripts in ``folder`` that differ from what the pages make, or are extra."""
    with tempfile.TemporaryDirectory() as fresh:
        expected = {
            path.name: path.read_text(encoding="utf-8")
            for path in write_examples(docs, Path(fresh))
        }
    present = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.py")}
    return sorted(
        name for name in expected.keys() | present.keys() if expected.get(name) != present.get(name)
    )


def main(argv: list[str] | None = None) -> int:
    """Write (``--write-examples``) or check (``--check``) the example scripts."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write-examples", action="store_true", help="rewrite examples/*.py")
    action.add_argument("--check", action="store_true", help="exit 1 if any script is stale")
    parser.add_argument("--root", type=Path, default=Path(), help="the project's folder")
    args = parser.parse_args(argv)
    docs, examples = args.root / "docs", args.root / "examples"
    if args.write_examples:
        for path in write_examples(docs, examples):
            print(f"wrote {path}")
        return 0
    stale = stale_examples(docs, examples)
    for name in stale:
        print(f"examples/{name} is stale: run `nox -s examples` and commit the result")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
