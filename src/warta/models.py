"""The records passed between Warta's stages.

Every stage takes and returns these typed records, never tuples or loose dicts, so that a field added here
is visible to every consumer and to the type checker. They are plain frozen dataclasses: cheap to build in a
bulk job and safe to hand to another process.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class BlockKind(enum.StrEnum):
    """What one block of an article body is."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    PREFORMATTED = "preformatted"
    TABLE_ROW = "table_row"


class PageKind(enum.StrEnum):
    """What kind of page the extractor judged the input to be."""

    ARTICLE = "article"
    LISTING = "listing"
    OTHER = "other"


class Access(enum.StrEnum):
    """Whether the article is openly readable, as the page itself declares it."""

    FREE = "free"
    PAYWALLED = "paywalled"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Person:
    """Someone credited on the article: a reporter, writer, editor or photographer."""

    name: str
    role: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """An image of the article, with its caption and credit kept apart."""

    url: str | None
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the body, in reading order.

    `level` is the heading level (1-6) for headings and the nesting depth for list items, else 0.
    """

    kind: BlockKind
    text: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class Article:
    """One extracted page: the article and the fields around it.

    `provenance` maps a field name to where its value came from (for example ``"json-ld"``,
    ``"meta:og:title"``, ``"dom:h1"``), so a consumer can weigh or audit each field.
    """

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    authors: tuple[Person, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    site_name: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    description: str | None = None
    images: tuple[Image, ...] = ()
    body: tuple[Block, ...] = ()
    sources: tuple[str, ...] = ()
    access: Access = Access.UNKNOWN
    kind: PageKind = PageKind.ARTICLE
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The body as plain text, blocks separated by a blank line."""
        return "\n\n".join(block.text for block in self.body)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping; datetimes become ISO 8601 strings with their offset."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "kind": self.kind.value,
            "title": self.title,
            "authors": [{"name": p.name, "role": p.role, "url": p.url} for p in self.authors],
            "published": _iso(self.published),
            "updated": _iso(self.updated),
            "site_name": self.site_name,
            "section": self.section,
            "tags": list(self.tags),
            "language": self.language,
            "description": self.description,
            "images": [{"url": i.url, "caption": i.caption, "credit": i.credit} for i in self.images],
            "body": [_block_dict(b) for b in self.body],
            "text": self.text,
            "sources": list(self.sources),
            "access": self.access.value,
            "provenance": dict(self.provenance),
        }


