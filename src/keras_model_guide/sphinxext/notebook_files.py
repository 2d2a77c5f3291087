"""Offer every executed page as a Jupyter notebook and as a Python script.

Both are made from the page's own source with the lesson code inlined
(:mod:`lesson_cells`), so they hold exactly the code the page ran:

- ``<page>.ipynb``: the notebook with its outputs, taken from the execution cache, and
  its prose in the page's language (each Markdown block replaced by its translation
  from ``locales/<lang>/LC_MESSAGES/<page>.po``). MyST-only markup becomes plain
  Markdown: ``{ref}`` roles and links to other pages point at the hosted site, the
  ``{description}`` is an italic paragraph and a ``{toctree}`` a list of links.
- ``<page>.py``: a script with ``--help``, ``--quick`` and ``--out``, its docstring and
  help in the page's language. The English text is kept in ``examples/``
  (``nox -s examples`` writes it; a test fails when it is stale).

Neither imports this project's package: they run wherever Keras does.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging

from keras_model_guide import site
from keras_model_guide.sphinxext import backend_runs, code_comments, lesson_cells, pages
from keras_model_guide.sphinxext.lesson_cells import Notebook

logger = logging.getLogger(__name__)
SITE_URL = site.SITE_URL.rstrip("/")


def is_notebook(text: str) -> bool:
    """Tell whether a page's Markdown is a MyST notebook (it has a ``kernelspec``).

    >>> is_notebook("---\\nkernelspec:\\n  name: python3\\n---\\n# Title\\n")
    True
    """
    return text.startswith("---") and "\nkernelspec:" in text.split("\n---", 1)[0]


def page_notebook(path: Path) -> Notebook:
    """Read a page as the notebook that executes: lesson code inlined, MyST cells parsed.

    >>> notebook = page_notebook(Path("docs/sequential.md"))
    >>> notebook.cells[0].cell_type, any("def build_mlp():" in c.source for c in notebook.cells)
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

{docstring}
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
    help={out_help},
)
args = parser.parse_args()
out = args.out or Path(tempfile.mkdtemp(prefix="keras-model-guide-"))
try:  # {check_comment}
    out.mkdir(parents=True, exist_ok=True)
    tempfile.TemporaryFile(dir=out).close()
except OSError as error:
    parser.error(f{out_error})
