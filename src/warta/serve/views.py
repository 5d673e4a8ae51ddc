"""What each reader page shows, as typed records: the same record is rendered as HTML or returned as JSON.

A view here takes the store, the viewer and the request's parameters and returns a pydantic model. The page
routes render it with a template and the API routes return it as is, so the JSON a script reads and the page
a person reads cannot disagree, and the models document the API in its OpenAPI description.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from warta.extract.urls import WEB_SCHEMES
from warta.search import EmptyQuery, highlight, parse
from warta.search.index import COUNT_CAP
from warta.serve.body import render
from warta.store import Store
from warta.store.schema import LOCAL_USER_ID

# Articles per page of a list; the API may ask for up to MAX_PAGE.
PAGE_SIZE = 20
MAX_PAGE = 100
RELATED_SHOWN = 6


class ViewError(Exception):
    """A request the views cannot answer: `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is reading: the local user on a loopback-bound reader, else the owner of an API token."""

    user_id: int = LOCAL_USER_ID
    name: str = "local"


class PersonOut(BaseModel):
    name: str
    role: str | None = None
    url: str | None = None


class ImageOut(BaseModel):
    url: str | None = None
    caption: str | None = None
    credit: str | None = None


class BlockOut(BaseModel):
    kind: str
    text: str
    level: int = 0


class PublisherRef(BaseModel):
    id: int
    name: str
    followed: bool = Field(description="Whether the viewer follows this publisher")


class ArticleSummary(BaseModel):
    id: str = Field(description="Stable id: the first 16 hex digits of the SHA-256 of the canonical URL")
    title: str | None
    url: str = Field(description="The address the article was fetched from")
    canonical_url: str
    reader_path: str = Field(description="The article's page in this reader")
    publisher: PublisherRef | None
    site_name: str | None
    published: str | None = Field(description="ISO 8601 with the publisher's own UTC offset")
    language: str | None
    authors: list[PersonOut]
    description: str | None
    image: ImageOut | None


class RelatedOut(ArticleSummary):
    share: float = Field(description="Share of the article's distinctive term weight this one also has, 0-1")


class ArticleDetail(ArticleSummary):
    updated: str | None
    section: str | None
    tags: list[str]
    images: list[ImageOut]
    body: list[BlockOut]
    body_html: str = Field(description="The body as sanitised HTML")
    sources: list[str] = Field(description="Where the publisher says the story comes from")
    access: str
    version: int
    extractor_version: str
    first_seen_at: datetime
    provenance: dict[str, str]
    related: list[RelatedOut]


class ArticleList(BaseModel):
    title: str
    articles: list[ArticleSummary]
    next: str | None = Field(description="Cursor for the next page, or null on the last")
    following_only: bool


class SearchHit(ArticleSummary):
    rank: float
    title_html: str = Field(description="The title as HTML with matches in <mark>")
    snippet_html: str = Field(description="The best matching passage as HTML with matches in <mark>")


class SearchResult(BaseModel):
    q: str
    publisher: int | None
    language: str | None
    since: date | None
    until: date | None
    sort: str
    total: int = Field(description=f"Matching articles, counted up to {COUNT_CAP}")
    hits: list[SearchHit]
    next_offset: int | None
    error: str | None = None
    languages: list[str] = Field(description="Languages in the store, for the filter")


class SourceOut(BaseModel):
    url: str
    kind: str
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    articles_per_day: float


class PublisherOut(PublisherRef):
    home_url: str
    host: str
    crawled: bool = Field(description="Whether anyone follows it, so the crawler fetches it")
    sources: list[SourceOut]


class PublisherPage(BaseModel):
    publisher: PublisherOut
    articles: ArticleList


class PublisherList(BaseModel):
    title: str
    publishers: list[PublisherOut]


class FollowState(BaseModel):
    publisher_id: int
    followed: bool


# ----------------------------------------------------------------------------------------------- helpers


def encode_cursor(published: datetime | None, article_id: int) -> str:
    raw = f"{published.isoformat() if published else ''}|{article_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, article_id = raw.rsplit("|", 1)
        published = datetime.fromisoformat(moment) if moment else None
        if published is not None and published.tzinfo is None:
            raise ValueError("a cursor's time has its offset")
        return published, int(article_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ViewError(400, "not a cursor of this reader") from exc


def web_only(url: Any) -> str | None:
    """`url` when it is an absolute http(s) URL, else None: the store may hold what an older extractor let
    through (`javascript:` in an og:image), and the reader links and loads only web addresses."""
    if not isinstance(url, str):
        return None
    return url if urlsplit(url).scheme.lower() in WEB_SCHEMES else None


def _image(record: dict[str, Any]) -> ImageOut:
    return ImageOut(url=web_only(record.get("url")), caption=record.get("caption"), credit=record.get("credit"))


def _person(record: dict[str, Any]) -> PersonOut:
    return PersonOut(name=str(record.get("name", "")), role=record.get("role"), url=web_only(record.get("url")))


def _summary_fields(row: Any, followed: set[int]) -> dict[str, Any]:
    data = row.data
    images = data.get("images") or []
    return {
        "id": row.uid,
        "title": row.title,
        "url": web_only(row.url) or row.canonical_url,
        "canonical_url": row.canonical_url,
        "reader_path": f"/articles/{row.uid}",
        "publisher": (
            PublisherRef(id=row.publisher_id, name=row.publisher, followed=row.publisher_id in followed)
            if row.publisher_id is not None
            else None
        ),
        "site_name": row.site_name,
        "published": data.get("published"),
        "language": row.language,
        "authors": [_person(person) for person in data.get("authors") or []],
        "description": data.get("description"),
        "image": _image(images[0]) if images else None,
    }


def summary(row: Any, followed: set[int]) -> ArticleSummary:
    return ArticleSummary(**_summary_fields(row, followed))


def _day_start(day: date | None) -> datetime | None:
    # Dates in filters are days of UTC: a reader's "since 20 January" is not worth a time zone argument.
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


# ------------------------------------------------------------------------------------------------- views


def latest(
    store: Store,
    viewer: Viewer,
    *,
    following_only: bool,
    cursor: str | None,
    limit: int = PAGE_SIZE,
    publisher_id: int | None = None,
    language: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> ArticleList:
    followed = store.followed_ids(viewer.user_id)
    before = decode_cursor(cursor) if cursor else None
    limit = min(max(limit, 1), MAX_PAGE)
    rows = store.articles(
        publisher_id=publisher_id,
        language=language or None,
        since=_day_start(since),
        until=_day_start(until),
        followed_by=viewer.user_id if following_only else None,
        before=before,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return ArticleList(
        title="Following" if following_only else "Latest",
        articles=[summary(row, followed) for row in rows],
        next=encode_cursor(rows[-1].published, rows[-1].id) if more and rows else None,
        following_only=following_only,
    )


def article(store: Store, viewer: Viewer, article_id: str) -> ArticleDetail:
    row = store.article(article_id)
    if row is None or (row.uid != article_id and not article_id.isdigit()):
        raise ViewError(404, "no such article")
    followed = store.followed_ids(viewer.user_id)
    data = row.data
    related = [
        RelatedOut(**_summary_fields(found, followed), share=share)
        for found, share in store.related(row, RELATED_SHOWN)
    ]
    return ArticleDetail(
        **_summary_fields(row, followed),
        updated=data.get("updated"),
        section=row.section,
        tags=list(data.get("tags") or []),
        images=[_image(image) for image in data.get("images") or []],
        body=[BlockOut(**block) for block in data.get("body") or []],
        body_html=render(data.get("body") or []),
        sources=list(data.get("sources") or []),
        access=str(data.get("access") or "unknown"),
        version=row.version,
        extractor_version=row.extractor_version,
        first_seen_at=row.first_seen_at,
        provenance=dict(data.get("provenance") or {}),
        related=related,
    )


def search(
    store: Store,
    viewer: Viewer,
    *,
    q: str,
    publisher: int | None = None,
    language: str | None = None,
    since: date | None = None,
    until: date | None = None,
    sort: str = "relevance",
    following_only: bool = False,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> SearchResult:
    languages = store.languages()
    result = SearchResult(
        q=q,
        publisher=publisher,
        language=language,
        since=since,
        until=until,
        sort=sort,
        total=0,
        hits=[],
        next_offset=None,
        languages=languages,
    )
    if not q.strip():
        return result
    try:
        query = parse(q, [language] if language else languages)
    except EmptyQuery as exc:
        result.error = str(exc)
        return result
    limit = min(max(limit, 1), MAX_PAGE)
    total, found = store.search(
        query,
        publisher_id=publisher,
        language=language or None,
        since=_day_start(since),
        until=_day_start(until),
        followed_by=viewer.user_id if following_only else None,
        newest_first=sort == "newest",
        limit=limit,
        offset=max(offset, 0),
    )
    followed = store.followed_ids(viewer.user_id)
    wanted = query.terms()
    result.total = total
    result.hits = [
        SearchHit(
            **_summary_fields(row, followed),
            rank=round(-rank, 6),
            title_html=highlight.mark(row.title or "", row.language, wanted),
            snippet_html=highlight.snippet(row.text, row.language, wanted),
        )
        for row, rank in found
    ]
    if offset + len(found) < total:
        result.next_offset = offset + len(found)
    return result


def _publisher(store: Store, row: Any, followed: set[int], with_sources: bool) -> PublisherOut:
    sources = (
        [
            SourceOut(
                url=health.url,
                kind=health.kind,
                last_success_at=health.last_success_at,
                last_error=health.last_error,
                consecutive_failures=health.consecutive_failures,
                articles_per_day=round(health.articles_per_day, 2),
            )
            for health in store.health(row.id)
        ]
        if with_sources
        else []
    )
    return PublisherOut(
        id=row.id,
        name=row.name,
        followed=row.id in followed,
        home_url=row.home_url,
        host=row.host,
        crawled=bool(row.followed),
        sources=sources,
    )


def publishers(store: Store, viewer: Viewer, *, following_only: bool) -> PublisherList:
    followed = store.followed_ids(viewer.user_id)
    rows = [row for row in store.publishers() if not following_only or row.id in followed]
    return PublisherList(
        title="Following" if following_only else "Publishers",
        publishers=[_publisher(store, row, followed, with_sources=False) for row in rows],
    )


def publisher(store: Store, viewer: Viewer, publisher_id: int, cursor: str | None) -> PublisherPage:
    row = store.publisher(publisher_id)
    if row is None:
        raise ViewError(404, "no such publisher")
    followed = store.followed_ids(viewer.user_id)
    before = decode_cursor(cursor) if cursor else None
    rows = store.articles(publisher_id=publisher_id, before=before, limit=PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return PublisherPage(
        publisher=_publisher(store, row, followed, with_sources=True),
        articles=ArticleList(
            title=row.name,
            articles=[summary(found, followed) for found in rows],
            next=encode_cursor(rows[-1].published, rows[-1].id) if more and rows else None,
            following_only=False,
        ),
    )


def follow(store: Store, viewer: Viewer, publisher_id: int, followed: bool) -> FollowState:
    if store.publisher(publisher_id) is None:
        raise ViewError(404, "no such publisher")
    store.set_followed(publisher_id, followed, viewer.user_id)
    return FollowState(publisher_id=publisher_id, followed=followed)
