from __future__ import annotations

import contextlib
import gzip
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from warta.models import Link, LinkKind
from warta.sources import (
    BrokenGzipError,
    EmptySourceError,
    MalformedXMLError,
    NotAFeedError,
    SourceError,
    SourceTooLargeError,
    parse_listing,
    parse_sitemap,
    payload,
)

WIB = timezone(timedelta(hours=7))

# A Google News sitemap as detik and kompas publish them: news, image and xhtml namespaces, CDATA titles.
NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.detik.com/berita/d-7720001/banjir-rendam-jakarta</loc>
    <lastmod>2025-01-06T10:15:00+07:00</lastmod>
    <news:news>
      <news:publication>
        <news:name>detikNews</news:name>
        <news:language>id</news:language>
      </news:publication>
      <news:publication_date>2025-01-06T10:00:00+07:00</news:publication_date>
      <news:title><![CDATA[Banjir Rendam Jakarta, Ribuan Warga Mengungsi]]></news:title>
    </news:news>
    <image:image><image:loc>https://akcdn.detik.net.id/community/media/visual/banjir.jpg</image:loc></image:image>
  </url>
  <url>
    <loc>
      https://nasional.kompas.com/read/2025/01/06/09300011/harga-beras-naik
    </loc>
    <news:news>
      <news:publication><news:name>Kompas.com</news:name><news:language>id</news:language></news:publication>
      <news:publication_date>2025-01-06T09:30:00+07:00</news:publication_date>
      <news:title>Harga Beras Naik &amp; Stok Menipis</news:title>
    </news:news>
  </url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.contohnews.id/sitemap-news.xml</loc><lastmod>2025-01-06T10:00:00+07:00</lastmod></sitemap>
  <sitemap><loc>/sitemap-2025-01.xml.gz</loc><lastmod>2025-01-05</lastmod></sitemap>
  <sitemap><loc>https://www.contohnews.id/sitemap-news.xml</loc></sitemap>
  <sitemap><loc>ftp://files.contohnews.id/sitemap.xml</loc></sitemap>
  <sitemap><lastmod>2025-01-05</lastmod></sitemap>
</sitemapindex>"""

# No default namespace and an undeclared news: prefix: not namespace-well-formed, but search engines read it.
NO_NAMESPACE = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset>
  <url><loc>https://portal.example.id/a</loc><lastmod>2025-01-06</lastmod></url>
  <url><loc>/b?x=1&amp;y=2#top</loc><news:news><news:title>Bee</news:title></news:news></url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>"""


def test_gzipped_news_sitemap() -> None:
    listing = parse_sitemap(gzip.compress(NEWS_SITEMAP), "https://news.detik.com/sitemap-news.xml.gz")
    assert listing.kind == "news-sitemap"
    assert listing.links == (
        Link(
            url="https://news.detik.com/berita/d-7720001/banjir-rendam-jakarta",
            published=datetime(2025, 1, 6, 10, 0, tzinfo=WIB),
            modified=datetime(2025, 1, 6, 10, 15, tzinfo=WIB),
            title="Banjir Rendam Jakarta, Ribuan Warga Mengungsi",
            language="id",
        ),
        Link(
            url="https://nasional.kompas.com/read/2025/01/06/09300011/harga-beras-naik",
            published=datetime(2025, 1, 6, 9, 30, tzinfo=WIB),
            title="Harga Beras Naik & Stok Menipis",
            language="id",
        ),
    )


def test_sitemap_index_lists_child_sitemaps() -> None:
    listing = parse_sitemap(SITEMAP_INDEX, "https://www.contohnews.id/sitemap_index.xml")
    assert listing.kind == "sitemap-index"
    assert listing.links == (
        Link(
            url="https://www.contohnews.id/sitemap-news.xml",
            kind=LinkKind.SITEMAP,
            modified=datetime(2025, 1, 6, 10, 0, tzinfo=WIB),
        ),
        Link(
            url="https://www.contohnews.id/sitemap-2025-01.xml.gz",
            kind=LinkKind.SITEMAP,
            modified=datetime(2025, 1, 5, tzinfo=UTC),
        ),
    )


