"""The Korean search language (docs/_ext/korean_search.py): stems, stop words, the index.

The JavaScript twin of the stemmer is checked against this one in test_browser.py.
"""

from __future__ import annotations

import doctest
import json
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from support import SITE, docs_extension

NOUNS = ["모델", "레이어", "입력", "가중치", "출력", "정확도", "층", "이해", "차이"]
PARTICLES = ["을", "를", "이", "가", "은", "는", "의", "에", "에서", "으로", "로", "와", "과", "도"]
PARTICLES += ["만", "에게", "까지", "부터", "처럼", "들", "이다", "입니다", "에서는", "들을"]


def korean_search() -> ModuleType:
    """The Korean search language, docs/_ext/korean_search.py."""
    return docs_extension("korean_search")


@pytest.fixture(scope="module")
def stem() -> object:
    return korean_search().SearchKorean({}).stem


@pytest.mark.parametrize("noun", NOUNS)
@pytest.mark.parametrize("particle", PARTICLES)
def test_a_noun_and_its_inflections_share_a_stem(stem, noun: str, particle: str) -> None:
    assert stem(noun + particle) == stem(noun)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("모델을", "모델"),
        ("레이어에서는", "레이어"),  # stacked particles go one by one
        ("입력으로", "입력"),  # 으로 before 로, or 입력으 would be left
        ("가중치의", "가중치"),
        ("모델들을", "모델"),
        ("학습합니다", "학습"),  # 하다 verbs meet their noun
        ("학습된", "학습"),
        ("컴파일하고", "컴파일"),
        ("모델입니다", "모델"),
        ("이해를", "이해"),  # not the stop word 이
        ("Model을", "model"),  # a particle glued to an English word
        ("clone_model", "clone_model"),
        ("layers", "layer"),  # Latin words get the English stemmer, as in English
    ],
)
def test_stems(stem, word: str, expected: str) -> None:
    assert stem(word) == expected


def test_a_bare_particle_is_not_indexed() -> None:
    """The 을 after `Model` in "`Model`을" is its own text node: a stop word."""
    language = korean_search().SearchKorean({})
    for particle in ("을", "를", "은", "는", "의", "에서", "으로", "에서는"):
        assert not language.word_filter(language.stem(particle))
    assert language.word_filter(language.stem("층"))  # a one-syllable noun is a word


def test_split_normalises_decomposed_hangul() -> None:
    """Text typed on some systems arrives as jamo (NFD); it must split like NFC."""
    language = korean_search().SearchKorean({})
    decomposed = unicodedata.normalize("NFD", "모델을 학습합니다")
    assert language.split(decomposed) == ["모델을", "학습합니다"]


def test_suffixes_are_tried_longest_first() -> None:
    lengths = [len(suffix) for suffix in korean_search().SUFFIXES]
    assert lengths == sorted(lengths, reverse=True)


def test_the_query_side_gets_the_same_suffixes() -> None:
    """language_data.js embeds the suffix list and the stemmer that reads it."""
    module = korean_search()
    code = module.SearchKorean.js_stemmer_code
    assert json.dumps(module.SUFFIXES, ensure_ascii=False) in code
    assert "var Stemmer" in code
    assert "EnglishStemmer" in code
    assert "splitQuery" in module.SearchKorean.js_splitter_code


def test_docstring_examples() -> None:
    result = doctest.testmod(korean_search())
    assert result.attempted
    assert not result.failed


@pytest.mark.site
def test_korean_index_holds_stems_not_inflections(site: Path) -> None:
    """The built Korean index has 모델, and no 모델을 beside it."""
    text = (SITE / "ko" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))
    terms = set(index["terms"]) | set(index["titleterms"])
    for noun in ("모델", "레이어", "입력", "가중치"):
        assert noun in terms
        assert not {noun + particle for particle in ("을", "를", "은", "는", "의")} & terms
    assert "clone_model" in terms
