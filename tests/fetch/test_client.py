"""The fetcher against a real loopback server: answers, conditional GETs, limits, timeouts, redirects."""

from __future__ import annotations

import gzip
import threading
import time

import pytest

from tests.fetch.server import Handler, Server, page, redirect, settings, stream_forever
from warta.fetch import Fetcher

pytestmark = pytest.mark.anyio


async def test_plain_page(server: Server) -> None:
    server.routes["/news/1"] = lambda h: h.reply(200, page("Banjir"), ETag='"v1"')
    async with Fetcher(settings(contact="ops@example.org")) as fetcher:
        fetched = await fetcher.fetch(server.url("/news/1"))
    assert fetched.ok, fetched.error
    assert (fetched.status, fetched.final_url) == (200, server.url("/news/1"))
    assert b"Banjir" in fetched.body
    assert fetched.header("etag") == '"v1"'
    assert fetched.header("content-type") == "text/html; charset=utf-8"
    assert fetched.fetched_at is not None
    assert fetched.fetched_at.tzinfo is not None
    hit = server.hits_on("/news/1")[0]
    assert hit.headers["user-agent"].startswith("Warta/")
    assert "ops@example.org" in hit.headers["user-agent"]
    assert "text/html" in hit.headers["accept"]
    assert "if-none-match" not in hit.headers


async def test_gzip_body_is_decoded(server: Server) -> None:
    server.routes["/gz"] = lambda h: h.reply(200, gzip.compress(page("Gempa")), Content_Encoding="gzip")
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/gz"))
    assert fetched.ok
    assert fetched.body == page("Gempa")
    # The headers describe the body as returned: decoded, with the wire encoding kept under another name.
    assert fetched.header("content-encoding") is None
    assert fetched.header("x-crawler-content-encoding") == "gzip"
    assert fetched.header("content-length") == str(len(page("Gempa")))


