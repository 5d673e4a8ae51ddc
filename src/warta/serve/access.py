"""Who may use the reader, and as whom.

Bound to a loopback address, the reader is one person's: no login, and follows are the local user's (the
same ones `warta follow` makes). Bound to any other address, every request needs an API token (`warta user
add NAME` prints one): in an `Authorization: Bearer` header for scripts, or in a cookie set by the login page
for browsers. Follows then belong to the token's user.

Requests that change something (follow, unfollow) must also come from the reader's own pages when a browser
sends them: another site's page could otherwise make a visitor's browser follow or unfollow through their
open local reader (cross-site request forgery). Browsers name the page's origin in `Origin`; a foreign one is
refused. Scripts send no `Origin` and are not affected.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from starlette.requests import Request

from warta.serve.views import Viewer, ViewError
from warta.store import Store

COOKIE = "warta_token"
LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE) or None


class Access:
    def __init__(self, store: Store, *, tokens_required: bool) -> None:
        self.store = store
        self.tokens_required = tokens_required

    def viewer(self, request: Request) -> Viewer | None:
        """The request's user, or None when a token is required and missing or unknown."""
        if not self.tokens_required:
            return Viewer()
        token = _token(request)
        if token is None:
            return None
        row = self.store.user_for_token(token)
        return Viewer(int(row.id), str(row.name)) if row is not None else None

    def check_origin(self, request: Request) -> None:
        origin = request.headers.get("origin")
        if origin is None:
            return
        if origin == "null" or urlsplit(origin).netloc != request.headers.get("host", ""):
            raise ViewError(403, "requests that change something must come from this reader's own pages")
