"""Sources -> fetch -> extract -> store: following publishers, importing archives, re-extracting.

The store holds all crawl state (see `warta.store`), so a crawl is a loop over it: poll the due feeds and
sitemaps (conditional GET), queue the new or changed page URLs they list, then claim queued URLs in batches,
fetch them politely (one `Fetcher`, shared per-host limits), extract them on every core, and store each
article with its frontier row in one transaction. Killed at any moment, a crawl loses nothing: the URLs it
had claimed are queued again by the next one (`Store.recover`), and an article is stored once per content.

Extraction runs in a process pool fed from the event loop; database writes run on the loop's thread, one
writer, as SQLite wants.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from sqlalchemy.exc import SQLAlchemyError

from warta.batch import expand_inputs, read_input
from warta.errors import WartaError
from warta.extract import extract
from warta.extract.urls import site_host
from warta.fetch import Fetcher, FetchSettings, WarcArchive
from warta.models import Article, DateHints, Fetched, Link, LinkKind, PageKind
from warta.sources import (
    SourceError,
    common_feed_urls,
    common_sitemap_urls,
    feed_links,
    parse_listing,
    read_warc,
    sitemaps_from_robots,
)
from warta.sources.zones import listing_zone, page_zone
from warta.store import Store
from warta.store.store import FAILED, SKIPPED

# URLs claimed from the frontier at a time: enough to keep the fetcher's connections and both extraction
# processes busy, few enough that a killed crawl has little to redo.
CLAIM_BATCH = 64
# A sitemap index of a news site lists one sitemap per day or month back to its founding; following the
# publisher means its new articles, so only the newest children are polled.
MAX_CHILD_SITEMAPS = 5
# Fetch errors after which a URL is not worth another attempt: the answer will be the same. Client errors
# (4xx) are too, but for 408 and 429, which ask to come back later. "robots-unreachable" is not: the host's
# robots.txt may answer next time.
PERMANENT_ERRORS = frozenset({"robots", "content-type", "invalid-url", "private-address", "too-large"})
TRANSIENT_CLIENT_ERRORS = frozenset({"http-408", "http-429"})
# Rounds of polling in one crawl: a sitemap index's children, registered in the first, are read in the next.
MAX_POLL_ROUNDS = 3
# Records of a web archive extracted together: bounds the memory an import holds.
IMPORT_CHUNK = 256


@dataclass(slots=True)
class CrawlSummary:
    """What a crawl, an import or a re-extraction did, for the line printed at its end."""

    sources_polled: int = 0
    sources_unchanged: int = 0
    links_queued: int = 0
    fetched: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # new, changed, unchanged
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    errors: Counter[str] = field(default_factory=Counter)  # kind -> count

    def line(self) -> str:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{key}: {value}" for key, value in counter.most_common()) or "none"

        parts = []
        if self.sources_polled:
            parts.append(
                f"polled {self.sources_polled} sources ({self.sources_unchanged} unchanged), "
                f"queued {self.links_queued} links"
            )
        parts.append(
            f"fetched {self.fetched}; new {self.outcomes['new']}, changed {self.outcomes['changed']}, "
            f"unchanged {self.outcomes['unchanged']}"
        )
        parts.append(f"skipped: {counts(self.skipped)}")
        parts.append(f"errors: {counts(self.errors)}")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """How a crawl runs; `fetch` holds the politeness and safety limits."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    archive_dir: Path | None = None  # WARC files of every response; None: no archive
    workers: int | None = None  # extraction processes; all cores by default
    batch: int = CLAIM_BATCH


Progress = Callable[[str, int], None]  # (what, how many more) for a progress bar


def _extract_page(
    body: bytes,
    url: str | None,
    content_type: str | None,
    fetched_at: datetime | None,
    hints: DateHints | None = None,
) -> Article | str:
    """Extract one fetched page in a worker process; the reason code when it cannot be."""
    try:
        return extract(body, url, content_type=content_type, now=fetched_at, hints=hints)
    except WartaError as exc:
        return exc.reason
    except (RecursionError, MemoryError) as exc:
        return type(exc).__name__


