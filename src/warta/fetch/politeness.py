"""Per-host politeness: requests to one host are spaced, capped, and paused when the host asks.

Every request of every kind (pages, feeds, sitemaps, robots.txt, retries) takes a `turn` for its host.
A host's turns start at least max(1 / rate, Crawl-delay) apart, at most `host_concurrency` of them are in
flight, and `defer` pushes the host's next turn back, for every request queued for it, after a 429 or
503 with Retry-After or a failure that calls for backoff. A deferral longer than the fetcher waits in
one round turns the queued requests into "retry-later" at once instead of holding them.

The global concurrency limit is taken last, once the host's turn has come, so requests waiting for a
slow host's Crawl-delay never hold slots other hosts could use.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

from warta.fetch.reasons import FetchFailure, Reason


@dataclass(slots=True)
class _Host:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one waiter at a time decides the next start
    gate: asyncio.Semaphore | None = None  # requests in flight to this host
    last_start: float | None = None
    crawl_delay: float = 0.0
    deferred_until: float = 0.0

    def ready_at(self, interval: float) -> float:
        spaced = 0.0 if self.last_start is None else self.last_start + max(interval, self.crawl_delay)
        return max(spaced, self.deferred_until)


class Politeness:
    """The per-host schedule of one fetcher (state owned by the fetcher, never module-global)."""

    def __init__(
        self,
        *,
        interval: float,
        concurrency: int,
        host_concurrency: int | None = None,
        max_wait: float = 300.0,
    ) -> None:
        self.interval = interval
        self.host_concurrency = host_concurrency
        self.max_wait = max_wait
        self._slots = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, _Host] = {}

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            gate = asyncio.Semaphore(self.host_concurrency) if self.host_concurrency else None
            state = self._hosts[host] = _Host(gate=gate)
        return state

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[None]:
        """Wait for `host`'s next turn and a free slot; hold both for the exchange.

        Raises `FetchFailure("retry-later")` when the host has been deferred beyond `max_wait`.
        """
        state = self._host(host.lower())
        async with AsyncExitStack() as stack:
            if state.gate is not None:
                await stack.enter_async_context(state.gate)
            async with state.lock:
                # Re-read after every sleep: a deferral may arrive from another request meanwhile.
                while (wait := state.ready_at(self.interval) - time.monotonic()) > 0:
                    if state.deferred_until - time.monotonic() > self.max_wait:
                        raise FetchFailure(Reason.RETRY_LATER)
                    await asyncio.sleep(wait)
                await stack.enter_async_context(self._slots)
                state.last_start = time.monotonic()
            yield

    def defer(self, host: str, seconds: float) -> None:
        """Start no request to `host` for `seconds` from now (an earlier deferral is never shortened)."""
        state = self._host(host.lower())
        state.deferred_until = max(state.deferred_until, time.monotonic() + seconds)

    def waiting(self, host: str) -> float:
        """Seconds until `host` may be asked again after a pause it asked for (0 when none)."""
        state = self._hosts.get(host.lower())
        return max(0.0, state.deferred_until - time.monotonic()) if state is not None else 0.0

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """Space `host`'s requests at least `seconds` apart from now on (robots.txt Crawl-delay)."""
        self._host(host.lower()).crawl_delay = seconds
