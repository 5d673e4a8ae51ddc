"""Who may use the reader, and as whom.

Bound to a loopback address, the reader is one person's: no login, and follows are the local user's (the
same ones `warta follow` makes). Bound to any other address, every request needs an API token (`warta user
add NAME` prints one): in an `Authorization: Bearer` header for scripts, or in a cookie set by the login page
for browsers. Follows then belong to the token's user.

Requests that change something (follow, unfollow) must also come from the reader's own pages when a browser
sends them: another site's page could otherwise make a visitor's browser follow or unfollow through their
open local reader (cross-site request forgery). Browsers name the page's origin in `Origin`; a foreign one is
refused. Scripts send no `Origin` and are not affected.

The `Origin` check alone does not stop DNS rebinding: a site can make its own name resolve to 127.0.0.1, and
its page then talks to the local reader as same-origin, with its own name in both `Host` and `Origin`. So
the reader answers only the host names it is known by (`allowed_hosts`): the loopback names, the address it
is bound to, and the names given with `warta serve --allowed-host`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request

COOKIE = "warta_token"
LOOPBACK_NAMES = {"localhost", "ip6-localhost"}
# The `Host` names a browser on this machine uses for a loopback reader (ports are not compared).
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# A DNS name, optionally `*.` before it for every name under it (Starlette's wildcard form).
_HOST_NAME = re.compile(r"(?:\*\.)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")


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


def host_name(address: str) -> str | None:
    """How a `Host` header names a reader bound to `address` (an IPv6 address in brackets), or None for a
    wildcard address (every interface), which names no host."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address.lower()
    return None if ip.is_unspecified else _ip_host(ip)


def host_pattern(name: str) -> str:
    """A name the reader may answer to, as given to `--allowed-host`: a host name, an IP address, `*.domain`
    for the domain's subdomains, or `*` for any. Raises ValueError for anything else (a port, a URL)."""
    value = name.strip().lower()
    if value == "*" or _HOST_NAME.fullmatch(value):
        return value
    try:
        return _ip_host(ipaddress.ip_address(value.strip("[]")))
    except ValueError:
        raise ValueError(f"not a host name (give it without scheme or port): {name!r}") from None


def allowed_hosts(bound: str | None = None, names: Iterable[str] = ()) -> list[str]:
    """The `Host` names the reader answers to: the loopback names, the address it is bound to unless that is
    a wildcard, and `names` (see `host_pattern`)."""
    own = host_name(bound) if bound is not None else None
    return list(dict.fromkeys([*LOOPBACK_HOSTS, *([own] if own else []), *map(host_pattern, names)]))


def _ip_host(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    return f"[{ip.compressed}]" if ip.version == 6 else ip.compressed
