"""RFC 9309's answer to each way a robots.txt fetch can end."""

from __future__ import annotations

import pytest

from warta.fetch.robots import FAILURE_MAX_AGE, MAX_AGE, MAX_CRAWL_DELAY, robots_from
from warta.models import Fetched

URL = "https://news.example/robots.txt"
PAGE = "https://news.example/2026/03/01/banjir"


def fetched(status: int | None, body: bytes = b"", error: str | None = None) -> Fetched:
    return Fetched(url=URL, final_url=URL, status=status, body=body, error=error)


def test_rules_are_read_from_a_2xx() -> None:
    rules = robots_from(fetched(200, b"User-agent: Warta\nDisallow: /2026/\nCrawl-delay: 4\n"), now=0.0)
    assert not rules.allows(PAGE, "Warta")
    assert rules.allows(PAGE, "OtherBot")
    assert rules.crawl_delay("Warta") == 4.0
    assert rules.expires_at == MAX_AGE
    assert not rules.unreachable


@pytest.mark.parametrize(
    "result",
    [
        fetched(404, error="http-404"),
        fetched(403, error="http-403"),
        fetched(401, error="http-401"),
        fetched(301, error="too-many-redirects"),
        fetched(302, error="redirect-loop"),
    ],
)
def test_unavailable_robots_allows_everything(result: Fetched) -> None:
    rules = robots_from(result, now=0.0)
    assert rules.allows(PAGE, "Warta")
    assert not rules.unreachable


@pytest.mark.parametrize(
    "result",
    [
        fetched(500, error="http-500"),
        fetched(503, error="http-503"),
        fetched(429, error="http-429"),  # overload, not absence
        fetched(429, error="retry-later"),
        fetched(None, error="timeout"),
        fetched(None, error="connect-error"),
        fetched(None, error="dns-error"),
    ],
)
def test_unreachable_robots_disallows_everything_for_a_while(result: Fetched) -> None:
    rules = robots_from(result, now=0.0)
    assert not rules.allows(PAGE, "Warta")
    assert rules.unreachable
    assert rules.expires_at == FAILURE_MAX_AGE


def test_crawl_delay_is_capped() -> None:
    rules = robots_from(fetched(200, b"User-agent: *\nCrawl-delay: 86400\n"))
    assert rules.crawl_delay("Warta") == MAX_CRAWL_DELAY


def test_undecodable_bytes_do_not_stop_the_rules() -> None:
    rules = robots_from(fetched(200, b"\xff\xfe# \xe9t\xe9\nUser-agent: *\nDisallow: /2026/\n"))
    assert not rules.allows(PAGE, "Warta")
