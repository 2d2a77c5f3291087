"""The backend tabs (sphinxext/backend_tabs.py) in a real browser, on customize-fit.

A reader picks a backend once: every tab group of the page follows, and so do the pages
opened next (the choice is kept in localStorage). Without JavaScript the tabs still
switch, and at phone width the three labels fit the screen.
"""

from __future__ import annotations

from typing import Any

import pytest
from browsing import PHONE

PAGE = "customize-fit.html"


def shown(page: Any) -> list[str]:
    """The backend each tab group shows, in page order."""
    return page.locator(".backend-tabs").evaluate_all(
        """(groups) => groups.map((group) => {
             const panel = [...group.querySelectorAll(":scope > .cell")]
               .find((cell) => getComputedStyle(cell).display !== "none");
             return group.querySelector(`#${CSS.escape(panel.previousElementSibling.htmlFor)}`)
               .dataset.backend;
           })"""
    )


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_choice_holds_for_the_page_and_the_next_ones(
    open_page: Any, server: str, language: str
) -> None:
    page, traffic = open_page()
    page.goto(f"{server}{language}/{PAGE}")
    assert shown(page) == ["tensorflow", "tensorflow"]
    page.locator(".backend-tabs label", has_text="JAX").first.click()
    assert shown(page) == ["jax", "jax"]
    other = "ko" if language == "en" else "en"
    page.goto(f"{server}{other}/{PAGE}")  # the next page, in the same browser
    assert shown(page) == ["jax", "jax"]
    # The radios stay in the tab order, invisible: the arrow keys switch the tabs.
    page.locator(".backend-tabs input[data-backend='jax']").first.focus()
    page.keyboard.press("ArrowRight")
    assert shown(page)[0] == "torch"
    assert not traffic.errors, traffic
    assert not traffic.outside, traffic


def test_without_javascript_the_tabs_switch_and_hold_every_backends_code(
    open_page: Any, server: str
) -> None:
    page, _ = open_page(java_script_enabled=False)
    page.goto(f"{server}en/{PAGE}")
    assert shown(page) == ["tensorflow", "tensorflow"]
    page.locator(".backend-tabs label", has_text="PyTorch").first.click()
    assert shown(page) == ["torch", "tensorflow"]  # no script: each group on its own
    code = page.locator(".backend-tabs").first.text_content()  # hidden tabs included
    for name in ("GradientTape", "jax.grad", "backward()"):
        assert name in code


def test_the_labels_fit_a_phone(open_session_page: Any, server: str) -> None:
    page, _ = open_session_page(viewport=PHONE)
    page.goto(f"{server}ko/{PAGE}")
    boxes = [label.bounding_box() for label in page.locator(".backend-tabs label").all()[:3]]
    assert all(box["x"] + box["width"] <= PHONE["width"] for box in boxes), boxes
    assert len({box["y"] for box in boxes}) == 1, boxes  # one row
