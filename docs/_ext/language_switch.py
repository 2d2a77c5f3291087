"""Link every page to the same page in the other language.

Both languages are built from one source into sibling folders (``en/`` and ``ko/``),
so the same page has the same relative path in each. The template
``sidebar/language.html`` shows the link; a small script keeps the ``#anchor``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

#: Language code -> the name a reader recognises, in that language.
LANGUAGES = {"en": "English", "ko": "한국어"}


def _add_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
               doctree: object) -> None:
    here = app.config.language
    up = "../" * (pagename.count("/") + 1)  # from this page to the folder holding en/ and ko/
    suffix = app.builder.get_target_uri(pagename)
    context["language_links"] = [
        {"code": code, "name": name, "url": f"{up}{code}/{suffix}", "current": code == here}
        for code, name in LANGUAGES.items()
    ]


def setup(app: Sphinx) -> dict[str, object]:
    """Add ``language_links`` to every page's template context."""
    app.connect("html-page-context", _add_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
