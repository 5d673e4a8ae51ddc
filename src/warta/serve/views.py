"""What each reader view shows: one function per view, its parameters declared once, in its signature.

A view takes the request's context (`Ctx`: the store and who is reading) and its parameters, and returns a
model of `warta.serve.schema`. The route table (`warta.serve.routes`) serves it at its page, as HTML or as
JSON, at its `/api/v1` path and in feeds; FastAPI reads the parameters from these signatures for every one
of them, so a page and the API cannot read a parameter differently.
"""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import Query
from pydantic import BeforeValidator, Field

from warta.models import Publisher, SourceHealth, Story
from warta.search import EmptyQuery, highlight, parse
from warta.serve import schema
from warta.serve.context import Ctx, ViewError
from warta.serve.schema import (
    ArticleDetail,
    ArticleList,
    FollowState,
    PublisherList,
    PublisherPage,
    SearchResult,
    StoryFollowState,
    StoryList,
    StoryPage,
)
from warta.store import COUNT_CAP, AmbiguousId

# Articles per page of a list; the API may ask for up to MAX_PAGE.
PAGE_SIZE = 20
MAX_PAGE = 100
RELATED_SHOWN = 6
# Row ids are INTEGER columns, 32 bits in PostgreSQL: a number outside 1..MAX_ROW_ID names no row, and sent to
# the database it would fail there (out of range) rather than match nothing.
MAX_ROW_ID = 2**31 - 1
# Search totals are counted up to COUNT_CAP, so no next page starts beyond it; a deeper offset only rescans.
MAX_OFFSET = COUNT_CAP


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


# A form's empty field (the "Any" choice of a select, an empty date) means no filter, not a bad value.
_Blank = BeforeValidator(_blank_is_none)
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
PublisherFilter = Annotated[RowId | None, _Blank, Query()]
LanguageFilter = Annotated[str | None, _Blank, Query()]
Day = Annotated[date | None, _Blank, Query()]
Cursor = Annotated[str | None, Query()]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Sort = Annotated[str, Query(pattern="^(relevance|newest)$")]
# The home page's tabs ("following", "all"; "auto" picks by whether the viewer follows anyone): not API.
Show = Annotated[str | None, Query(include_in_schema=False)]


