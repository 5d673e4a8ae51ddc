"""Publisher time zones: times without a zone, local times stamped "Z", and what a crawl knows (DateHints)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

import warta
from tests.conftest import page
from warta.extract.dates import parse_machine_date
from warta.extract.zones import assumed_zone, country_code, load_zone, printed_offsets
from warta.models import DateHints

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
CEST = timezone(timedelta(hours=2))
CET = timezone(timedelta(hours=1))

PROSE = (
    "<p>" + "Pemerintah kota mengumumkan perluasan jaringan bus ke kawasan utara yang belum terlayani. " * 4 + "</p>"
)
GERMAN = "<p>" + "Die Stadt kündigt an, das Busnetz in den Norden auszubauen, wo bisher kein Bus fährt. " * 4 + "</p>"
JAPANESE = "<p>" + "市は来年の春に北部地区へバス路線を広げると発表した。住民は長年この路線を求めてきた。" * 4 + "</p>"
ENGLISH = "<p>" + "The city announced that its bus network will reach the northern districts next spring. " * 4 + "</p>"


def ld(published: str) -> str:
    return (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        f'"headline":"Perluasan jaringan bus kota","datePublished":"{published}"}}</script>'
    )


def article(head: str, top: str, lang: str = "id", prose: str = PROSE) -> str:
    return page(f"<article><h1>Perluasan jaringan bus kota</h1>{top}{prose}</article>", head, lang)


def test_a_local_time_stamped_z_takes_the_zone_printed_beside_the_same_minute() -> None:
    html = article(ld("2015-11-05T10:08:58Z"), '<div class="date">Kamis, 05 November 2015 10:08 WIB</div>')
    result = warta.extract(html, "https://www.antaranews.com/berita/527615/bus-kota")
    assert result.published == datetime(2015, 11, 5, 10, 8, 58, tzinfo=WIB)
    assert result.published is not None
    assert result.published.utcoffset() == timedelta(hours=7)
    assert "declared UTC but a local time" in result.provenance["published"]


def test_a_true_utc_instant_is_written_in_the_offset_the_dateline_shows() -> None:
    # money.kompas.com's shape: "+00:00" in JSON-LD and meta, "02/11/2023, 21:34 WIB" printed.
    head = (
        ld("2023-11-02T14:34:19+00:00") + '<meta property="article:published_time" content="2023-11-02T14:34:19+00:00">'
    )
    html = article(head, '<div class="read__time">Kompas.com - 02/11/2023, 21:34 WIB</div>')
    result = warta.extract(html, "https://money.kompas.com/read/2023/11/02/213419026/menhub")
    assert result.published == datetime(2023, 11, 2, 14, 34, 19, tzinfo=UTC)
    assert result.published is not None
    assert result.published.utcoffset() == timedelta(hours=7)


def test_wib_beside_other_times_outweighs_a_z_nothing_confirms() -> None:
    related = '<ul class="terkini"><li><a href="/a">Berita lain</a> <span>09:30 WIB</span></li><li>08:10 WIB</li></ul>'
    result = warta.extract(article(ld("2015-11-05T10:08:58Z"), related), "https://contoh.co.id/berita/1/bus")
    assert result.published == datetime(2015, 11, 5, 10, 8, 58, tzinfo=WIB)
    assert "the page prints local times" in result.provenance["published"]


def test_an_indonesian_dateline_without_a_zone_is_wib_and_says_it_was_assumed() -> None:
    html = article("", '<div class="date">Kamis, 05 November 2015 11:52</div>')
    result = warta.extract(html, "https://contoh.com/berita/1/bus-kota")
    assert result.published == datetime(2015, 11, 5, 11, 52, tzinfo=WIB)
    assert "zone assumed: Asia/Jakarta (language id)" in result.provenance["published"]


def test_the_language_is_read_from_the_text_when_the_declaration_is_a_theme_default() -> None:
    # kompas.com pages of 2016 declare lang="en".
    html = article("", '<div class="date">Selasa, 16 Februari 2016 | 14:38</div>', lang="en")
    result = warta.extract(html, "http://nasional.kompas.com/read/2016/02/16/14382361/x")
    assert result.published == datetime(2016, 2, 16, 14, 38, tzinfo=WIB)


def test_wita_printed_in_datelines_beats_the_wib_default() -> None:
    related = (
        "<ul class='terkini'><li><a href='/a'>Banjir surut</a> 09:30 WITA</li><li>Pasar ramai 08:10 WITA</li></ul>"
    )
    html = article("", '<div class="date">Kamis, 05 November 2015 11:52</div>' + related)
    result = warta.extract(html, "https://balipost.com/berita/1/bus-kota")
    assert result.published == datetime(2015, 11, 5, 11, 52, tzinfo=WITA)


def test_a_zone_quoted_in_prose_says_where_the_event_was_not_the_publisher() -> None:
    story = "<p>" + "Penerbangan di Lombok dibatalkan mulai pukul 08.45 WITA sampai abu vulkanik menipis. " * 3 + "</p>"
    html = article("", '<div class="date">Kamis, 05 November 2015 14:56</div>' + story)
    result = warta.extract(html, "https://www.antaranews.com/berita/527615/lombok")
    assert result.published == datetime(2015, 11, 5, 14, 56, tzinfo=WIB)


def test_a_time_rendered_in_utc_by_its_server_is_no_witness_of_local_time() -> None:
    # berliner-zeitung.de's shape: the <time> element's own value says GMT+0000 and its text shows that clock.
    top = (
        '<div class="publication-date"><time dateTime="Fri Apr 28 2023 17:52:31 GMT+0000 (Coordinated Universal '
        'Time)"><span>28.04.2023 </span>| 17:52 Uhr</time></div>'
    )
    html = article(ld("2023-04-28T17:52:31.847Z"), top, lang="de", prose=GERMAN)
    result = warta.extract(html, "https://www.berliner-zeitung.de/news/samenspender-li.343191")
    assert result.published == datetime(2023, 4, 28, 17, 52, 31, 847000, tzinfo=UTC)
    assert result.published is not None
    assert result.published.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("2024-04-28T14:26:00", datetime(2024, 4, 28, 14, 26, tzinfo=CEST)),  # summer time
        ("2024-01-28T14:26:00", datetime(2024, 1, 28, 14, 26, tzinfo=CET)),
    ],
)
def test_a_single_zone_country_with_summer_time_gets_the_offset_of_the_date(declared: str, expected: datetime) -> None:
    html = article(f'<meta property="article:published_time" content="{declared}">', "", lang="de", prose=GERMAN)
    result = warta.extract(html, "https://www.golem.de/news/bus-2404-184627.html")
    assert result.published == expected
    assert result.published is not None
    assert result.published.utcoffset() == expected.utcoffset()
    assert "zone assumed: Europe/Berlin (domain .de)" in result.provenance["published"]


def test_a_japanese_site_without_a_zone_is_on_japan_time() -> None:
    html = article(
        '<meta property="article:published_time" content="2025-01-13T21:37:00">', "", lang="ja", prose=JAPANESE
    )
    result = warta.extract(html, "https://www.asahi.com/articles/AST1F4445T1FUTIL02SM.html")
    assert result.published is not None
    assert result.published.utcoffset() == timedelta(hours=9)


def test_a_page_of_a_country_with_several_zones_keeps_its_time_as_utc_and_says_so() -> None:
    html = article("", '<div class="date">November 5, 2015 11:52</div>', lang="en", prose=ENGLISH)
    result = warta.extract(html, "https://example.com/news/2015/bus")
    assert result.published == datetime(2015, 11, 5, 11, 52, tzinfo=UTC)
    assert "no offset declared; read as UTC" in result.provenance["published"]


def test_the_feed_date_gives_the_zone_of_a_dateline_without_one() -> None:
    html = article("", '<div class="date">November 5, 2015 11:52</div>', lang="en", prose=ENGLISH)
    hints = DateHints(listed=datetime(2015, 11, 5, 11, 55, tzinfo=WIB), listed_by="rss")
    result = warta.extract(html, "https://example.com/news/2015/bus", hints=hints)
    assert result.published == datetime(2015, 11, 5, 11, 52, tzinfo=WIB)
    assert "zone from the listing: +07:00 (rss)" in result.provenance["published"]


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        # The feed shows the same instant: the "Z" was UTC, written in the feed's offset.
        (datetime(2024, 5, 1, 10, 5, tzinfo=WIB), datetime(2024, 5, 1, 3, 0, tzinfo=UTC)),
        # The feed shows the same wall clock: the "Z" was a local time.
        (datetime(2024, 5, 1, 3, 5, tzinfo=WIB), datetime(2024, 5, 1, 3, 0, tzinfo=WIB)),
    ],
)
def test_the_feed_date_decides_what_a_z_meant(listed: datetime, expected: datetime) -> None:
    html = article('<meta property="article:published_time" content="2024-05-01T03:00:00Z">', "", lang="en")
    result = warta.extract(html, "https://example.com/a/1", hints=DateHints(listed=listed, listed_by="rss"))
    assert result.published == expected
    assert result.published is not None
    assert result.published.utcoffset() == timedelta(hours=7)


def test_the_feed_date_dates_a_page_that_states_none_and_the_page_own_time_wins_when_it_has_one() -> None:
    listed = datetime(2024, 5, 1, 10, 5, tzinfo=WIB)
    bare = warta.extract(article("", "", lang="en", prose=ENGLISH), "https://example.com/a/1", hints=DateHints(listed))
    assert bare.published == listed
    assert bare.provenance["published"] == "listing:feed"
    html = article('<meta property="article:published_time" content="2024-05-01T10:01:00+07:00">', "")
    own = warta.extract(html, "https://example.com/a/1", hints=DateHints(listed, listed_by="rss"))
    assert own.published == datetime(2024, 5, 1, 10, 1, tzinfo=WIB)
    assert own.provenance["published"] == "meta:article:published_time"


def test_a_sitemap_lastmod_gives_the_zone_but_not_the_date() -> None:
    modified = datetime(2024, 6, 1, 9, 0, tzinfo=WIB)
    html = article("", '<div class="date">November 5, 2015 11:52</div>', lang="en", prose=ENGLISH)
    hints = DateHints(listed=modified, listed_by="sitemap", listed_modified=True)
    result = warta.extract(html, "https://example.com/a/1", hints=hints)
    assert result.published == datetime(2015, 11, 5, 11, 52, tzinfo=WIB)
    assert (
        warta.extract(article("", "", lang="en", prose=ENGLISH), "https://example.com/a/1", hints=hints).published
        is None
    )


def test_the_publisher_zone_a_crawl_learned_reads_a_time_without_one() -> None:
    html = article("", '<div class="date">November 5, 2015 11:52</div>', lang="en", prose=ENGLISH)
    result = warta.extract(html, "https://example.com/a/1", hints=DateHints(zone="Asia/Makassar"))
    assert result.published == datetime(2015, 11, 5, 11, 52, tzinfo=WITA)
    assert "zone from the publisher: Asia/Makassar" in result.provenance["published"]


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "+99:00", "", "../../etc/passwd", "x" * 500])
def test_a_bad_publisher_zone_is_ignored(zone: str) -> None:
    html = article("", '<div class="date">November 5, 2015 11:52</div>', lang="en", prose=ENGLISH)
    result = warta.extract(html, "https://example.com/a/1", hints=DateHints(zone=zone))
    assert result.published == datetime(2015, 11, 5, 11, 52, tzinfo=UTC)


def test_zone_names_offsets_and_domains() -> None:
    assert load_zone("+0700") == WIB
    assert load_zone("-03:30") == timezone(-timedelta(hours=3, minutes=30))
    assert load_zone("Asia/Jakarta") is not None
    assert load_zone("Nowhere/Else") is None
    assert country_code("https://www.kompas.co.id/x") == "id"
    assert country_code("https://kompas.com/x") is None
    assert country_code("https://example.co/x") is None  # used as a generic domain
    zone = assumed_zone("https://example.com/a", "id")
    assert zone is not None
    assert (zone.name, zone.source) == ("Asia/Jakarta", "assumed")
    assert assumed_zone("https://example.com/a", "en") is None
    assert printed_offsets("Berita lain\n09:30 WIB\n" + "prosa " * 30 + "pukul 08.45 WITA") == {timedelta(hours=7): 1}


def test_javascript_date_strings_are_machine_dates() -> None:
    parsed = parse_machine_date("Fri Apr 28 2023 17:52:31 GMT+0200 (Central European Summer Time)")
    assert parsed is not None
    assert parsed.value == datetime(2023, 4, 28, 17, 52, 31, tzinfo=CEST)
    assert parse_machine_date("Fri Foo 28 2023 17:52:31 GMT+0200") is None
