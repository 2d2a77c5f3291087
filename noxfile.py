"""Every task a contributor or CI runs; `nox -l` lists them.

Dependencies live in pyproject.toml's [dependency-groups] and are pinned in uv.lock: each
session installs with `uv sync --locked`, so it gets exactly the locked versions (and
fails when pyproject.toml and uv.lock disagree). `nox -s lock` upgrades the lock.
"""

from __future__ import annotations

import contextlib
import os
import runpy
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
nox.options.default_venv_backend = "uv"  # `uv sync` fills each session's environment
# `uv sync` makes an environment exactly match the lock, adding and removing packages,
# so reusing one is as safe as recreating it and takes a fraction of a second.
nox.options.reuse_venv = "yes"

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
AXE = BUILD / "axe"  # axe-core from npm, for the browser tests' accessibility checks
# Pinned, as the web checkers are: a new axe rule must not fail a build that did not change.
AXE_PACKAGE = "axe-core@4.14.1"
# Lighthouse and the Nu HTML Checker from npm, for tests/test_web_checkers.py. Lighthouse
# 12.2.3: version 13 needs Node 22, and Debian ships Node 20. vnu-jar is pinned so a new
# checker release cannot fail a build that did not change.
WEBCHECK = BUILD / "webcheck"
WEBCHECK_PACKAGES = ("lighthouse@12.2.3", "vnu-jar@26.9.27")
# The site's languages, English first: it executes the pages, Korean reuses the cache.
# Read from the package's constants by path: nox runs before the project is installed.
LANGUAGES = tuple(runpy.run_path(str(ROOT / "src" / "keras_model_guide" / "site.py"))["LANGUAGES"])
#: The one environment of the site and its tests: the project (TensorFlow, Keras), Sphinx
#: and pytest. `docs`, `tests`, `site`, `linkcheck`, `translations` and `bench` all sync
#: these groups, so they resolve to the same locked packages, linked from uv's cache.
SITE_GROUPS = ("docs", "test")
#: JAX and PyTorch: with them installed, the build runs every page on all three backends
#: (keras_model_guide.sphinxext.backend_runs). `site` (so CI) and the hosted build install them; a
#: newcomer's `nox -s docs` does not (PyTorch's Linux wheel brings ~3 GB of CUDA
#: libraries), and its pages say they were proven on TensorFlow only.
BACKENDS_GROUP = "backends"
#: The fast tests leave these out; `site` runs exactly these, so `nox -s tests site`
#: runs every test once. A test that takes the `site` fixture is marked `site` for you.
FULL_ONLY = "site or slow"
LOCK = BUILD / ".build.lock"  # held while a session builds (sphinx-build holds its own too)
# How a stopped nox stops sphinx-build: after Ctrl-C it waits this long for sphinx-build
# to stop by itself, then sends SIGTERM, then SIGKILL after the second delay. (sphinx-build
# ends its workers and their kernels on either signal: keras_model_guide.sphinxext.execution.)
STOP = {"interrupt_timeout": 2.0, "terminate_timeout": 15.0}


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


# An IDE's stop button (and `kill`) sends SIGTERM to nox alone. Python's default would end
# nox at once and leave sphinx-build and its workers running without it; as Ctrl-C, nox
# stops its command first (see STOP).
signal.signal(signal.SIGTERM, _stop)


def sync(session: nox.Session, *groups: str, project: bool = True, editable: bool = False) -> None:
    """Install the locked versions of the named groups (and the project) into the session.

    The project is a real install, as a reader gets it, unless `editable`.
    """
    args = ["--no-default-groups", *(f"--group={group}" for group in groups)]
    if not project:
        args = [f"--only-group={group}" for group in groups]
    elif not editable:
        # uv keys its built wheel of the project on pyproject.toml alone: without this, an
        # edit to src/ would test the wheel built before it.
        args += ["--no-editable", "--reinstall-package", "keras-model-guide"]
    session.run_install(
        "uv",
        "sync",
        "--locked",
        # Every page starts a fresh kernel that imports TensorFlow: with bytecode compiled at
        # install time that import takes ~3 s instead of ~7 s.
        "--compile-bytecode",
        # Errors only: a new environment listed its ~130 packages, one line each.
        *(() if os.environ.get("KERAS_MODEL_GUIDE_VERBOSE") == "1" else ("--quiet",)),
        *args,
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
    )


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


