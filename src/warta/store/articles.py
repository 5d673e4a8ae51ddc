"""Articles: stored in one transaction with the page they came from, read back as `StoredArticle`s.

Articles are keyed by canonical URL: a re-fetch with the same content only touches `last_seen_at`, one with
changed content keeps the earlier version in `article_versions`. The article, its authors, its search entry,
its page and the frontier row that led to it are committed together, so a crawl killed at any moment has
either stored the article and marked the URL done, or neither.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from warta._version import __version__
from warta.models import Article, ArticleVersion, Fetched, PublisherRef, StoredArticle, article_from_dict
from warta.search.query import Query
from warta.store import frontier as frontier_rows
from warta.store import fulltext
from warta.store import related as related_articles
from warta.store.db import StoreError
from warta.store.pages import resolved_path, response_key, store_folder, stored_path
from warta.store.readers import followed_by as _followed_by
from warta.store.readers import stories_followed_by
from warta.store.schema import article_authors, article_profiles, article_versions, articles, pages, publishers
from warta.store.sql import cut, new_id, upsert

# An article's public id: 16 hex digits. A shorter run of them is taken as a prefix of one, from this length.
ID_LENGTH = 16
MIN_ID_PREFIX = 4
_HEX = re.compile(r"[0-9a-f]+")
# Seconds the list of stored languages is remembered.
LANGUAGES_TTL = 60.0
# Rows read at a time when every article is read (exports).
EXPORT_BATCH = 500
# Tries of one save: a second when a concurrent writer inserted the same article first (its unique key
# refuses ours), which then finds that row; a third conflict would be a bug, not a race.
SAVE_ATTEMPTS = 2


class AmbiguousId(StoreError):
    """An id prefix that more than one article's id starts with."""

    reason = "ambiguous-id"


