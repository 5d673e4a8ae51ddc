"""Why a fetch came back without a usable response: the reason codes `Fetched.error` carries.

Inside the fetcher a refusal or failure travels as a `FetchFailure` (a `WartaError`); `Fetcher.fetch`
turns it into a `Fetched` record and never lets it escape, so a crawl counts reasons instead of catching
exceptions. Codes not listed here are ``"http-<status>"``, for a 4xx or 5xx answer kept after retries.
"""

from __future__ import annotations

import enum

from warta.errors import WartaError


class Reason(enum.StrEnum):
    """A short, countable code for one kind of failure or refusal."""

    INVALID_URL = "invalid-url"  # not an absolute http(s) URL with a valid host
    PRIVATE_ADDRESS = "private-address"  # the host is (or resolves to) a non-public address
    DNS_ERROR = "dns-error"  # the host name does not resolve
    ROBOTS = "robots"  # robots.txt disallows the URL
    # robots.txt could not be read (5xx, 429, timeout, unreachable): RFC 9309 says stay out, but only for
    # now, so this is kept apart from "robots", which is the site's standing answer.
    ROBOTS_UNREACHABLE = "robots-unreachable"
    RETRY_LATER = "retry-later"  # the host asked for a pause longer than we wait in one round
    TIMEOUT = "timeout"  # connect, read or whole-response deadline passed
    CONNECT_ERROR = "connect-error"  # refused, unreachable, reset during connect
    TLS_ERROR = "tls-error"  # the certificate or handshake failed
    NETWORK_ERROR = "network-error"  # the connection broke mid-exchange, or the server spoke bad HTTP
    DECODING_ERROR = "decoding-error"  # a Content-Encoding that does not decode
    CONTENT_TYPE = "content-type"  # a media type this kind of request does not want; body not read
    TOO_LARGE = "too-large"  # the body passed the size limit; reading stopped there
    DECOMPRESSION_BOMB = "decompression-bomb"  # the decoded body passed the limit from a small download
    REDIRECT_LOOP = "redirect-loop"  # a redirect led back to a URL already in the chain
    TOO_MANY_REDIRECTS = "too-many-redirects"
    # The host failed or throttled too often this round (`hosts`); not tried again until the next round.
    HOST_SET_ASIDE = "host-set-aside"


class FetchFailure(WartaError):
    """A fetch that ends without a usable response; caught by `Fetcher.fetch`, never raised to callers."""

    def __init__(self, reason: str, *, url: str | None = None, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url  # the hop that failed, when it differs from the URL asked for
        self.status = status  # the HTTP status, when a response had arrived


def http_reason(status: int) -> str:
    """The reason code for an unwanted HTTP status."""
    return f"http-{status}"
