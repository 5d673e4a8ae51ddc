"""Servers that misbehave one way each, as routes of the loopback test server (`tests.fetch.server`).

Shared by the hostile crawl tests (small sizes, short deadlines) and `benchmarks/hostile.py` (default
deadlines). Each `Hostile` names the paths to crawl and installs its routes; sizes are arguments so the
benchmark can use real-world ones.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass

from tests.crawl.site import article_html
from tests.fetch.server import Handler, Server

# Hostile pages are numbered apart from the normal site's, so their titles never collide.
FIRST = 100


def article(number: int) -> bytes:
    return article_html(number, f"Berita uji ketahanan nomor {number}").encode()


def drip(h: Handler, interval: float = 1.0) -> None:
    """Headers at once, then one byte of the body per `interval`, forever."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "1000000")
    h.end_headers()
    try:
        while not h.server_state.stop.wait(interval):
            h.wfile.write(b"x")
            h.wfile.flush()
    except OSError:
        pass
    h.close_connection = True


def slow_headers(h: Handler, delay: float) -> None:
    """Nothing at all for `delay` seconds, then a page."""
    if not h.server_state.stop.wait(delay):
        with contextlib.suppress(OSError):
            h.reply(200, article(FIRST))


def throttled(times: int, retry_after: int) -> Callable[[Handler], None]:
    """429 with Retry-After for the first `times` requests of each path, then the page."""

    def route(h: Handler) -> None:
        if len(h.server_state.hits_on(h.path)) <= times:
            h.reply(429, b"slow down", content_type="text/plain", Retry_After=str(retry_after))
        else:
            h.reply(200, article(int(h.path.rsplit("/", 1)[1])))

    return route


def garbage(h: Handler) -> None:
    """Bytes that are not HTTP, then the connection closed."""
    h.wfile.write(os.urandom(2048))
    h.close_connection = True


def reset(h: Handler) -> None:
    """The connection reset (RST) without an answer."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True


@dataclass(frozen=True)
class Hostile:
    """One misbehaviour: the paths a crawl is given and the routes that answer them."""

    name: str
    paths: tuple[str, ...]
    install: Callable[[Server], None]


def _pages(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"/{prefix}/{FIRST + n}" for n in range(count))


def _route_all(paths: tuple[str, ...], route: Callable[[Handler], None]) -> Callable[[Server], None]:
    def install(server: Server) -> None:
        for path in paths:
            server.routes[path] = route

    return install


def hostiles(*, drip_interval: float, slow_delay: float, bomb_bytes: int, robots_bytes: int) -> list[Hostile]:
    """Every misbehaviour, with the sizes and delays given."""
    cases: list[Hostile] = []

    paths = _pages("drip", 5)
    cases.append(Hostile("drip body", paths, _route_all(paths, lambda h: drip(h, drip_interval))))

    paths = _pages("slow", 5)
    cases.append(Hostile("slow headers", paths, _route_all(paths, lambda h: slow_headers(h, slow_delay))))

    paths = _pages("berita", 3)

    def slow_robots(server: Server, paths: tuple[str, ...] = paths) -> None:
        server.routes["/robots.txt"] = lambda h: slow_headers(h, slow_delay)
        for path in paths:
            server.routes[path] = lambda h: h.reply(200, article(int(h.path.rsplit("/", 1)[1])))

    cases.append(Hostile("slow robots.txt", paths, slow_robots))

    paths = _pages("busy", 6)
    cases.append(Hostile("429 storm", paths, _route_all(paths, throttled(times=2, retry_after=1))))

    paths = _pages("comments", 1)
    comments = b"<!--a-->" * 28 + article(FIRST)
    cases.append(Hostile("28 leading comments", paths, _route_all(paths, lambda h: h.reply(200, comments))))

    paths = _pages("codec", 1)
    codec = article(FIRST).replace(b"<meta charset=utf-8>", b"<meta charset=hex>").replace(b"Penulis", b"P\xe9nulis")
    cases.append(
        Hostile(
            "codec charset",
            paths,
            _route_all(paths, lambda h: h.reply(200, codec, content_type="text/html; charset=hex")),
        )
    )

    def loop(server: Server) -> None:
        server.routes["/loop/a"] = lambda h: h.reply(302, Location="/loop/b")
        server.routes["/loop/b"] = lambda h: h.reply(302, Location="/loop/a")

    cases.append(Hostile("redirect loop", ("/loop/a",), loop))

    paths = _pages("bomb", 1)
    bomb = gzip.compress(b"\0" * bomb_bytes, compresslevel=9)
    cases.append(Hostile("gzip bomb", paths, _route_all(paths, lambda h: h.reply(200, bomb, Content_Encoding="gzip"))))

    paths = _pages("garbage", 2)
    cases.append(Hostile("garbage bytes", paths, _route_all(paths, garbage)))

    paths = _pages("reset", 2)
    cases.append(Hostile("connection reset", paths, _route_all(paths, reset)))

    paths = _pages("berita", 3)
    big = b"User-agent: *\n" + b"Disallow: /admin/nothing-here\n" * (robots_bytes // 30)

    def big_robots(server: Server, paths: tuple[str, ...] = paths) -> None:
        server.routes["/robots.txt"] = lambda h: h.reply(200, big, content_type="text/plain")
        for path in paths:
            server.routes[path] = lambda h: h.reply(200, article(int(h.path.rsplit("/", 1)[1])))

    cases.append(Hostile("robots.txt of 10 MB", paths, big_robots))

    paths = _pages("error", 3)
    cases.append(Hostile("500s", paths, _route_all(paths, lambda h: h.reply(500, b"oops", content_type="text/plain"))))
    return cases
