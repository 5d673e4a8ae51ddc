"""Following a publisher: from any URL of it, find the feeds and sitemaps that list its articles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from warta.errors import WartaError
from warta.extract import extract
from warta.extract.urls import site_host
from warta.fetch import Fetcher, FetchSettings
from warta.models import Fetched, Link
from warta.sources import (
    SourceError,
    common_feed_urls,
    common_sitemap_urls,
    feed_links,
    parse_listing,
    sitemaps_from_robots,
)
from warta.store import Store


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
        return Discovered(listing.title or host_name(home), home, ((fetched.final_url, listing.kind),))
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
    name = _site_name(fetched) or (titles[0] if titles else host_name(root))
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


def host_name(url: str) -> str:
    """A URL's host without "www.", or the URL itself when it has none."""
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
        queued += store.enqueue([Link(url)], store.publisher_for_host(host_name(url)))
    return queued
