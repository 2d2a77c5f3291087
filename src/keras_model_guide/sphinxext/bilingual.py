"""One source, two sites: what ties each page to its twin in the other language.

Both languages are built from one source into sibling folders (``en/`` and ``ko/``), so
the same page has the same relative path in each. The languages, the site's names and its
address come from :mod:`keras_model_guide.site`. This extension

* names the site in the language being built (``project``, ``html_title``, ``author``);
* gives every page ``language_links`` for the switch in ``sidebar/language.html`` (a
  small script keeps the ``#anchor``);
* with ``html_baseurl`` set, names each page's translations in its ``<head>``
  (``<link rel="alternate" hreflang>``), gives its canonical URL the language folder that
  Sphinx's own ``pageurl`` leaves out, points ``og:url`` at that folder and adds
  ``og:locale`` and ``og:locale:alternate``;
* writes ``<lang>/sitemap.xml``: every page, each with its twin. The root ``robots.txt``
  and ``sitemap.xml`` (docs/_root) name the two.

Why not packages: Read the Docs' flyout links translations only for its own translation
projects, and sphinx-intl builds languages without linking them. sphinx-sitemap lists
only the pages the current run wrote, so an incremental build drops every unchanged page
(jdillard/sphinx-sitemap#13, open); Sphinx's environment knows every page.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from keras_model_guide.site import AUTHORS, LANGUAGES, OG_LOCALES, SITE_NAMES

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def _name_the_site(app: Sphinx, config: Config) -> None:
    """Name the site in the language built (``-D language=`` is applied after conf.py)."""
    language = config.language if config.language in SITE_NAMES else "en"
    config.project = config.html_title = SITE_NAMES[language]
    config.author = AUTHORS[language]
    config.copyright = f"2026, {config.author}"
    if not config.ogp_site_url and config.html_baseurl:
        config.ogp_site_url = f"{config.html_baseurl.rstrip('/')}/{language}/"


def _base(app: Sphinx) -> str:
    return app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else ""


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
    tags = []
    if base := _base(app):
        context["pageurl"] = f"{base}{here}/{suffix}"
        default = next(iter(LANGUAGES))  # English, the source: for readers of neither
        alternates = [(code, f"{base}{code}/{suffix}") for code in LANGUAGES]
        alternates.append(("x-default", f"{base}{default}/{suffix}"))
        tags += [f'<link rel="alternate" hreflang="{c}" href="{escape(u)}">' for c, u in alternates]
    if doctree is not None:  # a document, not the search page
        tags.append(f'<meta property="og:locale" content="{OG_LOCALES.get(here, here)}">')
        tags += [
            f'<meta property="og:locale:alternate" content="{locale}">'
            for code, locale in OG_LOCALES.items()
            if code != here
        ]
    context["metatags"] = context.get("metatags", "") + "".join(f"{tag}\n" for tag in tags)


def _write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html" or not (base := _base(app)):
        return
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for docname in sorted(app.env.found_docs):  # pages only: no search or index pages
        page = app.builder.get_target_uri(docname)
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = f"{base}{app.config.language}/{page}"
        for code in LANGUAGES:
            href = f"{base}{code}/{page}"
            ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=code, href=href)
    ET.indent(urlset)
    tree = ET.ElementTree(urlset)
    tree.write(Path(app.outdir, "sitemap.xml"), encoding="utf-8", xml_declaration=True)


def setup(app: Sphinx) -> dict[str, object]:
    """Name the site, link every page to its twin, and write the sitemap."""
    app.setup_extension("sphinxext.opengraph")  # its ogp_site_url is set here
    app.connect("config-inited", _name_the_site)
    app.connect("html-page-context", _add_links)
    app.connect("build-finished", _write_sitemap)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
