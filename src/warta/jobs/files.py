"""Extract many files at once, on every core, never letting one bad file stop the rest.

The unit of work is a path, not its bytes: workers read their own files, so the parent never holds more
than the results in flight, and a batch of a million pages runs in flat memory.
"""

from __future__ import annotations

import glob
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warta.errors import WartaError
from warta.extract import extract_any
from warta.jobs.workers import Summary, Workers
from warta.models import Article

# Files larger than this are skipped rather than parsed: no news page is 50 MB of HTML, and a bulk job must
# not stall on a mislabelled video or database dump.
MAX_FILE_BYTES = 50 * 1024 * 1024
# Ceiling on the decompressed size of a gzipped page, against decompression bombs.
MAX_DECOMPRESSED_BYTES = 100 * 1024 * 1024
# Below this many files a worker pool costs more to start than it saves.
MIN_PARALLEL_FILES = 32
# Files handed to a worker at a time: large enough to amortise inter-process traffic, small enough that
# the progress bar moves.
CHUNK_SIZE = 8
STDIN = "-"
# Web archives, known by name, or else by their first bytes (a WARC file named without its suffix, as
# crawlers and downloads often leave them): they are imported record by record, not as one page.
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
ARCHIVE_MAGIC = (b"WARC/1.", b"WARC/0.", b"filedesc://")
# Bytes read to sniff a file: a gzip header and the first compressed block that holds the magic.
SNIFF_BYTES = 1024


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: an article, or the reason it was skipped."""

    source: str
    article: Article | None = None
    reason: str | None = None
    message: str | None = None


def tally(summary: Summary, outcome: Outcome) -> None:
    """Count one outcome into a job's summary."""
    if outcome.article is not None:
        summary.counts["extracted"] += 1
    else:
        summary.skipped[outcome.reason or "error"] += 1


def expand_inputs(specs: Iterable[str]) -> Iterator[str]:
    """Expand files, directories (recursively, hidden entries skipped) and glob patterns into paths.

    A spec that names nothing is yielded unchanged so the caller reports it as missing.
    """
    for spec in specs:
        if spec == STDIN:
            yield spec
            continue
        path = Path(spec)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        elif path.exists():
            yield spec
        elif glob.has_magic(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            yield from (m for m in matches if os.path.isfile(m)) if matches else [spec]
        else:
            yield spec


def is_archive(path: str) -> bool:
    """Whether `path` is a web archive (WARC or ARC, gzipped or not), by its name or by its first bytes."""
    if path == STDIN or not os.path.isfile(path):
        return False
    if path.lower().endswith(ARCHIVE_SUFFIXES):
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False  # read as a page, whose reading reports why it cannot be
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, len(max(ARCHIVE_MAGIC, key=len)))
        except zlib.error:
            return False
    return head.startswith(ARCHIVE_MAGIC)


def read_input(source: str) -> bytes:
    """Read a file (or stdin), transparently gunzipping `.gz` files, within the size limits."""
    if source == STDIN:
        import sys

        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        with open(source, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputTooLargeError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    return data


def _gunzip(data: bytes) -> bytes:
    decompressor = zlib.decompressobj(wbits=31)
    try:
        out = decompressor.decompress(data, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as exc:
        raise BrokenArchiveError(f"broken gzip data: {exc}") from exc
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise InputTooLargeError("decompresses to more than the size limit")
    if not decompressor.eof and not out:
        # A truncated archive that still yields a page is kept (crawls cut long downloads short); one
        # that yields nothing is reported as what it is rather than as an empty page.
        raise BrokenArchiveError("truncated gzip data")
    return out


class InputTooLargeError(WartaError):
    """A file is larger than a page can plausibly be."""

    reason = "too-large"


class BrokenArchiveError(WartaError):
    """A compressed file cannot be decompressed."""

    reason = "broken-gzip"


def extract_one(source: str, force_text: bool = False, url: str | None = None) -> Outcome:
    """Read and extract one input, turning every expected failure into a counted reason."""
    try:
        data = read_input(source)
        return Outcome(source, extract_any(data, url, force_text=force_text))
    except FileNotFoundError:
        return Outcome(source, reason="missing", message="no such file")
    except IsADirectoryError:
        return Outcome(source, reason="missing", message="is a directory")
    except PermissionError:
        return Outcome(source, reason="unreadable", message="permission denied")
    except OSError as exc:
        return Outcome(source, reason="unreadable", message=exc.strerror or str(exc))
    except WartaError as exc:
        return Outcome(source, reason=exc.reason, message=str(exc))
    except (RecursionError, MemoryError) as exc:
        return Outcome(source, reason="too-complex", message=type(exc).__name__)
    except Exception as exc:
        return Outcome(source, reason="internal-error", message=f"{type(exc).__name__}: {exc}")


def _extract_task(args: tuple[str, bool]) -> Outcome:
    return extract_one(*args)


def extract_many(sources: list[str], force_text: bool = False, workers: int | None = None) -> Iterator[Outcome]:
    """Extract `sources` in input order, on `workers` processes (all cores by default) for large batches."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    inline = count <= 1 or len(sources) < MIN_PARALLEL_FILES or STDIN in sources
    # fork: the command line holds no threads or connections, and workers start with the language model loaded.
    with Workers(count, start="fork", inline=inline) as pool:
        yield from pool.imap(_extract_task, ((s, force_text) for s in sources), chunksize=CHUNK_SIZE)
