"""The built site in a real browser: Debian's Chromium, driven by Playwright.

The site is served over HTTP on 127.0.0.1, the way a host serves it (a missing URL gets
the root 404.html). One browser serves the whole session, and each page is loaded once
per colour scheme: a `Visit` records everything the checks read (console, requests,
headings, images, axe-core, a 375 px phone width, the language switch), so the many
parametrized tests below cost one page load each. A screenshot of every page goes to
docs/_build/screenshots/ for review.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support import ROOT, SITE, require

pytestmark = [pytest.mark.browser, pytest.mark.site]

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that phones home: the tests also assert no request leaves 127.0.0.1.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "docs" / "_build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = SITE.parent / "screenshots"  # beside html/, so never published
DESKTOP = {"width": 1280, "height": 900}  # wide enough for Furo's sidebar (and its switch)
PHONE = {"width": 375, "height": 812}
LANGUAGES = ("en", "ko")
OTHER = {"en": "ko", "ko": "en"}

PAGES = sorted(
    f"{language}/{path.relative_to(SITE / language)}"
    for language in LANGUAGES
    for path in (SITE / language).rglob("*.html")
) or ["(no site)"]
#: Pages with code or cell outputs: what dark mode must keep readable.
CODE_PAGES = [
    page
    for page in PAGES
    if (SITE / page).is_file()
    and re.search(r'class="highlight|cell_output', (SITE / page).read_text(encoding="utf-8"))
] or ["(no site)"]


# -- Serving and browsing ---------------------------------------------------------------


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
    """One headless Chromium for the session (Debian's; Playwright never downloads one)."""
    require(CHROMIUM.is_file(), f"no Chromium at {CHROMIUM}: apt-get install chromium")
    require(importlib.util.find_spec("playwright"), "no playwright: install the test group")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """What a page did on the network and in its console."""

    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions
    failed: list[str] = field(default_factory=list)  # failed requests, HTTP errors
    outside: list[str] = field(default_factory=list)  # requests to anything but the server

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.errors.clear()
        self.failed.clear()
        self.outside.clear()


def record_failure(traffic: Traffic, request: Any) -> None:
    """Record a failed request; a load cut short by leaving the page is not a failure."""
    # Chromium fetches the favicon after "load"; moving on to the next page cancels it.
    if request.failure != "net::ERR_ABORTED" or request.resource_type == "document":
        traffic.failed.append(f"{request.url}: {request.failure}")


def open_page(browser: Any, server: str, **options: Any) -> tuple[Any, Any, Traffic]:
    """A new context and page that block and record requests leaving the server."""
    context = browser.new_context(viewport=DESKTOP, **options)
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
    return context, page, traffic


def settle(page: Any) -> None:
    """Wait for web fonts and images, so sizes and screenshots are final."""
    page.evaluate(
        """async () => {
            await document.fonts.ready;
            await Promise.all([...document.images].map((img) => img.complete ? null :
                new Promise((done) => { img.onload = img.onerror = done; })));
        }"""
    )


@functools.cache
def axe_source() -> str:
    """axe-core's script (installed by `nox -s tests` with npm)."""
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Any, options: dict[str, Any] | None = None) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, readably."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    violations = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations",
        {"resultTypes": ["violations"], **(options or {})},
    )
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
        for node in v["nodes"][:3]
    ]


# -- One visit per page -------------------------------------------------------------------

_READ_PAGE = """() => {
    const article = document.querySelector("article") || document.body;
    const headings = [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")]
        .map((h) => Number(h.tagName[1]));
    const images = [...article.querySelectorAll("img")].map((img) => ({
        src: img.getAttribute("src"), alt: img.getAttribute("alt"),
        output: !!img.closest(".cell_output"), natural: img.naturalWidth,
        width: img.getBoundingClientRect().width, height: img.getBoundingClientRect().height,
    }));
    const sections = [...article.querySelectorAll("section[id]")].map((s) => s.id);
    const anchor = sections[1] || article.querySelector("[id]")?.id || null;
    return {lang: document.documentElement.lang, headings, images, anchor};
}"""

# On a phone: the page must not scroll sideways, every box must fit the screen, and a box
# whose content is wider must scroll inside itself (and be reachable by keyboard).
_READ_PHONE = """() => {
    const width = innerWidth;
    const article = document.querySelector("article") || document.body;
    const name = (el) => el.tagName.toLowerCase() + (el.className ? "." +
        String(el.className).trim().split(/\\s+/).join(".") : "");
    const outside = [], clipped = [], scrolling = [];
    const boxes = [];  // elements that scroll or clip: what is inside them may lie beyond
    for (const el of article.querySelectorAll("*")) {
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        const inside = boxes.some((outer) => outer.contains(el));
        if (!inside && box.width && (box.right > width + 1 || box.left < -1)) outside.push(name(el));
        if (style.overflowX !== "visible") boxes.push(el);
        if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
            if (/auto|scroll/.test(style.overflowX)) scrolling.push({
                box: name(el), focusable: el.tabIndex >= 0 || !!el.querySelector("a, button"),
            });
            else if (/hidden|clip/.test(style.overflowX)) clipped.push(name(el));
        }
    }
    return {pageWidth: document.scrollingElement.scrollWidth, width,
            outside: outside.slice(0, 10), clipped: clipped.slice(0, 10), scrolling};
}"""


