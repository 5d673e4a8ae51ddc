"""Text analysis for search: the words of a text as the index stores them, the same on both databases.

SQLite's FTS5 and PostgreSQL's text search each have their own tokenisers and stemmers, and neither knows
Indonesian affixes on SQLite, nor splits Japanese or Chinese into words. So Warta analyses text itself, once,
in Python, and hands both databases the finished terms: SQLite indexes them as given, PostgreSQL receives a
ready `tsvector` and `tsquery` and parses nothing. A query and a document are analysed by the same function,
so what a search finds does not depend on the database behind it.

The analysis of a word:
- Unicode compatibility folding and case folding, so "ＡＢＣ", "ABC" and "abc" are one word.
- Snowball stemming in the document's language (PyStemmer, the C build of the Snowball stemmers), so
  "kerusuhan" and "rusuh", or "elections" and "election", meet. Malay shares Indonesian's affixes.
- Accents removed after stemming (Snowball's French and Spanish rules read accents), and only over Latin,
  Greek and Cyrillic letters: in Devanagari or Tamil the combining marks are vowels, not accents.
- Scripts written without spaces (Chinese, Japanese) and Korean, whose words carry particles, are indexed
  as overlapping character pairs, which finds any word of two or more characters without a dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import regex
import Stemmer

# ISO 639-1 codes to the Snowball stemmers PyStemmer ships. Languages missing here are indexed unstemmed.
SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian",
    "ms": "indonesian",  # Malay and Indonesian share their affixes.
    "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip

# Characters of scripts indexed as character pairs: Hiragana, Katakana, CJK ideographs (and their
# extension A and compatibility block), Hangul syllables and jamo.
_PAIRED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
# A word: letters, digits and combining marks (vowel signs in Indic scripts, which Python's `re` does not
# count as word characters: hence `regex` and its Unicode properties); or a run of paired-script characters.
_WORD = regex.compile(rf"(?P<paired>[{_PAIRED}]+)|(?P<word>[[\p{{L}}\p{{N}}\p{{M}}]--[{_PAIRED}]]+)", regex.V1)
# The same words where a text holds no combining mark and no paired-script character, which is most text
# (NFKC composes Latin accents): `re` reads them about three times faster than `regex` (0.85 ms against 2.6
# ms for an average page of the shared sets), and one scan for the characters that need `regex` costs 0.5 ms.
_PLAIN_WORD = re.compile(r"[^\W_]+")
_NEEDS_REGEX = regex.compile(rf"[\p{{M}}{_PAIRED}]")
# Longer "words" are URLs, hashes and base64 blobs: not worth an index entry.
MAX_TERM = 60


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: where it stands in the text, and its folded (not yet stemmed) form."""

    start: int
    end: int
    form: str


def fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def _strip_accents(term: str) -> str:
    if term.isascii():
        return term
    out: list[str] = []
    latin_like = False
    for char in unicodedata.normalize("NFKD", term):
        if unicodedata.combining(char):
            if not latin_like:
                out.append(char)
            continue
        code = ord(char)
        # Latin, Greek, Cyrillic (below Armenian) and Latin Extended Additional (Vietnamese).
        latin_like = code < 0x0530 or 0x1E00 <= code < 0x2000
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def _pairs(run: str) -> list[str]:
    """A run of a paired script as its overlapping character pairs; a single character stands alone."""
    return [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]


def tokens(text: str) -> Iterator[Token]:
    """The words of `text` in order, with their positions; paired scripts give overlapping pairs."""
    for match in _WORD.finditer(text):
        start, end = match.span()
        if match.lastgroup == "paired":
            for offset, pair in enumerate(_pairs(match.group())):
                yield Token(start + offset, start + offset + len(pair), pair)
            continue
        if end - start > MAX_TERM:
            continue
        yield Token(start, end, fold(match.group()))


@cache
def _stemmer(language: str | None) -> Stemmer.Stemmer | None:
    algorithm = SNOWBALL.get((language or "").split("-")[0].lower())
    return Stemmer.Stemmer(algorithm) if algorithm else None


def has_stemmer(language: str | None) -> bool:
    return _stemmer(language) is not None


def terms(forms: Iterable[str], language: str | None) -> list[str]:
    """Index terms of folded word forms in `language`: stemmed where a stemmer exists, accents removed."""
    forms = list(forms)
    stemmer = _stemmer(language)
    stemmed = stemmer.stemWords(forms) if stemmer is not None else forms
    return [_strip_accents(term) for term in stemmed]


def analyse(text: str, language: str | None) -> list[str]:
    """The index terms of `text`, in order: `tokens` without the positions, which indexing does not need
    (the text is folded once, not word by word, and no token records are made: this runs on every article
    stored)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if _NEEDS_REGEX.search(folded) is None:
        return terms([word for word in _PLAIN_WORD.findall(folded) if len(word) <= MAX_TERM], language)
    forms: list[str] = []
    for paired, word in _WORD.findall(folded):
        if paired:
            forms.extend(_pairs(paired))
        elif len(word) <= MAX_TERM:
            forms.append(word)
    return terms(forms, language)


def term_variants(forms: list[str], languages: Iterable[str | None]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The term sequences a query's word (its folded forms) may be indexed as, each with the languages whose
    articles may hold it: the word as typed, in any article (no language: `()`), and its stem in each of
    `languages` that has a stemmer, in articles of those languages only. A stem is only looked for in its
    own language: Hungarian's stemmer turns Indonesian "bangun" into an English word's stem."""
    plain = tuple(terms(forms, None))
    by_stem: dict[tuple[str, ...], list[str]] = {}
    for language in languages:
        if language and has_stemmer(language):
            stemmed = tuple(terms(forms, language))
            if stemmed != plain:
                by_stem.setdefault(stemmed, []).append(language)
    return [(plain, ()), *((stem, tuple(found)) for stem, found in by_stem.items())]
