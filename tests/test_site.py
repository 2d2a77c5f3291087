"""The built site: both languages complete, Korean prose, shared code and real numbers.

These tests read the HTML that `nox -s docs` wrote; they never execute a page.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import SITE

PAGES = sorted(
    str(path.relative_to(SITE / "en"))
    for path in (SITE / "en").rglob("*.html")
    if not path.relative_to(SITE / "en").parts[0].startswith("_")
    and path.name not in {"genindex.html", "search.html", "py-modindex.html", "404.html"}
)
TUTORIALS = [
    "index.html",
    "why-model.html",
    "sequential.html",
    "functional.html",
    "multi-io.html",
    "plots.html",
    "extract-combine.html",
    "keras3-changes.html",
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


@cache
def html(language: str, page: str) -> str:
    """Read one built page (cached: many tests read the same page)."""
    return (SITE / language / page).read_text(encoding="utf-8")


def soup(language: str, page: str) -> BeautifulSoup:
    """Parse one built page afresh, so a test may take it apart."""
    return BeautifulSoup(html(language, page), "html.parser")


def cells(language: str, page: str) -> list[tuple[str, str]]:
    """Return (code, output) text of every executed cell on a page."""
    found = []
    for cell in soup(language, page).select("div.cell"):
        code = cell.select_one("div.cell_input")
        output = cell.select_one("div.cell_output")
        found.append((code.get_text() if code else "", output.get_text() if output else ""))
    return found


def prose(language: str, page: str) -> list[str]:
    """Return the page's own text blocks: paragraphs, list items, headings, table cells."""
    article = soup(language, page).select_one("article")
    # Code, outputs, API signatures and parameter lists are names, not prose.
    for hidden in article.select(
        "div.cell, div.highlight, pre, code, .headerlink, dt.sig, dl.field-list"
    ):
        hidden.decompose()
    blocks = article.select("p, li, h1, h2, h3, td, th, dd, dt")
    return [" ".join(block.get_text(" ").split()) for block in blocks]


def test_the_site_has_every_tutorial_page(site: Path) -> None:
    missing = [page for page in TUTORIALS if page not in PAGES]
    assert not missing, f"pages missing from the English build: {missing}"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists_in_both_languages(site: Path, page: str) -> None:
    assert (site / "ko" / page).is_file(), f"ko/{page} is missing"
    assert soup("en", page).html["lang"] == "en"
    assert soup("ko", page).html["lang"] == "ko"


@pytest.mark.parametrize("page", PAGES)
def test_korean_prose_is_korean(site: Path, page: str) -> None:
    english_left = []
    for text in prose("ko", page):
        # A block may name APIs (clone_model, Sequential) but must be Korean sentences.
        latin_words = len(LATIN_WORD.findall(text))
        if latin_words >= 6 and len(HANGUL.findall(text)) < latin_words:
            english_left.append(text[:100])
    assert not english_left, f"English left on ko/{page}: {english_left}"


@pytest.mark.parametrize("page", PAGES)
def test_both_languages_show_identical_code_and_outputs(site: Path, page: str) -> None:
    assert cells("en", page) == cells("ko", page)


@pytest.mark.parametrize("page", TUTORIALS)
def test_no_output_holds_a_traceback_or_warning_dump(site: Path, page: str) -> None:
    dumps = re.compile(
        r"Traceback \(most recent call last\)"  # an uncaught exception
        r"|\.py:\d+: \w*Warning"  # Python's warnings module format
        r"|^[IWEF]\d{4} \d\d:\d\d"  # TensorFlow's C++ log lines
        r"|oneDNN custom operations|absl::",
        re.MULTILINE,
    )
    for code, output in cells("en", page):
        assert not dumps.search(output), f"{page}: a cell printed a dump:\n{code}\n{output}"


def test_the_post_parameter_counts_appear_on_the_pages(site: Path) -> None:
    sequential = "".join(output for _, output in cells("en", "sequential.html"))
    multi_io = "".join(output for _, output in cells("en", "multi-io.html"))
    assert "Total params: 472,042" in sequential
    for count in ("401,920", "65,664", "4,128", "330"):
        assert count in sequential
    assert "Total params: 5,200,610" in multi_io
    for count in ("5,120,000", "69,760", "2,432", "4,160"):
        assert count in multi_io


def test_the_sequential_page_reaches_the_post_accuracy(site: Path) -> None:
    outputs = "".join(output for _, output in cells("en", "sequential.html"))
    match = re.search(r"test:\s+loss ([\d.]+), accuracy ([\d.]+)", outputs)
    assert match, "the sequential page prints no test accuracy"
    test_accuracy = float(match.group(2))
    assert test_accuracy >= 0.97
    # The comparison table is computed output: the post's 0.9766 beside this build's figure.
    row = re.search(r"^test accuracy\s+([\d.]+)\s+([\d.]+)$", outputs, re.MULTILINE)
    assert row, "the sequential page has no comparison table"
    assert row.groups() == ("0.9766", f"{test_accuracy:.4f}")


def test_the_functional_page_proves_shared_weights(site: Path) -> None:
    outputs = "".join(output for _, output in cells("en", "functional.html"))
    assert "identical: True" in outputs
    # Both readings of the post's sentence: recompiling either model splits nothing.
    assert "seq_model recompiled, then refit -> model1 changed: True" in outputs
    assert "model1 recompiled, seq_model refit -> model1 changed: True" in outputs
    assert "copy changed: False" in outputs


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("page", PAGES)
def test_each_page_links_to_the_same_page_in_the_other_language(
    site: Path, page: str, language: str
) -> None:
    other = "ko" if language == "en" else "en"
    link = soup(language, page).select_one(f"a.language-link[hreflang={other}]")
    assert link is not None, f"{language}/{page} has no link to {other}"
    target = (site / language / page).parent / link["href"].split("#")[0]
    assert target.resolve() == (site / other / page).resolve()


def test_the_root_page_offers_both_languages(site: Path) -> None:
    root = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert {link["href"] for link in root.select("a[hreflang]")} == {"en/", "ko/"}
