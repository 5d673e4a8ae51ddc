"""Parse the machine-readable dates pages declare (JSON-LD, meta tags, `<time datetime>`).

This module reads structured values: ISO 8601 and its common relaxations, compact ``YYYYMMDD`` stamps, epoch
seconds, and RFC 2822 as feeds and some CMSs write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

# Dates before this are placeholders or parsing accidents (epoch zero, "0001-01-01").
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)

# "2024-05-03 15:47:42.389 +0200", "2024-05-03T15:47:42+02", "2024-05-03T15:47Z", "2024/05/03".
_ISO_LIKE = re.compile(
    r"""^\s*(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})
        (?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?
        \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*(Z)?\s*$")
_EPOCH = re.compile(r"^\s*(\d{10})(?:\d{3})?\s*$")
# JavaScript's Date.toString(), which React pages render into `datetime` attributes:
# "Fri Apr 28 2023 17:52:31 GMT+0000 (Coordinated Universal Time)".
_JS_DATE = re.compile(
    r"^\s*[A-Za-z]{3},?\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+GMT([+-]\d{4})(?:\s+\(.*\))?\s*$"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date, saying how much of it the source really gave.

    A value without a declared offset is stored as UTC with ``has_offset`` False, so callers can prefer a
    source that states its offset.
    """

    value: datetime
    has_time: bool
    has_offset: bool


def parse_machine_date(raw: str | None, now: datetime | None = None) -> ParsedDate | None:
    """Parse a structured date string; None when it is not one or is implausible.

    >>> parse_machine_date("2022-01-20T06:53:00+07:00").value.isoformat()
    '2022-01-20T06:53:00+07:00'
    """
    if not raw:
        return None
    text = raw.strip()
    if not text or len(text) > 96:
        return None
    parsed = (
        _parse_iso_like(text)
        or _parse_compact(text)
        or _parse_epoch(text)
        or _parse_js_date(text)
        or _parse_rfc2822(text)
    )
    if parsed is None:
        return None
    latest = (now or datetime.now(UTC)) + timedelta(days=2)
    if not EARLIEST_PLAUSIBLE <= parsed.value <= latest:
        return None
    return parsed


def _offset(tz: str | None) -> timezone | None:
    if tz is None:
        return None
    upper = tz.upper()
    if upper in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    if hours > 14 or minutes >= 60:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(
    year: int, month: int, day: int, hour: int, minute: int, second: int, micro: int, tz: timezone | None
) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz or UTC)
    except ValueError:
        return None


def _parse_iso_like(text: str) -> ParsedDate | None:
    match = _ISO_LIKE.match(text)
    if not match:
        return None
    tz = _offset(match["tz"])
    if match["tz"] and tz is None:
        return None
    fraction = (match["f"] or "0")[:6].ljust(6, "0")
    value = _build(
        int(match["y"]),
        int(match["m"]),
        int(match["d"]),
        int(match["H"] or 0),
        int(match["M"] or 0),
        int(match["S"] or 0),
        int(fraction),
        tz,
    )
    if value is None:
        return None
    return ParsedDate(value, has_time=match["H"] is not None, has_offset=tz is not None)


def _parse_compact(text: str) -> ParsedDate | None:
    match = _COMPACT.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, zulu = match.groups()
    tz = UTC if zulu else None
    value = _build(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), 0, tz)
    if value is None:
        return None
    return ParsedDate(value, has_time=hour is not None, has_offset=tz is not None)


def _parse_epoch(text: str) -> ParsedDate | None:
    match = _EPOCH.match(text)
    if not match:
        return None
    return ParsedDate(datetime.fromtimestamp(int(match.group(1)), tz=UTC), has_time=True, has_offset=True)


def _parse_js_date(text: str) -> ParsedDate | None:
    match = _JS_DATE.match(text)
    if not match or match[1].lower() not in _MONTHS:
        return None
    month = _MONTHS.index(match[1].lower()) + 1
    tz = _offset(match[7])
    if tz is None:
        return None
    value = _build(int(match[3]), month, int(match[2]), int(match[4]), int(match[5]), int(match[6]), 0, tz)
    return ParsedDate(value, has_time=True, has_offset=True) if value is not None else None


def _parse_rfc2822(text: str) -> ParsedDate | None:
    if not re.search(r"[A-Za-z]{3}", text):
        return None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value.tzinfo is None:
        return ParsedDate(value.replace(tzinfo=UTC), has_time=True, has_offset=False)
    return ParsedDate(value, has_time=True, has_offset=True)
