"""RSS and Atom feeds as listings: which articles a publisher announces, with their dates.

feedparser does the reading: it copes with the feeds found in the wild (undeclared entities, unescaped
ampersands, RSS 0.9x to 2.0, RDF, Atom 0.3 and 1.0). Its lenience is kept on purpose: a feed it recognises
is used even when not well-formed, and a truncated one yields the entries before the cut. A document it does
not recognise as a feed raises `NotAFeedError` (or `MalformedXMLError` when its root says it meant to be one).
It never opens a URL or file here: the bytes are handed over as a stream.

feedparser never sees the document as published: `prolog` decodes it, refuses entity declarations and
rebuilds it without anything before the root element, since feedparser's own handling of that part is
neither safe nor linear.
"""

from __future__ import annotations

import io
from typing import Any

import feedparser

from warta.models import Link, Listing
from warta.sources.dates import parse_timestamp
from warta.sources.errors import MalformedXMLError, NotAFeedError, SourceTooLargeError
from warta.sources.fields import clean_text, is_absolute_web_url, web_url
from warta.sources.jsonfeed import looks_like_json, parse_json_feed
from warta.sources.payload import unpack
from warta.sources.prolog import decode_document, read_prolog, rebuilt_document

# Root elements of the feed formats feedparser reads, by lower-cased local name.
FEED_ROOTS = frozenset({"rss", "rdf", "feed"})

# Entry keys that hold the publisher's own URL when `link` is a tracking redirect (FeedBurner rewrites
# every link to feedproxy.google.com and keeps the original in feedburner:origLink).
ORIGINAL_LINK_KEYS = ("feedburner_origlink",)

# What feedparser lets escape on hostile input instead of setting `bozo`: its lenient parser and HTML
# sanitizer recurse on nested markup. Turned into `MalformedXMLError` so callers see one documented error.
FEEDPARSER_FAILURES: tuple[type[Exception], ...] = (RecursionError,)

# feedparser reads some 10,000 elements a second on a busy core, so a document of the 50 MB a sitemap may
# be would keep it busy for minutes. News feeds carry the last few dozen items, well under a megabyte;
# even a podcast feed with its whole history stays below this.
MAX_FEED_BYTES = 16 * 1024 * 1024


def parse_feed(data: bytes, url: str) -> Listing:
    """Read an RSS, Atom or JSON Feed document into a `Listing` of its entries' links.

    Entry links are resolved against the feed URL and deduplicated, first kept; entries without an http(s)
    link are skipped. Kind is "rss" (0.9x, 1.0 and 2.0), "atom" or "json-feed".

    Raises a `SourceError` subclass: `EmptySourceError`, `SourceTooLargeError`, `BrokenGzipError`,
    `MalformedXMLError`, `MalformedJSONError` or `NotAFeedError`.
    """
    body = unpack(data)
    if looks_like_json(body):
        return parse_json_feed(body, url)
    return feed_from_xml(body, url)


def feed_from_xml(body: bytes, url: str) -> Listing:
    """Read an unpacked RSS or Atom document; `SourceTooLargeError` over MAX_FEED_BYTES."""
    if len(body) > MAX_FEED_BYTES:
        raise SourceTooLargeError(f"{len(body)} bytes, over the {MAX_FEED_BYTES}-byte limit for a feed")
    text = decode_document(body)
    prolog = read_prolog(text)
    parsed = _feedparser(rebuilt_document(text, prolog))
    del text  # the decoded copy is not needed while the entries are read
    version = str(_field(parsed, "version") or "")
    kind = "atom" if version.startswith("atom") else "rss" if version.startswith("rss") else None
    if kind is None:
        if prolog.root_name in FEED_ROOTS:
            raise MalformedXMLError(f"unreadable feed: {_field(parsed, 'bozo_exception')}")
        raise NotAFeedError("not an RSS, Atom or JSON feed")
    feed = _field(parsed, "feed") or {}
    language = clean_text(_field(feed, "language"))
    return Listing(
        kind=kind,
        links=tuple(_entry_links(_field(parsed, "entries") or [], url, language)),
        title=clean_text(_field(feed, "title")),
        site_url=web_url(_field(feed, "link"), url),
    )


def _feedparser(document: bytes) -> Any:
    try:
        return feedparser.parse(io.BytesIO(document))
    except FEEDPARSER_FAILURES as error:
        raise MalformedXMLError(f"unreadable feed: {error!r}") from error


def _entry_links(entries: list[Any], feed_url: str, language: str | None) -> list[Link]:
    links: dict[str, Link] = {}
    for entry in entries:
        target = _entry_url(entry, feed_url)
        if target is None or target in links:
            continue
        links[target] = Link(
            url=target,
            published=parse_timestamp(_field(entry, "published"), _field(entry, "published_parsed")),
            modified=parse_timestamp(_field(entry, "updated"), _field(entry, "updated_parsed")),
            title=clean_text(_field(entry, "title")),
            language=language,
        )
    return list(links.values())


def _entry_url(entry: Any, feed_url: str) -> str | None:
    for key in ORIGINAL_LINK_KEYS:
        if original := web_url(_field(entry, key), feed_url):
            return original
    link = _field(entry, "link")
    # feedparser copies <guid> into `link` when an item has no <link> of its own, and RSS 2.0 calls every
    # guid a permalink unless told otherwise: an opaque guid ("12345") must not become a relative URL.
    if _field(entry, "guidislink") and not is_absolute_web_url(link):
        return None
    return web_url(link, feed_url)


def _field(mapping: Any, key: str) -> Any:
    # FeedParserDict.get() answers for a missing key with another one (`updated` falls back to
    # `published`, with a DeprecationWarning); a missing value must stay missing here.
    return dict.get(mapping, key)
