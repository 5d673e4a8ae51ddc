from __future__ import annotations

import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warta.models import Fetched
from warta.sources import BrokenWarcError, read_warc
from warta.sources import warc as warc_module

ARTICLE = b"<html><head><title>Banjir</title></head><body><p>Banjir merendam Jakarta.</p></body></html>"


@dataclass(frozen=True)
class Entry:
    """One record to write: a response unless `kind` says otherwise."""

    url: str
    date: str
    body: bytes = ARTICLE
    status: str = "200 OK"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=UTF-8"),)
    kind: str = "response"


def chunked_gzip(body: bytes) -> bytes:
    packed = gzip.compress(body)
    half = len(packed) // 2
    chunks = [packed[:half], packed[half:]]
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def write_warc(path: Path, entries: Iterable[Entry], *, compress: bool) -> Path:
    # Lengths are given so warcio writes straight through instead of spooling to temporary files it leaves open.
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        for entry in entries:
            warc_headers = {"WARC-Date": entry.date}
            if entry.kind == "response":
                http = StatusAndHeaders(entry.status, list(entry.headers), protocol="HTTP/1.1")
                payload = entry.body
                options = {"http_headers": http}
            elif entry.kind == "request":
                payload = b"GET / HTTP/1.1\r\nHost: www.detik.com\r\nUser-Agent: test\r\n\r\n"
                options = {}
            else:
                payload = entry.body
                options = {"warc_content_type": "text/html"}
            record = writer.create_warc_record(
                entry.url,
                entry.kind,
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_headers_dict=warc_headers,
                **options,
            )
            writer.write_record(record)
    return path