def encode_cursor(published: datetime | None, key: int) -> str:
    # In UTC, as the store keeps the time: the cursor of an article stays the same whatever its offset.
    moment = published.astimezone(UTC).isoformat() if published else ""
    return base64.urlsafe_b64encode(f"{moment}|{key}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, number = raw.rsplit("|", 1)
        key = int(number)
        published = datetime.fromisoformat(moment) if moment else None
        if published is not None:
            if published.tzinfo is None:
                raise ValueError("a cursor's time has its offset")
            # The store compares times in UTC; one that has none (year 1 at +14:00) is no article's.
            published = published.astimezone(UTC)
        if not _row_id(key):
            raise ValueError("a cursor's key is a row id")
        return published, key
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise ViewError(400, "not a cursor of this reader") from exc


def _row_id(key: int) -> bool:
    """Whether `key` can be the id of a row (see MAX_ROW_ID)."""
    return 1 <= key <= MAX_ROW_ID


def _publisher(ctx: Ctx, publisher_id: int) -> Publisher:
    record = ctx.store.publisher(publisher_id) if _row_id(publisher_id) else None
    if record is None:
        raise ViewError(404, "no such publisher")
    return record


def _story(ctx: Ctx, story_id: int) -> Story:
    record = ctx.store.story(story_id) if _row_id(story_id) else None
    if record is None:
        raise ViewError(404, "no such story")
    return record


def _day_start(day: date | None) -> datetime | None:
    # Dates in filters are days of UTC: a reader's "since 20 January" is not worth a time zone argument.
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def articles(
    ctx: Ctx,
    following: bool = False,
    publisher: PublisherFilter = None,
    language: LanguageFilter = None,
    since: Day = None,
    until: Day = None,
    cursor: Cursor = None,
    limit: Limit = PAGE_SIZE,
    show: Show = None,
) -> ArticleList:
    """Articles, newest published first. Pass `next` from a page as `cursor` for the one after it."""
    followed = ctx.followed()
    following_only = following or show == "following" or (show == "auto" and bool(followed))
    found = ctx.store.articles(
        publisher_id=publisher,
        language=language,
        since=_day_start(since),
        until=_day_start(until),
        followed_by=ctx.viewer.user_id if following_only else None,
        before=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    shown = found[:limit]
    return ArticleList(
        title="Following" if following_only else "Latest",
        articles=[schema.summary(stored, followed) for stored in shown],
        next=encode_cursor(shown[-1].published, shown[-1].key) if len(found) > limit else None,
        following_only=following_only,
    )


def article(ctx: Ctx, article_id: str) -> ArticleDetail:
    """One article by its stable id (or a unique prefix of it, from four hex digits), with its clean body,
    sources, provenance and related coverage."""
    try:
        stored = ctx.store.article(article_id)
    except AmbiguousId as exc:
        raise ViewError(404, f"more than one article id starts with {article_id!r}: give more of it") from exc
    # The store also finds an article by its URL; in the reader an article's address is its id alone.
    if stored is None or not stored.id.startswith(article_id.lower()):
        raise ViewError(404, "no such article")
    followed = ctx.followed()
    story = ctx.store.story(stored.story) if stored.story is not None else None
    # Related coverage: the story's other reports first (in any language), then articles on the same topic.
    same = [
        schema.related(member, 1.0, followed, same_story=True)
        for member in (story.members if story is not None else ())
        if member.id != stored.id and member.copy_of is None
    ]
    shown = {found.id for found in same} | {stored.id}
    topical = [
        schema.related(found, share, followed)
        for found, share in ctx.store.related(stored, RELATED_SHOWN)
        if found.id not in shown
    ]
    return schema.detail(stored, followed, [*same, *topical][: max(RELATED_SHOWN, len(same))], story)


def stories(ctx: Ctx, cursor: Cursor = None, limit: Limit = PAGE_SIZE) -> StoryList:
    """Stories, the most recently extended first: every outlet's reports of one happening, in any language."""
    before = decode_cursor(cursor) if cursor else None
    found = ctx.store.stories(limit=limit + 1, before=(before[0], before[1]) if before and before[0] else None)
    shown = found[:limit]
    more = len(found) > limit
    following = ctx.store.followed_story_ids(ctx.viewer.user_id)
    return StoryList(
        title="Stories",
        stories=[schema.story_out(record, record.id in following) for record in shown],
        next=encode_cursor(shown[-1].updated_at, shown[-1].id) if more else None,
    )


def story(ctx: Ctx, story_id: int) -> StoryPage:
    """One story: its headline (the first report's), outlets and languages, and its reports in the order
    they were published, the first report first, with copies of a text folded into the report they copy."""
    record = _story(ctx, story_id)
    following = story_id in ctx.store.followed_story_ids(ctx.viewer.user_id)
    return schema.story_page(record, ctx.followed(), following)


def follow_story(ctx: Ctx, story_id: int) -> StoryFollowState:
    """Follow a story: its new reports, from any outlet, join the caller's latest list and feed."""
    return set_story_followed(ctx, story_id, True)


def unfollow_story(ctx: Ctx, story_id: int) -> StoryFollowState:
    """Stop following a story."""
    return set_story_followed(ctx, story_id, False)


def set_story_followed(ctx: Ctx, story_id: int, followed: bool) -> StoryFollowState:
    """Follow or unfollow a story for the viewer; a browser must send it from the reader's own pages."""
    ctx.check_origin()
    _story(ctx, story_id)
    ctx.store.set_story_followed(story_id, followed, ctx.viewer.user_id)
    return StoryFollowState(story_id=story_id, followed=followed)


def search(
    ctx: Ctx,
    q: str = "",
    publisher: PublisherFilter = None,
    language: LanguageFilter = None,
    since: Day = None,
    until: Day = None,
    sort: Sort = "relevance",
    following: bool = False,
    offset: Offset = 0,
    limit: Limit = PAGE_SIZE,
) -> SearchResult:
    """Full-text search: all words must match, "quoted words" as a phrase, -word excludes. Words match
    their other forms in the stored languages (Indonesian "kerusuhan" finds "rusuh")."""
    languages = ctx.store.languages()
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
        return result.model_copy(update={"error": str(exc)})
    total, found = ctx.store.search(
        query,
        publisher_id=publisher,
        language=language,
        since=_day_start(since),
        until=_day_start(until),
        followed_by=ctx.viewer.user_id if following else None,
        newest_first=sort == "newest",
        limit=limit,
        offset=offset,
    )
    followed = ctx.followed()
    wanted = query.terms()
    hits = [
        schema.hit(
            stored,
            round(-rank, 6),
            followed,
            title_html=highlight.mark(stored.title or "", stored.language, wanted),
            snippet_html=highlight.snippet(stored.article.text, stored.language, wanted),
        )
        for stored, rank in found
    ]
    end = offset + len(found)
    return result.model_copy(update={"total": total, "hits": hits, "next_offset": end if end < total else None})


def publishers(ctx: Ctx, following: bool = False) -> PublisherList:
    """Publishers, with whether the caller follows each and the health of their feeds and sitemaps."""
    followed = ctx.followed()
    # Every source in one query, not one query a publisher.
    sources: defaultdict[int, list[SourceHealth]] = defaultdict(list)
    for source in ctx.store.health():
        sources[source.publisher_id].append(source)
    return PublisherList(
        title="Following" if following else "Publishers",
        publishers=[
            schema.publisher(record, followed, sources[record.id])
            for record in ctx.store.publishers()
            if not following or record.id in followed
        ],
    )


def publisher(ctx: Ctx, publisher_id: int, cursor: Cursor = None) -> PublisherPage:
    """A publisher, the health of its feeds and sitemaps, and its newest articles."""
    record = _publisher(ctx, publisher_id)
    followed = ctx.followed()
    found = ctx.store.articles(
        publisher_id=publisher_id, before=decode_cursor(cursor) if cursor else None, limit=PAGE_SIZE + 1
    )
    shown = found[:PAGE_SIZE]
    return PublisherPage(
        publisher=schema.publisher(record, followed, ctx.store.health(record.id)),
        articles=ArticleList(
            title=record.name,
            articles=[schema.summary(stored, followed) for stored in shown],
            next=encode_cursor(shown[-1].published, shown[-1].key) if len(found) > PAGE_SIZE else None,
            following_only=False,
        ),
    )


def follow(ctx: Ctx, publisher_id: int) -> FollowState:
    """Follow a publisher: its articles join the caller's latest list and feed, and the crawler fetches it."""
    return set_followed(ctx, publisher_id, True)


def unfollow(ctx: Ctx, publisher_id: int) -> FollowState:
    """Stop following a publisher."""
    return set_followed(ctx, publisher_id, False)


def set_followed(ctx: Ctx, publisher_id: int, followed: bool) -> FollowState:
    """Follow or unfollow for the viewer; a browser must send it from the reader's own pages."""
    ctx.check_origin()
    _publisher(ctx, publisher_id)
    ctx.store.set_followed(publisher_id, followed, ctx.viewer.user_id)
    return FollowState(publisher_id=publisher_id, followed=followed)
