"""The build's Sphinx extensions, each on a tiny project (tests/roots), with sphinx.testing.

Fast: plain reStructuredText sources, no notebook executes and nothing imports TensorFlow.
Each test copies its root into its own folder, so a build never sees another's output.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from keras_model_guide.site import LANGUAGES, SITE_NAMES
from keras_model_guide.sphinxext import PagesDomain, pages
from keras_model_guide.sphinxext.execution import (
    KERNEL_CONFIG,
    _keras_home,
    _prepare_kernels,
    cache_key,
    repair,
)
from keras_model_guide.tools import examples

ROOTS = Path(__file__).parent / "roots"
Build = Callable[..., SphinxTestApp]


@pytest.fixture
def build(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> Build:
    """Copy ``tests/roots/test-<root>`` to a fresh folder, build it, return the app."""

    def run(
        root: str, *, before: Callable[[Path], None] | None = None, **conf: Any
    ) -> SphinxTestApp:
        srcdir = tmp_path / root
        shutil.copytree(ROOTS / f"test-{root}", srcdir)
        if before:
            before(srcdir)
        app = make_app("html", srcdir=srcdir, confoverrides=conf)
        app.build()
        return app

    return run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """As ``build``, once per module for each root and settings: for tests that only read."""
    apps: dict[tuple[str, str], SphinxTestApp] = {}

    def run(root: str, **conf: Any) -> SphinxTestApp:
        key = (root, repr(sorted(conf.items())))
        if key not in apps:
            srcdir = tmp_path_factory.mktemp(root) / root
            shutil.copytree(ROOTS / f"test-{root}", srcdir)
            apps[key] = SphinxTestApp("html", srcdir=srcdir, confoverrides=conf)
            apps[key].build()
        return apps[key]

    yield run
    for app in apps.values():
        app.cleanup()


def html(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


# -- bilingual ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_names_its_twins_and_its_locale(built: Build, language: str) -> None:
    app = built("bilingual", language=language)
    page = html(app, "sub/page")
    alternates = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate")}
    base = "https://example.org/guide/"
    assert alternates == {
        **{code: f"{base}{code}/sub/page.html" for code in LANGUAGES},
        "x-default": f"{base}en/sub/page.html",
    }
    locales = {meta["property"]: meta["content"] for meta in page.find_all("meta", property=True)}
    assert locales["og:locale"] == {"en": "en_US", "ko": "ko_KR"}[language]
    assert locales["og:url"] == f"{base}{language}/sub/page.html"
    assert page.title is not None
    assert page.title.text.endswith(SITE_NAMES[language])


def test_the_sitemap_lists_every_page_with_its_twin(built: Build) -> None:
    app = built("bilingual", language="ko")
    tree = ET.parse(app.outdir / "sitemap.xml")
    space = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    urls = tree.findall("s:url", space)
    assert [url.findtext("s:loc", namespaces=space) for url in urls] == [
        "https://example.org/guide/ko/index.html",
        "https://example.org/guide/ko/sub/page.html",
    ]
    twins = [link.get("href") for link in urls[1].findall("x:link", space)]
    assert twins == [f"https://example.org/guide/{code}/sub/page.html" for code in LANGUAGES]


def test_the_language_switch_links_the_same_page_in_each_language(build: Build) -> None:
    seen: dict[str, Any] = {}

    def keep(app: SphinxTestApp, pagename: str, *args: Any) -> None:
        seen[pagename] = args[1].get("language_links")

    app = build("bilingual", before=None)
    app.connect("html-page-context", keep, priority=900)
    app.build(force_all=True)
    assert seen["sub/page"] == [
        {"code": "en", "name": "English", "url": "../../en/sub/page.html", "current": True},
        {"code": "ko", "name": "한국어", "url": "../../ko/sub/page.html", "current": False},
    ]


# -- translation -------------------------------------------------------------------------


def test_a_fuzzy_entry_fails_and_unpublishes_the_page(build: Build) -> None:
    app = build("translation")
    warnings = app.warning.getvalue()
    assert "no ko translation for:\n    Changed text." in warnings
    assert "marked `#, fuzzy`" in warnings
    assert "Translated text" not in warnings  # the complete entries pass
    assert not (app.outdir / "index.html").exists()  # English would show in Korean
    assert pages(app.env, "untranslated") == {"index": True}
    assert (app.srcdir / "locales/ko/LC_MESSAGES/index.mo").is_file()  # compiled from .po


def test_a_missing_entry_fails_and_says_how_to_add_it(build: Build) -> None:
    def drop_entry(srcdir: Path) -> None:
        po = srcdir / "locales/ko/LC_MESSAGES/index.po"
        text = po.read_text(encoding="utf-8")
        po.write_text(text[: text.index("#, fuzzy")], encoding="utf-8")

    app = build("translation", before=drop_entry)
    assert "has no entry for it yet: run `nox -s translations`" in app.warning.getvalue()
    assert not (app.outdir / "index.html").exists()


def test_a_complete_catalog_publishes_the_page(build: Build) -> None:
    def complete(srcdir: Path) -> None:
        po = srcdir / "locales/ko/LC_MESSAGES/index.po"
        po.write_text(po.read_text(encoding="utf-8").replace("#, fuzzy\n", ""), encoding="utf-8")

    app = build("translation", before=complete)
    assert "no ko translation" not in app.warning.getvalue()
    page = html(app, "index")
    assert "번역된 code 글" in page.text
    assert "``" not in page.text  # the markup is rendered
    assert pages(app.env, "untranslated") == {}


def test_a_catalog_that_loses_markup_is_not_trusted(build: Build) -> None:
    def lose_code(srcdir: Path) -> None:
        po = srcdir / "locales/ko/LC_MESSAGES/index.po"
        text = po.read_text(encoding="utf-8").replace("#, fuzzy\n", "")
        po.write_text(text.replace("번역된 ``code`` 글", "번역된 code 글"), encoding="utf-8")

    app = build("translation", before=lose_code)
    warnings = app.warning.getvalue()
    assert "index.po:" in warnings
    assert "stay unpublished until then" in warnings
    assert not (app.outdir / "index.html").exists()


def test_an_english_build_checks_nothing(build: Build) -> None:
    app = build("translation", language="en")
    assert app.warning.getvalue() == ""
    assert (app.outdir / "index.html").is_file()


# -- code_comments -----------------------------------------------------------------------

DOUBLE = "def double(x):", "return 2 * x"  # the code, the same in both languages


def test_code_comments_and_docstrings_are_shown_translated(build: Build) -> None:
    app = build("code-comments")
    assert app.warning.getvalue() == ""
    code = html(app, "index").select_one("div.cell_input pre").get_text()
    assert all(line in code for line in DOUBLE), code
    assert '"""`x`의 두 배를 돌려줍니다."""' in code
    assert "# 두 줄짜리 주석은 메시지 하나가 됩니다." in code
    assert "return 2 * x  # `x`와 같은 타입" in code
    assert "comment" not in code


def test_an_untranslated_code_comment_keeps_the_page_unpublished(build: Build) -> None:
    def drop_entry(srcdir: Path) -> None:
        po = srcdir / "locales/ko/LC_MESSAGES/index.po"
        text = po.read_text(encoding="utf-8")
        po.write_text(text[: text.index('msgid "the same type')], encoding="utf-8")

    app = build("code-comments", before=drop_entry)
    warnings = app.warning.getvalue()
    assert "no ko translation for:\n    the same type as `x`" in warnings
    assert "has no entry for it yet" in warnings
    assert not (app.outdir / "index.html").exists()


def test_an_english_page_shows_its_code_as_written(build: Build) -> None:
    app = build("code-comments", language="en")
    code = html(app, "index").select_one("div.cell_input pre").get_text()
    assert "# Two lines of comment\n    # make one message." in code


def test_the_gettext_builder_extracts_each_comment_and_docstring(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    srcdir = tmp_path / "code-comments"
    shutil.copytree(ROOTS / "test-code-comments", srcdir)
    app = make_app("gettext", srcdir=srcdir)
    app.build()
    pot = (app.outdir / "index.pot").read_text(encoding="utf-8")
    for message in (
        "Return twice `x`.",
        "Two lines of comment make one message.",
        "the same type as `x`",
    ):
        assert f'msgid "{message}"' in pot


# -- html_output -------------------------------------------------------------------------


def test_the_description_becomes_the_pages_meta_and_og_description(built: Build) -> None:
    app = built("html")
    page = html(app, "index")
    description = page.find("meta", attrs={"name": "description"})
    assert description is not None
    assert description["content"] == "A page that says what it is for."
    assert not description.has_attr("translated")
    og = page.find("meta", property="og:description")
    assert og is not None
    assert og["content"] == "A page that says what it is for."
    (warning,) = [line for line in app.warning.getvalue().splitlines() if "WARNING" in line]
    assert "other" in warning
    assert "page has no description" in warning


def test_images_get_their_size_and_captions_their_level(built: Build) -> None:
    page = html(built("html"), "index")
    image = page.find("img")
    assert image is not None
    assert (image["width"], image["height"]) == ("251", "100")
    caption = page.find("p", class_="caption")
    assert caption is not None
    assert caption["aria-level"] == "2"


def test_code_has_no_span_for_plain_tokens(built: Build) -> None:
    code = html(built("html"), "index").find("div", class_="highlight")
    assert code is not None
    assert "model" in code.text
    assert code.find("span", class_="n") is None  # names are drawn as plain text
    assert code.find("span", class_="o") is not None  # the dot keeps its colour


# -- The pages domain and the execution helpers ------------------------------------------


def test_the_domain_forgets_a_page_read_again_and_merges_a_workers_pages(build: Build) -> None:
    app = build("translation")
    domain = app.env.domains["guide"]
    assert isinstance(domain, PagesDomain)
    domain.pages("failed")["gone"] = True
    domain.pages("runs")["gone"] = "runs"
    domain.clear_doc("gone")
    assert "gone" not in domain.pages("failed")
    assert "gone" not in domain.pages("runs")
    worker = {"failed": {"a": True, "b": True}, "notebooks": {"a": True}}
    domain.merge_domaindata({"a"}, worker)
    assert domain.pages("failed") == {"a": True}
    assert domain.pages("notebooks") == {"a": True}
    # A failed or untranslated page is read again even though nothing changed.
    outdated = app.events.emit("env-get-outdated", app.env, set(), set(), set())
    assert sorted(doc for docs in outdated for doc in docs) == ["a", "index"]


def test_a_damaged_cache_database_is_moved_aside(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "global.db").write_bytes(b"not a database")
    done = repair(cache)
    assert len(done) == 1
    assert "could not be read" in done[0]
    assert not cache.exists()
    assert len(list(tmp_path.glob("cache.damaged-*"))) == 1


def test_a_cache_record_without_its_notebook_is_dropped(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "executed" / "good").mkdir(parents=True)
    (cache / "executed" / "good" / "base.ipynb").write_text("{}", encoding="utf-8")
    with sqlite3.connect(cache / "global.db") as connection:
        connection.execute("CREATE TABLE nbcache (pk INTEGER PRIMARY KEY, hashkey TEXT)")
        connection.executemany("INSERT INTO nbcache VALUES (?, ?)", [(1, "good"), (2, "gone")])
    connection.close()
    done = repair(cache)
    assert len(done) == 1
    assert "is missing" in done[0]
    with sqlite3.connect(cache / "global.db") as connection:
        assert connection.execute("SELECT pk FROM nbcache").fetchall() == [(1,)]
    connection.close()
    assert repair(tmp_path / "none") == []


def test_the_kernels_read_kerass_defaults_not_the_users_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "keras.json").write_text('{"floatx": "float16"}', encoding="utf-8")
    monkeypatch.setenv("KERAS_HOME", str(user))
    home = _keras_home(tmp_path / "build")
    assert '"floatx": "float32"' in (home / "keras.json").read_text(encoding="utf-8")
    assert (home / "datasets").resolve() == (user / "datasets").resolve()


def test_the_kernels_environment_is_the_builds_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(
        os, "environ", {**os.environ, "KERAS_BACKEND": "jax", "PYTHONWARNINGS": "error"}
    )
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "user"))
    docs = tmp_path / "docs"
    app = SimpleNamespace(confdir=docs)
    config = SimpleNamespace(guide_kernels=True, nb_execution_cache_path="")
    _prepare_kernels(app, config)  # type: ignore[arg-type]
    assert os.environ["KERAS_BACKEND"] == "tensorflow"
    assert "PYTHONWARNINGS" not in os.environ
    assert os.environ["IPYTHONDIR"] == str(docs / "_build" / ".ipython")
    profile = docs / "_build/.ipython/profile_default/ipython_kernel_config.py"
    assert profile.read_text(encoding="utf-8") == KERNEL_CONFIG
    assert config.nb_execution_cache_path == str(docs / "_build/.jupyter_cache" / cache_key(docs))
    assert "KERAS_BACKEND=jax from your environment is not passed" in caplog.text


def test_the_example_scripts_are_written_and_checked(tmp_path: Path) -> None:
    page = (
        "---\nkernelspec:\n  name: python3\n---\n# Title\n\n```{code-cell} ipython3\nx = 1\n```\n"
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a-page.md").write_text(page, encoding="utf-8")
    (tmp_path / "examples").mkdir()
    assert examples.main(["--check", "--root", str(tmp_path)]) == 1
    assert examples.main(["--write-examples", "--root", str(tmp_path)]) == 0
    assert "x = 1" in (tmp_path / "examples" / "a_page.py").read_text(encoding="utf-8")
    assert examples.main(["--check", "--root", str(tmp_path)]) == 0


def test_the_package_and_its_constants_need_no_sphinx() -> None:
    code = "import sys, keras_model_guide, keras_model_guide.site; print('sphinx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_jupyter_cache_trims_records_only_past_its_limit(tmp_path: Path) -> None:
    """Under the limit nothing is deleted (no race with a -j worker); past it, the oldest."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from keras_model_guide.sphinxext.execution import truncate_only_when_full

    truncate_only_when_full()
    cache = get_cache(tmp_path / "cache")
    cache.change_cache_limit(2)
    for number in range(3):
        cell = nbformat.v4.new_code_cell(f"{number}", execution_count=1)
        notebook = nbformat.v4.new_notebook(cells=[cell])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        cache.cache_notebook_bundle(CacheBundleIn(notebook, f"page{number}.md"))
        kept = len(cache.list_cache_records())
        assert kept == min(number + 1, 2), f"{kept} records after caching {number + 1}"


