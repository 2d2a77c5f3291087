"""Link every page to the same page in the other language.

Both languages are built from one source into sibling folders (``en/`` and ``ko/``),
so the same page has the same relative path in each. The template
``sidebar/language.html`` shows the link; a small script keeps the ``#anchor``.

With ``html_baseurl`` set (the hosted site's root, holding ``en/`` and ``ko/``), each
page's ``<head>`` also names its translations (``<link rel="alternate" hreflang>``) so
search engines show readers their language, and its canonical URL gets the language
folder that Sphinx's own ``pageurl`` leaves out.

Why not a package: Read the Docs' flyout links translations only for its own
translation projects, and sphinx-intl builds languages without linking them.
"""

from __future__ import annotations

from html import escape
from typing import Any

from sphinx.application import Sphinx

#: Language code -> the name a reader recognises, in that language.
LANGUAGES = {"en": "English", "ko": "한국어"}


def _add_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    here = app.config.language
    up = "../" * (pagename.count("/") + 1)  # from this page to the folder holding en/ and ko/
    suffix = app.builder.get_target_uri(pagename)
    context["language_links"] = [
        {"code": code, "name": name, "url": f"{up}{code}/{suffix}", "current": code == here}
        for code, name in LANGUAGES.items()
    ]
    base = app.config.html_baseurl
    if base:
        base = base.rstrip("/") + "/"
        context["pageurl"] = f"{base}{here}/{suffix}"
        default = next(iter(LANGUAGES))  # English, the source: for readers of neither
        alternates = [(code, f"{base}{code}/{suffix}") for code in LANGUAGES]
        alternates.append(("x-default", f"{base}{default}/{suffix}"))
        links = "".join(
            f'<link rel="alternate" hreflang="{code}" href="{escape(url)}">\n'
            for code, url in alternates
        )
        context["metatags"] = context.get("metatags", "") + links


def setup(app: Sphinx) -> dict[str, object]:
    """Add ``language_links`` and the hreflang alternates to every page's context."""
    app.connect("html-page-context", _add_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
