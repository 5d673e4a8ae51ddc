"""Sources -> fetch -> extract -> store: one round of following the publishers, and the endless loop of them.

The store holds all crawl state (see `warta.store`), so a crawl is a loop over it: poll the due feeds and
sitemaps (conditional GET), queue the new or changed page URLs they list, then claim queued URLs in batches,
fetch them politely (one `Fetcher`, shared per-host limits), extract them on every core, and store each
article with its frontier row in one transaction. Killed at any moment, a crawl loses nothing: the URLs it
had claimed are queued again by the next one (`Store.recover`), and an article is stored once per content.

Nothing one server or one page does can stop or stall a round, and every URL ends it counted: stored, given
up with a reason, or left queued with a due time (a throttled URL is tried again after its Retry-After while
the round lasts; a host that keeps failing is set aside until the next round). Whatever goes wrong with one
URL, an exception included, is a failure of that URL with a reason (`internal-error`), and extraction has a
time limit per page (`extract-timeout`). One crawl at a time holds the store (`warta.store.lease`), so two
crawls never fetch the same URL.

Extraction runs in worker processes awaited from the event loop; database writes run on the loop's thread,
one writer, as SQLite wants.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from warta.errors import WartaError
from warta.fetch import Fetcher, FetchSettings, Reason, WarcArchive
from warta.fetch.retry import parse_retry_after
from warta.jobs.pages import extract_and_index, extract_page
from warta.jobs.stories import assign_if_installed
from warta.jobs.timed import TimedWorkers
from warta.jobs.workers import Progress, Summary
from warta.jobs.writer import StoreWriter
from warta.models import Claim, DateHints, Fetched, LinkKind, Source
from warta.sources import SourceError, parse_listing
from warta.sources.zones import listing_zone
from warta.store import FAILED, QUEUED, SKIPPED, Store
from warta.store.lease import HEARTBEAT_INTERVAL, Lease, LeaseLost, StoreBusy

# URLs claimed from the frontier at a time: enough to keep the fetcher's connections and both extraction
# processes busy, few enough that a killed crawl has little to redo.
CLAIM_BATCH = 64
# A sitemap index of a news site lists one sitemap per day or month back to its founding; following the
# publisher means its new articles, so only the newest children are polled.
MAX_CHILD_SITEMAPS = 5
# Fetch errors after which a URL is not worth another attempt: the answer will be the same. Client errors
# (4xx) are too, but for 408 and 429, which ask to come back later. "robots-unreachable" is not: the host's
# robots.txt may answer next time.
PERMANENT_ERRORS = frozenset(
    {
        "robots",
        "content-type",
        "invalid-url",
        "private-address",
        "too-large",
        "decompression-bomb",
        "redirect-loop",
        "too-many-redirects",
    }
)
TRANSIENT_CLIENT_ERRORS = frozenset({"http-408", "http-429"})
# Rounds of polling in one crawl: a sitemap index's children, registered in the first, are read in the next.
MAX_POLL_ROUNDS = 3
# Extraction takes well under a second for nearly every page (a few seconds for the largest real ones); a
# page still running after this long is pathological input, and its worker is killed.
EXTRACT_TIMEOUT = 60.0
# A URL that failed (a 5xx after retries, a timeout, an extraction that crashed) waits this long before it
# is tried again: not in the same round, where the answer would likely be the same.
RETRY_DELAY = 600.0
# A host set aside as failing is tried again after this long, by a later round.
SET_ASIDE_DELAY = 900.0
# The shortest pause before a throttled URL is asked for again, when the server named none.
MIN_THROTTLE_WAIT = 1.0
# Failures that belong to the handling of one URL rather than to its server.
INTERNAL_ERROR = "internal-error"
# Exit status of a crawl refused because another crawl holds the store (EX_TEMPFAIL: try again later).
EXIT_BUSY = 75
# How often a crawl started with --wait asks for the lease again.
LEASE_POLL = 2.0


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """How a crawl runs; `fetch` holds the politeness and safety limits."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    archive_dir: Path | None = None  # WARC files of every response; None: no archive
    workers: int | None = None  # extraction processes; all cores by default
    batch: int = CLAIM_BATCH
    extract_timeout: float = EXTRACT_TIMEOUT  # seconds one page may take to extract
    retry_delay: float = RETRY_DELAY  # seconds before a failed URL is due again
    set_aside_delay: float = SET_ASIDE_DELAY  # seconds before the URLs of a host set aside are due again
    # How long a round waits for throttled URLs to come due again; None: the fetcher's max_retry_after.
    round_wait: float | None = None


def _is_permanent(error: str) -> bool:
    return error in PERMANENT_ERRORS or (error.startswith("http-4") and error not in TRANSIENT_CLIENT_ERRORS)


