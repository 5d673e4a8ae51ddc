"""Bulk loads: a file of extracted articles put into the store in one transaction, once.

SQLite saves each article as `Store.save` does, in the file's transaction. PostgreSQL copies the file into a
temporary table (COPY: one round trip for the whole file instead of several statements per article), inserts
the articles that are new with `INSERT ... SELECT ... ON CONFLICT DO NOTHING` on the article key, and indexes
and credits them with one statement each; only the rows whose key was stored before (or repeats within the
file) are saved one by one, because they may replace a stored version and keep it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from warta._version import __version__
from warta.models import Article, article_from_dict
from warta.store import fulltext
from warta.store.articles import article_columns, author_credits, content_hash, save_article, search_document, stable_id
from warta.store.schema import loaded_files

# Rows read back from the temporary table per statement, for the articles saved one by one.
READ_BACK = 500


@dataclass(frozen=True, slots=True)
class LoadRow:
    """One article of a bulk file: the article, the address it was fetched from, when, and its publisher."""

    article: Article
    url: str
    seen_at: datetime
    publisher_id: int | None
    # The article analysed for search, when a worker did it; else it is analysed in the transaction.
    document: fulltext.Document | None = None

    @property
    def key(self) -> str:
        return self.article.canonical_url or self.url


class Loads:
    """Bulk loads (a part of `warta.store.Store`)."""

    engine: Engine

    def is_loaded(self, name: str, sha256: str) -> bool:
        with self.engine.connect() as connection:
            query = select(loaded_files.c.name).where(loaded_files.c.name == name, loaded_files.c.sha256 == sha256)
            return connection.execute(query).first() is not None

    def load_file(self, name: str, sha256: str, rows: Iterable[LoadRow]) -> Counter[str] | None:
        """Store the articles of one file in one transaction, with the file's row in `loaded_files`; the
        count of articles "new", "changed" and "unchanged", or None when the file was loaded before (by
        this process or another one loading at the same time)."""
        try:
            with self.engine.begin() as connection:
                # The file's row first: a second loader of the same file waits on it, then finds it taken.
                connection.execute(
                    insert(loaded_files),
                    {"name": name, "sha256": sha256, "rows": 0, "new": 0, "changed": 0,
                     "loaded_at": datetime.now(UTC)},
                )  # fmt: skip
                if connection.dialect.name == "postgresql":
                    counts = _copy_load(connection, rows)
                else:
                    counts = Counter(_save(connection, row) for row in rows)
                connection.execute(
                    loaded_files.update()
                    .where(loaded_files.c.name == name, loaded_files.c.sha256 == sha256)
                    .values(rows=counts.total(), new=counts["new"], changed=counts["changed"])
                )
        except IntegrityError:
            if self.is_loaded(name, sha256):
                return None
            raise
        return counts

    def loaded_file_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(loaded_files)).scalar_one())


def _save(connection: Connection, row: LoadRow) -> str:
    outcome, _ = save_article(
        connection, row.article, content_hash(row.article), row.key, row.url, row.publisher_id, row.seen_at,
        row.document,
    )  # fmt: skip
    return outcome


# The temporary table a file is copied into. `first` marks the first row of each key in the file: the one
# inserted when the key is new (the later ones are then saved over it in file order, as SQLite does).
_STAGE = """
CREATE TEMPORARY TABLE bulk_stage (
    position integer PRIMARY KEY, first boolean NOT NULL, uid varchar(16) NOT NULL, canonical_url text NOT NULL,
    url text NOT NULL, publisher_id integer, title text, published timestamptz, updated timestamptz,
    language varchar(16), site_name varchar(300), section varchar(300), kind varchar(20) NOT NULL,
    data json NOT NULL, content_hash varchar(64) NOT NULL, seen_at timestamptz NOT NULL,
    document text NOT NULL, lead text NOT NULL, authors jsonb NOT NULL
) ON COMMIT DROP
"""
_COPY = (
    "COPY bulk_stage (position, first, uid, canonical_url, url, publisher_id, title, published, updated, language,"
    " site_name, section, kind, data, content_hash, seen_at, document, lead, authors) FROM STDIN"
)
_INSERT_NEW = """
CREATE TEMPORARY TABLE bulk_new ON COMMIT DROP AS
WITH inserted AS (
    INSERT INTO articles (uid, canonical_url, url, publisher_id, title, published, updated, language, site_name,
        section, kind, data, content_hash, version, extractor_version, first_seen_at, last_seen_at)
    SELECT uid, canonical_url, url, publisher_id, title, published, updated, language, site_name, section, kind,
        data, content_hash, 1, :version, seen_at, seen_at
    FROM bulk_stage WHERE first ORDER BY position
    ON CONFLICT (canonical_url) DO NOTHING
    RETURNING id, canonical_url
)
SELECT inserted.id, bulk_stage.position FROM inserted
JOIN bulk_stage ON bulk_stage.canonical_url = inserted.canonical_url AND bulk_stage.first
"""
_INDEX_NEW = """
INSERT INTO article_search (article_id, document, lead)
SELECT bulk_new.id, CAST(bulk_stage.document AS tsvector), CAST(bulk_stage.lead AS tsvector)
FROM bulk_new JOIN bulk_stage USING (position)
"""
_CREDIT_NEW = """
INSERT INTO article_authors (article_id, position, name, role, url)
SELECT bulk_new.id, author.n - 1, author.value->>'name', author.value->>'role', author.value->>'url'
FROM bulk_new JOIN bulk_stage USING (position)
CROSS JOIN LATERAL jsonb_array_elements(bulk_stage.authors) WITH ORDINALITY AS author(value, n)
"""
_REST = "SELECT position FROM bulk_stage WHERE position NOT IN (SELECT position FROM bulk_new) ORDER BY position"
_READ_REST = (
    "SELECT data, url, seen_at, publisher_id FROM bulk_stage WHERE position = ANY(:positions) ORDER BY position"
)


def _copy_load(connection: Connection, rows: Iterable[LoadRow]) -> Counter[str]:
    raw = connection.connection.driver_connection
    if raw is None:  # pragma: no cover - a pooled connection always has its driver's
        raise RuntimeError("no database connection")
    connection.execute(text(_STAGE))
    with raw.cursor() as cursor, cursor.copy(_COPY) as copy:
        for record in _staged(rows):
            copy.write_row(record)
    connection.execute(text(_INSERT_NEW), {"version": __version__})
    connection.execute(text(_INDEX_NEW))
    connection.execute(text(_CREDIT_NEW))
    counts: Counter[str] = Counter(new=connection.execute(text("SELECT count(*) FROM bulk_new")).scalar_one())
    rest = iter([int(row.position) for row in connection.execute(text(_REST))])
    while positions := list(islice(rest, READ_BACK)):
        for row in connection.execute(text(_READ_REST), {"positions": positions}).all():
            article = article_from_dict(row.data)
            counts[_save(connection, LoadRow(article, str(row.url), row.seen_at, row.publisher_id))] += 1
    return counts


def _staged(rows: Iterable[LoadRow]) -> Iterator[tuple[Any, ...]]:
    """The rows of the temporary table, in the file's order."""
    keys: set[str] = set()
    for position, row in enumerate(rows):
        article, key = row.article, row.key
        first = key not in keys
        keys.add(key)
        columns = article_columns(article)
        authors = author_credits(article)
        document = row.document or search_document(article)
        yield (
            position, first, stable_id(key), key, row.url,
            row.publisher_id, columns["title"], columns["published"], columns["updated"], columns["language"],
            columns["site_name"], columns["section"], columns["kind"],
            json.dumps(article.to_dict(), ensure_ascii=False), content_hash(article), row.seen_at,
            fulltext.tsvector(document), fulltext.lead_tsvector(document), json.dumps(authors, ensure_ascii=False),
        )  # fmt: skip
