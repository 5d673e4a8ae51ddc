"""Field values as listings give them: URLs relative, padded, repeated or not web URLs at all; titles with
runs of whitespace and line breaks from pretty-printed XML."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

# Only these lead to pages a crawler can fetch; javascript:, mailto:, data: and the like are dropped.
WEB_SCHEMES = frozenset({"http", "https"})

_SPACE = re.compile(r"\s+")


def web_url(raw: str | None, base: str) -> str | None:
    """Resolve `raw` against `base`; the absolute http(s) URL without its fragment, else None.

    The fragment is dropped because it never reaches the server: `a#comments` and `a` are one page.
    """
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    try:
        absolute = urldefrag(urljoin(base, text)).url
        parts = urlsplit(absolute)
    except ValueError:  # an unparseable netloc, such as an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return absolute


def unique(urls: Iterable[str]) -> list[str]:
    """The URLs in order, each kept at its first appearance."""
    return list(dict.fromkeys(urls))


def is_absolute_web_url(raw: str | None) -> bool:
    """True for a URL that is already absolute http(s), for values that may be opaque ids instead."""
    return raw is not None and web_url(raw, "") is not None


def clean_text(value: object) -> str | None:
    """A string value with whitespace collapsed, or None when it is not a string or is blank."""
    if not isinstance(value, str):
        return None
    text = _SPACE.sub(" ", value).strip()
    return text or None
