"""Reading and writing the store: publishers, their sources, the crawl frontier, pages and articles.

Every write that must not be half done is one transaction: an article, its authors, its earlier version and
the frontier row that led to it are committed together, so a crawl killed at any moment has either stored
the article and marked the URL done, or neither, and the next crawl fetches it again. Articles are keyed by
canonical URL: a re-fetch with the same content only touches `last_seen_at`, one with changed content keeps
the earlier version in `article_versions`.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from warta import __version__
from warta.extract.urls import site_host
from warta.models import Article, Link
from warta.search import index as search_index
from warta.search import related as search_related
from warta.search.query import Query
from warta.store import db
from warta.store.schema import (
    LOCAL_USER_ID,
    article_authors,
    article_versions,
    articles,
    follows,
    frontier,
    pages,
    publishers,
    sources,
    users,
)

# Frontier states.
QUEUED, FETCHING, DONE, FAILED, SKIPPED = "queued", "fetching", "done", "failed", "skipped"
# A URL that failed this many times is given up (it stays in the frontier, so it is not queued again).
MAX_ATTEMPTS = 3
# Sources are polled at this interval; one that keeps failing waits longer, up to MAX_SOURCE_BACKOFF.
SOURCE_INTERVAL = timedelta(minutes=30)
MAX_SOURCE_BACKOFF = timedelta(hours=12)
# Articles per day are counted over this window for a source's health.
HEALTH_WINDOW = timedelta(days=7)
# Rows written per statement when many URLs are queued at once.
INSERT_BATCH = 500
# What `stable_id` returns: a key of this shape is looked up as one first.
_STABLE_ID = re.compile(r"[0-9a-f]{16}")
# Seconds the list of stored languages is remembered.
LANGUAGES_TTL = 60.0
# Rows read at a time when every article is read (exports).
EXPORT_BATCH = 500


def now() -> datetime:
    return datetime.now(UTC)


def content_hash(article: Article) -> str:
    """What decides whether a re-fetched article changed: its title, dates, people and body."""
    data = article.to_dict()
    essential = {key: data[key] for key in ("title", "published", "updated", "authors", "body", "images")}
    return hashlib.sha256(json.dumps(essential, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def stable_id(canonical_url: str) -> str:
    """An article's id across stores and exports: derived from its canonical URL alone."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def token_digest(token: str) -> str:
    """Tokens are kept as their SHA-256: a copy of the store does not give away anyone's access."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def host_of(url: str) -> str:
    """The host of a URL, or of a bare host name, without "www."; "" when there is none."""
    return site_host(url) or ""


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """Whether a feed or sitemap still delivers: a source that silently dies shows here."""

    id: int
    publisher_id: int
    url: str
    kind: str
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    articles_per_day: float


class Store:
    """The store at one database URL; see `warta.store.db` for how the URL is chosen."""

    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine if engine is not None else db.create(url)
        self._languages: tuple[float, list[str]] = (-LANGUAGES_TTL, [])
        self._statistics = search_related.Statistics()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _insert(self, connection: Connection, table: Any) -> Any:
        """An INSERT that can skip rows whose unique key exists, in the database's own dialect."""
        return (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(table)

    # -------------------------------------------------------------------------------------- publishers

    def add_publisher(self, name: str, home_url: str, *, follow: bool = True) -> tuple[int, bool]:
        """The publisher at `home_url`, added if new and followed by the local user when `follow`; returns its
        id and whether it was added."""
        with self.engine.begin() as connection:
            found = connection.execute(select(publishers.c.id).where(publishers.c.home_url == home_url)).first()
            if found is not None:
                publisher_id, added = int(found.id), False
            else:
                result = connection.execute(
                    insert(publishers).values(
                        name=name, home_url=home_url, host=host_of(home_url), followed=False, created_at=now()
                    )
                )
                publisher_id, added = _new_id(result), True
            if follow:
                self._follow(connection, LOCAL_USER_ID, publisher_id, True)
            return publisher_id, added

    def publishers(self, followed_only: bool = False) -> list[Row[Any]]:
        query = select(publishers).order_by(publishers.c.name)
        if followed_only:
            query = query.where(publishers.c.followed.is_(True))
        with self.engine.connect() as connection:
            return list(connection.execute(query))

    def find_publisher(self, key: str) -> Row[Any] | None:
        """A publisher by id, home URL, host or name."""
        condition = or_(publishers.c.home_url == key, publishers.c.host == host_of(key), publishers.c.name == key)
        if key.isdigit():
            condition = or_(condition, publishers.c.id == int(key))
        with self.engine.connect() as connection:
            return connection.execute(select(publishers).where(condition).order_by(publishers.c.id)).first()

    def set_time_zone(self, publisher_id: int, zone: str, source: str, *, if_unknown: bool = False) -> bool:
        """Record the publisher's time zone (see `warta.sources.zones`); with `if_unknown`, only when it has
        none (a page's own offset does not overrule what its feeds showed). Returns whether it changed."""
        condition = [publishers.c.id == publisher_id, publishers.c.time_zone.is_distinct_from(zone[:64])]
        if if_unknown:
            condition.append(publishers.c.time_zone.is_(None))
        with self.engine.begin() as connection:
            result = connection.execute(
                update(publishers).where(*condition).values(time_zone=zone[:64], time_zone_source=source[:40])
            )
            return bool(result.rowcount)

    def publisher(self, publisher_id: int) -> Row[Any] | None:
        with self.engine.connect() as connection:
            return connection.execute(select(publishers).where(publishers.c.id == publisher_id)).first()

    def set_followed(self, publisher_id: int, followed: bool, user_id: int = LOCAL_USER_ID) -> None:
        """Follow or unfollow a publisher for a user (the local one by default)."""
        with self.engine.begin() as connection:
            self._follow(connection, user_id, publisher_id, followed)

    def _follow(self, connection: Connection, user_id: int, publisher_id: int, followed: bool) -> None:
        if followed:
            statement = self._insert(connection, follows).values(
                user_id=user_id, publisher_id=publisher_id, created_at=now()
            )
            connection.execute(statement.on_conflict_do_nothing())
        else:
            connection.execute(
                delete(follows).where(follows.c.user_id == user_id, follows.c.publisher_id == publisher_id)
            )
        # The crawler fetches a publisher while anyone follows it.
        anyone = select(follows.c.user_id).where(follows.c.publisher_id == publisher_id).exists()
        connection.execute(update(publishers).where(publishers.c.id == publisher_id).values(followed=anyone))

    def followed_ids(self, user_id: int = LOCAL_USER_ID) -> set[int]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(follows.c.publisher_id).where(follows.c.user_id == user_id))
            return {int(row.publisher_id) for row in rows}

    # ------------------------------------------------------------------------------------------- users

    def add_user(self, name: str) -> str:
        """Register a reader user and return their new API token (shown once; only its digest is kept)."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            found = connection.execute(select(users.c.id).where(users.c.name == name)).first()
            if found is not None:
                connection.execute(update(users).where(users.c.id == found.id).values(token_sha256=token_digest(token)))
            else:
                connection.execute(insert(users).values(name=name, token_sha256=token_digest(token), created_at=now()))
        return token

    def user_for_token(self, token: str) -> Row[Any] | None:
        with self.engine.connect() as connection:
            return connection.execute(select(users).where(users.c.token_sha256 == token_digest(token))).first()

    def users(self) -> list[Row[Any]]:
        with self.engine.connect() as connection:
            return list(connection.execute(select(users).order_by(users.c.id)))

    # ----------------------------------------------------------------------------------------- sources

    def add_source(self, publisher_id: int, url: str, kind: str) -> bool:
        """Register a feed or sitemap of a publisher; False when it was known."""
        with self.engine.begin() as connection:
            statement = self._insert(connection, sources).values(
                publisher_id=publisher_id,
                url=url,
                kind=kind,
                consecutive_failures=0,
                links_seen=0,
                created_at=now(),
                next_fetch_at=now(),
            )
            # RETURNING says whether a row went in; rowcount is not reliable with it on every driver.
            result = connection.execute(
                statement.on_conflict_do_nothing(index_elements=["url"]).returning(sources.c.id)
            )
            return result.first() is not None

    def sources(self, publisher_id: int | None = None) -> list[Row[Any]]:
        query = select(sources).order_by(sources.c.id)
        if publisher_id is not None:
            query = query.where(sources.c.publisher_id == publisher_id)
        with self.engine.connect() as connection:
            return list(connection.execute(query))

    def due_sources(self, at: datetime | None = None) -> list[Row[Any]]:
        """The sources of followed publishers whose next poll is due."""
        moment = at or now()
        query = (
            select(sources)
            .join(publishers, publishers.c.id == sources.c.publisher_id)
            .where(publishers.c.followed.is_(True))
            .where(or_(sources.c.next_fetch_at.is_(None), sources.c.next_fetch_at <= moment))
            .order_by(sources.c.next_fetch_at, sources.c.id)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query))

    def record_source(
        self,
        source_id: int,
        *,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
        links: int = 0,
        kind: str | None = None,
    ) -> None:
        """Note a poll of a source: success resets its failures, failure backs its next poll off."""
        moment = now()
        with self.engine.begin() as connection:
            row = connection.execute(select(sources).where(sources.c.id == source_id)).one()
            values: dict[str, Any] = {"last_fetched_at": moment}
            if error is None:
                values.update(
                    last_success_at=moment,
                    last_error=None,
                    consecutive_failures=0,
                    next_fetch_at=moment + SOURCE_INTERVAL,
                    links_seen=row.links_seen + links,
                )
                if etag is not None or last_modified is not None:
                    values.update(etag=etag, last_modified=last_modified)
                if kind:
                    values["kind"] = kind
            else:
                failures = row.consecutive_failures + 1
                backoff = min(SOURCE_INTERVAL * (2 ** min(failures, 10)), MAX_SOURCE_BACKOFF)
                values.update(last_error=error[:200], consecutive_failures=failures, next_fetch_at=moment + backoff)
            connection.execute(update(sources).where(sources.c.id == source_id).values(**values))

    def remove_publisher_sources(self, publisher_id: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(sources).where(sources.c.publisher_id == publisher_id))

    def health(self, publisher_id: int | None = None) -> list[SourceHealth]:
        """Per source: last success, consecutive failures, and articles per day over the last week."""
        since = now() - HEALTH_WINDOW
        counted = (
            select(frontier.c.source_id, func.count().label("n"))
            .where(frontier.c.state == DONE)
            .where(frontier.c.updated_at >= since)
            .group_by(frontier.c.source_id)
            .subquery()
        )
        query = select(sources, counted.c.n).outerjoin(counted, counted.c.source_id == sources.c.id)
        if publisher_id is not None:
            query = query.where(sources.c.publisher_id == publisher_id)
        with self.engine.connect() as connection:
            return [
                SourceHealth(
                    row.id,
                    row.publisher_id,
                    row.url,
                    row.kind,
                    row.last_success_at,
                    row.last_error,
                    row.consecutive_failures,
                    (row.n or 0) / HEALTH_WINDOW.days,
                )
                for row in connection.execute(query.order_by(sources.c.id))
            ]

    # ---------------------------------------------------------------------------------------- frontier

    def enqueue(self, links: Iterable[Link], publisher_id: int | None, source_id: int | None = None) -> int:
        """Queue the page links not yet known; a known one is queued again when its source says it changed
        after it was fetched (a sitemap's newer <lastmod>). Returns how many were queued."""
        moment = now()
        queued = 0
        batch: list[Link] = []
        with self.engine.begin() as connection:
            for link in links:
                batch.append(link)
                if len(batch) >= INSERT_BATCH:
                    queued += self._enqueue_batch(connection, batch, publisher_id, source_id, moment)
                    batch = []
            if batch:
                queued += self._enqueue_batch(connection, batch, publisher_id, source_id, moment)
        return queued

    def _enqueue_batch(
        self,
        connection: Connection,
        links: Sequence[Link],
        publisher_id: int | None,
        source_id: int | None,
        at: datetime,
    ) -> int:
        urls = {link.url: link for link in links}
        known = {
            row.url: row
            for row in connection.execute(
                select(frontier.c.url, frontier.c.state, frontier.c.updated_at).where(frontier.c.url.in_(urls))
            )
        }
        rows = [
            {
                "url": url,
                "publisher_id": publisher_id,
                "source_id": source_id,
                "state": QUEUED,
                **_listed(link),
                "discovered_at": at,
                "updated_at": at,
                "attempts": 0,
            }
            for url, link in urls.items()
            if url not in known
        ]
        if rows:
            statement = self._insert(connection, frontier).on_conflict_do_nothing(index_elements=["url"])
            connection.execute(statement, rows)
        changed = [
            url
            for url, link in urls.items()
            if url in known
            and known[url].state == DONE
            and link.modified is not None
            and link.modified > known[url].updated_at
        ]
        if changed:
            connection.execute(
                update(frontier)
                .where(frontier.c.url.in_(changed))
                .values(state=QUEUED, attempts=0, updated_at=at, listed_at=None, listed_offset=None, listed_kind=None)
            )
        return len(rows) + len(changed)

    def recover(self) -> int:
        """Put back in the queue the URLs a killed crawl left being fetched; returns how many."""
        with self.engine.begin() as connection:
            result = connection.execute(update(frontier).where(frontier.c.state == FETCHING).values(state=QUEUED))
            return int(result.rowcount)

    def claim(self, limit: int) -> list[Any]:
        """Take up to `limit` queued URLs of followed publishers (or of none), newest listed first."""
        with self.engine.begin() as connection:
            query = (
                select(
                    frontier.c.id,
                    frontier.c.url,
                    frontier.c.publisher_id,
                    frontier.c.source_id,
                    frontier.c.listed_at,
                    frontier.c.listed_offset,
                    frontier.c.listed_kind,
                    publishers.c.time_zone,
                    sources.c.kind.label("source_kind"),
                )
                .outerjoin(publishers, publishers.c.id == frontier.c.publisher_id)
                .outerjoin(sources, sources.c.id == frontier.c.source_id)
                .where(frontier.c.state == QUEUED)
                .where(or_(frontier.c.publisher_id.is_(None), publishers.c.followed.is_(True)))
                .order_by(frontier.c.discovered_at, frontier.c.id)
                .limit(limit)
            )
            if connection.dialect.name == "postgresql":
                # Several crawlers may share a PostgreSQL store: each takes rows the others have not locked.
                query = query.with_for_update(skip_locked=True, of=frontier)
            rows = list(connection.execute(query))
            if rows:
                connection.execute(
                    update(frontier)
                    .where(frontier.c.id.in_([row.id for row in rows]))
                    .values(state=FETCHING, updated_at=now(), attempts=frontier.c.attempts + 1)
                )
            return rows

    def finish(self, frontier_id: int, state: str, error: str | None = None) -> None:
        """Close a claimed URL without an article: skipped (not an article, 304, robots) or failed; a failed
        URL goes back in the queue until MAX_ATTEMPTS."""
        with self.engine.begin() as connection:
            self._finish(connection, frontier_id, state, error)

    def _finish(self, connection: Connection, frontier_id: int, state: str, error: str | None) -> None:
        if state == FAILED:
            row = connection.execute(select(frontier.c.attempts).where(frontier.c.id == frontier_id)).first()
            if row is not None and row.attempts < MAX_ATTEMPTS:
                state = QUEUED
        connection.execute(
            _FINISH, {"row_id": frontier_id, "state": state, "error": error[:200] if error else None, "at": now()}
        )

    def frontier_counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            query = select(frontier.c.state, func.count()).group_by(frontier.c.state)
            return {str(state): int(count) for state, count in connection.execute(query)}

    # ---------------------------------------------------------------------------------------- articles

    def save(
        self,
        article: Article,
        *,
        fetched_url: str,
        final_url: str,
        status: int | None,
        fetched_at: datetime,
        headers: dict[str, str],
        body: bytes,
        publisher_id: int | None,
        warc_file: str | None = None,
        frontier_id: int | None = None,
    ) -> str:
        """Store a fetched page and its article in one transaction; returns "new", "changed" or "unchanged".

        The frontier row, when given, is marked done in the same transaction.
        """
        key = article.canonical_url or final_url
        digest = content_hash(article)
        data = article.to_dict()
        with self.engine.begin() as connection:
            existing = connection.execute(select(articles).where(articles.c.canonical_url == key)).first()
            if existing is None:
                # Statements with their values as parameters, not `.values(...)`: one compiled statement is
                # reused for every article, where `.values` compiles anew each time (the most of a save).
                result = connection.execute(
                    _INSERT_ARTICLE,
                    {
                        "uid": stable_id(key),
                        "canonical_url": key,
                        "url": final_url,
                        "publisher_id": publisher_id,
                        **_columns(article),
                        "data": data,
                        "content_hash": digest,
                        "version": 1,
                        "extractor_version": __version__,
                        "first_seen_at": fetched_at,
                        "last_seen_at": fetched_at,
                    },
                )
                article_id, outcome = _new_id(result), "new"
                self._write_authors(connection, article_id, article, replace=False)
                search_index.write(connection, article_id, _search_document(article), replace=False)
            elif existing.content_hash == digest:
                article_id, outcome = int(existing.id), "unchanged"
                connection.execute(update(articles).where(articles.c.id == article_id).values(last_seen_at=fetched_at))
            else:
                article_id, outcome = int(existing.id), "changed"
                connection.execute(
                    insert(article_versions).values(
                        article_id=article_id,
                        version=existing.version,
                        content_hash=existing.content_hash,
                        data=existing.data,
                        extractor_version=existing.extractor_version,
                        seen_at=existing.last_seen_at,
                    )
                )
                connection.execute(
                    update(articles)
                    .where(articles.c.id == article_id)
                    .values(
                        url=final_url,
                        **_columns(article),
                        data=data,
                        content_hash=digest,
                        version=existing.version + 1,
                        extractor_version=__version__,
                        last_seen_at=fetched_at,
                    )
                )
                self._write_authors(connection, article_id, article)
                search_index.write(connection, article_id, _search_document(article), replace=True)
            connection.execute(
                _INSERT_PAGE,
                {
                    "url": fetched_url,
                    "final_url": final_url,
                    "status": status,
                    "fetched_at": fetched_at,
                    "content_type": headers.get("content-type"),
                    "etag": headers.get("etag"),
                    "last_modified": headers.get("last-modified"),
                    "body_sha256": hashlib.sha256(body).hexdigest(),
                    "body_bytes": len(body),
                    "warc_file": warc_file,
                    "article_id": article_id,
                },
            )
            if frontier_id is not None:
                self._finish(connection, frontier_id, DONE, None)
        return outcome

    def _write_authors(self, connection: Connection, article_id: int, article: Article, replace: bool = True) -> None:
        if replace:
            connection.execute(delete(article_authors).where(article_authors.c.article_id == article_id))
        rows = [
            {
                "article_id": article_id,
                "position": i,
                "name": p.name[:300],
                "role": p.role,
                "url": _cut(p.url, article_authors.c.url),
            }
            for i, p in enumerate(article.authors)
        ]
        if rows:
            connection.execute(insert(article_authors), rows)

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
    ) -> list[Any]:
        """Articles, newest published first, with the given filters.

        `followed_by` keeps the publishers a user follows; `before` is a keyset cursor, the (published, id) of
        the last article of the previous page, which stays fast on any page where an offset rescans.
        """
        condition = _filters(publisher_id, language, since, until)
        if followed_by is not None:
            condition = and_(condition, articles.c.publisher_id.in_(_followed_by(followed_by)))
        if before is not None:
            condition = and_(condition, _older_than(*before))
        query = (
            _ARTICLE_ROWS.where(condition)
            .order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query))

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
    ) -> tuple[int, list[tuple[Any, float]]]:
        """Articles matching a parsed query (`warta.search.parse`) and the filters: how many (counted up to
        `search.index.COUNT_CAP`) and this page of them with their rank, best (or newest) first."""
        condition = _filters(publisher_id, language, since, until)
        if followed_by is not None:
            condition = and_(condition, articles.c.publisher_id.in_(_followed_by(followed_by)))
        with self.engine.connect() as connection:
            found = search_index.search(
                connection, query, condition, newest_first=newest_first, limit=limit, offset=offset
            )
            total = search_index.count(connection, query, condition) if found or offset else 0
            rows = self._rows_by_id(connection, [article_id for article_id, _ in found])
        return total, [(rows[article_id], rank) for article_id, rank in found if article_id in rows]

    def related(self, article: Any, limit: int = 6) -> list[tuple[Any, float]]:
        """Other coverage of the story of `article` (a row of `article`): see `warta.search.related`."""
        with self.engine.connect() as connection:
            found = search_related.related(connection, article, statistics=self._statistics, limit=limit)
            rows = self._rows_by_id(connection, [item.article_id for item in found])
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

    def _rows_by_id(self, connection: Connection, ids: Sequence[int]) -> dict[int, Any]:
        if not ids:
            return {}
        rows = connection.execute(_ARTICLE_ROWS.where(articles.c.id.in_(list(ids))))
        return {int(row.id): row for row in rows}

    def iter_articles(
        self,
        *,
        publisher_id: int | None = None,
        language: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        batch: int = EXPORT_BATCH,
    ) -> Iterator[Any]:
        """Every article matching the filters, by id, read `batch` rows at a time: memory stays flat however
        large the store (keyset pagination; an offset would rescan what it skips)."""
        condition = _filters(publisher_id, language, since, until)
        last = 0
        while True:
            query = _ARTICLE_ROWS.where(articles.c.id > last, condition).order_by(articles.c.id).limit(batch)
            with self.engine.connect() as connection:
                rows = list(connection.execute(query))
            if not rows:
                return
            yield from rows
            last = rows[-1].id

    def article(self, key: str) -> Row[Any] | None:
        """An article (with its publisher's name) by stable id, store id, canonical URL or fetched URL."""
        # One indexed lookup at a time: an OR of them makes SQLite scan the table.
        conditions = []
        if _STABLE_ID.fullmatch(key):
            conditions.append(articles.c.uid == key)
        if key.isdigit():
            conditions.append(articles.c.id == int(key))
        conditions += [articles.c.canonical_url == key, articles.c.url == key]
        with self.engine.connect() as connection:
            for condition in conditions:
                row = connection.execute(_ARTICLE_ROWS.where(condition).limit(1)).first()
                if row is not None:
                    return row
        return None

    def versions(self, article_id: int) -> list[Row[Any]]:
        with self.engine.connect() as connection:
            query = select(article_versions).where(article_versions.c.article_id == article_id)
            return list(connection.execute(query.order_by(article_versions.c.version)))

    def article_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(articles)).scalar_one())

    def warc_files(self) -> list[str]:
        """The archive files the fetched pages were written to, oldest first."""
        with self.engine.connect() as connection:
            query = select(pages.c.warc_file).where(pages.c.warc_file.is_not(None)).group_by(pages.c.warc_file)
            return sorted(str(row.warc_file) for row in connection.execute(query))

    def publisher_for_host(self, host: str) -> int | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(publishers.c.id).where(publishers.c.host == host_of(host))).first()
            return int(row.id) if row is not None else None

    def publisher_zone(self, publisher_id: int) -> str | None:
        """The time zone learned for a publisher (see `set_time_zone`), if any."""
        with self.engine.connect() as connection:
            zone = connection.execute(select(publishers.c.time_zone).where(publishers.c.id == publisher_id)).scalar()
            return str(zone) if zone else None


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


