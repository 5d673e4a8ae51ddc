"""`warta serve`: the web reader, its JSON API and its feeds, in one FastAPI application.

Every page is also JSON: ask with `Accept: application/json` or `?format=json` and the same view answers
with the record the page was rendered from (see `warta.serve.views`). The API under `/api/v1` returns the
same records and is described at `/api/v1/openapi.json`. FastAPI's browsable docs page is turned off: its
viewer loads from a CDN, and the reader loads nothing from outside. Pages are rendered on the server; the
bundled script only adds the follow star without a page load and shows times in the reader's time zone.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from warta._version import __version__
from warta.search.index import COUNT_CAP
from warta.serve import feeds, views
from warta.serve.access import COOKIE, Access
from warta.serve.views import Viewer, ViewError
from warta.store import Store

HERE = Path(__file__).resolve().parent
# Requests served at once per process. The views are Python code holding the interpreter lock most of the
# time: more threads than this only take turns at it (Starlette's default of 40 made requests slower).
THREADS = 8
# Feeds carry the newest this many articles.
FEED_SIZE = 50
SORTS = ("relevance", "newest")


def _wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return accept.split(",")[0].strip().startswith("application/json")


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _original_time(value: str | None) -> str:
    """A stored ISO time as the publisher printed it: its wall time and its UTC offset."""
    moment = _moment(value)
    if moment is None:
        return ""
    offset = moment.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset and offset != "+0000" else "UTC"
    return f"{moment.day} {moment.strftime('%b %Y, %H:%M')} {zone}"


def create_app(store: Store, *, tokens_required: bool = False, threads: int = THREADS) -> FastAPI:
    """The reader over `store`; with `tokens_required` every request needs a user's API token."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Warta",
        version=__version__,
        description="Clean, structured news articles: read, search, follow publishers, take data out.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    access = Access(store, tokens_required=tokens_required)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["original_time"] = _original_time
    templates.env.globals["version"] = __version__
    templates.env.globals["count_cap"] = COUNT_CAP
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(request: Request, template: str, model: BaseModel, viewer: Viewer, **extra: Any) -> Response:
        if _wants_json(request):
            return JSONResponse(model.model_dump(mode="json"))
        context = {"model": model, "viewer": viewer, "tokens_required": tokens_required, **extra}
        return templates.TemplateResponse(request, template, context)

    def viewer_of(request: Request) -> Viewer:
        viewer = access.viewer(request)
        if viewer is None:
            raise ViewError(401, "an API token is required")
        return viewer

    @app.exception_handler(ViewError)
    async def view_error(request: Request, exc: ViewError) -> Response:
        is_api = request.url.path.startswith(("/api/", "/feeds/"))
        if exc.status == 401 and not is_api and not _wants_json(request):
            return RedirectResponse("/login?" + urlencode({"next": str(request.url.path)}), status_code=303)
        if is_api or _wants_json(request):
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        context = {"status": exc.status, "message": exc.message, "viewer": None, "tokens_required": tokens_required}
        return templates.TemplateResponse(request, "error.html", context, status_code=exc.status)

    # ---------------------------------------------------------------------------------------- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def latest_page(request: Request, show: str | None = None, cursor: str | None = None) -> Response:
        viewer = viewer_of(request)
        following = show == "following" or (show is None and bool(store.followed_ids(viewer.user_id)))
        model = views.latest(store, viewer, following_only=following, cursor=cursor)
        return page(request, "latest.html", model, viewer)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Response:
        viewer = viewer_of(request)
        return page(request, "article.html", views.article(store, viewer, article_id), viewer)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: str = "",
        publisher: Annotated[str | None, Query()] = None,
        language: str | None = None,
        since: Annotated[str | None, Query()] = None,
        until: Annotated[str | None, Query()] = None,
        sort: str = "relevance",
        following: bool = False,
        offset: int = 0,
    ) -> Response:
        viewer = viewer_of(request)
        model = views.search(
            store,
            viewer,
            q=q,
            publisher=_int_or_none(publisher),
            language=language or None,
            since=_date_or_none(since),
            until=_date_or_none(until),
            sort=sort if sort in SORTS else "relevance",
            following_only=following,
            offset=offset,
        )
        publishers = views.publishers(store, viewer, following_only=False).publishers
        next_url = None
        if model.next_offset is not None:
            params = [(key, value) for key, value in request.query_params.multi_items() if key != "offset"]
            next_url = "/search?" + urlencode([*params, ("offset", str(model.next_offset))])
        return page(
            request, "search.html", model, viewer, publishers=publishers, following=following, next_url=next_url
        )

    @app.get("/publishers", response_class=HTMLResponse, include_in_schema=False)
    def publishers_page(request: Request) -> Response:
        viewer = viewer_of(request)
        return page(request, "publishers.html", views.publishers(store, viewer, following_only=False), viewer)

    @app.get("/following", response_class=HTMLResponse, include_in_schema=False)
    def following_page(request: Request) -> Response:
        viewer = viewer_of(request)
        return page(request, "publishers.html", views.publishers(store, viewer, following_only=True), viewer)

    @app.get("/publishers/{publisher_id}", response_class=HTMLResponse, include_in_schema=False)
    def publisher_page(request: Request, publisher_id: int, cursor: str | None = None) -> Response:
        viewer = viewer_of(request)
        return page(request, "publisher.html", views.publisher(store, viewer, publisher_id, cursor), viewer)

    @app.post("/publishers/{publisher_id}/follow", include_in_schema=False)
    def follow_form(
        request: Request, publisher_id: int, followed: Annotated[str, Form()], back: Annotated[str, Form()] = ""
    ) -> Response:
        viewer = viewer_of(request)
        access.check_origin(request)
        state = views.follow(store, viewer, publisher_id, followed == "1")
        if _wants_json(request):
            return JSONResponse(state.model_dump())
        # Only a path on this reader: an absolute URL here would make the form an open redirect.
        target = back if back.startswith("/") and not back.startswith("//") else f"/publishers/{publisher_id}"
        return RedirectResponse(target, status_code=303)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/", failed: bool = False) -> Response:
        context = {"next": next, "failed": failed, "viewer": None, "tokens_required": tokens_required}
        return templates.TemplateResponse(request, "login.html", context)

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        if store.user_for_token(token.strip()) is None:
            return RedirectResponse("/login?" + urlencode({"next": target, "failed": 1}), status_code=303)
        response = RedirectResponse(target, status_code=303)
        secure = request.url.scheme == "https"
        response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="lax", secure=secure, max_age=365 * 86400)
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        access.check_origin(request)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    # ------------------------------------------------------------------------------------------ API

    @app.get("/api/v1/articles", response_model=views.ArticleList, tags=["articles"])
    def api_articles(
        request: Request,
        following: bool = False,
        publisher: int | None = None,
        language: str | None = None,
        since: date | None = None,
        until: date | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=views.MAX_PAGE)] = views.PAGE_SIZE,
    ) -> views.ArticleList:
        """Articles, newest published first. Pass `next` from a page as `cursor` for the one after it."""
        return views.latest(
            store,
            viewer_of(request),
            following_only=following,
            cursor=cursor,
            limit=limit,
            publisher_id=publisher,
            language=language,
            since=since,
            until=until,
        )

    @app.get("/api/v1/articles/{article_id}", response_model=views.ArticleDetail, tags=["articles"])
    def api_article(request: Request, article_id: str) -> views.ArticleDetail:
        """One article by its stable id, with its clean body, sources, provenance and related coverage."""
        return views.article(store, viewer_of(request), article_id)

    @app.get("/api/v1/search", response_model=views.SearchResult, tags=["articles"])
    def api_search(
        request: Request,
        q: str,
        publisher: int | None = None,
        language: str | None = None,
        since: date | None = None,
        until: date | None = None,
        sort: Annotated[str, Query(pattern="^(relevance|newest)$")] = "relevance",
        following: bool = False,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=views.MAX_PAGE)] = views.PAGE_SIZE,
    ) -> views.SearchResult:
        """Full-text search: all words must match, "quoted words" as a phrase, -word excludes. Words match
        their other forms in the stored languages (Indonesian "kerusuhan" finds "rusuh")."""
        return views.search(
            store,
            viewer_of(request),
            q=q,
            publisher=publisher,
            language=language,
            since=since,
            until=until,
            sort=sort,
            following_only=following,
            offset=offset,
            limit=limit,
        )

    @app.get("/api/v1/publishers", response_model=views.PublisherList, tags=["publishers"])
    def api_publishers(request: Request, following: bool = False) -> views.PublisherList:
        """Publishers, with whether the caller follows each."""
        return views.publishers(store, viewer_of(request), following_only=following)

    @app.get("/api/v1/publishers/{publisher_id}", response_model=views.PublisherPage, tags=["publishers"])
    def api_publisher(request: Request, publisher_id: int, cursor: str | None = None) -> views.PublisherPage:
        """A publisher, the health of its feeds and sitemaps, and its newest articles."""
        return views.publisher(store, viewer_of(request), publisher_id, cursor)

    @app.put("/api/v1/publishers/{publisher_id}/follow", response_model=views.FollowState, tags=["publishers"])
    def api_follow(request: Request, publisher_id: int) -> views.FollowState:
        """Follow a publisher: its articles join the caller's latest list and feed, and the crawler fetches it."""
        viewer = viewer_of(request)
        access.check_origin(request)
        return views.follow(store, viewer, publisher_id, True)

    @app.delete("/api/v1/publishers/{publisher_id}/follow", response_model=views.FollowState, tags=["publishers"])
    def api_unfollow(request: Request, publisher_id: int) -> views.FollowState:
        """Stop following a publisher."""
        viewer = viewer_of(request)
        access.check_origin(request)
        return views.follow(store, viewer, publisher_id, False)

    # ---------------------------------------------------------------------------------------- feeds

    def feed(request: Request, kind: str, title: str, home: str, summaries: list[views.ArticleSummary]) -> Response:
        base = str(request.base_url).rstrip("/")
        info = feeds.FeedInfo(id=str(request.url), title=title, home_url=base + home, feed_url=str(request.url))
        entries = [
            feeds.FeedEntry(
                id=item.id,
                title=item.title or item.canonical_url,
                link=base + item.reader_path,
                original_url=item.url,
                published=_moment(item.published),
                updated=None,
                authors=tuple(person.name for person in item.authors),
                summary=item.description,
                language=item.language,
                publisher=item.publisher.name if item.publisher else item.site_name,
                image=item.image.url if item.image else None,
            )
            for item in summaries
        ]
        if kind == "atom":
            return Response(feeds.atom(info, entries), media_type="application/atom+xml; charset=utf-8")
        return JSONResponse(feeds.json_feed(info, entries), media_type="application/feed+json")

    @app.get("/feeds/following.{kind}", tags=["feeds"])
    def following_feed(request: Request, kind: str) -> Response:
        """The newest articles of the caller's followed publishers, as Atom (`.atom`) or JSON Feed (`.json`)."""
        _feed_kind(kind)
        viewer = viewer_of(request)
        model = views.latest(store, viewer, following_only=True, cursor=None, limit=FEED_SIZE)
        return feed(request, kind, "Warta: following", "/?show=following", list(model.articles))

    @app.get("/feeds/search.{kind}", tags=["feeds"])
    def search_feed(
        request: Request, kind: str, q: str, publisher: int | None = None, language: str | None = None
    ) -> Response:
        """The newest articles matching a search, as Atom (`.atom`) or JSON Feed (`.json`)."""
        _feed_kind(kind)
        viewer = viewer_of(request)
        model = views.search(store, viewer, q=q, publisher=publisher, language=language, sort="newest", limit=FEED_SIZE)
        if model.error:
            raise ViewError(400, model.error)
        home = "/search?" + urlencode({"q": q})
        return feed(request, kind, f"Warta: {q}", home, list(model.hits))

    return app


# How `warta serve --workers N` hands the store and the access mode to each worker process, which builds its
# own app (and its own database connections) with `app_from_environment`.
ENV_DATABASE = "WARTA_SERVE_DATABASE"
ENV_TOKENS = "WARTA_SERVE_TOKENS_REQUIRED"


def app_from_environment() -> FastAPI:
    """The app of one worker process of `warta serve --workers N` (a factory for uvicorn)."""
    return create_app(Store(os.environ[ENV_DATABASE]), tokens_required=os.environ.get(ENV_TOKENS) == "1")


def _feed_kind(kind: str) -> None:
    if kind not in ("atom", "json"):
        raise ViewError(404, "feeds are .atom or .json")


def _int_or_none(value: str | None) -> int | None:
    # An empty select in a search form sends "publisher=": no filter, not an error.
    return int(value) if value and value.isdigit() else None


def _date_or_none(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise ViewError(400, f"not a date: {value!r} (use YYYY-MM-DD)") from exc
