"""The Korean catalogs keep the mechanical rules a Korean reader notices at once.

No build needed: each test reads docs/locales/ko/LC_MESSAGES/*.po with Babel.

- **Titles read as titles.** Korean has no capitals, and the pages' titles end in "~하기",
  so a bare ``{ref}`` followed by a particle reads as part of the sentence ("…서브클래싱에서
  비교합니다" reads as "compared in subclassing"). The one rule: a reference to a page is
  followed by "페이지" and one to a section by "절" ("{ref}`three-ways` 페이지에서"). A title
  may also stand alone: in Korean single quotes (U+2018/U+2019), alone in parentheses ("다음 페이지({ref}`x`)에서"), or as
  the label that starts a list item ("{ref}`x`: …").
- **Keras 3 is read "삼".** Its particles are 이/은/으로/을/과, never 가/는/로/를/와.
- **A lead-in sentence ends with a period**, as on every other page, not with "다:".

The post's own Korean, quoted as written (an entry whose English is Korean), is left alone.
"""

from __future__ import annotations

import doctest
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from support import ROOT

CATALOGS = sorted((ROOT / "docs" / "locales" / "ko" / "LC_MESSAGES").glob("*.po"))
#: ``{ref}`label``` or ``{ref}`text <label>```.
REF = re.compile(r"\{ref\}`(?:[^`<]*<)?([^`>]+)>?`")
#: Korean particles that fuse a title into the sentence when written right after it.
PARTICLES = (
    "에서",
    "으로",
    "에게",
    "처럼",
    "까지",
    "부터",
    "이나",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "에",
    "로",
    "와",
    "과",
    "의",
    "도",
    "만",
)
#: Korean single quotes, which may set a title apart.
OPEN, CLOSE = "\u2018", "\u2019"
#: "Keras 3" with a particle that fits a word ending in a vowel: read 삼, it needs the other.
KERAS_3 = re.compile(r"Keras 3(?![\d.])(가|는|로|를|와|랑|라는)")
#: A sentence that ends in "다:" (or "다):"), where every page ends its lead-ins with a period.
COLON_ENDING = re.compile(r"다\)?:(?=\s|$)")


def page_labels() -> set[str]:
    """The labels that name a whole page: a ``(label)=`` line right before the page's title.

    >>> "sequential" in page_labels(), "straight-line-cut-and-join" in page_labels()
    (True, False)
    """
    labels = set()
    for page in (ROOT / "docs").glob("*.md"):
        found = re.search(r"^\((.+)\)=\n# ", page.read_text(encoding="utf-8"), re.MULTILINE)
        if found:
            labels.add(found.group(1))
    return labels


def korean(po: Path) -> Iterator[tuple[int, str]]:
    """(line, msgstr) of each translated entry, the post's quoted Korean left out."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and message.string and not re.search("[가-힣]", message.id):
            yield message.lineno, message.string


def ref_problem(text: str, start: int, end: int, label: str, pages: set[str]) -> str | None:
    """Why the reference at ``text[start:end]`` does not read as a title, or None.

    >>> pages = {"gan"}
    >>> def check(text):
    ...     match = REF.search(text)
    ...     return ref_problem(text, match.start(), match.end(), match.group(1), pages)
    >>> check("{ref}`gan` 페이지에서 봅니다.") is None, check(f"({OPEN}{{ref}}`gan`{CLOSE} 참고)") is None
    (True, True)
    >>> check("{ref}`gan`에서 봅니다.")
    "particle '에서' right after the title: write {ref}`gan` 페이지에서"
    >>> check("{ref}`x` 절에서 봅니다.") is None, check("{ref}`gan` 절에서")
    (True, 'a page, not a section: write {ref}`gan` 페이지')
    """
    before, after = text[:start], text[end:]
    noun = "페이지" if label in pages else "절"
    alone = (
        (before.endswith(OPEN) and after.startswith(CLOSE))
        or (before.endswith("(") and after.startswith(")"))
        or (not before.strip() and after.startswith(":"))  # the label of a list item
    )
    if alone or after.startswith(f" {noun}"):
        return None
    for particle in PARTICLES:
        if after.startswith(particle):
            return f"particle {particle!r} right after the title: write {{ref}}`{label}` {noun}{particle}"
    if after.startswith((" 페이지", " 절")):
        kind = "page" if noun == "페이지" else "section"
        other = "section" if kind == "page" else "page"
        return f"a {kind}, not a {other}: write {{ref}}`{label}` {noun}"
    return f"the title runs on into {after[:12]!r}: write {{ref}}`{label}` {noun}, or quote it"


def ref_problems(po: Path, only_particles: bool) -> list[str]:
    pages = page_labels()
    found = []
    for line, text in korean(po):
        for match in REF.finditer(text):
            problem = ref_problem(text, match.start(), match.end(), match.group(1), pages)
            if problem and (problem.startswith("particle") or not only_particles):
                found.append(f"{po.name}:{line}: {problem}")
    return found


@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.name)
def test_no_particle_right_after_a_korean_reference(po: Path) -> None:
    """A particle glued to a title (…하기에서) reads as part of the sentence."""
    assert ref_problems(po, only_particles=True) == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.name)
def test_each_korean_reference_is_followed_by_page_or_section(po: Path) -> None:
    """The one rule: "{ref}`x` 페이지" (or "절"), or the title alone in quotes or ( )."""
    assert ref_problems(po, only_particles=False) == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.name)
def test_keras_3_takes_the_particles_of_sam(po: Path) -> None:
    """«Keras 3으로», «Keras 3이»: the numeral is read 삼."""
    found = [
        f"{po.name}:{line}: {m.group()}"
        for line, text in korean(po)
        for m in KERAS_3.finditer(text)
    ]
    assert found == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.name)
def test_no_sentence_ends_in_da_colon(po: Path) -> None:
    """Lead-in sentences end with a period («…보여 줍니다.»), as on every page."""
    found = [
        f"{po.name}:{line}: …{text[max(0, m.start() - 20) : m.end()]}"
        for line, text in korean(po)
        for m in COLON_ENDING.finditer(text)
    ]
    assert found == []


def test_the_checks_see_the_catalogs_and_their_references() -> None:
    """The loops above ran on real catalogs holding references, not on nothing."""
    assert len(CATALOGS) >= 15
    references = sum(len(REF.findall(text)) for po in CATALOGS for _, text in korean(po))
    assert references >= 40, references
    assert {"sequential", "three-ways", "gan"} <= page_labels()


def test_the_examples_above_hold() -> None:
    """The rule's own examples (``ref_problem``, ``page_labels``) run as doctests."""
    result = doctest.testmod(sys.modules[__name__])
    assert result.attempted >= 5, result
    assert result.failed == 0, result