def _followed_by(user_id: int) -> Any:
    return select(follows.c.publisher_id).where(follows.c.user_id == user_id)


def _older_than(published: datetime | None, article_id: int) -> Any:
    """Articles after (published, id) in the order newest published first, undated last."""
    if published is None:
        return and_(articles.c.published.is_(None), articles.c.id < article_id)
    return or_(
        articles.c.published < published,
        and_(articles.c.published == published, articles.c.id < article_id),
        articles.c.published.is_(None),
    )


def _search_document(article: Article) -> search_index.Document:
    return search_index.document(article.title, article.text or article.description or "", article.language)


# Article rows with their publisher's name, as lists and exports read them.
_ARTICLE_ROWS = select(articles, publishers.c.name.label("publisher")).outerjoin(
    publishers, publishers.c.id == articles.c.publisher_id
)
_INSERT_ARTICLE = insert(articles)
_INSERT_PAGE = insert(pages)
_FINISH = (
    update(frontier)
    .where(frontier.c.id == bindparam("row_id"))
    .values(state=bindparam("state"), last_error=bindparam("error"), updated_at=bindparam("at"))
)


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:
        raise db.StoreError("the database returned no id for a new row")
    return int(key[0])


def _columns(article: Article) -> dict[str, Any]:
    """The article's columns, cut to their sizes: PostgreSQL refuses a longer value where SQLite keeps it."""
    return {
        "title": article.title,
        "published": article.published,
        "updated": article.updated,
        "language": _cut(article.language, articles.c.language),
        "site_name": _cut(article.site_name, articles.c.site_name),
        "section": _cut(article.section, articles.c.section),
        "kind": article.kind.value,
        "text": article.text,
    }


def _listed(link: Link) -> dict[str, Any]:
    """The frontier's columns for the date a listing gave a link: the instant, its offset and its kind."""
    moment = link.published or link.modified
    offset = moment.utcoffset() if moment is not None else None
    return {
        "listed_at": moment,
        "listed_offset": int(offset.total_seconds() // 60) if offset is not None else None,
        "listed_kind": None if moment is None else "published" if link.published else "modified",
    }


def _cut(value: str | None, column: Any) -> str | None:
    length = getattr(column.type, "length", None)
    return value[:length] if value is not None and length is not None else value
