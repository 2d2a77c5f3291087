"""Dark mode (the reader's system preference): code, outputs and plots stay readable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browsing import SITE, built_pages, script, settle
from bs4 import BeautifulSoup


def pages_showing(selector: str | None, *needles: str) -> list[str]:
    """The built pages whose HTML holds every one of ``needles`` and, if given, an
    element that ``selector`` selects (read at collection)."""
    found = []
    for page in built_pages():
        text = (SITE / page).read_text("utf-8") if (SITE / page).is_file() else ""
        if all(needle in text for needle in needles) and (
            not selector or BeautifulSoup(text, "html.parser").select_one(selector)
        ):
            found.append(page)
    return found or ["(no site)"]


#: Pages with code blocks: what dark mode must keep readable.
CODE_PAGES = pages_showing(None, 'class="highlight')
#: Pages whose cells show an image (plots, model plots): what must stay on a light canvas.
PLOT_PAGES = pages_showing(".cell_output img", "cell_output", "<img")


@pytest.fixture(scope="session")
def dark(open_session_page: Callable[..., Any], server: str) -> Callable[[str], Any]:
    """A dark-mode tab, taken to the named page unless it is there already."""
    page, _ = open_session_page(color_scheme="dark")

    def load(name: str) -> Any:
        if page.url != server + name:
            page.goto(server + name)
            settle(page)
        return page

    return load


@pytest.mark.parametrize("name", CODE_PAGES)
def test_dark_mode_darkens_code_blocks(dark: Callable[[str], Any], name: str) -> None:
    luminances = dark(name).evaluate(script("code_backgrounds"))
    assert luminances, f"{name} shows no code block in the browser"
    assert all(luminance < 0.25 for luminance in luminances), luminances


@pytest.mark.parametrize("name", PLOT_PAGES)
def test_dark_mode_keeps_plots_on_a_light_canvas(dark: Callable[[str], Any], name: str) -> None:
    plots = dark(name).evaluate(script("plot_backgrounds"))
    assert plots, f"{name} shows no output image in the browser"
    dark_plots = [plot["src"] for plot in plots if plot["border"] < 0.8]
    assert not dark_plots, f"plots on a dark background: {dark_plots}"


@pytest.mark.parametrize("name", CODE_PAGES)
def test_dark_mode_text_keeps_its_contrast(
    dark: Callable[[str], Any], axe: Callable[..., list[str]], name: str
) -> None:
    """axe-core's color-contrast rule: 4.5:1 for every text, code and outputs included."""
    violations = axe(dark(name), {"runOnly": ["color-contrast"]})
    assert not violations, "\n".join(violations)
