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

# Trust per kind of source, most trusted first: what the publisher declares for machines, then what it prints
# for readers, then the URL, which gives at most a day.
SOURCE_TRUST: tuple[str, ...] = ("json-ld", "meta", "microdata", "time", "dateline", "url")

# Two witnesses agree when their calendar days are at most this far apart: a UTC instant and a local
# dateline for the same moment can fall on neighbouring days.
AGREEMENT = timedelta(days=1)

# Disagreeing witnesses of these kinds are worth reporting; a dateline that disagrees is usually a related
# article's, and listing those would say nothing.
REPORTED_KINDS = frozenset({"json-ld", "meta", "microdata", "time", "url"})


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
    declared = [w for w in timed if w.kind != "dateline"]
    if declared:
        return declared[0]
    # Datelines of related articles can share the day; only a time they all print is the article's.
    if timed and len({_minute(w.date.value) for w in timed}) == 1:
        return timed[0]
    return None


def _minute(value: datetime) -> tuple[int, int, int, int, int]:
    return value.year, value.month, value.day, value.hour, value.minute
