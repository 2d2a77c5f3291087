"""Highlight code without a ``<span>`` for tokens drawn in the block's own colour.

Pygments wraps every token in a ``<span class="…">``. With this site's styles
(``a11y-light`` and ``a11y-dark``), names (``n``), punctuation (``p``) and whitespace
(``w``) are drawn in exactly the colour of the surrounding code block, so their spans
change nothing on screen, yet they are half of all elements on a page with code: 500 of
the 1,389 elements of the Sequential page. A large DOM is what Lighthouse's
``dom-size`` audit flags, and every element costs style and layout time on a phone.

This writes those tokens as plain text (Pygments then merges neighbouring plain runs).
Which token types qualify is computed from the configured styles, light and dark, so a
style that does colour them keeps their spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import Name, Punctuation, Text, Token, Whitespace, _TokenType
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Token types worth checking: the ones code is mostly made of.
CANDIDATES = (Name, Punctuation, Whitespace, Text.Whitespace)


def plain_token_types(styles: Iterable[str | type[Style]]) -> frozenset[_TokenType]:
    """Candidates drawn exactly like plain text (no colour, weight or background) by every style.

    >>> sorted(str(t) for t in plain_token_types(["a11y-light", "a11y-dark"]))
    ['Token.Name', 'Token.Punctuation', 'Token.Text.Whitespace']
    """
    plain = set(CANDIDATES)
    for name in styles:
        style = get_style_by_name(name) if isinstance(name, str) else name
        text = style.style_for_token(Text)
        plain = {token for token in plain if style.style_for_token(token) == text}
    return frozenset(plain)


class LeanHtmlFormatter(HtmlFormatter):
    """Pygments' HTML formatter, writing the tokens in ``plain`` as unwrapped text."""

    plain: frozenset[_TokenType] = frozenset()

    def format_unencoded(
        self, tokensource: Iterable[tuple[_TokenType, str]], outfile: IO[str]
    ) -> None:
        """Format as usual, after turning plain-looking tokens into ``Token.Text``."""

        def tokens() -> Iterator[tuple[_TokenType, str]]:
            for token, value in tokensource:
                yield (Token.Text if token in self.plain else token), value

        super().format_unencoded(tokens(), outfile)


def _install(app: Sphinx) -> None:
    highlighter = getattr(app.builder, "highlighter", None)
    if highlighter is None or app.builder.format != "html":
        return
    # The style classes Sphinx resolved (it knows names Pygments does not, like "sphinx").
    styles = [highlighter.formatter_args["style"]]
    dark = getattr(app.builder, "dark_highlighter", None)
    if dark is not None:
        styles.append(dark.formatter_args["style"])
    # Furo draws dark mode from its own setting, not from Sphinx's dark highlighter.
    furo_dark = getattr(app.config, "pygments_dark_style", None)
    if furo_dark:
        styles.append(highlighter.get_style(furo_dark))
    plain = plain_token_types(styles)
    formatter = type("LeanHtmlFormatter", (LeanHtmlFormatter,), {"plain": plain})
    highlighter.formatter = formatter
    logger.verbose("lean_highlight: plain text for %s", ", ".join(sorted(map(str, plain))))


def setup(app: Sphinx) -> dict[str, object]:
    """Swap the HTML builder's Pygments formatter once the builder exists."""
    app.connect("builder-inited", _install)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