@dataclass
class Visit:
    """What one load of one page showed (light scheme, desktop, then phone width)."""

    page: str
    lang: str
    headings: list[int]
    images: list[dict[str, Any]]
    anchor: str | None
    axe: list[str] | None  # None: axe-core is not installed
    phone: dict[str, Any]
    traffic: Traffic
    switch: dict[str, Any]


@pytest.fixture(scope="session")
def visit(chromium: Any, server: str) -> Iterator[Callable[[str], Visit]]:
    """Load a page once (cached) and record all that the per-page checks need."""
    context, page, traffic = open_page(chromium, server)
    visits: dict[str, Visit] = {}

    def load(name: str) -> Visit:
        if name in visits:
            return visits[name]
        traffic.clear()
        page.set_viewport_size(DESKTOP)
        page.goto(server + name)
        settle(page)
        seen = page.evaluate(_READ_PAGE)
        axe = axe_violations(page) if AXE.is_file() else None
        shot = SCREENSHOTS / Path(name).with_suffix(".png")
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shot, full_page=True)
        page.set_viewport_size(PHONE)
        page.evaluate(
            "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)))"
        )
        phone = page.evaluate(_READ_PHONE)
        page.set_viewport_size(DESKTOP)
        recorded = Traffic(list(traffic.errors), list(traffic.failed), list(traffic.outside))
        switch = switch_language(page, server, name, seen["anchor"])
        visits[name] = Visit(
            page=name, axe=axe, phone=phone, traffic=recorded, switch=switch, **seen
        )
        return visits[name]

    yield load
    context.close()


def switch_language(page: Any, server: str, name: str, anchor: str | None) -> dict[str, Any]:
    """Put ``#anchor`` in the URL, click the language switch; report where it lands."""
    language, rest = name.split("/", 1)
    if anchor:
        page.evaluate("(anchor) => { location.hash = anchor; }", anchor)
    expected = f"{server}{OTHER[language]}/{rest}" + (f"#{anchor}" if anchor else "")
    with page.expect_navigation():
        page.click("a.language-link")
    found = page.evaluate("(id) => !id || !!document.getElementById(id)", anchor)
    return {"expected": expected, "landed": page.url, "anchor_found": found}


# -- Per-page checks ----------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly(visit: Callable[[str], Visit], name: str) -> None:
    """No console error, no uncaught exception, no failed request."""
    traffic = visit(name).traffic
    assert not traffic.errors, traffic.errors
    assert not traffic.failed, traffic.failed


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_the_site(visit: Callable[[str], Visit], name: str) -> None:
    """No font, script or image is fetched from another host."""
    assert not visit(name).traffic.outside


@pytest.mark.parametrize("name", PAGES)
def test_language_switch_keeps_page_and_anchor(visit: Callable[[str], Visit], name: str) -> None:
    switch = visit(name).switch
    assert switch["landed"] == switch["expected"]
    assert switch["anchor_found"], f"#{visit(name).anchor} is missing after the switch"


@pytest.mark.parametrize("name", PAGES)
def test_page_declares_its_language(visit: Callable[[str], Visit], name: str) -> None:
    assert visit(name).lang == name.split("/", 1)[0]


@pytest.mark.parametrize("name", PAGES)
def test_headings_skip_no_level(visit: Callable[[str], Visit], name: str) -> None:
    """One h1 first, then no jump of more than one level down (h2 -> h4)."""
    levels = visit(name).headings
    assert levels, "the page has no heading"
    assert levels[0] == 1
    assert levels.count(1) == 1
    jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not jumps, f"skipped heading levels: {jumps}"


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_serious(visit: Callable[[str], Visit], name: str) -> None:
    """axe-core reports no serious or critical accessibility violation."""
    require(AXE.is_file(), f"axe-core is not installed at {AXE}: run `nox -s tests`")
    violations = visit(name).axe
    assert not violations, "\n".join(violations or [])


