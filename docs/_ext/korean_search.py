"""Korean full-text search: find 모델을, 모델은 and 모델의 when a reader types 모델.

Sphinx has no Korean search language, so the Korean build indexes every word with its
particle still attached (모델을, 레이어에서), and a search for 모델 misses them. Korean
glues particles (조사) and endings (어미) to the end of a word, so removing a known
ending from the end gives back the word a reader types. This is a deliberately small
"stemmer", not a morphological analyser: it knows the particles, the copula 이다 and the
endings of 하다/되다 verbs, which is how most technical terms are used (학습합니다,
저장된, 입력으로).

The same rules run twice: in Python when Sphinx writes ``searchindex.js``, and in
JavaScript (``language_data.js``) on the reader's query. Both read the one list of
endings below, so a query and the page it should find always meet on the same stem.
Latin-script words (``clone_model``, Dense) get Sphinx's English stemmer on both sides,
as in the English build.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import snowballstemmer
from sphinx import package_dir
from sphinx.application import Sphinx
from sphinx.search import SearchLanguage
from sphinx.search._stopwords.en import ENGLISH_STOPWORDS

# Particles (조사), one form per line of thought. Stripping repeats, so stacked
# particles (레이어에서는 -> 레이어에서 -> 레이어) need no entries of their own.
PARTICLES = (
    "이 가 을 를 은 는 의 도 만 들",  # subject, object, topic, genitive, "also", "only", plural
    "에 에서 에게 께 한테 으로 로 으로서 로서 으로써 로써",  # place, direction, means
    "와 과 랑 이랑 하고 이나 나 이든 든 이라도 라도",  # "and", "or", "any"
    "까지 부터 보다 처럼 마다 만큼 밖에 조차",  # "until", "from", "than", "like", "each"
    "이라는 라는 이란 란 이라고 라고",  # quoting: "called X"
)
# The copula 이다 ("is") and the endings of 하다/되다 verbs, whose stem is a noun:
# 학습합니다 and 학습된 should meet 학습.
ENDINGS = (
    (
        "이다 입니다 이며 이고 이지만 이면 이므로 이라서 이어서 였다 이었다 였습니다 "
        "이었습니다 예요 이에요 인데 인"
    ),
    (
        "하다 합니다 한다 했다 했습니다 하는 한 할 하면 하고 하여 해 해서 해야 하지 하기 "
        "하며 하려면 하도록 하게 하세요 합시다 하면서"
    ),
    "되다 됩니다 된다 됐다 되었다 되었습니다 된 되는 될 되면 되고 되어 돼 되지 되며 되도록",
)
#: Every ending, longest first, so 으로 is removed before 로 can leave 입력으 behind.
SUFFIXES = tuple(
    sorted({word for line in PARTICLES + ENDINGS for word in line.split()}, key=len, reverse=True)
)
_PARTICLES = tuple(
    sorted({word for line in PARTICLES for word in line.split()}, key=len, reverse=True)
)
#: Common Korean function words ("and", "etc.", "thing", "can"...), with the English list,
#: since code and API names stay English on Korean pages. A bare particle (the 을 after
#: ``Model``) is a stop word too.
_FUNCTION_WORDS = "및 등 또는 그리고 그러나 하지만 그래서 것 수 때 더 또 그 저"
KOREAN_STOPWORDS = frozenset(_FUNCTION_WORDS.split())
STOPWORDS = frozenset(ENGLISH_STOPWORDS | KOREAN_STOPWORDS | set(SUFFIXES))

_WORD = re.compile(r"\w+")
_HANGUL = re.compile("[\uac00-\ud7a3]")  # precomposed syllables, what Korean text uses

_JS_SOURCE = Path(__file__).with_suffix(".js")
_SNOWBALL_JS = Path(package_dir, "search", "minified-js")


def strip_endings(word: str) -> str:
    """Remove Korean particles and endings from the end of ``word``, longest first.

    Stripping repeats, so stacked endings go too. An ending stays when removing it would
    leave nothing or a stop word: 이해를 becomes 이해, not the stop word 이, so that 이해
    and 이해를 still meet.

    >>> strip_endings("레이어에서는"), strip_endings("입력으로"), strip_endings("학습합니다")
    ('레이어', '입력', '학습')
    """
    if word in STOPWORDS:  # a bare particle (으로) stays whole, not 으
        return word
    stripped = True
    while stripped:
        stripped = False
        for suffix in SUFFIXES:
            rest = word[: -len(suffix)]
            if word.endswith(suffix) and rest and rest not in STOPWORDS:
                word = rest
                stripped = True
                break
    return word


def is_particles(word: str) -> bool:
    """Whether ``word`` is only particles, like the 에서는 after a code name.

    >>> is_particles("에서는"), is_particles("이해")
    (True, False)
    """
    while word:
        particle = next((p for p in _PARTICLES if word.endswith(p)), None)
        if particle is None:
            return False
        word = word[: -len(particle)]
    return True


class SearchKorean(SearchLanguage):
    """Split on word characters; stem Korean by its endings, Latin words as English."""

    lang = "ko"
    language_name = "Korean"
    stopwords = STOPWORDS
    # The query side; searchtools.js calls ``splitQuery`` and ``new Stemmer()``.
    js_splitter_code = (
        "var splitQuery = (query) => query.normalize('NFC').match(/[\\p{L}\\p{N}_]+/gu) || [];"
    )
    js_stemmer_code = "\n".join(
        (
            (_SNOWBALL_JS / "base-stemmer.js").read_text(encoding="utf-8"),
            (_SNOWBALL_JS / "english-stemmer.js").read_text(encoding="utf-8"),
            f"var KOREAN_SUFFIXES = {json.dumps(SUFFIXES, ensure_ascii=False)};",
            _JS_SOURCE.read_text(encoding="utf-8"),
        )
    )

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.english = snowballstemmer.stemmer("english")

    def split(self, input: str) -> list[str]:
        """Split text into words (letters, digits, ``_``), after NFC normalisation."""
        return _WORD.findall(unicodedata.normalize("NFC", input))

    def stem(self, word: str) -> str:
        """Return the search stem of ``word`` (lower case); ``word`` if that is a stop word.

        >>> stem = SearchKorean({}).stem
        >>> stem("모델을"), stem("가중치의"), stem("Model을"), stem("layers")
        ('모델', '가중치', 'model', 'layer')
        """
        word = word.lower()
        stem = strip_endings(word)
        if not _HANGUL.search(stem):
            stem = self.english.stemWord(stem)
        # English stemming can land on a stop word (ours -> our); keep the word then,
        # which is also what Sphinx's indexer falls back to.
        return word if stem in STOPWORDS else stem

    def word_filter(self, word: str) -> bool:
        """Index a word unless it is a number, a stop word or a run of particles."""
        return super().word_filter(word) and not is_particles(word)


def setup(app: Sphinx) -> dict[str, object]:
    """Register the Korean search language (used when ``language = "ko"``)."""
    app.add_search_language(SearchKorean)
    # Bump when the rules change: a new env version makes Sphinx re-index every page.
    return {"env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