def _is_throttle(fetched: Fetched) -> bool:
    """Whether the server asked for a pause (429, or 503 with Retry-After, or a pause past this round):
    it says nothing against the URL, so it does not use up the URL's attempts."""
    if fetched.error == Reason.RETRY_LATER or fetched.status == 429:
        return True
    return fetched.status == 503 and fetched.header("retry-after") is not None


@contextlib.asynccontextmanager
async def crawl_lease(store: Store, *, wait: bool = False) -> AsyncIterator[Lease]:
    """Hold the store's crawl lease for the block, renewed in the background, released after.

    Raises `StoreBusy` when another live crawl holds it, unless `wait`, which waits for it instead.
    """
    lease = Lease(store.engine)
    while True:
        try:
            lease.acquire()
            break
        except StoreBusy:
            if not wait:
                raise
            await asyncio.sleep(LEASE_POLL)

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_INTERVAL)
            try:
                lease.renew()
            except LeaseLost:
                return  # `lease.held` is now false: the crawl stops claiming

    beating = asyncio.create_task(heartbeat())
    try:
        yield lease
    finally:
        beating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beating
        if lease.held:
            store.unclaim(lease.token)
        lease.release()


async def crawl_once(
    store: Store, settings: CrawlSettings, progress: Progress | None = None, *, lease: Lease | None = None
) -> Summary:
    """Poll the due sources of followed publishers, then fetch and store every queued URL.

    Takes the store's crawl lease for the round unless given one (raises `StoreBusy` when another crawl
    holds it).
    """
    if lease is None:
        async with crawl_lease(store) as held:
            return await crawl_once(store, settings, progress, lease=held)
    summary = Summary("crawl")
    recovered = store.recover(lease.token)
    if recovered:
        summary.counts["interrupted"] += recovered
    archive = WarcArchive(settings.archive_dir) if settings.archive_dir is not None else None
    try:
        async with Fetcher(settings.fetch, archive=archive) as fetcher:
            await poll_sources(store, fetcher, summary, progress)
            pool = TimedWorkers(settings.workers, limit=settings.extract_timeout, warm=warm_extractor)
            async with pool as workers:
                await _Round(store, fetcher, workers, archive, settings, summary, lease).run(progress)
    finally:
        if archive is not None:
            archive.close()
    return summary