@nox.session(default=False)  # `site` builds the same site and then tests it
def docs(session: nox.Session) -> None:
    """Build the site in both languages; `-- --serve` serves it, `-- --all-backends` adds JAX and PyTorch."""
    all_backends = "--all-backends" in session.posargs
    groups = (*SITE_GROUPS, BACKENDS_GROUP) if all_backends else SITE_GROUPS
    sync(session, *groups, editable=True)  # live reload picks up edits to src/
    serve = "--serve" in session.posargs
    if serve and not session.interactive:
        session.error("--serve needs an interactive terminal (it runs until stopped)")
    sphinx_args = [arg for arg in session.posargs if arg not in {"--serve", "--all-backends"}]
    build_site(session, *sphinx_args)
    session.log(f"Built {BUILD / 'html'}: open index.html, en/index.html or ko/index.html")
    if serve:
        # Live reload rebuilds the English pages; the whole site is served (the root
        # picker, en/ and ko/, keras_model_guide.tools.serve_site), the Korean pages as just built.
        session.run(
            "python",
            "-m",
            "keras_model_guide.tools.serve_site",
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
            *sphinx_args,
            **STOP,
        )


@nox.session
def tests(session: nox.Session) -> None:
    """Fast tests: helpers, doctests and examples, with coverage; no site build."""
    sync(session, *SITE_GROUPS)
    session.run(
        "coverage",
        "run",
        "-m",
        "pytest",
        "--doctest-modules",
        "--pyargs",
        "keras_model_guide",
        "tests",
        "-m",
        f"not ({FULL_ONLY})",
        *session.posargs,
    )
    session.run("coverage", "report")


@nox.session
def site(session: nox.Session) -> None:
    """Build both languages on every backend, then test the HTML, its links, the pages in Chromium."""
    sync(session, *SITE_GROUPS, BACKENDS_GROUP)
    build_site(session)
    install_npm(session, AXE, (AXE_PACKAGE,), "the axe-core accessibility tests")
    # The checker's jar ships inside the npm package, so npm need not run its install
    # script (which would download a Java runtime).
    tests = "the Lighthouse and HTML checker tests"
    install_npm(session, WEBCHECK, WEBCHECK_PACKAGES, tests, "--ignore-scripts")
    # The slowest tests' times close the log: where CI's minutes go, run by run.
    session.run("pytest", "tests", "-m", FULL_ONLY, "--durations=25", *session.posargs)


def install_npm(
    session: nox.Session, folder: Path, packages: tuple[str, ...], tests: str, *args: str
) -> None:
    """Install pinned npm ``packages`` into ``folder`` (once per set of pins) for ``tests``.

    Without npm, or offline, this only warns: those tests then skip on a laptop, and
    fail in CI, where KERAS_MODEL_GUIDE_STRICT=1 forbids skipping.
    """
    marker = folder / "installed.txt"
    wanted = " ".join(packages)
    if marker.is_file() and marker.read_text(encoding="utf-8") == wanted:
        return
    if shutil.which("npm") is None:
        session.warn(f"npm not found: {tests} will not run")
        return
    try:
        npm = ["npm", "install", "--no-audit", "--no-fund", *args, "--prefix", str(folder)]
        session.run(*npm, *packages, external=True)
    except nox.command.CommandFailed:
        session.warn(f"could not install {wanted}: {tests} will not run")
        return
    marker.write_text(wanted, encoding="utf-8")


