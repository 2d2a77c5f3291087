"""The copy button copies what a reader can paste and run: code, never outputs or prompts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browsing import LANGUAGES


@pytest.fixture
def clipboard_page(open_page: Callable[..., Any], server: str) -> Any:
    """A page allowed to read the clipboard, to see what a copy button copied."""
    page, _ = open_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    return page


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


def test_copy_button_drops_console_prompts(clipboard_page: Any, server: str) -> None:
    page = clipboard_page
    page.goto(f"{server}en/index.html")
    copied = copy(page, page.locator("div.highlight-console div.highlight").first)
    assert copied.strip(), "the console block copied nothing"
    assert not [line for line in copied.splitlines() if line.startswith("$")]
