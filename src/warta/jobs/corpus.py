"""Clean a web-text corpus: JSON Lines of `{"text": …, "url": …}` records through the flattened-text path.

Web-text collections hold each page as its flattened text (see `warta.extract.text`). One page alone says
which lines are its furniture by how they read; a site's pages together say more: a line printed on many of
them ("Kantor Berita Politik RMOL ...", a newsletter pitch, the footer's "About us" paragraph) is furniture
even when it reads as prose. So the cleaner keeps a memory per site of the lines it has seen on its pages.

The corpus streams through in chunks. For each chunk, the workers first hash every line of every record;
the parent adds the hashes to the sites' memories; then the workers extract each record knowing which of
its lines its site prints on many pages. A record is thus judged with everything seen so far and the rest
of its chunk. Memory stays flat: the parent holds one chunk, and each site's memory is bounded (lines seen
on one page only are forgotten first, and the least recently seen sites go when there are too many).
"""

from __future__ import annotations

import os
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from warta.errors import WartaError
from warta.extract import lines as ln
from warta.extract.text import read_text
from warta.extract.urls import site_host
from warta.jobs.workers import Summary, Workers
from warta.jsonlines import json_object

# A line is the site's furniture when it is on at least this many of the site's pages, and on at least this
# share of them: a quote repeated in three follow-up stories of a big site stays, a footer line goes.
MIN_RECURRING_PAGES = 3
RECURRING_SHARE = 0.05
# Records read ahead and judged together: each is cleaned with the memory of its whole chunk.
CHUNK_RECORDS = 2000
# Records handed to a worker at a time.
WORKER_BATCH = 16
# Bounds of the memory. Per site, line counts beyond MAX_LINES_PER_SITE drop the lines seen on one page
# only; beyond MAX_SITES sites, the least recently seen is forgotten. About 100 bytes a line: the memory
# stays under MAX_SITES * MAX_LINES_PER_SITE * 100 bytes however long the corpus.
MAX_LINES_PER_SITE = 4000
MAX_SITES = 2000
# Lines longer than this are never counted: furniture is short, and long lines would fill the memory.
MAX_COUNTED_LINE_CHARS = 400
# Below this many records a worker pool costs more to start than it saves.
MIN_PARALLEL_RECORDS = 64


def site_of(url: str | None) -> str | None:
    """The site a URL belongs to: its host without "www." (sites print the same furniture on every host)."""
    return site_host(url)


def line_hashes(text: str) -> frozenset[int]:
    """The hashes of a page's distinct lines, as the memory counts them."""
    hashes = set()
    for raw in text.splitlines():
        cleaned, _ = ln.clean_line(raw)
        if cleaned and len(cleaned) <= MAX_COUNTED_LINE_CHARS:
            hashes.add(ln.line_hash(ln.line_key(cleaned)))
    return frozenset(hashes)


@dataclass(slots=True)
class _Site:
    pages: int = 0
    counts: Counter[int] = field(default_factory=Counter)


class SiteMemory:
    """How many of each site's pages print each line, within fixed bounds."""

    def __init__(self, max_sites: int = MAX_SITES, max_lines: int = MAX_LINES_PER_SITE) -> None:
        self._sites: OrderedDict[str, _Site] = OrderedDict()
        self._max_sites = max_sites
        self._max_lines = max_lines

    def observe(self, site: str | None, hashes: frozenset[int]) -> None:
        """Count one page of `site` with these line hashes."""
        if site is None:
            return
        memory = self._sites.get(site)
        if memory is None:
            memory = self._sites[site] = _Site()
            if len(self._sites) > self._max_sites:
                self._sites.popitem(last=False)
        else:
            self._sites.move_to_end(site)
        memory.pages += 1
        memory.counts.update(hashes)
        floor = 1
        while len(memory.counts) > self._max_lines:
            # Lossy counting: forget the lines seen on the fewest pages; furniture is on many.
            memory.counts = Counter({h: n for h, n in memory.counts.items() if n > floor})
            floor += 1

    def recurring(self, site: str | None) -> frozenset[int]:
        """The hashes of the lines `site` prints on enough of its pages to be its furniture."""
        memory = self._sites.get(site) if site is not None else None
        if memory is None or memory.pages < MIN_RECURRING_PAGES:
            return frozenset()
        needed = max(MIN_RECURRING_PAGES, RECURRING_SHARE * memory.pages)
        return frozenset(h for h, n in memory.counts.items() if n >= needed)

    def __len__(self) -> int:
        return len(self._sites)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """One input record cleaned, or the reason it was skipped (`record` is then None)."""

    record: dict[str, Any] | None
    removed: Counter[str] = field(default_factory=Counter)
    kept_lines: int = 0
    reason: str | None = None


