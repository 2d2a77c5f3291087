"""Model plots can be read: no label runs past its box or into another label.

A page shows each model plot as an SVG in an <img>, whose text the page cannot reach, so
the test collects the plots from every built page of a language, then opens each SVG
file as its own document (drawn as the <img> draws it, in the fonts this machine has)
and measures every text of every node and cluster against its box
(js/plot_label_overflows.js). In light and dark mode, as a reader's system sets it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browsing import LANGUAGES, SITE, built_pages, script, settle


def _plots_of(page: Any, server: str, language: str) -> dict[str, str]:
    """Every model plot that the language's pages show: {SVG URL: first page showing it}."""
    plots: dict[str, str] = {}
    for name in built_pages():
        if not name.startswith(f"{language}/"):
            continue
        if "cell_output" not in (SITE / name).read_text(encoding="utf-8"):
            continue
        page.goto(server + name)
        settle(page)
        sources = page.eval_on_selector_all(
            ".cell_output img[src$='.svg']", "(images) => images.map((image) => image.src)"
        )
        for source in sources:
            plots.setdefault(source, name)
    return plots


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_model_plot_labels_fit_their_boxes(
    open_page: Callable[..., Any], server: str, language: str, scheme: str
) -> None:
    page, traffic = open_page(color_scheme=scheme)
    plots = _plots_of(page, server, language)
    assert plots, f"no {language} page shows an SVG model plot"
    problems = []
    for url, shown_on in plots.items():
        page.goto(url)
        measured = page.evaluate(script("plot_label_overflows"))
        assert measured["texts"], f"{url} (on {shown_on}): no text measured"
        problems += [f"{shown_on} {url.rsplit('/', 1)[-1]}: {p}" for p in measured["problems"]]
    assert not problems, f"{len(problems)} labels do not fit:\n" + "\n".join(problems)
    assert not traffic.failed, traffic.failed
