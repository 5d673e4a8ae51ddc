"""Choose an article's published and updated times from every witness the page offers.

A page states its dates several times: JSON-LD, meta tags, microdata, `<time>` elements, the visible dateline,
the URL. They disagree more often than one would hope: a CMS stamps a template date into microdata (the
okezone page in id-news says 2014 there and 2020 everywhere else), a dateline is printed without its zone,
a meta tag gives the instant in UTC where the reader sees WIB. So each witness is kept with its source and
trust, and the choice is made by agreement: the most trusted witness that some other kind of witness backs
up, completed with the time of day and the offset other witnesses on the same day can supply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from warta.extract.dates import ParsedDate
from warta.extract.zones import FROM_LISTING, FROM_PAGE, FROM_PUBLISHER, Zone, utc

# Trust per kind of source, most trusted first: what the publisher declares for machines, then what it prints
# for readers, then the date the feed or sitemap that led to the page gave it (the time an item entered the
# feed, which can trail publication), then the URL, which gives at most a day.
SOURCE_TRUST: tuple[str, ...] = ("json-ld", "meta", "microdata", "time", "dateline", "listing", "url")

# Two witnesses agree when their calendar days are at most this far apart: a UTC instant and a local
# dateline for the same moment can fall on neighbouring days.
AGREEMENT = timedelta(days=1)

# Disagreeing witnesses of these kinds are worth reporting; a dateline that disagrees is usually a related
# article's, and listing those would say nothing.
REPORTED_KINDS = frozenset({"json-ld", "meta", "microdata", "time", "listing", "url"})

# A witness decides whether a declared UTC time is UTC or a mislabelled local time when one reading lies
# this close to it (a page prints its time to the minute; a feed stamps an item minutes after publication)
# and closer than half the distance between the two readings.
DECISIVE_DISTANCE = timedelta(minutes=60)


@dataclass(frozen=True, slots=True)
class DateWitness:
    """One source's statement of a date: `source` as provenance ("meta:article:published_time")."""

    source: str
    date: ParsedDate

    @property
    def kind(self) -> str:
        return self.source.split(":", 1)[0]

    @property
    def trust(self) -> int:
        return SOURCE_TRUST.index(self.kind) if self.kind in SOURCE_TRUST else len(SOURCE_TRUST)


@dataclass(frozen=True, slots=True)
class Choice:
    """The chosen date, where it came from, and the trusted witnesses that said otherwise."""

    date: ParsedDate
    source: str
    conflicts: tuple[str, ...] = ()


def reconcile(witnesses: list[DateWitness]) -> Choice | None:
    """Choose among `witnesses` (in page order); None when there are none."""
    if not witnesses:
        return None
    ordered = sorted(witnesses, key=lambda witness: witness.trust)  # stable: page order within a kind
    support = [_support(witness, ordered) for witness in ordered]
    chosen = ordered[0]
    if support[0] == 0:
        # The most trusted witness stands alone; a less trusted one that another kind of source confirms wins.
        chosen = next((witness for witness, backers in zip(ordered, support, strict=True) if backers), chosen)
    conflicts = tuple(
        f"{witness.source} {witness.date.value.date().isoformat()}"
        for witness in ordered
        if witness.kind in REPORTED_KINDS and not _agree(witness, chosen)
    )
    parsed, source = _complete(chosen, [w for w in ordered if w is not chosen and _agree(w, chosen)])
    return Choice(parsed, source, conflicts)


def _day(witness: DateWitness) -> date:
    return witness.date.value.date()


def _agree(first: DateWitness, second: DateWitness) -> bool:
    return abs(_day(first) - _day(second)) <= AGREEMENT


def _support(witness: DateWitness, witnesses: list[DateWitness]) -> int:
    return sum(1 for other in witnesses if other.kind != witness.kind and _agree(witness, other))


def _complete(chosen: DateWitness, same_day: list[DateWitness]) -> tuple[ParsedDate, str]:
    """Add the time of day or the offset that `chosen` lacks, when witnesses of the same day supply it."""
    parsed, source = chosen.date, chosen.source
    if not parsed.has_time:
        timed = _time_for(chosen, same_day)
        if timed is not None:
            return timed.date, f"{source} (time from {timed.source})"
        return parsed, source
    if not parsed.has_offset:
        # A wall-clock time without a zone: a witness printing the same minute with its zone gives the offset.
        # A declared offset, even UTC where readers see local time, is kept as the publisher declared it.
        minute = _minute(parsed.value)
        for witness in same_day:
            if witness.date.has_offset and witness.date.has_time and _minute(witness.date.value) == minute:
                value = parsed.value.replace(tzinfo=witness.date.value.tzinfo)
                return ParsedDate(value, True, True), f"{source} (offset from {witness.source})"
    return parsed, source


def _time_for(chosen: DateWitness, same_day: list[DateWitness]) -> DateWitness | None:
    """A witness of exactly `chosen`'s day with a time: a declared one, or the one time all datelines agree on."""
    timed = [w for w in same_day if w.date.has_time and _day(w) == _day(chosen)]
    declared = [w for w in timed if w.kind not in ("dateline", "listing")]
    if declared:
        return declared[0]
    # Datelines of related articles can share the day; only a time they all print is the article's.
    printed = [w for w in timed if w.kind == "dateline"]
    if printed and len({_minute(w.date.value) for w in printed}) == 1:
        return printed[0]
    # The feed's time last: an item enters the feed when it is published or a little after.
    return next((w for w in timed if w.kind == "listing"), None)


