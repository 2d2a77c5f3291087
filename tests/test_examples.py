"""The example scripts answer --help and a user's mistakes at once, before any training.

Their full runs, in a fresh environment without this package, are in test_downloads.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_every_executed_page_has_a_script() -> None:
    assert {path.stem for path in SCRIPTS} >= {
        "sequential",
        "functional",
        "multi_io",
        "plots",
        "extract_combine",
        "keras3_changes",
    }


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_help_names_the_options_and_the_page(script: Path) -> None:
    done = run(script, "--help")
    assert done.returncode == 0, done.stderr
    assert "--quick" in done.stdout
    assert "--out FOLDER" in done.stdout
    assert "Keras Model guide" in " ".join(done.stdout.split())  # argparse wraps lines


@pytest.mark.parametrize("script", SCRIPTS[:1], ids=lambda path: path.stem)
def test_an_unknown_flag_is_a_usage_error(script: Path) -> None:
    done = run(script, "--epochs", "3")
    assert done.returncode == 2
    assert "unrecognized arguments: --epochs 3" in done.stderr
    assert done.stderr.startswith("usage:")


@pytest.mark.parametrize("out", ["/proc", "/dev/null/sub"])
def test_an_unwritable_out_folder_fails_before_any_work(out: str) -> None:
    done = run(ROOT / "examples" / "sequential.py", "--out", out)
    assert done.returncode == 2
    assert f"cannot write to --out {out}" in done.stderr
    assert "Traceback" not in done.stderr
