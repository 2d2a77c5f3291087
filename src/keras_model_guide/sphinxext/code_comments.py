"""Code comments and docstrings in the reader's language, each one a catalog message.

The code that runs is the English source, executed once for both languages: the
execution cache keys on it. A translated page shows that code with its comments and
docstrings translated, and so do its downloads (:mod:`notebook_files`):

- :func:`messages` finds them in a cell: a block of full-line comments is one message,
  its lines joined; a comment after code is one; a docstring is one.
- Each code cell gets a :class:`code_messages` node, Sphinx's way for a node to carry
  messages of its own (``addnodes.translatable``, as a toctree's caption does): the
  ``gettext`` builder extracts them into the page's catalog, where a changed English
  comment turns its translation fuzzy like any other message.
- :func:`translate` puts each translation in its place. A comment block is wrapped anew
  to the width of the English block, counted in display columns (a Hangul syllable
  takes two), so Korean comments end where the English ones did.

A message without a translation keeps the page from being published, as any other
English left on a translated page does (:mod:`translation`).
"""

from __future__ import annotations

import ast
import inspect
import io
import re
import tokenize
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

#: Comments that talk to tools, not to readers: never translated.
PRAGMA = re.compile(r"#\s*(noqa|type:|fmt:|pragma|pylint:)")
#: The longest line a translation may make, in display columns, as the code's own lines.
WIDTH = 88
#: What a line breaks between: words; a `code span`, and a short group in brackets such as
#: "[0, 1]" or "(784 → 196)로", stay whole with what sticks to them.
_WORD = re.compile(r"`[^`]*`\S*|\S*[\[(][^\])]{0,24}[\])]\S*|\S+")


@dataclass(frozen=True)
class _Piece:
    """One message in a cell: its text, and the span of source lines it replaces."""

    message: str
    first: int  # first line (0-based) of the span
    last: int  # last line of the span, included
    start: int  # column where the replaced text starts on the first line
    end: int  # column where it ends on the last line
    kind: str  # "block" (full-line comments), "comment" (after code) or "docstring"


def _columns(text: str) -> int:
    """The display width of ``text``: wide characters, such as Hangul, count two.

    >>> _columns("loss"), _columns("손실")
    (4, 4)
    """
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _runnable(source: str) -> str:
    """``source`` with IPython's ``%`` and ``!`` lines blanked, so Python can parse it."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")
    )


def _pieces(source: str) -> list[_Piece]:
    """Every comment block, trailing comment and docstring of ``source``, in order."""
    text = _runnable(source)
    lines = text.split("\n")
    pieces: list[_Piece] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        tree = ast.parse(text)
    except (SyntaxError, tokenize.TokenError):
        return []  # not Python: nothing to translate
    block: list[tuple[int, int, str]] = []  # (line, column, text) of the block so far

    def close_block() -> None:
        if block:
            message = " ".join(words for _, _, words in block)
            if " " not in message:  # one word: a name or a value, not a sentence
                block.clear()
                return
            first, column, _ = block[0]
            pieces.append(
                _Piece(message, first, block[-1][0], column, len(lines[block[-1][0]]), "block")
            )
            block.clear()

    for token in tokens:
        if token.type != tokenize.COMMENT or PRAGMA.match(token.string):
            continue
        row, column = token.start[0] - 1, token.start[1]
        words = token.string.lstrip("#").strip()
        if lines[row][:column].strip():  # after code on the same line
            if " " in words:  # not one word, such as "# input_layer..." naming an output
                pieces.append(_Piece(words, row, row, column, len(lines[row]), "comment"))
            continue
        if block and (block[-1][0] != row - 1 or block[-1][1] != column):
            close_block()
        block.append((row, column, words))
    close_block()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = node.body[0] if node.body else None
        if not (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            continue
        start_line, end_line = first.lineno - 1, (first.end_lineno or first.lineno) - 1
        # ast counts columns in UTF-8 bytes; the spans here count characters.
        start = len(lines[start_line].encode()[: first.col_offset].decode())
        end = len(lines[end_line].encode()[: first.end_col_offset].decode())
        message = inspect.cleandoc(first.value.value)
        pieces.append(_Piece(message, start_line, end_line, start, end, "docstring"))
    return sorted(pieces, key=lambda piece: (piece.first, piece.start))


def messages(source: str) -> list[str]:
    """The comments and docstrings of a code cell, one message each.

    >>> messages('''def f():
    ...     \"\"\"Return one.\"\"\"
    ...     # A block of comments
    ...     # is one message.
    ...     return 1  # and so is this
    ... print(model.layers[0].name)  # input_layer...
    ... %matplotlib inline''')
    ['Return one.', 'A block of comments is one message.', 'and so is this']
    """
    return [piece.message for piece in _pieces(source)]


def _greedy(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and _columns(lines[-1]) + 1 + _columns(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` display columns, as even as they can be.

    No line ends with one lonely word, and no line breaks inside a `code span`.

    >>> wrap("하나 둘 셋", 7)
    ['하나', '둘 셋']
    >>> wrap("set `trainable = False` first", 12)
    ['set', '`trainable = False`', 'first']
    >>> wrap("values in [0, 1] each", 12)
    ['values in', '[0, 1] each']
    """
    words = _WORD.findall(text)
    lines = _greedy(words, width)
    narrowest = width
    while narrowest > 1 and len(_greedy(words, narrowest - 1)) == len(lines):
        narrowest -= 1  # the same number of lines, more even
    return _greedy(words, narrowest)


