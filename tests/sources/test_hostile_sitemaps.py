"""Sitemaps built to hurt: entries up to the damage or the cap, or a documented `SourceError`, promptly."""

from __future__ import annotations

import gzip

import pytest

from tests.sources.hostile import bomb_after_comment, hang_stopper, leading_comments
from tests.sources.test_sitemaps import NEWS_SITEMAP
from warta.sources import MalformedXMLError, SourceTooLargeError, parse_listing, parse_sitemap, payload, sitemaps

URL = "https://e.example/sitemap.xml"


def urlset(count: int) -> bytes:
    entries = b"".join(b"<url><loc>https://e.example/%d</loc></url>" % number for number in range(count))
    return b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>" + entries + b"</urlset>"


def test_entries_over_the_cap_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemaps, "MAX_SITEMAP_ENTRIES", 10)
    listing = parse_sitemap(urlset(25), URL)
    assert [link.url for link in listing.links] == [f"https://e.example/{number}" for number in range(10)]
    assert listing.damage == "too-many-entries"
    exactly = parse_sitemap(urlset(10), URL)
    assert (len(exactly.links), exactly.damage) == (10, None)


def test_index_entries_over_the_cap_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemaps, "MAX_SITEMAP_ENTRIES", 2)
    index = b"<sitemapindex>" + b"<sitemap><loc>/s%d.xml</loc></sitemap>" * 5 % (1, 2, 3, 4, 5) + b"</sitemapindex>"
    listing = parse_listing(index, URL)
    assert (listing.kind, len(listing.links), listing.damage) == ("sitemap-index", 2, "too-many-entries")


@pytest.mark.parametrize("parse", [parse_sitemap, parse_listing])
def test_entity_bomb_after_a_long_comment_is_refused(parse: object) -> None:
    with hang_stopper(30), pytest.raises(MalformedXMLError):
        parse(bomb_after_comment(100 * 1024, levels=5, root="urlset"), URL)  # type: ignore[operator]


def test_parameter_entities_are_refused() -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY % p "x">]><urlset><url><loc>https://e.example/1</loc></url></urlset>'
    with pytest.raises(MalformedXMLError):
        parse_sitemap(body, URL)


def test_many_leading_comments_take_no_time() -> None:
    with hang_stopper(30):
        listing = parse_listing(leading_comments(40, NEWS_SITEMAP.split(b"?>", 1)[1]), URL)
    assert listing.kind == "news-sitemap"


def test_gzip_bomb_sitemap_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_LISTING_BYTES", 2 * 1024 * 1024)
    bomb = gzip.compress(urlset(1) + b" " * (16 * 1024 * 1024))
    with pytest.raises(SourceTooLargeError):
        parse_sitemap(bomb, URL)


def test_deep_entry_is_cut_not_recursed() -> None:
    deep = (
        b"<urlset><url><loc>https://e.example/1</loc></url><url>"
        + b"<x>" * 5_000
        + b"</x>" * 5_000
        + b"</url></urlset>"
    )
    listing = parse_sitemap(deep, URL)
    assert [link.url for link in listing.links] == ["https://e.example/1"]
    assert listing.damage == "malformed-xml"


def test_many_children_in_one_entry_keep_the_first_values() -> None:
    entry = (
        b"<url>" + b"<loc>https://e.example/first</loc>" + b"<loc>https://e.example/other</loc>" * 20_000 + b"</url>"
    )
    listing = parse_sitemap(b"<urlset>" + entry + b"</urlset>", URL)
    assert [link.url for link in listing.links] == ["https://e.example/first"]


@pytest.mark.parametrize("encoding", ["hex", "utf-7", "no-such-codec"])
def test_odd_declared_encodings_end_in_a_source_error_or_a_listing(encoding: str) -> None:
    body = f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + urlset(2)
    try:
        listing = parse_listing(body, URL)
    except MalformedXMLError:
        return
    assert len(listing.links) == 2