@pytest.mark.parametrize("name", PAGES)
def test_images_render_with_alt_text(visit: Callable[[str], Visit], name: str) -> None:
    """Every image is drawn (nonzero size) and has an alt text that is not its file name."""
    for image in visit(name).images:
        assert image["natural"] > 0, f"{image['src']} did not load"
        assert image["width"] > 0, f"{image['src']} has no width"
        assert image["height"] > 0, f"{image['src']} has no height"
        alt = (image["alt"] or "").strip()
        assert alt, f"{image['src']} has no alt text"
        assert Path(image["src"]).name not in alt, f"{image['src']}: alt is the file name"


def test_model_plots_are_on_the_pages(visit: Callable[[str], Visit]) -> None:
    """The image check above is not vacuous: the plot pages do show output images."""
    for language in LANGUAGES:
        outputs = [i for i in visit(f"{language}/plots.html").images if i["output"]]
        assert len(outputs) >= 2
        assert all(i["src"].endswith(".svg") for i in outputs)


@pytest.mark.parametrize("name", PAGES)
def test_fits_a_phone_screen(visit: Callable[[str], Visit], name: str) -> None:
    """At 375 px the page never scrolls sideways; wide content scrolls in its own box."""
    phone = visit(name).phone
    assert phone["pageWidth"] <= phone["width"], "the page scrolls sideways"
    assert not phone["outside"], f"boxes wider than the screen: {phone['outside']}"
    assert not phone["clipped"], f"content cut off: {phone['clipped']}"
    unreachable = [box["box"] for box in phone["scrolling"] if not box["focusable"]]
    assert not unreachable, f"scrolling boxes the keyboard cannot reach: {unreachable}"


def test_model_summaries_scroll_in_their_own_box(visit: Callable[[str], Visit]) -> None:
    """The check above is not vacuous: a model summary is wider than a phone."""
    for language in LANGUAGES:
        boxes = [box["box"] for box in visit(f"{language}/plots.html").phone["scrolling"]]
        assert any(box.startswith("pre") for box in boxes), boxes


# -- Dark mode ----------------------------------------------------------------------------

# For each output image: the mean luminance of its border pixels, drawn over the
# background the page gives it, so a transparent plot on a dark page counts as dark.
_PLOT_BACKGROUNDS = """() => [...document.querySelectorAll(".cell_output img")].map((img) => {
    const canvas = document.createElement("canvas");
    const width = canvas.width = Math.max(1, Math.min(img.naturalWidth, 800));
    const height = canvas.height = Math.max(1, Math.round(width * img.naturalHeight / img.naturalWidth));
    const context = canvas.getContext("2d");
    let el = img, background = "rgba(0, 0, 0, 0)";
    while (el && /rgba\\(0, 0, 0, 0\\)|transparent/.test(background)) {
        background = getComputedStyle(el).backgroundColor;
        el = el.parentElement;
    }
    context.fillStyle = background;
    context.fillRect(0, 0, width, height);
    context.drawImage(img, 0, 0, width, height);
    const data = context.getImageData(0, 0, width, height).data;
    let sum = 0, count = 0;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
        if (x > 1 && y > 1 && x < width - 2 && y < height - 2) continue;
        const i = 4 * (y * width + x);
        sum += (0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]) / 255;
        count++;
    }
    return {src: img.getAttribute("src"), border: sum / count};
})"""


# The background of code and output blocks, as luminance: shows dark mode took effect.
_CODE_BACKGROUNDS = """() => [...document.querySelectorAll("article div.highlight")].map((box) => {
    const [r, g, b] = getComputedStyle(box).backgroundColor.match(/\\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
})"""


@pytest.fixture(scope="session")
def dark_visit(chromium: Any, server: str) -> Iterator[Callable[[str], dict[str, Any]]]:
    """Load a page once in dark mode (cached): contrast problems and plot backgrounds."""
    context, page, _ = open_page(chromium, server, color_scheme="dark")
    visits: dict[str, dict[str, Any]] = {}

    def load(name: str) -> dict[str, Any]:
        if name not in visits:
            page.goto(server + name)
            settle(page)
            contrast = (
                axe_violations(page, {"runOnly": ["color-contrast"]}) if AXE.is_file() else None
            )
            visits[name] = {
                "contrast": contrast,
                "plots": page.evaluate(_PLOT_BACKGROUNDS),
                "code": page.evaluate(_CODE_BACKGROUNDS),
            }
        return visits[name]

    yield load
    context.close()


@pytest.mark.parametrize("name", CODE_PAGES)
def test_dark_mode_keeps_code_outputs_and_plots_readable(
    dark_visit: Callable[[str], dict[str, Any]], name: str
) -> None:
    """In dark mode, text keeps 4.5:1 contrast (axe) and plots keep a light canvas."""
    require(AXE.is_file(), f"axe-core is not installed at {AXE}: run `nox -s tests`")
    seen = dark_visit(name)
    assert all(luminance < 0.25 for luminance in seen["code"]), "code blocks are not dark"
    assert not seen["contrast"], "\n".join(seen["contrast"])
    dark_plots = [plot["src"] for plot in seen["plots"] if plot["border"] < 0.8]
    assert not dark_plots, f"plots on a dark background: {dark_plots}"


