"""What a browser posts to the reader without its script: sign in, sign out, and the follow star.

These answer with redirects (303, so the browser then loads the target with GET) rather than with a view's
model. The star answers JSON to the bundled script, which posts the same form with `Accept:
application/json`, so one form serves the page with and without the script.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from warta.serve import views
from warta.serve.access import COOKIE
from warta.serve.context import Ctx, ReaderDep, check_origin
from warta.serve.routing import wants_json

# How long a browser keeps its sign-in.
COOKIE_SECONDS = 365 * 86400


def _local(path: str) -> bool:
    # Only a path on this reader: an absolute URL (or "//host") would make the form an open redirect.
    return path.startswith("/") and not path.startswith("//")


def login_page(request: Request, reader: ReaderDep, next: str = "/", failed: bool = False) -> Response:
    context = {"next": next, "failed": failed, "viewer": None, "tokens_required": reader.tokens_required}
    return reader.templates.TemplateResponse(request, "login.html", context)


def login(
    request: Request, reader: ReaderDep, token: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    target = next if _local(next) else "/"
    if reader.store.user_for_token(token.strip()) is None:
        return RedirectResponse("/login?" + urlencode({"next": target, "failed": 1}), status_code=303)
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="lax", secure=secure, max_age=COOKIE_SECONDS)
    return response


def logout(request: Request) -> Response:
    check_origin(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def follow_story(
    ctx: Ctx, story_id: int, followed: Annotated[str, Form()], back: Annotated[str, Form()] = ""
) -> Response:
    state = views.set_story_followed(ctx, story_id, followed == "1")
    return _starred(ctx, state, back, f"/stories/{story_id}")


def follow(
    ctx: Ctx, publisher_id: int, followed: Annotated[str, Form()], back: Annotated[str, Form()] = ""
) -> Response:
    state = views.set_followed(ctx, publisher_id, followed == "1")
    return _starred(ctx, state, back, f"/publishers/{publisher_id}")


def _starred(ctx: Ctx, state: BaseModel, back: str, home: str) -> Response:
    """The star's answer: the new state to the script, else back to the page the form was on."""
    if wants_json(ctx.request):
        return JSONResponse(state.model_dump())
    return RedirectResponse(back if _local(back) else home, status_code=303)