os.chdir(out)
'''

_FOOTER = """
written = sorted(path.name for path in Path().iterdir())
print(f{written} if written else f{nothing})
"""

#: The heading of every page's exercises, each a numbered item with its solution's cell.
EXERCISES = "On your own"

#: A script's human text, in the language of the page it downloads from (the Korean
#: build writes Korean scripts; examples/ holds the English ones). Code stays one text.
SCRIPT_TEXT = {
    "en": {
        "docstring": (
            "The code of the Keras Model guide's page, as a script:\n{url_en}\n"
            "(한국어: {url_ko})\n\n"
            "Keras picks its backend when it is imported: to run this on another one, set\n"
            "KERAS_BACKEND first, for example `KERAS_BACKEND=jax python {script}`.\n\n"
            "Generated from docs/{docname}.md and src/keras_model_guide by `nox -s examples`:\n"
            "edit those, not this file. Run `python {script} --help` for its options."
        ),
        "description": "{title}: the code of the Keras Model guide's page, run as a script.",
        "quick": "a quick smoke test ({settings}) instead of the page's settings",
        "no_quick": "accepted for a uniform interface; this page's code is already quick",
        "out_help": "folder for the files this script writes (default: a new temporary folder)",
        "out_error": "cannot write to --out {out}: {error.strerror or error}",
        "written": "Files in {out}: {', '.join(written)}",
        "nothing": "No files written to {out}.",
        # The comments the script adds to the page's code.
        "check_comment": "Find out now, not after the training, whether the files can be written there.",
        "error_comment": "The page shows this error on purpose.",
        "quick_comment": "A smoke test, not the page's run.",
    },
    "ko": {
        "docstring": (
            "Keras Model 가이드 페이지의 코드를 스크립트로 옮긴 것입니다.\n페이지: {url_ko}\n"
            "(영문: {url_en})\n\n"
            "Keras는 임포트될 때 백엔드를 정합니다. 다른 백엔드에서 실행하려면 먼저 KERAS_BACKEND를\n"
            "설정하십시오. 예: `KERAS_BACKEND=jax python {script}`\n\n"
            "docs/{docname}.md와 src/keras_model_guide에서 생성한 파일입니다. 수정할 때는 이\n"
            "파일 대신 원본을 고쳐야 합니다. 옵션은 `python {script} --help`로 볼 수 있습니다."
        ),
        "description": "{title}: Keras Model 가이드 페이지의 코드를 스크립트로 실행합니다.",
        "quick": "페이지의 설정 대신 빠른 확인용 설정({settings})으로 실행합니다",
        "no_quick": "모든 스크립트의 옵션을 맞추려고 둔 것입니다. 이 페이지의 코드는 원래 빨리 끝납니다.",
        "out_help": "스크립트가 쓰는 파일을 둘 폴더 (기본값: 새 임시 폴더)",
        "out_error": "--out {out}에 쓸 수 없습니다({error.strerror or error}).",
        "written": "{out}에 쓴 파일: {', '.join(written)}",
        "nothing": "{out}에 쓴 파일이 없습니다.",
        "check_comment": "학습을 마친 뒤가 아니라 지금, 그 폴더에 파일을 쓸 수 있는지 확인합니다.",
        "error_comment": "페이지가 일부러 보여 주는 오류입니다.",
        "quick_comment": "페이지의 실행이 아니라 빠른 확인용 실행입니다.",
    },
}


def notebook_script(
    notebook: Notebook,
    docname: str,
    language: str = "en",
    catalog: dict[str, str] | None = None,
    ran_on: str | None = None,
) -> str:
    """Turn a page's notebook into a standalone script: code cells, headings as comments.

    ``ran_on`` is the build's "ran on" line for the page, for the downloaded script; the
    committed examples/ leave it out, as it changes with every new lock.

    Cells tagged ``raises-exception`` print their error instead of stopping the script;
    IPython ``%`` magics are left out; a cell tagged ``parameters`` may carry ``quick``
    values (its metadata) that ``--quick`` switches to. The docstring, the options' help
    and the headings are in ``language``, the headings translated by ``catalog``.
    """
    text = SCRIPT_TEXT.get(language, SCRIPT_TEXT["en"])
    catalog = catalog or {}
    title = catalog.get(_first_heading(notebook), _first_heading(notebook))
    quick = {}
    body = []
    section = ""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            # Section headings become comments; the title is the docstring already.
            for level, heading in _headings(cell.source):
                if level > 1:
                    body.append(f"# {catalog.get(heading, heading)}\n")
                    section = heading
            if section == EXERCISES:  # each question above the code that answers it
                body += _numbered_items(cell.source, catalog)
            continue
        code = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith("%")
        ).strip()
        code = code_comments.translate(code, catalog)
        tags = cell.metadata.get("tags", [])
        if "raises-exception" in tags:
            code = (
                "try:\n"
                + textwrap.indent(code, "    ")
                + f"\nexcept Exception as error:  # {text['error_comment']}\n"
                + '    print(f"{type(error).__name__}: {error}")'
            )
        body.append(code + "\n\n\n")  # two blank lines: cells may end with a def
        if "parameters" in tags and cell.metadata.get("quick"):
            quick = cell.metadata["quick"]
            settings = ", ".join(f"{name} = {value!r}" for name, value in quick.items())
            body.append(
                f"if args.quick:  # {text['quick_comment']}\n"
                + "".join(f"    {name} = {value!r}\n" for name, value in quick.items())
                + "\n\n"
            )
    urls = {
        "url_en": f"{SITE_URL}/en/{docname}.html",
        "url_ko": f"{SITE_URL}/ko/{docname}.html",
        "docname": docname,
        "script": script_name(docname),
    }
    header = _HEADER.format(
        title=title,
        # Wrapped by display width: a Hangul syllable takes two columns.
        docstring=("\n".join(code_comments.wrap(ran_on, 88)) + "\n\n" if ran_on else "")
        + text["docstring"].format(**urls),
        description=text["description"].format(title=title),
        quick_help=text["quick"].format(settings=settings) if quick else text["no_quick"],
        check_comment=text["check_comment"],
        # In double quotes, as the rest of the script writes its strings.
        **{key: json.dumps(text[key], ensure_ascii=False) for key in ("out_help", "out_error")},
    )
    footer = _FOOTER.format(
        **{key: json.dumps(text[key], ensure_ascii=False) for key in ("written", "nothing")}
    )
    # A heading with no code under it (Further reading) would stand alone: leave it out.
    body = [
        part
        for part, after in zip(body, [*body[1:], None], strict=True)
        if not _is_heading(part) or (after is not None and not _is_heading(after))
    ]
    script = header + "\n\n" + "".join(body).rstrip() + "\n\n" + footer
    ast.parse(script)  # A broken script must fail the build, not the reader.
    return script


def _is_heading(part: str) -> bool:
    """Whether a part of a script's body is a section heading (one comment line)."""
    return part.startswith("# ") and part.count("\n") == 1


def _numbered_items(markdown: str, catalog: dict[str, str]) -> list[str]:
    r"""The numbered items of ``markdown`` (a page's exercises) as comments, translated.

    >>> print("".join(_numbered_items("Text.\n\n1. Count the\n   weights.", {})))
    # 1. Count the weights.
    <BLANKLINE>
    """
    comments = []
    for block in markdown_blocks(markdown):
        lines = block.splitlines()
        if not re.match(r"\d+\.\s", lines[0]):
            continue
        for item in _translate_items(lines, catalog):
            marker, text = item.split(" ", 1)
            wrapped = code_comments.wrap(text, 88 - len("# ") - len(marker) - 1)
            lines_out = [
                f"# {marker} {wrapped[0]}",
                *(f"#{' ' * (len(marker) + 2)}{line}" for line in wrapped[1:]),
            ]
            comments.append("\n".join(lines_out) + "\n\n")
    return comments


def _headings(markdown: str) -> list[tuple[int, str]]:
    return [
        (len(match[1]), match[2].strip())
        for match in re.finditer(r"^(#{1,6})\s+(.*)$", markdown, re.MULTILINE)
    ]


def _first_heading(notebook: Notebook) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and _headings(cell.source):
            return _headings(cell.source)[0][1]
    return "Keras Model guide"


# -- The notebook --------------------------------------------------------------------


def markdown_blocks(markdown: str) -> list[str]:
    r"""Split Markdown into its blocks: a fenced block whole, a heading on its own.

    >>> markdown_blocks("(label)=\n# Title\nText\n\n```{x}\na\n\nb\n```")
    ['(label)=', '# Title', 'Text', '```{x}\na\n\nb\n```']
    """
    blocks: list[list[str]] = []
    fence = ""
    for line in markdown.strip().splitlines():
        if fence:
            blocks[-1].append(line)
            if line.strip() == fence:
                fence = ""
            continue
        opening = re.match(r"\s*(`{3,}|~{3,})", line)
        if opening or re.match(r"#{1,6}\s|\([\w-]+\)=$", line):
            blocks.append([line])
            fence = opening[1] if opening else ""
            if not fence:
                blocks.append([])  # what follows a heading or a target is a new block
        elif not line.strip():
            blocks.append([])
        else:
            if not blocks:
                blocks.append([])
            blocks[-1].append(line)
    return ["\n".join(block) for block in blocks if block]


def translate_markdown(markdown: str, catalog: dict[str, str]) -> str:
    r"""Replace each block of ``markdown`` (heading, paragraph, list item) by its translation.

    The keys are Sphinx's gettext msgids: a block's Markdown with its lines joined by
    spaces. A block missing from ``catalog`` stays as it is, and so does a fenced block.

    >>> translate_markdown("# Title\n\nTwo\nlines.\n\n- item\n\n> 인용", {"Title": "제목",
    ...     "Two lines.": "두 줄.", "item": "항목"})
    '# 제목\n\n두 줄.\n\n- 항목\n\n> 인용'
    """
    out = []
    for block in markdown_blocks(markdown):
        lines = block.splitlines()
        heading = re.match(r"(#{1,6}\s+)(.*)", block)
        if re.match(r"\s*(`{3}|~{3})", block):
            out.append(block)
        elif heading and len(lines) == 1:
            out.append(heading[1] + catalog.get(heading[2].strip(), heading[2]))
        elif re.match(r"([-*]|\d+\.)\s", lines[0]):
            out.append("\n".join(_translate_items(lines, catalog)))
        elif lines[0].startswith(">"):
            quoted = " ".join(line.lstrip(">").strip() for line in lines)
            out.append("> " + catalog.get(quoted, quoted))
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
        found = re.match(r"(([-*]|\d+\.)\s+)(.*)", item[0])
        assert found  # each item starts with its marker
        marker, first = found.group(1, 3)
        joined = " ".join([first, *(line.strip() for line in item[1:])])
        translated.append(marker + catalog.get(joined, joined))
    return translated


def directives_as_markdown(
    markdown: str, catalog: dict[str, str], language: str, labels: dict[str, tuple[str, str]]
) -> str:
    r"""MyST directive blocks as what a notebook can show, in the page's language.

    A notebook renders no MyST directive, so its raw block would show as code. The page's
    ``{description}`` becomes an italic paragraph (its msgid is its lines joined by
    spaces, as for a paragraph), a ``{toctree}`` its caption and a list of links to the
    hosted pages, titled as this build titles them; any other directive block goes.
    Code fences (```` ```console ````) stay.

    >>> directives_as_markdown(
    ...     "```{description}\nRun\nit.\n```\n\n```{toctree}\n:caption: Parts\n\nsequential\n```",
    ...     {"Run it.": "실행합니다.", "Parts": "차례"}, "ko",
    ...     {"sequential": ("sequential", "Sequential 모델")})
    '*실행합니다.*\n\n**차례**\n\n- [Sequential 모델](https://keras-model-guide.readthedocs.io/ko/sequential.html)'
    """
    out = []
    for block in markdown_blocks(markdown):
        directive = re.match(r"\s*(`{3,}|~{3,})\{([\w-]+)\}", block)
        if not directive:
            out.append(block)
            continue
        body = block.splitlines()[1:-1]
        options = {
            found[1]: found[2] for line in body if (found := re.match(r":([\w-]+):\s*(.*)", line))
        }
        content = [line.strip() for line in body if line.strip() and not line.startswith(":")]
        if directive[2] == "description":
            text = " ".join(content)
            out.append(f"*{catalog.get(text, text)}*")
        elif directive[2] == "toctree":
            if "caption" in options:
                out.append(f"**{catalog.get(options['caption'], options['caption'])}**")
            titles = dict(labels.values())
            out.append(
                "\n".join(
                    f"- [{titles.get(entry, entry)}]({SITE_URL}/{language}/{entry}.html)"
                    for entry in content
                )
            )
    return "\n\n".join(out)


def notebook_prose(
    markdown: str, catalog: dict[str, str], language: str, labels: dict[str, tuple[str, str]]
) -> str:
    """A page's Markdown cell as its notebook download shows it, in the page's language."""
    markdown = re.sub(r"^\([\w-]+\)=\n", "", markdown, flags=re.MULTILINE)  # targets
    markdown = directives_as_markdown(markdown, catalog, language, labels)
    return _plain_markdown(translate_markdown(markdown, catalog), language, labels)


def _plain_markdown(markdown: str, language: str, labels: dict[str, tuple[str, str]]) -> str:
    """MyST-only markup as plain Markdown: no targets, roles and page links as URLs."""

    def page_url(docname: str, anchor: str = "") -> str:
        return f"{SITE_URL}/{language}/{docname}.html" + (f"#{anchor}" if anchor else "")

    def ref(match: re.Match[str]) -> str:
        if match[1] not in labels:  # a label this build does not have: keep its name
            return match[1]
        target, title = labels[match[1]]  # "page" or "page#section"
        return f"[{title}]({page_url(*target.split('#', 1))})"

    markdown = re.sub(r"^\([\w-]+\)=\n", "", markdown, flags=re.MULTILINE)
    markdown = re.sub(r"\{ref\}`([\w-]+)`", ref, markdown)
    markdown = re.sub(
        r"\]\(([\w-]+)\.md(?:#([\w-]+))?\)",
        lambda match: f"]({page_url(match[1], match[2] or '')})",
        markdown,
    )
    # Raw HTML links to the other language's page (index.md) point at the hosted site too.
    return re.sub(r'href="\.\./(\w+)/([\w-]+)\.html"', rf'href="{SITE_URL}/\1/\2.html"', markdown)


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


def executed_notebook(app: Sphinx, docname: str) -> Notebook | None:
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
    locales = Path(app.srcdir, app.config.locale_dirs[0], language, "LC_MESSAGES")
    std = app.env.domains["std"]
    labels = {}  # label -> (where it points, its title): a page, or a section of one
    for label, (docname, anchor, section) in std.labels.items():
        if docname in app.env.titles:
            title = app.env.titles[docname].astext()
            section_only = section and section != title
            labels[label] = (f"{docname}#{anchor}", section) if section_only else (docname, title)
    for docname in sorted(pages(app.env, "notebooks")):
        notebook = executed_notebook(app, docname)
        if notebook is None:
            logger.warning("no executed notebook cached for %s: no download written", docname)
            continue
        catalog = read_catalog(locales / f"{docname}.po") if language != "en" else {}
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = notebook_prose(cell.source, catalog, language, labels)
            else:  # the same code, its comments and docstrings in the page's language
                cell.source = code_comments.translate(cell.source, catalog)
                image = cell.metadata.get("mystnb", {}).get("image", {})
                if "alt" in image:  # the figure's description, as the page gives it
                    image["alt"] = catalog.get(image["alt"], image["alt"])
        ran_on = backend_runs.ran_on_line(app, docname)
        if ran_on:
            _add_under_title(notebook, backend_runs.ran_on_markdown(app, docname))
        notebook.metadata.pop("source_map", None)
        notebook.metadata["title"] = app.env.titles[docname].astext()
        notebook.metadata["language_info"] = {"name": "python"}
        outdir = Path(app.outdir)
        nbformat.write(notebook, outdir / f"{docname}.ipynb")
        script = notebook_script(
            page_notebook(Path(app.env.doc2path(docname))),
            docname,
            language,
            catalog,
            ran_on=ran_on,
        )
        # Named as examples/ names it, and as its docstring's commands run it.
        (outdir / script_name(docname)).write_text(script, encoding="utf-8")


def _add_under_title(notebook: Notebook, markdown: str) -> None:
    """Put ``markdown`` right under the notebook's first ``#`` heading.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> notebook = new_notebook(cells=[new_markdown_cell("(label)=\\n# Title\\n\\nText")])
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
        pages(app.env, "notebooks")[docname] = True


def _add_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the two download links under the page's title."""
    if docname not in pages(app.env, "notebooks"):
        return
    paragraph = nodes.paragraph(classes=["page-downloads"])
    paragraph += nodes.Text(_("Download this page:") + " ")
    name = docname.rsplit("/", 1)[-1]
    links = [
        (".ipynb", _("Jupyter notebook"), f"{name}.ipynb"),
        (".py", _("Python script"), script_name(name)),
    ]
    for index, (suffix, label, file) in enumerate(links):
        if index:
            paragraph += nodes.Text(" · ")
        paragraph += nodes.reference("", f"{label} ({suffix})", refuri=file)
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is not None:
        title.parent.insert(title.parent.index(title) + 1, paragraph)


def setup(app: Sphinx) -> dict[str, object]:
    """Write each executed page's .ipynb and .py beside its HTML, and link them."""
    app.setup_extension("keras_model_guide.sphinxext")  # the pages domain
    app.connect("source-read", _note_notebook)
    app.connect("doctree-resolved", _add_links)
    app.connect("build-finished", _write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
