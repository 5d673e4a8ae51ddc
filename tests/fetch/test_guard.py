"""The address guard: malformed URLs, literal and resolved private addresses, IDNA hosts."""

from __future__ import annotations

import socket

import pytest

from tests.fetch.server import Server, page, settings
from warta.fetch import AddressGuard, Fetcher, FetchFailure
from warta.fetch.guard import Resolver

pytestmark = pytest.mark.anyio


def resolver(table: dict[str, list[str]], asked: list[str] | None = None) -> Resolver:
    """A resolver answering from `table`, noting each name asked; unknown names fail like DNS does."""

    async def resolve(host: str, port: int) -> list[str]:
        if asked is not None:
            asked.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


async def reason(guard: AddressGuard, url: str) -> str | None:
    try:
        await guard.check(url)
    except FetchFailure as failure:
        return failure.reason
    return None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://192.168.1.20:8080/admin",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "https://[fd00::1]/",
    ],
)
async def test_literal_private_addresses_are_refused(url: str) -> None:
    assert await reason(AddressGuard(resolver=resolver({})), url) == "private-address"


async def test_names_resolving_to_loopback_are_refused() -> None:
    # The real resolver: "localhost" and the integer spelling of 127.0.0.1 resolve without a network.
    guard = AddressGuard()
    assert await reason(guard, "http://localhost/") == "private-address"
    assert await reason(guard, "http://2130706433/") == "private-address"


async def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    guard = AddressGuard(resolver=resolver({"mixed.example": ["93.184.215.14", "10.1.2.3"]}))
    assert await reason(guard, "http://mixed.example/") == "private-address"


async def test_public_names_and_addresses_pass() -> None:
    guard = AddressGuard(
        resolver=resolver({"news.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]})
    )
    assert await reason(guard, "https://news.example/2026/01/banjir") is None
    assert await reason(guard, "http://93.184.215.14/") is None


async def test_idna_hosts_are_resolved_in_ascii() -> None:
    asked: list[str] = []
    guard = AddressGuard(resolver=resolver({"xn--bcher-kva.example": ["93.184.215.14"]}, asked))
    assert await reason(guard, "http://bücher.example/ä") is None
    assert asked == ["xn--bcher-kva.example"]


async def test_unresolvable_names_are_dns_errors() -> None:
    assert await reason(AddressGuard(resolver=resolver({})), "http://nowhere.invalid/") == "dns-error"


@pytest.mark.parametrize(
    "url", ["http://", "ftp://x", "http://exa mple.com", "http://[::1", "mailto:a@b.example", "http://-bad-.example/"]
)
async def test_garbage_is_invalid(url: str) -> None:
    assert await reason(AddressGuard(resolver=resolver({})), url) == "invalid-url"


async def test_allowed_networks_and_allow_private() -> None:
    narrow = AddressGuard(allowed_networks=["127.0.0.1/32"], resolver=resolver({}))
    assert await reason(narrow, "http://127.0.0.1/") is None
    assert await reason(narrow, "http://127.0.0.2/") == "private-address"
    anything = AddressGuard(allow_private=True, resolver=resolver({}))
    assert await reason(anything, "http://10.0.0.1/") is None
    assert await reason(anything, "ftp://10.0.0.1/") == "invalid-url"  # allowing private allows no garbage


async def test_the_connected_address_is_checked_too(server: Server) -> None:
    # The guard is told "localhost" is public (as a rebinding DNS server would say), but the connection
    # lands on 127.0.0.1, which these settings do not allow: the answer is refused unread.
    port = server.base.rsplit(":", 1)[1]
    server.routes["/page"] = lambda h: h.reply(200, page())
    url = f"http://localhost:{port}/page"
    fake = resolver({"localhost": ["93.184.215.14"]})
    async with Fetcher(settings(respect_robots=False, allowed_networks=()), resolver=fake) as fetcher:
        fetched = await fetcher.fetch(url)
    assert (fetched.status, fetched.error) == (None, "private-address")
    assert len(server.hits_on("/page")) == 1  # refused after connecting, by the peer-address check
