"""The site's root (the language picker) and its 404 page, as a visitor meets them."""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import pytest
from browsing import LANGUAGES, SCREENSHOTS, SITE

#: How the 404 page's heading and title begin, in each language.
NOT_FOUND = {"en": "Page not found", "ko": "페이지를 찾을 수 없습니다"}


@pytest.mark.parametrize(
    ("locale", "language"), [("ko-KR", "ko"), ("en-US", "en"), ("fr-FR", "en")]
)
def test_root_sends_readers_to_their_language(
    open_page: Callable[..., Any], server: str, locale: str, language: str
) -> None:
    page, traffic = open_page(locale=locale)
    page.goto(server)
    page.wait_for_url(f"{server}{language}/")
    assert not traffic.errors
    assert not traffic.failed
    assert not traffic.outside


def test_root_offers_a_visible_choice_without_scripts(
    open_page: Callable[..., Any], server: str
) -> None:
    """Without scripts (or before the redirect) the root page shows both languages."""
    page, _ = open_page(java_script_enabled=False)
    page.goto(server)
    for label, href in (("English", "en/"), ("한국어", "ko/")):
        link = page.get_by_role("link", name=label)
        assert link.is_visible()
        assert link.get_attribute("href") == href
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "root.png", full_page=True)


def test_root_page_is_accessible(
    open_page: Callable[..., Any], axe: Callable[..., list[str]], server: str
) -> None:
    """axe-core on the root page, with its redirect script taken out so the page stays."""
    page, _ = open_page()
    source = (SITE / "index.html").read_text(encoding="utf-8")
    without_redirect = re.sub(r"<script>.*?</script>", "", source, flags=re.DOTALL)
    page.route(server, lambda route: route.fulfill(body=without_redirect, content_type="text/html"))
    page.goto(server)
    assert not axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_page_gets_a_404_in_its_language(
    open_page: Callable[..., Any], server: str, language: str
) -> None:
    """Under /<lang>/ the 404 page speaks that language and links home and to a search."""
    page, traffic = open_page()
    response = page.goto(f"{server}{language}/no-such-page.html")
    assert response.status == HTTPStatus.NOT_FOUND
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("h1 > span").first.get_attribute("lang") == language
    assert page.title().startswith(NOT_FOUND[language])
    first = page.locator("main section").first
    assert first.get_attribute("lang") == language
    links = first.locator("a")
    assert links.nth(0).get_attribute("href") == f"/{language}/index.html"
    assert links.nth(1).get_attribute("href") == f"/{language}/search.html?q=no%20such%20page"
    assert not [error for error in traffic.errors if "404" not in error]
    page.screenshot(path=SCREENSHOTS / f"404-{language}.png", full_page=True)


@pytest.mark.parametrize(
    ("locale", "language"), [("ko-KR", "ko"), ("en-US", "en"), ("fr-FR", "en")]
)
def test_404_outside_a_language_greets_readers_in_theirs_first(
    open_page: Callable[..., Any], server: str, locale: str, language: str
) -> None:
    """A missing page outside /en/ and /ko/ puts the browser's language first."""
    page, _ = open_page(locale=locale)
    page.goto(f"{server}no-such-page.html")
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("h1").inner_text().startswith(NOT_FOUND[language])
    assert page.title().startswith(NOT_FOUND[language])
    assert page.locator("main section").first.get_attribute("lang") == language


def test_404_without_scripts_shows_both_languages(
    open_page: Callable[..., Any], server: str
) -> None:
    """Without scripts the 404 page is English first, with the Korean in full below it."""
    page, _ = open_page(java_script_enabled=False, locale="ko-KR")
    page.goto(f"{server}ko/no-such-page.html")
    sections = page.locator("main section")
    assert [sections.nth(i).get_attribute("lang") for i in range(2)] == ["en", "ko"]
    assert page.get_by_role("link", name="가이드 첫 페이지로 가기").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_page_is_accessible(
    open_page: Callable[..., Any], axe: Callable[..., list[str]], server: str, language: str
) -> None:
    page, _ = open_page()
    page.goto(f"{server}{language}/no-such-page.html")
    assert not axe(page)
