"""What a bulk job reads: WARC files, folders of them, and manifests of paths or URLs (CC-NEWS `warc.paths.gz`).

Each input gets a name, the key of everything the job writes for it (its Parquet file and its markers), so a
rerun with the same inputs finds its own earlier work whatever order or rank the tasks ran in.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

# File names taken as web archives. ARC (the format before WARC) is not read by the importer.
ARCHIVE_SUFFIXES = (".warc", ".warc.gz")
# Manifests from Common Crawl list paths relative to its public bucket; this is where they resolve.
COMMON_CRAWL_BASE = "https://data.commoncrawl.org/"
COMMON_CRAWL_PREFIX = "crawl-data/"
# A manifest larger than this is not a manifest (a mistyped argument pointing at a big file).
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
# Hex digits of the location's hash that tell apart inputs with one file name.
NAME_HASH = 8


class InputError(ValueError):
    """An input argument that names nothing a bulk job can read."""


@dataclass(frozen=True, slots=True)
class BulkInput:
    """One web archive to extract: where it is, the name its outputs are kept under, and its size when known."""

    name: str
    location: str
    size: int | None = None

    @property
    def remote(self) -> bool:
        return urlsplit(self.location).scheme in ("http", "https")


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def resolve(arguments: Sequence[str], base_url: str | None = None) -> list[BulkInput]:
    """The inputs named by `arguments` (files, folders, manifests, URLs), largest first, each once.

    Unknown sizes (URLs) come first: a CC-NEWS file is about a gigabyte, and the largest tasks should start
    before the small ones so that the job does not end waiting on one big file.
    """
    locations: dict[str, int | None] = {}
    for argument in arguments:
        for location, size in _expand(argument, base_url):
            locations.setdefault(location, size)
    named = _names(locations)
    inputs = [BulkInput(named[location], location, size) for location, size in locations.items()]
    return sorted(inputs, key=lambda item: (item.size is not None, -(item.size or 0), item.name))


def _expand(argument: str, base_url: str | None) -> Iterator[tuple[str, int | None]]:
    if urlsplit(argument).scheme in ("http", "https"):
        yield argument, None
        return
    path = Path(argument)
    if path.is_dir():
        found = sorted(item for item in path.rglob("*") if item.is_file() and is_archive_name(item.name))
        for item in found:
            yield str(item.resolve()), item.stat().st_size
        return
    if not path.is_file():
        raise InputError(f"{argument}: no such file or folder")
    if is_archive_name(path.name):
        yield str(path.resolve()), path.stat().st_size
        return
    yield from _manifest(path, base_url)


def _manifest(path: Path, base_url: str | None) -> Iterator[tuple[str, int | None]]:
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise InputError(f"{path}: not a web archive, and too large to be a manifest")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not a web archive, nor a manifest of paths (not UTF-8 text)") from error
    for line in _lines(text):
        if urlsplit(line).scheme in ("http", "https"):
            yield line, None
        elif base_url is not None or line.startswith(COMMON_CRAWL_PREFIX):
            yield urljoin(base_url or COMMON_CRAWL_BASE, line), None
        else:
            local = (path.parent / line).resolve()
            yield str(local), local.stat().st_size if local.is_file() else None


def _lines(text: str) -> Iterable[str]:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def _names(locations: Iterable[str]) -> dict[str, str]:
    """Each location's name: its file name, with a hash of the location added to every file name that more than
    one location shares (so the name of an input does not depend on which other inputs came first)."""
    bases = {location: PurePosixPath(urlsplit(location).path).name or "input" for location in locations}
    shared = Counter(bases.values())
    named = {}
    for location, base in bases.items():
        if shared[base] > 1:
            digest = hashlib.sha256(location.encode("utf-8")).hexdigest()[:NAME_HASH]
            base = f"{digest}-{base}"
        named[location] = base
    return named
