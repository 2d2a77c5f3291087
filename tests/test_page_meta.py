"""What search engines and link previews read, and what the browser needs to lay out a page.

Unit tests for the extensions that write them (keras_model_guide.sphinxext.html_output) and the static host the web checkers use, then checks
of the built site: every content page has a description in its own language, with the
Open Graph and Twitter tags that agree with it, and every image has its size.
"""

from __future__ import annotations

import gzip
import re
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from pygments.styles import get_style_by_name
from pygments.token import Name, Punctuation, Text
from sphinx.pygments_styles import SphinxStyle
from static_host import serve
from support import ROOT, docs_extension

from keras_model_guide.site import LANGUAGES, SITE_URL

SOURCES = sorted((ROOT / "docs").glob("*.md"))
CONTENT_PAGES = [f"{language}/{source.stem}.html" for language in LANGUAGES for source in SOURCES]
HANGUL = re.compile("[\uac00-\ud7a3]")


def test_svg_size_reads_graphviz_points() -> None:
    """Graphviz writes points; a browser draws 1 pt as 4/3 CSS px."""
    svg_size = docs_extension("html_output").svg_size
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="150pt" viewBox="0 0 300 150"/>'
    assert svg_size(svg) == (400, 200)
    assert svg_size('<svg xmlns="http://www.w3.org/2000/svg" width="50%" height="1"/>') is None
    assert svg_size("not svg") is None


def test_plain_tokens_follow_the_styles() -> None:
    """Only tokens every configured style draws like plain text lose their span."""
    lean = docs_extension("html_output")
    assert {Name, Punctuation} <= lean.plain_token_types(["a11y-light", "a11y-dark"])
    # Whatever another style does, a token loses its span only if it looks like text.
    for style in (SphinxStyle, "monokai", "default"):
        plain = lean.plain_token_types([style])
        look = get_style_by_name(style) if isinstance(style, str) else style
        assert all(look.style_for_token(t) == look.style_for_token(Text) for t in plain)


def test_lean_formatter_keeps_the_text_and_drops_plain_spans() -> None:
    """Same text as Pygments' own formatter, fewer spans."""
    lean = docs_extension("html_output")
    code = 'model = keras.Sequential([layers.Dense(10, activation="relu")])\n'
    plain = lean.plain_token_types(["a11y-light", "a11y-dark"])
    formatter = type("Lean", (lean.LeanHtmlFormatter,), {"plain": plain})
    full = highlight(code, PythonLexer(), HtmlFormatter())
    lean_html = highlight(code, PythonLexer(), formatter())

    def text(markup: str) -> str:
        return BeautifulSoup(markup, "html.parser").get_text()

    assert text(lean_html) == text(full)
    assert lean_html.count("<span") < full.count("<span") / 2
    assert '<span class="s2">"relu"</span>' in lean_html  # strings keep their colour


def test_static_host_compresses_and_caches(tmp_path: Path) -> None:
    """gzip for text, a year of cache for _static/, short cache for pages, a real 404."""
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_text("body { color: red }\n" * 50)
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>x</title>")
    (tmp_path / "404.html").write_text("<!DOCTYPE html><title>missing</title>")
    with serve(tmp_path) as base:
        request = urllib.request.Request(
            base + "_static/a.css", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert "immutable" in response.headers["Cache-Control"]
            assert gzip.decompress(response.read()).startswith(b"body")
        with urllib.request.urlopen(base) as response:
            assert response.headers["Cache-Control"] == "max-age=600"
            assert response.headers.get("Content-Encoding") is None  # not asked for
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "nowhere.html")
        assert missing.value.code == 404
        assert b"missing" in missing.value.read()
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + "../../etc/passwd")


def _head(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.site
@pytest.mark.parametrize("doc", CONTENT_PAGES)
def test_page_is_described_in_its_language(site: Path, doc: str) -> None:
    """One description, in the page's language, repeated by Open Graph; a Twitter card."""
    soup = _head(site, doc)
    language = doc.split("/", maxsplit=1)[0]

    def meta(**attrs: str) -> list[str]:
        return [tag["content"] for tag in soup.find_all("meta", attrs=attrs)]

    descriptions = meta(name="description")
    assert len(descriptions) == 1, f"{doc}: {len(descriptions)} descriptions"
    description = descriptions[0]
    assert 50 <= len(description) <= 200, f"{doc}: description of {len(description)} chars"
    assert bool(HANGUL.search(description)) == (language == "ko"), description
    assert meta(property="og:description") == [description]
    assert meta(property="og:title"), f"{doc}: no og:title"
    assert meta(property="og:url") == [f"{SITE_URL}{doc}"], "og:url must name the language folder"
    assert meta(property="og:locale") == [{"en": "en_US", "ko": "ko_KR"}[language]]
    assert meta(name="twitter:card") == ["summary"]
    assert not soup.find("meta", attrs={"translated": True}), "Sphinx's flag leaked into HTML"


@pytest.mark.site
def test_descriptions_differ_between_pages(site: Path) -> None:
    """Each page has its own description (a copied one would mislead search results)."""
    for language in LANGUAGES:
        seen = [
            _head(site, f"{language}/{source.stem}.html").find(
                "meta", attrs={"name": "description"}
            )["content"]
            for source in SOURCES
        ]
        assert len(seen) >= 2, seen
        assert len(set(seen)) == len(seen), seen


@pytest.mark.site
@pytest.mark.parametrize("doc", CONTENT_PAGES)
def test_images_have_their_size(site: Path, doc: str) -> None:
    """Every image states width and height (no layout shift); far-down ones load lazily."""
    image_size = docs_extension("html_output").image_size
    figures = 0
    for image in _head(site, doc).select("article img"):
        assert image.get("width"), f"{doc}: no width on {image['src']}"
        assert image.get("height"), f"{doc}: no height on {image['src']}"
        drawn = image_size(site / doc.split("/", maxsplit=1)[0] / image["src"])
        assert drawn == (int(image["width"]), int(image["height"])), image["src"]
        if "_images/" in image["src"]:
            figures += 1
            # A page's first figure may sit on the first screen (Korean text is shorter than
            # English); every later one is far down and loads lazily.
            if figures > 1:
                assert image.get("loading") == "lazy", f"{doc}: {image['src']} is not lazy"
