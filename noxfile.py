"""Every task a contributor or CI runs: `nox -s docs`, `nox -s tests`, `nox -l` for the rest.

Dependencies live in pyproject.toml's [dependency-groups]; this file names no package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["docs", "tests", "lint"]

PROJECT = nox.project.load_toml("pyproject.toml")
ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
AXE = BUILD / "axe"  # axe-core from npm, for the browser tests' accessibility checks
# Lighthouse and the Nu HTML Checker from npm, for tests/test_web_checkers.py. Lighthouse
# 12.2.3: version 13 needs Node 22, and Debian ships Node 20. vnu-jar is pinned so a new
# checker release cannot fail a build that did not change.
WEBCHECK = BUILD / "webcheck"
WEBCHECK_PACKAGES = ("lighthouse@12.2.3", "vnu-jar@26.9.27")
LANGUAGES = ("en", "ko")  # English first: it executes the pages, Korean reuses the cache


def install(session: nox.Session, *groups: str, editable: bool = False) -> None:
    """Install the project (a real install unless `editable`) and the named groups."""
    project = ["-e", "."] if editable else ["."]
    # Every page starts a fresh kernel that imports TensorFlow: with bytecode compiled at
    # install time that import takes ~3 s instead of ~7 s (pip compiles by default; uv not).
    session.env["UV_COMPILE_BYTECODE"] = "1"
    session.install(*project, *nox.project.dependency_groups(PROJECT, *groups))


def build_site(session: nox.Session, *sphinx_args: str) -> None:
    """Build every language into docs/_build/html/<lang>, plus the root language picker."""
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
        # Live reload rebuilds the English pages; the Korean folder stays as just built.
        session.run(
            "sphinx-autobuild",
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
        )


@nox.session
def tests(session: nox.Session) -> None:
    """Build the site (cached), then run the tests and the helpers' doctests."""
    install(session, "test", "docs")
    build_site(session)
    install_axe(session)
    install_webcheck(session)
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


def install_webcheck(session: nox.Session) -> None:
    """Install Lighthouse and the Nu HTML Checker (npm) where the web-checker tests look.

    Like install_axe, this only warns without npm or offline: the tests then skip on a
    laptop and fail in CI. The checker's jar ships inside the npm package, so npm need
    not run its install script (which would download a Java runtime).
    """
    marker = WEBCHECK / "installed.txt"
    wanted = " ".join(WEBCHECK_PACKAGES)
    if marker.is_file() and marker.read_text(encoding="utf-8") == wanted:
        return
    if shutil.which("npm") is None:
        session.warn("npm not found: the Lighthouse and HTML checker tests will not run")
        return
    try:
        npm = ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts"]
        session.run(*npm, "--prefix", str(WEBCHECK), *WEBCHECK_PACKAGES, external=True)
    except nox.command.CommandFailed:
        session.warn("could not install Lighthouse: the web-checker tests will not run")
        return
    marker.write_text(wanted, encoding="utf-8")


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
    session.log("Translate entries that are empty or marked '#, fuzzy' in docs/locales/ko.")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time cold, no-op and one-edit builds and weigh the pages; `-- --help` for options."""
    install(session, "docs")
    # The script builds a copy of the tree in a temp folder, never docs/_build.
    session.run("python", "tests/benchmarks/site_bench.py", *session.posargs)