def test_the_ran_on_line_links_sections_by_their_titles_with_code_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from keras_model_guide.sphinxext import backend_runs
    from keras_model_guide.sphinxext.backend_runs import PageRuns, ran_on_node

    # This test's Python has no JAX: the versions the line names are given.
    monkeypatch.setattr(
        backend_runs, "versions", lambda: {"keras": "3", "tensorflow": "2", "jax": "0"}
    )
    doctree = new_document("page", get_default_settings(Parser))
    Parser().parse("Page\n====\n\nFeed it ``PyDataset``\n---------------------\n\nText.\n", doctree)
    anchor = "feed-it-pydataset"
    page = PageRuns(date="2026-12-07", ran=["tensorflow", "jax"], numbers_differ={anchor: "x"})
    link = next(ran_on_node(page, doctree).findall(nodes.reference))
    assert link["refid"] == anchor
    assert [type(child) for child in link.children] == [nodes.Text, nodes.literal]
    # Without the page (the plain-text line of a download), the stored title is the text.
    assert next(ran_on_node(page).findall(nodes.reference)).astext() == "x"


def _cell(index: int, code: str, tags: list[str]) -> Any:
    from docutils import nodes

    cell = nodes.container(
        nb_element="cell_code", cell_index=index, cell_metadata={"tags": tags}, classes=["cell"]
    )
    source = nodes.container(nb_element="cell_code_source")
    source += nodes.literal_block(code, code)
    cell += source
    return cell


