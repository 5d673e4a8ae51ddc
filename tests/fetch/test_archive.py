"""The WARC archive: what a crawl writes reads back with warcio as it was fetched; files rotate."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.fetch.server import Handler, Server, page, settings
from warta.fetch import Exchange, Fetcher, WarcArchive
from warta.fetch.archive import stored_headers

FILE_NAME = re.compile(r"warta-\d{14}-\d{5}\.warc\.gz")


def records(*paths: Path) -> list[Any]:
    """Every record of the files, in order, with its content read (warcio streams are read-once)."""
    out = []
    for path in paths:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                record.body = record.content_stream().read()
                out.append(record)
    return out


def responses(found: list[Any]) -> dict[str, Any]:
    return {r.rec_headers.get_header("WARC-Target-URI"): r for r in found if r.rec_type == "response"}


def exchange(n: int = 0, **overrides: Any) -> Exchange:
    values: dict[str, Any] = {
        "url": f"https://news.example/{n}",
        "request_line": f"GET /{n} HTTP/1.1",
        "request_headers": (("Host", "news.example"), ("User-Agent", "Warta/test")),
        "http_version": "HTTP/1.1",
        "status": 200,
        "reason": "OK",
        "response_headers": (("Content-Type", "text/html; charset=utf-8"),),
        "body": f"<p>Berita nomor {n}: gempa di Palu</p>".encode(),
        "fetched_at": datetime(2026, 3, 1, 12, 0, n, 123456, tzinfo=UTC),
    }
    values.update(overrides)
    return Exchange(**values)


@pytest.mark.anyio
async def test_fetched_exchanges_read_back_as_fetched(server: Server, tmp_path: Path) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(200, b"User-agent: *\nDisallow: /private\n")
    server.routes["/gz"] = lambda h: h.reply(200, gzip.compress(page("Gempa")), Content_Encoding="gzip", ETag='"e"')
    server.routes["/old"] = lambda h: h.reply(301, b"", Location="/gz")
    server.routes["/photo"] = lambda h: h.reply(200, b"\x89PNG", content_type="image/png")

    @server.route("/feed")
    def feed(h: Handler) -> None:
        h.reply(304) if h.headers.get("If-None-Match") == '"f"' else h.reply(200, b"<rss/>", ETag='"f"')

    with WarcArchive(tmp_path) as archive:
        async with Fetcher(settings(), archive=archive) as fetcher:
            gz = await fetcher.fetch(server.url("/gz"))
            moved = await fetcher.fetch(server.url("/old"))
            unchanged = await fetcher.fetch(server.url("/feed"), kind="feed", etag='"f"')
            missing = await fetcher.fetch(server.url("/missing"))
            refused = [
                await fetcher.fetch(server.url("/photo")),
                await fetcher.fetch(server.url("/private/x")),
                await fetcher.fetch("http://10.0.0.1/"),
            ]
        path = archive.current_path
    assert gz.ok
    assert moved.ok
    assert unchanged.not_modified
    assert missing.error == "http-404"
    assert [r.error for r in refused] == ["content-type", "robots", "private-address"]
    assert path is not None
    assert FILE_NAME.fullmatch(path.name)
    assert archive.paths == [path]

    found = records(path)
    assert found[0].rec_type == "warcinfo"
    by_url = responses(found)
    # Completed exchanges only: refused ones never produced a whole response to keep.
    assert sorted(by_url) == sorted(server.url(p) for p in ("/robots.txt", "/gz", "/old", "/feed", "/missing"))

    stored = by_url[server.url("/gz")]
    assert stored.body == gz.body == page("Gempa")
    assert stored.http_headers.get_statuscode() == "200"
    assert stored.http_headers.protocol == "HTTP/1.1"
    assert stored.http_headers.get_header("X-Crawler-Content-Encoding") == "gzip"
    assert stored.http_headers.get_header("Content-Length") == str(len(gz.body))
    assert stored.http_headers.get_header("ETag") == '"e"'
    assert stored.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    # Responses in order: robots.txt, /gz, the 301, /gz again through the redirect, the 304, the 404.
    dates = [r.rec_headers.get_header("WARC-Date") for r in found if r.rec_type == "response"]
    assert datetime.fromisoformat(dates[1]) == gz.fetched_at
    assert datetime.fromisoformat(dates[3]) == moved.fetched_at

    assert by_url[server.url("/old")].http_headers.get_statuscode() == "301"
    assert by_url[server.url("/feed")].http_headers.get_statuscode() == "304"
    assert by_url[server.url("/feed")].body == b""
    assert by_url[server.url("/missing")].body == missing.body == b"not found"

    requests = [r for r in found if r.rec_type == "request"]
    assert len(requests) == len([r for r in found if r.rec_type == "response"])
    ids = {r.rec_headers.get_header("WARC-Record-ID") for r in found if r.rec_type == "response"}
    assert all(r.rec_headers.get_header("WARC-Concurrent-To") in ids for r in requests)
    feed_request = next(r for r in requests if r.rec_headers.get_header("WARC-Target-URI") == server.url("/feed"))
    assert feed_request.http_headers.protocol == "GET"
    assert feed_request.http_headers.statusline == "/feed HTTP/1.1"
    assert feed_request.http_headers.get_header("If-None-Match") == '"f"'
    assert feed_request.http_headers.get_header("User-Agent").startswith("Warta/")


def test_files_rotate_at_the_size_limit(tmp_path: Path) -> None:
    with WarcArchive(tmp_path, max_file_bytes=600) as archive:
        for n in range(3):
            archive.write(exchange(n, body=b"x" * 2000))
            assert archive.current_path == archive.paths[-1]
    assert len(archive.paths) == 3
    assert sorted(tmp_path.iterdir()) == archive.paths
    assert all(FILE_NAME.fullmatch(path.name) for path in archive.paths)
    assert [path.name[-13:] for path in archive.paths] == ["00001.warc.gz", "00002.warc.gz", "00003.warc.gz"]
    for n, path in enumerate(archive.paths):
        (only,) = responses(records(path)).values()
        assert only.rec_headers.get_header("WARC-Target-URI") == f"https://news.example/{n}"
        assert only.body == b"x" * 2000


def test_small_records_share_a_file(tmp_path: Path) -> None:
    with WarcArchive(tmp_path, max_file_bytes=1024**2) as archive:
        for n in range(3):
            archive.write(exchange(n))
    assert len(archive.paths) == 1
    assert len(responses(records(archive.paths[0]))) == 3


def test_a_record_is_readable_before_the_archive_is_closed(tmp_path: Path) -> None:
    # What a killed crawl leaves behind: every record written so far, whole.
    archive = WarcArchive(tmp_path)
    archive.write(exchange(1))
    archive.write(exchange(2))
    assert archive.current_path is not None
    assert archive.current_offset is not None
    found = records(archive.current_path)
    assert [r.body for r in responses(found).values()] == [exchange(1).body, exchange(2).body]
    with archive.current_path.open("rb") as stream:  # the offset points at the last response's record
        stream.seek(archive.current_offset)
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_type == "response"
        assert record.content_stream().read() == exchange(2).body
    archive.close()


def test_archive_fields(tmp_path: Path) -> None:
    with WarcArchive(tmp_path) as archive:
        archive.write(exchange(3, truncated=True, ip_address="203.0.113.9", reason=""))
    (stored,) = responses(records(*archive.paths)).values()
    assert stored.rec_headers.get_header("WARC-Truncated") == "length"
    assert stored.rec_headers.get_header("WARC-IP-Address") == "203.0.113.9"
    assert stored.rec_headers.get_header("WARC-Date") == "2026-03-01T12:00:03.123456Z"
    assert stored.http_headers.get_statuscode() == "200"


def test_two_archives_never_share_a_file(tmp_path: Path) -> None:
    with WarcArchive(tmp_path) as first, WarcArchive(tmp_path) as second:
        first.write(exchange(1))
        second.write(exchange(2))
    assert first.paths[0] != second.paths[0]
    assert len(list(tmp_path.iterdir())) == 2


def test_stored_headers_describe_the_decoded_body() -> None:
    sent = (("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"))
    assert stored_headers(sent, 42) == (
        ("Content-Type", "text/html"),
        ("X-Crawler-Content-Encoding", "gzip"),
        ("X-Crawler-Transfer-Encoding", "chunked"),
        ("Content-Length", "42"),
    )
    not_modified = (("ETag", '"v1"'),)
    assert stored_headers(not_modified, 0) == not_modified