def tally(summary: Summary, outcome: Cleaned) -> None:
    """Count one cleaned record into a cleaning's summary (`Summary(job="clean")`)."""
    if outcome.record is None:
        summary.skipped[outcome.reason or "error"] += 1
        return
    summary.counts["cleaned"] += 1
    summary.counts["lines kept"] += outcome.kept_lines
    summary.removed.update(outcome.removed)


def parse_record(line: str) -> dict[str, Any] | str:
    """A JSON Lines record with a text, or the reason it is not one."""
    record = json_object(line)
    if isinstance(record, str):
        return record
    if not isinstance(record.get("text"), str):
        return "no text"
    if record.get("url") is not None and not isinstance(record["url"], str):
        return "bad url"
    return record


def clean_record(record: dict[str, Any], recurring: frozenset[int] = frozenset()) -> Cleaned:
    """Clean one record: its text becomes the article's body, its article fields go under "warta"."""
    text, url = record["text"], record.get("url")
    keys = frozenset(ln.line_key(line) for line in _lines_of(text, recurring)) if recurring else frozenset()
    try:
        reading = read_text(text, url, recurring=keys)
    except WartaError as exc:
        return Cleaned(None, reason=exc.reason)
    except (RecursionError, MemoryError) as exc:
        return Cleaned(None, reason=type(exc).__name__)
    article = reading.article.to_dict()
    cleaned_text = article.pop("text")
    article.pop("body")
    out = dict(record)
    out["text"] = cleaned_text
    out["warta"] = article
    removed = reading.removed()
    out["removed"] = dict(removed)
    return Cleaned(out, removed, kept_lines=len(reading.article.body))


def _lines_of(text: str, recurring: frozenset[int]) -> Iterator[str]:
    """The cleaned lines of `text` whose hashes are among `recurring`."""
    for raw in text.splitlines():
        cleaned, _ = ln.clean_line(raw)
        if cleaned and len(cleaned) <= MAX_COUNTED_LINE_CHARS and ln.line_hash(ln.line_key(cleaned)) in recurring:
            yield cleaned


def _hash_task(record: dict[str, Any]) -> frozenset[int]:
    return line_hashes(record["text"])


def _clean_task(job: tuple[dict[str, Any], frozenset[int]]) -> Cleaned:
    return clean_record(*job)


def clean_corpus(
    lines: Iterable[str], workers: int | None = None, memory: SiteMemory | None = None
) -> Iterator[Cleaned]:
    """Clean JSON Lines records in input order, on `workers` processes (all cores by default)."""
    memory = memory if memory is not None else SiteMemory()
    count = workers if workers is not None else (os.cpu_count() or 1)
    source = iter(lines)
    first = list(islice(source, CHUNK_RECORDS))
    inline = count <= 1 or len(first) < MIN_PARALLEL_RECORDS
    # fork: workers start with the language model loaded, as in `warta.jobs.files.extract_many`.
    with Workers(count, start="fork", inline=inline) as pool:
        yield from _clean_chunks(
            first, source, memory, lambda task, items: pool.imap(task, items, chunksize=WORKER_BATCH)
        )


Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]


def _clean_chunks(chunk: list[str], rest: Iterator[str], memory: SiteMemory, mapper: Mapper) -> Iterator[Cleaned]:
    while chunk:
        parsed = [parse_record(line) for line in chunk if line.strip()]
        records = [item for item in parsed if isinstance(item, dict)]
        sites = [site_of(record.get("url")) for record in records]
        for site, hashes in zip(sites, mapper(_hash_task, records), strict=True):
            memory.observe(site, hashes)
        furniture = {site: memory.recurring(site) for site in set(sites)}
        cleaned = mapper(_clean_task, [(r, furniture[site]) for r, site in zip(records, sites, strict=True)])
        for item in parsed:
            yield Cleaned(None, reason=item) if isinstance(item, str) else next(cleaned)
        chunk = list(islice(rest, CHUNK_RECORDS))
