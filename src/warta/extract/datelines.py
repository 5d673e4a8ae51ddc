"""Parse dates the way news pages print them for readers.

"Kamis, 20 Januari 2022, 06:53 WIB", "Jum'at, 3 Nop 2023 | 10.30 WIB", "20/01/2022, 06:53 WIB", "2 jam lalu",
"3. März 2024, 14:30 Uhr", "January 20, 2022 6:53 PM EST", "20 de enero de 2022". Machine-readable values
(ISO 8601, RFC 2822) are `dates.parse_machine_date`'s job; this module reads the visible datelines, bylines
and flattened text that the HTML path and the text path share.

Written by hand because the libraries that parse free-text dates (dateparser, htmldate) either miss the
Indonesian forms and time zones this project needs first, or cost tens of milliseconds a page; the
vocabulary below is data, so a language is added by adding its month names.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from warta.extract.dates import EARLIEST_PLAUSIBLE, ParsedDate

# Month names and the abbreviations news sites print, per language, January first. "Peb", "Mrt", "Agt",
# "Nop" are Indonesian spellings still common on older pages.
MONTH_NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "id": (
        ("januari", "jan"), ("februari", "pebruari", "feb", "peb"), ("maret", "mar", "mrt"), ("april", "apr"),
        ("mei",), ("juni", "jun"), ("juli", "jul"), ("agustus", "agu", "agt", "ags", "aug"),
        ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nopember", "nov", "nop"),
        ("desember", "des"),
    ),
    "en": (
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
        ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
        ("december", "dec"),
    ),
    "de": (
        ("januar", "jänner", "jan"), ("februar", "feb"), ("märz", "maerz", "mär", "mrz"), ("april", "apr"), ("mai",),
        ("juni", "jun"), ("juli", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("oktober", "okt"),
        ("november", "nov"), ("dezember", "dez"),
    ),
    "fr": (
        ("janvier", "janv"), ("février", "fevrier", "févr", "fevr"), ("mars",), ("avril", "avr"), ("mai",),
        ("juin",), ("juillet", "juil"), ("août", "aout"), ("septembre", "sept"), ("octobre", "oct"),
        ("novembre", "nov"), ("décembre", "decembre", "déc"),
    ),
    "es": (
        ("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"), ("mayo", "may"), ("junio", "jun"),
        ("julio", "jul"), ("agosto", "ago"), ("septiembre", "setiembre", "sep", "sept"), ("octubre", "oct"),
        ("noviembre", "nov"), ("diciembre", "dic"),
    ),
    "pt": (
        ("janeiro", "jan"), ("fevereiro", "fev"), ("março", "marco", "mar"), ("abril", "abr"), ("maio", "mai"),
        ("junho", "jun"), ("julho", "jul"), ("agosto", "ago"), ("setembro", "set"), ("outubro", "out"),
        ("novembro", "nov"), ("dezembro", "dez"),
    ),
    "it": (
        ("gennaio", "gen"), ("febbraio", "feb"), ("marzo", "mar"), ("aprile", "apr"), ("maggio", "mag"),
        ("giugno", "giu"), ("luglio", "lug"), ("agosto", "ago"), ("settembre", "set"), ("ottobre", "ott"),
        ("novembre", "nov"), ("dicembre", "dic"),
    ),
    "nl": (
        ("januari", "jan"), ("februari", "feb"), ("maart", "mrt"), ("april", "apr"), ("mei",), ("juni", "jun"),
        ("juli", "jul"), ("augustus", "aug"), ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
        ("december", "dec"),
    ),
    # Polish prints the genitive in dates ("3 lutego 2025"); the nominative appears in headers.
    "pl": (
        ("stycznia", "styczeń", "sty"), ("lutego", "luty", "lut"), ("marca", "marzec"), ("kwietnia", "kwiecień", "kwi"),
        ("maja", "maj"), ("czerwca", "czerwiec", "cze"), ("lipca", "lipiec", "lip"), ("sierpnia", "sierpień"),
        ("września", "wrzesień", "wrz"), ("października", "październik", "paź"), ("listopada", "listopad", "lis"),
        ("grudnia", "grudzień", "gru"),
    ),
    "sv": (
        ("januari", "jan"), ("februari", "feb"), ("mars", "mar"), ("april", "apr"), ("maj",), ("juni", "jun"),
        ("juli", "jul"), ("augusti", "aug"), ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
        ("december", "dec"),
    ),
    "no": (
        ("januar", "jan"), ("februar", "feb"), ("mars", "mar"), ("april", "apr"), ("mai",), ("juni", "jun"),
        ("juli", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
        ("desember", "des"),
    ),
    "da": (
        ("januar", "jan"), ("februar", "feb"), ("marts", "mar"), ("april", "apr"), ("maj",), ("juni", "jun"),
        ("juli", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
        ("december", "dec"),
    ),
    "tr": (
        ("ocak",), ("şubat", "subat"), ("mart",), ("nisan",), ("mayıs", "mayis"), ("haziran",), ("temmuz",),
        ("ağustos", "agustos"), ("eylül", "eylul"), ("ekim",), ("kasım", "kasim"), ("aralık", "aralik"),
    ),
}  # fmt: skip


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for language, months in MONTH_NAMES.items():
        for number, names in enumerate(months, start=1):
            for name in names:
                if table.setdefault(name, number) != number:
                    raise ValueError(f"month name {name!r} ({language}) means two months")
    return table


MONTHS = _month_table()

# Zone abbreviations printed after a time, with their offsets in hours. Indonesia's three zones first. Only
# unambiguous abbreviations: "IST" (India, Ireland, Israel) and "CST" (US, China) are left out of the
# ambiguous pair's minority reading, and "BST" is British Summer Time.
ZONES: dict[str, float] = {
    "wib": 7, "wita": 8, "wit": 9,
    "utc": 0, "gmt": 0, "z": 0,
    "bst": 1, "cet": 1, "mez": 1, "cest": 2, "mesz": 2, "eet": 2, "eest": 3, "msk": 3,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "jst": 9, "kst": 9, "sgt": 8, "myt": 8, "pht": 8, "hkt": 8, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
}  # fmt: skip

# Relative dates ("2 jam lalu", "3 hours ago", "vor 2 Stunden", "il y a 3 heures", "hace 2 horas"): the unit
# words per language and their length. Read only when the caller gives a reference time.
RELATIVE_UNITS: dict[str, timedelta] = {
    **dict.fromkeys(("detik", "second", "seconds", "sekunde", "sekunden", "seconde", "secondes", "segundo",
                     "segundos", "sec", "secs"), timedelta(seconds=1)),
    **dict.fromkeys(("menit", "minute", "minutes", "minuten", "min", "mins", "minuto", "minutos"),
                    timedelta(minutes=1)),
    **dict.fromkeys(("jam", "hour", "hours", "stunde", "stunden", "heure", "heures", "hora", "horas", "hr", "hrs"),
                    timedelta(hours=1)),
    **dict.fromkeys(("hari", "day", "days", "tag", "tagen", "jour", "jours", "día", "días", "dia", "dias"),
                    timedelta(days=1)),
    **dict.fromkeys(("minggu", "week", "weeks", "woche", "wochen", "semaine", "semaines", "semana", "semanas"),
                    timedelta(weeks=1)),
}  # fmt: skip
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "se": 1, "satu": 1, "einer": 1, "einem": 1, "une": 1, "un": 1, "una": 1}

# A dateline is short: a longer text is prose that mentions a date.
MAX_DATELINE_CHARS = 160

_MONTH_RE = "|".join(sorted((re.escape(name) for name in MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w/.-])(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th|er)?\s*(?:de\s+|of\s+)?(?P<mon>{_MONTH_RE})\.?,?\s*(?:de\s+)?"
    r"(?P<y>(?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})(?!\d)",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?!\d)")
# Day, month and a two-digit year with dots, the German and Central European short form ("23.09.22"): dots
# put the day first everywhere they are used, so the order is never in doubt; versions ("1.2.3") and times
# with seconds ("10.30.45") fail the calendar check or carry more digits.
_DOTTED_SHORT_YEAR = re.compile(r"(?<![\d/.,:-])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2})(?![\d.:])")
_ISO_DAY = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")
_TIME = re.compile(
    r"(?<![\d:.])(?P<H>\d{1,2})(?:[:.]|\s?h\s?)(?P<M>[0-5]\d)(?:[:.](?P<S>[0-5]\d))?(?!\d)"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*(?:uhr|h)\b)?"
    r"(?:\s*\(?\s*(?P<zone>[a-z]{1,4})\b\)?)?"
    r"(?:\s*(?:gmt|utc)?\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?)(?!\d))?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"(?<!\w)(?P<n>\d+|an?|one|se|satu|einer|einem|une|un|una)\s*(?P<unit>[a-zäéí]+)\s+(?:yang\s+)?(?:lalu|ago)\b"
    r"|\b(?:vor|il y a|hace|há)\s+(?P<n2>\d+|einer|einem|une|un|una)\s+(?P<unit2>[a-zäéí]+)",
    re.IGNORECASE,
)


def parse_dateline(
    text: str, *, language: str | None = None, now: datetime | None = None, day_first: bool | None = None
) -> ParsedDate | None:
    """Parse the first date in a short human-written dateline; None when it holds none.

    `language` decides the order of an all-numeric date that could be either ("03/04/2024"): day first
    everywhere but English, unless `day_first` says otherwise. `now` anchors relative dates ("2 jam lalu")
    and bounds the result: a date after `now` (plus two days of time-zone slack) or before 1990 is refused.

    >>> parse_dateline("Kamis, 20 Januari 2022, 06:53 WIB").value.isoformat()
    '2022-01-20T06:53:00+07:00'
    """
    if not text or len(text) > MAX_DATELINE_CHARS:
        return None
    reference = now or datetime.now(UTC)
    found = _calendar_day(text, language, day_first, reference.year)
    if found is None:
        return _relative(text, now)
    (year, month, day), span = found
    # The time is looked for outside the date itself, so "20.01.2022" cannot read as 20:01.
    rest = text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]
    value, has_time, has_offset = _with_time(year, month, day, rest)
    if value is None:
        return None
    if not EARLIEST_PLAUSIBLE <= value <= reference + timedelta(days=2):
        return None
    return ParsedDate(value, has_time=has_time, has_offset=has_offset)


def _calendar_day(
    text: str, language: str | None, day_first: bool | None, this_year: int
) -> tuple[tuple[int, int, int], tuple[int, int]] | None:
    named = [match for match in (_DAY_MONTH_YEAR.search(text), _MONTH_DAY_YEAR.search(text)) if match]
    if named:
        match = min(named, key=lambda m: m.start())
        month = MONTHS.get(match["mon"].lower())
        if month is not None:
            return (int(match["y"]), month, int(match["d"])), match.span()
    iso = _ISO_DAY.search(text)
    if iso:
        return (int(iso["y"]), int(iso["m"]), int(iso["d"])), iso.span()
    numeric = _NUMERIC.search(text)
    if numeric:
        first, second = int(numeric["a"]), int(numeric["b"])
        if first > 12:
            day_first = True
        elif second > 12:
            day_first = False
        elif numeric["sep"] == "." and day_first is None:
            day_first = True  # "01.02.2022": dotted dates put the day first wherever they are written
        elif day_first is None:
            day_first = (language or "").lower().split("-")[0] != "en"
        day, month = (first, second) if day_first else (second, first)
        return (int(numeric["y"]), month, day), numeric.span()
    short = _DOTTED_SHORT_YEAR.search(text)
    if short and 1 <= int(short["m"]) <= 12 and 1 <= int(short["d"]) <= 31:
        year = 2000 + int(short["y"])
        if year > this_year + 1:
            year -= 100  # "23.09.98": the last century (parse_dateline refuses what is before 1990)
        return (year, int(short["m"]), int(short["d"])), short.span()
    return None


def days_named(text: str, language: str | None = None) -> list[date]:
    """Every calendar day that `text` names with its year ("Senin (21/11/2022)", "4 Desember 2021",
    "Dec. 4, 2021", "2022-11-21"), in the order they appear; prose, not a dateline, so of any length.
    An all-numeric day is read day first but in English, as `parse_dateline` reads one."""
    english = (language or "").lower().split("-")[0] == "en"
    found: list[tuple[int, date]] = []
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            month = MONTHS.get(match["mon"].lower())
            if month is not None:
                found.append((match.start(), _day(int(match["y"]), month, int(match["d"]))))
    for match in _ISO_DAY.finditer(text):
        found.append((match.start(), _day(int(match["y"]), int(match["m"]), int(match["d"]))))
    for match in _NUMERIC.finditer(text):
        first, second = int(match["a"]), int(match["b"])
        day_first = first > 12 or (second <= 12 and (match["sep"] == "." or not english))
        day, month = (first, second) if day_first else (second, first)
        found.append((match.start(), _day(int(match["y"]), month, day)))
    return [day for _, day in sorted(found, key=lambda item: item[0]) if day != _NO_DAY]


# What `_day` gives for a date the calendar does not have ("31/02/2022").
_NO_DAY = date.min


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        return _NO_DAY


def _with_time(year: int, month: int, day: int, text: str) -> tuple[datetime | None, bool, bool]:
    for match in _TIME.finditer(text):
        hour, minute = int(match["H"]), int(match["M"])
        ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23:
            continue
        zone = _zone(match["zone"], match["offset"])
        value = _build(year, month, day, hour, minute, int(match["S"] or 0), zone)
        return value, value is not None, zone is not None
    return _build(year, month, day, 0, 0, 0, None), False, False


def _zone(abbreviation: str | None, offset: str | None) -> timezone | None:
    if offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours = int(digits[:-2] or 0) if len(digits) > 2 else int(digits)
        minutes = int(digits[-2:]) if len(digits) > 2 else 0
        if hours <= 14 and minutes < 60:
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if abbreviation:
        zone_hours = ZONES.get(abbreviation.lower())
        if zone_hours is not None:
            return timezone(timedelta(hours=zone_hours))
    return None


def _build(
    year: int, month: int, day: int, hour: int, minute: int, second: int, zone: timezone | None
) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone or UTC)
    except ValueError:
        return None


def _relative(text: str, now: datetime | None) -> ParsedDate | None:
    if now is None:
        return None
    match = _RELATIVE.search(text)
    if match is None:
        return None
    count_text = (match["n"] or match["n2"]).lower()
    unit = RELATIVE_UNITS.get((match["unit"] or match["unit2"]).lower())
    if unit is None:
        return None
    count = int(count_text) if count_text.isdigit() else _COUNT_WORDS.get(count_text, 1)
    has_offset = now.utcoffset() is not None
    try:
        value = (now if has_offset else now.replace(tzinfo=UTC)) - count * unit
    except OverflowError:
        return None  # "99999999 hari yang lalu": before the first year a datetime holds, so no date
    return ParsedDate(value, has_time=unit < timedelta(days=1), has_offset=has_offset)
