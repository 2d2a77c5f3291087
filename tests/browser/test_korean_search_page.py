"""The Korean search page in a browser: a word finds every page that uses it, inflected.

Sphinx indexes Korean pages with docs/_ext/korean_search.py (Python) and stems queries
with its JavaScript twin on the search page; these tests run the real search page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from browsing import SITE, built_pages, script
from support import docs_extension

#: Particles a Korean page glues to these words; written out here, apart from the
#: extension's own list, so the test does not just repeat the code it checks.
PARTICLES = ["을", "를", "이", "가", "은", "는", "의", "에", "에서", "으로", "로", "와", "과", "도"]
PARTICLES += ["만", "들", "이다", "입니다"]
KOREAN_PAGES = [
    page for page in built_pages() if page.startswith("ko/") and not page.startswith("ko/_")
]


def article_text(page: str) -> str:
    """The visible text of a built page's <article>: what the search index holds."""
    source = (SITE / page).read_text(encoding="utf-8")
    article = source[source.find("<article") : source.find("</article>")]
    article = re.sub(r"<(script|style)\b.*?</\1>", " ", article, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", article))


@pytest.fixture(scope="session")
def search_page(open_session_page: Callable[..., Any]) -> Any:
    """A tab for running searches."""
    page, _ = open_session_page()
    return page


def search_results(page: Any, server: str, language: str, query: str) -> set[str]:
    """Run the site's own search page; return the pages it lists."""
    page.goto(f"{server}{language}/search.html?q={query}")
    page.wait_for_function(script("search_ready"))
    links = page.locator("#search-results ul.search li a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    return {f"{language}/{unquote(urlsplit(link).path)}" for link in links}


@pytest.mark.parametrize("word", ["모델", "레이어", "입력", "가중치", "clone_model"])
def test_korean_search_finds_every_form_of_a_word(search_page: Any, server: str, word: str) -> None:
    """Searching 모델 lists every page with 모델, 모델을, 모델은 ... (and English still works)."""
    forms = "|".join(sorted(PARTICLES, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?:{forms})*(?!\w)", re.IGNORECASE)
    using = {page for page in KOREAN_PAGES if pattern.search(article_text(page))}
    assert using, f"no Korean page uses {word}"
    found = search_results(search_page, server, "ko", word)
    assert using <= found, f"{word}: pages missing from the results: {sorted(using - found)}"


def test_query_stemmer_matches_index_stemmer(search_page: Any, server: str) -> None:
    """The JavaScript stemmer on the search page stems every word as the Python one did."""
    stemmer = docs_extension("korean_search").SearchKorean({})
    words = sorted(
        {
            word
            for page in KOREAN_PAGES
            for word in stemmer.split(article_text(page))
            if not word.isdigit()
        }
    )
    assert len(words) > 100
    search_page.goto(f"{server}ko/search.html")
    in_browser = search_page.evaluate(script("stem_words"), words)
    mismatches = [
        (word, py, js)
        for word, js in zip(words, in_browser, strict=True)
        if (py := stemmer.stem(word)) != js
    ]
    assert not mismatches, mismatches[:20]
