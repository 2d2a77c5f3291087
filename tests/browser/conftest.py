"""The built site in a real browser: Debian's Chromium, driven by Playwright.

The site is served over HTTP on 127.0.0.1, the way a host serves it (a missing URL gets
the root 404.html), to one headless Chromium for the whole session. A test opens a
browser context with `open_page`, which blocks and records every request that leaves
the server. The JavaScript the tests run in the page lives in `js/`, one file per
question, read with `browsing.script`.

Every test in this folder is marked `browser` (and, through the `site` fixture, `site`).
A new browser test needs only the `open_page` fixture (and `server`, the site's URL), or
`desktop` for what a page shows at desktop width, loaded once for all per-page tests.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
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


# -- Serving and browsing -----------------------------------------------------------------


class _Host(SimpleHTTPRequestHandler):
    """Serve the built site quietly; answer a missing URL with 404.html, as hosts do."""

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Send the site's own 404 page for a missing file."""
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site on a free port of 127.0.0.1; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Host, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def chromium(site: Path) -> Iterator[Any]:
    """One headless Chromium for the session (the system's; Playwright never downloads one)."""
    require(CHROMIUM.is_file(), f"no Chromium at {CHROMIUM}: apt-get install chromium")
    require(importlib.util.find_spec("playwright"), "no playwright: install the test group")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


OpenPage = Callable[..., tuple[Any, Traffic]]


def _opener(chromium: Any, server: str, contexts: list[Any]) -> OpenPage:
    """A function that opens a page in a new browser context and records its traffic."""

    def open_(**options: Any) -> tuple[Any, Traffic]:
        context = chromium.new_context(**{"viewport": DESKTOP, **options})
        contexts.append(context)
        context.set_default_timeout(20_000)
        traffic = Traffic()

        def guard(route: Any) -> None:
            if route.request.url.startswith(server):
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

    return open_


@pytest.fixture
def open_page(chromium: Any, server: str) -> Iterator[OpenPage]:
    """Open a page in a new browser context (`options` as `new_context` takes them).

    Returns the page and its `Traffic`: requests that leave the server are blocked and
    recorded. The contexts close when the test ends.
    """
    contexts: list[Any] = []
    yield _opener(chromium, server, contexts)
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def open_session_page(chromium: Any, server: str) -> Iterator[OpenPage]:
    """`open_page` for session fixtures that load many pages in one context."""
    contexts: list[Any] = []
    yield _opener(chromium, server, contexts)
    for context in contexts:
        context.close()


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
