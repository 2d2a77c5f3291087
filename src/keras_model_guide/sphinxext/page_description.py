"""Each page's description, in the page's language: for search results and link previews.

A page states its description once, under its title::

    ```{description}
    Build a Keras model with two inputs and two outputs ...
    ```

The directive makes the same ``meta`` node as docutils' ``meta`` directive (which MyST
cannot run). Sphinx's gettext builder extracts its content into the page's catalog like
any paragraph, the Korean build replaces it with the ``msgstr``, and ``translation_gate``
fails that build while the entry is missing or fuzzy. So the Korean page's
``<meta name="description">`` is Korean, and it cannot go stale.

This extension then makes the rest of the sharing tags agree with it:

- ``og:description``: sphinxext-opengraph would take the first paragraph's text, cut at
  200 characters; the page's own (translated) description replaces it;
- ``og:locale`` and ``og:locale:alternate``: the page's language and the other one;
- the ``translated`` flag Sphinx leaves on a translated ``meta`` node is removed, since
  the HTML writer would print it as an (invalid) attribute of ``<meta>``.

A page without a description is a warning, which ``-W`` makes an error. Pages Sphinx
generates (search, indexes, highlighted source) are not documents and need none.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Sphinx language code -> Open Graph locale.
OG_LOCALES = {"en": "en_US", "ko": "ko_KR"}


class DescriptionDirective(Directive):
    """``{description}``: the page's one-sentence summary, for ``<meta name="description">``."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        """Return a ``meta`` node holding the content as one line of text."""
        text = " ".join(" ".join(self.content).split())
        if not text:
            raise self.error("the description is empty")
        node = nodes.meta(name="description", content=text)
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        return [node]


def _description_nodes(doctree: nodes.Node) -> list[nodes.Element]:
    return [node for node in doctree.findall(nodes.meta) if node.get("name") == "description"]


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    """Store the (already translated) description as the page's og:description."""
    if app.builder.name == "gettext":
        return
    docname = app.env.docname
    found = _description_nodes(doctree)
    if not found:
        logger.warning(
            "page has no description: add a {description} directive under its title",
            location=docname,
            type="page_description",
        )
        return
    if len(found) > 1:
        logger.warning("page has more than one description", location=found[1])
    description = " ".join(found[0]["content"].split())
    app.env.metadata[docname]["og:description"] = description


def _clean(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop Sphinx's bookkeeping flag, which would become an invalid HTML attribute."""
    for node in _description_nodes(doctree):
        node.attributes.pop("translated", None)


def _add_locales(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if doctree is None:
        return
    here = app.config.language or "en"
    tags = [f'<meta property="og:locale" content="{OG_LOCALES.get(here, here)}">']
    tags += [
        f'<meta property="og:locale:alternate" content="{locale}">'
        for code, locale in OG_LOCALES.items()
        if code != here
    ]
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


def _site_url(app: Sphinx, config: Config) -> None:
    """Point og:url at this language's folder of the hosted site (``html_baseurl``)."""
    if not config.ogp_site_url and config.html_baseurl:
        config.ogp_site_url = f"{config.html_baseurl.rstrip('/')}/{config.language}/"


def setup(app: Sphinx) -> dict[str, object]:
    """Hook in after sphinxext.opengraph, which must be loaded first."""
    app.setup_extension("sphinxext.opengraph")
    app.add_directive("description", DescriptionDirective)
    app.connect("config-inited", _site_url)
    app.connect("doctree-read", _collect)
    app.connect("doctree-resolved", _clean)
    app.connect("html-page-context", _add_locales)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
