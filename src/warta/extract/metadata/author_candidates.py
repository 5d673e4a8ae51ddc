"""The rules' choice of authors: each source adds the people it names as a candidate, the first trusted one wins.

`Metadata.author_candidates` holds the sources in order of trust and `choose_authors` keeps the first that
names someone other than the publisher; `Metadata.author_extras` holds the sources that only the learned
chooser weighs (`warta.extract.authors`).
"""

from __future__ import annotations

from warta.extract.metadata.record import Metadata
from warta.extract.people import as_written, people_in
from warta.extract.urls import site_label
from warta.models import Person

# A name whose first word is the publisher's is one of its desks; shorter words are too often a given name.
MIN_PUBLISHER_WORD = 3


def unique_people(people: list[Person]) -> list[Person]:
    """The people, each name once (compared case-folded), in their order."""
    seen: set[str] = set()
    out = []
    for person in people:
        key = person.name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(person)
    return out


def add_as_written(meta: Metadata, source: str, values: list[str] | tuple[str, ...]) -> None:
    """The credits as printed, when reading them for people changes them: desks, publications, agencies
    ("Redaktion", "Staff Writer", "AFP/The Local"), which pages name as the author and people_in drops."""
    written = [Person(name) for value in values for name in as_written(value)]
    parsed = {" ".join(p.name.split()).casefold() for value in values for p in people_in(value)}
    if written and {p.name.casefold() for p in written} != parsed:
        meta.author_extras.append((source, unique_people(written), False))


def publisher_keys(meta: Metadata, url: str | None) -> set[str]:
    """The publisher's names as `is_publisher` compares them: the site name and the domain's label."""
    publisher = {_squash(meta.site_name or ""), site_label(url) or ""}
    publisher.discard("")
    return publisher


def choose_authors(meta: Metadata, url: str | None) -> None:
    """Keep the people of the most trusted source that names a person, not the publisher."""
    publisher = publisher_keys(meta, url)
    fallback: tuple[str, list[Person]] | None = None
    for source, people, declared in meta.author_candidates:
        kept = [p for p in people if not is_publisher(p.name, publisher)]
        if kept:
            meta.authors = kept
            meta.provenance["authors"] = source
            return
        if declared and people and fallback is None:
            fallback = (source, people)
    if fallback is not None:
        # The publisher declared a Person and no source names anyone else: "Rick Steves" on ricksteves.com.
        meta.authors = fallback[1]
        meta.provenance["authors"] = fallback[0]


def is_publisher(name: str, publisher: set[str]) -> bool:
    """The publisher, or one of its desks named after it ("MDR Thüringen", "BR24 Redaktion")."""
    first = _squash(name.split()[0]) if name.split() else ""
    return _squash(name) in publisher or (len(first) >= MIN_PUBLISHER_WORD and first in publisher)


def _squash(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())
