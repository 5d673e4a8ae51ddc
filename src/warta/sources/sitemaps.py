"""Sitemaps as listings: sitemaps.org `<urlset>` and `<sitemapindex>`, Google News sitemaps, plain-text lists.

News sites publish a Google News sitemap of the last two days' articles, usually with the exact
publication time and headline (`<news:publication_date>`, `<news:title>`), often gzipped. It is the
cheapest complete view of what an outlet published, so it is read with the same care as a feed. Elements
are matched by local name, never by namespace: sitemaps omit, misspell or mis-version the namespace, and
search engines accept them anyway. XML goes through `safexml`, which resolves no entities.
"""

from __future__ import annotations

from warta.models import Link, LinkKind, Listing
from warta.sources.dates import parse_timestamp
from warta.sources.errors import MalformedXMLError, NotAFeedError
from warta.sources.fields import clean_text, web_url
from warta.sources.payload import unpack
from warta.sources.safexml import Element, XmlEvents, forget

# Root elements of the sitemap formats, by lower-cased local name.
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})

# The sitemaps protocol's cap on entries per file (its cap on size, 50 MB, is `payload.MAX_LISTING_BYTES`).
# A file over it is not an honest sitemap; its first entries are kept and the rest not read.
MAX_SITEMAP_ENTRIES = 50_000

# `Listing.damage` reasons.
MALFORMED = "malformed-xml"
TOO_MANY_ENTRIES = "too-many-entries"

# The values read from inside an entry, by their path of local names below it (the first of each kept):
# `<loc>` and `<lastmod>` in every sitemap; the Google News extension's date, headline and language.
LOC = ("loc",)
LASTMOD = ("lastmod",)
NEWS = ("news",)
NEWS_PUBLISHED = ("news", "publication_date")
NEWS_TITLE = ("news", "title")
NEWS_LANGUAGE = ("news", "publication", "language")
ENTRY_FIELDS = frozenset({LOC, LASTMOD, NEWS, NEWS_PUBLISHED, NEWS_TITLE, NEWS_LANGUAGE})


def parse_sitemap(data: bytes, url: str) -> Listing:
    """Read a sitemap (XML or plain text, gzipped or not) into a `Listing`.

    Kinds: "sitemap" (`<urlset>` or a text file of URLs), "news-sitemap" (a `<urlset>` with any `news:news`
    element), "sitemap-index" (links of kind `LinkKind.SITEMAP`). Locations are resolved against the
    sitemap URL; only http(s) ones are kept, each once.

    A document broken off part-way, or over MAX_SITEMAP_ENTRIES, gives the entries before that point and
    names the reason in `Listing.damage`.

    Raises a `SourceError` subclass: `EmptySourceError`, `SourceTooLargeError`, `BrokenGzipError`,
    `MalformedXMLError` (also for a document broken before its first entry, or declaring entities) or
    `NotAFeedError` (for well-formed XML of another kind, or text that is not a list of URLs).
    """
    body = unpack(data)
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return sitemap_from_xml(body, url)
    return sitemap_from_text(body, url)


def sitemap_from_xml(body: bytes, url: str) -> Listing:
    """Read an unpacked XML sitemap or sitemap index, streamed entry by entry.

    A document that breaks off (truncated, or not well-formed further on) gives the entries before the
    break with `damage="malformed-xml"`; one with over MAX_SITEMAP_ENTRIES gives the first ones with
    `damage="too-many-entries"`. Broken before its first entry, it raises `MalformedXMLError`.
    """
    events = XmlEvents(body)
    reader: _EntryReader | None = None
    damage: str | None = None
    for event, name, depth, element in events:
        if reader is None:  # the first event is the root's start
            if name not in SITEMAP_ROOTS:
                raise NotAFeedError(f"XML with root <{name}>, not a sitemap")
            reader = _EntryReader(name, url)
            continue
        if depth == 0:  # the root's end
            break
        if event == "start":
            if depth == 1 and name == reader.entry_name and reader.entries >= MAX_SITEMAP_ENTRIES:
                damage = TOO_MANY_ENTRIES
                break
            reader.enter(name, depth)
            continue
        reader.leave(name, depth, element)
        forget(element)
    if reader is None:
        raise MalformedXMLError(f"not well-formed XML: {events.broken or 'no root element'}")
    if events.broken is not None:
        if not reader.entries:
            raise MalformedXMLError(f"not well-formed XML: {events.broken}")
        damage = MALFORMED
    return reader.listing(damage)


class _EntryReader:
    """Collects one entry's values from its events, then turns it into a `Link`."""

    def __init__(self, root: str, base: str) -> None:
        self.is_index = root == "sitemapindex"
        self.entry_name = "sitemap" if self.is_index else "url"
        self.base = base
        self.entries = 0
        self.is_news = False
        self.links: dict[str, Link] = {}
        self._path: list[str] = []
        self._values: dict[tuple[str, ...], str] = {}

    def enter(self, name: str, depth: int) -> None:
        del self._path[depth - 1 :]
        self._path.append(name)
        if depth == 1:
            self._values = {}

    def leave(self, name: str, depth: int, element: Element) -> None:
        path = tuple(self._path[1:depth])
        if depth > 1 and path in ENTRY_FIELDS:
            # Only the element's own leading text: an unexpanded entity reference stays out of the value.
            self._values.setdefault(path, (element.text or "").strip())
            return
        if depth == 1 and name == self.entry_name:
            self.entries += 1
            self._add()

    def _add(self) -> None:
        values = {key: value for key, value in self._values.items() if value}
        target = web_url(values.get(LOC), self.base)
        is_news = NEWS in self._values
        self.is_news = self.is_news or (is_news and not self.is_index)
        if target is None or target in self.links:
            return
        modified = parse_timestamp(values.get(LASTMOD))
        if self.is_index:
            self.links[target] = Link(url=target, kind=LinkKind.SITEMAP, modified=modified)
        elif not is_news:
            self.links[target] = Link(url=target, modified=modified)
        else:
            self.links[target] = Link(
                url=target,
                modified=modified,
                published=parse_timestamp(values.get(NEWS_PUBLISHED)),
                title=clean_text(values.get(NEWS_TITLE)),
                language=values.get(NEWS_LANGUAGE),
            )

    def listing(self, damage: str | None) -> Listing:
        kind = "sitemap-index" if self.is_index else "news-sitemap" if self.is_news else "sitemap"
        return Listing(kind=kind, links=tuple(self.links.values()), damage=damage)


def sitemap_from_text(body: bytes, url: str) -> Listing:
    """Read a plain-text sitemap: UTF-8, one absolute URL per line, blank lines allowed.

    Every other line must be a URL, so an HTML page or a robots.txt is refused instead of yielding the
    odd URL-shaped line.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotAFeedError("neither XML nor a UTF-8 list of URLs") from error
    links: dict[str, Link] = {}
    for line in text.splitlines():
        candidate = line.strip()
        if not candidate:
            continue
        target = web_url(candidate, url) if "://" in candidate and " " not in candidate else None
        if target is None:
            raise NotAFeedError("text that is not a list of URLs")
        links.setdefault(target, Link(url=target))
    if not links:
        raise NotAFeedError("text without URLs")
    return Listing(kind="sitemap", links=tuple(links.values()))
