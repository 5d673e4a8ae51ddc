from __future__ import annotations

import contextlib
import gzip
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from warta.models import Link
from warta.sources import (
    EmptySourceError,
    MalformedJSONError,
    MalformedXMLError,
    NotAFeedError,
    SourceError,
    parse_feed,
    parse_listing,
)

WIB = timezone(timedelta(hours=7))

# An Indonesian outlet's RSS 2.0 feed: WIB offsets, a relative link, a duplicate, an item without a usable
# link, a FeedBurner redirect, an opaque guid and a title spread over lines.
INDONESIAN_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel>
  <title>Berita Terkini - Contoh News</title>
  <link>https://www.contohnews.id/</link>
  <language>id</language>
  <item>
    <title>Banjir Rendam Jakarta,
      Ribuan Warga Mengungsi</title>
    <link>https://www.contohnews.id/berita/2025/01/06/banjir-jakarta</link>
    <pubDate>Mon, 06 Jan 2025 10:00:00 +0700</pubDate>
  </item>
  <item>
    <title>Harga Beras Naik</title>
    <link>/ekonomi/2025/01/06/harga-beras#komentar</link>
    <pubDate>Mon, 06 Jan 2025 09:30:00 WIB</pubDate>
  </item>
  <item>
    <title>Banjir (lagi)</title>
    <link>https://www.contohnews.id/berita/2025/01/06/banjir-jakarta</link>
  </item>
  <item><title>Tanpa tautan</title><link>javascript:void(0)</link></item>
  <item><title>Guid saja</title><guid>123456</guid></item>
  <item>
    <title>Lewat FeedBurner</title>
    <link>https://feedproxy.google.com/~r/contoh/~3/abc/</link>
    <feedburner:origLink>https://www.contohnews.id/olahraga/timnas</feedburner:origLink>
    <pubDate>Sun, 05 Jan 2025 20:00:00 GMT</pubDate>
  </item>
</channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example Wire</title>
  <link rel="alternate" href="https://wire.example.org/"/>
  <link rel="self" href="https://wire.example.org/atom.xml"/>
  <updated>2025-01-06T03:00:00Z</updated>
  <entry>
    <title>Markets open higher</title>
    <link rel="alternate" href="/2025/01/06/markets"/>
    <id>tag:wire.example.org,2025:1</id>
    <published>2025-01-06T02:00:00Z</published>
    <updated>2025-01-06T03:00:00Z</updated>
  </entry>
  <entry>
    <title>No link here</title>
    <id>tag:wire.example.org,2025:2</id>
  </entry>
</feed>"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Contoh JSON",
    "home_page_url": "https://json.example.id/",
    "language": "id",
    "items": [
        {
            "id": "1",
            "url": "https://json.example.id/a",
            "title": "Satu",
            "date_published": "2025-01-06T10:00:00+07:00",
            "date_modified": "2025-01-06T11:00:00+07:00",
        },
        {"id": "https://json.example.id/b", "title": "Dua", "language": "en"},
        {"id": "opaque-3", "title": "No URL at all"},
        {"id": "4", "url": "https://json.example.id/a", "title": "Duplicate"},
        "not an item",
    ],
}


def test_rss_entries_with_wib_dates_resolved_links_and_duplicates_dropped() -> None:
    listing = parse_feed(INDONESIAN_RSS, "https://www.contohnews.id/rss")
    assert listing.kind == "rss"
    assert listing.title == "Berita Terkini - Contoh News"
    assert listing.site_url == "https://www.contohnews.id/"
    assert [link.url for link in listing.links] == [
        "https://www.contohnews.id/berita/2025/01/06/banjir-jakarta",
        "https://www.contohnews.id/ekonomi/2025/01/06/harga-beras",
        "https://www.contohnews.id/olahraga/timnas",
    ]
    first, second, third = listing.links
    assert first.title == "Banjir Rendam Jakarta, Ribuan Warga Mengungsi"
    assert first.published == datetime(2025, 1, 6, 10, 0, tzinfo=WIB)
    assert first.published.utcoffset() == timedelta(hours=7)  # the publisher's offset is kept
    assert first.language == "id"
    # "WIB" written as a zone name means +07:00, not UTC.
    assert second.published == datetime(2025, 1, 6, 2, 30, tzinfo=UTC)
    assert third.published == datetime(2025, 1, 5, 20, 0, tzinfo=UTC)


