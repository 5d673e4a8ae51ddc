"""Article bodies that script-rendered pages ship inside their scripts.

Next.js, Nuxt and React Query pages often send the article as an HTML string inside a JSON payload
(`"contentHtml": "\u003cp\u003e..."`) and an empty page shell around it. A crawler without a browser sees
no article. When a page holds almost no text of its own, the JSON string literals in its inline scripts
that carry paragraph markup are the next place to look.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

Node = Any  # selectolax.lexbor.LexborNode

# A JSON string literal long enough to hold an article, in value position (after ":", ",", "[", "(" or
# "="). Anchoring on the character before the quote keeps the scan linear: an escaped quote inside a
# literal is never preceded by one of them, so no literal is scanned twice.
MIN_EMBEDDED_CHARS = 500
_STRING_LITERAL = re.compile(r'[:,(=\[]\s*"([^"\\]*(?:\\.[^"\\]*)*)"')
# Paragraph markup, raw or JSON-escaped, is what tells an article body from other long strings.
_PARAGRAPH_MARKUP = ("<p", "\\u003cp", "\\u003Cp")


def embedded_html(tree: Node) -> str | None:
    """Return the longest HTML string with paragraphs found in the page's inline scripts, if any."""
    best: str | None = None
    for value in _html_strings(tree):
        if best is None or len(value) > len(best):
            best = value
    return best


def _html_strings(tree: Node) -> Iterator[str]:
    for script in tree.css("script:not([src])"):
        source = script.text(deep=True)
        if not any(marker in source for marker in _PARAGRAPH_MARKUP):
            continue
        for match in _STRING_LITERAL.finditer(source):
            literal = match.group(1)
            if len(literal) < MIN_EMBEDDED_CHARS or not any(marker in literal for marker in _PARAGRAPH_MARKUP):
                continue
            value = _unescape(literal)
            if value is not None and "<p" in value:
                yield value


def _unescape(literal: str) -> str | None:
    try:
        value = json.loads(f'"{literal}"')
    except ValueError:
        return None
    # A JSON document inside a JavaScript string is escaped twice.
    if isinstance(value, str) and "<p" not in value and "\\u003c" in value.lower():
        try:
            value = json.loads(f'"{value}"')
        except ValueError:
            return None
    return value if isinstance(value, str) else None
