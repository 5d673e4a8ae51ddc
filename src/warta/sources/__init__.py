"""Sources: where the pages to fetch come from, and pages that come already fetched.

Pure functions over bytes or text turn feeds (RSS, Atom, JSON Feed), sitemaps (including Google News
sitemaps and sitemap indexes), homepages and robots.txt into the shared `Listing`, `Link` records and URL
lists; `read_warc` streams the pages of a web archive as `Fetched` records. Nothing here touches the
network; only `read_warc` reads a file.

>>> listing = parse_listing(body, "https://example.org/sitemap.xml")  # doctest: +SKIP
>>> [link.url for link in listing.links]  # doctest: +SKIP

Errors are `SourceError` subclasses (see `warta.sources.errors`), each with a `reason` code.
"""

from warta.sources.discovery import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
    common_feed_urls,
    common_sitemap_urls,
    feed_links,
    sitemaps_from_robots,
)
from warta.sources.errors import (
    BrokenGzipError,
    BrokenWarcError,
    EmptySourceError,
    MalformedJSONError,
    MalformedXMLError,
    NotAFeedError,
    SourceError,
    SourceTooLargeError,
)
from warta.sources.feeds import parse_feed
from warta.sources.listing import parse_listing
from warta.sources.sitemaps import parse_sitemap
from warta.sources.warc import read_warc

__all__ = [
    "COMMON_FEED_PATHS",
    "COMMON_SITEMAP_PATHS",
    "BrokenGzipError",
    "BrokenWarcError",
    "EmptySourceError",
    "MalformedJSONError",
    "MalformedXMLError",
    "NotAFeedError",
    "SourceError",
    "SourceTooLargeError",
    "common_feed_urls",
    "common_sitemap_urls",
    "feed_links",
    "parse_feed",
    "parse_listing",
    "parse_sitemap",
    "read_warc",
    "sitemaps_from_robots",
]