def test_atom_entries_and_site_link() -> None:
    listing = parse_feed(ATOM, "https://wire.example.org/atom.xml")
    assert listing.kind == "atom"
    assert listing.site_url == "https://wire.example.org/"
    assert listing.links == (
        Link(
            url="https://wire.example.org/2025/01/06/markets",
            published=datetime(2025, 1, 6, 2, 0, tzinfo=UTC),
            modified=datetime(2025, 1, 6, 3, 0, tzinfo=UTC),
            title="Markets open higher",
            language="en",
        ),
    )


def test_rss_1_0_rdf_is_an_rss_listing() -> None:
    rdf = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
             xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://rdf.example.jp/"><title>RDF</title><link>https://rdf.example.jp/</link></channel>
      <item rdf:about="https://rdf.example.jp/1"><title>One</title><link>https://rdf.example.jp/1</link>
        <dc:date>2025-01-06T10:00:00+09:00</dc:date></item>
    </rdf:RDF>"""
    listing = parse_feed(rdf, "https://rdf.example.jp/index.rdf")
    assert listing.kind == "rss"
    assert [link.url for link in listing.links] == ["https://rdf.example.jp/1"]
    assert listing.links[0].modified == datetime(2025, 1, 6, 1, 0, tzinfo=UTC)


def test_entry_without_a_zone_is_utc() -> None:
    rss = b"""<rss version="2.0"><channel><title>T</title><item><link>https://e.example/a</link>
    <pubDate>2025-01-06 10:00:00</pubDate></item></channel></rss>"""
    (link,) = parse_feed(rss, "https://e.example/rss").links
    assert link.published == datetime(2025, 1, 6, 10, 0, tzinfo=UTC)


def test_json_feed() -> None:
    listing = parse_feed(json.dumps(JSON_FEED).encode(), "https://json.example.id/feed.json")
    assert listing.kind == "json-feed"
    assert listing.title == "Contoh JSON"
    assert listing.site_url == "https://json.example.id/"
    assert [link.url for link in listing.links] == ["https://json.example.id/a", "https://json.example.id/b"]
    first, second = listing.links
    assert first.published == datetime(2025, 1, 6, 3, 0, tzinfo=UTC)
    assert first.modified == datetime(2025, 1, 6, 11, 0, tzinfo=WIB)
    assert (first.title, first.language) == ("Satu", "id")
    assert (second.title, second.language, second.published) == ("Dua", "en", None)


def test_json_without_version_is_a_feed_only_when_served_as_one() -> None:
    unversioned = json.dumps({"items": [{"url": "https://j.example/a"}]}).encode()
    with pytest.raises(NotAFeedError):
        parse_listing(unversioned, "https://j.example/feed.json", "application/json")
    listing = parse_listing(unversioned, "https://j.example/feed.json", "application/feed+json; charset=utf-8")
    assert [link.url for link in listing.links] == ["https://j.example/a"]


@pytest.mark.parametrize("body", [b'{"version": "https://jsonfeed.org/version/1", "items": [', b"[" * 100_000 + b"]"])
def test_broken_json_feed_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedJSONError) as caught:
        parse_listing(body if body.startswith(b"{") else b"{" + body, "https://j.example/feed.json")
    assert caught.value.reason == "malformed-json"


def test_listing_sniffs_every_feed_kind() -> None:
    assert parse_listing(INDONESIAN_RSS, "https://www.contohnews.id/rss", "text/html").kind == "rss"
    assert parse_listing(ATOM, "https://wire.example.org/atom.xml").kind == "atom"
    assert parse_listing(json.dumps(JSON_FEED).encode(), "https://json.example.id/f").kind == "json-feed"
    assert parse_listing(gzip.compress(ATOM), "https://wire.example.org/atom.xml.gz").kind == "atom"


def test_html_page_is_not_a_feed() -> None:
    html = b"<!doctype html><html><head><title>Beranda</title></head><body><a href='/a'>A</a></body></html>"
    for parse in (parse_feed, parse_listing):
        with pytest.raises(NotAFeedError) as caught:
            parse(html, "https://www.contohnews.id/")
        assert caught.value.reason == "not-a-feed"


@pytest.mark.parametrize("body", [bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64])
def test_binary_junk_is_refused(body: bytes) -> None:
    with pytest.raises(NotAFeedError):
        parse_feed(body, "https://e.example/rss")


@pytest.mark.parametrize("body", [b"", b"  \n\t "])
def test_empty_feed(body: bytes) -> None:
    with pytest.raises(EmptySourceError) as caught:
        parse_feed(body, "https://e.example/rss")
    assert caught.value.reason == "empty"


def test_feed_root_that_cannot_be_read_is_malformed_xml() -> None:
    with pytest.raises(MalformedXMLError):
        parse_feed(b"<rdf:RDF><item>", "https://e.example/index.rdf")


def test_truncated_feed_keeps_the_entries_before_the_cut() -> None:
    cut = INDONESIAN_RSS[: INDONESIAN_RSS.index(b"<title>Banjir (lagi)") + 20]
    listing = parse_feed(cut, "https://www.contohnews.id/rss")
    assert [link.url for link in listing.links] == [
        "https://www.contohnews.id/berita/2025/01/06/banjir-jakarta",
        "https://www.contohnews.id/ekonomi/2025/01/06/harga-beras",
    ]


def test_every_truncation_is_a_listing_or_a_source_error() -> None:
    for document in (INDONESIAN_RSS, ATOM, json.dumps(JSON_FEED).encode()):
        for end in range(0, len(document), 23):
            with contextlib.suppress(SourceError):
                parse_listing(document[:end], "https://e.example/feed")


def test_external_entity_is_refused_and_not_read() -> None:
    xxe = b"""<?xml version="1.0"?>
    <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
    <rss version="2.0"><channel><title>T &xxe;</title>
    <item><title>&xxe;</title><link>https://e.example/a</link></item></channel></rss>"""
    for parse in (parse_feed, parse_listing):
        with pytest.raises(MalformedXMLError) as caught:
            parse(xxe, "https://e.example/rss")
        assert "root:" not in str(caught.value)


def test_billion_laughs_in_a_feed_is_refused() -> None:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{entities}]>'
    bomb += (
        "<rss version='2.0'><channel><title>&l9;</title><item><link>https://e.example/a</link></item></channel></rss>"
    )
    for parse in (parse_feed, parse_listing):
        with pytest.raises(MalformedXMLError):
            parse(bomb.encode(), "https://e.example/rss")


def test_even_harmless_looking_entity_declarations_are_refused() -> None:
    # One plain entity referenced many times is a "quadratic blowup"; no honest feed declares entities.
    rss = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY nbsp "&#160;">
]>
<rss version="2.0"><channel><title>T</title><item><title>A&nbsp;B</title><link>https://e.example/a</link></item>
</channel></rss>"""
    with pytest.raises(MalformedXMLError):
        parse_feed(rss, "https://e.example/rss")


def test_entity_declaration_shown_in_cdata_is_only_text() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>XML tips</title>
<item><title>XXE</title><link>https://e.example/xxe</link>
<description><![CDATA[Never accept <!ENTITY x SYSTEM "file:///etc/passwd"> from strangers]]></description></item>
</channel></rss>"""
    assert [link.url for link in parse_feed(rss, "https://e.example/rss").links] == ["https://e.example/xxe"]
