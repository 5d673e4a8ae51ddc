"""Atom 1.0 (RFC 4287) and JSON Feed 1.1 documents for lists of stored articles.

Feeds let ordinary feed readers follow what Warta has extracted, so the output has to be valid for readers
that are strict about it, and has to stay valid whatever the publishers' pages contained:

- The Atom document is built as an lxml tree, never by string concatenation, so titles, summaries and
  URLs are always escaped as text and markup in them (a `<script>` in a title) cannot become markup.
- Characters that XML 1.0 cannot represent at all (most C0 control characters, lone surrogates, U+FFFE
  and U+FFFF) are removed from every string first. Escaping cannot help with those: a document holding
  one is not well-formed, and a single scraped article would otherwise break the whole feed. JSON could
  carry them, but they are removed there too so both formats say the same thing, and so a lone surrogate
  cannot make the JSON document impossible to encode as UTF-8.
- Every URL written (links, the image, the feed's own addresses) goes through `warta.serve.links.web_url`
  and is left out unless it is http(s): a feed reader handed a `javascript:` link may run it.
- Dates are RFC 3339 with the article's own UTC offset, so a reader shows the time the publisher meant.
  An offset RFC 3339 cannot express (one with seconds, from historical zone data) is given in UTC.

Entry ids are `urn:warta:article:<id>` in both formats, `<id>` being the article's stable 16-hex-digit id
(the same one exports use), so an entry keeps its id when the article is re-extracted or the server moves
to another host; a URL would change with either. The `urn:warta:` namespace is not registered; readers only
compare ids as strings, which is all RFC 4287 asks of them.

Where an article names no author its publisher is given as the author, in both formats: readers show an
author line, and the publisher is who the article is by. Atom requires an author for every entry, so
when some entry has neither, the feed itself gets one (its title), which Atom lets entries inherit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree

from warta._version import __version__
from warta.serve.links import web_url

__all__ = ["ATOM_NS", "JSON_FEED_VERSION", "FeedEntry", "FeedInfo", "atom", "entry_id", "json_feed"]

ATOM_NS = "http://www.w3.org/2005/Atom"
# Media RSS: Atom has no element for an entry's image; `media:thumbnail` is the one readers widely show.
MEDIA_NS = "http://search.yahoo.com/mrss/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "Warta"
ID_PREFIX = "urn:warta:article:"

_A = f"{{{ATOM_NS}}}"
_NSMAP = {None: ATOM_NS, "media": MEDIA_NS}

# Everything outside XML 1.0's `Char` production (section 2.2). Python strings can hold lone surrogates,
# which the production also excludes since they are not characters at all.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ARTICLE_ID = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One article as a feed entry.

    `link` is the article's page in the reader (what the entry is); `original_url` is the publisher's page
    (where it came from). Dates must be timezone-aware. `summary` is plain text; `content_html` must
    already be sanitised, since feed readers render it.
    """

    id: str
    title: str
    link: str
    original_url: str | None
    published: datetime | None
    updated: datetime | None
    authors: tuple[str, ...] = ()
    summary: str | None = None
    content_html: str | None = None
    language: str | None = None
    publisher: str | None = None
    image: str | None = None


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """The feed itself. `updated` defaults to the newest entry's time, or now when there are no entries."""

    id: str
    title: str
    home_url: str
    feed_url: str
    updated: datetime | None = None


def entry_id(article_id: str) -> str:
    """The entry id of an article in both feed formats; `ValueError` unless `article_id` is 16 hex digits."""
    # Checked rather than trusted: anything else (spaces, say) would make the id an invalid IRI.
    if not _ARTICLE_ID.fullmatch(article_id):
        raise ValueError(f"not an article id (16 lowercase hex digits): {article_id!r}")
    return ID_PREFIX + article_id


