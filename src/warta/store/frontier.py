"""The crawl frontier: the URLs to fetch, their state, and the listing date that led to each.

A URL moves queued -> fetching -> done | failed | skipped. A crawl that dies leaves rows in "fetching", which
the next one puts back in the queue (`recover`), counting the interrupted attempt; a failed URL is queued
again until MAX_ATTEMPTS, so a page that kills every crawl that takes it is given up after MAX_ATTEMPTS runs.
A queued row may carry a due time (`not_before`): a throttled host's Retry-After, or the next round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, func, or_, select, update

from warta.models import Claim, Link
from warta.store.schema import frontier, publishers, sources
from warta.store.sql import now, upsert

# Frontier states.
QUEUED, FETCHING, DONE, FAILED, SKIPPED = "queued", "fetching", "done", "failed", "skipped"
# A URL that failed this many times is given up (it stays in the frontier, so it is not queued again).
MAX_ATTEMPTS = 3
# Rows written per statement when many URLs are queued at once.
INSERT_BATCH = 500
# The reason a row left in "fetching" by a run that died gets: the run stopped mid-attempt.
INTERRUPTED = "interrupted"

_FINISH = (
    update(frontier)
    .where(frontier.c.id == bindparam("row_id"))
    .values(
        state=bindparam("state"),
        last_error=bindparam("error"),
        updated_at=bindparam("at"),
        not_before=bindparam("due"),
    )
)


def finish(
    connection: Connection, frontier_id: int, state: str, error: str | None, not_before: datetime | None = None
) -> str:
    """Close a claimed URL inside the caller's transaction (see `Frontier.finish`); returns its new state."""
    if state == FAILED:
        row = connection.execute(select(frontier.c.attempts).where(frontier.c.id == frontier_id)).first()
        if row is not None and row.attempts < MAX_ATTEMPTS:
            state = QUEUED
    due = not_before if state == QUEUED else None
    connection.execute(
        _FINISH,
        {"row_id": frontier_id, "state": state, "error": error[:200] if error else None, "at": now(), "due": due},
    )
    return state


def _one_less(connection: Connection) -> Any:
    """`attempts - 1`, never below 0: an attempt given back."""
    greatest = func.max if connection.dialect.name == "sqlite" else func.greatest
    return greatest(frontier.c.attempts - 1, 0)


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

    def recover(self, owner: str | None = None) -> int:
        """Put back in the queue the URLs a dead crawl left being fetched, except those claimed by `owner`
        (the lease of the live crawl); returns how many.

        The interrupted attempt counts ("interrupted"): a URL whose page kills every run that takes it is
        given up (failed) once it has used MAX_ATTEMPTS, instead of killing every later crawl.
        """
        stranded = frontier.c.state == FETCHING
        if owner is not None:
            stranded = and_(stranded, or_(frontier.c.claimed_by.is_(None), frontier.c.claimed_by != owner))
        with self.engine.begin() as connection:
            parked = connection.execute(
                update(frontier)
                .where(stranded, frontier.c.attempts >= MAX_ATTEMPTS)
                .values(state=FAILED, last_error=INTERRUPTED, claimed_by=None, updated_at=now())
            )
            queued = connection.execute(
                update(frontier)
                .where(stranded)
                .values(state=QUEUED, last_error=INTERRUPTED, claimed_by=None, not_before=None, updated_at=now())
            )
            return int(parked.rowcount) + int(queued.rowcount)

    def unclaim(self, owner: str) -> int:
        """Put back in the queue, with the attempt not counted, what the crawl holding `owner` still has
        in hand as it stops (Ctrl-C, or the end of a round cut short); returns how many."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(frontier)
                .where(frontier.c.state == FETCHING, frontier.c.claimed_by == owner)
                .values(state=QUEUED, claimed_by=None, attempts=_one_less(connection), updated_at=now())
            )
            return int(result.rowcount)

    def claim(self, limit: int, owner: str | None = None) -> list[Claim]:
        """Take up to `limit` due queued URLs of followed publishers (or of none), oldest discovered first;
        `owner` is the claiming crawl's lease token."""
        moment = now()
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
                .where(or_(frontier.c.not_before.is_(None), frontier.c.not_before <= moment))
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
                    .values(state=FETCHING, updated_at=moment, attempts=frontier.c.attempts + 1, claimed_by=owner)
                )
            return [Claim(**row._asdict()) for row in rows]

    def finish(self, frontier_id: int, state: str, error: str | None = None, not_before: datetime | None = None) -> str:
        """Close a claimed URL without an article: skipped (not an article, 304, robots) or failed; a failed
        URL goes back in the queue, due at `not_before`, until MAX_ATTEMPTS. Returns the state it got."""
        with self.engine.begin() as connection:
            return finish(connection, frontier_id, state, error, not_before)

    def defer(self, frontier_id: int, until: datetime, reason: str) -> None:
        """Put a claimed URL back in the queue, due at `until`, without using one of its attempts: the host
        asked for a pause (429, 503) or was set aside, which says nothing against the URL itself."""
        with self.engine.begin() as connection:
            connection.execute(
                update(frontier)
                .where(frontier.c.id == frontier_id)
                .values(
                    state=QUEUED,
                    claimed_by=None,
                    not_before=until,
                    last_error=reason[:200],
                    attempts=_one_less(connection),
                    updated_at=now(),
                )
            )

    def frontier_reasons(self) -> list[tuple[int | None, str, str, int]]:
        """Why URLs are not done, per publisher: (publisher id, state, reason, how many), most first."""
        with self.engine.connect() as connection:
            query = (
                select(frontier.c.publisher_id, frontier.c.state, frontier.c.last_error, func.count())
                .where(frontier.c.last_error.is_not(None), frontier.c.state != DONE)
                .group_by(frontier.c.publisher_id, frontier.c.state, frontier.c.last_error)
                .order_by(func.count().desc())
            )
            return [(row[0], str(row[1]), str(row[2]), int(row[3])) for row in connection.execute(query)]

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
            .values(
                state=QUEUED,
                attempts=0,
                updated_at=at,
                not_before=None,
                listed_at=None,
                listed_offset=None,
                listed_kind=None,
            )
        )
    return len(rows) + len(changed)