class _Round:
    """Claims and crawls the queued URLs until every one is stored, given up, or left for a later round."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        workers: TimedWorkers,
        archive: WarcArchive | None,
        settings: CrawlSettings,
        summary: Summary,
        lease: Lease,
    ) -> None:
        self.store, self.fetcher, self.workers, self.archive = store, fetcher, workers, archive
        self.settings, self.summary, self.lease = settings, summary, lease
        wait = settings.round_wait if settings.round_wait is not None else settings.fetch.max_retry_after
        self.ends_at = time.monotonic() + wait  # throttled URLs due later than this wait for the next round
        self.throttled: dict[int, float] = {}  # frontier id -> when it is due again (monotonic), this round
        self.deferred: dict[int, str] = {}  # frontier id -> why it waits, for the URLs not taken again
        self.writer = StoreWriter(store)

    async def run(self, progress: Progress | None) -> None:
        # URLs are claimed again when half of those in flight are done, not when all are: the extraction
        # workers never wait for the slowest fetch of a batch.
        batch = self.settings.batch
        pending: set[asyncio.Task[None]] = set()
        exhausted = False
        try:
            while True:
                if exhausted and self._due_now():
                    exhausted = False
                if not exhausted and len(pending) <= batch // 2 and self.lease.held:
                    claims = self.store.claim(batch - len(pending), owner=self.lease.token)
                    exhausted = not claims
                    for claim in claims:
                        self.throttled.pop(claim.id, None)
                        self.deferred.pop(claim.id, None)
                        pending.add(asyncio.create_task(self._guarded(claim)))
                next_due = self._next_due()
                if not pending:
                    if next_due is None or not self.lease.held:
                        break
                    await asyncio.sleep(max(0.0, next_due - time.monotonic()))
                    continue
                timeout = None if next_due is None else max(0.0, next_due - time.monotonic())
                done, pending = await asyncio.wait(pending, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()  # only the store failing gets here: that is a failure of the run
                if progress is not None and done:
                    progress("pages", len(done))
        finally:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            self.writer.close()
        self.summary.deferred.update(self.deferred.values())

    def _next_due(self) -> float | None:
        due = [at for at in self.throttled.values() if at <= self.ends_at]
        return min(due) if due else None

    def _due_now(self) -> bool:
        moment = time.monotonic()
        return any(at <= moment for at in self.throttled.values())

    async def _guarded(self, claim: Claim) -> None:
        """Crawl one URL; whatever goes wrong with it becomes a counted failure of that URL alone."""
        try:
            await self._crawl(claim)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # one URL's trouble is counted, never the crawl's end
            detail = f"{INTERNAL_ERROR}: {type(exc).__name__}"
            self._fail(claim, INTERNAL_ERROR, detail)

    def _fail(self, claim: Claim, reason: str, detail: str | None = None) -> None:
        """A failed attempt: the URL is due again after the retry delay, or given up past its attempts."""
        self.summary.errors[reason] += 1
        due = datetime.now(UTC) + timedelta(seconds=self.settings.retry_delay)
        if self.store.finish(claim.id, FAILED, detail or reason, not_before=due) == QUEUED:
            self.deferred[claim.id] = reason
        else:
            self.summary.counts["given up"] += 1

    def _defer(self, claim: Claim, reason: str, seconds: float, *, this_round: bool) -> None:
        self.store.defer(claim.id, datetime.now(UTC) + timedelta(seconds=seconds), reason)
        self.deferred[claim.id] = reason
        if this_round:
            self.throttled[claim.id] = time.monotonic() + seconds

    async def _crawl(self, claim: Claim) -> None:
        fetcher, summary = self.fetcher, self.summary
        fetched = await fetcher.fetch(claim.url, kind="page")
        warc_file = self.archive.current_path if self.archive is not None else None  # before a rotation
        if not fetched.ok:
            error = fetched.error or f"http-{fetched.status}"
            if error != Reason.HOST_SET_ASIDE and fetcher.is_set_aside(claim.url):
                summary.errors[error] += 1  # the failure that set the host aside: counted, then it waits too
            if fetcher.is_set_aside(claim.url) or error == Reason.HOST_SET_ASIDE:
                self._defer(claim, Reason.HOST_SET_ASIDE, self.settings.set_aside_delay, this_round=False)
            elif _is_throttle(fetched):
                summary.counts["throttled"] += 1
                asked = parse_retry_after(fetched.header("retry-after")) or 0.0
                wait = max(asked, fetcher.waiting(claim.url), MIN_THROTTLE_WAIT)
                self._defer(claim, error, wait, this_round=True)
            elif _is_permanent(error):
                summary.skipped[error] += 1
                self.store.finish(claim.id, SKIPPED, error)
            else:
                self._fail(claim, error)
            return
        summary.counts["fetched"] += 1
        try:
            result, document = await self.workers.run(
                extract_and_index,
                fetched.body,
                fetched.final_url,
                fetched.header("content-type"),
                fetched.fetched_at,
                hints(claim),
            )
        except WartaError as exc:  # TaskTimeout, WorkerDied, TaskFailed
            self._fail(claim, exc.reason, f"{exc.reason}: {exc}")
            return
        await self.writer.keep(
            summary,
            fetched,
            result,
            claim.publisher_id,
            claim.id,
            str(warc_file) if warc_file else None,
            document,
        )


async def crawl(
    store: Store, settings: CrawlSettings, interval: float, progress: Progress | None = None, *, wait: bool = False
) -> None:  # pragma: no cover - an endless loop; each round is crawl_once, which the tests run
    """Crawl, then wait for the next poll and crawl again, until interrupted; one lease for all rounds."""
    async with crawl_lease(store, wait=wait) as lease:
        while lease.held:
            await crawl_once(store, settings, progress, lease=lease)
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
            try:
                await _poll(store, fetcher, source, summary, progress)
            except Exception as exc:  # one source's trouble is counted, never the crawl's end
                store.record_source(source.id, error=f"{INTERNAL_ERROR}: {type(exc).__name__}")
                summary.errors["source " + INTERNAL_ERROR] += 1


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
    if listing.damage is not None:  # the links before the damage are kept; the damage is the source's error
        summary.errors["source " + listing.damage] += 1
    store.record_source(
        source.id,
        error=None,
        damage=listing.damage,
        etag=fetched.header("etag"),
        last_modified=fetched.header("last-modified"),
        links=len(pages),
        kind=listing.kind,
    )


# A page extracted once in each new worker before it takes tasks, so that loading the extractor's models is
# not counted against the first page's time limit.
WARM_UP_PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Warm up - Warta</title>"
    "<meta property='article:published_time' content='2024-05-01T08:00:00+00:00'></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Warm up</h1><div class='byline'>By A. Writer</div>"
    + "".join(
        f"<p>The city council announced paragraph {n} of a plan to extend the bus network to the north, where "
        "residents have waited years for a stop within walking distance of their homes.</p>"
        for n in range(6)
    )
    + "</article><footer>Warta</footer></body></html>"
).encode()


def warm_extractor() -> None:
    extract_page(WARM_UP_PAGE, "https://example.org/warm-up", "text/html", None)


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
