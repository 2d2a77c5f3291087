"""What the browser tests share besides fixtures: paths, the page list, in-page scripts.

Fixtures live in conftest.py; this module holds what a test module imports by name
(`from browsing import LANGUAGES, built_pages, script`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import ROOT, SITE

HERE = Path(__file__).parent
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


def built_pages() -> list[str]:
    """Every built page of both languages ("en/index.html", ...), to parametrize over.

    Read at collection; without a site it is one placeholder, whose tests then skip (or
    fail under KERAS_MODEL_GUIDE_STRICT=1) through the `site` fixture.
    """
    found = sorted(
        f"{language}/{path.relative_to(SITE / language)}"
        for language in LANGUAGES
        for path in (SITE / language).rglob("*.html")
    )
    return found or ["(no site)"]


@functools.cache
def script(name: str) -> str:
    """The JavaScript function in js/<name>.js, without its leading comment."""
    lines = (HERE / "js" / f"{name}.js").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("//"))


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


def settle(page: Any) -> None:
    """Wait for web fonts and images, so sizes and screenshots are final."""
    page.evaluate(script("settle"))


@dataclass
class Desktop:
    """One page as loaded at desktop width: what it requested, its headings and images."""

    traffic: Traffic
    headings: list[int]
    images: list[dict[str, Any]]
