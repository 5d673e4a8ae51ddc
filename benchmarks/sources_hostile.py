"""Feed Warta's source readers hostile inputs and show each is refused or read in bounded time and memory.

Each case builds its input, then reads it in a fresh process (so peak RSS is that case's alone) with a
wall-clock limit, and the table gives the wall time of the read, the growth of peak RSS during it, and the
outcome: links or pages read, with the damage reason, or the error's reason code.

    python benchmarks/sources_hostile.py                  # every case
    python benchmarks/sources_hostile.py --cases laughs,comments-40
"""

from __future__ import annotations

import argparse
import gzip
import io
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.sources.hostile import bomb_after_comment, leading_comments
from tests.sources.test_feeds import INDONESIAN_RSS
from warta.models import Listing
from warta.sources import SourceError, feed_links, parse_feed, parse_listing, parse_sitemap, read_warc

# Seconds a case may take before it is called hung and its process stopped.
CASE_TIMEOUT = 300.0
URL = "https://e.example/source"
RSS_BODY = INDONESIAN_RSS.split(b"?>", 1)[1]


def _urlset(count: int, path_bytes: int = 0) -> bytes:
    pad = b"a" * path_bytes
    entries = b"".join(b"<url><loc>https://e.example/%d/%s</loc></url>" % (number, pad) for number in range(count))
    return b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>" + entries + b"</urlset>"


def _warc(records: int, body: bytes = b"<html><body><p>Berita</p></body></html>") -> bytes:
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=False)
    for number in range(records):
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


def _wrong_length(warc: bytes) -> bytes:
    second = warc.index(b"WARC/1.0", 1)
    at = warc.index(b"Content-Length: ", second) + len(b"Content-Length: ")
    return warc[:at] + b"9" + warc[at:]


# Each case: a name, how to build its bytes, and which reader takes them ("warc" means a file on disk).
CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "laughs-after-2MB-comment (feed)": (lambda: bomb_after_comment(2 * 1024 * 1024, levels=9), "feed"),
    "laughs-after-2MB-comment (sitemap)": (
        lambda: bomb_after_comment(2 * 1024 * 1024, levels=9, root="urlset"),
        "sitemap",
    ),
    "comments-28 (listing)": (lambda: leading_comments(28, b"<p>not a feed</p>"), "listing"),
    "comments-40 (listing)": (lambda: leading_comments(40, b"<p>not a feed</p>"), "listing"),
    "comments-40 + feed (listing)": (lambda: leading_comments(40, RSS_BODY), "listing"),
    "blank-lines-1M + feed": (lambda: b'<?xml version="1.0"?>' + b"\n" * 1_000_000 + RSS_BODY, "feed"),
    "deep-xml-100k (feed)": (
        lambda: b"<rss version='2.0'><channel>" + b"<div>" * 100_000 + b"</div>" * 100_000 + b"</channel></rss>",
        "feed",
    ),
    "deep-json-1M (feed)": (
        lambda: b'{"version": "https://jsonfeed.org/version/1", "items": ' + b"[" * 10**6 + b"]" * 10**6 + b"}",
        "feed",
    ),
    "homepage-50k-unclosed-divs (feed_links)": (
        lambda: b"<link rel=alternate type=application/rss+xml href=/r>" + b"<div>" * 50_000,
        "page",
    ),
    "sitemap-50MB (45k x 1KB urls)": (lambda: _urlset(45_000, path_bytes=1_100), "sitemap"),
    "sitemap-1M-urls": (lambda: _urlset(1_000_000), "sitemap"),
    "sitemap-gzip-bomb (1 GB)": (lambda: gzip.compress(_urlset(1) + b" " * 2**30, compresslevel=9), "sitemap"),
    "sitemap-truncated (1M urls, cut)": (lambda: _urlset(40_000)[:-100], "sitemap"),
    "warc-truncated": (lambda: _warc(1000)[:-500], "warc"),
    "warc-garbage": (lambda: bytes(range(256)) * 40_000, "warc"),
    "warc-wrong-length": (lambda: _wrong_length(_warc(1000)), "warc"),
    "warc-line-200MB-no-newline": (lambda: _warc(10) + b"WARC/1.0\r\nX: " + b"a" * 200 * 2**20, "warc"),
    "warc-huge-record (100 MB)": (lambda: _warc(1, body=b"a" * 100 * 2**20) + _warc(3), "warc"),
}


def _reset_peak_rss() -> None:
    # Linux lets a process reset its own high-water mark (VmHWM), so building a case's input, which can
    # need more memory than reading it, does not count.
    Path("/proc/self/clear_refs").write_text("5")


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _describe(result: Listing | list[object]) -> str:
    if isinstance(result, Listing):
        return f"{len(result.links)} links" + (f", damage={result.damage}" if result.damage else "")
    errors = sorted({page.error for page in result if getattr(page, "error", None)})  # type: ignore[attr-defined]
    return f"{len(result)} pages" + (f", records with errors: {','.join(errors)}" if errors else "")


def _run(name: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    build, reader = CASES[name]
    data = build()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.warc"
        if reader == "warc":
            path.write_bytes(data)
            del data
        before = _status_kib("VmRSS")
        _reset_peak_rss()
        started = time.perf_counter()
        pages: list[object] = []
        try:
            if reader == "warc":
                for page in read_warc(path):
                    pages.append(page)
                outcome = _describe(pages)
            elif reader == "page":
                outcome = f"{len(feed_links(data, URL))} feed links"
            else:
                parse = {"feed": parse_feed, "listing": parse_listing, "sitemap": parse_sitemap}[reader]
                outcome = _describe(parse(data, URL))
        except SourceError as error:
            outcome = (f"{_describe(pages)}, then " if pages else "") + f"{type(error).__name__} ({error.reason})"
        except Exception as error:  # the point of the table: anything else is a finding, not a crash of it
            outcome = f"UNDOCUMENTED {type(error).__name__}: {error}"[:120]
        elapsed = time.perf_counter() - started
        grown = _status_kib("VmHWM") - before
    queue.put((elapsed, grown / 1024, outcome))


def measure(name: str) -> tuple[str, str, str]:
    """Run one case in a fresh process: wall time, peak-RSS growth (MB) and outcome, as table cells."""
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    process = context.Process(target=_run, args=(name, queue))
    process.start()
    process.join(CASE_TIMEOUT)
    if process.is_alive():
        process.kill()
        process.join()
        return (f">{CASE_TIMEOUT:.0f} s", "?", "HUNG (stopped)")
    if queue.empty():
        return ("?", "?", f"process died (exit code {process.exitcode})")
    elapsed, grown, outcome = queue.get()
    return (f"{elapsed:.3f} s", f"+{grown:.0f} MB", outcome)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated substrings of case names (default: all)")
    args = parser.parse_args(argv)
    wanted = [part.strip() for part in (args.cases or "").split(",") if part.strip()]
    names = [name for name in CASES if not wanted or any(part in name for part in wanted)]
    print("| case | wall time | peak RSS delta | outcome |")
    print("|---|---:|---:|---|")
    for name in names:
        wall, memory, outcome = measure(name)
        print(f"| {name} | {wall} | {memory} | {outcome} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