CRAWL = (
    Entry("https://www.detik.com/berita/d-1/banjir", "2025-01-06T03:00:00Z", kind="request"),
    Entry(
        "https://www.detik.com/berita/d-1/banjir",
        "2025-01-06T03:00:00Z",
        body=chunked_gzip(ARTICLE),
        headers=(
            ("Content-Type", "text/html; charset=UTF-8"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
            ("X-Cache", "HIT"),
        ),
    ),
    Entry("https://news.detik.com/internasional/d-2/gempa", "2025-01-06T05:30:00.250Z"),
    Entry("https://kompas.com/read/2025/01/07/harga", "2025-01-07T01:00:00Z", status="404 Not Found", body=b"nope"),
    Entry("https://notdetik.com/a", "2025-01-07T02:00:00Z"),
    Entry("https://www.kompas.com/stored.html", "2025-01-08T00:00:00Z", kind="resource"),
    Entry("https://www.kompas.com/meta", "2025-01-08T00:00:00Z", kind="metadata", body=b"fetchTimeMs: 12"),
)


@pytest.fixture(params=[True, False], ids=["warc.gz", "warc"])
def crawl(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    name = "crawl.warc.gz" if request.param else "crawl.warc"
    return write_warc(tmp_path / name, CRAWL, compress=request.param)


def urls(pages: Iterable[Fetched]) -> list[str]:
    return [page.url for page in pages]


def test_responses_and_resources_in_file_order(crawl: Path) -> None:
    pages = list(read_warc(crawl))
    assert urls(pages) == [
        "https://www.detik.com/berita/d-1/banjir",
        "https://news.detik.com/internasional/d-2/gempa",
        "https://kompas.com/read/2025/01/07/harga",
        "https://notdetik.com/a",
        "https://www.kompas.com/stored.html",
    ]
    first = pages[0]
    assert first.final_url == first.url
    assert (first.status, first.ok, first.error) == (200, True, None)
    assert first.body == ARTICLE  # chunking and gzip content-encoding undone
    assert first.header("content-type") == "text/html; charset=UTF-8"
    assert first.header("x-cache") == "HIT"
    assert all(name == name.lower() for name, _ in first.headers)
    assert first.fetched_at == datetime(2025, 1, 6, 3, 0, tzinfo=UTC)
    assert pages[1].fetched_at == datetime(2025, 1, 6, 5, 30, 0, 250000, tzinfo=UTC)
    assert (pages[2].status, pages[2].body, pages[2].ok) == (404, b"nope", False)
    resource = pages[4]
    assert (resource.status, resource.body, resource.header("content-type")) == (200, ARTICLE, "text/html")


def test_filter_by_host_takes_subdomains_and_ignores_www(crawl: Path) -> None:
    assert urls(read_warc(crawl, hosts={"detik.com"})) == [
        "https://www.detik.com/berita/d-1/banjir",
        "https://news.detik.com/internasional/d-2/gempa",
    ]
    assert urls(read_warc(crawl, hosts=["www.kompas.com", "NEWS.DETIK.COM."])) == [
        "https://news.detik.com/internasional/d-2/gempa",
        "https://kompas.com/read/2025/01/07/harga",
        "https://www.kompas.com/stored.html",
    ]
    assert urls(read_warc(crawl, hosts=[])) == []


def test_filter_by_date_since_inclusive_until_exclusive(crawl: Path) -> None:
    since = datetime(2025, 1, 6, 5, 30, 0, 250000, tzinfo=UTC)
    until = datetime(2025, 1, 7, 2, 0, tzinfo=UTC)
    assert urls(read_warc(crawl, since=since, until=until)) == [
        "https://news.detik.com/internasional/d-2/gempa",
        "https://kompas.com/read/2025/01/07/harga",
    ]
    wib = timezone(timedelta(hours=7))
    assert urls(read_warc(crawl, since=datetime(2025, 1, 7, 9, 0, tzinfo=wib))) == [
        "https://notdetik.com/a",
        "https://www.kompas.com/stored.html",
    ]
    naive_as_utc = urls(read_warc(crawl, until=datetime(2025, 1, 6, 4, 0)))
    assert naive_as_utc == ["https://www.detik.com/berita/d-1/banjir"]


def test_filters_combine(crawl: Path) -> None:
    pages = read_warc(crawl, hosts={"kompas.com"}, since=datetime(2025, 1, 8, tzinfo=UTC))
    assert urls(pages) == ["https://www.kompas.com/stored.html"]


def test_body_over_the_limit_is_reported_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc_module, "MAX_WARC_BODY_BYTES", 1000)
    path = write_warc(
        tmp_path / "big.warc.gz",
        [Entry("https://e.example/video", "2025-01-06T00:00:00Z", body=b"v" * 5000), CRAWL[2]],
        compress=True,
    )
    big, after = read_warc(path)
    assert (big.status, big.body, big.error, big.ok) == (200, b"", "too-large", False)
    assert after.body == ARTICLE


def test_large_records_read_whole(tmp_path: Path) -> None:
    # Bigger than warcio's read blocks, so member and record ends fall inside later blocks.
    body = bytes(range(256)) * 2000
    entries = [Entry(f"https://e.example/{n}", "2025-01-06T00:00:00Z", body=body) for n in range(3)]
    for compress in (True, False):
        pages = list(read_warc(write_warc(tmp_path / f"large{compress}.warc", entries, compress=compress)))
        assert [len(page.body) for page in pages] == [len(body)] * 3


def test_malformed_status_line_is_one_bad_record(tmp_path: Path) -> None:
    bad = Entry("https://e.example/odd", "2025-01-06T00:00:00Z", status="OK")
    pages = list(read_warc(write_warc(tmp_path / "odd.warc", [bad, CRAWL[2]], compress=False)))
    assert [(page.status, page.error) for page in pages] == [(None, "malformed-record"), (200, None)]


def read_until_broken(path: Path) -> tuple[list[Fetched], BrokenWarcError | None]:
    pages: list[Fetched] = []
    try:
        for page in read_warc(path):
            pages.append(page)
    except BrokenWarcError as error:
        return pages, error
    return pages, None


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_truncated_file_yields_whole_records_then_raises(tmp_path: Path, compress: bool) -> None:
    whole = write_warc(tmp_path / "whole.warc", CRAWL, compress=compress).read_bytes()
    expected = urls(read_warc(tmp_path / "whole.warc"))
    cut_path = tmp_path / "cut.warc"
    outcomes: set[int] = set()
    for end in range(1, len(whole), 11):
        cut_path.write_bytes(whole[:end])
        pages, error = read_until_broken(cut_path)
        if error is None:
            # Only a cut between two records leaves a file that is whole as far as it goes.
            rest = whole[end:].lstrip(b"\r\n")
            assert not rest or rest.startswith((b"WARC/", b"\x1f\x8b")), end
        else:
            assert error.reason == "broken-warc"
            outcomes.add(len(pages))
        assert urls(pages) == expected[: len(pages)]
        assert all(page.body in (ARTICLE, b"nope") for page in pages)  # nothing half-read is yielded
    # Damage is reported after 0, 1, ... all pages (the last record, metadata, holds no page).
    assert outcomes == set(range(len(expected) + 1))


def test_file_cut_inside_the_last_gzip_trailer(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", CRAWL[:3], compress=True).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[:-4])  # the record decompresses whole; only the member's size field is missing
    pages = read_warc(cut)
    assert urls([next(pages)]) == ["https://www.detik.com/berita/d-1/banjir"]
    with pytest.raises(BrokenWarcError):
        next(pages)


@pytest.mark.parametrize(
    "junk", [b"garbage\x00\xff" * 50, b"WARC/1.0\r\nWARC-Type: response\r\n\r\n", gzip.compress(b"x")]
)
def test_corrupt_file_raises_broken_warc(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(junk)
    with pytest.raises(BrokenWarcError):
        list(read_warc(path))


def test_trailing_garbage_after_whole_records(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "tail.warc", CRAWL[1:3], compress=False)
    path.write_bytes(path.read_bytes() + b"\x00\x01 not a record")
    pages = read_warc(path)
    assert len([next(pages), next(pages)]) == 2
    with pytest.raises(BrokenWarcError):
        next(pages)


def test_empty_file_has_no_pages(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc"
    path.write_bytes(b"")
    assert list(read_warc(path)) == []


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_warc(tmp_path / "absent.warc.gz"))


def test_unparseable_target_uri_skips_only_that_record(tmp_path: Path) -> None:
    bad = Entry("http://[::1/broken", "2025-01-06T00:00:00Z")
    path = write_warc(tmp_path / "odd-uri.warc.gz", [bad, CRAWL[2]], compress=True)
    assert urls(read_warc(path)) == ["https://news.detik.com/internasional/d-2/gempa"]


def test_angle_bracketed_target_uri(tmp_path: Path) -> None:
    path = write_warc(
        tmp_path / "brackets.warc", [Entry("<https://e.example/a>", "2025-01-06T00:00:00Z")], compress=False
    )
    assert urls(read_warc(path)) == ["https://e.example/a"]


def test_warc_gzipped_whole_is_refused_after_its_first_record(tmp_path: Path) -> None:
    plain = write_warc(tmp_path / "plain.warc", CRAWL[1:4], compress=False).read_bytes()
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain))
    pages, error = read_until_broken(whole)
    assert error is not None
    assert urls(pages) == ["https://www.detik.com/berita/d-1/banjir"]
