"""Every link inside the built site leads somewhere: a file, and the #anchor in it.

Pure Python (``html.parser``) over the HTML that `nox -s site` wrote: both languages and
the root pages. Also checks what hosting relies on: both languages hold the same pages,
each names its translations (hreflang) and canonical URL, and the sitemaps list them all.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from support import SITE

from keras_model_guide.site import LANGUAGES, SITE_URL

BASE_URL = SITE_URL  # conf.py's html_baseurl
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: Attributes that load or link to another file, per tag.
LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
}


class _PageParser(HTMLParser):
    """Collect a page's ids, its links, and its <head> link elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.head_links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:  # old-style anchors still count
            self.ids.add(attributes["name"])
        if tag == "link":
            self.head_links.append(attributes)
        name = LINK_ATTRIBUTES.get(tag)
        if name and attributes.get(name):
            self.links.append(attributes[name])


@cache
def parse(page: str) -> _PageParser:
    """Parse one built page (cached: anchors are looked up in the same pages often)."""
    parser = _PageParser()
    parser.feed((SITE / page).read_text(encoding="utf-8"))
    return parser


def broken_links(page: str) -> list[str]:
    """Return each link on ``page`` whose file or #anchor does not exist in the site."""
    broken = []
    here = "/" + page  # the page's URL path, so "/en/x.html" and "../ko/" resolve alike
    for link in parse(page).links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link == "#":  # external, data: or "top of page"
            continue
        target = urlsplit(urljoin(here, link))
        path = unquote(target.path)
        if path.endswith("/"):
            path += "index.html"
        file = SITE / path.lstrip("/")
        if not file.is_file():
            broken.append(f"{link} (no file {path})")
        elif target.fragment and file.suffix == ".html":
            anchor = unquote(target.fragment)
            if anchor not in parse(str(file.relative_to(SITE))).ids:
                broken.append(f"{link} (no id {anchor!r} in {path})")
    return broken


def test_every_internal_link_resolves(site: Path) -> None:
    """Every href and src on every page, the root and 404 pages included."""
    pages = sorted(str(path.relative_to(site)) for path in site.rglob("*.html"))
    assert {"index.html", "404.html", "en/index.html", "ko/index.html"} <= set(pages)
    assert sum(len(parse(page).links) for page in pages) > len(pages), "too few links found"
    broken = {page: links for page in pages if (links := broken_links(page))}
    assert not broken, f"links to what is not in the site: {broken}"


def language_pages(language: str) -> list[str]:
    """Pages of one language, relative to its folder."""
    return sorted(
        str(path.relative_to(SITE / language)) for path in (SITE / language).rglob("*.html")
    )


def test_both_languages_have_the_same_pages(site: Path) -> None:
    assert "index.html" in language_pages("en")
    assert language_pages("en") == language_pages("ko")


@pytest.mark.parametrize("language", LANGUAGES)
def test_hreflang_and_canonical_name_the_same_page(site: Path, language: str) -> None:
    """Each page names itself as canonical, and its translations as alternates."""
    assert "index.html" in language_pages(language)
    for page in language_pages(language):
        links = parse(f"{language}/{page}").head_links
        alternates = {
            link["hreflang"]: link["href"] for link in links if link.get("rel") == "alternate"
        }
        assert alternates == {
            "en": f"{BASE_URL}en/{page}",
            "ko": f"{BASE_URL}ko/{page}",
            "x-default": f"{BASE_URL}en/{page}",
        }, page
        canonical = [link["href"] for link in links if link.get("rel") == "canonical"]
        assert canonical == [f"{BASE_URL}{language}/{page}"], page


def local_file(url: str) -> Path:
    """The built file that a hosted URL names."""
    assert url.startswith(BASE_URL), url
    return SITE / url.removeprefix(BASE_URL)


def test_sitemaps_list_both_languages(site: Path) -> None:
    """robots.txt -> each language's sitemap -> every page, with both translations."""
    robots = (SITE / "robots.txt").read_text(encoding="utf-8")
    sitemaps = re.findall(r"^Sitemap: (\S+)$", robots, flags=re.MULTILINE)
    assert sitemaps == [f"{BASE_URL}{language}/sitemap.xml" for language in LANGUAGES]
    index = ET.parse(SITE / "sitemap.xml").getroot()
    assert [loc.text for loc in index.iter(f"{SITEMAP}loc")] == sitemaps
    for language, sitemap in zip(LANGUAGES, sitemaps, strict=True):
        urls = ET.parse(local_file(sitemap)).getroot().findall(f"{SITEMAP}url")
        listed = {url.findtext(f"{SITEMAP}loc") for url in urls}
        for url in listed:
            assert local_file(url).is_file(), url
        tutorials = {
            f"{BASE_URL}{language}/{page}"
            for page in language_pages(language)
            if not page.startswith("_")
            and page not in {"search.html", "genindex.html", "py-modindex.html"}
        }
        assert f"{BASE_URL}{language}/index.html" in listed
        assert listed == tutorials
        for url in urls:  # each entry names its page in both languages
            hreflangs = {link.get("hreflang") for link in url if link.tag.endswith("link")}
            assert hreflangs == set(LANGUAGES), url.findtext(f"{SITEMAP}loc")
