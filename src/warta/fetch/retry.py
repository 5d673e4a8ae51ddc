"""When to try a URL again, and how long to wait first: Retry-After and exponential backoff with jitter."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from warta.fetch.reasons import Reason

# Statuses that say "not now" rather than "no": the server is overloaded, restarting or rate-limiting us.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

# Statuses whose Retry-After header we obey (RFC 9110 §10.2.3 defines it for 503 and 3xx; RFC 6585 for
# 429); a redirect's Retry-After is about the redirect, not a pause.
RETRY_AFTER_STATUSES = frozenset({429, 503})

# Failures worth another attempt. A refused connection or a DNS failure is not: it is usually still true
# a second later, and the next crawl round will try again anyway. Nor is a timeout: it has already cost a
# whole deadline, and a server that drips its body would cost it again on every attempt.
RETRY_REASONS = frozenset({Reason.NETWORK_ERROR})

# Each backoff is stretched by up to this fraction at random, so hosts that failed together (one CDN
# hiccup) are not all retried in the same instant. Never shortened: the exponential step stays a floor.
JITTER = 0.5


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delay-seconds or an HTTP date); None when absent or garbled."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; an obsolete format may come back naive
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (0 for the first), capped."""
    jitter = 1.0 + JITTER * (rng or random).random()
    return float(min(cap, base * 2**attempt * jitter))
