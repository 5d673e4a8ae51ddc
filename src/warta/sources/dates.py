"""Timestamps in feeds and sitemaps, as timezone-aware datetimes that keep the publisher's offset.

feedparser gives every date as a UTC `struct_time`, which loses the offset an Indonesian outlet states
(`+0700`, WIB) and misreads zone names it does not know. So the raw string is read first, with the
extractor's parser for machine dates (ISO 8601, RFC 822), and feedparser's value is the fallback.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime

from warta.extract.dates import EARLIEST_PLAUSIBLE, parse_machine_date

# Zone names RFC 822 parsers do not know but Indonesian feeds write after the time ("10:00:00 WIB"):
# Western, Central and Eastern Indonesia Time. Without this they would be read as UTC, hours off.
ZONE_ABBREVIATIONS = {"WIB": "+0700", "WITA": "+0800", "WIT": "+0900"}
_TRAILING_ZONE = re.compile(r"\b(" + "|".join(ZONE_ABBREVIATIONS) + r")\s*$", re.IGNORECASE)

# Longer than any date a feed writes ("Wednesday, 06 January 2025 10:00:00 +0700" is 41 characters, plus
# padding): a longer value is no date, and is not handed to the date parsers whole.
MAX_DATE_CHARS = 128


def parse_timestamp(raw: str | None, fallback: time.struct_time | None = None) -> datetime | None:
    """Read a feed or sitemap date; UTC when it states no offset; None when it is no date.

    `fallback` is feedparser's UTC reading of the same value, used when the string itself is not readable.
    """
    stripped = raw.strip() if raw else ""
    if stripped and len(stripped) <= MAX_DATE_CHARS:
        text = _TRAILING_ZONE.sub(lambda match: ZONE_ABBREVIATIONS[match.group(1).upper()], stripped)
        parsed = parse_machine_date(text)
        if parsed is not None and (parsed.has_offset or fallback is None):
            return parsed.value
    if fallback is not None:
        try:
            value = datetime.fromtimestamp(calendar.timegm(fallback), tz=UTC)
        except (ValueError, OverflowError, OSError):  # feedparser passes on years and months out of range
            return None
        # The same floor the extractor applies: epoch zero and "0001-01-01" are placeholders, not dates.
        return value if value >= EARLIEST_PLAUSIBLE else None
    return None
