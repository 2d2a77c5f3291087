"""Every task a contributor or CI runs: `nox -s docs`, `nox -s tests`, `nox -l` for the rest.

Dependencies live in pyproject.toml's [dependency-groups]; this file names no package.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import nox

try:
    import fcntl  # POSIX: the build lock; Windows builds are not locked
except ImportError:
    fcntl = None

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["docs", "tests", "lint"]

PROJECT = nox.project.load_toml("pyproject.toml")
ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
AXE = BUILD / "axe"  # axe-core from npm, for the browser tests' accessibility checks
LANGUAGES = ("en", "ko")  # English first: it executes the pages, Korean reuses the cache
LOCK = BUILD / ".build.lock"  # held while a session builds into docs/_build
# How a stopped nox stops sphinx-build: after Ctrl-C it waits this long for sphinx-build
# to stop by itself, then sends SIGTERM, then SIGKILL after the second delay. (sphinx-build
# ends its workers and their kernels on either signal: docs/_ext/parallel_build.py.)
STOP = {"interrupt_timeout": 2.0, "terminate_timeout": 15.0}


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


# An IDE's stop button (and `kill`) sends SIGTERM to nox alone. Python's default would end
# nox at once and leave sphinx-build and its workers running without it; as Ctrl-C, nox
# stops its command first (see STOP).
signal.signal(signal.SIGTERM, _stop)


def install(session: nox.Session, *groups: str, editable: bool = False) -> None:
    """Install the project (a real install unless `editable`) and the named groups."""
    project = ["-e", "."] if editable else ["."]
    # Every page starts a fresh kernel that imports TensorFlow: with bytecode compiled at
    # install time that import takes ~3 s instead of ~7 s (pip compiles by default; uv not).
    session.env["UV_COMPILE_BYTECODE"] = "1"
    session.install(*project, *nox.project.dependency_groups(PROJECT, *groups))


@contextlib.contextmanager
def build_lock(session: nox.Session) -> Iterator[None]:
    """Let one session at a time build into docs/_build; a second one waits, then reuses.

    Two builds at once in one clone both executed every page (jupyter-cache locks nothing
    across processes) and wrote the same output folders. Waiting costs nothing: the pages
    the first build executed are in the cache when the second one starts.
    """
    if fcntl is None:
        yield
        return
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            session.log(
                f"Another build is running in this clone (pid {holder}). Waiting for it to "
                "finish; its executed pages are then reused. Stop it, or press Ctrl-C to "
                "stop waiting."
            )
            fcntl.flock(lock, fcntl.LOCK_EX)
            session.log("The other build has finished: building.")
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)


def build_site(session: nox.Session, *sphinx_args: str) -> None:
    """Build every language into docs/_build/html/<lang>, plus the root language picker."""
    with build_lock(session):
        _build_languages(session, *sphinx_args)


def _build_languages(session: nox.Session, *sphinx_args: str) -> None:
    for language in LANGUAGES:
        session.run(
            "sphinx-build",
            "-b",
            "html",
            "-W",
            "-n",
            "--keep-going",
            # One process per core: pages execute two at a time (each kernel is mostly
            # single-threaded), 112 s -> 71 s for a cold build on 2 cores.
            "-j",
            "auto",
            "-D",
            f"language={language}",
            "-d",
            str(BUILD / "doctrees" / language),
            str(DOCS),
            str(BUILD / "html" / language),
            *sphinx_args,
            **STOP,
        )
    # The site's root: the language picker, a 404 for both languages, robots.txt and a
    # sitemap index naming each language's sitemap.
    shutil.copytree(DOCS / "_root", BUILD / "html", dirs_exist_ok=True)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site in both languages; `-- --serve` serves it with live reload."""
    install(session, "docs", editable=True)  # live reload picks up edits to src/
    # Serving is opt-in: a plain `nox -s docs` (the README's command) must finish.
    serve = "--serve" in session.posargs
    sphinx_args = [arg for arg in session.posargs if arg != "--serve"]
    build_site(session, *sphinx_args)
    session.log(f"Built {BUILD / 'html'}: open index.html, en/index.html or ko/index.html")
    if serve:
        # Live reload rebuilds the English pages; the whole site is served (the root
        # picker, en/ and ko/, docs/_ext/serve_site.py), the Korean pages as just built.
        session.run(
            "python",
            str(DOCS / "_ext" / "serve_site.py"),
            "-n",
            "-W",
            "--keep-going",
            "-D",
            "language=en",
            "-d",
            str(BUILD / "doctrees" / "en"),
            "--watch",
            "src",
            "--ignore",
            str(BUILD),
            str(DOCS),
            str(BUILD / "html" / "en"),
            **STOP,
        )


@nox.session
def tests(session: nox.Session) -> None:
    """Build the site (cached), then run the tests and the helpers' doctests."""
    install(session, "test", "docs")
    build_site(session)
    install_axe(session)
    session.run(
        "pytest",
        "--doctest-modules",
        "--pyargs",
        "keras_model_guide",
        "tests",
        *session.posargs,
    )


def install_axe(session: nox.Session) -> None:
    """Install axe-core (npm) where tests/test_browser.py looks for it.

    Without npm, or offline, this only warns: the accessibility tests then skip on a
    laptop, and fail in CI, where KERAS_MODEL_GUIDE_STRICT=1 forbids skipping.
    """
    if (AXE / "node_modules" / "axe-core" / "axe.min.js").is_file():
        return
    if shutil.which("npm") is None:
        session.warn("npm not found: the axe-core accessibility tests will not run")
        return
    try:
        npm = ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(AXE), "axe-core@4"]
        session.run(*npm, external=True)
    except nox.command.CommandFailed:
        session.warn("could not install axe-core: the accessibility tests will not run")


@nox.session(default=False)
def linkcheck(session: nox.Session) -> None:
    """Check the external links of both languages (needs the internet; not in CI)."""
    install(session, "docs")
    for language in LANGUAGES:  # a translation may link to Korean pages of its own
        session.run(
            "sphinx-build",
            "-b",
            "linkcheck",
            "-D",
            f"language={language}",
            "-d",
            str(BUILD / "doctrees" / f"linkcheck-{language}"),
            str(DOCS),
            str(BUILD / "linkcheck" / language),
            *session.posargs,
        )


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and common mistakes with ruff."""
    install(session, "lint")
    session.run("ruff", "check", *session.posargs)
    session.run("ruff", "format", "--check", "src", "tests", "examples", "noxfile.py")


@nox.session(default=False)
def translations(session: nox.Session) -> None:
    """Refresh the Korean catalogs after an English edit (then translate the new entries)."""
    install(session, "docs")
    pot = BUILD / "gettext"
    session.run("sphinx-build", "-b", "gettext", "-q", str(DOCS), str(pot))
    session.run("sphinx-intl", "update", "-p", str(pot), "-d", str(DOCS / "locales"), "-l", "ko")
    session.log(
        "Now translate, in docs/locales/ko/LC_MESSAGES/<page>.po, every entry whose msgstr "
        "is empty, and check every entry marked '#, fuzzy' (the English changed): edit its "
        "msgstr, then delete the '#, fuzzy' line. `nox -s docs` names any that are left."
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time cold, no-op and one-edit builds and weigh the pages; `-- --help` for options."""
    install(session, "docs")
    # The script builds a copy of the tree in a temp folder, never docs/_build.
    session.run("python", "tests/benchmarks/site_bench.py", *session.posargs)
