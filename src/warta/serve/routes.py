"""The reader's route table: every address it answers at, each view declared once.

A `View` row names the view function (whose signature declares its parameters), the model it returns, the
template its pages render, and its addresses: pages (HTML, or JSON when asked), `/api/v1` paths (JSON, in
the OpenAPI description) and feeds. `Action` rows are the forms and the sign-in page, which answer with
redirects. `warta.serve.routing` serves the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from warta.serve import forms, views
from warta.serve.context import Context, ViewError
from warta.serve.routing import REQUIRED, Action, Address, Feed, FeedContent, View
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

# Feeds carry the newest this many articles.
FEED_SIZE = 50
FOLLOW = "/api/v1/publishers/{publisher_id}/follow"
FOLLOW_STORY = "/api/v1/stories/{story_id}/follow"


def _search_page(ctx: Context, model: SearchResult, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The search form's publisher choices, and the address of the next page of results."""
    next_url = None
    if model.next_offset is not None:
        params = [(key, value) for key, value in ctx.request.query_params.multi_items() if key != "offset"]
        next_url = "/search?" + urlencode([*params, ("offset", str(model.next_offset))])
    choices = views.publishers(ctx, following=False).publishers
    return {"publishers": choices, "following": arguments["following"], "next_url": next_url}


def _following_feed(model: ArticleList) -> FeedContent:
    return FeedContent("Warta: following", "/?show=following", model.articles)


def _search_feed(model: SearchResult) -> FeedContent:
    # A page shows why a query cannot match; a feed reader can only show that the feed failed.
    if model.error:
        raise ViewError(400, model.error)
    return FeedContent(f"Warta: {model.q}", "/search?" + urlencode({"q": model.q}), model.hits)


def _story_feed(model: StoryPage) -> FeedContent:
    # Newest first, as feeds are read; the page reads first report first.
    return FeedContent(f"Warta: {model.story.headline or 'story'}", model.story.reader_path, model.timeline[::-1])


ROUTES: tuple[View | Action, ...] = (
    View(
        views.articles,
        ArticleList,
        "latest.html",
        # The home page opens on the publishers the viewer follows, when they follow any.
        pages=(Address("/", defaults={"show": "auto"}),),
        api=("/api/v1/articles",),
        feeds=(
            Feed(
                Address(
                    "/feeds/following.{kind}",
                    fixed={"following": True, "limit": FEED_SIZE},
                    only=(),
                    name="following_feed",
                    description="The newest articles of the caller's followed publishers, as Atom (`.atom`) or "
                    "JSON Feed (`.json`).",
                ),
                _following_feed,
            ),
        ),
        tags=("articles",),
    ),
    View(
        views.article,
        ArticleDetail,
        "article.html",
        pages=("/articles/{article_id}",),
        api=("/api/v1/articles/{article_id}",),
        tags=("articles",),
    ),
    View(
        views.search,
        SearchResult,
        "search.html",
        pages=("/search",),
        api=(Address("/api/v1/search", defaults={"q": REQUIRED}),),
        feeds=(
            Feed(
                Address(
                    "/feeds/search.{kind}",
                    fixed={"sort": "newest", "limit": FEED_SIZE},
                    only=("q", "publisher", "language"),
                    defaults={"q": REQUIRED},
                    name="search_feed",
                    description="The newest articles matching a search, as Atom (`.atom`) or JSON Feed (`.json`).",
                ),
                _search_feed,
            ),
        ),
        page_context=_search_page,
        tags=("articles",),
    ),
    View(
        views.publishers,
        PublisherList,
        "publishers.html",
        pages=("/publishers", Address("/following", fixed={"following": True})),
        api=("/api/v1/publishers",),
        tags=("publishers",),
    ),
    View(
        views.publisher,
        PublisherPage,
        "publisher.html",
        pages=("/publishers/{publisher_id}",),
        api=("/api/v1/publishers/{publisher_id}",),
        tags=("publishers",),
    ),
    View(views.stories, StoryList, "stories.html", pages=("/stories",), api=("/api/v1/stories",), tags=("stories",)),
    View(
        views.story,
        StoryPage,
        "story.html",
        pages=("/stories/{story_id}",),
        api=("/api/v1/stories/{story_id}",),
        feeds=(
            Feed(
                Address(
                    "/feeds/stories/{story_id}.{kind}",
                    name="story_feed",
                    description="A story's reports, as Atom (`.atom`) or JSON Feed (`.json`).",
                ),
                _story_feed,
            ),
        ),
        tags=("stories",),
    ),
    View(views.follow_story, StoryFollowState, api=(Address(FOLLOW_STORY, "PUT"),), tags=("stories",)),
    View(views.unfollow_story, StoryFollowState, api=(Address(FOLLOW_STORY, "DELETE"),), tags=("stories",)),
    View(views.follow, FollowState, api=(Address(FOLLOW, "PUT"),), tags=("publishers",)),
    View(views.unfollow, FollowState, api=(Address(FOLLOW, "DELETE"),), tags=("publishers",)),
    Action("/publishers/{publisher_id}/follow", forms.follow, "POST"),
    Action("/stories/{story_id}/follow", forms.follow_story, "POST"),
    Action("/login", forms.login_page),
    Action("/login", forms.login, "POST"),
    Action("/logout", forms.logout, "POST"),
)
