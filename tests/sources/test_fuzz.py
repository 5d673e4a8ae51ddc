"""Fuzz the readers of fetched bytes: whatever the input, only a documented `SourceError` may escape.

Seeds are the real-shaped fixtures of the other tests, mutated byte-wise and structurally. Each test has a
small, fixed example budget and no deadline per example, so the whole file stays well under a minute.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.sources.hostile import hang_stopper
from tests.sources.test_feeds import ATOM, INDONESIAN_RSS, JSON_FEED
from tests.sources.test_sitemaps import NEWS_SITEMAP, NO_NAMESPACE, SITEMAP_INDEX
from warta.models import Listing
from warta.sources import SourceError, parse_feed, parse_listing, parse_sitemap, read_warc
from warta.sources.jsonfeed import parse_json_feed

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: a CI failure reproduces locally
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SEEDS = [INDONESIAN_RSS, ATOM, json.dumps(JSON_FEED).encode(), NEWS_SITEMAP, NO_NAMESPACE, SITEMAP_INDEX]

# Fragments that have broken XML readers before: declarations, entities, odd encodings, deep nesting.
FRAGMENTS = [
    b"<!--a-->" * 30,
    b'<!DOCTYPE x [<!ENTITY a "b">]>',
    b"<!ENTITY",
    b"&a;",
    b'<?xml version="1.0" encoding="hex"?>',
    b'<?xml version="1.0" encoding="utf-7"?>',
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x1f\x8b",
    b"<![CDATA[",
    b"]]>",
    b"<a>" * 300,
    b"[" * 2000,
    b"{" * 2000,
    b"\n" * 2000,
    b"<pubDate>Mon, 06 Jan 99999 10:00:00 +0700</pubDate>",
    b"<lastmod>-0001-99-99</lastmod>",
    b"\x00",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed cut, spliced with a hostile fragment and with a few bytes flipped."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.sampled_from(FRAGMENTS) | st.binary(max_size=16))
    for _ in range(draw(st.integers(0, 4))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    end = draw(st.integers(0, len(data)))
    data = data[: max(end, len(data) - draw(st.integers(0, len(data))))]
    return bytes(gzip.compress(data) if draw(st.booleans()) else data)


def only_documented_errors(read: object, data: bytes) -> None:
    with hang_stopper(30):
        try:
            result = read(data, "https://e.example/feed")  # type: ignore[operator]
        except SourceError:
            return
    assert isinstance(result, Listing)
    assert all(link.url.startswith(("http://", "https://")) for link in result.links)


@FUZZ
@given(mutated())
def test_parse_feed(data: bytes) -> None:
    only_documented_errors(parse_feed, data)


@FUZZ
@given(mutated())
def test_parse_listing(data: bytes) -> None:
    only_documented_errors(parse_listing, data)


@FUZZ
@given(mutated())
def test_parse_sitemap(data: bytes) -> None:
    only_documented_errors(parse_sitemap, data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@FUZZ
@given(
    st.fixed_dictionaries(
        {"version": st.sampled_from(["https://jsonfeed.org/version/1.1", 7, None])},
        optional={
            "items": st.lists(json_values | st.just({"url": "/a", "date_published": "99999-01-01"})),
            "title": json_values,
        },
    ),
    st.booleans(),
)
def test_json_feed_reader(document: dict[str, object], declared: bool) -> None:
    body = json.dumps(document).encode()
    try:
        listing = parse_json_feed(body, "https://e.example/feed.json", declared=declared)
    except SourceError:
        return
    assert listing.kind == "json-feed"


def small_warc(compress: bool) -> bytes:
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=compress)
    for number in range(3):
        body = b"<html><body><p>Berita %d</p></body></html>" % number
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://e.example/{number}",
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2025-01-06T03:00:00Z"},
        )
        writer.write_record(record)
    return stream.getvalue()


WARCS = [small_warc(compress=True), small_warc(compress=False)]


@FUZZ
@given(st.data())
def test_read_warc(tmp_path: Path, data: st.DataObject) -> None:
    warc = bytearray(data.draw(st.sampled_from(WARCS)))
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(warc) - 1))
        if data.draw(st.booleans()):
            warc[at] = data.draw(st.integers(0, 255))
        else:
            warc[at:at] = data.draw(st.binary(max_size=32) | st.sampled_from([b"\r\n", b"WARC/1.0\r\n", b"\x1f\x8b"]))
    warc = warc[: data.draw(st.integers(0, len(warc)))]
    path = tmp_path / "fuzz.warc"
    path.write_bytes(bytes(warc))
    with hang_stopper(30):
        try:
            pages = list(read_warc(path))
        except SourceError:
            return
    assert all(page.url.startswith("https://e.example/") for page in pages)