def content_hash(article: Article) -> str:
    """Whether a re-fetched article changed: these fields as `to_dict` has them, not the whole record."""
    essential = {
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "updated": article.updated.isoformat() if article.updated else None,
        "authors": [{"name": p.name, "role": p.role, "url": p.url} for p in article.authors],
        "body": [
            {"kind": b.kind.value, "text": b.text, **({"level": b.level} if b.level else {})} for b in article.body
        ],
        "images": [{"url": i.url, "caption": i.caption, "credit": i.credit} for i in article.images],
    }
    return hashlib.sha256(json.dumps(essential, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def stable_id(canonical_url: str) -> str:
    """An article's public id, the same across stores and exports: derived from its canonical URL alone."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:ID_LENGTH]


def stored_article(row: Row[Any]) -> StoredArticle:
    return StoredArticle(
        id=row.uid or stable_id(row.canonical_url),
        key=int(row.id),
        article=article_from_dict(row.data),
        canonical_url=str(row.canonical_url),
        url=str(row.url),
        publisher=PublisherRef(int(row.publisher_id), str(row.publisher)) if row.publisher_id is not None else None,
        version=int(row.version),
        extractor_version=str(row.extractor_version),
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        story=row.story_id,
        copy_of=row.copy_of_id,
    )


class Articles:
    """The store's articles, their versions, search and related coverage (a part of `warta.store.Store`)."""

    engine: Engine
    _languages: tuple[float, list[str]]
    _statistics: related_articles.Statistics

    def save(
        self,
        article: Article,
        fetched: Fetched | None,
        *,
        publisher_id: int | None,
        warc_file: str | None = None,
        frontier_id: int | None = None,
        document: fulltext.Document | None = None,
    ) -> str:
        """Store an article and the response it was read from in one transaction; returns "new", "changed"
        or "unchanged". `document` is the article analysed for search, when a worker did it already. A page
        read from a file has no response (`fetched` None): it is keyed by the article's own URL and no page
        row is written. The frontier row, when given, is marked done.

        Saving is idempotent: a response already stored adds no page row (see `warta.store.pages`), and an
        article is what its newest response says, so a response older than the article's last sighting
        (an older archive imported, or re-extracted, after a newer one) leaves it "unchanged" rather than
        adding a version that the next newer response would undo.
        """
        key = article.canonical_url or (fetched.final_url if fetched is not None else article.url)
        if not key:
            raise StoreError("an article without a URL cannot be stored")
        seen_at = (fetched.fetched_at if fetched is not None else None) or datetime.now(UTC)
        url = fetched.final_url if fetched is not None else key
        digest = content_hash(article)
        archive = stored_path(warc_file, store_folder(self.engine)) if warc_file else None
        for attempt in range(SAVE_ATTEMPTS):
            try:
                with self.engine.begin() as connection:
                    outcome, article_id = save_article(
                        connection, article, digest, key, url, publisher_id, seen_at, document
                    )
                    if fetched is not None:
                        connection.execute(_insert_page(connection), _page_row(fetched, article_id, archive))
                    if frontier_id is not None:
                        frontier_rows.finish(connection, frontier_id, frontier_rows.DONE, None)
                return outcome
            except IntegrityError:
                # Another process stored the same article between our read and our insert: read it back.
                if attempt + 1 == SAVE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def articles(
        self,
        *,
        publisher_id: int | None = None,
        language: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        followed_by: int | None = None,
        before: tuple[datetime | None, int] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[StoredArticle]:
        """Articles, newest published first, with the given filters.

        `followed_by` keeps the articles of the publishers and stories a user follows; `before` is a keyset
        cursor, the (published, key) of the last article of the previous page, which stays fast on any page
        where an offset rescans.
        """
        condition = _filters(publisher_id, language, since, until)
        if followed_by is not None:
            condition = and_(condition, _following(followed_by))
        if before is not None:
            condition = and_(condition, _older_than(*before))
        query = (
            ARTICLE_ROWS.where(condition)
            .order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as connection:
            return [stored_article(row) for row in connection.execute(query)]

    def search(
        self,
        query: Query,
        *,
        publisher_id: int | None = None,
        language: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        followed_by: int | None = None,
        newest_first: bool = False,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[int, list[tuple[StoredArticle, float]]]:
        """Articles matching a parsed query (`warta.search.parse`) and the filters: how many (counted up to
        `fulltext.COUNT_CAP`) and this page of them with their rank, best (or newest) first."""
        condition = _filters(publisher_id, language, since, until)
        if followed_by is not None:
            condition = and_(condition, _following(followed_by))
        with self.engine.connect() as connection:
            found = fulltext.search(connection, query, condition, newest_first=newest_first, limit=limit, offset=offset)
            total = fulltext.count(connection, query, condition) if found or offset else 0
            rows = _rows_by_key(connection, [key for key, _ in found])
        return total, [(rows[key], rank) for key, rank in found if key in rows]

    def related(self, article: StoredArticle, limit: int = 6) -> list[tuple[StoredArticle, float]]:
        """Other coverage of the story of `article`: see `warta.store.related`."""
        with self.engine.connect() as connection:
            found = related_articles.related(connection, article, statistics=self._statistics, limit=limit)
            rows = _rows_by_key(connection, [item.article_id for item in found])
        return [(rows[item.article_id], item.share) for item in found if item.article_id in rows]

    def languages(self) -> list[str]:
        """The languages of the stored articles, most common first (remembered for LANGUAGES_TTL seconds:
        every search asks, and counting them reads the whole language index)."""
        at, known = self._languages
        if time.monotonic() - at < LANGUAGES_TTL:
            return known
        query = (
            select(articles.c.language)
            .where(articles.c.language.is_not(None))
            .group_by(articles.c.language)
            .order_by(func.count().desc())
        )
        with self.engine.connect() as connection:
            known = [str(row.language) for row in connection.execute(query)]
        self._languages = (time.monotonic(), known)
        return known

    def iter_articles(
        self,
        *,
        publisher_id: int | None = None,
        language: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        batch: int = EXPORT_BATCH,
    ) -> Iterator[StoredArticle]:
        """Every article matching the filters, in the order they were stored, read `batch` rows at a time:
        memory stays flat however large the store (keyset pagination; an offset would rescan what it skips)."""
        condition = _filters(publisher_id, language, since, until)
        last = 0
        while True:
            query = ARTICLE_ROWS.where(articles.c.id > last, condition).order_by(articles.c.id).limit(batch)
            with self.engine.connect() as connection:
                rows = [stored_article(row) for row in connection.execute(query)]
            if not rows:
                return
            yield from rows
            last = rows[-1].key

    def article(self, key: str) -> StoredArticle | None:
        """An article by its id, a unique prefix of its id, its canonical URL or the URL it was fetched from.
        Raises `AmbiguousId` for a prefix that more than one id starts with."""
        # One indexed lookup at a time: an OR of them makes SQLite scan the table.
        conditions = [articles.c.canonical_url == key, articles.c.url == key]
        lowered = key.lower()
        if MIN_ID_PREFIX <= len(lowered) <= ID_LENGTH and _HEX.fullmatch(lowered):
            # A range, not LIKE: SQLite's LIKE is case-insensitive and then cannot use the index.
            conditions.insert(0, and_(articles.c.uid >= lowered, articles.c.uid < lowered + "g"))
        with self.engine.connect() as connection:
            for condition in conditions:
                rows = list(connection.execute(ARTICLE_ROWS.where(condition).order_by(articles.c.id).limit(2)))
                if len(rows) > 1 and condition is conditions[0] and len(lowered) < ID_LENGTH:
                    raise AmbiguousId(f"more than one article id starts with {key!r}")
                if rows:
                    return stored_article(rows[0])
        return None

    def versions(self, article: StoredArticle) -> list[ArticleVersion]:
        """The earlier versions of an article, oldest first."""
        with self.engine.connect() as connection:
            query = select(article_versions).where(article_versions.c.article_id == article.key)
            return [
                ArticleVersion(
                    version=int(row.version),
                    article=article_from_dict(row.data),
                    content_hash=str(row.content_hash),
                    extractor_version=str(row.extractor_version),
                    seen_at=row.seen_at,
                )
                for row in connection.execute(query.order_by(article_versions.c.version))
            ]

    def article_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(articles)).scalar_one())

    def warc_files(self) -> list[Path]:
        """The archive files the fetched pages were written to, where they are now (see `resolved_path`)."""
        with self.engine.connect() as connection:
            query = select(pages.c.warc_file).where(pages.c.warc_file.is_not(None)).group_by(pages.c.warc_file)
            stored = [str(row.warc_file) for row in connection.execute(query)]
        folder = store_folder(self.engine)
        return sorted({resolved_path(path, folder) for path in stored})

    def page_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(pages)).scalar_one())

    def version_count(self) -> int:
        """How many earlier versions of articles are kept, all articles together."""
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(article_versions)).scalar_one())