# -- The root page and the 404 page -------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "language"), [("ko-KR", "ko"), ("en-US", "en"), ("fr-FR", "en")]
)
def test_root_sends_readers_to_their_language(
    chromium: Any, server: str, locale: str, language: str
) -> None:
    context, page, traffic = open_page(chromium, server, locale=locale)
    try:
        page.goto(server)
        page.wait_for_url(f"{server}{language}/")
        assert page.evaluate("document.documentElement.lang") == language
        assert not traffic.errors
        assert not traffic.failed
        assert not traffic.outside
    finally:
        context.close()


def test_root_offers_a_visible_choice(chromium: Any, server: str) -> None:
    """Without scripts (or before the redirect) the root page shows both languages."""
    context, page, _ = open_page(chromium, server, java_script_enabled=False)
    try:
        page.goto(server)
        for label, href in (("English", "en/"), ("한국어", "ko/")):
            link = page.get_by_role("link", name=label)
            assert link.is_visible()
            assert link.get_attribute("href") == href
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "root.png", full_page=True)
    finally:
        context.close()


def test_root_page_is_accessible(chromium: Any, server: str) -> None:
    """axe-core on the root page, with its redirect script taken out so the page stays."""
    require(AXE.is_file(), f"axe-core is not installed at {AXE}: run `nox -s tests`")
    context, page, _ = open_page(chromium, server)
    try:
        source = (SITE / "index.html").read_text(encoding="utf-8")
        without_redirect = re.sub(r"<script>.*?</script>", "", source, flags=re.DOTALL)
        page.route(
            server, lambda route: route.fulfill(body=without_redirect, content_type="text/html")
        )
        page.goto(server)
        assert not axe_violations(page)
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_page_gets_a_404_in_its_language(chromium: Any, server: str, language: str) -> None:
    context, page, traffic = open_page(chromium, server)
    try:
        response = page.goto(f"{server}{language}/no-such-page.html")
        assert response.status == HTTPStatus.NOT_FOUND
        assert page.evaluate("document.documentElement.lang") == language
        first = page.locator("main section").first
        assert first.get_attribute("lang") == language
        links = first.locator("a")
        assert links.nth(0).get_attribute("href") == f"/{language}/index.html"
        assert links.nth(1).get_attribute("href") == f"/{language}/search.html?q=no%20such%20page"
        assert not [error for error in traffic.errors if "404" not in error]
        if AXE.is_file():
            assert not axe_violations(page)
        page.screenshot(path=SCREENSHOTS / f"404-{language}.png", full_page=True)
    finally:
        context.close()


# -- Copying code -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def clipboard_page(chromium: Any, server: str) -> Iterator[Any]:
    """A page allowed to read the clipboard, to see what a copy button copied."""
    context, page, _ = open_page(chromium, server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    yield page
    context.close()


def copy(page: Any, block: Any) -> str:
    """Click the copy button of a code block; return what landed on the clipboard."""
    block.hover()
    block.locator("button.copybtn").click()
    return page.evaluate("navigator.clipboard.readText()")


@pytest.mark.parametrize("language", LANGUAGES)
def test_copy_button_copies_a_cells_code_only(
    clipboard_page: Any, server: str, language: str
) -> None:
    page = clipboard_page
    page.goto(f"{server}{language}/sequential.html")
    cell = page.locator("div.cell:has(div.cell_output pre)").first
    code = cell.locator("div.cell_input pre").inner_text()
    output = cell.locator("div.cell_output pre").first.inner_text()
    copied = copy(page, cell.locator("div.cell_input div.highlight"))
    assert copied.strip() == code.strip()
    assert output.strip() not in copied
    assert not cell.locator("div.cell_output button.copybtn").count(), "outputs get no button"


def test_copy_button_drops_prompts_and_doctest_output(clipboard_page: Any, server: str) -> None:
    page = clipboard_page
    page.goto(f"{server}en/api.html")
    block = page.locator("div.doctest div.highlight").first
    prompts = block.locator(".gp").all_inner_texts()
    outputs = [text for text in block.locator(".go").all_inner_texts() if text.strip()]
    assert prompts, "the first doctest has prompts to leave out"
    assert outputs, "the first doctest has outputs to leave out"
    copied = copy(page, block)
    assert ">>>" not in copied
    assert not [text for text in outputs if text.strip() in copied.splitlines()]
    page.goto(f"{server}en/index.html")
    copied = copy(page, page.locator("div.highlight-console div.highlight").first)
    assert not [line for line in copied.splitlines() if line.startswith("$")]
