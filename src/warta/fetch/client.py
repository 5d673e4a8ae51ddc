"""The fetcher: one pooled HTTP client that fetches politely, refuses what it should, and archives.

`Fetcher.fetch` follows redirects itself, one hop at a time, because every hop must pass the address
guard, robots.txt and the redirect limit; httpx's own redirect following would skip all three. Each hop
is tried up to 1 + `max_retries` times, every attempt waiting for its host's turn (`politeness`). Every
response has a deadline for connect, headers and body together (`exchange_timeout`, `robots_timeout` for
robots.txt), and a host that keeps timing out or throttling is set aside for the round (`hosts`), so no
server can hold a slot longer than one deadline at a time, nor the crawl for long.
A response body is streamed and dropped as soon as it passes the size limit, and never read at all when
its Content-Type does not suit the kind of request. Nothing network-related raises: every failure comes
back as a `Fetched` whose `error` is a reason code (`reasons`).
"""

from __future__ import annotations

import asyncio
import itertools
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookiejar import DefaultCookiePolicy
from types import TracebackType
from typing import Self

import httpx

from warta.fetch.archive import Exchange, Headers, WarcArchive, stored_headers
from warta.fetch.guard import AddressGuard, Resolver, resolve
from warta.fetch.hosts import HostHealth
from warta.fetch.kinds import Kind, accepts, kind_named
from warta.fetch.politeness import Politeness
from warta.fetch.reasons import FetchFailure, Reason, http_reason
from warta.fetch.retry import RETRY_AFTER_STATUSES, RETRY_REASONS, RETRY_STATUSES, backoff, parse_retry_after
from warta.fetch.robots import Robots, RobotsCache, origin_key, robots_from, robots_url
from warta.fetch.settings import FetchSettings
from warta.models import Fetched

# Only the encodings whose expansion is bounded (about 1000:1 for deflate), because httpx decodes each
# network read whole before the size limit can look at it; brotli and zstd can expand far more per read.
ACCEPT_ENCODING = "gzip, deflate"

# A decoded body this many times larger than the bytes downloaded, once past the size limit, is reported
# as a decompression bomb rather than a large page: real HTML compresses 5-20 times, bombs 1000 times.
BOMB_RATIO = 100

# Redirects that carry a Location to follow; 300 and 304 do not redirect anything.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class _Reply:
    """One hop's final answer, after retries: what `Fetched` is built from."""

    url: str
    status: int
    headers: Headers  # lower-case names, as archived
    body: bytes
    fetched_at: datetime

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)

    def fetched(self, asked_for: str) -> Fetched:
        unwanted = not (200 <= self.status < 300 or self.status == 304)
        return Fetched(
            url=asked_for,
            final_url=self.url,
            status=self.status,
            headers=self.headers,
            body=self.body,
            fetched_at=self.fetched_at,
            error=http_reason(self.status) if unwanted else None,
        )


