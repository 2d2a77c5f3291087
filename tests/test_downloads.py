"""Each executed page downloads as a notebook and a script that run without this project."""

from __future__ import annotations

import ast
import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from importlib import metadata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import HANGUL, PARALLEL_RUNS, ROOT, docs_extension, english_prose, require, run_all

from keras_model_guide import offline

EXAMPLES = ROOT / "examples"
BACKENDS = ("tensorflow", "jax", "torch")  # KERAS_BACKEND values
notebook_files = docs_extension("notebook_files")
code_comments = docs_extension("code_comments")
CATALOGS = ROOT / "docs" / "locales" / "ko" / "LC_MESSAGES"


def english_comments(source: str) -> list[str]:
    """The comments and docstrings of ``source`` that are English prose."""
    return [message for message in code_comments.messages(source) if english_prose(message)]


PAGES = sorted(path.stem for path in EXAMPLES.glob("*.py"))

#: The "ran on" paragraph at the top of a downloaded script's docstring.
RAN_ON = re.compile(r"\n(?:Ran on Keras|실행 환경: Keras) .*?\n\n", re.DOTALL)


def docname(script: str) -> str:
    return script.replace("_", "-")


def notebook(site: Path, language: str, page: str) -> dict:
    return json.loads((site / language / f"{docname(page)}.ipynb").read_text("utf-8"))


@pytest.mark.site
@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("doc", PAGES)
def test_page_links_its_notebook_and_script(site: Path, language: str, doc: str) -> None:
    html = (site / language / f"{docname(doc)}.html").read_text("utf-8")
    links = {a["href"] for a in BeautifulSoup(html, "html.parser").select("p.page-downloads a")}
    assert links == {f"{docname(doc)}.ipynb", f"{doc}.py"}  # the script as examples/ names it
    for link in links:
        assert (site / language / link).is_file(), f"{language}/{link} is linked but missing"


@pytest.mark.site
@pytest.mark.parametrize("doc", PAGES)
def test_downloaded_script_is_the_example(site: Path, doc: str) -> None:
    """The English script is the example; the Korean one differs only in its prose."""
    example = (EXAMPLES / f"{doc}.py").read_text("utf-8")
    downloaded = (site / "en" / f"{doc}.py").read_text("utf-8")
    # The download also says what the build ran it on (test_backends checks that line).
    assert RAN_ON.sub("\n", downloaded, count=1) == example
    korean = (site / "ko" / f"{doc}.py").read_text("utf-8")
    docstring = ast.get_docstring(ast.parse(korean)) or ""
    assert HANGUL.search(docstring.split("\n", 1)[0]), f"ko/{doc}.py: {docstring[:80]}"

    def code(script: str) -> str:  # what runs, without its strings and comments
        tree = ast.parse(script)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                node.value = ""
        return ast.unparse(tree)

    assert code(korean) == code(example)
    assert not english_comments(korean), f"English comments in ko/{doc}.py"


@pytest.mark.site
@pytest.mark.parametrize("doc", PAGES)
def test_korean_notebook_has_korean_prose_and_the_same_code_and_outputs(
    site: Path, doc: str
) -> None:
    """Every prose block of ko/<page>.ipynb is Korean: title, description, headings, text,
    and the comments and docstrings of its code, which is the English notebook's."""
    english, korean = notebook(site, "en", doc), notebook(site, "ko", doc)
    catalog = notebook_files.read_catalog(CATALOGS / f"{docname(doc)}.po")

    def code(nb: dict, translations: dict[str, str]) -> list[tuple[str, str]]:
        return [
            (
                code_comments.translate("".join(cell["source"]), translations),
                json.dumps(cell["outputs"]),
            )
            for cell in nb["cells"]
            if cell["cell_type"] == "code"
        ]

    assert code(english, catalog) == code(korean, {})
    comments = [
        english_comments("".join(cell["source"]))
        for cell in korean["cells"]
        if cell["cell_type"] == "code"
    ]
    assert not any(comments), f"English comments in ko/{docname(doc)}.ipynb: {comments}"
    alts = [
        cell["metadata"]["mystnb"]["image"]["alt"]
        for cell in korean["cells"]
        if "alt" in cell["metadata"].get("mystnb", {}).get("image", {})
    ]
    assert not [alt for alt in alts if english_prose(alt)], f"ko/{docname(doc)}.ipynb: {alts}"
    assert any(cell["outputs"] for cell in english["cells"] if cell["cell_type"] == "code")
    assert HANGUL.search(korean["metadata"]["title"]), korean["metadata"]["title"]
    prose = ["".join(cell["source"]) for cell in korean["cells"] if cell["cell_type"] == "markdown"]
    assert prose[0].startswith("# "), prose[0][:80]
    assert HANGUL.search(prose[0].split("\n", 1)[0]), prose[0][:80]
    # Blocks as the build splits them (a fenced block whole), in every prose cell.
    blocks = [block for text in prose for block in notebook_files.markdown_blocks(text)]
    untranslated = [block[:80] for block in blocks if english_prose(block)]
    assert not untranslated, f"English left in ko/{docname(doc)}.ipynb: {untranslated}"


@pytest.mark.site
@pytest.mark.parametrize("doc", PAGES)
def test_notebooks_hold_no_myst_markup(site: Path, doc: str) -> None:
    for language in ("en", "ko"):
        text = json.dumps(notebook(site, language, doc))
        assert "{ref}" not in text, f"{language}/{doc}.ipynb"
        # A notebook runs no MyST directive: a ```{description} block would show raw.
        assert not re.search(r"(`{3,}|~{3,})\{", text), f"{language}/{doc}.ipynb: a directive"
        assert ".md)" not in text, f"{language}/{doc}.ipynb links a source file"


