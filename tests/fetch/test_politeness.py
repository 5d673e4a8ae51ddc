"""Politeness against a real loopback server: spacing, robots.txt, Retry-After, backoff, host pauses."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from tests.fetch.server import Handler, Server, page, settings
from warta.fetch import Fetcher, FetchFailure
from warta.fetch.politeness import Politeness

pytestmark = pytest.mark.anyio

# Server-side arrival times can bunch up by a few milliseconds relative to the client's starts.
SLACK = 0.03


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


async def test_requests_to_one_host_are_spaced_by_the_rate(server: Server) -> None:
    for n in range(3):
        server.routes[f"/p{n}"] = lambda h: h.reply(200, page())
    async with Fetcher(settings(rate_per_host=10.0, respect_robots=False)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url(f"/p{n}")) for n in range(3)))
    assert all(result.ok for result in results)
    assert all(gap >= 0.1 - SLACK for gap in gaps(sorted(hit.at for hit in server.hits))), gaps(
        [hit.at for hit in server.hits]
    )


async def test_without_a_rate_requests_go_at_once(server: Server) -> None:
    for n in range(3):
        server.routes[f"/p{n}"] = lambda h: h.reply(200, page())
    started = time.monotonic()
    async with Fetcher(settings(rate_per_host=None, respect_robots=False)) as fetcher:
        await asyncio.gather(*(fetcher.fetch(server.url(f"/p{n}")) for n in range(3)))
    assert time.monotonic() - started < 0.3


async def test_robots_disallow_is_obeyed_without_touching_the_page(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(
        200, b"User-agent: *\nDisallow: /private\n", content_type="text/plain"
    )
    server.routes["/private/report"] = lambda h: h.reply(200, page())
    server.routes["/public"] = lambda h: h.reply(200, page())
    async with Fetcher(settings()) as fetcher:
        refused = await fetcher.fetch(server.url("/private/report"))
        allowed = await fetcher.fetch(server.url("/public"))
        again = await fetcher.fetch(server.url("/private/report"))
    assert (refused.status, refused.error) == (None, "robots")
    assert again.error == "robots"
    assert allowed.ok
    assert server.hits_on("/private/report") == []
    assert len(server.hits_on("/robots.txt")) == 1  # fetched once for the fetcher's life


async def test_robots_group_for_warta_is_the_one_obeyed(server: Server) -> None:
    robots = b"User-agent: *\nDisallow: /\n\nUser-agent: Warta\nDisallow: /drafts\n"
    server.routes["/robots.txt"] = lambda h: h.reply(200, robots, content_type="text/plain")
    server.routes["/news"] = lambda h: h.reply(200, page())
    async with Fetcher(settings()) as fetcher:
        news = await fetcher.fetch(server.url("/news"))
        drafts = await fetcher.fetch(server.url("/drafts/1"))
    assert news.ok
    assert drafts.error == "robots"
    assert server.hits_on("/robots.txt")[0].headers["user-agent"].startswith("Warta/")


async def test_redirect_into_a_disallowed_path_is_stopped(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(200, b"User-agent: *\nDisallow: /secret\n")
    server.routes["/go"] = lambda h: h.reply(302, Location="/secret/page")
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/go"))
    assert fetched.error == "robots"
    assert fetched.final_url == server.url("/secret/page")
    assert server.hits_on("/secret/page") == []


async def test_missing_robots_allows_everything(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(404, b"no")
    server.routes["/news"] = lambda h: h.reply(200, page())
    async with Fetcher(settings()) as fetcher:
        fetched = await fetcher.fetch(server.url("/news"))
    assert fetched.ok


async def test_failing_robots_disallows_everything_for_now(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(500, b"oops")
    server.routes["/news"] = lambda h: h.reply(200, page())
    async with Fetcher(settings(max_retries=0)) as fetcher:
        first = await fetcher.fetch(server.url("/news"))
        second = await fetcher.fetch(server.url("/news"))
    assert first.error == second.error == "robots-unreachable"
    assert server.hits_on("/news") == []
    assert len(server.hits_on("/robots.txt")) == 1


async def test_robots_can_be_ignored(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(200, b"User-agent: *\nDisallow: /\n")
    server.routes["/news"] = lambda h: h.reply(200, page())
    async with Fetcher(settings(respect_robots=False)) as fetcher:
        fetched = await fetcher.fetch(server.url("/news"))
    assert fetched.ok
    assert server.hits_on("/robots.txt") == []


async def test_huge_robots_is_read_up_to_its_limit(server: Server) -> None:
    rules = b"User-agent: *\nDisallow: /early\n" + b"# padding\n" * 60_000 + b"Disallow: /late\n"
    server.routes["/robots.txt"] = lambda h: h.reply(200, rules, content_type="text/plain")
    server.routes["/late"] = lambda h: h.reply(200, page())
    async with Fetcher(settings()) as fetcher:
        early = await fetcher.fetch(server.url("/early"))
        late = await fetcher.fetch(server.url("/late"))
    assert early.error == "robots"
    assert late.ok  # the rule past the first 500 KiB is not read (RFC 9309 §2.5)


async def test_crawl_delay_spaces_requests(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(200, b"User-agent: *\nCrawl-delay: 0.2\n")
    for n in range(2):
        server.routes[f"/p{n}"] = lambda h: h.reply(200, page())
    async with Fetcher(settings(rate_per_host=None)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url(f"/p{n}")) for n in range(2)))
    assert all(result.ok for result in results)
    times = [hit.at for hit in server.hits]
    assert next(hit.path for hit in server.hits) == "/robots.txt"
    assert all(gap >= 0.2 - SLACK for gap in gaps(times)), gaps(times)


async def test_429_with_retry_after_waits_and_retries(server: Server) -> None:
    @server.route("/limited")
    def limited(h: Handler) -> None:
        if len(server.hits_on("/limited")) == 1:
            h.reply(429, b"slow down", Retry_After="1")
        else:
            h.reply(200, page("Finally"))

    server.routes["/other"] = lambda h: h.reply(200, page())
    async with Fetcher(settings(respect_robots=False)) as fetcher:
        first = asyncio.ensure_future(fetcher.fetch(server.url("/limited")))
        while not server.hits_on("/limited"):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # the 429 has arrived and paused the host
        other = await fetcher.fetch(server.url("/other"))
        fetched = await first
    assert fetched.ok
    assert b"Finally" in fetched.body
    asked, retried = (hit.at for hit in server.hits_on("/limited"))
    assert retried - asked >= 1.0 - SLACK
    # The pause holds every request to the host, not only the URL that was refused.
    assert other.ok
    assert server.hits_on("/other")[0].at - asked >= 1.0 - SLACK


async def test_503_backs_off_exponentially_then_gives_up(server: Server) -> None:
    server.routes["/down"] = lambda h: h.reply(503, b"down")
    async with Fetcher(settings(respect_robots=False, max_retries=2, backoff_base=0.05)) as fetcher:
        fetched = await fetcher.fetch(server.url("/down"))
    assert (fetched.status, fetched.error) == (503, "http-503")
    times = [hit.at for hit in server.hits_on("/down")]
    assert len(times) == 3
    first, second = gaps(times)
    assert first >= 0.05
    assert second >= 0.1  # doubled


async def test_500_then_success(server: Server) -> None:
    @server.route("/flaky")
    def flaky(h: Handler) -> None:
        h.reply(500 if len(server.hits_on("/flaky")) == 1 else 200, page())

    async with Fetcher(settings(respect_robots=False)) as fetcher:
        fetched = await fetcher.fetch(server.url("/flaky"))
    assert fetched.ok
    assert len(server.hits_on("/flaky")) == 2


async def test_404_is_not_retried(server: Server) -> None:
    async with Fetcher(settings(respect_robots=False, max_retries=3)) as fetcher:
        fetched = await fetcher.fetch(server.url("/gone"))
    assert fetched.error == "http-404"
    assert len(server.hits_on("/gone")) == 1


async def test_long_retry_after_gives_up_for_this_round(server: Server) -> None:
    server.routes["/limited"] = lambda h: h.reply(429, b"later", Retry_After="3600")
    server.routes["/other"] = lambda h: h.reply(200, page())
    started = time.monotonic()
    async with Fetcher(settings(respect_robots=False, max_retry_after=2.0)) as fetcher:
        limited = await fetcher.fetch(server.url("/limited"))
        other = await fetcher.fetch(server.url("/other"))
    assert (limited.status, limited.error) == (429, "retry-later")
    assert other.error == "retry-later"  # the whole host is paused past this round
    assert server.hits_on("/other") == []
    assert len(server.hits_on("/limited")) == 1
    assert time.monotonic() - started < 1


async def test_global_concurrency_limits_requests_in_flight() -> None:
    politeness = Politeness(interval=0.0, concurrency=2)
    in_flight = peak = 0

    async def request(host: str) -> None:
        nonlocal in_flight, peak
        async with politeness.turn(host):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.02)
            in_flight -= 1

    await asyncio.gather(*(request(f"host{n}.example") for n in range(6)))
    assert peak == 2


async def test_host_concurrency_limits_one_host() -> None:
    politeness = Politeness(interval=0.0, concurrency=10, host_concurrency=1)
    in_flight = peak = 0

    async def request() -> None:
        nonlocal in_flight, peak
        async with politeness.turn("example.org"):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.02)
            in_flight -= 1

    await asyncio.gather(*(request() for _ in range(4)))
    assert peak == 1


async def test_a_long_deferral_refuses_at_once() -> None:
    politeness = Politeness(interval=0.0, concurrency=1, max_wait=1.0)
    politeness.defer("Example.org", 60)
    with pytest.raises(FetchFailure) as raised:
        async with politeness.turn("example.org"):
            pass
    assert raised.value.reason == "retry-later"
    async with politeness.turn("other.example"):  # other hosts are not held
        pass