def _pool(workers: int | None) -> ProcessPoolExecutor:
    # Not fork: a forked worker would inherit the store's database connection and the crawl's sockets, and
    # when the crawl is killed it would keep a PostgreSQL transaction (and its row locks) alive forever.
    # forkserver workers start clean and exit when the crawl's end of their queue closes.
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    return ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1,
        mp_context=context,
        initializer=_watch_crawl,
        initargs=(os.getpid(),),
    )


# How often an extraction worker checks that its crawl is alive.
WATCH_INTERVAL = 0.5


def _watch_crawl(crawl_pid: int) -> None:
    """Exit this worker when the crawl that started it is gone (killed with -9, it cannot say so): a pool
    worker holds its own end of the task queue, so it would wait for tasks forever."""

    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            try:
                os.kill(crawl_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                continue  # the pid is alive (and was reused by another user's process at worst)

    threading.Thread(target=watch, name="watch-crawl", daemon=True).start()


def _is_permanent(error: str) -> bool:
    return error in PERMANENT_ERRORS or (error.startswith("http-4") and error not in TRANSIENT_CLIENT_ERRORS)


# ------------------------------------------------------------------------------------------------- crawl


async def crawl_once(store: Store, settings: CrawlSettings, progress: Progress | None = None) -> CrawlSummary:
    """Poll the due sources of followed publishers, then fetch and store every queued URL."""
    summary = CrawlSummary()
    store.recover()
    archive = WarcArchive(settings.archive_dir) if settings.archive_dir is not None else None
    try:
        async with Fetcher(settings.fetch, archive=archive) as fetcher:
            await poll_sources(store, fetcher, summary, progress)
            with _pool(settings.workers) as pool:
                # URLs are claimed again when half of those in flight are done, not when all are: the
                # extraction workers never wait for the slowest fetch of a batch.
                pending: set[asyncio.Task[None]] = set()
                exhausted = False
                while True:
                    if not exhausted and len(pending) <= settings.batch // 2:
                        rows = store.claim(settings.batch - len(pending))
                        exhausted = not rows
                        for row in rows:
                            pending.add(asyncio.create_task(_crawl_url(store, fetcher, pool, row, archive, summary)))
                    if not pending:
                        break
                    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        task.result()  # an unexpected error stops the crawl; the next one resumes it
                    if progress is not None:
                        progress("pages", len(done))
    finally:
        if archive is not None:
            archive.close()
    return summary


async def crawl(
    store: Store, settings: CrawlSettings, interval: float, progress: Progress | None = None
) -> None:  # pragma: no cover - an endless loop; each round is crawl_once, which the tests run
    """Crawl, then wait for the next poll and crawl again, until interrupted."""
    while True:
        await crawl_once(store, settings, progress)
        await asyncio.sleep(interval)


async def poll_sources(store: Store, fetcher: Fetcher, summary: CrawlSummary, progress: Progress | None) -> None:
    """Fetch each due source with a conditional GET and queue the page links it lists; then the child
    sitemaps of the indexes just read, which are due at once."""
    for _round in range(MAX_POLL_ROUNDS):
        due = store.due_sources()
        if not due:
            return
        for source in due:
            await _poll(store, fetcher, source, summary, progress)


async def _poll(store: Store, fetcher: Fetcher, source: Any, summary: CrawlSummary, progress: Progress | None) -> None:
    kind = "sitemap" if "sitemap" in source.kind else "feed"
    fetched = await fetcher.fetch(source.url, kind=kind, etag=source.etag, last_modified=source.last_modified)
    summary.sources_polled += 1
    if progress is not None:
        progress("sources", 1)
    if fetched.not_modified:
        summary.sources_unchanged += 1
        store.record_source(source.id, error=None)
        return
    if not fetched.ok:
        store.record_source(source.id, error=fetched.error or f"http-{fetched.status}")
        summary.errors["source " + (fetched.error or "http")] += 1
        return
    try:
        listing = parse_listing(fetched.body, fetched.final_url, fetched.header("content-type"))
    except SourceError as exc:
        store.record_source(source.id, error=exc.reason)
        summary.errors["source " + exc.reason] += 1
        return
    children = [link for link in listing.links if link.kind is LinkKind.SITEMAP]
    newest = sorted(children, key=lambda link: link.modified or datetime.min.replace(tzinfo=UTC))
    for child in newest[-MAX_CHILD_SITEMAPS:]:
        store.add_source(source.publisher_id, child.url, "sitemap")
    pages = [link for link in listing.links if link.kind is LinkKind.PAGE]
    summary.links_queued += store.enqueue(pages, source.publisher_id, source.id)
    learned = listing_zone(listing, fetched.final_url)
    if learned is not None:
        store.set_time_zone(source.publisher_id, learned.name, learned.source)
    store.record_source(
        source.id,
        error=None,
        etag=fetched.header("etag"),
        last_modified=fetched.header("last-modified"),
        links=len(pages),
        kind=listing.kind,
    )


async def _crawl_url(
    store: Store, fetcher: Fetcher, pool: Executor, row: Any, archive: WarcArchive | None, summary: CrawlSummary
) -> None:
    fetched = await fetcher.fetch(row.url, kind="page")
    warc_file = archive.current_path if archive is not None else None  # read before another fetch rotates it
    if not fetched.ok:
        error = fetched.error or f"http-{fetched.status}"
        if _is_permanent(error):
            summary.skipped[error] += 1
            store.finish(row.id, SKIPPED, error)
        else:
            summary.errors[error] += 1
            store.finish(row.id, FAILED, error)
        return
    summary.fetched += 1
    loop = asyncio.get_running_loop()
    result = await loop.run_in_executor(
        pool,
        _extract_page,
        fetched.body,
        fetched.final_url,
        fetched.header("content-type"),
        fetched.fetched_at,
        _hints(row),
    )
    _store_result(store, summary, fetched, result, row.publisher_id, row.id, warc_file)


def _hints(row: Any) -> DateHints | None:
    """What the frontier row knows of the page: the listing that led to it (a feed announces articles), the
    listing's date in its own offset, and the publisher's zone."""
    listed: datetime | None = row.listed_at
    if listed is not None and row.listed_offset is not None and abs(row.listed_offset) <= 14 * 60:
        listed = listed.astimezone(timezone(timedelta(minutes=row.listed_offset)))
    if listed is None and row.time_zone is None and row.source_kind is None:
        return None
    return DateHints(
        listed=listed,
        listed_by=row.source_kind,
        listed_modified=row.listed_kind == "modified",
        zone=row.time_zone,
    )


def _store_result(
    store: Store,
    summary: CrawlSummary,
    fetched: Fetched,
    result: Article | str,
    publisher_id: int | None,
    frontier_id: int | None,
    warc_file: Path | str | None,
) -> None:
    if isinstance(result, str):
        summary.skipped[result] += 1
        if frontier_id is not None:
            store.finish(frontier_id, SKIPPED, result)
        return
    if result.kind is not PageKind.ARTICLE or not result.body:
        reason = "listing" if result.kind is PageKind.LISTING else "no article"
        summary.skipped[reason] += 1
        if frontier_id is not None:
            store.finish(frontier_id, SKIPPED, reason)
        return
    try:
        outcome = store.save(
            result,
            fetched_url=fetched.url,
            final_url=fetched.final_url,
            status=fetched.status,
            fetched_at=fetched.fetched_at or datetime.now(UTC),
            headers=dict(fetched.headers),
            body=fetched.body,
            publisher_id=publisher_id,
            warc_file=str(warc_file) if warc_file is not None else None,
            frontier_id=frontier_id,
        )
    except SQLAlchemyError as exc:
        # One article the database refuses must not stop the crawl; the URL is retried, then given up.
        summary.errors["store " + type(getattr(exc, "orig", exc)).__name__] += 1
        if frontier_id is not None:
            store.finish(frontier_id, FAILED, "store")
        return
    summary.outcomes[outcome] += 1
    zone = page_zone(result.published, result.provenance.get("published", ""))
    if publisher_id is not None and zone is not None:
        # A publisher with no feed dates to learn from is placed by the offsets its pages state.
        store.set_time_zone(publisher_id, zone, "page", if_unknown=True)


# ---------------------------------------------------------------------------------------------- follow


@dataclass(frozen=True, slots=True)
class Discovered:
    """A publisher found from a URL: its name, home page, and the feeds and sitemaps that list its articles."""

    name: str
    home_url: str
    sources: tuple[tuple[str, str], ...]  # (url, kind)


async def discover(fetcher: Fetcher, url: str) -> Discovered:
    """Find the publisher behind `url`: a feed or sitemap itself, or a homepage and what it declares (feed
    links, sitemaps in robots.txt), else the usual feed and sitemap paths. Raises `SourceError` when the URL
    gives nothing to follow."""
    fetched = await fetcher.fetch(url, kind="feed")
    if fetched.error == "content-type":
        fetched = await fetcher.fetch(url, kind="page")
    if not fetched.ok:
        raise SourceError(f"{url}: {fetched.error or f'HTTP {fetched.status}'}")
    root = _site_root(fetched.final_url)
    try:
        listing = parse_listing(fetched.body, fetched.final_url, fetched.header("content-type"))
    except SourceError:
        listing = None
    if listing is not None:
        home = listing.site_url or root
        return Discovered(listing.title or _host(home), home, ((fetched.final_url, listing.kind),))
    candidates = feed_links(fetched.body, fetched.final_url)
    robots = await fetcher.fetch(urljoin(root, "/robots.txt"), kind="robots")
    if robots.ok:
        candidates += sitemaps_from_robots(robots.body.decode("utf-8", "replace"), root)
    found = await _valid_sources(fetcher, candidates)
    if not found:
        found = await _valid_sources(fetcher, [*common_feed_urls(root), *common_sitemap_urls(root)])
    if not found:
        raise SourceError(f"{url}: no feed or sitemap found")
    # The homepage's declared site name, else the title of its feed (sitemaps have none), else the host.
    titles = [title for _url, _kind, title in found if title]
    name = _site_name(fetched) or (titles[0] if titles else _host(root))
    return Discovered(name, root, tuple((source, kind) for source, kind, _title in found))


async def _valid_sources(fetcher: Fetcher, urls: Iterable[str]) -> list[tuple[str, str, str | None]]:
    """The URLs that answer with a feed or sitemap: (final URL, kind, title)."""
    found: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    for url in urls:
        if url in seen:
            continue
        seen.add(url)
        fetched = await fetcher.fetch(url, kind="sitemap" if "sitemap" in url else "feed")
        if not fetched.ok:
            continue
        try:
            listing = parse_listing(fetched.body, fetched.final_url, fetched.header("content-type"))
        except SourceError:
            continue
        found.append((fetched.final_url, listing.kind, listing.title))
    return found


def _site_name(fetched: Fetched) -> str | None:
    try:
        return extract(fetched.body, fetched.final_url).site_name
    except WartaError:
        return None


def _site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _host(url: str) -> str:
    return site_host(url) or url


async def follow(store: Store, settings: FetchSettings, url: str) -> tuple[int, Discovered]:
    """Discover the publisher behind `url` and register it with its sources; returns its id."""
    async with Fetcher(settings) as fetcher:
        found = await discover(fetcher, url)
    publisher_id, _ = store.add_publisher(found.name, found.home_url)
    for source_url, kind in found.sources:
        store.add_source(publisher_id, source_url, kind)
    return publisher_id, found


def queue_urls(store: Store, urls: Iterable[str]) -> int:
    """Queue single article URLs for the next crawl, each under its host's publisher when one is known."""
    queued = 0
    for url in urls:
        queued += store.enqueue([Link(url)], store.publisher_for_host(_host(url)))
    return queued


# ------------------------------------------------------------------------------------- import, reextract


def import_warc(
    store: Store,
    paths: Iterable[str | Path],
    *,
    hosts: Iterable[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> CrawlSummary:
    """Extract and store the HTML responses of web archives (WARC, CC-NEWS), on every core."""
    summary = CrawlSummary()
    wanted = list(hosts) if hosts else None

    def records() -> Iterator[tuple[Fetched, str]]:
        for path in paths:
            try:
                for record in read_warc(path, hosts=wanted, since=since, until=until):
                    yield record, str(path)
            except SourceError as exc:
                summary.errors[exc.reason] += 1
            except OSError:
                summary.errors["unreadable"] += 1

    _store_records(store, records(), workers, summary, progress, by_host=True)
    return summary


def import_pages(
    store: Store, inputs: Iterable[str], *, workers: int | None = None, progress: Progress | None = None
) -> CrawlSummary:
    """Extract and store saved HTML pages (files, `.gz` files, directories of them), on every core.

    A saved page has no address but its own: its canonical URL keys it, and a page that names none is
    skipped ("no URL"). Each site gets a publisher, not followed, so its articles can be browsed and it can
    be starred in the reader.
    """
    summary = CrawlSummary()
    publishers: dict[str, int] = {}
    files = iter(expand_inputs(inputs))
    with _pool(workers) as pool:
        while chunk := list(islice(files, IMPORT_CHUNK)):
            bodies: list[bytes] = []
            for path in chunk:
                try:
                    bodies.append(read_input(path))
                except WartaError as exc:
                    summary.skipped[exc.reason] += 1
                except OSError:
                    summary.errors["unreadable"] += 1
            none = [None] * len(bodies)
            results = pool.map(_extract_page, bodies, none, none, none)
            for body, result in zip(bodies, results, strict=True):
                summary.fetched += 1
                url = ""
                if isinstance(result, Article):
                    url = result.canonical_url or result.url or ""
                    if not url:
                        summary.skipped["no URL"] += 1
                        continue
                host = _host(url)
                # A publisher for each site with an article, so it can be browsed and starred.
                stored = isinstance(result, Article) and result.kind is PageKind.ARTICLE and bool(result.body)
                if stored and host not in publishers and isinstance(result, Article):
                    publishers[host] = (
                        store.publisher_for_host(host)
                        or store.add_publisher(result.site_name or host, f"https://{host}/", follow=False)[0]
                    )
                record = Fetched(url=url, final_url=url, status=None, body=body, fetched_at=datetime.now(UTC))
                _store_result(store, summary, record, result, publishers.get(host), None, None)
            if progress is not None:
                progress("pages", len(chunk))
    return summary


def reextract(store: Store, workers: int | None = None, progress: Progress | None = None) -> CrawlSummary:
    """Rebuild the articles from the archived responses, with the extractor as it is now; no fetching."""
    summary = CrawlSummary()

    known = [Path(path) for path in store.warc_files()]
    # The files the pages point at, and their neighbours: a file that rotated in mid-batch may have no page
    # pointing at it.
    files = sorted({*known, *(f for d in {p.parent for p in known} if d.is_dir() for f in d.glob("*.warc.gz"))})

    def records() -> Iterator[tuple[Fetched, str]]:
        for path in files:
            if not path.is_file():
                summary.errors["missing archive"] += 1
                continue
            try:
                for record in read_warc(path):
                    yield record, str(path)
            except SourceError as exc:
                summary.errors[exc.reason] += 1

    _store_records(store, records(), workers, summary, progress, by_host=True)
    return summary


def _store_records(
    store: Store,
    records: Iterator[tuple[Fetched, str]],
    workers: int | None,
    summary: CrawlSummary,
    progress: Progress | None,
    by_host: bool,
) -> None:
    publishers: dict[str, int | None] = {}
    zones: dict[str, DateHints | None] = {}
    with _pool(workers) as pool:
        while chunk := list(islice(records, IMPORT_CHUNK)):
            pages = [(record, path) for record, path in chunk if _is_html_response(record, summary)]
            hosts = [_host(record.final_url) for record, _ in pages]
            if by_host:
                for host in hosts:
                    if host not in publishers:
                        publishers[host] = publisher_id = store.publisher_for_host(host)
                        # The zone the crawl learned for the publisher: archived pages that print their times
                        # without one are read in it, as they were when they were crawled.
                        zone = store.publisher_zone(publisher_id) if publisher_id is not None else None
                        zones[host] = DateHints(zone=zone) if zone else None
            results = pool.map(
                _extract_page,
                [r.body for r, _ in pages],
                [r.final_url for r, _ in pages],
                [r.header("content-type") for r, _ in pages],
                [r.fetched_at for r, _ in pages],
                [zones.get(host) for host in hosts],
            )
            for (record, path), host, result in zip(pages, hosts, results, strict=True):
                summary.fetched += 1
                _store_result(store, summary, record, result, publishers.get(host), None, path)
            if progress is not None:
                progress("records", len(chunk))


def _is_html_response(record: Fetched, summary: CrawlSummary) -> bool:
    if record.status is not None and not 200 <= record.status < 300:
        summary.skipped[f"http-{record.status}"] += 1
        return False
    content_type = (record.header("content-type") or "text/html").lower()
    if "html" not in content_type:
        summary.skipped["not html"] += 1
        return False
    return True
