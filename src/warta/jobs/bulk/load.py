"""The load stage of a bulk job: its committed Parquet files into a store, each in one transaction, once.

A file is known by its input name and the SHA-256 of its bytes (the one its completion marker records). A
file whose bytes no longer match its marker was damaged after it was written and is not loaded; a row that
cannot be read back into an article is skipped with its reason. Each site gets a publisher, not followed,
as `warta import` gives saved pages one, so that the loaded articles can be browsed and starred.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warta.extras import require
from warta.jobs.bulk.layout import Layout
from warta.jobs.follow import host_name
from warta.jobs.workers import Workers
from warta.models import Article, article_from_dict
from warta.store import Store
from warta.store.articles import search_document
from warta.store.fulltext import Document
from warta.store.loads import LoadRow
from warta.store.schema import URL

# The columns the load reads; the others are for researchers reading the files directly.
COLUMNS = ["url", "canonical_url", "article", "warc_date"]
# Rows decoded at a time: one batch of articles is in memory, whatever the file's size.
BATCH_ROWS = 1000
# Rows a worker reads and analyses per task: enough to make the traffic between processes small.
CHUNK = 32
# The longest article key the store takes (the column's length).
MAX_KEY = URL.length or 2048


@dataclass
class LoadSummary:
    """Files by outcome ("loaded", "already loaded", "damaged", "unreadable"), articles by outcome ("new",
    "changed", "unchanged"), rows skipped by reason, and each file that could not be loaded with its reason."""

    files: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        files = ", ".join(f"{count} {what}" for what, count in sorted(self.files.items())) or "no files"
        stored = ", ".join(f"{self.articles[what]} {what}" for what in ("new", "changed", "unchanged"))
        rate = self.articles.total() / self.seconds if self.seconds else 0.0
        skipped = f", {self.skipped.total()} rows skipped" if self.skipped else ""
        return f"loaded: files {files}; articles {stored}{skipped}; {rate:.0f} rows/s"

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": dict(self.files),
            "articles": dict(self.articles),
            "skipped": dict(self.skipped),
            "failures": [{"file": name, "reason": reason} for name, reason in self.failures],
            "seconds": round(self.seconds, 3),
        }


def load(
    store: Store, root: Path, progress: Callable[[str, int], None] | None = None, *, workers: int | None = None
) -> LoadSummary:
    """Load every committed output file of the bulk job at `root` that the store does not hold yet. The rows
    are read back into articles and analysed for search by `workers` processes (all cores; 1: in this one),
    while this process writes: analysis is most of a load's work, the database a single writer."""
    summary = LoadSummary()
    started = time.perf_counter()
    with Workers(workers, inline=workers == 1) as pool:
        _load_files(store, root, pool, summary, progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _load_files(
    store: Store, root: Path, pool: Workers, summary: LoadSummary, progress: Callable[[str, int], None] | None
) -> None:
    pq = require("pyarrow.parquet", "parquet", "Bulk loading")
    for name, path, marker in Layout(root).committed():
        digest = _sha256(path)
        if marker.get("sha256") not in (None, digest):
            summary.files["damaged"] += 1
            summary.failures.append((name, "the file's SHA-256 is not the one its marker records"))
            continue
        if store.is_loaded(name, digest):
            summary.files["already loaded"] += 1
            continue
        try:
            parquet = pq.ParquetFile(path)
            publishers = _publishers(store, parquet)
            counts = store.load_file(name, digest, _rows(parquet, publishers, pool, summary.skipped))
        except (OSError, ValueError) as error:
            # pyarrow's errors are OSError or ValueError subclasses (ArrowInvalid, ArrowIOError).
            summary.files["unreadable"] += 1
            summary.failures.append((name, f"{type(error).__name__}: {error}"))
            continue
        if counts is None:
            summary.files["already loaded"] += 1
            continue
        summary.files["loaded"] += 1
        summary.articles.update(counts)
        if progress is not None:
            progress("files", 1)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _publishers(store: Store, parquet: Any) -> dict[str, int]:
    """The publisher of each site in the file, added where missing, before the file's transaction (where
    adding one would wait on the transaction's own lock in SQLite)."""
    sites: dict[str, str | None] = {}
    for batch in parquet.iter_batches(columns=["url", "canonical_url", "site_name"], batch_size=BATCH_ROWS):
        for row in batch.to_pylist():
            key = row["canonical_url"] or row["url"]
            if key:
                sites.setdefault(host_name(key), row["site_name"])
    return store.publishers_for_sites(sites)


def _rows(parquet: Any, publishers: dict[str, int], pool: Workers, skipped: Counter[str]) -> Iterator[LoadRow]:
    batches = parquet.iter_batches(columns=COLUMNS, batch_size=BATCH_ROWS)
    records = (row for batch in batches for row in batch.to_pylist())
    for read in pool.imap(_read, records, chunksize=CHUNK):
        if isinstance(read, str):
            skipped[read] += 1
            continue
        article, url, document, archived = read
        publisher_id = publishers.get(host_name(article.canonical_url or url))
        yield LoadRow(article, url, _moment(archived), publisher_id, document)


def _read(row: dict[str, Any]) -> tuple[Article, str, Document, str | None] | str:
    """One row read back into its article and analysed for search (in a worker), or why it cannot be."""
    try:
        article = article_from_dict(json.loads(row["article"]))
    except (TypeError, ValueError, KeyError, AttributeError):
        return "unreadable row"
    url = row["url"] or row["canonical_url"]
    if not url:
        return "unreadable row"
    if len(article.canonical_url or url) > MAX_KEY or len(url) > MAX_KEY:
        return "url too long"
    return article, url, search_document(article), row["warc_date"]


def _moment(value: str | None) -> datetime:
    """When the page was archived; a row without a readable time counts as seen now."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        moment = None
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