def atom(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """The Atom 1.0 document of `entries`, in the order given, as UTF-8 XML with a declaration."""
    feed_updated = _feed_updated(info, entries)
    feed = etree.Element(_A + "feed", nsmap=_NSMAP)
    _text(feed, "id", info.id)
    _text(feed, "title", info.title, type="text")
    _text(feed, "updated", rfc3339(feed_updated))
    _link(feed, info.feed_url, rel="self", type="application/atom+xml")
    _link(feed, info.home_url, rel="alternate", type="text/html")
    if not entries or not all(_authors(entry) for entry in entries):
        _author(feed, info.title)
    _text(feed, "generator", GENERATOR, version=__version__)
    for entry in entries:
        _atom_entry(feed, entry, feed_updated)
    result: bytes = etree.tostring(feed, xml_declaration=True, encoding="UTF-8")
    return result


def _atom_entry(feed: Any, entry: FeedEntry, feed_updated: datetime) -> None:
    element = etree.SubElement(feed, _A + "entry")
    if entry.language:
        element.set(f"{{{XML_NS}}}lang", clean(entry.language))
    _text(element, "id", entry_id(entry.id))
    _text(element, "title", entry.title, type="text")
    _link(element, entry.link, rel="alternate", type="text/html")
    _link(element, entry.original_url, rel="related", type="text/html")
    if entry.published is not None:
        _text(element, "published", rfc3339(entry.published))
    # Atom requires `updated`; an article never revised was last updated when it was published.
    _text(element, "updated", rfc3339(entry.updated or entry.published or feed_updated))
    for name in _authors(entry):
        _author(element, name)
    if entry.summary:
        _text(element, "summary", entry.summary, type="text")
    if entry.content_html:
        # Escaped as text with type="html", as RFC 4287 defines it: the reader unescapes it once and gets
        # the HTML. Embedding it as XHTML would need it to be well-formed XML, which sanitised HTML need not be.
        _text(element, "content", entry.content_html, type="html")
    if image := _url(entry.image):
        etree.SubElement(element, f"{{{MEDIA_NS}}}thumbnail", url=image)


def json_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> dict[str, Any]:
    """The JSON Feed 1.1 object of `entries`, in the order given, ready for `json.dumps`.

    Absent values are left out rather than given as null, as the JSON Feed spec's examples do and strict
    validators expect.
    """
    feed: dict[str, Any] = {"version": JSON_FEED_VERSION, "title": clean(info.title)}
    _json_url(feed, "home_page_url", info.home_url)
    _json_url(feed, "feed_url", info.feed_url)
    feed["items"] = [_json_item(entry) for entry in entries]
    return feed


def _json_item(entry: FeedEntry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry_id(entry.id)}
    _json_url(item, "url", entry.link)
    _json_url(item, "external_url", entry.original_url)
    item["title"] = clean(entry.title)
    # JSON Feed requires content_html or content_text on every item; without a body the summary (or
    # nothing) stands in as text.
    if entry.content_html:
        item["content_html"] = clean(entry.content_html)
    else:
        item["content_text"] = clean(entry.summary or "")
    if entry.summary:
        item["summary"] = clean(entry.summary)
    _json_url(item, "image", entry.image)
    if entry.published is not None:
        item["date_published"] = rfc3339(entry.published)
    if entry.updated is not None:
        item["date_modified"] = rfc3339(entry.updated)
    if authors := _authors(entry):
        item["authors"] = [{"name": name} for name in authors]
    if entry.language:
        item["language"] = clean(entry.language)
    return item


def _json_url(target: dict[str, Any], key: str, url: str | None) -> None:
    if found := _url(url):
        target[key] = found


def _url(url: str | None) -> str | None:
    return web_url(clean(url)) if url else None


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 cannot represent, which no escaping makes well-formed."""
    return _NOT_XML_CHAR.sub("", text)


def rfc3339(moment: datetime) -> str:
    """`moment` in RFC 3339, keeping its own UTC offset; `ValueError` when it is naive.

    A naive time is refused rather than assumed to be UTC: news times are usually local, so guessing would
    silently shift them by hours.
    """
    offset = _require_aware(moment)
    # RFC 3339 offsets are whole minutes; the instant is kept by moving to UTC instead.
    if offset % timedelta(minutes=1):
        moment = moment.astimezone(UTC)
    return moment.isoformat()


def _feed_updated(info: FeedInfo, entries: Sequence[FeedEntry]) -> datetime:
    if info.updated is not None:
        return info.updated
    moments = [moment for entry in entries if (moment := entry.updated or entry.published) is not None]
    # Checked before comparing: `max` over naive and aware times would fail with a less useful TypeError.
    for moment in moments:
        _require_aware(moment)
    return max(moments) if moments else datetime.now(UTC)


def _require_aware(moment: datetime) -> timedelta:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"feed dates must be timezone-aware: {moment!r}")
    return offset


def _authors(entry: FeedEntry) -> tuple[str, ...]:
    names = tuple(name for name in map(clean, entry.authors) if name.strip())
    if names:
        return names
    publisher = clean(entry.publisher or "")
    return (publisher,) if publisher.strip() else ()


def _text(parent: Any, tag: str, text: str, **attributes: str) -> Any:
    element = etree.SubElement(parent, _A + tag, **attributes)
    element.text = clean(text)
    return element


def _link(parent: Any, href: str | None, **attributes: str) -> None:
    if url := _url(href):
        etree.SubElement(parent, _A + "link", href=url, **attributes)


def _author(parent: Any, name: str) -> None:
    author = etree.SubElement(parent, _A + "author")
    _text(author, "name", name)
