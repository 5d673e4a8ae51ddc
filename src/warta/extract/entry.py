"""The stage's entry points: `extract` for an HTML page, `extract_any` for HTML or flattened page text.

They live here rather than in the package face so that `warta.extract` binds only what it exports.
"""

from __future__ import annotations

from datetime import datetime

from warta.errors import NotHTMLError
from warta.extract.decode import decode
from warta.extract.html import extract_html, looks_like_html
from warta.extract.limits import check_size
from warta.extract.text import extract_text
from warta.models import Article, DateHints


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    now: datetime | None = None,
    hints: DateHints | None = None,
) -> Article:
    """Extract the article from an HTML page.

    Bytes are decoded as browsers do (byte-order mark, the `content_type` charset, `<meta charset>`, then
    detection). Raises a `warta.errors.ExtractionError` subclass for input that is not an HTML page.
    `now` is when the page was fetched (an aware datetime): relative datelines such as "2 jam lalu" are read
    against it, and no date after it is believed. It defaults to the current time. `hints` is what a crawl
    knows of the page's dates (the feed's date for the URL, the publisher's time zone): evidence weighed with
    the page's own.

    >>> extract("<html><head><title>Hi</title></head><body><p>Hello there, world.</p></body></html>").text
    'Hello there, world.'
    """
    return extract_html(html, url, content_type, now=now, hints=hints)


def extract_any(data: str | bytes, url: str | None = None, *, force_text: bool = False) -> Article:
    """Extract from HTML, or from flattened page text when the input has no HTML markup."""
    check_size(data)
    text = decode(data)[0] if isinstance(data, bytes) else data
    if force_text or not looks_like_html(text):
        return extract_text(text, url)
    try:
        return extract_html(text, url)
    except NotHTMLError:
        return extract_text(text, url)
