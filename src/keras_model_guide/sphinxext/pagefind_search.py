"""Search with Pagefind: one index per language, built from the finished HTML.

Sphinx's own search has no Korean (particles stick to words: 모델을, 모델은) and finds
nothing for an English word the pages use in another form. Pagefind (PyPI ``pagefind``,
which ships its binary) indexes the built pages, matches a query word as a prefix of the
page's words, stems English, ranks, and writes excerpts. Its index is static files beside
the pages, loaded in chunks by the search page: nothing leaves the site.

This extension
- turns Sphinx's search index off (no ``searchindex.js``, ~100 kB per language) and
  renders the site's own ``search.html`` (docs/_templates/search.html and
  docs/_static/search.js) in its place;
- after a successful HTML build, indexes the article of every page into
  ``<outdir>/_pagefind/``, with ``pages.json``: each indexed page's title and address by
  its Pagefind id, so the search page ranks on titles without loading every match's
  excerpt file (it loads those of the ten it shows). Code stays searchable: the parts of ``keras.utils.plot_model``
  are indexed as words too, so ``plot_model`` finds it (only the index sees them; the
  pages are unchanged).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Where the index goes, under each language's output folder.
BUNDLE = "_pagefind"
#: What is left out of the index: the ¶ after headings, and cell outputs (model
#: summaries and logs would make every layer name a search hit).
EXCLUDE = ["a.headerlink", ".cell_output", ".copybtn"]
#: Pagefind's own ready-made interfaces, which this site does not use (~420 kB a language):
#: the search page is docs/_templates/search.html with docs/_static/search.js.
UNUSED = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
#: A dotted name in the page's text or code: keras.utils.plot_model, model.get_layer.
_DOTTED = re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)


def index_html(html: str) -> str:
    """The page as the index sees it: each part of a dotted name also as a word.

    Pagefind indexes ``keras.utils.plot_model`` as one word, so a reader typing
    ``plot_model`` would not find it. The parts are added once each, at the end of the
    article, so the page's own text (and Pagefind's excerpts of it) stays as it is.

    >>> index_html('<article><code>keras.utils.plot_model</code> model.fit()</article>')
    '<article><code>keras.utils.plot_model</code> model.fit()<p>keras utils plot_model model fit</p></article>'
    """
    # Pygments wraps each token of a code block: model<span class="o">.</span>fit.
    text = _TAG.sub("", html.replace('<span class="o">.</span>', "."))
    parts = dict.fromkeys(part for name in _DOTTED.findall(text) for part in name.split("."))
    if not parts:
        return html
    head, article_end, tail = html.rpartition("</article>")
    return f"{head}<p>{' '.join(parts)}</p>{article_end}{tail}" if article_end else html


def _use_own_search_page(app: Sphinx) -> None:
    if isinstance(app.builder, StandaloneHTMLBuilder):
        app.builder.search = False  # no searchindex.js, no Sphinx search page


def _search_page(app: Sphinx) -> list[tuple[str, dict[str, object], str]]:
    if not isinstance(app.builder, StandaloneHTMLBuilder):
        return []
    return [("search", {}, "search.html")]


async def _write_index(outdir: Path, pages: list[Path], language: str) -> int:
    from pagefind.index import IndexConfig  # only when an HTML build ends
    from pagefind.service import PagefindService

    bundle = outdir / BUNDLE
    config = IndexConfig(
        root_selector="article",
        exclude_selectors=EXCLUDE,
        include_characters="_",  # clone_model is one word, as readers type it
        force_language=language,
    )
    # The files are written here, not by Pagefind's service: the service answers its
    # write request before the files are complete, and closing it right after (as
    # PagefindIndex's context does) cut wasm.unknown.pagefind at 64 KiB in a loaded build,
    # so the search page never loaded.
    async with PagefindService() as service:
        index = await service.create_index(config)
        for page in pages:
            html = page.read_text(encoding="utf-8")
            url = page.relative_to(outdir).as_posix()
            await index.add_html_file(content=index_html(html), url=url)
        files = await index.get_files()
    titles = {}
    for file in files:
        path = bundle / file["path"]
        if any(path.match(pattern) for pattern in UNUSED):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file["content"])
        if path.suffix == ".pf_fragment":
            fragment = read_fragment(file["content"])
            titles[path.stem] = [fragment["url"], fragment["meta"].get("title", "")]
    (bundle / "pages.json").write_text(json.dumps(titles, ensure_ascii=False), encoding="utf-8")
    return len(pages)


def read_fragment(content: bytes) -> dict:
    """A Pagefind fragment file's page record: url, meta (title), content.

    >>> record = b'pagefind_dcd{"url": "a.html", "meta": {"title": "A"}}'
    >>> read_fragment(gzip.compress(record))["meta"]
    {'title': 'A'}
    """
    return json.loads(gzip.decompress(content).removeprefix(b"pagefind_dcd"))


def _build_index(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    outdir = Path(app.outdir)
    pages = [outdir / app.builder.get_target_uri(doc) for doc in sorted(app.env.found_docs)]
    # translation removes a page with untranslated text before this runs; its
    # warnings already say why, and the search must not offer a page that is not there.
    pages = [page for page in pages if page.exists()]
    shutil.rmtree(outdir / BUNDLE, ignore_errors=True)
    (outdir / "searchindex.js").unlink(missing_ok=True)  # left by a build before this one
    count = asyncio.run(_write_index(outdir, pages, app.config.language or "en"))
    logger.info("pagefind: indexed %d pages into %s", count, outdir / BUNDLE)


def setup(app: Sphinx) -> dict[str, object]:
    """Replace Sphinx's search with a Pagefind index and the site's own search page."""
    app.connect("builder-inited", _use_own_search_page)
    app.connect("html-collect-pages", _search_page)
    app.connect("build-finished", _build_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
