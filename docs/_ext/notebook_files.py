"""Offer every executed page as a Jupyter notebook and as a Python script.

Both are made from the page's own source with the lesson code inlined
(:mod:`lesson_cells`), so they hold exactly the code the page ran:

- ``<page>.ipynb``: the notebook with its outputs, taken from the execution cache, and
  its prose in the page's language (each Markdown block replaced by its translation
  from ``locales/<lang>/LC_MESSAGES/<page>.po``). MyST-only markup becomes plain
  Markdown: ``{ref}`` roles and links to other pages point at the hosted site.
- ``<page>.py``: a script with ``--help``, ``--quick`` and ``--out``. The same text is
  kept in ``examples/`` (``nox -s examples`` writes it; a test fails when it is stale).

Neither imports this project's package: they run wherever Keras does.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import backend_runs
import lesson_cells
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging

logger = logging.getLogger(__name__)
DOCS = Path(__file__).resolve().parents[1]
EXAMPLES = DOCS.parent / "examples"
SITE_URL = "https://keras-model-guide.readthedocs.io"


def is_notebook(text: str) -> bool:
    """Tell whether a page's Markdown is a MyST notebook (it has a ``kernelspec``).

    >>> is_notebook("---\\nkernelspec:\\n  name: python3\\n---\\n# Title\\n")
    True
    """
    return text.startswith("---") and "\nkernelspec:" in text.split("\n---", 1)[0]


def page_notebook(path: Path):
    """Read a page as the notebook that executes: lesson code inlined, MyST cells parsed.

    >>> notebook = page_notebook(DOCS / "sequential.md")
    >>> notebook.cells[0].cell_type, "def build_mlp():" in json.dumps(notebook)
    ('markdown', True)
    """
    from myst_nb.core.read import read_myst_markdown_notebook

    text, _files = lesson_cells.inline_cells(path.read_text(encoding="utf-8"))
    return read_myst_markdown_notebook(text, path=path)


def script_name(docname: str) -> str:
    """Name a page's script as a Python module would be named.

    >>> script_name("multi-io")
    'multi_io.py'
    """
    return docname.replace("-", "_") + ".py"


# -- The script ----------------------------------------------------------------------

_HEADER = '''\
"""{title}

The code of the Keras Model guide's page, as a script:
{url_en}
(한국어: {url_ko})

