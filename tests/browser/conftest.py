"""The built site in a real browser: Debian's Chromium, driven by pytest-playwright.

The site is served by the `server` fixture (tests/conftest.py, tests/static_host.py:
gzip, cache headers, the root 404.html for a missing URL). pytest-playwright launches
one headless Chromium for the session, the system's (`browser_type_launch_args`):
Playwright never downloads a browser. A test opens a browser context with `open_page`,
which blocks and records every request that leaves the server; `tab` is one desktop
page that tests take from page to page. The JavaScript the tests run in the page lives
in `js/`, one file per question, read with `browsing.script`.

pytest-playwright's own options work as documented, on the contexts `open_page` opens:
`--screenshot only-on-failure`, `--tracing retain-on-failure`, `--headed`, `--slowmo`.

Every test in this folder is marked `browser` (and, through the `site` fixture, `site`).
A new browser test needs only the `open_page` fixture (and `server`, the site's URL), or
`desktop` for what a page shows at desktop width, loaded once for all per-page tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import (
    AXE,
    CHROMIUM_ARGS,
    DESKTOP,
    HERE,
    SCREENSHOTS,
    Desktop,
    Traffic,
    record_failure,
    script,
    settle,
)
from support import CHROMIUM, require


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


# -- The browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], site: Path
) -> dict[str, Any]:
    """pytest-playwright's launch options, with the system's Chromium and no phoning home."""
    require(CHROMIUM.is_file(), f"no Chromium at {CHROMIUM}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(server: str) -> str:
    """pytest-playwright's base URL: the served site, so `page.goto("en/")` works too."""
    return server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Every context starts at desktop width, wide enough for Furo's sidebar."""
    return {**browser_context_args, "viewport": DESKTOP}


OpenPage = Callable[..., tuple[Any, Traffic]]


def _watch(context: Any, server: str) -> tuple[Any, Traffic]:
    """Open a page in ``context`` that blocks and records every request leaving the server."""
    context.set_default_timeout(20_000)
    traffic = Traffic()

    def guard(route: Any) -> None:
        if route.request.url.startswith((server, "data:")):
            route.continue_()
        else:
            traffic.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and traffic.errors.append(msg.text))
    page.on("pageerror", lambda error: traffic.errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda req: record_failure(traffic, req))
    page.on(
        "response",
        lambda res: res.status >= 400 and traffic.failed.append(f"{res.url}: {res.status}"),
    )
    return page, traffic


@pytest.fixture
def open_page(new_context: Callable[..., Any], server: str) -> OpenPage:
    """Open a page in a new browser context (`options` as `new_context` takes them).

    Returns the page and its `Traffic`: requests that leave the server are blocked and
    recorded. pytest-playwright closes the contexts when the test ends.
    """
    return lambda **options: _watch(new_context(**options), server)


@pytest.fixture(scope="session")
def open_session_page(
    browser: Any, browser_context_args: dict[str, Any], server: str
) -> Iterator[OpenPage]:
    """`open_page` for session fixtures that load many pages in one context."""
    contexts: list[Any] = []

    def open_(**options: Any) -> tuple[Any, Traffic]:
        contexts.append(browser.new_context(**{**browser_context_args, **options}))
        return _watch(contexts[-1], server)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def session_tab(open_session_page: OpenPage) -> tuple[Any, Traffic]:
    """One desktop page, and its traffic, that tests take from page to page."""
    return open_session_page()


@pytest.fixture
def tab(session_tab: tuple[Any, Traffic]) -> Any:
    """The shared desktop page; a test that uses it starts with its traffic forgotten."""
    page, traffic = session_tab
    traffic.clear()
    return page


# -- What the tests ask of a page ---------------------------------------------------------


@pytest.fixture(scope="session")
def axe() -> Callable[..., list[str]]:
    """Run axe-core on a page; return its serious and critical violations, readably."""
    require(AXE.is_file(), f"axe-core is not installed at {AXE}: run `nox -s site`")
    source = AXE.read_text(encoding="utf-8")

    def run(page: Any, options: dict[str, Any] | None = None) -> list[str]:
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(content=source)
        violations = page.evaluate(
            script("run_axe"), {"resultTypes": ["violations"], **(options or {})}
        )
        return [
            f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
            for v in violations
            if v["impact"] in {"serious", "critical"}
            for node in v["nodes"][:3]
        ]

    return run


@pytest.fixture(scope="session")
def desktop(open_session_page: OpenPage, server: str) -> Callable[[str], Desktop]:
    """Load a page once at desktop width (cached), screenshot it, and read what it shows."""
    page, traffic = open_session_page()
    loaded: dict[str, Desktop] = {}

    def load(name: str) -> Desktop:
        if name not in loaded:
            traffic.clear()
            page.goto(server + name)
            settle(page)
            shown = page.evaluate(script("read_page"))
            shot = SCREENSHOTS / Path(name).with_suffix(".png")
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=shot, full_page=True)
            recorded = Traffic(list(traffic.errors), list(traffic.failed), list(traffic.outside))
            loaded[name] = Desktop(traffic=recorded, **shown)
        return loaded[name]

    return load