def save_article(
    connection: Connection,
    article: Article,
    digest: str,
    key: str,
    url: str,
    publisher_id: int | None,
    seen_at: datetime,
    document: fulltext.Document | None = None,
) -> tuple[str, int]:
    """Store `article` under `key` inside the caller's transaction: "new", "changed" or "unchanged", and its
    row id. `Store.save` and bulk loads (`warta.store.loads`) both save through here; a caller that analysed
    the article for search already (in a worker) passes its `document`."""
    existing = connection.execute(select(articles).where(articles.c.canonical_url == key)).first()
    if existing is None:
        return "new", _insert(connection, article, digest, key, url, publisher_id, seen_at, document)
    article_id = int(existing.id)
    if existing.last_seen_at is not None and seen_at < existing.last_seen_at:
        return "unchanged", article_id
    if existing.content_hash == digest:
        connection.execute(update(articles).where(articles.c.id == article_id).values(last_seen_at=seen_at))
        return "unchanged", article_id
    _replace(connection, existing, article, digest, url, seen_at, document)
    return "changed", article_id


def _insert(
    connection: Connection,
    article: Article,
    digest: str,
    key: str,
    url: str,
    publisher_id: int | None,
    seen_at: datetime,
    document: fulltext.Document | None = None,
) -> int:
    # Statements with their values as parameters, not `.values(...)`: one compiled statement is reused for
    # every article, where `.values` compiles anew each time (the most of a save).
    result = connection.execute(
        _INSERT_ARTICLE,
        {
            "uid": stable_id(key),
            "canonical_url": key,
            "url": url,
            "publisher_id": publisher_id,
            **article_columns(article),
            "data": article.to_dict(),
            "content_hash": digest,
            "version": 1,
            "extractor_version": __version__,
            "first_seen_at": seen_at,
            "last_seen_at": seen_at,
        },
    )
    article_id = new_id(result)
    _write_authors(connection, article_id, article, replace=False)
    fulltext.write(connection, article_id, document or search_document(article), replace=False)
    return article_id


def _replace(
    connection: Connection, existing: Row[Any], article: Article, digest: str, url: str, seen_at: datetime,
    document: fulltext.Document | None = None,
) -> None:  # fmt: skip
    """Keep the stored version in `article_versions` and put `article` in its place."""
    connection.execute(
        insert(article_versions).values(
            article_id=existing.id,
            version=existing.version,
            content_hash=existing.content_hash,
            data=existing.data,
            extractor_version=existing.extractor_version,
            seen_at=existing.last_seen_at,
        )
    )
    connection.execute(
        update(articles)
        .where(articles.c.id == existing.id)
        .values(
            url=url,
            **article_columns(article),
            data=article.to_dict(),
            content_hash=digest,
            version=existing.version + 1,
            story_id=None,
            copy_of=None,
            extractor_version=__version__,
            last_seen_at=seen_at,
        )
    )
    _write_authors(connection, int(existing.id), article)
    fulltext.write(connection, int(existing.id), document or search_document(article), replace=True)
    # What story assignment read from the earlier text no longer holds: the article is assigned again.
    connection.execute(delete(article_profiles).where(article_profiles.c.article_id == existing.id))


