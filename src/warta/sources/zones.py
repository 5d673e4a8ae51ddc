"""Learn a publisher's time zone from the dates its feeds and sitemaps write.

A feed's `pubDate` ("Thu, 05 Nov 2015 11:52:00 +0700") and a Google News sitemap's publication date carry the
offset the publisher lives in. Seen over a listing's entries, they name its zone: the IANA zone of the site's
country when that zone gives every offset seen (summer and winter times included), else the one fixed offset
they all share. UTC offsets are no evidence: a CMS on UTC and a publisher in London write the same "Z".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from warta.extract.language import primary_subtag
from warta.extract.zones import COUNTRY_ZONES, LANGUAGE_ZONES, country_code, load_zone, offset_name
from warta.models import Link, Listing

# Dated entries a listing needs before its offsets name a zone, and the share of them one zone must explain:
# a feed that mixes in an agency's items written in another offset is still its publisher's.
MIN_DATED_ENTRIES = 3
MIN_AGREEMENT = 0.8


@dataclass(frozen=True, slots=True)
class LearnedZone:
    """A publisher's zone (an IANA name or a fixed "+07:00") and the kind of listing that showed it."""

    name: str
    source: str


def listing_zone(listing: Listing, url: str) -> LearnedZone | None:
    """The zone the dates of `listing` (found at `url`) show, or None when they show none clearly."""
    moments = [moment for link in listing.links for moment in _dates(link)]
    local = [moment for moment in moments if moment.utcoffset() not in (None, timedelta(0))]
    if len(local) < MIN_DATED_ENTRIES or len(local) < MIN_AGREEMENT * len(moments):
        return None
    for name in _candidates(listing, url):
        zone = load_zone(name)
        if zone is not None and all(moment.astimezone(zone).utcoffset() == moment.utcoffset() for moment in local):
            return LearnedZone(name, listing.kind)
    offsets = Counter(moment.utcoffset() for moment in local)
    offset, count = offsets.most_common(1)[0]
    if offset is None or count < MIN_AGREEMENT * len(local):
        return None
    return LearnedZone(offset_name(offset), listing.kind)


def page_zone(published: datetime | None, provenance: str) -> str | None:
    """The fixed offset an article's page stated for itself, when it stated one and it is not UTC.

    Offsets Warta assumed or took from the crawl's own hints say nothing new about the publisher.
    """
    if published is None or "zone assumed" in provenance or "zone from the" in provenance:
        return None
    offset = published.utcoffset()
    return offset_name(offset) if offset not in (None, timedelta(0)) else None


def _dates(link: Link) -> list[datetime]:
    return [moment for moment in (link.published, link.modified) if moment is not None]


def _candidates(listing: Listing, url: str) -> list[str]:
    names = []
    country = country_code(listing.site_url or url)
    if country in COUNTRY_ZONES:
        names.append(COUNTRY_ZONES[country])
    languages = {primary_subtag(link.language) for link in listing.links if link.language}
    names += [LANGUAGE_ZONES[language] for language in sorted(filter(None, languages)) if language in LANGUAGE_ZONES]
    return names
