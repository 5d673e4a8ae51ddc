"""Feeds handed to the extractor: an RSS, Atom or RDF document is a listing of articles, not an article.

Crawls and corpora mix feeds in with pages (a listing URL that serves RSS, an archived feed). Rather than
refusing them as "not HTML", the extractor says what they are: a LISTING whose blocks are the entries.
feedparser does the parsing; it copes with the many broken feeds in the wild.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from typing import Any

from warta.models import Article, Block, BlockKind, PageKind

# The root element of a feed, after an optional XML declaration, processing instructions and comments.
# A comment's text cannot run past its "-->" and every repeat is possessive: with a lazy `.*?` a comment
# could also swallow the next ones, so a page opening with k comments was tried in 2^k ways (26 took 18 s).
_FEED_ROOT = re.compile(
    r"\s*+(?:<\?[^>]*+>\s*+|<!--(?:[^-]++|-(?!->))*+-->\s*+)*+<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE
)
SNIFF_CHARS = 4096


def looks_like_feed(text: str) -> bool:
    return _FEED_ROOT.match(text[:SNIFF_CHARS]) is not None


def extract_feed(text: str, url: str | None = None) -> Article:
    """Read a feed document as a listing: its title, link, language and one list item per entry."""
    # Imported here: feedparser costs 12 MB of resident memory, and most pages an extractor sees are HTML.
    import feedparser

    parsed: Any = feedparser.parse(text)
    channel = parsed.feed
    entries = [entry for entry in parsed.entries if entry.get("title")]
    body = tuple(Block(BlockKind.LIST_ITEM, " ".join(entry["title"].split()), 1) for entry in entries)
    updated = channel.get("updated_parsed") or channel.get("published_parsed")
    return Article(
        url=url,
        canonical_url=channel.get("link") or url,
        title=channel.get("title") or None,
        site_name=channel.get("title") or None,
        language=(channel.get("language") or "").split("-")[0].lower() or None,
        description=channel.get("subtitle") or None,
        updated=datetime.fromtimestamp(calendar.timegm(updated), UTC) if updated else None,
        body=body,
        kind=PageKind.LISTING,
        provenance={"body": "feed", "title": "feed"},
    )
