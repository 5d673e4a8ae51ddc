"""robots.txt: what a fetched robots file (or its absence) permits, and a cache of one per origin.

Parsing is protego's (Scrapy's parser, RFC 9309 compliant). What is written here is the failure policy of
RFC 9309 §2.3.1, which no parser decides for us:

- 2xx: the rules as written (a truncated file keeps the rules of its first 500 KiB, §2.5);
- 4xx other than 429, or too many redirects: the file is "unavailable", everything is allowed;
- 5xx, 429, timeouts and unreachable hosts: the file is "unreachable", everything is disallowed until
  the entry expires, so a crawler never takes a server error as permission. The fetcher reports these
  refusals as "robots-unreachable", apart from "robots", since they say nothing about the URL itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from protego import Protego

from warta.fetch.reasons import Reason
from warta.models import Fetched

# RFC 9309 §2.4: a cached robots.txt should not be used for more than 24 hours.
MAX_AGE = 24 * 3600.0

# A robots.txt that could not be read is asked for again after this long: long enough that a failing
# server is not hammered by every queued URL, short enough that a long-lived fetcher recovers.
FAILURE_MAX_AGE = 15 * 60.0

# Crawl-delay is a request, not a standard; a site asking for an hour between pages would stall its
# queue, so the delay honoured is capped (and the host still gets at most one request per this long).
MAX_CRAWL_DELAY = 60.0

# Failures of the robots fetch that mean "there is no robots.txt" rather than "the server is in trouble".
UNAVAILABLE_REASONS = frozenset({Reason.TOO_MANY_REDIRECTS, Reason.REDIRECT_LOOP})


@dataclass(frozen=True, slots=True)
class Robots:
    """The rules of one origin, or a blanket allow or disallow when there are none to read."""

    parser: Any | None  # a Protego; None when the policy is blanket
    allow_all: bool
    expires_at: float  # time.monotonic() after which the file is fetched again

    @property
    def unreachable(self) -> bool:
        """Whether this is the blanket disallow of a robots.txt that could not be read."""
        return self.parser is None and not self.allow_all

    def allows(self, url: str, token: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, token))

    def crawl_delay(self, token: str) -> float:
        """The Crawl-delay for `token`, capped; 0 when none is given."""
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(token)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0


def robots_from(fetched: Fetched, now: float | None = None) -> Robots:
    """Apply RFC 9309's policy to the result of fetching a robots.txt."""
    now = time.monotonic() if now is None else now
    if fetched.ok:
        parser = Protego.parse(fetched.body.decode("utf-8", errors="replace"))
        return Robots(parser=parser, allow_all=True, expires_at=now + MAX_AGE)
    status = fetched.status
    unavailable = fetched.error in UNAVAILABLE_REASONS or (
        status is not None and 400 <= status < 500 and status != 429  # 429 is overload: "unreachable"
    )
    if unavailable:
        return Robots(parser=None, allow_all=True, expires_at=now + MAX_AGE)
    return Robots(parser=None, allow_all=False, expires_at=now + FAILURE_MAX_AGE)


def origin_key(url: httpx.URL) -> str:
    """The origin a robots.txt governs (RFC 9309 §2.3: scheme, host and port)."""
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.scheme}://{url.raw_host.decode('ascii')}:{port}"


def robots_url(url: httpx.URL) -> str:
    """Where the robots.txt governing `url` lives."""
    host = url.raw_host.decode("ascii")
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{host}{port}/robots.txt"


class RobotsCache:
    """One robots.txt per origin, fetched once however many requests for that origin arrive together."""

    def __init__(self) -> None:
        self._rules: dict[str, Robots] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, origin: str, load: Callable[[], Awaitable[Robots]]) -> Robots:
        """The cached rules of `origin`, loaded with `load` when missing or expired."""
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self._rules.get(origin)
            if rules is None or rules.expires_at <= time.monotonic():
                rules = self._rules[origin] = await load()
            return rules