{ran_on}Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python {script}`.

Generated from docs/{docname}.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python {script} --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        {description!r}
    ),
)
parser.add_argument(
    "--quick",
    action="store_true",
    help={quick_help!r},
)
parser.add_argument(
    "--out",
    type=Path,
    metavar="FOLDER",
    help="folder for the files this script writes (default: a new temporary folder)",
)
args = parser.parse_args()
out = args.out or Path(tempfile.mkdtemp(prefix="keras-model-guide-"))
try:  # Find out now, not after the training, whether the files can be written there.
    out.mkdir(parents=True, exist_ok=True)
    tempfile.TemporaryFile(dir=out).close()
except OSError as error:
    parser.error(f"cannot write to --out {{out}}: {{error.strerror or error}}")
os.chdir(out)
'''

_FOOTER = """
written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
"""


def notebook_script(notebook, docname: str, ran_on: str | None = None) -> str:
    """Turn a page's notebook into a standalone script: code cells, headings as comments.

    ``ran_on`` is the build's "ran on" line for the page, for the downloaded script; the
    committed examples/ leave it out, as it changes with every new lock.

    Cells tagged ``raises-exception`` print their error instead of stopping the script;
    IPython ``%`` magics are left out; a cell tagged ``parameters`` may carry ``quick``
    values (its metadata) that ``--quick`` switches to.
    """
    title = _first_heading(notebook)
    quick = {}
    body = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            # Section headings become comments; the title is the docstring already.
            body += [f"# {text}\n" for level, text in _headings(cell.source) if level > 1]
            continue
        code = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith("%")
        ).strip()
        tags = cell.metadata.get("tags", [])
        if "raises-exception" in tags:
            code = (
                "try:\n"
                + textwrap.indent(code, "    ")
                + "\nexcept Exception as error:  # The page shows this error on purpose.\n"
                + '    print(f"{type(error).__name__}: {error}")'
            )
        body.append(code + "\n\n\n")  # two blank lines: cells may end with a def
        if "parameters" in tags and cell.metadata.get("quick"):
            quick = cell.metadata["quick"]
            settings = ", ".join(f"{name} = {value!r}" for name, value in quick.items())
            body.append(
                "if args.quick:  # A smoke test, not the page's run.\n"
                + "".join(f"    {name} = {value!r}\n" for name, value in quick.items())
                + "\n\n"
            )
    quick_help = (
        f"a quick smoke test ({settings}) instead of the page's settings"
        if quick
        else "accepted for a uniform interface; this page's code is already quick"
    )
    header = _HEADER.format(
        title=title,
        url_en=f"{SITE_URL}/en/{docname}.html",
        url_ko=f"{SITE_URL}/ko/{docname}.html",
        docname=docname,
        script=script_name(docname),
        description=f"{title}: the code of the Keras Model guide's page, run as a script.",
        quick_help=quick_help,
        ran_on=textwrap.fill(ran_on, width=88) + "\n\n" if ran_on else "",
    )
    script = header + "\n\n" + "".join(body).rstrip() + "\n\n" + _FOOTER
    ast.parse(script)  # A broken script must fail the build, not the reader.
    return script


def _headings(markdown: str) -> list[tuple[int, str]]:
    return [
        (len(match[1]), match[2].strip())
        for match in re.finditer(r"^(#{1,6})\s+(.*)$", markdown, re.MULTILINE)
    ]


def _first_heading(notebook) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and _headings(cell.source):
            return _headings(cell.source)[0][1]
    return "Keras Model guide"


def write_examples(folder: Path = EXAMPLES) -> list[Path]:
    """Write every executed page's script into ``folder``; return the files written."""
    written = []
    for page in sorted(DOCS.glob("*.md")):
        if is_notebook(page.read_text(encoding="utf-8")):
            target = folder / script_name(page.stem)
            target.write_text(notebook_script(page_notebook(page), page.stem), encoding="utf-8")
            written.append(target)
    return written


# -- The notebook --------------------------------------------------------------------


def translate_markdown(markdown: str, catalog: dict[str, str]) -> str:
    """Replace each block of ``markdown`` (heading, paragraph, list item) by its translation.

    The keys are Sphinx's gettext msgids: a block's Markdown with its lines joined by
    spaces. A block missing from ``catalog`` stays as it is.

    >>> translate_markdown("# Title\\n\\nTwo\\nlines.\\n\\n- item", {"Title": "제목",
    ...     "Two lines.": "두 줄.", "item": "항목"})
    '# 제목\\n\\n두 줄.\\n\\n- 항목'
    """
    out = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = block.splitlines()
        heading = re.match(r"(#{1,6}\s+)(.*)", block)
        if heading and len(lines) == 1:
            out.append(heading[1] + catalog.get(heading[2], heading[2]))
        elif re.match(r"([-*]|\d+\.)\s", lines[0]):
            out.append("\n".join(_translate_items(lines, catalog)))
        else:
            joined = " ".join(line.strip() for line in lines)
            out.append(catalog.get(joined, block))
    return "\n\n".join(out)


def _translate_items(lines: list[str], catalog: dict[str, str]) -> list[str]:
    items: list[list[str]] = []
    for line in lines:
        if re.match(r"([-*]|\d+\.)\s", line):
            items.append([line])
        else:
            items[-1].append(line)
    translated = []
    for item in items:
        marker, first = re.match(r"(([-*]|\d+\.)\s+)(.*)", item[0]).group(1, 3)
        joined = " ".join([first, *(line.strip() for line in item[1:])])
        translated.append(marker + catalog.get(joined, joined))
    return translated


def _plain_markdown(markdown: str, language: str, labels: dict[str, tuple[str, str]]) -> str:
    """MyST-only markup as plain Markdown: no targets, roles and page links as URLs."""

    def page_url(docname: str, anchor: str = "") -> str:
        return f"{SITE_URL}/{language}/{docname}.html" + (f"#{anchor}" if anchor else "")

    def ref(match: re.Match[str]) -> str:
        if match[1] not in labels:  # a label this build does not have: keep its name
            return match[1]
        docname, title = labels[match[1]]
        return f"[{title}]({page_url(docname)})"

    markdown = re.sub(r"^\([\w-]+\)=\n", "", markdown, flags=re.MULTILINE)
    markdown = re.sub(r"\{ref\}`([\w-]+)`", ref, markdown)
    return re.sub(
        r"\]\(([\w-]+)\.md(?:#([\w-]+))?\)",
        lambda match: f"]({page_url(match[1], match[2] or '')})",
        markdown,
    )


def read_catalog(path: Path) -> dict[str, str]:
    """Read a ``.po`` file's translated, non-fuzzy entries as ``{msgid: msgstr}``."""
    from babel.messages.pofile import read_po

    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        message.id: message.string
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def executed_notebook(app: Sphinx, docname: str):
    """The page's notebook with the outputs the build cached for it, or None."""
    from jupyter_cache import get_cache

    notebook = page_notebook(Path(app.env.doc2path(docname)))
    try:
        _record, notebook = get_cache(app.config.nb_execution_cache_path).merge_match_into_notebook(
            notebook
        )
    except KeyError:
        return None
    return notebook


def _write_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import nbformat

    language = app.config.language or "en"
    locales = DOCS / "locales" / language / "LC_MESSAGES"
    std = app.env.domains["std"]
    labels = {
        label: (docname, app.env.titles[docname].astext())
        for label, (docname, _anchor, _section) in std.labels.items()
        if docname in app.env.titles
    }
    for docname in sorted(app.env.notebook_pages):
        notebook = executed_notebook(app, docname)
        if notebook is None:
            logger.warning("no executed notebook cached for %s: no download written", docname)
            continue
        catalog = read_catalog(locales / f"{docname}.po") if language != "en" else {}
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = _plain_markdown(
                    translate_markdown(cell.source, catalog), language, labels
                )
        ran_on = backend_runs.ran_on_line(app, docname)
        if ran_on:
            _add_under_title(notebook, backend_runs.ran_on_markdown(app, docname))
        notebook.metadata.pop("source_map", None)
        notebook.metadata["language_info"] = {"name": "python"}
        outdir = Path(app.outdir)
        nbformat.write(notebook, outdir / f"{docname}.ipynb")
        script = notebook_script(
            page_notebook(Path(app.env.doc2path(docname))), docname, ran_on=ran_on
        )
        (outdir / f"{docname}.py").write_text(script, encoding="utf-8")


def _add_under_title(notebook, markdown: str) -> None:
    """Put ``markdown`` right under the notebook's first ``#`` heading.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> notebook = new_notebook(cells=[new_markdown_cell("(label)=\n# Title\n\nText")])
    >>> _add_under_title(notebook, "Ran on Keras.")
    >>> print(notebook.cells[0].source)
    (label)=
    # Title
    <BLANKLINE>
    Ran on Keras.
    <BLANKLINE>
    Text
    """
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for index, line in enumerate(lines):
            if line.startswith("# "):
                lines[index + 1 : index + 1] = ["", markdown]
                cell.source = "\n".join(lines)
                return


def _note_notebook(app: Sphinx, docname: str, source: list[str]) -> None:
    if is_notebook(source[0]):
        app.env.notebook_pages.add(docname)


def _purge(app: Sphinx, env, docname: str) -> None:
    env.notebook_pages.discard(docname)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.notebook_pages |= other.notebook_pages


def _init(app: Sphinx) -> None:
    if not hasattr(app.env, "notebook_pages"):
        app.env.notebook_pages = set()


def _add_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the two download links under the page's title."""
    if docname not in app.env.notebook_pages:
        return
    paragraph = nodes.paragraph(classes=["page-downloads"])
    paragraph += nodes.Text(_("Download this page:") + " ")
    links = [(".ipynb", _("Jupyter notebook")), (".py", _("Python script"))]
    for index, (suffix, label) in enumerate(links):
        if index:
            paragraph += nodes.Text(" · ")
        paragraph += nodes.reference(
            "", f"{label} ({suffix})", refuri=docname.rsplit("/", 1)[-1] + suffix
        )
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is not None:
        title.parent.insert(title.parent.index(title) + 1, paragraph)


def main(argv: list[str] | None = None) -> int:
    """Command line for ``nox -s examples``: write (or ``--check``) the example scripts."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write-examples", action="store_true", help="rewrite examples/*.py")
    action.add_argument("--check", action="store_true", help="exit 1 if any script is stale")
    args = parser.parse_args(argv)
    if args.write_examples:
        for path in write_examples():
            print(f"wrote {path.relative_to(DOCS.parent)}")
        return 0
    stale = stale_examples()
    for name in stale:
        print(f"examples/{name} is stale: run `nox -s examples` and commit the result")
    return 1 if stale else 0


def stale_examples(folder: Path = EXAMPLES) -> list[str]:
    """Name the scripts in ``folder`` that differ from what the pages make, or are extra."""
    import tempfile

    with tempfile.TemporaryDirectory() as fresh:
        expected = {
            path.name: path.read_text(encoding="utf-8") for path in write_examples(Path(fresh))
        }
    present = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.py")}
    return sorted(
        name for name in expected.keys() | present.keys() if expected.get(name) != present.get(name)
    )


def setup(app: Sphinx) -> dict[str, object]:
    """Write each executed page's .ipynb and .py beside its HTML, and link them."""
    app.connect("builder-inited", _init)
    app.connect("source-read", _note_notebook)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-resolved", _add_links)
    app.connect("build-finished", _write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}


if __name__ == "__main__":
    raise SystemExit(main())
