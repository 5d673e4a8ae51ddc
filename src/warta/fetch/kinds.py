"""What each kind of request asks for and accepts: Accept headers and media types, as data.

A page fetch refuses an image or a PDF from its headers alone, so the crawl never downloads bodies the
extractor would throw away. Feeds and sitemaps are looser because servers label them every which way.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

# RFC 9309 §2.5: a crawler must read at least 500 KiB of robots.txt; past that it may stop and use
# what it has, so a huge robots.txt is truncated rather than refused.
ROBOTS_MAX_BYTES = 500 * 1024


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of request: what it asks for, which media types it keeps, how its size limit works."""

    name: str
    accept: str
    media_types: tuple[str, ...]  # fnmatch patterns on the lower-cased "type/subtype"
    obeys_robots: bool = True
    max_bytes: int | None = None  # None: the settings' limit
    truncate: bool = False  # past the limit, keep the first bytes instead of failing


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            name="page",
            accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            media_types=("text/html", "application/xhtml+xml"),
        ),
        Kind(
            name="feed",
            accept="application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
            "text/xml;q=0.9,application/json;q=0.8,*/*;q=0.1",
            # RSS is served as text/html or text/plain by enough WordPress installs that text/* stays in.
            media_types=("*/xml", "*/*+xml", "*/json", "*/*+json", "text/*", "application/gzip", "application/x-gzip"),
        ),
        Kind(
            name="sitemap",
            accept="application/xml,text/xml;q=0.9,application/gzip;q=0.8,*/*;q=0.1",
            # sitemap.xml.gz files are commonly served as application/octet-stream; the parser sniffs them.
            media_types=(
                "*/xml",
                "*/*+xml",
                "text/*",
                "application/gzip",
                "application/x-gzip",
                "application/octet-stream",
            ),
        ),
        Kind(
            name="robots",
            accept="text/plain,*/*;q=0.1",
            # RFC 9309 names no media type and servers send robots.txt as anything: parse whatever comes.
            media_types=("*",),
            obeys_robots=False,
            max_bytes=ROBOTS_MAX_BYTES,
            truncate=True,
        ),
    )
}


def kind_named(name: str) -> Kind:
    """The kind called `name`; an unknown name is a programming error."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown fetch kind {name!r}; expected one of {sorted(KINDS)}") from None


def accepts(kind: Kind, content_type: str | None) -> bool:
    """Whether a response of this Content-Type is worth reading for this kind.

    A missing Content-Type is let through: the extractor and the feed parsers sniff bytes anyway.
    """
    if not content_type:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return any(fnmatchcase(media_type, pattern) for pattern in kind.media_types)