# -- A reader's own Python -----------------------------------------------------------

#: What a reader installs to run a page: the Keras stack, and Jupyter for notebooks.
#: JAX and PyTorch too: every notebook runs to its end on each backend a reader may pick.
READER_STACK = [
    "tensorflow",
    "jax",
    "jaxlib",
    "torch",
    "keras",
    "numpy",
    "matplotlib",
    "pydot",
    "nbmake",  # runs a notebook as pytest's test item (nbclient, ipykernel)
    "nbclient",
    "ipykernel",
]


@pytest.fixture(scope="module")
def reader_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the Keras stack and not this project."""
    uv = shutil.which("uv")
    require(uv, "uv not found: it builds the reader's fresh environment (pip install uv)")
    venv = tmp_path_factory.mktemp("reader") / "venv"
    subprocess.run(
        [uv, "venv", "--quiet", "--seed", "--python", sys.executable, str(venv)], check=True
    )
    python = venv / "bin" / "python"
    # The versions this build used, so the reader's run computes the same numbers. With
    # their bytecode, as pip installs them: uv leaves it out, and where Python may not write
    # it (PYTHONDONTWRITEBYTECODE, set on our CI machines), every run compiled TensorFlow or
    # PyTorch again, `import keras` 11-13 s instead of 5-6 s.
    pins = [f"{name}=={metadata.version(name)}" for name in READER_STACK]
    install = [uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", str(python)]
    subprocess.run([*install, *pins], check=True)
    return python


def reader_env(python: Path, backend: str = "tensorflow") -> dict[str, str]:
    """The reader's environment: their venv and the system's Graphviz, nothing of ours
    but the MNIST stand-in (Keras's download host is out of reach on build machines),
    with the Keras backend they picked."""
    system_path = [
        part
        for part in os.environ["PATH"].split(os.pathsep)
        if Path(part) not in {offline.HERE / "bin", Path(sys.executable).parent}
    ]
    env = {
        key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    env["PATH"] = os.pathsep.join([str(python.parent), *system_path])
    env["PYTHONPATH"] = str(offline.HERE)
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    env["KERAS_BACKEND"] = backend
    # The runs go PARALLEL_RUNS at a time: each gets its share of the cores, as the build's
    # kernels do. PyTorch starts a thread per core, and two sequential.ipynb runs on PyTorch
    # side by side on 2 cores took 290 s with its default threads, 47 s with one each.
    threads = str(max(1, (os.cpu_count() or 1) // PARALLEL_RUNS))
    for name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        env.setdefault(name, threads)
    return env


def system_dot() -> str | None:
    return shutil.which("dot", path=reader_env(Path(sys.executable))["PATH"])


def run_download(
    python: Path, site: Path, kind: str, page: str, folder: Path, *, backend: str = "tensorflow"
) -> str | None:
    """Run one page's download on ``backend``, as a reader would, in ``folder``; return its
    error, if any."""
    if kind == "notebook":
        path = folder / f"{docname(page)}.ipynb"
        shutil.copy(site / "en" / path.name, path)
        (folder / "pytest.ini").write_text("[pytest]\n")  # this folder's pytest, not ours
        # nbmake runs every cell (the kernel is the reader's Python) and fails on an error,
        # except in a cell tagged raises-exception, as the build does.
        command = ["-m", "pytest", "--nbmake", "--nbmake-timeout=900", "-q", path.name]
    else:
        command = [str(EXAMPLES / f"{page}.py"), "--quick", "--out", str(folder)]
    done = subprocess.run(
        [str(python), *command],
        cwd=folder,
        env=reader_env(python, backend),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        return f"exit {done.returncode}:\n{(done.stdout + done.stderr)[-3000:]}"
    if kind == "script" and str(folder) not in done.stdout.splitlines()[-1]:
        return f"the script's last line does not name --out {folder}:\n{done.stdout[-1000:]}"
    return None


@pytest.fixture(scope="module")
def reader_runs(
    site: Path, reader_python: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[str | None]]]:
    """Every page's notebook on each backend and script on TensorFlow, run in the reader's
    Python two at a time."""
    require(system_dot(), "no Graphviz `dot` on PATH: apt-get install graphviz")
    runs = [("script", "tensorflow")] + [("notebook", backend) for backend in BACKENDS]
    jobs = {
        f"{kind}/{page}/{backend}": functools.partial(
            run_download,
            reader_python,
            site,
            kind,
            page,
            tmp_path_factory.mktemp(kind),
            backend=backend,
        )
        for page in PAGES
        for kind, backend in runs
    }
    with run_all(jobs) as runs:
        yield runs


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("doc", PAGES)
def test_downloaded_notebook_runs_in_a_readers_python(
    reader_runs: dict[str, Future[str | None]], doc: str, backend: str
) -> None:
    """Top to bottom ("Run All") on every backend: a cell that fails on one backend only
    catches and prints its error, or is tagged raises-exception."""
    error = reader_runs[f"notebook/{doc}/{backend}"].result()
    assert error is None, f"{docname(doc)}.ipynb on {backend}, in a fresh Python: {error}"


@pytest.mark.slow
@pytest.mark.parametrize("doc", PAGES)
def test_example_script_runs_quick_in_a_readers_python(
    reader_runs: dict[str, Future[str | None]], doc: str
) -> None:
    error = reader_runs[f"script/{doc}/tensorflow"].result()
    assert error is None, f"examples/{doc}.py --quick, in a fresh Python: {error}"
