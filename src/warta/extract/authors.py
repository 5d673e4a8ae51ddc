"""The author chooser: every set of names the page offers is a candidate, and a learned model picks one.

Pages name their authors many times over and disagree: JSON-LD, the author meta tags, the visible byline,
a forum's thread starter, a signature under the text, a desk or the publication named as the author. The
rules (`metadata.author_candidates`) keep the first trusted source that names a person who is not the
publisher; measured on the shared sets, the right names are among the candidates on far more pages than
that choice finds them. So each distinct set of names (and each single name of a set of several: a byline
that also caught a reviewer or a job title) becomes a row of features (which sources give it, how many
agree, the shape of its names, whether it is the publisher) and the scorer's most probable candidate is
the byline, when it is probable enough.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from warta.extract.learned import Scorer, SourceBits
from warta.extract.metadata import Metadata, is_publisher, publisher_keys
from warta.extract.people import agency
from warta.models import Person

# Sources, each a bit; any other source shares the last one.
SOURCES: tuple[str, ...] = (
    "json-ld",
    "json-ld:other",
    "json-ld:organization",
    "meta:author",
    "meta:article:author",
    "meta:dc.creator",
    "meta:sailthru.author",
    "meta:parsely-author",
    "meta:byl",
    "meta:twitter:data",
    "dom:byline",
    "dom:byline-first",
    "dom:byline-later",
    "dom:data-author",
    "dom:username",
    "dom:signature",
    "dom:byline-as-written",
    "json-ld:as-written",
    "meta:as-written",
    "microdata:person",
    "script:author",
    "text:byline",
    "text:as-written",
    "text:after-label",
    "other",
)
_SOURCES = SourceBits(SOURCES)
# Roles that are not the writer's: a byline that names an editor or a photographer names them beside the
# author, not as the author.
OTHER_ROLES = frozenset({"editor", "photographer"})
# Words of the labels, headings and furniture that byline marks print beside or instead of a name
# ("Posted on", "Username:", "Topic Author", "Mehr Artikel von"): a candidate holding one is rarely a name.
FILLER_WORDS = frozenset(
    {
        "posted", "published", "updated", "written", "author", "authors", "username", "topic", "thread",
        "starter", "insights", "from", "on", "am", "veröffentlicht", "publiziert", "aktualisiert", "artikel",
        "article", "articles", "mehr", "more", "alle", "all", "posts", "beiträge", "von", "by", "profile", "view",
        "reviewed", "geprüft", "location", "member", "joined", "dept", "team", "redaktion", "staff",
    }
)  # fmt: skip
# The single names of a set of several that become candidates of their own: the first few are the byline's.
MAX_PARTS = 3

FEATURES: tuple[str, ...] = (
    *(f"src_{name.replace(':', '_').replace('-', '_').replace('.', '_')}" for name in SOURCES),
    "only_part",
    "part_of",
    "people",
    "agree",
    "sources",
    "sharing",
    "extends",
    "within",
    "publisher_share",
    "declared",
    "mean_words",
    "max_words",
    "log_chars",
    "lower_share",
    "one_word_share",
    "upper_share",
    "digit_share",
    "other_role_share",
    "filler_share",
    "agency_share",
    "linked_share",
    "printed_share",
    "colon",
    "first_order",
    "candidates",
    "declared_article",
    "rules_pick",
    "rules_empty",
)


@dataclass(slots=True)
class Candidate:
    """One distinct set of names and the sources that give it, whole or as one name of several."""

    people: list[Person]
    raw: int = 0  # bits of the sources that give exactly these names
    part: int = 0  # bits of the sources that give this name among others
    declared: bool = False  # a source declared them people (JSON-LD @type Person)
    order: int = 0

    @property
    def source(self) -> str:
        name = _SOURCES.first(self.raw or self.part)
        return name if self.raw else f"{name} (one name of several)"


def _key(people: list[Person]) -> frozenset[str]:
    return frozenset(" ".join(person.name.split()).casefold() for person in people)


def candidates(meta: Metadata) -> list[Candidate]:
    """Every distinct set of names the page offers, in order of first appearance (most trusted first)."""
    found: dict[frozenset[str], Candidate] = {}
    # The publisher's own name is no candidate unless a source names it as the author: offered on every
    # page, it was the pick wherever nothing else was (measured: a point on trafilatura-eval's pages that
    # credit the publication, at the cost of crediting it on every page that names nobody).
    for source, people, declared in (*meta.author_candidates, *meta.author_extras):
        if not people:
            continue
        bit = _SOURCES.bit(source)
        candidate = found.setdefault(_key(people), Candidate(list(people), order=len(found)))
        candidate.raw |= bit
        candidate.declared = candidate.declared or declared
        if len(people) > 1:
            for person in people[:MAX_PARTS]:
                found.setdefault(_key([person]), Candidate([person], order=len(found))).part |= bit
    return list(found.values())


def feature_rows(found: list[Candidate], meta: Metadata, url: str | None) -> list[list[float]]:
    """The FEATURES of each candidate, judged against all the others and the rules' own pick."""
    publisher = publisher_keys(meta, url)
    keys = [_key(candidate.people) for candidate in found]
    rules_key = _key(meta.authors) if meta.authors else None
    rows = []
    for key, candidate in zip(keys, found, strict=True):
        names = [person.name for person in candidate.people]
        words = [len(name.split()) for name in names]
        count = len(names)
        rows.append(
            [
                *_SOURCES.flags(candidate.raw),
                1.0 if not candidate.raw else 0.0,
                candidate.part.bit_count(),
                count,
                candidate.raw.bit_count(),
                sum(other.raw.bit_count() for other in found),
                sum(1 for other_key, other in zip(keys, found, strict=True) if other.raw and other_key & key),
                sum(1 for other_key, other in zip(keys, found, strict=True) if other.raw and other_key < key),
                sum(1 for other_key, other in zip(keys, found, strict=True) if other.raw and key < other_key),
                sum(1 for name in names if is_publisher(name, publisher)) / count,
                1.0 if candidate.declared else 0.0,
                sum(words) / count,
                max(words),
                math.log1p(max(len(name) for name in names)),
                sum(1 for name in names if not any(ch.isupper() for ch in name)) / count,
                sum(1 for n in words if n == 1) / count,
                sum(1 for name in names if name.isupper()) / count,
                sum(1 for name in names if any(ch.isdigit() for ch in name)) / count,
                sum(1 for person in candidate.people if person.role in OTHER_ROLES) / count,
                sum(1 for name in names if FILLER_WORDS.intersection(name.casefold().split())) / count,
                1.0 if any(":" in name for name in names) else 0.0,
                sum(1 for name in names if agency(name)) / count,
                sum(1 for person in candidate.people if person.url) / count,
                sum(1 for name in names if name.casefold() in meta.byline_window) / count,
                candidate.order,
                len(found),
                1.0 if meta.is_article else 0.0,
                1.0 if rules_key is not None and key == rules_key else 0.0,
                1.0 if rules_key is None else 0.0,
            ]
        )
    return rows


def choose_authors(found: list[Candidate], rows: Any, scorer: Scorer) -> Candidate | None:
    """The candidate the scorer finds most probable (the earliest on a tie), when it reaches the threshold."""
    if not found:
        return None
    probabilities = scorer.predict(rows)
    best = max(range(len(found)), key=lambda index: (probabilities[index], -index))
    return found[best] if probabilities[best] >= scorer.threshold else None
