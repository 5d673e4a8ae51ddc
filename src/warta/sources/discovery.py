"""Where a publisher's feeds and sitemaps are: declared on its homepage, in robots.txt, or at usual paths.

Following a publisher starts from its homepage URL alone. Feeds it declares come first; robots.txt names
its sitemaps; the common paths are guesses for a caller to try (and count as misses) when nothing is
declared. All of it is pure: the caller fetches.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from protego import Protego

from warta.sources.fields import unique, web_url

# Media types of `<link rel="alternate">` that announce a feed. Plain application/json is what JSON Feed
# used before it registered its own type, so it is kept (and filtered below).
FEED_MEDIA_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)

# Declared alternates that are not feeds of articles: WordPress announces its comment feed next to the
# post feed, and its REST API (`/wp-json/...`) as application/json on every page.
NOT_ARTICLE_FEEDS = re.compile(r"/comments/feed/?$|[?&]feed=comments-|/wp-json/", re.IGNORECASE)

# Paths where CMSs put a site-wide feed when the homepage declares none: WordPress ("/feed", "/?feed=rss2"),
# Ghost ("/rss/"), Hugo ("/index.xml"), Jekyll ("/feed.xml"), Blogger ("/feeds/posts/default"), and the
# hand-made "/rss", "/rss.xml", "/atom.xml" many news sites use.
COMMON_FEED_PATHS: tuple[str, ...] = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feeds/posts/default",
    "/?feed=rss2",
    "/rss/",
)

# Sitemaps that sites not listing theirs in robots.txt still serve: the sitemaps.org convention, Yoast's and
# Rank Math's index, and the two usual names of a Google News sitemap.
COMMON_SITEMAP_PATHS: tuple[str, ...] = (
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/news-sitemap.xml",
    "/sitemap-news.xml",
)


def feed_links(html: str | bytes, url: str) -> list[str]:
    """The feed URLs a page declares with `<link rel="alternate" type=...>`, in document order, each once.

    Hrefs are resolved against the page's `<base href>` (itself resolved against `url`) or `url`; comment
    feeds and WordPress REST endpoints are left out.

    >>> feed_links('<link rel="alternate" type="application/rss+xml" href="/rss">', "https://example.org/")
    ['https://example.org/rss']
    """
    root = _html_root(html)
    if root is None:
        return []
    base = url
    base_node = next((node for node in root.iter("base") if node.get("href") is not None), None)
    if base_node is not None:
        base = web_url(base_node.get("href"), url) or url
    found: list[str] = []
    for node in root.iter("link"):
        rel = (node.get("rel") or "").lower().split()
        media_type = (node.get("type") or "").partition(";")[0].strip().lower()
        if "alternate" not in rel or media_type not in FEED_MEDIA_TYPES or node.get("href") is None:
            continue
        target = web_url(node.get("href"), base)
        if target is not None and not NOT_ARTICLE_FEEDS.search(target):
            found.append(target)
    return unique(found)


def _html_root(html: str | bytes) -> Any:
    # libxml2's HTML parser rather than lexbor (selectolax): lexbor follows the HTML5 tree-building rules,
    # whose scope checks make a page of 50,000 unclosed <div> take half a minute (quadratic); libxml2
    # caps the depth and stays linear. Only <base> and <link> are read, which both parse alike.
    # lxml refuses a str that holds an encoding declaration, so text goes in as UTF-8 bytes, said to be so
    # (a <meta charset> in it would otherwise be believed).
    encoding = "utf-8" if isinstance(html, str) else None
    data = html.encode("utf-8", "replace") if isinstance(html, str) else html
    parser = lxml_html.HTMLParser(encoding=encoding, no_network=True, remove_comments=True, remove_pis=True)
    try:
        return lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):  # an empty or unreadable page declares nothing
        return None


def common_feed_urls(url: str) -> list[str]:
    """COMMON_FEED_PATHS on the site of `url`, to try when its homepage declares no feed."""
    return _at_site_root(url, COMMON_FEED_PATHS)


def common_sitemap_urls(url: str) -> list[str]:
    """COMMON_SITEMAP_PATHS on the site of `url`, to try when its robots.txt names no sitemap."""
    return _at_site_root(url, COMMON_SITEMAP_PATHS)


def _at_site_root(url: str, paths: tuple[str, ...]) -> list[str]:
    page = web_url(url, url)
    if page is None:
        return []
    parts = urlsplit(page)
    root = f"{parts.scheme}://{parts.netloc}/"
    return unique(urljoin(root, path) for path in paths)


def sitemaps_from_robots(robots_txt: str, url: str) -> list[str]:
    """The sitemap URLs a robots.txt lists, resolved against its URL `url`, http(s) only, each once."""
    found = (web_url(sitemap, url) for sitemap in Protego.parse(robots_txt).sitemaps)
    return unique(target for target in found if target is not None)
