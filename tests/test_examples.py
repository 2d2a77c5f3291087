"""Every script in examples/ runs as ``__main__``, does what it says, and links to its page.

The five scripts run in parallel subprocesses (TensorFlow's import dominates each run), in
their ``--quick`` mode, each writing into its own ``tmp_path`` folder.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from support import ROOT

EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"
SITE_URL = "https://keras-model-guide.readthedocs.io"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
QUICK = "--quick"
TIMEOUT = 300  # seconds per script; quick runs take 10-20 s on a 2-core machine

#: What each example must print (regular expressions) and write (file name -> words in it).
EXPECTED: dict[str, dict] = {
    "sequential_mnist.py": {
        "prints": [
            r"parameters: 472,042\n",
            r"epoch 1: loss [\d.]+, categorical_accuracy [\d.]+\n",
            r"test: +loss [\d.]+, accuracy (?P<accuracy>[\d.]+)\n",
        ],
        "writes": {"training_curve.png": []},
    },
    "functional_reuse.py": {
        "prints": [
            r"seq_model parameters: +472,042\n",
            r"model1 parameters: +472,042\n",
            r"model1 test: +loss [\d.]+, accuracy (?P<accuracy>[\d.]+)\n",
            r"identical: True\n",
            r"model1 changed: True\n",
            r"copy changed: +False\n",
            r"shared with copy: +\[\]\n",
        ],
        "writes": {},
    },
    "multi_io.py": {
        "prints": [
            r"parameters: 5,200,610\n",
            r"inputs: +\['main_input', 'aux_input'\]\n",
            r"outputs: +\['main_output', 'aux_output'\]\n",
            r"prediction shapes: \(64, 1\) \(64, 1\)\n",
            r"misspelled name: Unknown target name 'main_outptu' \(did you mean 'main_output'\?\)",
        ],
        "writes": {
            "multi_io.svg": ["main_input", "aux_input", "lstm", "main_output", "aux_output"]
        },
    },
    "model_plots.py": {
        "prints": [r"seq_model: 472,042 parameters\n", r"multi_io: 5,200,610 parameters\n"],
        "writes": {
            "seq_model.svg": ["dense", "dense_3", "(None, 512)"],
            "multi_io.svg": ["main_input", "aux_input", "embedding", "main_output"],
        },
    },
    "extract_combine.py": {
        "prints": [
            r"encoder output shape: \(None, 32\) codes: \(5, 32\)\n",
            r"autoencoder loss per epoch: \[[\d.]+\]\n",
            r"classifier test accuracy: (?P<accuracy>[\d.]+)\n",
        ],
        "writes": {
            "autoencoder.svg": ["encoder", "decoder", "dense_2"],
            "reconstructions.png": [],
        },
    },
}


def example_names() -> list[str]:
    return sorted(path.name for path in EXAMPLES.glob("*.py"))


def run_example(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``examples/name`` as ``__main__`` with this Python, the way a reader would."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True, text=True, timeout=TIMEOUT, check=False, cwd=cwd, env=env,
    )  # fmt: skip


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory) -> dict[str, tuple[Path, Future]]:
    """Start every example's quick run at once; each test waits for its own."""
    runs = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for name in EXPECTED:
            out = tmp_path_factory.mktemp(name.removesuffix(".py"))
            # Scripts that write files take --out; functional_reuse.py only prints.
            args = [QUICK, "--out", str(out)] if EXPECTED[name]["writes"] else [QUICK]
            runs[name] = (out, pool.submit(run_example, name, *args, cwd=out))
        yield runs


def test_every_example_is_tested():
    assert example_names() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name, quick_runs):
    out, future = quick_runs[name]
    done = future.result()
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr

    for pattern in EXPECTED[name]["prints"]:
        match = re.search(pattern, done.stdout)
        assert match, f"{name} did not print {pattern!r}:\n{done.stdout}"
        if "accuracy" in match.groupdict():
            assert 0.5 < float(match["accuracy"]) <= 1.0, match.group(0)

    written = {path.name for path in out.iterdir()}
    assert written == set(EXPECTED[name]["writes"]), f"{name} wrote {sorted(written)}"
    for file_name, words in EXPECTED[name]["writes"].items():
        path = out / file_name
        assert f"wrote {path}" in done.stdout, f"{name} does not print where {file_name} is"
        if path.suffix == ".png":
            assert path.read_bytes().startswith(PNG_SIGNATURE)
        else:
            root = ET.parse(path).getroot()
            assert root.tag == SVG_ROOT
            text = " ".join(root.itertext())
            missing = [word for word in words if word not in text]
            assert not missing, f"{file_name} does not show {missing}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_help(name, tmp_path):
    done = run_example(name, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")
    assert QUICK in done.stdout
    assert re.search(r"\d+ s\b", done.stdout), "--help should say how long a run takes"
    assert not list(tmp_path.iterdir()), "--help must not write anything"


@pytest.mark.parametrize("name", sorted(name for name in EXPECTED if EXPECTED[name]["writes"]))
def test_example_bad_out_folder(name, tmp_path):
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("a file, not a folder\n", encoding="utf-8")
    done = run_example(name, "--out", str(not_a_folder / "plots"), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "cannot use --out" in done.stderr
    assert "Traceback" not in done.stderr


def download_links() -> dict[str, list[str]]:
    """Map each page (file stem) to the example scripts it links with a {download} role."""
    links = {}
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        links[page.stem] = re.findall(r"\{download\}`[^`<]*<([^>`]+)>`", text)
    return links


def test_download_links_name_existing_examples():
    linked = []
    for page, targets in download_links().items():
        for target in targets:
            path = (DOCS / target).resolve()
            assert path.is_file(), f"docs/{page}.md links {target}, which does not exist"
            assert path.parent == EXAMPLES, f"docs/{page}.md links {target}, not in examples/"
            linked.append(path.name)
    assert sorted(linked) == example_names(), "each example is linked by exactly one page"


@pytest.mark.parametrize("name", example_names())
def test_example_header_links_its_page(name):
    pages = [page for page, targets in download_links().items()
             if any(Path(target).name == name for target in targets)]  # fmt: skip
    assert len(pages) == 1, f"{name} is linked from {pages}, expected one page"
    header = ast.get_docstring(ast.parse((EXAMPLES / name).read_text(encoding="utf-8")))
    assert header, f"{name} has no module docstring"
    for language in ("en", "ko"):
        url = f"{SITE_URL}/{language}/{pages[0]}.html"
        assert url in header, f"{name}'s docstring does not link {url}"
