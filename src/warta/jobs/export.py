"""Research exports of the stored articles: JSON Lines, Parquet and CSV, streamed in flat memory.

Every record carries the article's one public id: the first 16 hex digits of the SHA-256 of the canonical
URL. It is the same in every store and every export of the same article, so exports made at different times
or from different crawls can be joined. Each record also
carries its version, the extractor version that produced it, and the provenance of its fields.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from warta.extras import require
from warta.models import StoredArticle

FORMATS = ("jsonl", "parquet", "csv")
# Records per Parquet row group: large enough for good compression, small enough to hold in memory.
PARQUET_BATCH = 2000
# CSV columns: the scalar fields; lists are joined with CSV_LIST_SEPARATOR, records (body) left out but
# for the text.
CSV_COLUMNS = (
    "id", "version", "extractor_version", "url", "canonical_url", "publisher", "site_name", "title",
    "authors", "published", "updated", "language", "section", "tags", "sources", "kind", "text",
)  # fmt: skip
CSV_LIST_SEPARATOR = "; "


def record(stored: StoredArticle) -> dict[str, Any]:
    """The export record of one stored article (see `Store.iter_articles`)."""
    return {
        "id": stored.id,
        "version": stored.version,
        "extractor_version": stored.extractor_version,
        "publisher": stored.publisher.name if stored.publisher is not None else None,
        "first_seen_at": stored.first_seen_at.isoformat(),
        "last_seen_at": stored.last_seen_at.isoformat(),
        **stored.article.to_dict(),
        "canonical_url": stored.canonical_url,
    }


def write(articles: Iterable[StoredArticle], fmt: str, output: Path | IO[str]) -> int:
    """Write `articles` to `output` (a path; JSON Lines and CSV also take a text stream)."""
    records = (record(stored) for stored in articles)
    if fmt == "jsonl":
        return _with_text(output, lambda handle: _jsonl(records, handle))
    if fmt == "csv":
        return _with_text(output, lambda handle: _csv(records, handle))
    if fmt == "parquet":
        if not isinstance(output, Path):
            raise ValueError("Parquet is written to a file, not a stream")
        return _parquet(records, output)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def _with_text(output: Path | IO[str], write_to: Any) -> int:
    if isinstance(output, Path):
        with output.open("w", encoding="utf-8", newline="") as handle:
            return int(write_to(handle))
    return int(write_to(output))


def _jsonl(records: Iterator[dict[str, Any]], handle: IO[str]) -> int:
    count = 0
    for item in records:
        handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv(records: Iterator[dict[str, Any]], handle: IO[str]) -> int:
    writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for item in records:
        flat = dict(item)
        flat["authors"] = CSV_LIST_SEPARATOR.join(person["name"] for person in item.get("authors", ()))
        for name in ("tags", "sources"):
            flat[name] = CSV_LIST_SEPARATOR.join(item.get(name, ()))
        writer.writerow(flat)
        count += 1
    return count


def _parquet(records: Iterator[dict[str, Any]], path: Path) -> int:
    pa = require("pyarrow", "parquet", "Parquet export")
    pq = require("pyarrow.parquet", "parquet", "Parquet export")

    person = pa.struct([("name", pa.string()), ("role", pa.string()), ("url", pa.string())])
    schema = pa.schema(
        [
            ("id", pa.string()), ("version", pa.int32()),
            ("extractor_version", pa.string()), ("url", pa.string()), ("canonical_url", pa.string()),
            ("publisher", pa.string()), ("site_name", pa.string()), ("title", pa.string()),
            ("authors", pa.list_(person)), ("published", pa.string()), ("updated", pa.string()),
            ("language", pa.string()), ("section", pa.string()), ("tags", pa.list_(pa.string())),
            ("sources", pa.list_(pa.string())), ("kind", pa.string()), ("text", pa.string()),
            ("body", pa.string()), ("images", pa.string()), ("provenance", pa.string()),
            ("first_seen_at", pa.string()), ("last_seen_at", pa.string()),
        ]
    )  # fmt: skip
    # Times stay ISO 8601 strings: a timestamp column would keep the instant but drop the article's own
    # offset, which is the point of keeping "06:53 WIB" as +07:00. Records (body, images, provenance) are
    # JSON strings, which every Parquet reader can parse, where nested lists of structs trip some.
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for item in records:
            row = {name: item.get(name) for name in schema.names}
            for name in ("body", "images", "provenance"):
                row[name] = json.dumps(item.get(name), ensure_ascii=False)
            batch.append(row)
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
