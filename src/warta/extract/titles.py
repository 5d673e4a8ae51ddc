"""The title scorer: every headline the page offers is a candidate, and a learned model picks one.

Pages offer their headline many times over: JSON-LD `headline`, og:title, twitter:title, `<title>`, the
first headings, each possibly with the site's name or a section glued on ("Headline | Opinion | Site").
The rules in headline.py trust the visible `<h1>` when a declared title agrees and otherwise the first
declared one; measured on the shared sets, the right string is among the candidates far more often than
that choice finds it (wcxb-dev 0.90 against 0.73). So each candidate, raw and with the site name stripped,
becomes a row of features (which sources give it, how many others agree with it or contain it, its shape)
and the scorer's most probable candidate is the title.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from warta.extract.headline import TITLE_SEPARATORS, strip_site_name
from warta.extract.learned import Scorer, SourceBits

# Sources, each a bit; any other source shares the last one.
SOURCES: tuple[str, ...] = (
    "json-ld",
    "json-ld:webpage",
    "meta:og:title",
    "meta:twitter:title",
    "meta:dc.title",
    "meta:title",
    "meta:sailthru.title",
    "microdata:headline",
    "dom:title",
    "h1#0",
    "h1#1",
    "h1#2",
    "h2#0",
    "h2#1",
    "other",
)
_SOURCES = SourceBits(SOURCES)
_H1 = _SOURCES.bit("h1#0") | _SOURCES.bit("h1#1") | _SOURCES.bit("h1#2")

_WORD = re.compile(r"\w+")
_ENTITY = re.compile(r"&(?:[a-z]+|#\d+);", re.IGNORECASE)
# Marks a heading carries from its page rather than its words: permalink pilcrows, anchors, colons.
_TRAILING_MARK = re.compile(r"[¶#§:|»›]\s*$")

# LightGBM takes feature names of word characters only.
_NAME = {name: re.sub(r"\W", "_", name) for name in SOURCES}
FEATURES: tuple[str, ...] = (
    *(f"raw_{_NAME[name]}" for name in SOURCES),
    *(f"stripped_{_NAME[name]}" for name in SOURCES),
    "only_stripped",
    "log_chars",
    "words",
    "agree",
    "contained_by",
    "contains",
    "separator",
    "mentions_site",
    "equals_h1",
    "h1_count",
    "length_ratio",
    "upper_share",
    "trailing_mark",
    "entity",
    "first_order",
    "candidates",
    "near_agree",
    "best_overlap",
    "declared_article",
    "rules_pick",
)
# Two candidates whose word sets overlap this much (Jaccard) are the same headline spelled apart (quotes,
# a dropped subtitle, a kicker): a page whose declared titles agree with each other but only nearly with
# its <h1> has one spelling the newsroom chose and one its template printed.
NEAR_OVERLAP = 0.8


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


@dataclass(slots=True)
class Candidate:
    """One distinct headline string and the sources that give it, as written or with the site name cut."""

    text: str
    raw: int = 0  # bits of the sources that give exactly this text
    stripped: int = 0  # bits of the sources whose title, site name cut, is this text
    order: int = 0  # where it first appears among the sources (most trusted first)

    @property
    def source(self) -> str:
        name = _SOURCES.first(self.raw or self.stripped)
        return name if self.raw else f"{name} (site name cut)"


def candidates(
    declared: list[tuple[str, str]], headings: list[tuple[str, str]], site_name: str | None, host: str | None
) -> list[Candidate]:
    """Every distinct headline string the page offers, in order of first appearance."""
    found: dict[str, Candidate] = {}
    for source, value in (*declared, *headings):
        bit = _SOURCES.bit(source)
        candidate = found.setdefault(value, Candidate(value, order=len(found)))
        candidate.raw |= bit
        cut = strip_site_name(value, site_name, host)
        if cut != value:
            found.setdefault(cut, Candidate(cut, order=len(found))).stripped |= bit
    return list(found.values())


def feature_rows(
    found: list[Candidate], site_name: str | None, host: str | None, declared_article: bool, rules_pick: str | None
) -> list[list[float]]:
    """The FEATURES of each candidate, judged against all the others.

    `declared_article` is the page's own word that it is an article (JSON-LD, og:type); `rules_pick` the
    headline the rules choose (headline.choose_headline).
    """
    keys = [_key(candidate.text) for candidate in found]
    word_sets = [set(key.split()) for key in keys]
    # Each source that gives a string as written counts once: "agree" is how many sources say this.
    raw_keys = [key for key, candidate in zip(keys, found, strict=True) for _ in range(candidate.raw.bit_count())]
    h1_key = next((key for key, c in zip(keys, found, strict=True) if c.raw & _SOURCES.bit("h1#0")), None)
    h1_count = sum(1 for c in found if c.raw & _H1)
    site_keys = {
        _key(name).replace(" ", "")
        for name in (site_name, host.removeprefix("www.").split(".")[0] if host else None)
        if name
    }
    longest = max((len(c.text) for c in found), default=1) or 1
    rows = []
    for index, (key, candidate) in enumerate(zip(keys, found, strict=True)):
        text = candidate.text
        overlaps = [
            _overlap(word_sets[index], word_sets[other])
            for other in range(len(found))
            if other != index and found[other].raw and keys[other] != key
        ]
        letters = [ch for ch in text if ch.isalpha()]
        squashed = key.replace(" ", "")
        rows.append(
            [
                *_SOURCES.flags(candidate.raw),
                *_SOURCES.flags(candidate.stripped),
                1.0 if not candidate.raw else 0.0,
                math.log1p(len(text)),
                len(key.split()),
                sum(1 for other in raw_keys if other == key),
                sum(1 for other in raw_keys if key and key != other and key in other),
                sum(1 for other in raw_keys if other and key != other and other in key),
                1.0 if TITLE_SEPARATORS.search(text) else 0.0,
                1.0 if any(site and site in squashed for site in site_keys) else 0.0,
                1.0 if h1_key is not None and key == h1_key else 0.0,
                h1_count,
                len(text) / longest,
                sum(1 for ch in letters if ch.isupper()) / len(letters) if letters else 0.0,
                1.0 if _TRAILING_MARK.search(text) else 0.0,
                1.0 if _ENTITY.search(text) else 0.0,
                candidate.order,
                len(found),
                sum(1 for overlap in overlaps if overlap >= NEAR_OVERLAP),
                max(overlaps, default=0.0),
                1.0 if declared_article else 0.0,
                1.0 if text == rules_pick else 0.0,
            ]
        )
    return rows


def _overlap(first: set[str], second: set[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def choose_title(found: list[Candidate], rows: Any, scorer: Scorer) -> Candidate | None:
    """The candidate the scorer finds most probable (the earliest on a tie); None when there is none."""
    if not found:
        return None
    probabilities = scorer.predict(rows)
    best = max(range(len(found)), key=lambda index: (probabilities[index], -index))
    return found[best]