def article_from_dict(data: dict[str, Any]) -> Article:
    """The `Article` a `to_dict` mapping was made from (as the store keeps it)."""
    return Article(
        url=data.get("url"),
        canonical_url=data.get("canonical_url"),
        title=data.get("title"),
        authors=tuple(Person(p["name"], p.get("role"), p.get("url")) for p in data.get("authors", ())),
        published=_moment(data.get("published")),
        updated=_moment(data.get("updated")),
        site_name=data.get("site_name"),
        section=data.get("section"),
        tags=tuple(data.get("tags", ())),
        language=data.get("language"),
        description=data.get("description"),
        images=tuple(Image(i.get("url"), i.get("caption"), i.get("credit")) for i in data.get("images", ())),
        body=tuple(Block(BlockKind(b["kind"]), b["text"], b.get("level", 0)) for b in data.get("body", ())),
        sources=tuple(data.get("sources", ())),
        access=Access(data.get("access", Access.UNKNOWN.value)),
        kind=PageKind(data.get("kind", PageKind.ARTICLE.value)),
        provenance=dict(data.get("provenance", {})),
    )


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _block_dict(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": block.kind.value, "text": block.text}
    if block.level:
        out["level"] = block.level
    return out


class LinkKind(enum.StrEnum):
    """What a URL listed by a feed or sitemap leads to."""

    PAGE = "page"  # an article (or any page) to fetch and extract
    SITEMAP = "sitemap"  # a child sitemap of a sitemap index
    FEED = "feed"  # a feed found on a homepage or in a listing


@dataclass(frozen=True, slots=True)
class Link:
    """A URL a source lists: a feed entry, a sitemap `<url>`, a child sitemap of an index."""

    url: str
    kind: LinkKind = LinkKind.PAGE
    published: datetime | None = None  # the entry's or the Google News tag's publication time
    modified: datetime | None = None  # a sitemap's <lastmod>, a feed entry's updated time
    title: str | None = None
    language: str | None = None  # <news:language>, a feed's language


@dataclass(frozen=True, slots=True)
class Listing:
    """What one feed or sitemap document lists, in document order."""

    kind: str  # "rss", "atom", "json-feed", "sitemap", "sitemap-index", "news-sitemap"
    links: tuple[Link, ...] = ()
    title: str | None = None
    site_url: str | None = None  # the site the feed belongs to (a feed's <link>, home_page_url)
    # A reason code ("malformed-xml", "too-many-entries") when the document broke off or was cut at a limit
    # and `links` holds only what came before; None for a document read whole.
    damage: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    """One HTTP exchange as the fetcher (or a web archive) saw it: the response, or why there is none.

    `error` is a short reason code when the exchange failed or was refused ("robots", "timeout",
    "too-large", "private-address", "redirect-loop", "content-type", "http-404", ...); `status` is None
    when no response arrived. Header names are lower-case.
    """

    url: str
    final_url: str
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    fetched_at: datetime | None = None
    error: str | None = None

    def header(self, name: str) -> str | None:
        """The first value of a header, by lower-case name."""
        return next((value for key, value in self.headers if key == name), None)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class DateHints:
    """What a crawl knows of a page's dates before reading it: evidence weighed with the page's own.

    `listed` is the date the listing that led to the page gave it, with the offset the publisher wrote: a
    feed's `pubDate`, a Google News sitemap's `publication_date` (`listed_by` names the listing: "rss",
    "atom", "news-sitemap", ...). When `listed_modified` is set it is a last modification (a sitemap's
    `<lastmod>`), which shows the publisher's offset but not the day of publication. `zone` is the
    publisher's time zone as a crawl learned it: an IANA name ("Asia/Jakarta") or a fixed offset ("+07:00").
    A feed or a news sitemap in `listed_by` also says that the page is an article, not a listing.

    >>> DateHints(zone="Asia/Jakarta")
    DateHints(listed=None, listed_by=None, listed_modified=False, zone='Asia/Jakarta')
    """

    listed: datetime | None = None
    listed_by: str | None = None
    listed_modified: bool = False
    zone: str | None = None


# ---------------------------------------------------------------------------------------------------------
# What crosses the store's boundary. The store reads rows and hands these out; nothing above it sees a row.


@dataclass(frozen=True, slots=True)
class Publisher:
    """A site whose articles are kept, and whether the crawler fetches it (`crawled`: anyone follows it)."""

    id: int
    name: str
    home_url: str
    host: str
    crawled: bool
    created_at: datetime
    time_zone: str | None = None  # as a crawl learned it: an IANA name or "+07:00" (see `warta.sources.zones`)
    time_zone_source: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A feed or sitemap of a publisher, with what its last poll said (for conditional GET) and its health."""

    id: int
    publisher_id: int
    url: str
    kind: str  # rss, atom, json-feed, sitemap, sitemap-index, news-sitemap
    etag: str | None
    last_modified: str | None
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    links_seen: int
    next_fetch_at: datetime | None


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """Whether a feed or sitemap still delivers: a source that silently dies shows here."""

    id: int
    publisher_id: int
    url: str
    kind: str
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    articles_per_day: float


@dataclass(frozen=True, slots=True)
class Claim:
    """A URL a crawl took from the frontier to fetch, with what the frontier knows of it."""

    id: int
    url: str
    publisher_id: int | None
    source_id: int | None
    listed_at: datetime | None  # the date the listing gave the URL, in UTC ...
    listed_offset: int | None  # ... the offset it was written with, in minutes east of UTC ...
    listed_kind: str | None  # ... and whether it was a publication ("published") or a change ("modified")
    time_zone: str | None  # the publisher's, as learned
    source_kind: str | None  # the kind of listing that led here ("rss", "news-sitemap", ...)


@dataclass(frozen=True, slots=True)
class User:
    """Someone reading through the reader; the local user has no token."""

    id: int
    name: str
    has_token: bool


@dataclass(frozen=True, slots=True)
class PublisherRef:
    """The publisher of a stored article, as lists show it."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the store keeps it: the extracted record, and what the store knows about it.

    `id` is the article's one public id: the first 16 hex digits of the SHA-256 of its canonical URL, the
    same in every store and export, so that exports of different crawls join. `key` is the store's own row
    number, which only the store and its paging cursors use.
    """

    id: str
    key: int
    article: Article
    canonical_url: str
    url: str  # where it was fetched from
    publisher: PublisherRef | None
    version: int
    extractor_version: str
    first_seen_at: datetime
    last_seen_at: datetime
    story: int | None = None  # the story it reports, once assigned (`warta.stories`)
    copy_of: str | None = None  # the id of the article whose text it copies

    @property
    def title(self) -> str | None:
        return self.article.title

    @property
    def published(self) -> datetime | None:
        return self.article.published

    @property
    def language(self) -> str | None:
        return self.article.language


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """An earlier version of a stored article, kept when a re-fetch changed it."""

    version: int
    article: Article
    content_hash: str
    extractor_version: str
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class Story:
    """The articles of every outlet that report one happening, first report first.

    `reports` leaves out copies (a text published again is not another report); `headline` is the report
    title that shares the most words with the others (`warta.stories.headline`).
    """

    id: int
    headline: str | None
    reports: int
    copies: int
    languages: tuple[str, ...]
    publishers: tuple[str, ...]
    first_published: datetime | None
    last_published: datetime | None
    updated_at: datetime
    members: tuple[StoredArticle, ...] = ()
