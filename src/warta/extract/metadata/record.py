"""The record a page's declared fields are gathered into, and the normal form of the values put in it.

Every reader of the package fills one `Metadata`; `Metadata.set` keeps the first value a field gets, so the
order in which `read_metadata` calls the readers is the order of trust.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from warta.extract.dates import ParsedDate
from warta.extract.timestamps import DateWitness
from warta.models import Access, DateHints, Person

# Fields that name something short; a declared value longer than this is a CMS filling in the wrong text.
SHORT_FIELDS: dict[str, int] = {"section": 100, "site_name": 200, "language": 35}

_WS = re.compile(r"\s+")


def clean(value: object) -> str | None:
    """The string with its whitespace collapsed, or None when it is empty or no string."""
    if not isinstance(value, str):
        return None
    text = _WS.sub(" ", value).strip()
    return text or None


def keywords(value: Any) -> list[str]:
    """The tags of a declared keywords value: a comma-separated string or a list of strings."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = [v for v in value if isinstance(v, str)]
    else:
        return []
    out: list[str] = []
    for raw in items:
        tag = clean(raw)
        if tag and tag not in out:
            out.append(tag)
    return out


@dataclass(slots=True)
class Metadata:
    """What the page declares about itself, with the source of each field."""

    title: str | None = None
    title_candidates: list[tuple[str, str]] = field(default_factory=list)
    h1: str | None = None
    # The first headings of the page as (tag and rank, text), "h1#0" first: title candidates for the
    # title scorer (see titles.py), read before pruning since headers and heroes hold many headlines.
    headings: list[tuple[str, str]] = field(default_factory=list)
    authors: list[Person] = field(default_factory=list)
    # People as each source names them, most trusted first; `choose_authors` keeps the first that names a
    # person. The flag says the source declared them people (JSON-LD @type Person).
    author_candidates: list[tuple[str, list[Person], bool]] = field(default_factory=list)
    # More sources of names that only the learned chooser weighs (authors.py): forum usernames, organisation
    # authors, the meta tags after the first. Too often wrong for the rules' first-wins order, and often
    # right where the rules find nothing.
    author_extras: list[tuple[str, list[Person], bool]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    published: ParsedDate | None = None
    updated: ParsedDate | None = None
    # Every statement of the dates the page makes, chosen among by timestamps.reconcile.
    published_witnesses: list[DateWitness] = field(default_factory=list)
    updated_witnesses: list[DateWitness] = field(default_factory=list)
    # What the crawl knew of the dates before the page was read (see DateHints), and the zones the page
    # prints beside its times: the evidence `zones` weighs to read times without an offset or stamped "Z".
    hints: DateHints | None = None
    printed_zones: Counter[timedelta] = field(default_factory=Counter)
    # The start of the visible text, for naming the language when the page declares none.
    text_sample: str = ""
    # The short lines of visible text around the headline, case-folded: where a reader sees the byline, so
    # the author chooser asks whether a candidate's names are printed there.
    byline_window: str = ""
    site_name: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    article_body: str | None = None
    access: Access = Access.UNKNOWN
    is_article: bool = False
    # Every type the page gives itself: JSON-LD @type values and og:type, lower-cased.
    declared_types: set[str] = field(default_factory=set)
    provenance: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value: Any, source: str) -> None:
        """Set a field unless an earlier, more trusted source already did."""
        if value in (None, "", []) or name in self.provenance:
            return
        if name in SHORT_FIELDS and isinstance(value, str) and len(value) > SHORT_FIELDS[name]:
            return  # a CMS that fills the section with the standfirst: not a section, try the next source
        setattr(self, name, value)
        self.provenance[name] = source
