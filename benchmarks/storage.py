"""Bytes per stored article, on SQLite and PostgreSQL, for articles extracted from the pages of the shared sets.

    python benchmarks/storage.py [--pages 1000] [--postgres postgresql://...] [--data-dir ../shared/data]

The pages (fundus, id-news, wcxb-dev, trafilatura-eval, cycled to `--pages`) are extracted on all cores and
each article is saved with its response as a crawl saves it (`Store.save`; the raw page goes to WARC files,
not to the store, so it is not counted). Reported: the store's size over its article count, in all and per
table (SQLite: the `dbstat` table after a checkpoint, so the write-ahead log is in the file; PostgreSQL:
`pg_total_relation_size`, indexes and TOAST included), and the body's own size (the UTF-8 of its text) for
scale. The PostgreSQL database's public schema is emptied first.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)

from benchmarks.crawl import page_files  # noqa: E402

if TYPE_CHECKING:
    from warta.models import Article

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
ARCHIVED_AT = datetime(2024, 5, 1, tzinfo=UTC)


def _extract(job: tuple[int, str]) -> tuple[int, Article] | None:
    import warta

    number, path = job
    data = Path(path).read_bytes()
    try:
        article = warta.extract(gzip.decompress(data) if path.endswith(".gz") else data)
    except warta.ExtractionError:
        return None
    return (number, article) if article.body and article.kind.value == "article" else None


def articles(data_dir: Path, pages: int) -> list[tuple[int, Article]]:
    jobs = [(n, str(path)) for n, path in enumerate(page_files(data_dir, pages))]
    with ProcessPoolExecutor() as pool:
        return [found for found in pool.map(_extract, jobs, chunksize=16) if found is not None]


def fill(url: str, extracted: Iterable[tuple[int, Article]]) -> tuple[int, int]:
    """Save every article (each at its own address, as page n of a site) into the store at `url`; the count
    and the bytes of their bodies."""
    from dataclasses import replace

    from warta.models import Fetched
    from warta.store import Store

    count = body_bytes = 0
    with Store(url) as store:
        for number, article in extracted:
            address = f"https://bench.example/{number}"
            page = Fetched(address, address, 200, (("content-type", "text/html"),), b"<html>", ARCHIVED_AT)
            store.save(replace(article, canonical_url=address), page, publisher_id=None)
            count += 1
            body_bytes += len((article.text or "").encode("utf-8"))
    return count, body_bytes


def sqlite_sizes(path: Path) -> dict[str, int]:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    try:
        rows = connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:  # a SQLite built without dbstat: the file alone
        rows = []
    connection.close()
    sizes = {str(name): int(size) for name, size in rows}
    sizes["(file)"] = path.stat().st_size
    return sizes


def postgres_sizes(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    from warta.store.db import normalize_url

    engine = create_engine(normalize_url(url))
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT relname, pg_total_relation_size(oid) FROM pg_class "
                "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            )
        ).all()
    engine.dispose()
    sizes = {str(name): int(size) for name, size in rows}
    sizes["(all tables)"] = sum(sizes.values())
    return sizes


def reset_postgres(url: str) -> None:
    from benchmarks.bulk import reset_postgres as reset

    reset(url)


def report(label: str, sizes: dict[str, int], count: int, body_bytes: int, total: str) -> None:
    print(f"{label}: {count} articles, {sizes[total] / count / 1024:.1f} KB per article in all "
          f"(the body alone {body_bytes / count / 1024:.1f} KB)")  # fmt: skip
    for name, size in sorted(sizes.items(), key=lambda item: -item[1])[:8]:
        if name != total:
            print(f"  {name:<36}{size / count / 1024:8.1f} KB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--postgres", help="Also fill this PostgreSQL database (its public schema is emptied).")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    extracted = articles(args.data_dir, args.pages)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.db"
        count, body_bytes = fill(f"sqlite:///{path}", extracted)
        report("SQLite", sqlite_sizes(path), count, body_bytes, "(file)")
    if args.postgres:
        reset_postgres(args.postgres)
        count, body_bytes = fill(args.postgres, extracted)
        report("PostgreSQL", postgres_sizes(args.postgres), count, body_bytes, "(all tables)")


if __name__ == "__main__":
    main()
