"""Visible datelines, one test per form the issue names, and the choice among a page's date witnesses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

import warta
from tests.conftest import page
from warta.extract.datelines import MONTH_NAMES, MONTHS, parse_dateline
from warta.extract.dates import ParsedDate
from warta.extract.timestamps import DateWitness, reconcile

WIB, WITA, WIT = (timezone(timedelta(hours=hours)) for hours in (7, 8, 9))
NOW = datetime(2024, 8, 1, 12, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kamis, 20 Januari 2022, 06:53 WIB", datetime(2022, 1, 20, 6, 53, tzinfo=WIB)),
        ("Jum'at, 3 Nop 2023 | 10.30 WIB", datetime(2023, 11, 3, 10, 30, tzinfo=WIB)),
        ("20/01/2022, 06:53 WIB", datetime(2022, 1, 20, 6, 53, tzinfo=WIB)),
        ("Selasa, 23 Februari 2016 15:06 WIB | 998 Views", datetime(2016, 2, 23, 15, 6, tzinfo=WIB)),
        ("Senin, 12 Agt 2019 | 09:00 WITA", datetime(2019, 8, 12, 9, 0, tzinfo=WITA)),
        ("Rabu, 4 Des 2019 19:15 WIT", datetime(2019, 12, 4, 19, 15, tzinfo=WIT)),
        ("January 20, 2022 6:53 PM EST", datetime(2022, 1, 20, 18, 53, tzinfo=timezone(timedelta(hours=-5)))),
        ("Posted 2024-05-03 15:47 GMT+2", datetime(2024, 5, 3, 15, 47, tzinfo=timezone(timedelta(hours=2)))),
    ],
)
def test_datelines_with_a_zone(text: str, expected: datetime) -> None:
    parsed = parse_dateline(text, language="id", now=NOW)
    assert parsed is not None
    assert parsed.value == expected
    assert parsed.value.utcoffset() == expected.utcoffset()
    assert parsed.has_time
    assert parsed.has_offset


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        ("Rabu, 4 November 2015", "id", (2015, 11, 4)),
        ("Jumat, 1 Peb 2019", "id", (2019, 2, 1)),
        ("Sabtu, 9 Mrt 2019", "id", (2019, 3, 9)),
        ("3. März 2024, 14:30 Uhr", "de", (2024, 3, 3)),
        ("20.01.2022", "de", (2022, 1, 20)),
        ("le 20 janvier 2022 à 06h53", "fr", (2022, 1, 20)),
        ("20 de enero de 2022", "es", (2022, 1, 20)),
        ("3 lutego 2024", "pl", (2024, 2, 3)),
        ("03/04/2024", "id", (2024, 4, 3)),  # day first on Indonesian (and most) pages
        ("03/04/2024", "en", (2024, 3, 4)),  # month first in English
        ("25/04/2024", "en", (2024, 4, 25)),  # unless the numbers say otherwise
        ("01.02.2022", "en", (2022, 2, 1)),  # dots put the day first, in English too
        ("23.09.22", "de", (2022, 9, 23)),  # dots and a two-digit year: day first, this century
        ("28.01.22 / 0 Kommentare", "en", (2022, 1, 28)),  # whatever the language: dots put the day first
        ("am 3.4.21 um 14:30 Uhr", "de", (2021, 4, 3)),
        ("23.09.98", "de", (1998, 9, 23)),  # a two-digit year after this one is the last century's
    ],
)
def test_datelines_without_a_zone_give_the_calendar_day(text: str, language: str, day: tuple[int, int, int]) -> None:
    parsed = parse_dateline(text, language=language, now=NOW)
    assert parsed is not None
    assert (parsed.value.year, parsed.value.month, parsed.value.day) == day
    assert not parsed.has_offset


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("2 jam lalu", timedelta(hours=2)),
        ("5 menit yang lalu", timedelta(minutes=5)),
        ("3 hours ago", timedelta(hours=3)),
        ("vor 2 Stunden", timedelta(hours=2)),
    ],
)
def test_relative_datelines_need_and_use_the_reference_time(text: str, ago: timedelta) -> None:
    parsed = parse_dateline(text, now=NOW)
    assert parsed is not None
    assert parsed.value == NOW - ago
    assert parse_dateline(text) is None


@pytest.mark.parametrize(
    "text",
    ["Kamis, 20 Januari 2031", "12 Mei 1987", "Almaty 1.229 Views", "", "Version 1.2.3", "12.13.22", "10.30.45"],
)
def test_future_ancient_and_dateless_lines_are_refused(text: str) -> None:
    assert parse_dateline(text, language="id", now=NOW) is None


def test_every_month_name_means_one_month_in_every_language() -> None:
    for months in MONTH_NAMES.values():
        assert len(months) == 12
        for number, names in enumerate(months, start=1):
            assert {MONTHS[name] for name in names} == {number}


def _witness(source: str, value: datetime, *, time: bool = True, offset: bool = True) -> DateWitness:
    return DateWitness(source, ParsedDate(value, has_time=time, has_offset=offset))


def test_a_trusted_date_nobody_backs_loses_to_one_others_confirm() -> None:
    # The okezone page: a template's microdata says 2014, the meta tag and the dateline say 2020.
    choice = reconcile(
        [
            _witness("json-ld", datetime(2014, 3, 1, tzinfo=UTC)),
            _witness("meta:article:published_time", datetime(2020, 7, 9, 7, 26, tzinfo=WIB)),
            _witness("dateline:span", datetime(2020, 7, 9, 7, 26, tzinfo=WIB)),
        ]
    )
    assert choice is not None
    assert choice.date.value == datetime(2020, 7, 9, 7, 26, tzinfo=WIB)
    assert choice.source == "meta:article:published_time"
    assert choice.conflicts == ("json-ld 2014-03-01",)


def test_a_declared_time_without_zone_takes_the_offset_of_the_same_minute_printed_with_one() -> None:
    choice = reconcile(
        [
            _witness("meta:pubdate", datetime(2016, 2, 23, 15, 6, tzinfo=UTC), offset=False),
            _witness("dateline:div", datetime(2016, 2, 23, 15, 6, tzinfo=WIB)),
        ]
    )
    assert choice is not None
    assert choice.date.value == datetime(2016, 2, 23, 15, 6, tzinfo=WIB)
    assert choice.date.has_offset


def test_a_day_only_date_takes_the_time_only_when_the_datelines_agree_on_it() -> None:
    day = _witness("meta:date", datetime(2023, 11, 2, tzinfo=UTC), time=False, offset=False)
    own = _witness("dateline:div", datetime(2023, 11, 2, 21, 34, tzinfo=WIB))
    related = _witness("dateline:div", datetime(2023, 11, 2, 18, 40, tzinfo=WIB))
    completed = reconcile([day, own])
    assert completed is not None
    assert completed.date == own.date
    assert completed.source == "meta:date (time from dateline:div)"
    ambiguous = reconcile([day, own, related])
    assert ambiguous is not None
    assert ambiguous.date == day.date


def test_the_page_dateline_and_url_give_an_indonesian_article_its_instant() -> None:
    html = page(
        "<div class='w-date'>Rabu, 7 Oktober 2015</div><article><h1>Polres Serahkan Anggota</h1>"
        "<div class='kcm-date'>Rabu, 4 November 2015 | 21:04 WIB</div>"
        "<p>Polres Lhokseumawe menyerahkan anggota kelompok bersenjata ke kejaksaan pada Rabu malam.</p></article>",
        lang="id",
    )
    url = "http://regional.kompas.com/read/2015/11/04/21040031/Polres.Lhokseumawe.Serahkan"
    article = warta.extract(html, url, now=NOW)
    assert article.published == datetime(2015, 11, 4, 21, 4, tzinfo=WIB)
    assert article.published is not None
    assert article.published.utcoffset() == timedelta(hours=7)
    assert article.provenance["published"].startswith("dateline:")


def test_plain_printed_dates_and_update_only_pages() -> None:
    prose = "<p>The guide explains how to choose tax software for a small business, step by step.</p>"
    plain = page(f"<article><h1>Choosing tax software</h1><div><p>January 31, 2024</p></div>{prose}</article>")
    article = warta.extract(plain, "https://example.com/guides/tax-software", now=NOW)
    assert article.published is not None
    assert article.published.date() == datetime(2024, 1, 31).date()

    labelled = page(
        f"<article><h1>Choosing tax software</h1><div>Last Updated:</div><div>July 9, 2024</div>{prose}</article>"
    )
    article = warta.extract(labelled, "https://example.com/guides/tax-software", now=NOW)
    assert article.updated is not None
    assert article.published == article.updated
    assert "no publication date given" in article.provenance["published"]


def test_a_declared_date_in_printed_form_is_read() -> None:
    ld = '<script type="application/ld+json">{"@type": "BlogPosting", "datePublished": "Dec 03, 2023"}</script>'
    article = warta.extract(
        page("<p>Streaming platforms compared for podcasters and video hosts.</p>", head=ld), now=NOW
    )
    assert article.published is not None
    assert article.published.date() == datetime(2023, 12, 3).date()
    assert article.provenance["published"].startswith("json-ld")


def test_schema_dates_in_rdfa_and_a_dateline_that_opens_the_lead_are_read() -> None:
    prose = "<p>" + "Der Arbeitsmarkt bleibt stabil, sagen die Fachleute der Agentur. " * 6 + "</p>"
    rdfa = page(
        "<article><h1>Wachstum im Weinhandel</h1>"
        '<span property="schema:dateCreated" content="2022-01-28T12:45:46+00:00"></span>'
        f"{prose}</article>"
    )
    article = warta.extract(rdfa, "https://example.de/wein/wachstum", now=NOW)
    assert article.published == datetime(2022, 1, 28, 12, 45, 46, tzinfo=UTC)
    assert article.provenance["published"].startswith("microdata:dateCreated")

    leads = {
        "01.02.2022 \u201eDer Arbeitsmarkt ist gut ins Jahr gestartet\u201c, sagte die Chefin der Agentur.": (
            2022,
            2,
            1,
        ),
        "27.1.2022 - Bei der Erinnerung an die Verfolgten sprachen heute viele Menschen in der Stadt.": (2022, 1, 27),
        "BERLIN, 3. M\u00e4rz 2024 \u2013 Die Agentur legte am Morgen ihre neuen Zahlen zum Arbeitsmarkt vor.": (
            2024,
            3,
            3,
        ),
    }
    for lead, day in leads.items():
        printed = page(f"<article><h1>Arbeitsmarkt im Januar</h1><p>{lead}</p>{prose}</article>")
        article = warta.extract(printed, "https://example.de/news/arbeitsmarkt", now=NOW)
        assert article.published is not None
        assert article.published.date() == datetime(*day).date()
        assert article.provenance["published"].startswith("dateline:text")

    # A sentence that merely opens with a year is no dateline.
    year = page(
        f"<article><h1>Ein Jahr</h1><p>In 2022 - dem Jahr der Wende - geschah vieles in der Stadt.</p>{prose}</article>"
    )
    assert warta.extract(year, "https://example.de/news/jahr", now=NOW).published is None


def test_every_day_named_in_prose_is_found_in_order() -> None:
    from datetime import date

    from warta.extract.datelines import days_named

    text = "Gempa Senin (21/11/2022) setelah 4 Desember 2021; on Dec. 5, 2021 and 2022-11-22, not 31/02/2022."
    assert days_named(text, "id") == [date(2022, 11, 21), date(2021, 12, 4), date(2021, 12, 5), date(2022, 11, 22)]
    assert days_named("on 03/04/2023", "en") == [date(2023, 3, 4)]  # month first in English
    assert days_named("pada 03/04/2023", "id") == [date(2023, 4, 3)]
