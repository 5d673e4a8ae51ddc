"""An article's body as HTML for the reader, sanitised.

The body is stored as text blocks, and the templates escape every value, so extracted text cannot become
markup. The HTML built here still goes through nh3 (the Rust `ammonia` sanitiser) with a short allow-list
before it is marked safe: whatever a later change lets through (an inline link, a block kind rendered as
HTML), a `<script>`, an event-handler attribute or a `javascript:` URL is dropped at this one gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

import nh3

from warta.extract.selectors import CELL_SEPARATOR

# What the reader's body may contain: structure and emphasis, links and images over http(s) only.
ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "code", "table", "tbody", "tr",
    "td", "figure", "figcaption", "img", "a", "em", "strong", "b", "i", "mark", "br", "small", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "span": {"class"},
    "small": {"class"},
}
URL_SCHEMES = {"http", "https"}


def sanitise(html: str) -> str:
    """`html` with everything outside the allow-list removed; links get rel=noopener noreferrer nofollow."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _heading(level: int) -> str:
    # The page's headline is the one <h1>; body headings start one level below it.
    return f"h{min(max(level, 1) + 1, 6)}"


# Consecutive blocks of these kinds share one wrapping element.
_WRAPPERS = {"list_item": ("<ul>", "</ul>"), "table_row": ("<table><tbody>", "</tbody></table>")}


def _block(kind: str, text: str, level: int) -> str:
    if kind == "heading":
        tag = _heading(level)
        return f"<{tag}>{text}</{tag}>"
    if kind == "quote":
        return f"<blockquote><p>{text}</p></blockquote>"
    if kind == "list_item":
        return f"<li>{text}</li>"
    if kind == "preformatted":
        return f"<pre>{text}</pre>"
    if kind == "table_row":
        return "<tr>" + "".join(f"<td>{cell.strip()}</td>" for cell in text.split(CELL_SEPARATOR.strip())) + "</tr>"
    return f"<p>{text}</p>"


def render(blocks: Iterable[Mapping[str, Any]]) -> str:
    """The body blocks (as stored, `Block` dicts) as sanitised HTML."""
    out: list[str] = []
    wrapper: str | None = None
    for block in blocks:
        kind = str(block.get("kind", "paragraph"))
        if kind != wrapper:
            if wrapper is not None:
                out.append(_WRAPPERS[wrapper][1])
            wrapper = kind if kind in _WRAPPERS else None
            if wrapper is not None:
                out.append(_WRAPPERS[wrapper][0])
        out.append(_block(kind, escape(str(block.get("text", ""))), int(block.get("level") or 1)))
    if wrapper is not None:
        out.append(_WRAPPERS[wrapper][1])
    return sanitise("\n".join(out))