def _minute(value: datetime) -> tuple[int, int, int, int, int]:
    return value.year, value.month, value.day, value.hour, value.minute


def place_in_zone(choice: Choice, witnesses: list[DateWitness], zone: Zone | None, home: Zone | None) -> Choice:
    """Give the chosen time the offset of the zone it was written in, when it lacks one or misstates it.

    `zone` is the most weighty zone known for the page (printed on it first); `home` the one believed of the
    publisher without the page's print (the listing's offset, the publisher's learned zone, its country's).

    A wall-clock time without an offset takes `zone`'s. A time declared in UTC ("Z", "+00:00") is either UTC
    or a local time a CMS stamped "Z"; the other witnesses decide:

    - one showing the same wall-clock minute in local time makes it local (`"…T10:08:58Z"` beside
      "10:08 WIB", a feed's "10:08 +0700", or a dateline's bare "10:08": readers are shown local time; a
      `<time>` rendered in UTC by its server was already read as UTC, see
      `metadata.date_witnesses._in_own_offset`);
    - one for the same instant makes it UTC; when a dateline or feed shows it in the publisher's own zone,
      it is written in that offset, as readers see it ("14:34:19+00:00" beside "21:34 WIB").

    With no decisive witness it is read as a local time when the page prints its times in the zone `home`
    also gives (the page shows readers WIB, and a "Z" that nothing confirms is the CMS's), else kept.
    """
    parsed, source = choice.date, choice.source
    if zone is None or not parsed.has_time:
        return choice
    value = parsed.value
    if not parsed.has_offset:
        placed = ParsedDate(zone.localize(value), True, True)
        return Choice(placed, f"{source} ({zone.describe()})", choice.conflicts)
    if not utc(value):
        return choice
    local = zone.localize(value)  # the "Z" read as a local wall-clock time
    gap = abs(value - local)
    if gap == timedelta(0):
        return choice  # the zone is on UTC at that date: both readings agree
    for witness in witnesses:
        reading = _decide(witness, value, local, gap, zone)
        if reading == UTC_READING:
            if home is None or not (_shows_offset(witness, home, value) or home.source in CRAWL_SOURCES):
                return Choice(parsed, f"{source} (UTC, as {witness.source} confirms)", choice.conflicts)
            placed = ParsedDate(home.express(value), True, True)
            note = f"declared UTC, written in the publisher's offset as {witness.source} confirms; {home.describe()}"
            return Choice(placed, f"{source} ({note})", choice.conflicts)
        if reading == LOCAL_READING:
            if witness.date.has_offset:
                local = value.replace(tzinfo=witness.date.value.tzinfo)
            note = f"declared UTC but a local time, as {witness.source} shows it; {zone.describe()}"
            return Choice(ParsedDate(local, True, True), f"{source} ({note})", choice.conflicts)
    if zone.source == FROM_PAGE and home is not None and home.offset_at(value) == zone.offset_at(value):
        note = f"declared UTC but the page prints local times; {zone.describe()}"
        return Choice(ParsedDate(local, True, True), f"{source} ({note})", choice.conflicts)
    return choice


UTC_READING, LOCAL_READING = "utc", "local"
# Zones a crawl supplies: the publisher's own statement of its offset, so its instants are written in it.
CRAWL_SOURCES = frozenset({FROM_LISTING, FROM_PUBLISHER})


def _shows_offset(witness: DateWitness, home: Zone, moment: datetime) -> bool:
    """The witness shows readers (a dateline's "21:34 WIB") or subscribers (a feed's "+0700") the publisher's
    offset for `moment`.

    Only then, or when the crawl learned the publisher's zone, is a UTC instant rewritten in that offset.
    Where the page merely declares both (JSON-LD in UTC, `<time datetime>` with "+02:00") or prints a wall
    clock without a zone, the publisher's first declaration is kept as it is: that is the value other tools
    and the reference data (fundus) report.
    """
    shown = witness.date.value.utcoffset() if witness.date.has_offset else None
    return witness.kind in ("dateline", "listing") and shown == home.offset_at(moment)


def _decide(witness: DateWitness, declared: datetime, local: datetime, gap: timedelta, zone: Zone) -> str | None:
    """Which reading of a "Z" time `witness` confirms: UTC_READING, LOCAL_READING, or None for neither."""
    other = witness.date
    if not other.has_time or (other.has_offset and utc(other.value)):
        return None  # another UTC statement repeats the question
    if other.has_offset:
        distances = (abs(other.value - declared), abs(other.value - local))
    else:
        # A wall-clock time without a zone: compare it with the wall clocks both readings show locally.
        wall = other.value.replace(tzinfo=None)
        distances = (
            abs(wall - zone.express(declared).replace(tzinfo=None)),
            abs(wall - local.replace(tzinfo=None)),
        )
    closest = min(distances)
    if closest > DECISIVE_DISTANCE or closest * 2 >= gap or distances[0] == distances[1]:
        return None
    return UTC_READING if distances[0] < distances[1] else LOCAL_READING
