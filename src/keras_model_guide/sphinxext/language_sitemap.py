"""Write ``<lang>/sitemap.xml``: every page, each with its other-language twin.

sphinx-sitemap lists only the pages the current run wrote, so an incremental build
(the usual `nox -s docs`) drops every unchanged page from the sitemap
(jdillard/sphinx-sitemap#13, open since 2018). Sphinx's environment knows every page,
so this lists from it. The root ``robots.txt`` and ``sitemap.xml`` (``docs/_root``)
name the two language sitemaps.

Why not sphinx-sitemap: published builds start fresh and would be complete, but
`nox -s site` tests the sitemaps on the incremental builds contributors make, where
sphinx-sitemap's would miss pages and the sitemap test would fail for no real fault.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from sphinx.application import Sphinx

from keras_model_guide.sphinxext.language_switch import LANGUAGES

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def _write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html" or not app.config.html_baseurl:
        return
    base = app.config.html_baseurl.rstrip("/") + "/"
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
    """Write the sitemap when the HTML build finishes."""
    app.connect("build-finished", _write_sitemap)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
