"""How politely and how defensively the fetcher behaves: one frozen record of knobs with sane defaults."""

from __future__ import annotations

from dataclasses import dataclass, replace

from warta._version import __version__

# Where a site operator who sees Warta in their logs can read what it is and why it visits.
PROJECT_URL = "https://github.com/warta-news/warta"

# The product token robots.txt groups are matched against (RFC 9309 §2.2.1): short, stable across versions.
ROBOTS_TOKEN = "Warta"


def default_user_agent(contact: str | None = None) -> str:
    """The descriptive User-Agent: product/version, where to read about it, and whom to write to."""
    about = f"+{PROJECT_URL}" if contact is None else f"+{PROJECT_URL}; {contact}"
    return f"{ROBOTS_TOKEN}/{__version__} ({about})"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """The fetcher's limits and manners.

    Times are in seconds. `rate_per_host` of 0 or None turns our own politeness off (for benchmarks
    against a local server): no spacing and no per-host cap. Crawl-delay from robots.txt still applies
    while `respect_robots` is on, and a server's Retry-After always does.
    """

    contact: str | None = None  # an e-mail or URL for site operators; goes into the User-Agent
    user_agent: str = ""  # empty: built from the version and `contact`
    robots_token: str = ROBOTS_TOKEN
    rate_per_host: float | None = 1.0  # request starts per second to one host
    host_concurrency: int | None = 2  # requests in flight to one host; None: no per-host cap
    concurrency: int = 8  # requests in flight in total
    respect_robots: bool = True
    connect_timeout: float = 15.0
    read_timeout: float = 30.0  # the longest silence between two reads
    # A server trickling one byte per read timeout would hold a slot forever: one response (connect, headers
    # and body together) gets this long, and a timed-out request is not tried again in the same fetch.
    exchange_timeout: float = 120.0
    # robots.txt gates every URL of its host, and a crawl waits for it: a slow one is given up sooner, and
    # the host is treated as unreachable (RFC 9309 §2.3.1.4) until the file is asked for again.
    robots_timeout: float = 30.0
    # A host is set aside for the rest of the round after this many timeouts or broken connections in a
    # row (each cost up to a deadline), or this many throttling answers (429, 503).
    host_failures: int = 3
    host_throttles: int = 10
    max_body_bytes: int = 20 * 1024 * 1024  # on the decoded body
    max_redirects: int = 5
    max_retries: int = 3  # further attempts after the first, for 429, 5xx, timeouts and broken connections
    backoff_base: float = 1.0  # the first backoff; doubles with every retry
    max_retry_after: float = 300.0  # a longer Retry-After gives the URL up for this round ("retry-later")
    allow_private: bool = False  # let loopback, private and link-local addresses through
    # Networks let through even when not public, e.g. ("10.20.0.0/16",) for an intranet or loopback in tests.
    allowed_networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.user_agent:
            object.__setattr__(self, "user_agent", default_user_agent(self.contact))
        for name in (
            "connect_timeout",
            "read_timeout",
            "exchange_timeout",
            "robots_timeout",
            "backoff_base",
            "max_retry_after",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("max_body_bytes", "concurrency", "host_failures", "host_throttles"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_redirects < 0 or self.max_retries < 0:
            raise ValueError("max_redirects and max_retries cannot be negative")
        if self.host_concurrency is not None and self.host_concurrency < 1:
            raise ValueError("host_concurrency must be at least 1 (or None)")
        if self.rate_per_host is not None and self.rate_per_host < 0:
            raise ValueError("rate_per_host cannot be negative")

    def with_timeout(self, seconds: float) -> FetchSettings:
        """These settings with every deadline at most `seconds` (the `--timeout` option)."""
        return replace(
            self,
            connect_timeout=min(self.connect_timeout, seconds),
            read_timeout=min(self.read_timeout, seconds),
            exchange_timeout=seconds,
            robots_timeout=min(self.robots_timeout, seconds),
        )

    @property
    def interval(self) -> float:
        """Seconds between two request starts to one host, by our own rate alone."""
        return 1.0 / self.rate_per_host if self.rate_per_host else 0.0
