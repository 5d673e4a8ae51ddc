"""The WARC archive: every completed HTTP exchange, as a request and a response record, in rotating files.

Raw responses are kept so articles can be re-extracted when the extractor improves. Records are built
with warcio and compressed one gzip member per record (so any record can be read on its own) into files named
``warta-YYYYMMDDHHMMSS-00001.warc.gz`` that rotate at a size limit.

What the response record holds: the body as the fetcher decoded it (Content-Encoding and chunking
undone), under the real status line and headers, except that Content-Encoding, Transfer-Encoding and
Content-Length are renamed to X-Crawler-Content-Encoding and so on, and a Content-Length for the stored
body is added. That is Common Crawl's convention since 2018: the record says truthfully what it holds,
readers (warcio, pywb) need no second decoding, and the original headers are still there to read.
Keeping the wire bytes instead would mean decoding every body twice, once here and once to use it.

A record is flushed as soon as it is written and the file is fsynced when closed, so a killed crawl loses
at most the record being written. Writes are synchronous and meant for the event loop's thread: they are
small and sequential, and a queue or a thread would only add ways to lose records.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from isal import isal_zlib
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from warta._version import __version__

# A gigabyte, the size Heritrix and Common Crawl aim for: few enough files to list, small enough to move.
DEFAULT_MAX_FILE_BYTES = 1024**3

# WARC/1.1 for microsecond WARC-Dates, which keep retries of one URL in order; every current reader
# (warcio, pywb, jwarc) reads 1.1.
WARC_VERSION = "1.1"

# Headers that describe the wire encoding rather than the stored body; renamed, not dropped.
ENCODING_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
RENAMED_PREFIX = "X-Crawler-"

Headers = tuple[tuple[str, str], ...]

# gzip level of the records, compressed by ISA-L (isal) rather than zlib. A crawl's extraction workers keep
# every core busy, so each CPU-millisecond of the crawl process lengthens the crawl: on the shared sets'
# pages (246 KB of HTML on average) zlib's level 1 took 2.6 ms a page and ISA-L's 0.6 ms for files 2 per
# cent smaller (warcio's own level 9 took about 9 ms). Any gzip reader reads the members.
GZIP_LEVEL = 1


def _member(writer: WARCWriter, record: Any) -> bytes:
    """One record as a gzip member of its own: the writer serialises it uncompressed into a buffer."""
    buffer = io.BytesIO()
    writer.out = buffer
    writer.write_record(record)
    compressor = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, isal_zlib.MAX_WBITS + 16)
    return compressor.compress(buffer.getvalue()) + compressor.flush()


def stored_headers(headers: Headers, body_length: int) -> Headers:
    """The response headers as they describe the decoded body (see the module docstring)."""
    renamed = tuple(
        (RENAMED_PREFIX + name, value) if name.lower() in ENCODING_HEADERS else (name, value) for name, value in headers
    )
    if renamed == headers and body_length == 0:
        return headers  # a bodiless answer (a 304) with nothing to correct stays as sent
    return (*renamed, ("Content-Length", str(body_length)))


@dataclass(frozen=True, slots=True)
class Exchange:
    """One completed HTTP exchange as it goes into the archive."""

    url: str
    request_line: str  # "GET /path?query HTTP/1.1"
    request_headers: Headers
    http_version: str  # "HTTP/1.1"
    status: int
    reason: str
    response_headers: Headers  # as received, original case
    body: bytes  # decoded
    fetched_at: datetime
    ip_address: str | None = None
    truncated: bool = False  # the body is a prefix: the rest was past the size limit


class WarcArchive:
    """Writes exchanges to gzipped WARC files in `directory`, starting a new file past `max_file_bytes`."""

    def __init__(
        self, directory: str | os.PathLike[str], *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, prefix: str = "warta"
    ) -> None:
        self.directory = Path(directory)
        self.max_file_bytes = max_file_bytes
        self.prefix = prefix
        self.paths: list[Path] = []  # every file this archive has opened, in order
        # Where the last response record went (its file and the offset of its gzip member), so a store
        # can point at the raw page it extracted an article from.
        self.current_path: Path | None = None
        self.current_offset: int | None = None
        self._serial = 0
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def write(self, exchange: Exchange) -> None:
        """Append the request and response records of `exchange`, flushed to the OS before returning."""
        writer, file = self._open()
        date = datetime_to_iso_date(exchange.fetched_at.astimezone(UTC).replace(tzinfo=None), use_micros=True)
        response_fields = {"WARC-Date": date}
        if exchange.ip_address:
            response_fields["WARC-IP-Address"] = exchange.ip_address
        if exchange.truncated:
            response_fields["WARC-Truncated"] = "length"
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            warc_headers_dict=response_fields,
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason}".rstrip(),
                list(stored_headers(exchange.response_headers, len(exchange.body))),
                protocol=exchange.http_version,
            ),
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            warc_headers_dict={"WARC-Date": date},
            http_headers=StatusAndHeaders(exchange.request_line, list(exchange.request_headers), is_http_request=True),
        )
        # The response first, then its request pointing at it (what warcio's write_request_response_pair
        # does), each compressed as a gzip member of its own.
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        offset = file.tell()
        file.write(_member(writer, response))
        file.write(_member(writer, request))
        file.flush()
        self.current_path, self.current_offset = self.paths[-1], offset
        if file.tell() >= self.max_file_bytes:
            self._close_file()

    def close(self) -> None:
        """Flush, fsync and close the current file; a later `write` starts a new one."""
        self._close_file()

    def _open(self) -> tuple[WARCWriter, IO[bytes]]:
        if self._writer is not None and self._file is not None:
            return self._writer, self._file
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            self._serial += 1
            path = self.directory / f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            try:
                file = path.open("xb")  # never append to or overwrite another run's file
            except FileExistsError:
                continue
            break
        writer = WARCWriter(io.BytesIO(), gzip=False, warc_version=WARC_VERSION)
        info = writer.create_warcinfo_record(
            path.name, {"software": f"Warta/{__version__}", "format": "WARC File Format 1.1"}
        )
        file.write(_member(writer, info))
        file.flush()
        self._file, self._writer = file, writer
        self.paths.append(path)
        return writer, file

    def _close_file(self) -> None:
        if self._file is None:
            return
        file, self._file, self._writer = self._file, None, None
        try:
            file.flush()
            os.fsync(file.fileno())
        finally:
            file.close()
