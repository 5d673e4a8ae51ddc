"""The time zone a page's dates are read in: printed on the page, known of its publisher, or assumed.

Pages print local wall-clock times and often leave the zone out ("Kamis, 05 November 2015 11:52"), or
declare a local time as UTC (`"datePublished": "2015-11-05T10:08:58Z"` on a page that prints "10:08 WIB").
Reading such a time needs the zone its publisher lives in. In order of weight:

1. the page: zone abbreviations and offsets printed beside its times ("14:56 WIB", "+07:00");
2. the listing that led to the page: a feed's `pubDate` (`+0700`) or a Google News sitemap's date;
3. the publisher: the zone a crawl learned from its feeds, sitemaps and datelines (`warta.sources.zones`);
4. an assumption: the zone of a country that keeps one civil time, by the site's country-code domain and
   then by the page's language. The provenance says so.

The tables below are the data of step 4, each with the reason it is sound. Zones are IANA names read with
the standard library's `zoneinfo` (the `tzdata` package supplies them where the system has none), so a
country with daylight saving time gets the right offset for the date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from warta.extract.urls import site_host

# Country-code domains of countries whose news is written in one civil time, with its IANA zone. Left out
# on purpose: countries that span several zones in daily life (.us, .ca, .ru, .br, .mx, .au, .kz, .cd),
# since a wrong assumed zone is worse than the UTC reading the provenance flags. Kept despite a second zone
# that is small in news: .id (WITA and WIT print their zone; Jakarta and Java are WIB), .es (Canary
# Islands), .pt (Azores), .cl (Easter Island), .nz (Chatham), .dk (Faroe, Greenland have their own domains).
COUNTRY_ZONES: dict[str, str] = {
    # Asia and the Pacific
    "id": "Asia/Jakarta", "my": "Asia/Kuala_Lumpur", "sg": "Asia/Singapore", "bn": "Asia/Brunei",
    "ph": "Asia/Manila", "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh", "kh": "Asia/Phnom_Penh",
    "la": "Asia/Vientiane", "mm": "Asia/Yangon", "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "cn": "Asia/Shanghai",
    "hk": "Asia/Hong_Kong", "mo": "Asia/Macau", "tw": "Asia/Taipei", "in": "Asia/Kolkata", "pk": "Asia/Karachi",
    "bd": "Asia/Dhaka", "lk": "Asia/Colombo", "np": "Asia/Kathmandu", "nz": "Pacific/Auckland",
    # Middle East
    "il": "Asia/Jerusalem", "lb": "Asia/Beirut", "jo": "Asia/Amman", "ae": "Asia/Dubai", "qa": "Asia/Qatar",
    "sa": "Asia/Riyadh", "ir": "Asia/Tehran", "tr": "Europe/Istanbul",
    # Europe (the EU's shared daylight-saving rules since 1996 make each of these exact)
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "li": "Europe/Vaduz",
    "lu": "Europe/Luxembourg", "nl": "Europe/Amsterdam", "be": "Europe/Brussels", "fr": "Europe/Paris",
    "it": "Europe/Rome", "es": "Europe/Madrid", "pt": "Europe/Lisbon", "uk": "Europe/London", "ie": "Europe/Dublin",
    "dk": "Europe/Copenhagen", "no": "Europe/Oslo", "se": "Europe/Stockholm", "fi": "Europe/Helsinki",
    "is": "Atlantic/Reykjavik", "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest", "si": "Europe/Ljubljana", "hr": "Europe/Zagreb", "rs": "Europe/Belgrade",
    "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "gr": "Europe/Athens", "cy": "Asia/Nicosia",
    "ee": "Europe/Tallinn", "lv": "Europe/Riga", "lt": "Europe/Vilnius", "ua": "Europe/Kyiv",
    # Africa and the Americas
    "za": "Africa/Johannesburg", "na": "Africa/Windhoek", "ls": "Africa/Maseru", "ng": "Africa/Lagos",
    "ke": "Africa/Nairobi", "tz": "Africa/Dar_es_Salaam", "ug": "Africa/Kampala", "gh": "Africa/Accra",
    "eg": "Africa/Cairo", "ma": "Africa/Casablanca", "ar": "America/Argentina/Buenos_Aires",
    "cl": "America/Santiago", "co": "America/Bogota", "pe": "America/Lima", "ve": "America/Caracas",
    "py": "America/Asuncion", "uy": "America/Montevideo",
}  # fmt: skip

# Languages written for readers in one civil time, by their primary subtag. A language spoken across zones
# (en, es, fr, pt, ar, ru, zh, ms beyond Malaysia's +08:00 neighbours...) is not here: its pages get a zone
# from their domain or none. German is here because Germany, Austria, Switzerland, Liechtenstein and
# Luxembourg keep one time; Dutch because the Netherlands and Flanders do; Indonesian takes WIB, the zone of
# Jakarta and of most readers (a page from Bali or Papua prints WITA or WIT, which step 1 reads first).
LANGUAGE_ZONES: dict[str, str] = {
    "id": "Asia/Jakarta", "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "vi": "Asia/Ho_Chi_Minh", "th": "Asia/Bangkok",
    "tl": "Asia/Manila", "fil": "Asia/Manila", "hi": "Asia/Kolkata", "he": "Asia/Jerusalem", "tr": "Europe/Istanbul",
    "de": "Europe/Berlin", "nl": "Europe/Amsterdam", "it": "Europe/Rome", "pl": "Europe/Warsaw",
    "cs": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest", "sl": "Europe/Ljubljana",
    "hr": "Europe/Zagreb", "da": "Europe/Copenhagen", "no": "Europe/Oslo", "nb": "Europe/Oslo",
    "nn": "Europe/Oslo", "sv": "Europe/Stockholm", "fi": "Europe/Helsinki", "et": "Europe/Tallinn",
    "lv": "Europe/Riga", "lt": "Europe/Vilnius", "el": "Europe/Athens", "bg": "Europe/Sofia", "ro": "Europe/Bucharest",
    "is": "Atlantic/Reykjavik",
}  # fmt: skip

# Domains that say nothing of a country: their pages are placed by language alone.
GENERIC_SUFFIXES = frozenset({"com", "net", "org", "info", "news", "biz", "media", "online", "site", "co", "io", "tv"})

# Zone abbreviations printed after a time that name one country's civil time, with their offset in hours:
# the "zone evidence on the page" of step 1. Ambiguous ones (IST, CST, BST) and the generic UTC/GMT are
# left out: they cannot place a publisher.
PRINTED_ZONES: dict[str, float] = {
    "wib": 7, "wita": 8, "wit": 9, "jst": 9, "kst": 9, "sgt": 8, "myt": 8, "pht": 8, "hkt": 8, "ict": 7,
    "cet": 1, "mez": 1, "cest": 2, "mesz": 2, "eet": 2, "eest": 3, "msk": 3,
    "est": -5, "edt": -4, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
}  # fmt: skip
# The minutes of a time and the zone after them; the hour before is checked by hand (`printed_offsets`): a
# pattern that opens with the hour's digits is tried at every digit of the page, and unbounded spaces after
# the minutes at every run of blank lines: each cost some twenty times more.
_PRINTED_ZONE = re.compile(
    r"[:.][0-5]\d(?:[:.][0-5]\d)?\s{0,3}(?:uhr\s{0,3})?\(?\s{0,2}(" + "|".join(PRINTED_ZONES) + r")\b", re.IGNORECASE
)
# The printed zones are counted over this much of the page's text: the header, the article and its
# neighbours' datelines, not the whole of a long page.
MAX_ZONE_SCAN_CHARS = 50_000
# ... on lines no longer than a dateline.
MAX_ZONE_LINE_CHARS = 100

# Where a zone came from, as provenance words.
FROM_PAGE = "page"
FROM_LISTING = "listing"
FROM_PUBLISHER = "publisher"
ASSUMED = "assumed"


@dataclass(frozen=True, slots=True)
class Zone:
    """A time zone to read wall-clock times in, with where it came from.

    `name` is an IANA name ("Asia/Jakarta") or a fixed offset ("+07:00"); `source` is FROM_PAGE,
    FROM_LISTING, FROM_PUBLISHER or ASSUMED; `reason` says more ("language id", ".id", "rss").
    """

    name: str
    tz: tzinfo
    source: str
    reason: str = ""

    def offset_at(self, wall: datetime) -> timedelta:
        """The zone's offset for a wall-clock time (the earlier reading of an hour that repeats)."""
        offset = wall.replace(tzinfo=self.tz, fold=0).utcoffset()
        return offset if offset is not None else timedelta(0)

    def localize(self, wall: datetime) -> datetime:
        """The wall-clock time of `wall` (its own offset ignored) in this zone, with a fixed offset."""
        naive = wall.replace(tzinfo=None)
        return naive.replace(tzinfo=timezone(self.offset_at(naive)))

    def express(self, moment: datetime) -> datetime:
        """The instant `moment` written in this zone's offset (same instant, local wall clock)."""
        local = moment.astimezone(self.tz)
        offset = local.utcoffset() or timedelta(0)
        return moment.astimezone(timezone(offset))

    def describe(self) -> str:
        """Provenance words: "zone from the page: +07:00", "zone assumed: Asia/Jakarta (language id)"."""
        reason = f" ({self.reason})" if self.reason else ""
        if self.source == ASSUMED:
            return f"zone assumed: {self.name}{reason}"
        return f"zone from the {self.source}: {self.name}{reason}"


