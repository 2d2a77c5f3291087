"""A page's downloads speak the page's language: keras_model_guide.sphinxext.notebook_files, without a build.

The Korean build writes each page's notebook with its prose taken from the page's
catalog, and its script with a Korean docstring; MyST's own markup (targets, directive
blocks) becomes what a notebook shows. These checks run on small fixtures and on the
real pages with their real catalogs; tests/test_downloads.py checks the built files.
"""

from __future__ import annotations

import ast
import re

import pytest
from support import ROOT, docs_extension, english_prose

notebook_files = docs_extension("notebook_files")

DOCS = ROOT / "docs"
LOCALES = DOCS / "locales" / "ko" / "LC_MESSAGES"
PAGE = """\
(sample)=
# Train a model

```{description}
Train a model
and check it.
```

Some prose
on two lines.

## Run it

```console
$ nox -s docs
```

```{toctree}
:maxdepth: 1
:caption: Parts

sample
```
"""
CATALOG = {
    "Train a model": "모델 학습하기",
    "Train a model and check it.": "모델을 학습하고 확인합니다.",
    "Some prose on two lines.": "두 줄로 된 글입니다.",
    "Run it": "실행하기",
    "Parts": "차례",
}
LABELS = {"sample": ("sample", "모델 학습하기")}


def test_korean_prose_covers_title_description_headings_and_toctree() -> None:
    prose = notebook_files.notebook_prose(PAGE, CATALOG, "ko", LABELS)
    assert prose == (
        "# 모델 학습하기\n\n"
        "*모델을 학습하고 확인합니다.*\n\n"
        "두 줄로 된 글입니다.\n\n"
        "## 실행하기\n\n"
        "```console\n$ nox -s docs\n```\n\n"
        "**차례**\n\n"
        "- [모델 학습하기](https://keras-model-guide.readthedocs.io/ko/sample.html)"
    )


def test_english_prose_keeps_its_text_without_myst_markup() -> None:
    prose = notebook_files.notebook_prose(PAGE, {}, "en", {"sample": ("sample", "Train")})
    assert "(sample)=" not in prose
    assert "{description}" not in prose
    assert "{toctree}" not in prose
    assert prose.startswith("# Train a model\n\n*Train a model and check it.*\n\nSome prose\n")


def test_a_fenced_block_with_blank_lines_stays_whole() -> None:
    markdown = "Text.\n\n```python\na = 1\n\nb = 2\n```"
    assert notebook_files.markdown_blocks(markdown) == ["Text.", "```python\na = 1\n\nb = 2\n```"]
    assert notebook_files.translate_markdown(markdown, {"a = 1": "x"}) == markdown


def test_korean_script_header_is_korean_and_its_code_is_the_english_one() -> None:
    notebook = notebook_files.page_notebook(DOCS / "sequential.md")
    catalog = notebook_files.read_catalog(LOCALES / "sequential.po")
    english = notebook_files.notebook_script(notebook, "sequential")
    korean = notebook_files.notebook_script(notebook, "sequential", "ko", catalog)
    docstring = ast.get_docstring(ast.parse(korean)) or ""
    assert docstring.startswith(catalog["Train a Sequential model on MNIST"])
    assert not [part for part in docstring.split("\n\n") if english_prose(part)], docstring

    def code(script: str) -> list[str]:  # what runs: no comments, no strings of the header
        tree = ast.parse(script)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                node.value = ""
        return ast.unparse(tree).splitlines()

    assert code(korean) == code(english)
    assert (ROOT / "examples" / "sequential.py").read_text("utf-8") == english


PAGES = sorted(
    path for path in DOCS.glob("*.md") if notebook_files.is_notebook(path.read_text("utf-8"))
)


@pytest.mark.parametrize("doc", PAGES, ids=[doc.stem for doc in PAGES])
def test_every_korean_notebook_block_is_korean(doc) -> None:
    """The real pages with their real catalogs: no English block, no directive left."""
    titles = {}
    for source in DOCS.glob("*.md"):
        title = re.search(r"^# (.+)$", source.read_text("utf-8"), re.MULTILINE)[1]
        titles[source.stem] = (
            source.stem,
            notebook_files.read_catalog(LOCALES / f"{source.stem}.po").get(title, title),
        )
    catalog = notebook_files.read_catalog(LOCALES / f"{doc.stem}.po")
    left = []
    for cell in notebook_files.page_notebook(doc).cells:
        if cell.cell_type == "markdown":
            prose = notebook_files.notebook_prose(cell.source, catalog, "ko", titles)
            blocks = notebook_files.markdown_blocks(prose)
            left += [block for block in blocks if english_prose(block)]
            left += [block for block in blocks if re.match(r"\s*(`{3,}|~{3,})\{", block)]
    assert not left, f"ko/{doc.stem}.ipynb keeps: {left}"


def test_links_to_other_pages_point_at_the_hosted_site() -> None:
    markdown = 'See [it](sample.md#part) or <a href="../en/sample.html" lang="en">English</a>.'
    assert notebook_files.notebook_prose(markdown, {}, "ko", {}) == (
        "See [it](https://keras-model-guide.readthedocs.io/ko/sample.html#part) or "
        '<a href="https://keras-model-guide.readthedocs.io/en/sample.html" lang="en">English</a>.'
    )


def test_a_reference_to_a_section_links_its_anchor() -> None:
    labels = {"rule": ("sample#the-rule", "규칙")}
    assert notebook_files.notebook_prose("See {ref}`rule`.", {}, "ko", labels) == (
        "See [규칙](https://keras-model-guide.readthedocs.io/ko/sample.html#the-rule)."
    )


def test_a_korean_script_comments_its_code_in_korean() -> None:
    """The code is the English script's; its comments and docstrings come from the catalog."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            new_code_cell('def one():\n    """Return one."""\n    return 1  # as always\n'),
        ]
    )
    catalog = {"Title": "제목", "Return one.": "1을 돌려줍니다.", "as always": "늘 그렇듯"}
    script = notebook_files.notebook_script(notebook, "sample", "ko", catalog)
    assert 'def one():\n    """1을 돌려줍니다."""\n    return 1  # 늘 그렇듯\n' in script
    assert "학습을 마친 뒤가 아니라 지금" in script  # the script's own comment, in Korean too