def test_backend_cells_become_tabs_with_their_own_backends_output() -> None:
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from keras_model_guide.sphinxext.backend_runs import PageRuns
    from keras_model_guide.sphinxext.backend_tabs import make_tabs
    from keras_model_guide.sphinxext.lesson_cells import guard

    doctree = new_document("page", get_default_settings(Parser))
    doctree += _cell(0, "x = 1", [])
    for index, backend in enumerate(("tensorflow", "jax", "torch"), start=1):
        doctree += _cell(index, guard(f"print('{backend}')", backend), [f"backend-{backend}"])
    doctree += _cell(4, "y = 2", [])
    # This build ran TensorFlow (MyST-NB's output stays) and JAX, but has no PyTorch.
    page = PageRuns(date="2026-12-07", ran=["tensorflow", "jax"], tabs={2: ("jax", "jax")})
    page.tabs[3] = ("torch", None)
    make_tabs(doctree, page)

    tabs = [child for child in doctree.children if "backend-tabs" in child["classes"]]
    assert len(tabs) == 1
    assert doctree.index(tabs[0]) == 1  # between the shared cells
    cells = [child for child in tabs[0].children if isinstance(child, nodes.container)]
    assert [cell["cell_index"] for cell in cells] == [1, 2, 3]
    # The code without its guard: what the copy button copies runs as the tab shows it.
    assert [next(cell.findall(nodes.literal_block)).astext() for cell in cells] == [
        "print('tensorflow')",
        "print('jax')",
        "print('torch')",
    ]
    assert [block.astext() for block in cells[1].findall(nodes.literal_block)][1] == "jax"
    assert "tab-not-run" in next(cells[2].findall(nodes.paragraph))["classes"]
    radios = [child.astext() for child in tabs[0].children if isinstance(child, nodes.raw)]
    assert ["checked" in radio for radio in radios] == [True, False, False]
    assert [re.search(r"<label[^>]*>(\w+)</label>", radio)[1] for radio in radios] == [
        "TensorFlow",
        "JAX",
        "PyTorch",
    ]