def _insert_page(connection: Connection) -> Any:
    """The INSERT of a page row that skips a response already stored (by `response_key`)."""
    dialect = connection.dialect.name
    if dialect not in _INSERT_PAGE:
        _INSERT_PAGE[dialect] = upsert(connection, pages).on_conflict_do_nothing(index_elements=["response_key"])
    return _INSERT_PAGE[dialect]


def _page_row(fetched: Fetched, article_id: int, warc_file: str | None) -> dict[str, Any]:
    fetched_at = fetched.fetched_at or datetime.now(UTC)
    body_sha256 = hashlib.sha256(fetched.body).hexdigest()
    return {
        "url": fetched.url,
        "final_url": fetched.final_url,
        "status": fetched.status,
        "fetched_at": fetched_at,
        "response_key": response_key(fetched.final_url, fetched_at, body_sha256),
        "content_type": fetched.header("content-type"),
        "etag": fetched.header("etag"),
        "last_modified": fetched.header("last-modified"),
        "body_sha256": body_sha256,
        "body_bytes": len(fetched.body),
        "warc_file": warc_file,
        "article_id": article_id,
    }


def _write_authors(connection: Connection, article_id: int, article: Article, replace: bool = True) -> None:
    if replace:
        connection.execute(delete(article_authors).where(article_authors.c.article_id == article_id))
    rows = [{"article_id": article_id, "position": i, **credit} for i, credit in enumerate(author_credits(article))]
    if rows:
        connection.execute(insert(article_authors), rows)


def author_credits(article: Article) -> list[dict[str, Any]]:
    """The article's people as rows of `article_authors` (without their article and position), cut to size."""
    return [{"name": p.name[:300], "role": p.role, "url": cut(p.url, article_authors.c.url)} for p in article.authors]


def _rows_by_key(connection: Connection, keys: Sequence[int]) -> dict[int, StoredArticle]:
    if not keys:
        return {}
    rows = connection.execute(ARTICLE_ROWS.where(articles.c.id.in_(list(keys))))
    return {int(row.id): stored_article(row) for row in rows}


def _filters(publisher_id: int | None, language: str | None, since: datetime | None, until: datetime | None) -> Any:
    conditions = []
    if publisher_id is not None:
        conditions.append(articles.c.publisher_id == publisher_id)
    if language:
        conditions.append(articles.c.language == language)
    if since is not None:
        conditions.append(articles.c.published >= since)
    if until is not None:
        conditions.append(articles.c.published < until)
    return and_(True, *conditions)


def _following(user_id: int) -> Any:
    """The articles of the publishers and of the stories a user follows."""
    return or_(
        articles.c.publisher_id.in_(_followed_by(user_id)), articles.c.story_id.in_(stories_followed_by(user_id))
    )


def _older_than(published: datetime | None, key: int) -> Any:
    """Articles after (published, key) in the order newest published first, undated last."""
    if published is None:
        return and_(articles.c.published.is_(None), articles.c.id < key)
    return or_(
        articles.c.published < published,
        and_(articles.c.published == published, articles.c.id < key),
        articles.c.published.is_(None),
    )


def search_document(article: Article) -> fulltext.Document:
    return fulltext.document(article.title, article.text or article.description or "", article.language)


def article_columns(article: Article) -> dict[str, Any]:
    """The article's columns, cut to their sizes."""
    return {
        "title": article.title,
        "published": article.published,
        "updated": article.updated,
        "language": cut(article.language, articles.c.language),
        "site_name": cut(article.site_name, articles.c.site_name),
        "section": cut(article.section, articles.c.section),
        "kind": article.kind.value,
    }


# Article rows with their publisher's name and the id of the article they copy, as lists and exports read them.
_ORIGINALS = articles.alias("originals")
ARTICLE_ROWS = (
    select(articles, publishers.c.name.label("publisher"), _ORIGINALS.c.uid.label("copy_of_id"))
    .outerjoin(publishers, publishers.c.id == articles.c.publisher_id)
    .outerjoin(_ORIGINALS, _ORIGINALS.c.id == articles.c.copy_of)
)
_INSERT_ARTICLE = insert(articles)
# Per dialect: the upsert differs between SQLite and PostgreSQL, and is compiled once for each.
_INSERT_PAGE: dict[str, Any] = {}
