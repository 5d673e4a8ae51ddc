"""An article's body as HTML for the reader, sanitised.

The body is stored as text blocks and `warta.render.blocks_html` escapes their text, so extracted text cannot
become markup. The HTML still goes through nh3 (the Rust `ammonia` sanitiser) with a short allow-list before
it is marked safe: whatever a later change lets through (an inline link, a block kind rendered as HTML), a
`<script>`, an event-handler attribute or a `javascript:` URL is dropped at this one gate.
"""

from __future__ import annotations

from collections.abc import Iterable

import nh3

from warta.models import Block
from warta.render import blocks_html
from warta.serve.links import WEB_SCHEMES

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
URL_SCHEMES = set(WEB_SCHEMES)


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


def body_html(blocks: Iterable[Block]) -> str:
    """The body blocks as sanitised HTML, ready to be marked safe in a template."""
    return sanitise(blocks_html(blocks))
