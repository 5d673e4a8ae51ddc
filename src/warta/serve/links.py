"""The one gate every stored URL passes before the reader shows it: in a page, a feed or the API's JSON.

The store keeps what it was given. The crawler's extractor drops `javascript:`, `data:` and other schemes
(`warta.extract.urls`), but a program using the library can save an article or a publisher with any URL,
and an older extractor let some through. A `javascript:` address in an `href` runs in the reader's origin
when clicked, and a feed reader or a script handed one may do the same; so the schema, the templates' data
and the feeds all take their URLs from `web_url`, and the body's sanitiser allows the same schemes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from warta.extract.urls import WEB_SCHEMES

__all__ = ["WEB_SCHEMES", "web_url"]


def web_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL with a host, else None.

    `urlsplit` drops leading control characters and spaces and removes tabs and line breaks anywhere, as
    browsers do, so `" java\\tscript:"` is read as the `javascript:` browsers would see, and refused.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # an invalid IPv6 literal in the host, such as "http://[::1"
        return None
    return url if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None
