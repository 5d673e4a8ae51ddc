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
from warta.sources.errors import NotAFeedError
from warta.sources.fields import clean_text, web_url
from warta.sources.payload import unpack
from warta.sources.safexml import Element, child_text, children, local_name, parse_xml

# Root elements of the sitemap formats, by lower-cased local name.
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})


def parse_sitemap(data: bytes, url: str) -> Listing:
    """Read a sitemap (XML or plain text, gzipped or not) into a `Listing`.

    Kinds: "sitemap" (`<urlset>` or a text file of URLs), "news-sitemap" (a `<urlset>` with any `news:news`
    element), "sitemap-index" (links of kind `LinkKind.SITEMAP`). Locations are resolved against the
    sitemap URL; only http(s) ones are kept, each once.

    Raises a `SourceError` subclass: `EmptySourceError`, `SourceTooLargeError`, `BrokenGzipError`,
    `MalformedXMLError` or `NotAFeedError` (for well-formed XML of another kind, or text that is not a
    list of URLs).
    """
    body = unpack(data)
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return sitemap_from_xml(body, url)
    return sitemap_from_text(body, url)


def sitemap_from_xml(body: bytes, url: str) -> Listing:
    """Read an unpacked XML sitemap or sitemap index."""
    root = parse_xml(body)
    name = local_name(root)
    if name == "sitemapindex":
        return Listing(kind="sitemap-index", links=tuple(_index_links(root, url)))
    if name == "urlset":
        links, is_news = _url_links(root, url)
        return Listing(kind="news-sitemap" if is_news else "sitemap", links=tuple(links))
    raise NotAFeedError(f"XML with root <{name}>, not a sitemap")


def _index_links(root: Element, base: str) -> list[Link]:
    links: dict[str, Link] = {}
    for entry in children(root, "sitemap"):
        target = web_url(child_text(entry, "loc"), base)
        if target is not None and target not in links:
            modified = parse_timestamp(child_text(entry, "lastmod"))
            links[target] = Link(url=target, kind=LinkKind.SITEMAP, modified=modified)
    return list(links.values())


def _url_links(root: Element, base: str) -> tuple[list[Link], bool]:
    links: dict[str, Link] = {}
    is_news = False
    for entry in children(root, "url"):
        news = next(iter(children(entry, "news")), None)
        is_news = is_news or news is not None
        target = web_url(child_text(entry, "loc"), base)
        if target is None or target in links:
            continue
        modified = parse_timestamp(child_text(entry, "lastmod"))
        if news is None:
            links[target] = Link(url=target, modified=modified)
            continue
        publication = next(iter(children(news, "publication")), None)
        links[target] = Link(
            url=target,
            modified=modified,
            published=parse_timestamp(child_text(news, "publication_date")),
            title=clean_text(child_text(news, "title")),
            language=child_text(publication, "language") if publication is not None else None,
        )
    return list(links.values()), is_news


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
