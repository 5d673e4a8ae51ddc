"""The crawl frontier: the URLs to fetch, their state, and the listing date that led to each.

A URL moves queued -> fetching -> done | failed | skipped. A crawl that dies leaves rows in "fetching", which
the next one puts back in the queue (`recover`); a failed URL is queued again until MAX_ATTEMPTS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, or_, select, update

from warta.models import Claim, Link
from warta.store.schema import frontier, publishers, sources
from warta.store.sql import now, upsert

# Frontier states.
QUEUED, FETCHING, DONE, FAILED, SKIPPED = "queued", "fetching", "done", "failed", "skipped"
# A URL that failed this many times is given up (it stays in the frontier, so it is not queued again).
MAX_ATTEMPTS = 3
# Rows written per statement when many URLs are queued at once.
INSERT_BATCH = 500

_FINISH = (
    update(frontier)
    .where(frontier.c.id == bindparam("row_id"))
    .values(state=bindparam("state"), last_error=bindparam("error"), updated_at=bindparam("at"))
)


def finish(connection: Connection, frontier_id: int, state: str, error: str | None) -> None:
    """Close a claimed URL inside the caller's transaction (see `Frontier.finish`)."""
    if state == FAILED:
        row = connection.execute(select(frontier.c.attempts).where(frontier.c.id == frontier_id)).first()
        if row is not None and row.attempts < MAX_ATTEMPTS:
            state = QUEUED
    connection.execute(
        _FINISH, {"row_id": frontier_id, "state": state, "error": error[:200] if error else None, "at": now()}
    )


def _listed(link: Link) -> dict[str, Any]:
    """The frontier's columns for the date a listing gave a link: the instant, its offset and its kind."""
    moment = link.published or link.modified
    offset = moment.utcoffset() if moment is not None else None
    return {
        "listed_at": moment,
        "listed_offset": int(offset.total_seconds() // 60) if offset is not None else None,
        "listed_kind": None if moment is None else "published" if link.published else "modified",
    }


class Frontier:
    """The store's crawl frontier (a part of `warta.store.Store`)."""

    engine: Engine

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
                    queued += _enqueue_batch(connection, batch, publisher_id, source_id, moment)
                    batch = []
            if batch:
                queued += _enqueue_batch(connection, batch, publisher_id, source_id, moment)
        return queued

    def recover(self) -> int:
        """Put back in the queue the URLs a killed crawl left being fetched; returns how many."""
        with self.engine.begin() as connection:
            result = connection.execute(update(frontier).where(frontier.c.state == FETCHING).values(state=QUEUED))
            return int(result.rowcount)

    def claim(self, limit: int) -> list[Claim]:
        """Take up to `limit` queued URLs of followed publishers (or of none), oldest discovered first."""
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
            return [Claim(**row._asdict()) for row in rows]

    def finish(self, frontier_id: int, state: str, error: str | None = None) -> None:
        """Close a claimed URL without an article: skipped (not an article, 304, robots) or failed; a failed
        URL goes back in the queue until MAX_ATTEMPTS."""
        with self.engine.begin() as connection:
            finish(connection, frontier_id, state, error)

    def frontier_counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            query = select(frontier.c.state, func.count()).group_by(frontier.c.state)
            return {str(state): int(count) for state, count in connection.execute(query)}


def _enqueue_batch(
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
        statement = upsert(connection, frontier).on_conflict_do_nothing(index_elements=["url"])
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
