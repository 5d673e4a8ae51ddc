"""What every request passes before a view sees it, outermost first:

1. Its `Host` must be one the reader is known by (`access.allowed_hosts`), else 400: this is what stops DNS
   rebinding (see `warta.serve.access`). Starlette's `TrustedHostMiddleware` does the check.
2. Its body may not exceed MAX_BODY_BYTES, else 413: Starlette's `RequestBodyLimitMiddleware` refuses a
   larger `Content-Length` before the body is read and counts the bytes of a streamed one. Without it a form
   upload of any size was spooled to a temporary file before anything else was checked.
3. Its path and query may not hold a NUL character, else 400: PostgreSQL refuses text holding one, so a
   `%00` in a filter or an id would otherwise fail in the database.
4. On a shared reader, its token must be known, else 401 (a sign-in redirect for pages), except on the few
   public addresses (`PUBLIC`). This runs here rather than in the views' `context` dependency because
   FastAPI parses a form body before it resolves dependencies: a stranger's upload would be read first.
"""

from __future__ import annotations

from collections.abc import Sequence

import anyio.to_thread
from fastapi import FastAPI
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from warta.serve.context import VIEWER, reader
from warta.serve.routing import error_response

# The largest request body the reader takes. Its forms post a few short fields (a token, a star, the page to
# go back to); nothing it accepts comes near this.
MAX_BODY_BYTES = 64 * 1024
# What a shared reader serves without a token: the sign-in page and its form, signing out, the API's
# description, and the page assets under STATIC.
PUBLIC = frozenset({"/login", "/logout", "/api/v1/openapi.json"})
STATIC = "/static/"


def install(app: FastAPI, hosts: Sequence[str]) -> None:
    """Put the guards in front of `app`'s routes; `hosts` are the `Host` names it answers to."""
    # Starlette runs the middleware added last first.
    app.add_middleware(RequireToken)
    app.add_middleware(RefuseNul)
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=MAX_BODY_BYTES)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts), www_redirect=False)


class RefuseNul:
    """Answer 400 to a request whose path or query string holds a NUL character."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope["query_string"]):
            response = error_response(Request(scope), 400, "a NUL character is not allowed in an address")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class RequireToken:
    """On a shared reader, answer a request without a known token before the app reads any of its body; the
    viewer found is kept on the request for the views' `context`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        current = reader(request)
        path = request.url.path
        if current.tokens_required and path not in PUBLIC and not path.startswith(STATIC):
            # The token is looked up in the database: off the event loop, as the views are.
            viewer = await anyio.to_thread.run_sync(current.viewer, request)
            if viewer is None:
                await error_response(request, 401, "an API token is required")(scope, receive, send)
                return
            setattr(request.state, VIEWER, viewer)
        await self.app(scope, receive, send)
