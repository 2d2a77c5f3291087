"""Sphinx configuration: one English source, built once per language.

`nox -s docs` runs this twice, with `-D language=en` and `-D language=ko`, into
`_build/html/en` and `_build/html/ko`. Both builds share one execution cache, so the
Korean build re-uses every executed notebook instead of running it again.
"""

from __future__ import annotations

import os
import tomllib
from importlib import metadata
from pathlib import Path

from keras_model_guide.site import AUTHORS, SITE_NAMES, SITE_URL

# Named in the language built by keras_model_guide.sphinxext.bilingual.
project = SITE_NAMES["en"]
author = AUTHORS["en"]
copyright = f"2026, {author}"
release = version = metadata.version("keras-model-guide")
language = "en"

# keras_model_guide.sphinxext: each does what no maintained package does (see each
# module's docstring).
extensions = [
    "myst_nb",
    "sphinx_copybutton",
    "keras_model_guide.sphinxext.lesson_cells",  # code cells inline lesson code from src/
    "keras_model_guide.sphinxext.notebook_files",  # each executed page as .ipynb and .py
    # Korean only from complete, sound catalogs: a page with English left is not published
    "keras_model_guide.sphinxext.translation",
    # the language switch, hreflang, og:locale and <lang>/sitemap.xml with every page
    "keras_model_guide.sphinxext.bilingual",
    # the kernels' environment, a failing cell's own error, the cache's repair, -j and Ctrl-C
    "keras_model_guide.sphinxext.execution",
    # a line per executed page; no TensorFlow/Jupyter start-up chatter (-v: all of it)
    "keras_model_guide.sphinxext.console",
    "keras_model_guide.sphinxext.backend_runs",  # every page on JAX and PyTorch; "ran on" line
    "keras_model_guide.sphinxext.backend_tabs",  # code that differs by backend, in tabs
    # the page's description, alt text and image sizes, accessible and lean HTML
    "keras_model_guide.sphinxext.html_output",
    "keras_model_guide.sphinxext.pagefind_search",  # search both languages with Pagefind
]
exclude_patterns = ["_build", "_root", "locales", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]
# What readers search for that a page spells otherwise (transliterations, synonyms), per
# page and language: docs/_templates/page.html indexes it, weighted, with the page.
html_context = {
    "search_terms": tomllib.loads(
        (Path(__file__).parent / "search_terms.toml").read_text(encoding="utf-8")
    )
}
nitpicky = True

# -- Translation (gettext, sphinx-intl layout) ---------------------------------------
locale_dirs = ["locales/"]
gettext_compact = False  # one catalog per page, so a translator works page by page
gettext_uuid = False
gettext_location = False  # line numbers in catalogs would churn on every English edit
gettext_allow_fuzzy_translations = False  # a fuzzy entry counts as missing (sphinxext.translation)

# -- Executed pages (MyST-NB) --------------------------------------------------------
nb_execution_mode = "cache"
# The kernels' environment (IPython profile, Keras settings, the build-side stand-ins) and
# the execution cache's folder, keyed on what outputs depend on beyond the code
# (keras_model_guide.sphinxext.execution).
guide_kernels = True
nb_execution_timeout = 600
# A failing cell fails the build, through sphinxext.execution rather than MyST-NB's raise:
# raised inside a `-j` worker, the cell's own message never reached the console.
nb_execution_raise_on_error = False
nb_execution_in_temp = True  # a page that writes a file never litters docs/
nb_execution_show_tb = "CI" in os.environ
nb_output_stderr = "warn"  # any stderr (a warning dump) fails the -W build
nb_merge_streams = True
# The gettext builder has no mime priorities of its own, so MyST-NB drops every output
# there; keeping PNGs lets an `alt` set on a cell (`:mystnb: {image: {alt: ...}}`) reach
# the catalogs, and the Korean build translates it like any other sentence.
nb_mime_priority_overrides = [("gettext", "image/png", 10)]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- HTML ----------------------------------------------------------------------------
html_theme = "furo"
html_title = project  # set per language by bilingual
html_favicon = "_static/favicon.svg"  # else every browser asks for a missing /favicon.ico
html_static_path = ["_static"]
html_css_files = ["guide.css"]
html_js_files = [
    "language.js",
    "scroll-regions.js",  # the keyboard reaches wide boxes
    "copybutton-ko.js",  # Korean words for sphinx-copybutton, which has none
    ("backend-tabs.js", {"defer": "defer"}),  # a choice of backend tab holds across pages
]
html_last_updated_fmt = None
html_copy_source = False  # the .md sources are on GitHub; shipping them doubles the site
html_show_sourcelink = False
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/language.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
# The hosted site's root, holding en/ and ko/. sphinxext.bilingual turns it into each page's
# canonical URL and hreflang alternates, and lists <root><lang>/<page>.html in the sitemap.
html_baseurl = SITE_URL
# Open Graph and Twitter card tags (sphinxext-opengraph, via sphinxext.bilingual). og:url
# gets the language folder from html_baseurl; og:description is the page's own translated
# description. No generated social-card images: matplotlib would draw each page's Korean
# title with a font that may lack Hangul, and a text preview says the same.
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = False  # the {description} directive writes it, in the page's language
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary">']
# Pygments' a11y styles keep every token at 4.5:1 or more; Furo's default dark style
# (native) draws numbers at 2.8:1 on its background.
pygments_style = "a11y-light"
pygments_dark_style = "a11y-dark"
copybutton_selector = "div:not(.output) > div.highlight pre"
copybutton_exclude = ".linenos, .gp, .go"