async def test_etag_revalidation_gives_304(server: Server) -> None:
    @server.route("/feed.xml")
    def feed(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"v7"':
            h.reply(304, ETag='"v7"')
        else:
            h.reply(200, b"<rss/>", content_type="application/rss+xml", ETag='"v7"')

    async with Fetcher(settings()) as fetcher:
        first = await fetcher.fetch(server.url("/feed.xml"), kind="feed")
        again = await fetcher.fetch(server.url("/feed.xml"), kind="feed", etag=first.header("etag"))
    assert first.status == 200
    assert first.body == b"<rss/>"
    assert again.status == 304
    assert again.error is None
    assert again.not_modified
    assert again.body == b""
    assert server.hits_on("/feed.xml")[1].headers["if-none-match"] == '"v7"'


async def test_last_modified_revalidation_gives_304(server: Server) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"

    @server.route("/sitemap.xml")
    def sitemap(h: Handler) -> None:
        if h.headers.get("If-Modified-Since") == stamp:
            h.reply(304)
        else:
            h.reply(200, b"<urlset/>", content_type="application/xml", Last_Modified=stamp)

    async with Fetcher(settings()) as fetcher:
        first = await fetcher.fetch(server.url("/sitemap.xml"), kind="sitemap")
        again = await fetcher.fetch(
            server.url("/sitemap.xml"), kind="sitemap", last_modified=first.header("last-modified")
        )
    assert first.ok
    assert first.header("last-modified") == stamp
    assert again.not_modified
    assert again.error is None


async def test_a_validator_that_cannot_be_sent_is_left_out(server: Server) -> None:
    server.routes["/p"] = lambda h: h.reply(200, page())
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/p"), etag='"café"', last_modified="Mär 2026")
    assert fetched.ok
    assert "if-none-match" not in server.hits_on("/p")[0].headers


async def test_http_error_status_is_a_reason(server: Server) -> None:
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/missing"))
    assert (fetched.status, fetched.error) == (404, "http-404")
    assert fetched.body == b"not found"  # an error page is still an answer, kept as it came
    assert not fetched.ok


async def test_wrong_content_type_is_refused_without_reading_the_body(server: Server) -> None:
    done = server.notes["stream_done"] = threading.Event()
    server.routes["/photo"] = lambda h: stream_forever(h, content_type="image/png")
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/photo"))
        as_feed = await fetcher.fetch(server.url("/photo"), kind="feed")
    assert (fetched.status, fetched.error) == (200, "content-type")
    assert fetched.body == b""
    assert as_feed.error == "content-type"
    assert done.wait(5)
    assert server.notes["sent"] < 64 * 1024 * 1024  # the client hung up instead of reading on


async def test_feed_kinds_accept_xml_and_json(server: Server) -> None:
    server.routes["/rss"] = lambda h: h.reply(200, b"<rss/>", content_type="application/rss+xml")
    server.routes["/json"] = lambda h: h.reply(200, b"{}", content_type="application/feed+json")
    server.routes["/gz"] = lambda h: h.reply(200, gzip.compress(b"<urlset/>"), content_type="application/x-gzip")
    async with Fetcher(settings()) as fetcher:
        rss = await fetcher.fetch(server.url("/rss"), kind="feed")
        json = await fetcher.fetch(server.url("/json"), kind="feed")
        gz = await fetcher.fetch(server.url("/gz"), kind="sitemap")
        rss_as_page = await fetcher.fetch(server.url("/rss"), kind="page")
    assert rss.ok
    assert json.ok
    assert gz.ok
    assert gzip.decompress(gz.body) == b"<urlset/>"  # a .gz file (not an encoding) stays compressed
    assert rss_as_page.error == "content-type"


async def test_unknown_kind_is_a_programming_error() -> None:
    async with Fetcher(settings()) as fetcher:
        with pytest.raises(ValueError, match="unknown fetch kind"):
            await fetcher.fetch("http://127.0.0.1/", kind="image")


@pytest.mark.parametrize(
    "url",
    [
        "http://",
        "ftp://x",
        "http://exa mple.com",
        "http://[::1",
        "",
        "not a url",
        "javascript:alert(1)",
        "http://a..b/",
        "http://x:99999/",
        "//example.com/news",
    ],
)
async def test_malformed_urls_are_invalid(url: str) -> None:
    async with Fetcher(settings(allowed_networks=())) as fetcher:
        fetched = await fetcher.fetch(url)
    assert (fetched.status, fetched.error) == (None, "invalid-url")
    assert fetched.url == url


async def test_oversized_stream_stops_at_the_limit(server: Server) -> None:
    done = server.notes["stream_done"] = threading.Event()
    server.routes["/endless"] = stream_forever
    started = time.monotonic()
    async with Fetcher(settings(max_body_bytes=256 * 1024)) as fetcher:
        fetched = await fetcher.fetch(server.url("/endless"))
    assert (fetched.status, fetched.error) == (200, "too-large")
    assert fetched.body == b""
    assert done.wait(5), "the server kept sending: the client never hung up"
    assert server.notes.get("hung_up")
    assert server.notes["sent"] < 64 * 1024 * 1024
    assert time.monotonic() - started < 3


async def test_declared_length_over_the_limit_is_refused_at_once(server: Server) -> None:
    @server.route("/big")
    def big(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(50 * 1024 * 1024))
        h.end_headers()
        h.wfile.write(b"<p>" * 1000)
        server.stop.wait(5)  # reading on would end in a timeout, not in "too-large"
        h.close_connection = True

    async with Fetcher(settings(max_body_bytes=10_000, read_timeout=0.5)) as fetcher:
        fetched = await fetcher.fetch(server.url("/big"))
    assert fetched.error == "too-large"


async def test_gzip_bomb_is_refused(server: Server) -> None:
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 16 * 1024
    server.routes["/bomb"] = lambda h: h.reply(200, bomb, Content_Encoding="gzip")
    async with Fetcher(settings(max_body_bytes=128 * 1024)) as fetcher:
        fetched = await fetcher.fetch(server.url("/bomb"))
    assert fetched.error == "decompression-bomb"
    assert fetched.body == b""


async def test_body_under_the_limit_is_kept_whole(server: Server) -> None:
    body = b"<p>" + b"a" * 9_000 + b"</p>"
    server.routes["/fits"] = lambda h: h.reply(200, gzip.compress(body), Content_Encoding="gzip")
    async with Fetcher(settings(max_body_bytes=10_000)) as fetcher:
        fetched = await fetcher.fetch(server.url("/fits"))
    assert fetched.ok
    assert fetched.body == body


async def test_slow_answer_times_out(server: Server) -> None:
    @server.route("/slow")
    def slow(h: Handler) -> None:
        server.stop.wait(2)  # longer than the read timeout; released at teardown
        h.reply(200, page())

    started = time.monotonic()
    async with Fetcher(settings(read_timeout=0.1, max_retries=0)) as fetcher:
        fetched = await fetcher.fetch(server.url("/slow"))
    assert (fetched.status, fetched.error) == (None, "timeout")
    assert time.monotonic() - started < 1.5


async def test_stalled_body_times_out(server: Server) -> None:
    @server.route("/stalled")
    def stalled(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b"<html><body>")
        h.wfile.flush()
        server.stop.wait(5)  # the rest never comes
        h.close_connection = True

    async with Fetcher(settings(read_timeout=0.1, max_retries=0)) as fetcher:
        fetched = await fetcher.fetch(server.url("/stalled"))
    assert fetched.error == "timeout"


async def test_trickling_body_hits_the_exchange_deadline(server: Server) -> None:
    @server.route("/trickle")
    def trickle(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        try:
            for _ in range(40):  # every read arrives well within the read timeout, for two seconds
                if server.stop.wait(0.05):
                    break
                h.wfile.write(b"x")
                h.wfile.flush()
        except OSError:
            pass
        h.close_connection = True

    started = time.monotonic()
    async with Fetcher(settings(read_timeout=0.5, exchange_timeout=0.25, max_retries=0)) as fetcher:
        fetched = await fetcher.fetch(server.url("/trickle"))
    assert fetched.error == "timeout"
    assert time.monotonic() - started < 1.5


async def test_a_timeout_is_not_retried_in_the_same_fetch(server: Server) -> None:
    # A timeout has cost a whole deadline already; trying again at once would cost it again.
    @server.route("/once-slow")
    def once_slow(h: Handler) -> None:
        if len(server.hits_on("/once-slow")) == 1:
            server.stop.wait(1)
        h.reply(200, page())

    async with Fetcher(settings(read_timeout=0.2, max_retries=1)) as fetcher:
        fetched = await fetcher.fetch(server.url("/once-slow"))
        assert fetched.error == "timeout"
        assert len(server.hits_on("/once-slow")) == 1
        assert (await fetcher.fetch(server.url("/once-slow"))).ok  # a later fetch is a new chance


async def test_a_broken_connection_is_retried(server: Server) -> None:
    @server.route("/once-broken")
    def once_broken(h: Handler) -> None:
        if len(server.hits_on("/once-broken")) == 1:
            h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\npartial")
            h.close_connection = True
            return
        h.reply(200, page())

    async with Fetcher(settings(max_retries=1)) as fetcher:
        fetched = await fetcher.fetch(server.url("/once-broken"))
    assert fetched.ok
    assert len(server.hits_on("/once-broken")) == 2


async def test_a_slow_robots_txt_has_its_own_shorter_deadline(server: Server) -> None:
    @server.route("/robots.txt")
    def slow_robots(h: Handler) -> None:
        server.stop.wait(5)

    server.routes["/a"] = lambda h: h.reply(200, page())
    started = time.monotonic()
    async with Fetcher(settings(read_timeout=5.0, exchange_timeout=5.0, robots_timeout=0.3)) as fetcher:
        fetched = await fetcher.fetch(server.url("/a"))
    assert fetched.error == "robots-unreachable"
    assert time.monotonic() - started < 2.0
    assert server.hits_on("/a") == []


async def test_a_host_that_keeps_timing_out_is_set_aside(server: Server) -> None:
    @server.route("/robots.txt")
    def robots(h: Handler) -> None:
        h.reply(200, b"", content_type="text/plain")

    for n in range(5):
        server.routes[f"/slow/{n}"] = lambda h: server.stop.wait(5)
    async with Fetcher(settings(read_timeout=0.2, host_failures=3, host_concurrency=1, rate_per_host=100.0)) as f:
        results = [await f.fetch(server.url(f"/slow/{n}")) for n in range(5)]
        assert f.is_set_aside(server.url("/slow/0"))
    assert [r.error for r in results] == ["timeout"] * 3 + ["host-set-aside"] * 2
    assert len([hit for hit in server.hits if hit.path.startswith("/slow/")]) == 3


async def test_connection_refused_is_a_connect_error() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with Fetcher(settings(max_retries=0, respect_robots=False)) as fetcher:
        fetched = await fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert (fetched.status, fetched.error) == (None, "connect-error")


async def test_redirects_are_followed(server: Server) -> None:
    server.routes["/old"] = lambda h: h.reply(301, Location="/mid")
    server.routes["/mid"] = lambda h: h.reply(302, Location=server.url("/new#top"))
    server.routes["/new"] = lambda h: h.reply(200, page("Moved"))
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/old"))
    assert fetched.ok
    assert (fetched.url, fetched.final_url) == (server.url("/old"), server.url("/new"))
    assert b"Moved" in fetched.body


async def test_redirect_loop(server: Server) -> None:
    server.routes["/a"] = lambda h: h.reply(302, Location="/b")
    server.routes["/b"] = lambda h: h.reply(302, Location="/a")
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/a"))
    assert fetched.error == "redirect-loop"
    assert (fetched.status, fetched.final_url) == (302, server.url("/b"))
    assert [hit.path for hit in server.hits if hit.path != "/robots.txt"] == ["/a", "/b"]


async def test_too_many_redirects(server: Server) -> None:
    for n in range(10):
        server.routes[f"/hop/{n}"] = redirect(307, f"/hop/{n + 1}")
    async with Fetcher(settings(max_redirects=3)) as fetcher:
        fetched = await fetcher.fetch(server.url("/hop/0"))
    assert fetched.error == "too-many-redirects"
    assert [hit.path for hit in server.hits if hit.path != "/robots.txt"] == ["/hop/0", "/hop/1", "/hop/2", "/hop/3"]


async def test_exactly_the_redirect_limit_is_allowed(server: Server) -> None:
    for n in range(3):
        server.routes[f"/hop/{n}"] = redirect(308, f"/hop/{n + 1}")
    server.routes["/hop/3"] = lambda h: h.reply(200, page())
    async with Fetcher(settings(max_redirects=3)) as fetcher:
        fetched = await fetcher.fetch(server.url("/hop/0"))
    assert fetched.ok
    assert fetched.final_url == server.url("/hop/3")


@pytest.mark.parametrize("location", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/"])
async def test_redirect_to_a_private_address_is_refused(server: Server, location: str) -> None:
    server.routes["/out"] = lambda h: h.reply(302, Location=location)
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/out"))
    assert fetched.error == "private-address"
    assert fetched.final_url == location
    assert fetched.status is None


async def test_redirect_to_loopback_outside_the_allowed_network_is_refused(server: Server) -> None:
    # Only 127.0.0.1/32 is let through for the test server: the rest of loopback stays refused.
    port = server.base.rsplit(":", 1)[1]
    server.routes["/local"] = lambda h: h.reply(302, Location=f"http://127.0.0.2:{port}/")
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/local"))
    assert fetched.error == "private-address"
    assert [hit.path for hit in server.hits if hit.path != "/robots.txt"] == ["/local"]


async def test_redirect_to_another_scheme_is_invalid(server: Server) -> None:
    server.routes["/ftp"] = lambda h: h.reply(301, Location="ftp://files.example.org/a")
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/ftp"))
    assert fetched.error == "invalid-url"


async def test_cookies_are_not_kept(server: Server) -> None:
    server.routes["/set"] = lambda h: h.reply(200, page(), Set_Cookie="session=abc; Path=/")
    server.routes["/next"] = lambda h: h.reply(200, page())
    async with Fetcher(settings()) as fetcher:
        await fetcher.fetch(server.url("/set"))
        await fetcher.fetch(server.url("/next"))
    assert "cookie" not in server.hits_on("/next")[0].headers
