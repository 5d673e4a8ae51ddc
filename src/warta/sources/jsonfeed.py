"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/) as listings.

The format is plain JSON with a handful of documented keys, and no maintained library reads it that adds
anything over `json` and the few lines here.
"""

from __future__ import annotations

import json
from typing import Any

from warta.models import Link, Listing
from warta.sources.dates import parse_timestamp
from warta.sources.errors import MalformedJSONError, NotAFeedError
from warta.sources.fields import clean_text, is_absolute_web_url, web_url

# The `version` value every JSON Feed carries: "https://jsonfeed.org/version/1" or ".../1.1".
VERSION_MARKER = "jsonfeed.org/version/"


def looks_like_json(body: bytes) -> bool:
    """True when the document's first non-blank character opens a JSON object."""
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_json_feed(body: bytes, url: str, *, declared: bool = False) -> Listing:
    """Read an unpacked JSON Feed document.

    `declared` says the server labelled it `application/feed+json`; then an object with an `items` list is
    accepted even without the `version` key some generators forget.
    """
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise MalformedJSONError(f"not valid JSON: {error}") from error
    if not isinstance(document, dict):
        raise NotAFeedError("JSON, but not an object")
    version = document.get("version")
    items = document.get("items")
    is_feed = isinstance(version, str) and VERSION_MARKER in version
    if not is_feed and not (declared and isinstance(items, list)):
        raise NotAFeedError("JSON, but not a JSON Feed")
    language = clean_text(document.get("language"))
    links: dict[str, Link] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        target = _item_url(item, url)
        if target is None or target in links:
            continue
        links[target] = Link(
            url=target,
            published=parse_timestamp(clean_text(item.get("date_published"))),
            modified=parse_timestamp(clean_text(item.get("date_modified"))),
            title=clean_text(item.get("title")),
            language=clean_text(item.get("language")) or language,
        )
    return Listing(
        kind="json-feed",
        links=tuple(links.values()),
        title=clean_text(document.get("title")),
        site_url=web_url(clean_text(document.get("home_page_url")), url),
    )


def _item_url(item: dict[str, Any], base: str) -> str | None:
    # `url` is the item's permalink; the spec lets `id` be one too when `url` is missing. `external_url`
    # is deliberately ignored: it points at someone else's page the item comments on.
    if permalink := web_url(clean_text(item.get("url")), base):
        return permalink
    # An `id` is often an opaque number; only one that is already a full URL is taken as a link.
    item_id = clean_text(item.get("id"))
    return item_id if is_absolute_web_url(item_id) else None
