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


def token(request: Request) -> str | None:
    """The API token a request carries: a script's bearer token, else a browser's sign-in cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE) or None


def foreign_origin(request: Request) -> bool:
    """Whether a browser sent the request from a page that is not the reader's own."""
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc != request.headers.get("host", "")
