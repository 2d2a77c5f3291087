"""Fault injection: each fault a contributor or reader can hit ends with its cause on the console.

Every test reproduces one scenario on a small throwaway project (a few tiny pages, the
project's own extensions, and for nox the project's own noxfile), then checks the message
that the console shows, that no process is left behind and that nothing is lost. None of
them builds the real site or writes to docs/_build/html or ~/.keras.

The scenarios for MNIST's caches are in test_mnist.py (a temporary KERAS_HOME each) and
the plot renderer in test_plot_renderer.py; this file covers the build and the tools:
a failing page, a hostile environment, stopping and locking through nox, translations
(killed updates, lost and untrustworthy catalogs, stale .mo files), serving, optional tools,
and contributor mistakes (a wrong `:inline:`, a damaged execution cache).

Timing-dependent, so not deterministic: where the random kills of the catalog update land
(test_catalogs.py stops it at every write point deterministically), and how fast processes
end after a stop (the bound is 10 s; they end in about 1 s).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po, write_po
from support import ROOT, require

from keras_model_guide.sphinxext.execution import descendants

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent  # the test environment also holds the docs group
REAL_CONF = ROOT / "docs" / "conf.py"
NOX = shutil.which("nox")
# Where the throwaway clones live: a path with spaces and Hangul, like many readers' homes.
ODD_FOLDER = "my docs 문서"
# ipykernel prints this for every kernel it starts; it says nothing about the build.
KERNEL_NOISE = re.compile(
    r"^\[IPKernelApp\] WARNING \| Kernel is running over TCP.*\n", re.MULTILINE
)
BAD_SIGNS = ("Traceback", "ZMQError", "please open an issue", "Sphinx parallel build error")


def notebook(title: str, *cells: str) -> str:
    """A MyST notebook page with ``cells`` as code cells."""
    body = "".join(
        f"\n```{{code-cell}} ipython3\n{textwrap.dedent(cell).strip()}\n```\n" for cell in cells
    )
    front = (
        "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n"
    )
    return f"{front}# {title}\n{body}"


def index(*pages: str, text: str = "The first page.") -> str:
    """A plain Markdown root page listing ``pages``."""
    toctree = "\n".join(pages)
    return f"# Home\n\n{text}\n\n```{{toctree}}\n{toctree}\n```\n"


def write_docs(docs: Path, pages: dict[str, str], conf: str) -> Path:
    """Write a small Sphinx source folder: conf.py and one file per page."""
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "conf.py").write_text(textwrap.dedent(conf), encoding="utf-8")
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    return docs


def small_conf(*extensions: str) -> str:
    """A conf.py with MyST-NB set up as the project's is, and the project's extensions."""
    return f"""
        from pathlib import Path
        extensions = {["myst_nb", *(f"keras_model_guide.sphinxext.{name}" for name in extensions)]!r}
        exclude_patterns = ["_build", "_root", "locales"]
        nb_execution_mode = "cache"
        nb_execution_cache_path = str(Path(__file__).parent / "_build" / ".jupyter_cache")
        nb_execution_raise_on_error = False
        nb_execution_timeout = 300
        locale_dirs = ["locales/"]
        gettext_compact = False
        gettext_allow_fuzzy_translations = False
    """


def project_conf(docs: Path, *extensions: str) -> str:
    """The project's real conf.py, with a small project's extensions, theme and cache."""
    return f"""
        import runpy
        _real = runpy.run_path({str(REAL_CONF)!r})
        globals().update({{k: v for k, v in _real.items() if not k.startswith("__")}})
        extensions = {["myst_nb", *extensions]!r}
        nb_execution_cache_path = {str(docs / "_build" / ".jupyter_cache")!r}
        exclude_patterns = ["_build", "locales"]
        html_theme = "alabaster"
        html_static_path = templates_path = html_css_files = html_js_files = []
        html_sidebars = {{}}
        html_favicon = None
    """


def clean(output: str) -> str:
    return KERNEL_NOISE.sub("", output)


def sphinx_build(docs: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Build ``docs`` as nox does (-W -n --keep-going -j 2); return the status and the console."""
    done = subprocess.run(
        [
            *(str(BIN / "sphinx-build"), "-b", "html", "-W", "-n", "--keep-going", "-j", "2"),
            *args,
            *("-d", str(docs / "_build" / "doctrees"), str(docs), str(docs / "_build" / "html")),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    return done.returncode, clean(done.stdout + done.stderr)


# 1. A failing page


def test_a_failing_cell_shows_its_own_error_under_parallel_build(tmp_path):
    """The cell's message and next step reach the console, not only "parallel build error"."""
    fault = "raise ValueError('cache.npz is not a usable MNIST file.\\n  Delete or replace it.')"
    pages = {
        "index.md": index("good", "bad"),
        "good.md": notebook("Good", "print('fine')"),
        "bad.md": notebook("Bad", "data = 'loading'", fault),
    }
    docs = write_docs(tmp_path / "docs", pages, small_conf("execution"))

    status, console = sphinx_build(docs)
    assert status == 1
    for sign in ("please open an issue", "Sphinx parallel build error", "ZMQError"):
        assert sign not in console
    assert "ERROR: a code cell failed in the cell that starts `raise ValueError(" in console
    assert "ValueError: cache.npz is not a usable MNIST file." in console
    assert "Delete or replace it." in console
    report = docs / "_build" / "reports" / "en" / "bad.err.log"  # not in the published html
    assert f"The whole traceback: {report}" in console
    assert "ValueError" in report.read_text(encoding="utf-8")
    assert not (docs / "_build" / "html" / "reports").exists()
    assert str(docs / "_build" / "html" / "reports") not in console
    assert "1 page(s) did not execute: bad." in console

    # Nothing changed: the failed page is executed again, not kept with a traceback in it.
    status, console = sphinx_build(docs)
    assert status == 1
    assert "ValueError: cache.npz is not a usable MNIST file." in console

    # Fixed: the build passes and the old report is gone.
    (docs / "bad.md").write_text(notebook("Bad", "print('fixed')"), encoding="utf-8")
    status, console = sphinx_build(docs)
    assert status == 0, console
    assert not report.exists()
    assert "fixed" in (docs / "_build" / "html" / "bad.html").read_text(encoding="utf-8")


def test_a_failing_cell_fails_the_build_even_without_w(tmp_path):
    pages = {"index.md": notebook("Home", "1 / 0")}
    docs = write_docs(tmp_path / "docs", pages, small_conf("execution"))
    done = subprocess.run(
        [str(BIN / "sphinx-build"), "-q", "-b", "html", str(docs), str(docs / "_build" / "html")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1
    assert "ZeroDivisionError: division by zero" in done.stderr


# 2. A hostile environment


def test_a_hostile_environment_builds_the_same_pages(tmp_path):
    """KERAS_BACKEND of an absent backend, a reader's keras.json, PYTHONWARNINGS=error,
    LANG=C, spaces and Hangul: the kernels compute what they compute everywhere."""
    docs = tmp_path / ODD_FOLDER / "docs"
    home = tmp_path / "home"
    (home / ".keras").mkdir(parents=True)
    # Each of these changes what a page computes: float16 weights gave NaN losses.
    hostile = {"floatx": "float16", "epsilon": 0.1, "image_data_format": "channels_first"}
    (home / ".keras" / "keras.json").write_text(json.dumps(hostile), encoding="utf-8")
    pages = {
        "index.md": index("page"),
        "page.md": notebook(
            "모델 페이지",
            "import os\nprint(os.environ.get('KERAS_BACKEND'), os.environ.get('PYTHONWARNINGS'))",
            "import keras\nprint(keras.config.floatx(), keras.config.epsilon(), "
            "keras.config.image_data_format())",
            "print('한국어 출력')",
        ),
    }
    write_docs(docs, pages, project_conf(docs, "keras_model_guide.sphinxext.execution"))
    env = {
        **os.environ,
        "HOME": str(home),
        "KERAS_BACKEND": "jax",  # a reader's own choice for their work
        "PYTHONWARNINGS": "error",
        "LANG": "C",
        "LC_ALL": "C",
    }
    env.pop("KERAS_HOME", None)
    status, console = sphinx_build(docs, env=env)
    assert status == 0, console
    assert "KERAS_BACKEND=jax from your environment is not passed to the pages' kernels" in console
    assert "PYTHONWARNINGS=error from your environment is not passed" in console
    assert "keras.json sets floatx='float16', epsilon=0.1" in console
    page = (docs / "_build" / "html" / "page.html").read_text(encoding="utf-8")
    assert "tensorflow None" in page
    assert "float32 1e-07 channels_last" in page
    assert "한국어 출력" in page


# 3. Through nox: the project's own noxfile on a small clone


@pytest.fixture
def clone(tmp_path) -> Path:
    """A clone of the project's tooling (noxfile, pyproject, root pages) with small docs.

    Its nox sessions reuse this test environment (``-R``: no install), which holds every
    package the docs need.
    """
    require(NOX, "nox is not on PATH: python -m pip install nox")
    folder = tmp_path / ODD_FOLDER
    (folder / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "noxfile.py", folder)
    shutil.copy(ROOT / "pyproject.toml", folder)
    shutil.copytree(ROOT / "docs" / "_root", folder / "docs" / "_root")
    site = folder / "src" / "keras_model_guide" / "site.py"  # noxfile reads the languages
    site.parent.mkdir(parents=True)
    shutil.copy(ROOT / "src" / "keras_model_guide" / "site.py", site)
    for session in ("docs", "translations"):
        (folder / ".nox").mkdir(exist_ok=True)
        (folder / ".nox" / session).symlink_to(sys.prefix, target_is_directory=True)
    return folder


def nox(folder: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NOX), "-R", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_nox(folder: Path, *args: str, log: Path) -> subprocess.Popen[bytes]:
    """Start nox as a terminal would: its own process group, Ctrl-C not ignored."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(NOX), "-R", *args],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # A shell without job control starts programs with Ctrl-C ignored; undo that.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
        )


def running(pid: int) -> bool:
    """Whether ``pid`` still runs: it exists, and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"}


def kernels_below(pid: int) -> list[int]:
    found = []
    for child in descendants(pid):
        try:
            if b"ipykernel" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


def sleeping_pages(folder: Path) -> None:
    """Two pages whose cell sleeps as long as the file ``sleep`` says."""
    seconds = folder / "sleep"
    cell = f"import time, pathlib\ntime.sleep(float(pathlib.Path({str(seconds)!r}).read_text()))"
    pages = {
        "index.md": index("one", "two"),
        "one.md": notebook("One", cell, "print('one done')"),
        "two.md": notebook("Two", cell, "print('two done')"),
    }
    write_docs(folder / "docs", pages, small_conf("execution"))


STOPS = ["SIGTERM to nox", "Ctrl-C", "SIGINT to nox", "kill -9 nox"]


@pytest.mark.parametrize("stop", STOPS)
def test_an_interrupted_build_stops_everything_and_the_next_build_completes(clone, stop):
    """However nox is stopped, sphinx-build, its workers and kernels are gone within 10 s."""
    require(Path("/proc/self/stat").is_file(), "needs Linux's /proc to see the processes")
    sleeping_pages(clone)
    (clone / "sleep").write_text("300")
    log = clone / "nox.log"
    nox_process = start_nox(clone, "-s", "docs", log=log)
    deadline = time.monotonic() + 120
    while len(kernels_below(nox_process.pid)) < 2:  # both pages are executing
        assert nox_process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the kernels never started"
        time.sleep(0.5)
    tree = descendants(nox_process.pid)
    started = time.monotonic()
    if stop == "Ctrl-C":
        os.killpg(nox_process.pid, signal.SIGINT)  # the terminal signals its foreground group
    elif stop == "SIGINT to nox":
        nox_process.send_signal(signal.SIGINT)  # an editor's stop button, `timeout -s INT`
    elif stop == "kill -9 nox":
        nox_process.kill()
    else:
        nox_process.terminate()  # an IDE's stop button: nox alone
    nox_process.wait(timeout=60)
    while left := [pid for pid in tree if running(pid)]:
        assert time.monotonic() - started < 10, f"still running after 10 s: {left}"
        time.sleep(0.2)
    console = clean(log.read_text(encoding="utf-8"))
    if stop == "kill -9 nox":
        assert "The nox session that started this build (pid " in console
        assert "has stopped: stopping this build too." in console
    else:
        assert "Interrupted!" in console
        assert "Session docs interrupted" in console
    for sign in BAD_SIGNS:
        assert sign not in console

    (clone / "sleep").write_text("0")
    done = nox(clone, "-s", "docs")
    assert done.returncode == 0, done.stdout + done.stderr
    html = clone / "docs" / "_build" / "html"
    assert "one done" in (html / "en" / "one.html").read_text(encoding="utf-8")
    assert "two done" in (html / "ko" / "two.html").read_text(encoding="utf-8")


def test_a_second_build_waits_for_the_first_and_reuses_its_pages(clone):
    sleeping_pages(clone)
    (clone / "sleep").write_text("8")
    first = start_nox(clone, "-s", "docs", log=clone / "first.log")
    deadline = time.monotonic() + 60
    while (
        not (clone / "docs" / "_build" / ".build.lock").is_file()
        or not (clone / "docs" / "_build" / ".build.lock").read_text().strip()
    ):
        assert time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.2)
    second = nox(clone, "-s", "docs")
    assert first.wait(timeout=300) == 0
    assert second.returncode == 0, second.stdout + second.stderr
    first_log = (clone / "first.log").read_text(encoding="utf-8")
    second_log = second.stdout + second.stderr
    assert f"Another build is running in this clone (pid {first.pid})" in second_log
    assert "Waiting for it to finish" in second_log
    # Each page ran once in all: the second build found it in the cache.
    assert len(re.findall(r"one\.md: Executed notebook", first_log + second_log)) == 1


def test_sphinx_build_holds_the_lock_so_a_second_build_waits(tmp_path):
    """The lock is held by sphinx-build itself: a build started beside it says so and waits."""
    folder = tmp_path / "project"
    sleeping_pages(folder)
    (folder / "sleep").write_text("6")
    docs = folder / "docs"
    lock = docs / "_build" / ".sphinx.lock"
    first = subprocess.Popen(
        [
            str(BIN / "sphinx-build"),
            "-b",
            "html",
            "-j",
            "2",
            str(docs),
            str(docs / "_build" / "html"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not lock.is_file() or lock.read_text().strip() != str(first.pid):
        assert time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.2)
    status, console = sphinx_build(docs)
    first_console = first.communicate(timeout=300)[0]
    assert first.returncode == 0, first_console
    assert status == 0, console
    assert f"Another build is running in this clone (sphinx-build, pid {first.pid})" in console
    assert "one.md: Executed notebook" not in console  # it reused the first build's pages


def translate_all(po: Path) -> None:
    """Fill every empty msgstr, as a translator would."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and not message.string:
            message.string = f"번역: {message.id}"
    with po.open("wb") as handle:
        write_po(handle, catalog)


def test_an_english_edit_leads_through_translations_to_a_passing_build(clone):
    """Edit English -> build names the step; nox -s translations -> fuzzy; fix -> build passes."""
    sentence = (
        "A paragraph about the Keras Model class that is far longer than eighty characters, "
        "so that no message may cut it short."
    )
    docs = clone / "docs"
    pages = {"index.md": index("page"), "page.md": f"# Page\n\n{sentence}\n"}
    # With the search, as the site builds: it must index what the gate keeps, and no more.
    write_docs(docs, pages, small_conf("translation", "pagefind_search"))
    assert nox(clone, "-s", "translations").returncode == 0
    po = docs / "locales" / "ko" / "LC_MESSAGES" / "page.po"
    translate_all(po)
    translate_all(docs / "locales" / "ko" / "LC_MESSAGES" / "index.po")
    done = nox(clone, "-s", "docs")
    assert done.returncode == 0, done.stdout + done.stderr
    korean_page = docs / "_build" / "html" / "ko" / "page.html"
    assert "번역: A paragraph" in korean_page.read_text(encoding="utf-8")

    # 1. An English edit: the build names the catalog and the command to run.
    edited = sentence.replace("far longer", "much longer")
    (docs / "page.md").write_text(f"# Page\n\n{edited}\n", encoding="utf-8")
    done = nox(clone, "-s", "docs")
    console = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1
    assert f"no ko translation for: {edited} " in console  # the whole English, not cut
    assert "locales/ko/LC_MESSAGES/page.po has no entry for it yet" in console
    assert "run `nox -s translations` to add it" in console
    assert "Extension error" not in console  # the search indexed the pages that are left
    assert not korean_page.exists()  # not left with English in it

    # 2. nox -s translations: the entry is now fuzzy, and the build says what that means.
    done = nox(clone, "-s", "translations")
    assert "delete the '#, fuzzy' line" in done.stdout + done.stderr
    done = nox(clone, "-s", "docs")
    console = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1
    assert "locales/ko/LC_MESSAGES/page.po has this entry marked `#, fuzzy`" in console
    assert "edit it, then delete the `#, fuzzy` line above the entry" in console
    assert "no entry for it yet" not in console  # no more circle back to step 1
    assert not korean_page.exists()

    # 3. Doing what it says: edit the msgstr, delete the fuzzy flag.
    with po.open("rb") as handle:
        catalog = read_po(handle)
    catalog[edited].string = "번역: 고친 문단"
    catalog[edited].flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog)
    done = nox(clone, "-s", "docs")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "번역: 고친 문단" in korean_page.read_text(encoding="utf-8")


# 4. Serving the site


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, Path]]:
    """`nox -s docs -- --serve`'s server, on a small site: (its address, the English page)."""
    docs = write_docs(tmp_path / "docs", {"index.md": index()}, small_conf())
    site = tmp_path / "html"
    for language in ("en", "ko"):
        (site / language).mkdir(parents=True)
    (site / "index.html").write_text("<p>language picker</p>", encoding="utf-8")
    (site / "ko" / "index.html").write_text("<p>한국어 첫 페이지</p>", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "keras_model_guide.tools.serve_site",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
    ]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*command, "-d", str(tmp_path / "doctrees"), str(docs), str(site / "en")],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        deadline = time.monotonic() + 120
        # "[sphinx-autobuild] Serving on http://127.0.0.1:PORT", after the first build
        while not (found := re.search(r"Serving on (http://127\.0\.0\.1:\d+)", log.read_text())):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server never said where it serves"
            time.sleep(0.5)
        # sphinx-autobuild says where it serves just before its web server starts listening.
        host, port = urlsplit(found.group(1)).hostname, urlsplit(found.group(1)).port
        while True:
            try:
                socket.create_connection((host, port), timeout=5).close()
                break
            except ConnectionRefusedError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the server never started listening"
                time.sleep(0.5)
        yield found.group(1), docs / "index.md"
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def test_serve_serves_the_whole_site_and_reloads_english(served):
    address, english_source = served
    assert "language picker" in fetch(f"{address}/index.html")
    assert "한국어 첫 페이지" in fetch(f"{address}/ko/index.html")
    assert "The first page." in fetch(f"{address}/en/index.html")

    english_source.write_text(index(text="An edited first page."), encoding="utf-8")
    deadline = time.monotonic() + 120
    while True:
        try:
            if "An edited first page." in fetch(f"{address}/en/index.html"):
                break
        except (http.client.IncompleteRead, ConnectionError):
            pass  # read while the rebuild rewrote the file (seen once in CI): ask again
        assert time.monotonic() < deadline, "the English page was not rebuilt"
        time.sleep(1)


# 5. Optional tools


def test_missing_npm_says_what_will_not_run(tmp_path):
    """Without npm, `nox -s site` warns that the accessibility tests will not run."""
    require(NOX, "nox is not on PATH: python -m pip install nox")
    empty = tmp_path / "empty-path"
    empty.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    # A session that installs axe-core as `nox -s site` does, with no npm on PATH and no
    # axe-core installed yet.
    (tmp_path / "noxfile.py").write_text(
        textwrap.dedent(f"""
            import os, pathlib, runpy
            import nox

            project = runpy.run_path({str(ROOT / "noxfile.py")!r})

            @nox.session(venv_backend="none")
            def axe(session):
                os.environ["PATH"] = {str(empty)!r}
                folder = pathlib.Path({str(tmp_path)!r})
                tests = "the axe-core accessibility tests"
                project["install_npm"](session, folder, ("axe-core",), tests)
        """),
        encoding="utf-8",
    )
    done = nox(tmp_path, "-s", "axe")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "npm not found: the axe-core accessibility tests will not run" in done.stderr


@pytest.mark.parametrize("strict", [False, True])
def test_a_missing_tool_skips_with_its_reason_but_fails_in_ci(strict, tmp_path):
    test = tmp_path / "test_tool.py"
    test.write_text(
        textwrap.dedent("""
            from support import require

            def test_needs_chromium():
                require(False, "no Chromium at /usr/bin/chromium: apt-get install chromium")
        """),
        encoding="utf-8",
    )
    env = {**os.environ, "KERAS_MODEL_GUIDE_STRICT": "1" if strict else "0"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", str(test)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT / "tests")},
        timeout=120,
        check=False,
    )
    reason = "no Chromium at /usr/bin/chromium: apt-get install chromium"
    if strict:
        assert done.returncode == 1
        assert f"{reason} (KERAS_MODEL_GUIDE_STRICT=1 forbids skipping)" in done.stdout
    else:
        assert done.returncode == 0
        assert re.search(rf"SKIPPED \[1\] \S+: {re.escape(reason)}", done.stdout)


# 6. The Korean catalogs: no lost work, nothing untrustworthy published

CATALOGS = ROOT / "docs" / "locales" / "ko" / "LC_MESSAGES"


def git(folder: Path, *args: str) -> None:
    require(shutil.which("git"), "git is not on PATH")
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def catalog_project(folder: Path) -> tuple[Path, Path]:
    """The project's real catalogs in a git repository, and templates with one new entry each.

    Returns (the catalogs' locale folder, the templates' folder).
    """
    messages = folder / "locales" / "ko" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    templates = folder / "pot"
    templates.mkdir()
    for po in sorted(CATALOGS.glob("*.po")):
        if po.stem == "sphinx":
            continue
        shutil.copy(po, messages)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            message.string = ""
        catalog.add(f"A new English paragraph of {po.stem}.")
        with (templates / f"{po.stem}.pot").open("wb") as handle:
            write_po(handle, catalog)
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "catalogs")
    return folder / "locales", templates


def update_catalogs(locales: Path, templates: Path, **popen: object) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "keras_model_guide.tools.catalogs",
        "update",
        "--pot",
        str(templates),
    ]
    command += ["--locales", str(locales), "--work", str(locales.parent / "work")]
    return subprocess.Popen(
        command,
        cwd=locales.parent,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        **popen,  # type: ignore[call-overload]
    )


def test_a_killed_translations_update_leaves_each_catalog_old_or_new(tmp_path):
    """SIGKILL at random moments of the update: every catalog is the old or the new file."""
    locales, templates = catalog_project(tmp_path / "project")
    messages = locales / "ko" / "LC_MESSAGES"
    old = {po.name: po.read_bytes() for po in messages.glob("*.po")}
    started = time.monotonic()
    done = update_catalogs(locales, templates)
    output, _ = done.communicate(timeout=300)
    duration = time.monotonic() - started
    assert done.returncode == 0, output
    new = {po.name: po.read_bytes() for po in messages.glob("*.po")}
    assert all(new[name] != old[name] for name in old)  # every catalog gets its new entry
    git(tmp_path / "project", "commit", "-q", "-am", "updated")  # HEAD has both versions' work

    rng = random.Random(0)  # the same moments on every run; where they land varies
    moments = sorted(rng.uniform(0.05, duration * 1.2) for _ in range(16))
    for moment in moments:
        for name, data in old.items():
            (messages / name).write_bytes(data)
        process = update_catalogs(locales, templates, start_new_session=True)
        time.sleep(moment)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        for po in messages.glob("*.po"):
            assert po.read_bytes() in (old[po.name], new[po.name]), f"{po.name} at {moment:.2f} s"
    # And a run after the kills finishes the job, leaving no temporary file behind.
    done = update_catalogs(locales, templates)
    assert done.communicate(timeout=300)[0]
    assert done.returncode == 0
    assert {po.name: po.read_bytes() for po in messages.glob("*.po")} == new
    assert list(messages.glob(".*")) == []


def test_translations_refuses_a_catalog_that_lost_work_and_says_how_to_restore_it(tmp_path):
    locales, templates = catalog_project(tmp_path / "project")
    messages = locales / "ko" / "LC_MESSAGES"
    (messages / "graphs.po").write_bytes(b"")  # what a kill did to sphinx-intl's write
    cut = (messages / "functional.po").read_bytes()
    (messages / "functional.po").write_bytes(cut[: len(cut) // 2])
    before = {po.name: po.read_bytes() for po in messages.glob("*.po")}
    done = update_catalogs(locales, templates)
    output, _ = done.communicate(timeout=300)
    assert done.returncode == 1
    for name in ("graphs.po", "functional.po"):
        shown = f"locales/ko/LC_MESSAGES/{name}"
        assert re.search(rf"{shown} has lost \d+ translation\(s\) that git's HEAD has", output)
        assert f"restore with `git checkout -- {shown}`" in output
    assert "no catalog was changed" in output
    assert {po.name: po.read_bytes() for po in messages.glob("*.po")} == before


def korean_project(folder: Path, page_po: str) -> Path:
    """Two Markdown pages, their Korean catalogs (``page_po`` holds page.po's entries)."""
    pages = {
        "index.md": index("page"),
        "page.md": "# Page\n\nCall `fit()` on [the home](index.md).\n",
    }
    docs = write_docs(folder, pages, small_conf("translation"))
    messages = docs / "locales" / "ko" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    home = 'msgid "Home"\nmsgstr "홈"\n\nmsgid "The first page."\nmsgstr "첫 페이지."\n'
    (messages / "index.po").write_text(header + home, encoding="utf-8")
    (messages / "page.po").write_text(header + textwrap.dedent(page_po), encoding="utf-8")
    return docs


GOOD_PAGE_PO = """\
    msgid "Page"
    msgstr "페이지"

    msgid "Call `fit()` on [the home](index.md)."
    msgstr "[홈](index.md)에서 `fit()`을 호출합니다."
"""


@pytest.mark.parametrize(
    ("line", "slip", "message"),
    [
        (6, '    msgstr "페이지', 'a string is not closed (a missing " at the end of the line)'),
        (9, '    msgstr "[홈](index.md)에서 fit()을 호출합니다."', "drops code span `fit()`"),
        (9, '    msgstr "홈에서 `fit()`을 호출합니다."', "drops link to index.md"),
        (
            9,
            '    msgstr "[홈](index.md)에서 `fit()을 호출합니다."',
            "has an unclosed ` (code span)",
        ),
    ],
    ids=["unterminated quote", "code span dropped", "link dropped", "unbalanced"],
)
def test_an_untrustworthy_catalog_fails_the_build_and_publishes_none_of_its_pages(
    tmp_path, line, slip, message
):
    original = GOOD_PAGE_PO.splitlines()[line - 5]  # after the 4 lines of the header
    docs = korean_project(tmp_path / "docs", GOOD_PAGE_PO.replace(original, slip))
    status, console = sphinx_build(docs, "-D", "language=ko")
    assert status == 1, console
    assert f"locales/ko/LC_MESSAGES/page.po:{line}: WARNING: " in console
    assert message in console
    assert "edit the catalog; its ko pages stay unpublished until then" in console
    for sign in BAD_SIGNS:
        assert sign not in console
    html = docs / "_build" / "html"
    assert not (html / "page.html").exists()
    assert "첫 페이지." in (html / "index.html").read_text(encoding="utf-8")


def test_a_mo_file_that_does_not_match_its_po_is_rebuilt(tmp_path):
    docs = korean_project(tmp_path / "docs", GOOD_PAGE_PO)
    assert sphinx_build(docs, "-D", "language=ko")[0] == 0
    page = docs / "_build" / "html" / "page.html"
    assert "페이지" in page.read_text(encoding="utf-8")
    # A .po restored from git is older than the .mo compiled from the edited one.
    po = docs / "locales" / "ko" / "LC_MESSAGES" / "page.po"
    mo = po.with_suffix(".mo")
    mo.write_bytes(mo.read_bytes().replace("페이지".encode(), "엉뚱한".encode()[:9]))
    os.utime(po, (time.time() - 3600, time.time() - 3600))
    status, console = sphinx_build(docs, "-D", "language=ko", "-E")
    assert status == 0, console
    assert "LC_MESSAGES/page.mo from page.po: it did not match" in console
    assert "엉뚱한" not in page.read_text(encoding="utf-8")

    # A damaged .mo, newer than its .po: rebuilt too, not read (nor a gettext error).
    mo.write_bytes(b"not a catalog")
    status, console = sphinx_build(docs, "-D", "language=ko", "-E")
    assert status == 0, console
    assert "LC_MESSAGES/page.mo from page.po: it did not match" in console
    assert "페이지" in page.read_text(encoding="utf-8")


# 7. Contributor mistakes: one line each, never Sphinx's crash banner


def test_wrong_inline_targets_name_page_line_and_what_exists(tmp_path):
    """Every wrong `:inline:` of the build is shown, at its page and line."""

    def page(target: str) -> str:
        return notebook("Page", "print('never runs')").replace(
            "```{code-cell} ipython3\n", f"```{{code-cell}} ipython3\n:inline: {target}\n\n"
        )

    pages = {
        "index.md": index("one", "two"),
        "one.md": page("lessons.sequential.build_mpl"),
        "two.md": page("lessons.sequentail.build_mlp"),
    }
    conf = small_conf("lesson_cells", "execution")
    docs = write_docs(tmp_path / "docs", pages, conf)
    status, console = sphinx_build(docs)
    assert status == 1
    for sign in BAD_SIGNS:
        assert sign not in console
    line = 10  # the option's line: 6 lines of front matter, the title, a blank, the fence
    assert re.search(
        rf"one\.md:{line}: WARNING: :inline: lessons\.sequential\.build_mpl: sequential\.py "
        r"defines no top-level 'build_mpl'; it defines lessons\.sequential\.build_mlp",
        console,
    ), console
    assert re.search(
        rf"two\.md:{line}: WARNING: :inline: lessons\.sequentail\.build_mlp: "
        r"src/keras_model_guide has no module 'lessons\.sequentail'; it has lessons\.sequential",
        console,
    ), console
    assert "never runs" not in console  # the pages were not executed without their code
    assert len(re.findall(r"WARNING", console)) == 2  # nothing else, for either page


def cached_page(folder: Path) -> Path:
    pages = {"index.md": index("page"), "page.md": notebook("Page", "print('from the kernel')")}
    conf = small_conf("execution")
    docs = write_docs(folder, pages, conf)
    status, console = sphinx_build(docs)
    assert status == 0, console
    return docs


def test_a_damaged_cache_database_is_moved_aside_and_the_build_passes(tmp_path):
    docs = cached_page(tmp_path / "docs")
    cache = docs / "_build" / ".jupyter_cache"
    (cache / "global.db").write_bytes(b"not a database, " * 100)
    status, console = sphinx_build(docs, "-E")
    assert status == 0, console
    assert re.search(
        rf"Repaired: the execution cache {re.escape(str(cache))} could not be read \(.+\): "
        rf"moved it to {re.escape(str(cache))}\.damaged-\d+-\d+ and started an empty one",
        console,
    ), console
    for sign in (*BAD_SIGNS, "DatabaseError"):
        assert sign not in console
    assert "from the kernel" in (docs / "_build" / "html" / "page.html").read_text(encoding="utf-8")


def test_a_missing_cached_notebook_drops_its_record_and_the_page_runs_again(tmp_path):
    docs = cached_page(tmp_path / "docs")
    cache = docs / "_build" / ".jupyter_cache"
    notebooks = list(cache.glob("executed/*/base.ipynb"))
    assert len(notebooks) == 1
    notebooks[0].unlink()
    status, console = sphinx_build(docs, "-E")
    assert status == 0, console
    assert f"Repaired: the execution cache's notebook {notebooks[0]} is missing" in console
    assert "so the page that used it executes again" in console
    for sign in (*BAD_SIGNS, "KeyError"):
        assert sign not in console
    assert "page.md: Executed notebook" in console or "Executing" in console
    assert "from the kernel" in (docs / "_build" / "html" / "page.html").read_text(encoding="utf-8")


def test_a_lost_translation_is_told_apart_from_new_english(tmp_path):
    """A translation git's HEAD has but the catalog lost: restore it, not re-run translations."""
    docs = korean_project(tmp_path / "docs", GOOD_PAGE_PO)
    git(docs, "init", "-q")
    git(docs, "add", "locales")
    git(docs, "commit", "-q", "-m", "Korean")
    po = docs / "locales" / "ko" / "LC_MESSAGES" / "page.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "페이지"', 'msgstr ""'), "utf-8")
    status, console = sphinx_build(docs, "-D", "language=ko")
    console = " ".join(console.split())
    assert status == 1
    shown = "locales/ko/LC_MESSAGES/page.po"
    assert f"{shown} lost this entry's translation, which git's HEAD has" in console
    assert "restore it with `git checkout -- " in console
    assert f"{shown}`" in console
    assert "no entry for it yet" not in console
    assert not (docs / "_build" / "html" / "page.html").exists()


def test_a_broken_interface_catalog_publishes_no_page(tmp_path):
    """sphinx.po words every page's interface: when it cannot be trusted, no page is kept."""
    docs = korean_project(tmp_path / "docs", GOOD_PAGE_PO)
    interface = docs / "locales" / "ko" / "LC_MESSAGES" / "sphinx.po"
    interface.write_text('msgid "Search"\nmsgstr "검색\n', encoding="utf-8")
    status, console = sphinx_build(docs, "-D", "language=ko")
    assert status == 1
    assert "locales/ko/LC_MESSAGES/sphinx.po:2: WARNING: a string is not closed" in console
    html = docs / "_build" / "html"
    assert not (html / "index.html").exists()
    assert not (html / "page.html").exists()
