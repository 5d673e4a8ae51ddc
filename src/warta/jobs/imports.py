"""Articles from what is already on disk: web archives (WARC, CC-NEWS), saved pages, and re-extraction of the
responses a crawl archived, on every core, with nothing fetched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path

from warta.errors import WartaError
from warta.jobs.files import expand_inputs, is_archive, read_input
from warta.jobs.follow import host_name
from warta.jobs.pages import extract_and_index, extract_page, keep, skip_reason
from warta.jobs.workers import Progress, Summary, Workers
from warta.models import Article, DateHints, Fetched, PageKind
from warta.sources import SourceError, read_warc
from warta.store import Store
from warta.store.db import stop_if_unavailable

# Records of a web archive extracted together: bounds the memory an import holds.
IMPORT_CHUNK = 256
# The suffix of the archive files a crawl writes (`warta.fetch.archive`), looked for beside known ones.
CRAWL_ARCHIVES = "*.warc.gz"


def archives_in(inputs: Iterable[str]) -> list[str]:
    """The web archives among the inputs (files, directories, globs), found by name or by their first bytes.
    A list: archives are few and large, so listing them costs nothing."""
    return [path for path in expand_inputs(inputs) if is_archive(path)]


def pages_in(inputs: Iterable[str]) -> Iterator[str]:
    """The inputs that are not web archives, lazily (a folder may hold a million saved pages)."""
    return (path for path in expand_inputs(inputs) if not is_archive(path))


def import_warc(
    store: Store,
    paths: Iterable[str | Path],
    *,
    hosts: Iterable[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Extract and store the HTML responses of web archives (WARC, CC-NEWS), on every core."""
    summary = Summary("crawl")
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

    _store_records(store, records(), workers, summary, progress)
    return summary


def import_pages(
    store: Store, inputs: Iterable[str], *, workers: int | None = None, progress: Progress | None = None
) -> Summary:
    """Extract and store saved HTML pages (files, `.gz` files, directories of them), on every core.

    A saved page has no address but its own: its canonical URL keys it, and a page that names none is
    skipped ("no URL"). Each site gets a publisher, not followed, so its articles can be browsed and it can
    be starred in the reader.
    """
    summary = Summary("crawl")
    publishers: dict[str, int] = {}
    files = iter(expand_inputs(inputs))
    with Workers(workers) as pool, stop_if_unavailable():
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
            for result in pool.map(extract_page, bodies, none, none, none):
                summary.counts["fetched"] += 1
                url = (result.canonical_url or result.url or "") if isinstance(result, Article) else ""
                if isinstance(result, Article) and not url:
                    summary.skipped["no URL"] += 1
                    continue
                publisher_id = _publisher(store, publishers, result, url)
                keep(store, summary, None, result, publisher_id)
            if progress is not None:
                progress("pages", len(chunk))
    return summary


def _publisher(store: Store, publishers: dict[str, int], result: Article | str, url: str) -> int | None:
    """The publisher of a saved page's site, added (not followed) for the first article of the site, so that
    it can be browsed and starred."""
    host = host_name(url)
    if host in publishers:
        return publishers[host]
    if not isinstance(result, Article) or result.kind is not PageKind.ARTICLE or not result.body:
        return None
    publishers[host] = (
        store.publisher_for_host(host)
        or store.add_publisher(result.site_name or host, f"https://{host}/", follow=False)[0]
    )
    return publishers[host]


def reextract(store: Store, workers: int | None = None, progress: Progress | None = None) -> Summary:
    """Rebuild the articles from the archived responses, with the extractor as it is now; no fetching.

    Idempotent: a response already stored adds no page row, and an article whose extraction did not change
    gets no new version. An archive that cannot be found is counted in `errors` ("missing archive").
    """
    summary = Summary("crawl")
    with stop_if_unavailable():
        known = store.warc_files()
    # The files the pages point at, and their neighbours: a file that rotated in mid-batch may have no page
    # pointing at it.
    neighbours = {f for d in {p.parent for p in known} if d.is_dir() for f in d.glob(CRAWL_ARCHIVES)}
    files = sorted({*known, *neighbours})

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
            except OSError:
                summary.errors["unreadable"] += 1

    _store_records(store, records(), workers, summary, progress)
    return summary


def _store_records(
    store: Store,
    records: Iterator[tuple[Fetched, str]],
    workers: int | None,
    summary: Summary,
    progress: Progress | None,
) -> None:
    publishers: dict[str, int | None] = {}
    zones: dict[str, DateHints | None] = {}
    with Workers(workers) as pool, stop_if_unavailable():
        while chunk := list(islice(records, IMPORT_CHUNK)):
            pages = [(record, path) for record, path in chunk if _is_html_response(record, summary)]
            hosts = [host_name(record.final_url) for record, _ in pages]
            for host in hosts:
                if host not in publishers:
                    publishers[host] = publisher_id = store.publisher_for_host(host)
                    # The zone the crawl learned for the publisher: archived pages that print their times
                    # without one are read in it, as they were when they were crawled.
                    zone = store.publisher_zone(publisher_id) if publisher_id is not None else None
                    zones[host] = DateHints(zone=zone) if zone else None
            results = pool.map(
                extract_and_index,
                [r.body for r, _ in pages],
                [r.final_url for r, _ in pages],
                [r.header("content-type") for r, _ in pages],
                [r.fetched_at for r, _ in pages],
                [zones.get(host) for host in hosts],
            )
            for (record, path), host, (result, document) in zip(pages, hosts, results, strict=True):
                summary.counts["fetched"] += 1
                keep(store, summary, record, result, publishers.get(host), None, path, document)
            if progress is not None:
                progress("records", len(chunk))


def _is_html_response(record: Fetched, summary: Summary) -> bool:
    reason = skip_reason(record)
    if reason is None:
        return True
    # A record the reader could not read whole is damage, an error; a 404 or an image is only not a page.
    (summary.errors if reason == record.error else summary.skipped)[reason] += 1
    return False
