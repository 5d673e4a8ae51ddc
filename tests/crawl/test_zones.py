"""A crawl learns a publisher's time zone from its feed and sitemap and reads its pages' times in it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.crawl.site import Site, serve
from tests.crawl.test_crawl import FAST, warta
from warta.extract.zones import load_zone
from warta.store import Store

WITA = timedelta(hours=8)


@pytest.fixture
def makassar() -> Iterator[Site]:
    publisher = Site(articles=6, offset=WITA)
    server, _thread = serve(publisher)
    yield publisher
    server.shutdown()
    server.server_close()


def test_feed_dates_give_the_zone_of_pages_that_print_none(makassar: Site, store_url: str) -> None:
    assert warta(store_url, "follow", makassar.base + "/", *FAST).exit_code == 0
    crawled = warta(store_url, "crawl", "--once", "--no-archive", *FAST)
    assert crawled.exit_code == 0, crawled.output

    with Store(store_url) as store:
        publisher = store.publishers()[0]
        zone = load_zone(publisher.time_zone)
        assert zone is not None
        assert datetime(2024, 5, 1, tzinfo=UTC).astimezone(zone).utcoffset() == WITA
        assert publisher.time_zone_source in ("rss", "news-sitemap")

    listed = warta(store_url, "articles", "--format", "jsonl", "--limit", "100")
    records = {r["title"]: r for r in map(json.loads, listed.output.splitlines())}
    one = records[makassar.title(3)]
    # The page prints "01/05/2024 19:00" with no zone and is in Indonesian: without the feed's "+0800" it would
    # be read as WIB, an hour off.
    assert one["published"] == "2024-05-01T19:00:00+08:00"
    assert "zone from the listing: +08:00" in one["provenance"]["published"]


def test_reextraction_reads_archived_pages_in_the_publishers_zone(
    makassar: Site, store_url: str, tmp_path: Path
) -> None:
    archive = str(tmp_path / "warc")
    assert warta(store_url, "follow", makassar.base + "/", *FAST).exit_code == 0
    crawled = warta(store_url, "crawl", "--once", "--archive", archive, *FAST)
    assert crawled.exit_code == 0, crawled.output
    rebuilt = warta(store_url, "reextract")
    assert rebuilt.exit_code == 0, rebuilt.output

    listed = warta(store_url, "articles", "--format", "jsonl", "--limit", "100")
    records = {r["title"]: r for r in map(json.loads, listed.output.splitlines())}
    one = records[makassar.title(3)]
    # No feed date at re-extraction: the zone comes from the publisher, which the crawl learned (+08:00),
    # not from the page's language (WIB, an hour off, which would have stored a new version).
    assert one["published"] == "2024-05-01T19:00:00+08:00"