def _docstring(message: str, indent: str, quotes: str) -> str:
    """``message`` as a docstring literal that starts at column ``len(indent)``.

    Each paragraph of prose is wrapped to :data:`WIDTH`; a list or code keeps its lines.

    >>> _docstring("한 줄입니다.", "    ", "\'\'\'")
    "\'\'\'한 줄입니다.\'\'\'"
    >>> print(_docstring("첫 문단입니다.\\n\\n둘째 문단입니다.", "    ", "\'\'\'"))
    \'\'\'첫 문단입니다.
    <BLANKLINE>
        둘째 문단입니다.
        \'\'\'
    """
    message = message.replace("\\", "\\\\")
    width = WIDTH - len(indent) - len(quotes)
    if "\n" not in message and _columns(message) + len(quotes) <= width:
        return f"{quotes}{message}{quotes}"
    lines = []
    for paragraph in message.split("\n\n"):
        rows = paragraph.split("\n")
        structured = any(re.match(r"\s|[-*]\s|\d+\.\s|>>>", row) for row in rows)
        lines += [*(rows if structured else wrap(" ".join(rows), width)), ""]
    first, *rest = lines[:-1]
    if not rest:  # one line, too long for the closing quotes: they go below it
        return f"{quotes}{first}\n{indent}{quotes}"
    body = "\n".join(indent + line if line else "" for line in rest)
    return f"{quotes}{first}\n{body}\n{indent}{quotes}"


def translate(source: str, translations: Mapping[str, str]) -> str:
    """``source`` with each comment and docstring that ``translations`` has replaced.

    A message without a translation stays as it is.

    >>> print(translate('''x = 1  # the first
    ... # Two short
    ... # lines.''', {"the first": "첫 번째", "Two short lines.": "짧은 두 줄입니다."}))
    x = 1  # 첫 번째
    # 짧은 두 줄입니다.
    """
    lines = source.split("\n")
    for piece in reversed(_pieces(source)):  # from the end: a replacement may add lines
        translation = translations.get(piece.message)
        if not translation:
            continue
        head, tail = lines[piece.first][: piece.start], lines[piece.last][piece.end :]
        if piece.kind == "block":
            new = [f"{head}# {line}" for line in wrap(translation, WIDTH - piece.start - 2)]
        elif piece.kind == "comment":
            new = [f"{head}# {translation}"]
            if _columns(new[0]) > WIDTH:  # too long after the code: on its own lines above
                indent = head[: len(head) - len(head.lstrip())]
                above = wrap(translation, WIDTH - len(indent) - 2)
                new = [*(f"{indent}# {line}" for line in above), head.rstrip()]
        else:
            opening = lines[piece.first][piece.start :]
            quotes = '"""' if opening.startswith('"""') else "'''"
            indent = " " * piece.start
            new = (head + _docstring(translation, indent, quotes) + tail).split("\n")
        lines[piece.first : piece.last + 1] = new
    return "\n".join(lines)


# -- The messages in the doctree ---------------------------------------------------------


class code_messages(nodes.Element, addnodes.translatable):  # docutils names nodes so
    """The messages of one code cell: the catalog's entries, and their translations."""

    def preserve_original_messages(self) -> None:
        """Nothing to do: the messages never change (``translations`` holds the rest)."""

    def extract_original_messages(self) -> list[str]:
        """The cell's comments and docstrings, for the ``gettext`` builder."""
        return self["messages"]

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        """Keep a translation for :func:`translate_cells` to put in place."""
        self.setdefault("translations", {})[original_message] = translated_message


def code_cells(doctree: nodes.Node) -> Iterator[nodes.literal_block]:
    """The code of each MyST-NB code cell in ``doctree``."""
    for container in doctree.findall(nodes.container):
        if container.get("nb_element") == "cell_code_source":
            yield from container.findall(nodes.literal_block)


class AddCodeMessages(SphinxTransform):
    """Give each code cell its messages, before Sphinx's i18n transforms look for them."""

    default_priority = 5  # PreserveTranslatableMessages runs at 10, Locale at 20

    def apply(self, **kwargs: object) -> None:
        """Add a :class:`code_messages` node to each code cell that has messages."""
        for code in list(code_cells(self.document)):
            found = messages(code.astext())
            if found:
                node = code_messages(messages=found)
                node.source, node.line = code.source, code.line
                code.parent.append(node)


def translate_cells(doctree: nodes.document) -> list[tuple[nodes.Element, list[str]]]:
    """Put the translations in the code and drop the message nodes.

    Return each cell's messages that had no translation, for the gate to report.
    """
    untranslated = []
    for node in list(doctree.findall(code_messages)):
        translations = node.get("translations", {})
        for code in node.parent.findall(nodes.literal_block):
            text = translate(code.astext(), translations)
            code.rawsource = text
            code.children = [nodes.Text(text)]
        missing = [message for message in node["messages"] if message not in translations]
        if missing:
            untranslated.append((node, missing))
        node.parent.remove(node)
    return untranslated


def _skip(self: object, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, object]:
    """Attach the messages to code cells; :mod:`translation` applies them."""
    app.add_node(code_messages, html=(_skip, None), text=(_skip, None))
    app.add_transform(AddCodeMessages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
