"""Pages from web archives: the responses in a WARC file (Common Crawl, CC-NEWS, Warta's own archive).

warcio reads the format (`.warc` and `.warc.gz`, chunked and gzip-encoded HTTP bodies). What it does not do
is say when a file is damaged: a record cut short comes back with a short body and a file cut inside a gzip
member simply ends. Both are checked here, so a broken file ends in `BrokenWarcError` after the records that
were whole, rather than in silently missing pages or a traceback from deep inside warcio.

Records are streamed one at a time; only the current record's body is ever held in memory.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from warta.models import Fetched
from warta.sources.errors import BrokenWarcError

# Record types that hold a page: `response` (an HTTP exchange) and `resource` (a document stored without
# its protocol, as wget and Webrecorder write some). request, metadata, revisit and warcinfo hold none.
PAGE_RECORD_TYPES = frozenset({"response", "resource"})

# Bodies over this are media or data dumps, not news pages; they are reported with error "too-large" and
# an empty body instead of being held in memory. Common Crawl already truncates its bodies at 1 MiB.
MAX_WARC_BODY_BYTES = 20 * 1024 * 1024

# `Fetched.error` of a record whose Content-Length proved wrong, and of one whose status line is garbled.
BROKEN_RECORD = "broken-record"
MALFORMED_RECORD = "malformed-record"

# A `resource` record carries no HTTP status; it holds a document the archiver did retrieve in full.
RESOURCE_STATUS = 200

# Bytes looked at past the last whole record: a whole file has nothing there but the closing blank lines of
# an uncompressed WARC (two CRLFs, a few more from some writers).
_TAIL_PEEK_BYTES = 64

_READ_CHUNK = 64 * 1024

# The longest header line (WARC or HTTP) read before a file is called broken. warcio reads a line until
# it finds a newline, growing one buffer by concatenation: a file of junk without newlines would be read
# whole into memory, in time quadratic in its size. Real header lines (long cookies, CSP) stay far below.
MAX_WARC_LINE_BYTES = 1024 * 1024


def read_warc(
    path: str | Path,
    hosts: Collection[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[Fetched]:
    """Yield the pages a WARC file holds, as `Fetched` records in file order.

    `hosts` keeps pages of those hosts and their subdomains ("www." is ignored on both sides); `since`
    (inclusive) and `until` (exclusive) keep pages by WARC-Date, naive datetimes taken as UTC, and records
    without a readable date are dropped when either is given. Headers are the HTTP headers with lower-case
    names, as archived; `body` is the payload with transfer and content encodings undone (so a
    `content-encoding` header describes the original transfer, not `body`).

    A record whose Content-Length proves wrong comes as a page with error "broken-record" and no body,
    one over MAX_WARC_BODY_BYTES with error "too-large", and reading goes on. A truncated or corrupt file
    (or one with a header line over MAX_WARC_LINE_BYTES) raises `BrokenWarcError` once the records before
    the damage were yielded; nothing else escapes.
    An unreadable path raises `OSError` as usual.
    """
    wanted_hosts = frozenset(_bare_host(host) for host in hosts) if hosts is not None else None
    start, end = _aware(since), _aware(until)
    with open(path, "rb") as stream:
        yield from _records(stream, wanted_hosts, start, end)


def _records(
    stream: BinaryIO, hosts: frozenset[str] | None, since: datetime | None, until: datetime | None
) -> Iterator[Fetched]:
    records = ArchiveIterator(stream)
    _bound_lines(records)
    last_end = 0
    length_errors = 0
    while True:
        try:
            record = next(records, None)
            if record is None:
                break
            if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                # Mandatory in every WARC record; warcio returns a header block cut short as a record without
                # it, or with the value cut off.
                raise BrokenWarcError(f"record header cut short after offset {last_end}")
            page = _page(record, hosts, since, until)
            _drain(record)
            # Asking for the length makes warcio read on to the next record, and count (in `err_count`,
            # with a warning on stderr) a record that does not end where its Content-Length says.
            last_end = records.get_record_offset() + records.get_record_length()
            _check_member_complete(records)
        except BrokenWarcError:
            raise
        except Exception as error:
            # warcio reports damage as ArchiveLoadFailed, ValueError, EOFError, zlib.error or even an
            # AttributeError on a cut header, depending on where the file breaks; they all mean one thing.
            raise BrokenWarcError(f"corrupt WARC after offset {last_end}: {error!r}") from error
        if getattr(records, "err_count", 0) > length_errors:
            length_errors = records.err_count
            page = _broken(page)
        if page is not None:
            yield page
    _check_tail(stream, last_end)


def _broken(page: Fetched | None) -> Fetched | None:
    # The record's body ran into the next record, or stopped short of its end: none of it can be trusted,
    # but the page is reported (and counted by its reason) instead of silently missing.
    if page is None:
        return None
    return Fetched(page.url, page.final_url, None, (), b"", page.fetched_at, error=BROKEN_RECORD)


def _bound_lines(records: Any) -> None:
    # Every header line warcio reads goes through its buffered reader's readline, so that is where a cap
    # goes; like `_check_member_complete`, this reaches into warcio, and tests/sources/test_hostile_warc.py
    # feeds it a file without newlines to keep it honest.
    reader = getattr(records, "reader", None)
    unbounded = getattr(reader, "readline", None)
    if reader is None or unbounded is None:
        return

    def readline(length: int | None = None) -> bytes:
        cap = MAX_WARC_LINE_BYTES if length is None or length < 0 else min(length, MAX_WARC_LINE_BYTES)
        line: bytes = unbounded(cap)
        if len(line) >= MAX_WARC_LINE_BYTES and not line.endswith(b"\n"):
            raise BrokenWarcError(f"a header line longer than {MAX_WARC_LINE_BYTES} bytes")
        return line

    reader.readline = readline


def _page(record: Any, hosts: frozenset[str] | None, since: datetime | None, until: datetime | None) -> Fetched | None:
    if record.rec_type not in PAGE_RECORD_TYPES:
        return None
    # WARC 1.0's own examples wrap the URI in angle brackets, and some writers copied them.
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    try:
        parts = urlsplit(url)
    except ValueError:  # an unparseable netloc: one bad record, not a broken file
        return None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or host is None:
        return None  # dns:, metadata and other non-web targets
    if hosts is not None and not _host_matches(_bare_host(host), hosts):
        return None
    fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
    if (since is not None or until is not None) and fetched_at is None:
        return None
    if fetched_at is not None and (
        (since is not None and fetched_at < since) or (until is not None and fetched_at >= until)
    ):
        return None
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status: int | None = _status(record.http_headers.get_statuscode())
        if status is None:
            # One garbled status line is a bad record, not a broken file: report it and carry on.
            return Fetched(url, url, None, (), b"", fetched_at, error=MALFORMED_RECORD)
        headers = tuple((name.lower(), value) for name, value in record.http_headers.headers)
    else:
        status = RESOURCE_STATUS
        content_type = record.rec_headers.get_header("Content-Type")
        headers = (("content-type", content_type),) if content_type else ()
    body = record.content_stream().read(MAX_WARC_BODY_BYTES + 1)
    if len(body) > MAX_WARC_BODY_BYTES:
        return Fetched(url, url, status, headers, b"", fetched_at, error="too-large")
    return Fetched(url=url, final_url=url, status=status, headers=headers, body=body, fetched_at=fetched_at)


def _drain(record: Any) -> None:
    # Read what is left of the record so a short one shows: its Content-Length is a promise the file kept
    # only if nothing of it remains unread once the underlying stream is exhausted.
    raw = record.raw_stream
    while raw.read(_READ_CHUNK):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise BrokenWarcError(f"record for {record.rec_headers.get_header('WARC-Target-URI')} is truncated")


def _check_member_complete(records: Any) -> None:
    # In a .warc.gz each record is its own gzip member. A member cut inside its last bytes (the CRC and
    # size trailer) still gives up a whole record, and the records after it are gone without a trace;
    # only the decompressor knows the member never ended. This looks into warcio's reader, so it is read
    # defensively; tests/sources/test_warc.py cuts a file there to keep it honest.
    decompressor = getattr(getattr(records, "reader", None), "decompressor", None)
    if decompressor is not None and not getattr(decompressor, "eof", True):
        # Also what a WARC gzipped whole (`gzip crawl.warc`) looks like: warcio reads those no further either.
        raise BrokenWarcError("gzip member cut short, or the file is gzipped whole instead of per record")


def _check_tail(stream: BinaryIO, last_end: int) -> None:
    # warcio ends quietly when the file stops inside a gzip member or a record header. A whole file ends
    # where its last record does (give or take the closing blank lines of an uncompressed WARC).
    stream.seek(last_end)
    rest = stream.read(_TAIL_PEEK_BYTES)
    if rest.strip():
        raise BrokenWarcError(f"unreadable data after offset {last_end}")


def _status(raw: str | None) -> int | None:
    try:
        status = int((raw or "").strip())
    except ValueError:
        return None
    return status if 100 <= status <= 999 else None


def _warc_date(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return _aware(moment)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _bare_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    return host.removeprefix("www.")


def _host_matches(host: str, wanted: frozenset[str]) -> bool:
    # The host itself or any parent domain of it: "news.detik.com" matches a wanted "detik.com".
    labels = host.split(".")
    return any(".".join(labels[index:]) in wanted for index in range(len(labels)))
