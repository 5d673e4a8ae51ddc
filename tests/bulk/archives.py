"""Web archives for the bulk tests, written with warcio: news-like article pages, with some records that are
not articles mixed in, so that every kind of skip is counted."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAGRAPH = (
    "Pemerintah provinsi menyatakan banjir yang merendam {n} kecamatan mulai surut pada Senin pagi, "
    "namun warga diminta tetap waspada karena hujan deras diperkirakan turun lagi pekan ini."
)


def article_page(site: int, n: int) -> bytes:
    paragraphs = "".join(f"<p>{PARAGRAPH.format(n=n + k)} Laporan {k} dari {site}.</p>" for k in range(6))
    return (
        f"<html lang='id'><head><title>Banjir surut di {n} kecamatan</title>"
        f"<link rel='canonical' href='https://site{site}.example/berita/{n}'>"
        f"<meta property='article:published_time' content='2024-01-{1 + n % 28:02d}T08:00:00+07:00'>"
        f"</head><body><article><h1>Banjir surut di {n} kecamatan</h1>{paragraphs}</article></body></html>"
    ).encode()


def write_archive(path: Path, site: int, articles: int, *, extras: bool = True) -> Path:
    """A WARC of `articles` article responses from one site, plus (with `extras`) an image, a 404 and a
    request record."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.name.endswith(".gz"))
        for n in range(articles):
            _response(writer, f"https://site{site}.example/berita/{n}", article_page(site, n))
        if extras:
            _response(writer, f"https://site{site}.example/logo.png", b"\x89PNG\r\n", "image/png")
            _response(writer, f"https://site{site}.example/hilang", b"<html>404</html>", status="404 Not Found")
    return path


def _response(
    writer: WARCWriter, url: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK"
) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-01-02T03:04:05Z"},
    )
    writer.write_record(record)
