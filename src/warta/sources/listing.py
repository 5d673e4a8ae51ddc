"""Tell which kind of listing a document is and read it, when the URL or the server does not say.

A URL found in robots.txt or guessed from a common path can serve a sitemap, an RSS feed (search engines
accept feeds as sitemaps) or an HTML error page with status 200. The content decides, since
`Content-Type` is as often wrong (`text/html` for RSS, `text/plain` for XML) as it is right.
"""

from __future__ import annotations

from warta.models import Listing
from warta.sources.errors import MalformedXMLError, NotAFeedError
from warta.sources.feeds import FEED_ROOTS, feed_from_xml
from warta.sources.jsonfeed import looks_like_json, parse_json_feed
from warta.sources.payload import unpack
from warta.sources.prolog import decode_document, read_prolog
from warta.sources.sitemaps import SITEMAP_ROOTS, sitemap_from_text, sitemap_from_xml

# Media types that declare a JSON Feed even when the document forgets its `version` key.
JSON_FEED_TYPES = frozenset({"application/feed+json"})

# Names that make a document an HTML page, as its DOCTYPE or root element: servers answer a feed URL with
# their homepage or an error page. `<!doctype html>` in lower case is not XML, so it is caught here, before
# an XML parser would call the page malformed.
HTML_NAMES = frozenset({"html"})


def parse_listing(data: bytes, url: str, content_type: str | None = None) -> Listing:
    """Read a feed or sitemap of any supported kind, sniffed from its content.

    After gunzip: a JSON object is read as a JSON Feed; XML by its root element (`rss`, `rdf:RDF`, `feed`
    as a feed; `urlset`, `sitemapindex` as a sitemap); anything else as a plain-text list of URLs.
    `content_type` only settles what the content leaves open: a JSON object without a `version` key is
    accepted as a JSON Feed when it was served as `application/feed+json`.

    Raises a `SourceError` subclass, `NotAFeedError` for a readable document of another kind (such as an
    HTML page).
    """
    body = unpack(data)
    if looks_like_json(body):
        return parse_json_feed(body, url, declared=_media_type(content_type) in JSON_FEED_TYPES)
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return sitemap_from_text(body, url)
    prolog = read_prolog(decode_document(body))
    name = prolog.root_name
    if prolog.doctype_name in HTML_NAMES or name in HTML_NAMES:
        raise NotAFeedError("an HTML page, neither a feed nor a sitemap")
    if name in FEED_ROOTS:
        return feed_from_xml(body, url)
    if name in SITEMAP_ROOTS:
        return sitemap_from_xml(body, url)
    if name is None:
        raise MalformedXMLError("markup without a readable root element")
    raise NotAFeedError(f"a document with root <{name}>, neither a feed nor a sitemap")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()
