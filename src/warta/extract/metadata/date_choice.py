"""Choose the published and updated dates among the page's witnesses, and the zone their times are in.

`timestamps.reconcile` picks the witness; a time the page gives without an offset, or stamped UTC, is then
placed in the most weighty zone known: the one the page prints, the listing's, the publisher's, or the one
its country or language implies (see `warta.extract.zones`).
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property

from warta.extract.language import primary_subtag, resolve_language
from warta.extract.metadata.record import Metadata
from warta.extract.timestamps import Choice, DateWitness, place_in_zone, reconcile
from warta.extract.zones import (
    COUNTRY_ZONES,
    FROM_LISTING,
    FROM_PAGE,
    FROM_PUBLISHER,
    Zone,
    assumed_zone,
    country_code,
    fixed_zone,
    make_zone,
    utc,
)
from warta.models import DateHints


def choose_dates(meta: Metadata, url: str | None) -> None:
    """Set the published and updated dates from their witnesses, with each one's source and conflicts."""
    zones: _Zones | None = None
    for name, witnesses in (("published", meta.published_witnesses), ("updated", meta.updated_witnesses)):
        choice = reconcile(witnesses)
        if choice is None:
            continue
        if choice.date.has_time and (not choice.date.has_offset or utc(choice.date.value)):
            zones = zones or _Zones(meta, url)
            choice = zones.place(choice, witnesses)
        setattr(meta, name, choice.date)
        meta.provenance[name] = choice.source
        if choice.conflicts:
            meta.provenance[name + "_conflicts"] = "; ".join(choice.conflicts)
    if meta.published is None and meta.updated is not None:
        # A page that only says when it was last updated ("Updated on July 9, 2025") was published then at
        # the latest; readers and indexes take that date as the page's.
        meta.published = meta.updated
        meta.provenance["published"] = meta.provenance["updated"] + " (last update; no publication date given)"
    if meta.published is not None and meta.updated is not None and meta.updated.value < meta.published.value:
        # An "updated" time before publication is a template's or a related article's, not this one's.
        meta.updated = None
        meta.provenance.pop("updated", None)


class _Zones:
    """The zones a page's times may be read in, most weighty first (see `warta.extract.zones`)."""

    def __init__(self, meta: Metadata, url: str | None) -> None:
        self.page = _page_zone(meta)
        hints = meta.hints or DateHints()
        listed = hints.listed.utcoffset() if hints.listed is not None and hints.listed.tzinfo is not None else None
        self.listing = fixed_zone(listed, FROM_LISTING, hints.listed_by or "") if listed else None
        self.publisher = make_zone(hints.zone, FROM_PUBLISHER)
        self._meta, self._url = meta, url

    @cached_property
    def assumed(self) -> Zone | None:
        # Only worked out when no better zone is known: naming the language may run the detector.
        return assumed_zone(self._url, _language(self._meta, self._url))

    def place(self, choice: Choice, witnesses: list[DateWitness]) -> Choice:
        if not choice.date.has_offset and self.page is not None:
            # A time without a zone on a page that prints its zone: the page's, whatever else is known.
            return place_in_zone(choice, _by_trust(witnesses), self.page, self.page)
        home = self.listing or self.publisher or self.assumed
        return place_in_zone(choice, _by_trust(witnesses), self.page or home, home)


def _page_zone(meta: Metadata) -> Zone | None:
    """The offset the page prints beside its times or declares on its dates, the most frequent one."""
    counts = Counter(meta.printed_zones)
    for witness in (*meta.published_witnesses, *meta.updated_witnesses):
        parsed = witness.date
        if parsed.has_time and parsed.has_offset and not utc(parsed.value) and witness.kind != "listing":
            offset = parsed.value.utcoffset()
            if offset is not None:
                counts[offset] += 1
    if not counts:
        return None
    offset, _count = counts.most_common(1)[0]
    return fixed_zone(offset, FROM_PAGE)


def _language(meta: Metadata, url: str | None) -> str | None:
    declared = primary_subtag(meta.language)
    if country_code(url) in COUNTRY_ZONES or (declared is not None and declared != "en"):
        return declared  # the domain decides first; a declared language other than English is rarely wrong
    # No declaration, or "en", the default many themes leave on Indonesian pages (kompas.com's of 2016):
    # checked against the text, as for the article's language.
    return resolve_language(meta.language, meta.text_sample)[0] if meta.text_sample else declared


def _by_trust(witnesses: list[DateWitness]) -> list[DateWitness]:
    return sorted(witnesses, key=lambda witness: witness.trust)
