"""Publishers and their feeds and sitemaps: who is followed, when each source is polled, how healthy it is."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, delete, func, insert, or_, select, update

from warta.models import Publisher, Source, SourceHealth
from warta.store import readers
from warta.store.frontier import DONE
from warta.store.schema import LOCAL_USER_ID, frontier, publishers, sources
from warta.store.sql import host_of, new_id, now, upsert

# Sources are polled at this interval; one that keeps failing waits longer, up to MAX_SOURCE_BACKOFF.
SOURCE_INTERVAL = timedelta(minutes=30)
MAX_SOURCE_BACKOFF = timedelta(hours=12)
# Articles per day are counted over this window for a source's health.
HEALTH_WINDOW = timedelta(days=7)
# Hosts looked up per statement: well under SQLite's limit on bound parameters.
HOSTS_PER_QUERY = 500


def _publisher(row: Row[Any]) -> Publisher:
    return Publisher(
        id=int(row.id),
        name=str(row.name),
        home_url=str(row.home_url),
        host=str(row.host),
        crawled=bool(row.followed),
        created_at=row.created_at,
        time_zone=row.time_zone,
        time_zone_source=row.time_zone_source,
    )


def _source(row: Row[Any]) -> Source:
    return Source(
        id=int(row.id),
        publisher_id=int(row.publisher_id),
        url=str(row.url),
        kind=str(row.kind),
        etag=row.etag,
        last_modified=row.last_modified,
        last_fetched_at=row.last_fetched_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        consecutive_failures=int(row.consecutive_failures),
        links_seen=int(row.links_seen),
        next_fetch_at=row.next_fetch_at,
    )


class Publishers:
    """The store's publishers and sources (a part of `warta.store.Store`)."""

    engine: Engine
    # Publishers known to have a time zone, in this process (see `set_time_zone`).
    _zone_known: set[int]

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
                publisher_id, added = new_id(result), True
            if follow:
                readers.follow(connection, LOCAL_USER_ID, publisher_id, True)
            return publisher_id, added

    def publishers(self, followed_only: bool = False) -> list[Publisher]:
        query = select(publishers).order_by(publishers.c.name)
        if followed_only:
            query = query.where(publishers.c.followed.is_(True))
        with self.engine.connect() as connection:
            return [_publisher(row) for row in connection.execute(query)]

    def find_publisher(self, key: str) -> Publisher | None:
        """A publisher by id, home URL, host or name."""
        condition = or_(publishers.c.home_url == key, publishers.c.host == host_of(key), publishers.c.name == key)
        if key.isdigit():
            condition = or_(condition, publishers.c.id == int(key))
        with self.engine.connect() as connection:
            row = connection.execute(select(publishers).where(condition).order_by(publishers.c.id)).first()
        return _publisher(row) if row is not None else None

    def publisher(self, publisher_id: int) -> Publisher | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(publishers).where(publishers.c.id == publisher_id)).first()
        return _publisher(row) if row is not None else None

    def publishers_for_sites(self, sites: Mapping[str, str | None]) -> dict[str, int]:
        """The publisher of each host in `sites` (host -> site name), in one transaction: the hosts without one
        get one, not followed, named by the site name or the host. For bulk loads, which meet thousands of
        sites at once."""
        found: dict[str, int] = {}
        hosts = {host_of(host): name for host, name in sites.items()}
        with self.engine.begin() as connection:
            ordered = sorted(hosts)
            for start in range(0, len(ordered), HOSTS_PER_QUERY):
                chunk = ordered[start : start + HOSTS_PER_QUERY]
                query = select(publishers.c.host, publishers.c.id).where(publishers.c.host.in_(chunk))
                for row in connection.execute(query.order_by(publishers.c.id.desc())):
                    found[str(row.host)] = int(row.id)
            for host in sorted(set(hosts) - set(found)):
                home_url = f"https://{host}/"
                existing = connection.execute(select(publishers.c.id).where(publishers.c.home_url == home_url)).first()
                if existing is None:
                    row_values = {"name": hosts[host] or host, "home_url": home_url, "host": host, "followed": False,
                                  "created_at": now()}  # fmt: skip
                    found[host] = new_id(connection.execute(insert(publishers).values(**row_values)))
                else:
                    found[host] = int(existing.id)
        return {host: found[host_of(host)] for host in sites}

    def publisher_for_host(self, host: str) -> int | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(publishers.c.id).where(publishers.c.host == host_of(host))).first()
            return int(row.id) if row is not None else None

    def set_time_zone(self, publisher_id: int, zone: str, source: str, *, if_unknown: bool = False) -> bool:
        """Record the publisher's time zone (see `warta.sources.zones`); with `if_unknown`, only when it has
        none (a page's own offset does not overrule what its feeds showed). Returns whether it changed."""
        if if_unknown and publisher_id in self._zone_known:
            return False
        condition = [publishers.c.id == publisher_id, publishers.c.time_zone.is_distinct_from(zone[:64])]
        if if_unknown:
            condition.append(publishers.c.time_zone.is_(None))
        with self.engine.begin() as connection:
            result = connection.execute(
                update(publishers).where(*condition).values(time_zone=zone[:64], time_zone_source=source[:40])
            )
        # Either way the publisher has a zone now, and no zone is ever removed: the pages that follow (a crawl
        # asks for every article) need not ask the database again.
        self._zone_known.add(publisher_id)
        return bool(result.rowcount)

    def publisher_zone(self, publisher_id: int) -> str | None:
        """The time zone learned for a publisher (see `set_time_zone`), if any."""
        with self.engine.connect() as connection:
            zone = connection.execute(select(publishers.c.time_zone).where(publishers.c.id == publisher_id)).scalar()
            return str(zone) if zone else None

    # Sources.

    def add_source(self, publisher_id: int, url: str, kind: str) -> bool:
        """Register a feed or sitemap of a publisher; False when it was known."""
        with self.engine.begin() as connection:
            statement = upsert(connection, sources).values(
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

    def sources(self, publisher_id: int | None = None) -> list[Source]:
        query = select(sources).order_by(sources.c.id)
        if publisher_id is not None:
            query = query.where(sources.c.publisher_id == publisher_id)
        with self.engine.connect() as connection:
            return [_source(row) for row in connection.execute(query)]

    def due_sources(self, at: datetime | None = None) -> list[Source]:
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
            return [_source(row) for row in connection.execute(query)]

    def record_source(
        self,
        source_id: int,
        *,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
        links: int = 0,
        kind: str | None = None,
        damage: str | None = None,
    ) -> None:
        """Note a poll of a source: success resets its failures, failure backs its next poll off. A listing
        read in part (`damage`, e.g. a sitemap cut short) is a success whose links count, with the damage kept
        as its last error so that `warta publishers` shows it."""
        moment = now()
        with self.engine.begin() as connection:
            row = connection.execute(select(sources).where(sources.c.id == source_id)).one()
            values: dict[str, Any] = {"last_fetched_at": moment}
            if error is None:
                values.update(
                    last_success_at=moment,
                    last_error=damage,
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
