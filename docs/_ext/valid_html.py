"""Fix, where Sphinx writes it, the HTML that the Nu HTML Checker rejects.

``sphinx.ext.viewcode`` marks each documented function in a highlighted source page
(``_modules/…``) with ``<div class="viewcode-block">`` inside the ``<pre>``, but a
``<pre>`` may hold only phrasing content ("Element div not allowed as child of element
pre"). A ``<span>`` is allowed there; ``guide.css`` gives it ``display: block`` so the
page looks as before, and ``#name`` links still land on the function.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

_PRE = re.compile(r"<pre>.*?</pre>", re.DOTALL)
_BLOCK_START = re.compile(r'<div class="viewcode-block"( id="[^"]*")?>')


def viewcode_spans(body: str) -> str:
    """Turn viewcode's ``<div>`` blocks inside each ``<pre>`` into ``<span>`` blocks.

    >>> viewcode_spans('<pre><div class="viewcode-block" id="f">\\ndef f():</div>\\n</pre>')
    '<pre><span class="viewcode-block" id="f">\\ndef f():</span>\\n</pre>'
    """

    def fix(match: re.Match[str]) -> str:
        inside = _BLOCK_START.sub(r'<span class="viewcode-block"\1>', match[0])
        return inside.replace("</div>", "</span>")

    return _PRE.sub(fix, body)


def _fix_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if pagename.startswith("_modules/") and "viewcode-block" in context.get("body", ""):
        context["body"] = viewcode_spans(context["body"])


def setup(app: Sphinx) -> dict[str, object]:
    """Rewrite the highlighted source pages before they are written."""
    app.connect("html-page-context", _fix_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