class Fetcher:
    """Fetches URLs politely and safely, archiving every completed exchange when given an archive.

    >>> async with Fetcher(FetchSettings(contact="crawl@example.org")) as fetcher:  # doctest: +SKIP
    ...     page = await fetcher.fetch("https://example.org/news/1")
    ...     page.ok, page.status, page.error

    One fetcher is one crawl round: robots.txt files and per-host pauses are remembered for its life.
    `transport` replaces the network (httpx.MockTransport in tests of callers); `resolver` replaces the
    address guard's DNS lookups (a caching resolver, or a test's). The connection still does its own
    lookup, and its peer address is checked again.
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        archive: WarcArchive | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver = resolve,
    ) -> None:
        self.settings = settings = settings or FetchSettings()
        self.archive = archive
        self._guard = AddressGuard(
            allow_private=settings.allow_private, allowed_networks=settings.allowed_networks, resolver=resolver
        )
        self._politeness = Politeness(
            interval=settings.interval,
            concurrency=settings.concurrency,
            host_concurrency=settings.host_concurrency if settings.rate_per_host else None,
            max_wait=settings.max_retry_after,
        )
        self._robots = RobotsCache()
        self._health = HostHealth(settings.host_failures, settings.host_throttles)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.connect_timeout,
            ),
            limits=httpx.Limits(max_connections=settings.concurrency),
            follow_redirects=False,
            http2=False,
            # Proxies from the environment would make the address guard judge the wrong destination.
            trust_env=False,
            transport=transport,
        )
        # No cookies: each fetch stands alone, so a crawl is reproducible and one site's session never
        # leaks into another request. A site that insists on a cookie redirect shows up as "redirect-loop".
        self._client.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    async def __aenter__(self) -> Self:
        await self._client.__aenter__()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections (the archive belongs to the caller and stays open)."""
        await self._client.aclose()

    def is_set_aside(self, url: str) -> bool:
        """Whether `url`'s host has failed or throttled too often this round (see `warta.fetch.hosts`)."""
        try:
            return self._health.is_set_aside(httpx.URL(url).host)
        except (httpx.InvalidURL, ValueError, UnicodeError):
            return False

    def waiting(self, url: str) -> float:
        """Seconds until `url`'s host may be asked again, after a Retry-After or backoff (0 when now)."""
        try:
            return self._politeness.waiting(httpx.URL(url).host)
        except (httpx.InvalidURL, ValueError, UnicodeError):
            return 0.0

    def set_aside_hosts(self) -> list[str]:
        return self._health.set_aside_hosts()

    async def fetch(
        self, url: str, *, kind: str = "page", etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Fetch `url` as a `kind` ("page", "feed", "sitemap" or "robots"); never raises for network trouble.

        `etag` and `last_modified` (from an earlier fetch) make the request conditional; an unchanged
        resource comes back as status 304 with no error. The body is decoded (gzip and chunking undone)
        and the headers describe it as the archive stores it: the wire's content-encoding,
        transfer-encoding and content-length become x-crawler-*, and content-length is the body's.
        """
        spec = kind_named(kind)
        headers = {"Accept": spec.accept}
        # A validator that cannot go into a header (non-ASCII, as some servers send) is left out: an
        # unconditional GET is always a correct request.
        if etag and etag.isascii():
            headers["If-None-Match"] = etag
        if last_modified and last_modified.isascii():
            headers["If-Modified-Since"] = last_modified
        try:
            return await self._follow(url, spec, headers)
        except FetchFailure as failure:
            return Fetched(
                url=url,
                final_url=failure.url or url,
                status=failure.status,
                fetched_at=datetime.now(UTC),
                error=str(failure.reason),
            )

    async def _follow(self, url: str, kind: Kind, headers: dict[str, str]) -> Fetched:
        current = url
        chain: set[str] = set()  # every URL of this redirect chain, without fragments
        for hops in itertools.count():
            try:
                target = await self._guard.check(current)
                chain.add(str(target.copy_with(fragment=None)))
                if kind.obeys_robots and self.settings.respect_robots:
                    await self._obey_robots(target)
                reply = await self._attempts(target, kind, headers)
            except FetchFailure as failure:
                failure.url = failure.url or current
                raise
            location = reply.header("location") if reply.status in REDIRECT_STATUSES else None
            if not location:
                return reply.fetched(url)
            try:
                following = target.join(location.strip()).copy_with(fragment=None)
            except (httpx.InvalidURL, ValueError, UnicodeError):
                raise FetchFailure(Reason.INVALID_URL, url=location, status=reply.status) from None
            if str(following) in chain:
                raise FetchFailure(Reason.REDIRECT_LOOP, url=reply.url, status=reply.status)
            if hops >= self.settings.max_redirects:
                raise FetchFailure(Reason.TOO_MANY_REDIRECTS, url=reply.url, status=reply.status)
            current = str(following)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _obey_robots(self, target: httpx.URL) -> None:
        async def load() -> Robots:
            rules = robots_from(await self.fetch(robots_url(target), kind="robots"))
            if (delay := rules.crawl_delay(self.settings.robots_token)) > 0:
                self._politeness.set_crawl_delay(target.host, delay)
            return rules

        rules = await self._robots.get(origin_key(target), load)
        if rules.unreachable:
            raise FetchFailure(Reason.ROBOTS_UNREACHABLE)
        if not rules.allows(str(target), self.settings.robots_token):
            raise FetchFailure(Reason.ROBOTS)

    async def _attempts(self, target: httpx.URL, kind: Kind, headers: dict[str, str]) -> _Reply:
        """One hop, retried on 429, 5xx, timeouts and broken connections, each retry pausing the host."""
        settings, host, health = self.settings, target.host, self._health
        for attempt in range(settings.max_retries + 1):
            last = attempt == settings.max_retries
            try:
                if health.is_set_aside(host):
                    raise FetchFailure(Reason.HOST_SET_ASIDE)
                async with self._politeness.turn(host):
                    if health.is_set_aside(host):  # set aside while this request waited for its turn
                        raise FetchFailure(Reason.HOST_SET_ASIDE)
                    reply = await self._exchange(target, kind, headers)
            except FetchFailure as failure:
                health.failed(host, failure.reason)
                if failure.reason not in RETRY_REASONS:
                    raise
                self._politeness.defer(host, self._backoff(attempt))
                if last:
                    raise
                continue
            health.answered(host, reply.status)
            if reply.status not in RETRY_STATUSES:
                return reply
            wait = parse_retry_after(reply.header("retry-after")) if reply.status in RETRY_AFTER_STATUSES else None
            if wait is not None and wait > settings.max_retry_after:
                # Every request to the host waits that long, which is past this round: they all give up.
                self._politeness.defer(host, wait)
                raise FetchFailure(Reason.RETRY_LATER, status=reply.status)
            self._politeness.defer(host, wait if wait is not None else self._backoff(attempt))
            if last:
                return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return backoff(attempt, self.settings.backoff_base, self.settings.max_retry_after)

    async def _exchange(self, target: httpx.URL, kind: Kind, headers: dict[str, str]) -> _Reply:
        """One request and its response, under the whole-exchange deadline; archived once complete."""
        request = self._client.build_request("GET", target, headers=headers)
        deadline = self.settings.exchange_timeout
        if kind.name == "robots":
            deadline = min(deadline, self.settings.robots_timeout)
        # The deadline is enforced twice: by cancellation, and by the body loop checking the clock. httpcore
        # shields parts of a request from cancellation (closing a connection), and a cancellation that lands
        # there is absorbed: without the check, a body dripping within the read timeout then ran unbounded.
        ends_at = time.monotonic() + deadline
        try:
            async with asyncio.timeout(deadline) as limit:
                response = await self._client.send(request, stream=True)
                try:
                    exchange = await self._receive(request, response, kind, ends_at)
                finally:
                    await response.aclose()  # unread body: the connection is dropped, not pooled
            if limit.expired():
                raise TimeoutError
        except TimeoutError:
            raise FetchFailure(Reason.TIMEOUT) from None
        except httpx.HTTPError as error:
            raise FetchFailure(_reason_for(error)) from None
        except OSError:
            raise FetchFailure(Reason.NETWORK_ERROR) from None
        # Outside the network handling on purpose: a full disk is not a network error to retry, and a
        # crawl whose archive cannot be written should stop rather than fetch pages nobody keeps.
        if self.archive is not None:
            self.archive.write(exchange)
        stored = stored_headers(exchange.response_headers, len(exchange.body))
        return _Reply(
            url=exchange.url,
            status=exchange.status,
            headers=tuple((name.lower(), value) for name, value in stored),
            body=exchange.body,
            fetched_at=exchange.fetched_at,
        )

    async def _receive(self, request: httpx.Request, response: httpx.Response, kind: Kind, ends_at: float) -> Exchange:
        """Check the response's origin and type, read its body: the exchange as it will be archived."""
        status = response.status_code
        address = _peer_address(response)
        if address is not None and not self._guard.permits(address):
            raise FetchFailure(Reason.PRIVATE_ADDRESS)  # the name resolved differently for the connection
        if 200 <= status < 300 and not accepts(kind, response.headers.get("content-type")):
            raise FetchFailure(Reason.CONTENT_TYPE, status=status)
        body, truncated = await self._read_body(response, kind, ends_at)
        return Exchange(
            url=str(request.url),
            # h11 speaks HTTP/1.1 whatever the server answers with (http2 is off).
            request_line=f"GET {request.url.raw_path.decode('ascii')} HTTP/1.1",
            request_headers=_decoded(request.headers),
            http_version=response.http_version,
            status=status,
            reason=response.reason_phrase,
            response_headers=_decoded(response.headers),
            body=body,
            fetched_at=datetime.now(UTC),
            ip_address=address,
            truncated=truncated,
        )

    async def _read_body(self, response: httpx.Response, kind: Kind, ends_at: float) -> tuple[bytes, bool]:
        """The decoded body, and whether it was cut at the limit (only kinds that allow truncation)."""
        limit = kind.max_bytes or self.settings.max_body_bytes
        declared = _content_length(response)
        if declared is not None and declared > limit and not kind.truncate:
            raise FetchFailure(Reason.TOO_LARGE, status=response.status_code)
        body = bytearray()
        async for chunk in response.aiter_bytes():
            if time.monotonic() > ends_at:
                raise TimeoutError
            body += chunk
            if len(body) > limit:
                if kind.truncate:
                    return bytes(body[:limit]), True
                bomb = len(body) > BOMB_RATIO * max(response.num_bytes_downloaded, 1)
                raise FetchFailure(Reason.DECOMPRESSION_BOMB if bomb else Reason.TOO_LARGE, status=response.status_code)
        return bytes(body), False


def _decoded(headers: httpx.Headers) -> Headers:
    """Headers in their original case, decoded as httpx decodes them (ASCII, UTF-8 or Latin-1)."""
    return tuple((name.decode(headers.encoding), value.decode(headers.encoding)) for name, value in headers.raw)


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def _peer_address(response: httpx.Response) -> str | None:
    """The IP address the response came from, when the transport tells (httpcore's network stream does)."""
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    address = stream.get_extra_info("server_addr")
    return str(address[0]) if isinstance(address, tuple) and address else None


def _reason_for(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return Reason.TIMEOUT
    if isinstance(error, httpx.UnsupportedProtocol):
        return Reason.INVALID_URL
    if isinstance(error, httpx.ConnectError):
        return Reason.TLS_ERROR if _caused_by(error, ssl.SSLError) else Reason.CONNECT_ERROR
    if isinstance(error, httpx.DecodingError):
        return Reason.DECODING_ERROR
    return Reason.NETWORK_ERROR


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether `kind` is anywhere in the chain of exceptions behind `error` (httpx wraps httpcore's)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
