"""`warta serve`: the web reader, its JSON API and its feeds, in one FastAPI application.

Every page is also JSON: ask with `Accept: application/json` or `?format=json` and the same view answers
with the record the page was rendered from. The API under `/api/v1` returns the same records and is
described at `/api/v1/openapi.json`. Each view is declared once, in the route table of `warta.serve.routes`.
FastAPI's browsable docs page is turned off: its viewer loads from a CDN, and the reader loads nothing from
outside. Pages are rendered on the server; the bundled script only adds the follow star without a page load
and shows times in the reader's time zone.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from warta._version import __version__
from warta.serve import access, guards, routing
from warta.serve.context import Reader
from warta.serve.routes import ROUTES
from warta.store import COUNT_CAP, Store

HERE = Path(__file__).resolve().parent
# Requests served at once per process. The views are Python code holding the interpreter lock most of the
# time: more threads than this only take turns at it (Starlette's default of 40 made requests slower).
THREADS = 8


def create_app(
    store: Store, *, tokens_required: bool = False, threads: int = THREADS, allowed_hosts: Iterable[str] = ()
) -> FastAPI:
    """The reader over `store`; with `tokens_required` every request needs a user's API token. It answers
    requests for the loopback names and `allowed_hosts` (see `warta.serve.access.host_pattern`) only."""
    app = FastAPI(
        lifespan=_limit_threads,
        title="Warta",
        version=__version__,
        description="Clean, structured news articles: read, search, follow publishers, take data out.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.threads = threads
    app.state.reader = Reader(store, tokens_required, _templates())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    routing.register(app, ROUTES)
    guards.install(app, access.allowed_hosts(names=allowed_hosts))
    return app


@asynccontextmanager
async def _limit_threads(app: FastAPI) -> AsyncIterator[None]:
    # The limiter belongs to the running event loop, so it is set when the app starts, not when it is built.
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.threads
    yield


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["original_time"] = _original_time
    templates.env.globals["version"] = __version__
    templates.env.globals["count_cap"] = COUNT_CAP
    return templates


def _original_time(value: str | None) -> str:
    """A stored ISO time as the publisher printed it: its wall time and its UTC offset."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    offset = moment.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset and offset != "+0000" else "UTC"
    return f"{moment.day} {moment.strftime('%b %Y, %H:%M')} {zone}"


# How `warta serve --workers N` hands the store, the access mode and the host names to each worker process,
# which builds its own app (and its own database connections) with `app_from_environment`.
ENV_DATABASE = "WARTA_SERVE_DATABASE"
ENV_TOKENS = "WARTA_SERVE_TOKENS_REQUIRED"
ENV_HOSTS = "WARTA_SERVE_ALLOWED_HOSTS"  # separated by spaces, which no host name holds


def app_from_environment() -> FastAPI:
    """The app of one worker process of `warta serve --workers N` (a factory for uvicorn)."""
    return create_app(
        Store(os.environ[ENV_DATABASE]),
        tokens_required=os.environ.get(ENV_TOKENS) == "1",
        allowed_hosts=os.environ.get(ENV_HOSTS, "").split(),
    )
