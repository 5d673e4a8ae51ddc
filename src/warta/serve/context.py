"""What every view is handed: the store, who is reading and the request; and the error a view answers with.

`create_app` keeps one `Reader` on the application's state and the `context` dependency reads it for each
request, so the views are plain module-level functions of their parameters rather than closures inside the
app factory, and one route table can name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from warta.serve import access
from warta.store import LOCAL_USER_ID, Store


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


@dataclass(frozen=True, slots=True)
class Reader:
    """One app's reader: its store, whether every request needs a token, and its page templates."""

    store: Store
    tokens_required: bool
    templates: Jinja2Templates

    def viewer(self, request: Request) -> Viewer | None:
        """The request's user, or None when a token is required and missing or unknown."""
        if not self.tokens_required:
            return Viewer()
        token = access.token(request)
        user = self.store.user_for_token(token) if token is not None else None
        return Viewer(user.id, user.name) if user is not None else None


@dataclass(frozen=True, slots=True)
class Context:
    """One request to a view, made by a known viewer."""

    reader: Reader
    viewer: Viewer
    request: Request

    @property
    def store(self) -> Store:
        return self.reader.store

    def followed(self) -> set[int]:
        """The ids of the publishers the viewer follows."""
        return self.store.followed_ids(self.viewer.user_id)

    def check_origin(self) -> None:
        check_origin(self.request)


def check_origin(request: Request) -> None:
    """Refuse a change a browser was made to send from another site's page (see `warta.serve.access`)."""
    if access.foreign_origin(request):
        raise ViewError(403, "requests that change something must come from this reader's own pages")


def reader(request: Request) -> Reader:
    """The reader of the app serving `request`."""
    found: Reader = request.app.state.reader
    return found


# Where `warta.serve.guards` keeps the viewer it found on the request's state, so the token is looked up once.
VIEWER = "viewer"


def context(request: Request) -> Context:
    """The context of a view; a request without a known token on a shared reader is refused here."""
    current = reader(request)
    viewer = getattr(request.state, VIEWER, None) or current.viewer(request)
    if viewer is None:
        raise ViewError(401, "an API token is required")
    return Context(current, viewer, request)


# Every view's first parameter, named `ctx`: the route table finds the request and the viewer there.
Ctx = Annotated[Context, Depends(context)]
ReaderDep = Annotated[Reader, Depends(reader)]
