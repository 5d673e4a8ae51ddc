"""Learning a publisher's time zone from the dates its listings write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from warta.models import Link, Listing
from warta.sources import parse_listing
from warta.sources.zones import listing_zone, page_zone

WIB = timezone(timedelta(hours=7))


def feed(dates: list[datetime], language: str | None = None) -> Listing:
    links = tuple(Link(f"https://contoh.com/a/{i}", published=d, language=language) for i, d in enumerate(dates))
    return Listing(kind="rss", links=links)


def test_a_feed_written_in_plus_0700_names_the_offset_and_with_its_country_the_zone() -> None:
    dates = [datetime(2024, 5, 1, h, tzinfo=WIB) for h in range(8, 14)]
    learned = listing_zone(feed(dates), "https://contoh.com/rss")
    assert learned is not None
    assert (learned.name, learned.source) == ("+07:00", "rss")
    by_language = listing_zone(feed(dates, "id-ID"), "https://contoh.com/rss")
    assert by_language is not None
    assert by_language.name == "Asia/Jakarta"


def test_summer_and_winter_offsets_of_one_country_name_its_iana_zone() -> None:
    dates = [datetime(2024, 1, 10, 9, tzinfo=timezone(timedelta(hours=1)))] * 2 + [
        datetime(2024, 7, 10, 9, tzinfo=timezone(timedelta(hours=2)))
    ] * 2
    learned = listing_zone(feed(dates), "https://www.example.de/feed")
    assert learned is not None
    assert learned.name == "Europe/Berlin"


def test_utc_dates_mixed_offsets_and_short_feeds_name_nothing() -> None:
    assert listing_zone(feed([datetime(2024, 5, 1, h, tzinfo=UTC) for h in range(10)]), "https://x.com/") is None
    assert listing_zone(feed([datetime(2024, 5, 1, 8, tzinfo=WIB)] * 2), "https://x.com/") is None
    mixed = [datetime(2024, 5, 1, 8, tzinfo=timezone(timedelta(hours=h))) for h in (1, 3, 5, 7, 9)]
    assert listing_zone(feed(mixed), "https://x.com/") is None


def test_a_real_rss_document_with_pubdate_offsets() -> None:
    items = "".join(
        f"<item><title>Berita {n}</title><link>https://rmol.id/read/{n}</link>"
        f"<pubDate>Thu, 20 Jan 2022 0{n}:53:00 +0700</pubDate></item>"
        for n in range(1, 5)
    )
    body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>RMOL</title>{items}</channel></rss>".encode()
    listing = parse_listing(body, "https://rmol.id/rss", "application/rss+xml")
    learned = listing_zone(listing, "https://rmol.id/rss")
    assert learned is not None
    assert learned.name == "Asia/Jakarta"  # .id


def test_a_page_offset_counts_only_when_the_page_stated_it() -> None:
    moment = datetime(2024, 5, 1, 10, tzinfo=WIB)
    assert page_zone(moment, "json-ld") == "+07:00"
    assert page_zone(moment, "dateline:div (zone assumed: Asia/Jakarta (language id))") is None
    assert page_zone(moment, "dateline:div (zone from the listing: +07:00 (rss))") is None
    assert page_zone(datetime(2024, 5, 1, tzinfo=UTC), "json-ld") is None
    assert page_zone(None, "") is None