def offset_name(offset: timedelta) -> str:
    """ "+07:00" for seven hours east of UTC."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


_OFFSET_NAME = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?$", re.IGNORECASE)


@lru_cache(maxsize=256)
def load_zone(name: str | None) -> tzinfo | None:
    """The tzinfo of an IANA name or a fixed offset ("+07:00", "+0700"); None when it is neither.

    Never raises: a stored or hinted name comes from outside, and a bad one only loses the hint.
    """
    if not name or len(name) > 64:
        return None
    match = _OFFSET_NAME.match(name.strip())
    if match:
        sign = -1 if match[1] == "-" else 1
        hours, minutes = int(match[2]), int(match[3] or 0)
        if hours > 14 or minutes >= 60:
            return None
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def make_zone(name: str | None, source: str, reason: str = "") -> Zone | None:
    tz = load_zone(name)
    return Zone(name.strip(), tz, source, reason) if tz is not None and name else None


def fixed_zone(offset: timedelta, source: str, reason: str = "") -> Zone:
    return Zone(offset_name(offset), timezone(offset), source, reason)


def country_code(url: str | None) -> str | None:
    """The country-code domain of a URL ("id" for rmol.id and kompas.co.id); None for .com and the like."""
    host = site_host(url)
    if not host or "." not in host:
        return None
    suffix = host.rsplit(".", 1)[1]
    return suffix if len(suffix) == 2 and suffix.isalpha() and suffix not in GENERIC_SUFFIXES else None


def assumed_zone(url: str | None, language: str | None) -> Zone | None:
    """The zone of the site's country by its domain, else of the page's language; None when neither says."""
    country = country_code(url)
    if country is not None and country in COUNTRY_ZONES:
        return make_zone(COUNTRY_ZONES[country], ASSUMED, f"domain .{country}")
    if language in LANGUAGE_ZONES:
        return make_zone(LANGUAGE_ZONES[language], ASSUMED, f"language {language}")
    return None


def printed_offsets(text: str) -> Counter[timedelta]:
    """How often each zone's offset is printed beside a time on the short lines of `text` ("10:08 WIB").

    Only lines of a dateline's length count: prose that quotes an event's local time ("pukul 08.45 WITA"
    in a story from Lombok) says where the event was, not where the publisher is.
    """
    counts: Counter[timedelta] = Counter()
    for match in _PRINTED_ZONE.finditer(text, 0, MAX_ZONE_SCAN_CHARS):
        start = match.start()
        hour = len(text[max(0, start - 3) : start]) - len(text[max(0, start - 3) : start].rstrip("0123456789"))
        if not 1 <= hour <= 2 or (start - hour > 0 and text[start - hour - 1] in "0123456789:."):
            continue  # not an hour ("2024.05" or "12:30:45.10 ...")
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", match.end())
        if (line_end if line_end >= 0 else len(text)) - line_start <= MAX_ZONE_LINE_CHARS:
            counts[timedelta(hours=PRINTED_ZONES[match.group(1).lower()])] += 1
    return counts


def utc(moment: datetime) -> bool:
    """The value is written in UTC (a "Z", "+00:00" or "GMT")."""
    return moment.utcoffset() == timedelta(0)


def same_minute(first: datetime, second: datetime) -> bool:
    """The two wall clocks show the same day, hour and minute, whatever their offsets."""
    return first.replace(second=0, microsecond=0, tzinfo=None) == second.replace(second=0, microsecond=0, tzinfo=None)


def same_instant(first: datetime, second: datetime) -> bool:
    """The two are the same moment, to the minute."""
    return first.astimezone(UTC).replace(second=0, microsecond=0) == second.astimezone(UTC).replace(
        second=0, microsecond=0
    )
