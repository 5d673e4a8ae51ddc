"""The JSON the reader answers with, as pydantic models, and how the store's records become it.

The models document the API in its OpenAPI description and the pages are rendered from the same ones, so
the JSON a script reads and the page a person reads cannot disagree. They are built here from the typed
records the store hands out (`StoredArticle`, `Publisher`, `SourceHealth`), never from rows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from warta.models import Block, Image, Person, Publisher, SourceHealth, StoredArticle, Story
from warta.serve.body import body_html
from warta.serve.links import web_url
from warta.store import COUNT_CAP


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
    url: str | None = Field(
        description="The address the article was fetched from (else its canonical one); null unless http(s)"
    )
    canonical_url: str | None = Field(description="The publisher's own address for it; null unless http(s)")
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
    same_story: bool = Field(False, description="Whether it reports the same happening (the article's story)")


class StoryRef(BaseModel):
    id: int
    headline: str | None
    reports: int
    reader_path: str


class StoryOut(StoryRef):
    followed: bool = Field(description="Whether the viewer follows this story")
    copies: int = Field(description="Texts published again by other sites: folded into the report they copy")
    languages: list[str]
    publishers: list[str]
    first_published: str | None
    last_published: str | None


class StoryReport(ArticleSummary):
    also_published_by: list[ArticleSummary] = Field(description="Copies of this report's text elsewhere")


class StoryPage(BaseModel):
    story: StoryOut
    timeline: list[StoryReport] = Field(description="The reports, first published first; copies folded")


class StoryFollowState(BaseModel):
    story_id: int
    followed: bool


class StoryList(BaseModel):
    title: str
    stories: list[StoryOut]
    next: str | None = Field(description="Cursor for the next page, or null on the last")


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
    story: StoryRef | None = Field(description="The story the article reports, once assigned")
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
    url: str | None = Field(description="The feed or sitemap; null unless http(s)")
    kind: str
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    articles_per_day: float


class PublisherOut(PublisherRef):
    home_url: str | None = Field(description="The publisher's home page; null unless http(s)")
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


# ------------------------------------------------------------------------------------- from the records


def iso(moment: datetime | None) -> str | None:
    """A time as `Article.to_dict` writes it: ISO 8601 with the offset it carries (the publisher's own)."""
    return moment.isoformat() if moment is not None else None


def person(record: Person) -> PersonOut:
    return PersonOut(name=record.name, role=record.role, url=web_url(record.url))


def image(record: Image) -> ImageOut:
    return ImageOut(url=web_url(record.url), caption=record.caption, credit=record.credit)


def block(record: Block) -> BlockOut:
    return BlockOut(kind=record.kind.value, text=record.text, level=record.level)


def summary(stored: StoredArticle, followed: set[int]) -> ArticleSummary:
    """What lists show of an article; `followed` are the ids of the publishers the viewer follows."""
    return ArticleSummary(**_summary_fields(stored, followed))


def related(stored: StoredArticle, share: float, followed: set[int], same_story: bool = False) -> RelatedOut:
    return RelatedOut(**_summary_fields(stored, followed), share=share, same_story=same_story)


def hit(stored: StoredArticle, rank: float, followed: set[int], title_html: str, snippet_html: str) -> SearchHit:
    return SearchHit(**_summary_fields(stored, followed), rank=rank, title_html=title_html, snippet_html=snippet_html)


def detail(
    stored: StoredArticle, followed: set[int], related_coverage: list[RelatedOut], story: Story | None = None
) -> ArticleDetail:
    """An article with everything the extractor found and the store knows of it."""
    article = stored.article
    return ArticleDetail(
        **_summary_fields(stored, followed),
        updated=iso(article.updated),
        section=article.section,
        tags=list(article.tags),
        images=[image(record) for record in article.images],
        body=[block(record) for record in article.body],
        body_html=body_html(article.body),
        sources=list(article.sources),
        access=article.access.value,
        version=stored.version,
        extractor_version=stored.extractor_version,
        first_seen_at=stored.first_seen_at,
        provenance=dict(article.provenance),
        story=story_ref(story) if story is not None else None,
        related=related_coverage,
    )


def story_ref(record: Story) -> StoryRef:
    return StoryRef(id=record.id, headline=record.headline, reports=record.reports, reader_path=f"/stories/{record.id}")


def story_out(record: Story, followed: bool = False) -> StoryOut:
    return StoryOut(
        **story_ref(record).model_dump(),
        followed=followed,
        copies=record.copies,
        languages=list(record.languages),
        publishers=list(record.publishers),
        first_published=iso(record.first_published),
        last_published=iso(record.last_published),
    )


def story_page(record: Story, followed: set[int], following_story: bool) -> StoryPage:
    """A story's reports in the order they were published, each with the copies of its text folded in."""
    copies: dict[str, list[ArticleSummary]] = {}
    for member in record.members:
        if member.copy_of is not None:
            copies.setdefault(member.copy_of, []).append(summary(member, followed))
    timeline = [
        StoryReport(**_summary_fields(member, followed), also_published_by=copies.get(member.id, []))
        for member in record.members
        if member.copy_of is None
    ]
    return StoryPage(story=story_out(record, following_story), timeline=timeline)


def publisher(record: Publisher, followed: set[int], health: list[SourceHealth] | None = None) -> PublisherOut:
    """A publisher as lists show it; with `health`, the state of each of its feeds and sitemaps too."""
    return PublisherOut(
        id=record.id,
        name=record.name,
        followed=record.id in followed,
        home_url=web_url(record.home_url),
        host=record.host,
        crawled=record.crawled,
        sources=[_source(source) for source in health or ()],
    )


def _source(health: SourceHealth) -> SourceOut:
    return SourceOut(
        url=web_url(health.url),
        kind=health.kind,
        last_success_at=health.last_success_at,
        last_error=health.last_error,
        consecutive_failures=health.consecutive_failures,
        articles_per_day=round(health.articles_per_day, 2),
    )


def _summary_fields(stored: StoredArticle, followed: set[int]) -> dict[str, Any]:
    # A dict rather than a model: the summary's fields open every richer model (detail, hit, related).
    article = stored.article
    ref = stored.publisher
    return {
        "id": stored.id,
        "title": article.title,
        "url": web_url(stored.url) or web_url(stored.canonical_url),
        "canonical_url": web_url(stored.canonical_url),
        "reader_path": f"/articles/{stored.id}",
        "publisher": PublisherRef(id=ref.id, name=ref.name, followed=ref.id in followed) if ref else None,
        "site_name": article.site_name,
        "published": iso(article.published),
        "language": article.language,
        "authors": [person(record) for record in article.authors],
        "description": article.description,
        "image": image(article.images[0]) if article.images else None,
    }