@nox.session
def lint(session: nox.Session) -> None:
    """Run the pre-commit hooks (ruff check and format) on every file, and mypy on src."""
    # The docs group: mypy checks the Sphinx extensions against Sphinx's own type hints.
    sync(session, "lint", "docs", project=False)
    session.run("prek", "run", "--all-files", "--show-diff-on-failure", *session.posargs)
    session.run("mypy")


@nox.session(default=False)
def linkcheck(session: nox.Session) -> None:
    """Check the external links of both languages (needs the internet; not in CI)."""
    sync(session, *SITE_GROUPS)
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


@nox.session(default=False)
def translations(session: nox.Session) -> None:
    """Refresh the Korean catalogs after an English edit (then translate the new entries)."""
    sync(session, *SITE_GROUPS)
    pot = BUILD / "gettext"
    session.run("sphinx-build", "-b", "gettext", "-q", str(DOCS), str(pot), *session.posargs)
    # sphinx-intl's update (--no-obsolete: an entry whose English is gone is dropped, as git
    # keeps the old Korean), run on a copy: each changed catalog then replaces the old one
    # in one rename, so a stopped run loses nothing, and a catalog that already lost
    # translations against git's HEAD is refused with the way back (keras_model_guide.tools.catalogs).
    session.run(
        "python",
        "-m",
        "keras_model_guide.tools.catalogs",
        "update",
        *("--pot", str(pot), "--locales", str(DOCS / "locales"), "--language", "ko"),
        *("--work", str(BUILD / "catalogs-update")),
    )
    session.log(
        "Now translate, in docs/locales/ko/LC_MESSAGES/<page>.po, every entry whose msgstr "
        "is empty, and check every entry marked '#, fuzzy' (the English changed): edit its "
        "msgstr, then delete the '#, fuzzy' line. `nox -s docs` names any that are left."
    )


@nox.session(default=False)
def examples(session: nox.Session) -> None:
    """Regenerate examples/*.py from the pages and src/ (commit the result)."""
    sync(session, *SITE_GROUPS)
    session.run(
        "python", "-m", "keras_model_guide.tools.examples", "--write-examples", *session.posargs
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time cold, no-op and one-edit builds and weigh the pages; `-- --help` for options."""
    sync(session, *SITE_GROUPS)
    # The script builds a copy of the tree in a temp folder, never docs/_build.
    session.run("python", "tests/benchmarks/site_bench.py", *session.posargs)


@nox.session(default=False)
def nightly(session: nox.Session) -> None:
    """Run every page on keras-nightly; report the facts that change (a report, not a test)."""
    # keras and keras-nightly install the same `keras` folder: take the nightly out before
    # `uv sync` restores the locked Keras, or removing it would delete files of both.
    uv_pip = ("uv", "pip", "--quiet")
    python = ("--python", str(Path(session.virtualenv.location) / "bin" / "python"))
    session.run_install(*uv_pip, "uninstall", *python, "keras-nightly", "keras", external=True)
    sync(session, *SITE_GROUPS, BACKENDS_GROUP)
    session.run_install(*uv_pip, "uninstall", *python, "keras", external=True)
    # With its bytecode, as `sync` installs the rest: each page's kernel imports Keras anew.
    nightly = ("install", *python, "--compile-bytecode", "--prerelease=allow", "keras-nightly")
    session.run_install(*uv_pip, *nightly, external=True)
    report = BUILD / "nightly.md"
    session.run(
        "python", "-m", "keras_model_guide.forward_check", "--docs", str(DOCS),
        "--out", str(report), *session.posargs,
    )  # fmt: skip
    session.log(f"The forward check's report: {report}")


@nox.session(venv_backend="none", default=False)
def lock(session: nox.Session) -> None:
    """Upgrade every locked package to its newest allowed version (rewrites uv.lock)."""
    session.run("uv", "lock", "--upgrade", *session.posargs, external=True)
    session.log("Now run `nox -s tests site`: new versions may change the pages' numbers.")
