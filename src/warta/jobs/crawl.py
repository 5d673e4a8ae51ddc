"""Sources -> fetch -> extract -> store: one round of following the publishers, and the endless loop of them.

The store holds all crawl state (see `warta.store`), so a crawl is a loop over it: poll the due feeds and
sitemaps (conditional GET), queue the new or changed page URLs they list, then claim queued URLs in batches,
fetch them politely (one `Fetcher`, shared per-host limits), extract them on every core, and store each
article with its frontier row in one transaction. Killed at any moment, a crawl loses nothing: the URLs it
had claimed are queued again by the next one (`Store.recover`), and an article is stored once per content.

Extraction runs in worker processes awaited from the event loop; database writes run on the loop's thread,
one writer, as SQLite wants.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from warta.fetch import Fetcher, FetchSettings, WarcArchive
from warta.jobs.pages import extract_page, keep
from warta.jobs.stories import assign_if_installed
from warta.jobs.workers import Progress, Summary, Workers
from warta.models import Claim, DateHints, LinkKind, Source
from warta.sources import SourceError, parse_listing
from warta.sources.zones import listing_zone
from warta.store import FAILED, SKIPPED, Store

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


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """How a crawl runs; `fetch` holds the politeness and safety limits."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    archive_dir: Path | None = None  # WARC files of every response; None: no archive
    workers: int | None = None  # extraction processes; all cores by default
    batch: int = CLAIM_BATCH


def _is_permanent(error: str) -> bool:
    return error in PERMANENT_ERRORS or (error.startswith("http-4") and error not in TRANSIENT_CLIENT_ERRORS)


async def crawl_once(store: Store, settings: CrawlSettings, progress: Progress | None = None) -> Summary:
    """Poll the due sources of followed publishers, then fetch and store every queued URL."""
    summary = Summary("crawl")
    store.recover()
    archive = WarcArchive(settings.archive_dir) if settings.archive_dir is not None else None
    try:
        async with Fetcher(settings.fetch, archive=archive) as fetcher:
            await poll_sources(store, fetcher, summary, progress)
            with Workers(settings.workers) as workers:
                await _fetch_queued(store, fetcher, workers, archive, settings.batch, summary, progress)
    finally:
        if archive is not None:
            archive.close()
    return summary


async def _fetch_queued(
    store: Store,
    fetcher: Fetcher,
    workers: Workers,
    archive: WarcArchive | None,
    batch: int,
    summary: Summary,
    progress: Progress | None,
) -> None:
    # URLs are claimed again when half of those in flight are done, not when all are: the extraction
    # workers never wait for the slowest fetch of a batch.
    pending: set[asyncio.Task[None]] = set()
    exhausted = False
    while True:
        if not exhausted and len(pending) <= batch // 2:
            claims = store.claim(batch - len(pending))
            exhausted = not claims
            for claim in claims:
                pending.add(asyncio.create_task(_crawl_url(store, fetcher, workers, claim, archive, summary)))
        if not pending:
            return
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()  # an unexpected error stops the crawl; the next one resumes it
        if progress is not None:
            progress("pages", len(done))


async def crawl(
    store: Store, settings: CrawlSettings, interval: float, progress: Progress | None = None
) -> None:  # pragma: no cover - an endless loop; each round is crawl_once, which the tests run
    """Crawl, then wait for the next poll and crawl again, until interrupted."""
    while True:
        await crawl_once(store, settings, progress)
        assign_if_installed(store, progress)
        await asyncio.sleep(interval)


async def poll_sources(store: Store, fetcher: Fetcher, summary: Summary, progress: Progress | None) -> None:
    """Fetch each due source with a conditional GET and queue the page links it lists; then the child
    sitemaps of the indexes just read, which are due at once."""
    for _round in range(MAX_POLL_ROUNDS):
        due = store.due_sources()
        if not due:
            return
        for source in due:
            await _poll(store, fetcher, source, summary, progress)


async def _poll(store: Store, fetcher: Fetcher, source: Source, summary: Summary, progress: Progress | None) -> None:
    kind = "sitemap" if "sitemap" in source.kind else "feed"
    fetched = await fetcher.fetch(source.url, kind=kind, etag=source.etag, last_modified=source.last_modified)
    summary.counts["sources polled"] += 1
    if progress is not None:
        progress("sources", 1)
    if fetched.not_modified:
        summary.counts["sources unchanged"] += 1
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
    summary.counts["links queued"] += store.enqueue(pages, source.publisher_id, source.id)
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
    store: Store, fetcher: Fetcher, workers: Workers, claim: Claim, archive: WarcArchive | None, summary: Summary
) -> None:
    fetched = await fetcher.fetch(claim.url, kind="page")
    warc_file = archive.current_path if archive is not None else None  # read before another fetch rotates it
    if not fetched.ok:
        error = fetched.error or f"http-{fetched.status}"
        if _is_permanent(error):
            summary.skipped[error] += 1
            store.finish(claim.id, SKIPPED, error)
        else:
            summary.errors[error] += 1
            store.finish(claim.id, FAILED, error)
        return
    summary.counts["fetched"] += 1
    result = await workers.run(
        extract_page,
        fetched.body,
        fetched.final_url,
        fetched.header("content-type"),
        fetched.fetched_at,
        hints(claim),
    )
    keep(store, summary, fetched, result, claim.publisher_id, claim.id, str(warc_file) if warc_file else None)


def hints(claim: Claim) -> DateHints | None:
    """What the frontier knows of the page: the listing that led to it (a feed announces articles), the
    listing's date in its own offset, and the publisher's zone."""
    listed = claim.listed_at
    if listed is not None and claim.listed_offset is not None and abs(claim.listed_offset) <= 14 * 60:
        listed = listed.astimezone(timezone(timedelta(minutes=claim.listed_offset)))
    if listed is None and claim.time_zone is None and claim.source_kind is None:
        return None
    return DateHints(
        listed=listed,
        listed_by=claim.source_kind,
        listed_modified=claim.listed_kind == "modified",
        zone=claim.time_zone,
    )