def test_sitemap_without_namespace_and_with_an_undeclared_prefix() -> None:
    listing = parse_sitemap(NO_NAMESPACE, "https://portal.example.id/sitemap.xml")
    assert listing.kind == "news-sitemap"
    assert [link.url for link in listing.links] == [
        "https://portal.example.id/a",
        "https://portal.example.id/b?x=1&y=2",
    ]
    assert listing.links[0].modified == datetime(2025, 1, 6, tzinfo=UTC)
    assert listing.links[1].title == "Bee"


def test_plain_sitemap_with_misspelled_namespace() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.84">
    <url><loc>https://e.example/1</loc></url><url><loc>https://e.example/2</loc></url></urlset>"""
    listing = parse_sitemap(body, "https://e.example/sitemap.xml")
    assert listing.kind == "sitemap"
    assert [link.url for link in listing.links] == ["https://e.example/1", "https://e.example/2"]


def test_plain_text_sitemap() -> None:
    body = b"\xef\xbb\xbfhttps://e.example/1\r\n\r\nhttps://e.example/2\nhttps://e.example/1\n"
    for parse in (parse_sitemap, parse_listing):
        listing = parse(body, "https://e.example/sitemap.txt")
        assert listing.kind == "sitemap"
        assert [link.url for link in listing.links] == ["https://e.example/1", "https://e.example/2"]


@pytest.mark.parametrize(
    "body",
    [
        b"User-agent: *\nDisallow: /admin\nSitemap: https://e.example/sitemap.xml\n",
        b"https://e.example/1\nsome words here\n",
        "Halaman tidak ditemukan".encode("utf-16"),
    ],
)
def test_text_that_is_not_a_url_list_is_refused(body: bytes) -> None:
    with pytest.raises(NotAFeedError):
        parse_listing(body, "https://e.example/sitemap.txt")


def test_listing_sniffs_sitemaps() -> None:
    assert parse_listing(SITEMAP_INDEX, "https://www.contohnews.id/sitemap.xml").kind == "sitemap-index"
    assert parse_listing(gzip.compress(NEWS_SITEMAP), "https://news.detik.com/s.xml.gz").kind == "news-sitemap"


def test_a_feed_is_not_a_sitemap_to_parse_sitemap() -> None:
    with pytest.raises(NotAFeedError):
        parse_sitemap(b"<rss version='2.0'><channel></channel></rss>", "https://e.example/rss")


@pytest.mark.parametrize(
    "body",
    [
        NEWS_SITEMAP[: len(NEWS_SITEMAP) // 2],
        b"<urlset><url><loc>https://e.example/1</loc></uurl></urlset>",
        b"<urlset><url><loc>https://e.example/1",
    ],
)
def test_sitemap_broken_before_its_first_entry_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedXMLError) as caught:
        parse_sitemap(body, "https://e.example/sitemap.xml")
    assert caught.value.reason == "malformed-xml"


def test_broken_sitemap_keeps_the_whole_entries_before_the_break() -> None:
    second = NEWS_SITEMAP.index(b"<url>", NEWS_SITEMAP.index(b"</url>"))
    for cut in (second + 40, second + 5, len(NEWS_SITEMAP) - 30):
        listing = parse_sitemap(NEWS_SITEMAP[:cut], "https://e.example/sitemap.xml")
        assert listing.damage == "malformed-xml"
        assert [link.url for link in listing.links] == ["https://news.detik.com/berita/d-7720001/banjir-rendam-jakarta"]
        assert listing.kind == "news-sitemap"
    garbage = b"<urlset><url><loc>https://e.example/1</loc></url><url><loc>https://e.example/2</loc></uurl>"
    listing = parse_listing(garbage, "https://e.example/sitemap.xml")
    assert [link.url for link in listing.links] == ["https://e.example/1"]
    assert listing.damage == "malformed-xml"


def test_whole_sitemap_has_no_damage() -> None:
    assert parse_sitemap(NEWS_SITEMAP, "https://e.example/sitemap.xml").damage is None
    assert parse_sitemap(NO_NAMESPACE, "https://e.example/sitemap.xml").damage is None


def test_every_truncation_is_a_listing_or_a_source_error() -> None:
    for document in (NEWS_SITEMAP, gzip.compress(NEWS_SITEMAP), SITEMAP_INDEX, NO_NAMESPACE):
        for end in range(0, len(document), 17):
            with contextlib.suppress(SourceError):
                parse_listing(document[:end], "https://e.example/sitemap.xml")
            with contextlib.suppress(SourceError):
                parse_sitemap(document[:end], "https://e.example/sitemap.xml")


