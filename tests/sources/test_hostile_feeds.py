"""Feeds and listing pages built to hurt: each ends in a listing or a documented `SourceError`, promptly."""

from __future__ import annotations

import contextlib
import json

import pytest

from tests.sources.hostile import bomb_after_comment, entity_bomb, hang_stopper, leading_comments
from tests.sources.test_feeds import ATOM, INDONESIAN_RSS
from warta.sources import (
    MalformedJSONError,
    MalformedXMLError,
    NotAFeedError,
    SourceError,
    SourceTooLargeError,
    feed_links,
    feeds,
    parse_feed,
    parse_listing,
)

URL = "https://www.contohnews.id/rss"
RSS_LINKS = [
    "https://www.contohnews.id/berita/2025/01/06/banjir-jakarta",
    "https://www.contohnews.id/ekonomi/2025/01/06/harga-beras",
    "https://www.contohnews.id/olahraga/timnas",
]
# The RSS fixture without its XML declaration, to put things in front of.
RSS_BODY = INDONESIAN_RSS.split(b"?>", 1)[1]


def feed_urls(body: bytes) -> list[str]:
    return [link.url for link in parse_feed(body, URL).links]


@pytest.mark.parametrize("parse", [parse_feed, parse_listing])
def test_entity_bomb_after_a_long_comment_is_refused(parse: object) -> None:
    # Five levels keep a regression cheap (300 KB expanded) while still failing this test.
    with hang_stopper(30), pytest.raises(MalformedXMLError):
        parse(bomb_after_comment(100 * 1024, levels=5), URL)  # type: ignore[operator]


def test_entity_declarations_after_the_root_are_refused() -> None:
    body = INDONESIAN_RSS.replace(b"<channel>", b"<channel>" + entity_bomb(3).encode())
    with pytest.raises(MalformedXMLError):
        parse_feed(body, URL)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_entity_declarations_in_a_wide_encoding_are_refused(encoding: str) -> None:
    document = '<?xml version="1.0"?>' + entity_bomb(3) + RSS_BODY.decode()
    with pytest.raises(MalformedXMLError):
        parse_feed(document.encode(encoding), URL)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_feeds_in_wide_encodings_are_read(encoding: str) -> None:
    document = f'<?xml version="1.0" encoding="{encoding}"?>' + RSS_BODY.decode()
    assert feed_urls(document.encode(encoding)) == RSS_LINKS


@pytest.mark.parametrize("count", [28, 40, 10_000])
def test_many_leading_comments_take_no_time(count: int) -> None:
    with hang_stopper(30):
        for parse in (parse_feed, parse_listing):
            with pytest.raises(NotAFeedError):
                parse(leading_comments(count, b"<p>not a feed</p>"), URL)
            with pytest.raises(NotAFeedError):
                parse(leading_comments(count, b"<!doctype html><html><body>404</body></html>"), URL)
            assert [link.url for link in parse(leading_comments(count, RSS_BODY), URL).links] == RSS_LINKS


def test_root_after_a_long_comment_is_still_named() -> None:
    # The sniffer once looked at the first 64 KiB only, and called such a feed malformed.
    body = b"<!--" + b"x" * (200 * 1024) + b"-->" + RSS_BODY
    assert [link.url for link in parse_listing(body, URL).links] == RSS_LINKS


def test_blank_lines_before_the_root_take_no_time() -> None:
    # feedparser's own DOCTYPE regex backtracks quadratically over the lines before the root element.
    with hang_stopper(30):
        assert feed_urls(b'<?xml version="1.0"?>' + b"\n" * 300_000 + RSS_BODY) == RSS_LINKS


@pytest.mark.parametrize(
    "encoding", ["hex", "base64", "rot13", "zlib", "utf-7", "punycode", "no-such-codec", "utf-16", "idna"]
)
def test_declared_encoding_that_is_no_text_encoding_is_ignored(encoding: str) -> None:
    document = f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + RSS_BODY
    assert feed_urls(document) == RSS_LINKS
    assert [link.url for link in parse_listing(document, URL).links] == RSS_LINKS


def test_undecodable_bytes_are_replaced_not_raised() -> None:
    document = b'<?xml version="1.0" encoding="utf-8"?>' + RSS_BODY.replace(b"Harga Beras", b"Harga \xff\xfe Beras")
    assert feed_urls(document) == RSS_LINKS


@pytest.mark.parametrize("depth", [300, 20_000])
def test_deeply_nested_xml_is_a_listing_or_a_source_error(depth: int) -> None:
    nested = b"<rss version='2.0'><channel>" + b"<div>" * depth + b"x" + b"</div>" * depth + b"</channel></rss>"
    item = b"<item><description>" + b"&lt;b&gt;" * depth + b"</description><link>https://e.example/a</link></item>"
    for body in (nested, item.join([b"<rss version='2.0'><channel>", b"</channel></rss>"])):
        with hang_stopper(60), contextlib.suppress(SourceError):
            parse_feed(body, URL)


def test_deeply_nested_json_feed_is_malformed() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(MalformedJSONError):
        parse_feed(body, URL)


def test_absurd_and_endless_dates_are_no_dates() -> None:
    items = [
        ("https://e.example/1", "Mon, 06 Jan 99999 10:00:00 +0700"),
        ("https://e.example/2", "Tue, 31 Feb -0001 99:99:99 GMT"),
        ("https://e.example/3", "2025-01-06T10:00:00+07:00 " + "x" * 100_000),
    ]
    rss = "".join(f"<item><link>{url}</link><pubDate>{date}</pubDate></item>" for url, date in items)
    listing = parse_feed(f"<rss version='2.0'><channel>{rss}</channel></rss>".encode(), URL)
    assert [link.url for link in listing.links] == [url for url, _ in items]
    # The endless one is left to feedparser's own reading, which takes the date at its start.
    assert [link.published for link in listing.links][:2] == [None, None]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"url": url, "date_published": date} for url, date in items],
    }
    listing = parse_feed(json.dumps(feed).encode(), URL)
    assert [link.published for link in listing.links] == [None, None, None]


def test_feed_over_the_feed_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", len(INDONESIAN_RSS) - 1)
    for parse in (parse_feed, parse_listing):
        with pytest.raises(SourceTooLargeError):
            parse(INDONESIAN_RSS, URL)


def test_atom_still_reads_after_the_rebuild() -> None:
    assert parse_feed(ATOM, "https://wire.example.org/atom.xml").kind == "atom"


@pytest.mark.parametrize("opener", [b"<div>", b"<div><p>"])
def test_feed_links_of_a_page_of_unclosed_elements_take_no_time(opener: bytes) -> None:
    # lexbor's HTML5 tree building is quadratic over these; 50,000 took half a minute.
    page = b"<html><head><link rel='alternate' type='application/rss+xml' href='/rss'></head><body>"
    with hang_stopper(30):
        assert feed_links(page + opener * 50_000, URL) == ["https://www.contohnews.id/rss"]


def test_feed_links_of_text_keep_non_ascii_hrefs_whatever_the_meta_charset() -> None:
    page = "<meta charset='iso-8859-1'><link rel='alternate' type='application/rss+xml' href='/berita-é.xml'>"
    assert feed_links(page, URL) == ["https://www.contohnews.id/berita-é.xml"]


@pytest.mark.parametrize("page", [b"", b"   ", "<?xml version='1.0' encoding='utf-8'?><html/>", b"\x00\xff" * 100])
def test_feed_links_of_empty_or_odd_pages_are_none(page: str | bytes) -> None:
    assert feed_links(page, URL) == []
