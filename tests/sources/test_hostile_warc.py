"""Web archives built to hurt: every one ends in whole pages and at most one `BrokenWarcError`, promptly."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sources.test_warc import ARTICLE, CRAWL, Entry, urls, write_warc
from warta.models import Fetched
from warta.sources import BrokenWarcError, read_warc
from warta.sources import warc as warc_module

PAGES = ["https://www.detik.com/berita/d-1/banjir", "https://news.detik.com/internasional/d-2/gempa"]


def read_all(path: Path) -> tuple[list[Fetched], BrokenWarcError | None]:
    pages: list[Fetched] = []
    records: Iterator[Fetched] = read_warc(path)
    try:
        pages.extend(records)
    except BrokenWarcError as error:
        return pages, error
    return pages, None


@pytest.fixture
def plain(tmp_path: Path) -> bytes:
    return write_warc(tmp_path / "plain.warc", CRAWL[1:3], compress=False).read_bytes()


def test_header_line_without_end_is_refused_not_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain: bytes
) -> None:
    # Without the cap warcio would concatenate the line into one buffer, in quadratic time.
    monkeypatch.setattr(warc_module, "MAX_WARC_LINE_BYTES", 4096)
    path = tmp_path / "endless.warc"
    path.write_bytes(plain + b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: " + b"a" * 100_000)
    pages, error = read_all(path)
    assert urls(pages) == PAGES
    assert error is not None
    assert "header line longer" in str(error)


def test_http_header_line_over_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc_module, "MAX_WARC_LINE_BYTES", 4096)
    huge_cookie = Entry(PAGES[0], "2025-01-06T03:00:00Z", headers=(("Set-Cookie", "c" * 10_000),))
    path = write_warc(tmp_path / "cookie.warc", [CRAWL[2], huge_cookie], compress=False)
    pages, error = read_all(path)
    assert urls(pages) == [PAGES[1]]
    assert error is not None


def test_long_header_line_under_the_cap_is_read(tmp_path: Path) -> None:
    cookie = Entry(PAGES[0], "2025-01-06T03:00:00Z", headers=(("Set-Cookie", "c" * 30_000),))
    (page,) = read_warc(write_warc(tmp_path / "cookie.warc", [cookie], compress=False))
    assert page.header("set-cookie") == "c" * 30_000


# A length up to 4 over ends inside the closing blank lines, which loses nothing and cannot be told apart.
@pytest.mark.parametrize("change", [-40, -1, 5, 40, 10**12])
def test_wrong_content_length_is_counted_never_read_as_a_page(plain: bytes, tmp_path: Path, change: int) -> None:
    second = plain.index(b"WARC/1.0", 1)
    length = re.compile(rb"Content-Length: (\d+)\r\n").search(plain, second)  # the second record's WARC header
    assert length is not None
    path = tmp_path / "lengths.warc"
    wrong = str(int(length.group(1)) + change).encode()
    path.write_bytes(plain[: length.start(1)] + wrong + plain[length.end(1) :] + plain)
    pages, error = read_all(path)
    assert urls(pages)[:1] == PAGES[:1]
    damaged = [page for page in pages if page.error == "broken-record"]
    assert damaged or error is not None  # the damage is reported, one way or the other
    assert all(page.body == ARTICLE for page in pages if page.error is None)
    assert all(page.body == b"" and page.url == PAGES[1] for page in damaged)
    assert error is None or error.reason == "broken-warc"


def test_uncompressed_record_among_gzip_members(tmp_path: Path, plain: bytes) -> None:
    members = write_warc(tmp_path / "a.warc.gz", CRAWL[1:3], compress=True).read_bytes()
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(members + plain + members)
    pages, error = read_all(path)
    # warcio reads a member or a plain record wherever it starts; either way nothing half-read comes out.
    assert urls(pages)[:2] == PAGES
    assert all(page.body == ARTICLE for page in pages)
    assert error is None or error.reason == "broken-warc"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2] + b"\xff" * 64 + data[len(data) // 2 :],
        lambda data: data.replace(b"WARC/1.0", b"WARC/9.9", 2),
        lambda data: data.replace(b"Content-Length: ", b"Content-Length: \xff", 1),
        lambda data: data.replace(b"\r\n\r\n", b"\r\n", 1),
        lambda data: bytes(byte ^ 0x5A for byte in data),
    ],
)
def test_damaged_plain_files_end_in_broken_warc(plain: bytes, tmp_path: Path, damage: object) -> None:
    path = tmp_path / "damaged.warc"
    path.write_bytes(damage(plain * 2))  # type: ignore[operator]
    pages, error = read_all(path)
    assert all(page.url in PAGES for page in pages)
    assert all(page.body == ARTICLE for page in pages if page.error is None)
    assert error is None or error.reason == "broken-warc"
    assert error is not None or any(page.error for page in pages) or len(pages) == 4


def test_garbage_inside_a_gzip_member(tmp_path: Path) -> None:
    members = bytearray(write_warc(tmp_path / "a.warc.gz", CRAWL[1:3] * 3, compress=True).read_bytes())
    middle = len(members) // 2
    members[middle : middle + 16] = b"\x00" * 16
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(bytes(members))
    pages, error = read_all(path)
    assert error is not None
    assert 0 < len(pages) < 6
    assert all(page.body == ARTICLE for page in pages)


def test_gzip_bomb_body_is_read_only_to_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc_module, "MAX_WARC_BODY_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"\x00" * (64 * 1024 * 1024))
    entry = Entry(PAGES[0], "2025-01-06T03:00:00Z", body=bomb, headers=(("Content-Encoding", "gzip"),))
    path = write_warc(tmp_path / "bomb.warc.gz", [entry, CRAWL[2]], compress=True)
    first, second = read_warc(path)
    assert (first.error, first.body) == ("too-large", b"")
    assert second.body == ARTICLE