@pytest.mark.parametrize("body", [bytes(range(256)) * 8, b"\x00" * 100, b"<<<<>>>>", b"<?xml version='1.0'?>"])
def test_binary_junk_is_a_source_error(body: bytes) -> None:
    for parse in (parse_sitemap, parse_listing):
        with pytest.raises(SourceError):
            parse(body, "https://e.example/sitemap.xml")


def test_html_is_not_a_sitemap() -> None:
    html = b"<!DOCTYPE html><html><body><h1>404</h1></body></html>"
    for parse in (parse_sitemap, parse_listing):
        with pytest.raises(NotAFeedError):
            parse(html, "https://e.example/sitemap.xml")


def test_external_entity_is_refused_and_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://e.example/&xxe;</loc><lastmod>&xxe;</lastmod></url>
</urlset>""".encode()
    for parse in (parse_sitemap, parse_listing):
        with pytest.raises(MalformedXMLError) as caught:
            parse(body, "https://e.example/sitemap.xml")
        assert "TOP-SECRET" not in str(caught.value)


def test_billion_laughs_is_refused() -> None:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    body = f"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY l0 "lol">{entities}]>
<urlset><url><loc>https://e.example/&l9;</loc></url></urlset>"""
    for parse in (parse_sitemap, parse_listing):
        with pytest.raises(MalformedXMLError):
            parse(body.encode(), "https://e.example/sitemap.xml")


def test_gzip_bomb_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_LISTING_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"<urlset>" + b"0" * (8 * 1024 * 1024))
    assert len(bomb) < 64 * 1024
    for parse in (parse_sitemap, parse_listing):
        with pytest.raises(SourceTooLargeError) as caught:
            parse(bomb, "https://e.example/sitemap.xml.gz")
        assert caught.value.reason == "too-large"


def test_document_over_the_limit_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_LISTING_BYTES", len(NEWS_SITEMAP) - 1)
    with pytest.raises(SourceTooLargeError):
        parse_sitemap(NEWS_SITEMAP, "https://e.example/sitemap.xml")


def test_just_under_the_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_LISTING_BYTES", len(NEWS_SITEMAP))
    assert parse_sitemap(gzip.compress(NEWS_SITEMAP), "https://e.example/s.xml.gz").kind == "news-sitemap"


@pytest.mark.parametrize("cut", [12, 40, -6])
def test_broken_gzip(cut: int) -> None:
    broken = gzip.compress(NEWS_SITEMAP)[:cut]
    with pytest.raises(BrokenGzipError) as caught:
        parse_sitemap(broken, "https://e.example/sitemap.xml.gz")
    assert caught.value.reason == "broken-gzip"


def test_corrupt_gzip_body() -> None:
    packed = bytearray(gzip.compress(NEWS_SITEMAP))
    packed[20:40] = b"\xff" * 20
    with pytest.raises(BrokenGzipError):
        parse_listing(bytes(packed), "https://e.example/sitemap.xml.gz")


@pytest.mark.parametrize("body", [b"", b"\n \n", gzip.compress(b"  ")])
def test_empty_sitemap(body: bytes) -> None:
    with pytest.raises(EmptySourceError):
        parse_sitemap(body, "https://e.example/sitemap.xml")


def test_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    # A DTD that is not even valid: loading it would fail the parse, so reading the sitemap proves it unread.
    dtd = tmp_path / "sitemap.dtd"
    dtd.write_text("<!ELEMENT urlset garbage ((((>")
    body = f"""<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "{dtd.as_uri()}">
<urlset><url><loc>https://e.example/1</loc></url></urlset>""".encode()
    assert [link.url for link in parse_sitemap(body, "https://e.example/sitemap.xml").links] == ["https://e.example/1"]


def test_absurdly_deep_nesting_is_refused() -> None:
    body = b"<urlset>" + b"<url>" * 1000 + b"</url>" * 1000 + b"</urlset>"
    with pytest.raises(MalformedXMLError):
        parse_sitemap(body, "https://e.example/sitemap.xml")
