"""Every built page at desktop and phone width: loads cleanly, reads well, is accessible.

The checks that only read the page share one load of it (`desktop`); axe-core, the
phone layout and the language switch each load the page themselves, so a failure
names the one thing that failed. Screenshots of every page go to docs/_build/screenshots.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browsing import LANGUAGES, PHONE, Desktop, built_pages, script, settle

PAGES = built_pages()
OTHER = {"en": "ko", "ko": "en"}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors(desktop: Callable[[str], Desktop], name: str) -> None:
    """No console error, no uncaught exception, no failed request."""
    traffic = desktop(name).traffic
    assert not traffic.errors, traffic.errors
    assert not traffic.failed, traffic.failed


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_the_site(desktop: Callable[[str], Desktop], name: str) -> None:
    """No font, script or image is fetched from another host."""
    assert not desktop(name).traffic.outside


@pytest.mark.parametrize("name", PAGES)
def test_headings_skip_no_level(desktop: Callable[[str], Desktop], name: str) -> None:
    """One h1 first, then no jump of more than one level down (h2 -> h4)."""
    levels = desktop(name).headings
    assert levels, "the page has no heading"
    assert levels[0] == 1
    assert levels.count(1) == 1
    jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not jumps, f"skipped heading levels: {jumps}"


@pytest.mark.parametrize("name", PAGES)
def test_images_render_with_alt_text(desktop: Callable[[str], Desktop], name: str) -> None:
    """Every image is drawn (nonzero size) and has an alt text that is not its file name."""
    for image in desktop(name).images:
        assert image["natural"] > 0, f"{image['src']} did not load"
        assert image["width"] > 0, f"{image['src']} has no width"
        assert image["height"] > 0, f"{image['src']} has no height"
        alt = (image["alt"] or "").strip()
        assert alt, f"{image['src']} has no alt text"
        assert Path(image["src"]).name not in alt, f"{image['src']}: alt is the file name"


def test_plot_pages_show_model_plots(desktop: Callable[[str], Desktop]) -> None:
    """The image check above is not vacuous: the plot pages do show output images."""
    for language in LANGUAGES:
        plots = [i for i in desktop(f"{language}/plots.html").images if i["output"]]
        assert len(plots) >= 2
        # plot_model shows a PNG; model_to_dot(...).create(format="svg") the SVGs.
        assert all(i["src"].endswith((".svg", ".png")) for i in plots)
        assert sum(i["src"].endswith(".svg") for i in plots) >= 2


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_serious(
    tab: Any, axe: Callable[..., list[str]], server: str, name: str
) -> None:
    """axe-core reports no serious or critical accessibility violation."""
    page = tab
    page.goto(server + name)
    settle(page)
    violations = axe(page)
    assert not violations, "\n".join(violations)


@pytest.fixture(scope="session")
def phone(open_session_page: Callable[..., Any], server: str) -> Callable[[str], dict[str, Any]]:
    """Load a page at 375 px (cached) and measure what sticks out or scrolls."""
    page, _ = open_session_page(viewport=PHONE)

    @functools.cache
    def measure(name: str) -> dict[str, Any]:
        page.goto(server + name)
        settle(page)
        page.evaluate(script("after_paint"))
        return page.evaluate(script("read_phone"))

    return measure


@pytest.mark.parametrize("name", PAGES)
def test_fits_a_phone_screen(phone: Callable[[str], dict[str, Any]], name: str) -> None:
    """At 375 px the page never scrolls sideways; wide content scrolls in its own box."""
    layout = phone(name)
    assert layout["pageWidth"] <= layout["width"], "the page scrolls sideways"
    assert not layout["outside"], f"boxes wider than the screen: {layout['outside']}"
    assert not layout["clipped"], f"content cut off: {layout['clipped']}"
    unreachable = [box["box"] for box in layout["scrolling"] if not box["focusable"]]
    assert not unreachable, f"scrolling boxes the keyboard cannot reach: {unreachable}"


def test_model_summaries_scroll_in_their_own_box(phone: Callable[[str], dict[str, Any]]) -> None:
    """The check above is not vacuous: a model summary is wider than a phone."""
    for language in LANGUAGES:
        boxes = [box["box"] for box in phone(f"{language}/plots.html")["scrolling"]]
        assert any(box.startswith("pre") for box in boxes), boxes


@pytest.mark.parametrize("name", PAGES)
def test_language_switch_keeps_page_and_anchor(tab: Any, server: str, name: str) -> None:
    """Clicking the switch lands on the same page in the other language, at the same anchor."""
    page = tab
    page.goto(server + name)
    anchor = page.evaluate(script("pick_anchor"))
    if anchor:
        page.evaluate("(anchor) => { location.hash = anchor; }", anchor)
    language, rest = name.split("/", 1)
    with page.expect_navigation():
        page.click("a.language-link")
    assert page.url == f"{server}{OTHER[language]}/{rest}" + (f"#{anchor}" if anchor else "")
    if anchor:
        assert page.evaluate("(id) => !!document.getElementById(id)", anchor), f"no #{anchor}"
