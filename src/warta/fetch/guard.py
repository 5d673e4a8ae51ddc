"""The address guard: only absolute http(s) URLs whose host is a public address get fetched.

URLs in feeds and sitemaps are written by whoever runs the site, so a crawler on a server can be pointed
at its own metadata endpoint (169.254.169.254), its database on 10.0.0.5 or an admin page on localhost.
Every hop of every fetch passes through here: literal IPs are judged as written, names are resolved and
refused when any address they resolve to is not public. The fetcher checks the address it actually
connected to as well (`permits`), which closes the gap where DNS answers differently a second time.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable

import httpx

from warta.fetch.reasons import FetchFailure, Reason

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

SCHEMES = frozenset({"http", "https"})

# One DNS label after IDNA encoding (RFC 1123), with the underscore some real hosts carry; a name is
# labels joined by dots, at most 253 characters. Anything else ("exa mple.com", "a..b") is garbage.
LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
HOSTNAME = re.compile(rf"{LABEL}(?:\.{LABEL})*\.?")
MAX_HOSTNAME = 253

# The properties of addresses a crawler has no business reaching. `is_global` catches what the others
# miss (shared address space 100.64.0.0/10, documentation ranges, ...).
REFUSED_PROPERTIES = ("is_private", "is_loopback", "is_link_local", "is_multicast", "is_reserved", "is_unspecified")


def parse_url(url: str) -> httpx.URL:
    """Parse `url` as the client will send it, refusing anything but an absolute http(s) URL."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
        raise FetchFailure(Reason.INVALID_URL) from None
    if parsed.scheme not in SCHEMES:
        raise FetchFailure(Reason.INVALID_URL)
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise FetchFailure(Reason.INVALID_URL)
    host = parsed.raw_host.decode("ascii", errors="replace").lower()
    if literal_address(host) is None and (len(host) > MAX_HOSTNAME or not HOSTNAME.fullmatch(host)):
        raise FetchFailure(Reason.INVALID_URL)
    return parsed


def literal_address(host: str) -> IPAddress | None:
    """The address a host is, when it is written as an IP literal."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet (an IPv4-mapped IPv6 address is judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not any(getattr(address, name) for name in REFUSED_PROPERTIES)


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, through the event loop's resolver (a thread, not blocking)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class AddressGuard:
    """Refuses URLs that are malformed or lead to addresses that are not public."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allowed_networks: Iterable[str] = (),
        resolver: Resolver = resolve,
    ) -> None:
        self.allow_private = allow_private
        self._allowed = tuple(ipaddress.ip_network(network, strict=False) for network in allowed_networks)
        self._resolve = resolver

    def permits(self, address: str) -> bool:
        """Whether connecting to this IP address is allowed."""
        if self.allow_private:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return is_public(ip) or any(ip in network for network in self._allowed)

    async def check(self, url: str) -> httpx.URL:
        """Return the parsed URL, or raise `FetchFailure` ("invalid-url", "dns-error", "private-address")."""
        parsed = parse_url(url)
        if self.allow_private:
            return parsed  # nothing to refuse, so no lookup beyond the one the connection makes
        host = parsed.host
        literal = literal_address(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            port = parsed.port or (443 if parsed.scheme == "https" else 80)
            try:
                addresses = await self._resolve(parsed.raw_host.decode("ascii"), port)
            except (OSError, UnicodeError):
                raise FetchFailure(Reason.DNS_ERROR) from None
            if not addresses:
                raise FetchFailure(Reason.DNS_ERROR)
        if not all(self.permits(address) for address in addresses):
            raise FetchFailure(Reason.PRIVATE_ADDRESS)
        return parsed
