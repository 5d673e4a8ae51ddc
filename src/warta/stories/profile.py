"""What story assignment knows of one report: its embedding, when it happened, and the names and numbers
that tell one happening from another of the same kind.

An embedding places a report by its topic: an eruption of Semeru, a Bank Indonesia rate decision. Two
eruptions of Semeru a year apart, or two rate decisions, are close in it. What tells them apart is written
in the text: the day (the publication day, or a day the text names), the figures (a rate of 3.75 is not
4.75), and the names (Spain is not Portugal).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from warta.extract.datelines import days_named

# The lead the embedding reads: news states its happening in its opening.
LEAD_CHARS = 700
# Numbers: decimals written either way ("3,75" in Indonesian, "3.75" in English) are one figure; thousands
# groups ("14.000") are the whole number. Numbers of one digit and bare years say little.
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20[0-3]\d)(?!\d)")
# Names: words that start with a capital letter inside a sentence (the first word of a sentence is
# capitalised anyway). Weekdays, months and the commonest wire and desk names are capitalised without naming
# the happening.
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
NOT_NAMES = frozenset(
    (
        "the", "this", "that", "and", "for", "but", "with", "from", "after", "before", "about", "into", "over", "his",
        "her", "their", "its", "our", "they", "she", "has", "have", "was", "were", "will", "says", "said", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "senin", "selasa", "rabu", "kamis",
        "jumat", "sabtu", "minggu", "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "januari", "februari", "maret", "mei", "juni", "juli",
        "agustus", "oktober", "desember", "jakarta", "reuters", "antara", "afp", "ap",
    )
)  # fmt: skip
MIN_NAME_CHARS = 3


@dataclass(frozen=True, slots=True)
class Report:
    """One article as story assignment reads it: any field may be missing but `id`."""

    id: str
    title: str | None = None
    text: str | None = None
    language: str | None = None
    published: date | datetime | None = None
    url: str | None = None

    @property
    def lead(self) -> str:
        return " ".join(part for part in (self.title, (self.text or "")[:LEAD_CHARS]) if part)


@dataclass(frozen=True, slots=True)
class Profile:
    """A report with what is read from it. `day` is a day the report is known to be about: its publication
    day, else the latest day its text names. `year` is the latest year the text names, a weaker clue when
    there is no day."""

    report: Report
    embedding: np.ndarray
    day: date | None
    year: int | None
    numbers: frozenset[str]
    names: frozenset[str]

    @property
    def decimals(self) -> frozenset[str]:
        return frozenset(number for number in self.numbers if "." in number)


def numbers_in(text: str) -> frozenset[str]:
    out = set()
    for raw in _NUMBER.findall(text):
        if _YEAR.fullmatch(raw):
            continue
        value = re.sub(r"[.,]", "", raw) if _THOUSANDS.fullmatch(raw) and len(raw) > 5 else raw.replace(",", ".")
        if len(value.replace(".", "")) >= 2 or "." in value:
            out.add(sys.intern(value))
    return frozenset(out)


def names_in(text: str) -> frozenset[str]:
    out = set()
    for sentence in _SENTENCE.split(text):
        for i, match in enumerate(_WORD.finditer(sentence)):
            word = match.group()
            if i == 0 or not word[0].isupper():
                continue
            key = word.casefold().strip("'’-")
            if len(key) >= MIN_NAME_CHARS and key not in NOT_NAMES:
                # Interned: the reports of a story name the same people and places, and an index holds many.
                out.add(sys.intern(key))
    return frozenset(out)


def profile(report: Report, embedding: np.ndarray) -> Profile:
    """Read `report` (with the embedding of its `lead`) into a `Profile`."""
    text = ". ".join(part for part in (report.title, report.text) if part)
    named = days_named(text, report.language)
    published = report.published.date() if isinstance(report.published, datetime) else report.published
    day = published or (max(named) if named else None)
    years = [int(year) for year in _YEAR.findall(text)]
    return Profile(
        report=report,
        embedding=embedding,
        day=day,
        year=max(years) if years else None,
        numbers=numbers_in(text),
        names=names_in(text),
    )
