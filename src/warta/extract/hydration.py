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

# A JSON string literal long enough to hold an article.
MIN_EMBEDDED_CHARS = 500
# Characters before an opening quote that put a string in value position (after ":", ",", "[", "(", "=").
_VALUE_OPENERS = frozenset(":,([= \t\r\n")
# An article's HTML is far below this; a longer literal is a bundle or a data dump, not worth decoding.
MAX_EMBEDDED_CHARS = 1_000_000
# Inline scripts in the page source. Scanning the source rather than a parsed tree spares a second parse
# of the page; script content is raw text in HTML, so the source holds it verbatim. Start and end tags are
# found one after the other (see _inline_scripts), so every character is read once.
_SCRIPT_START = re.compile(r"<script\b([^<>]*+)>", re.IGNORECASE)
_SCRIPT_END = re.compile(r"</script\s*+>", re.IGNORECASE)
_SOURCE_ATTRIBUTE = re.compile(r"\bsrc\s*=", re.IGNORECASE)
# Paragraph markup, raw or JSON-escaped, is what tells an article body from other long strings.
_PARAGRAPH_MARKUP = ("<p", "\\u003cp", "\\u003Cp")


def embedded_html(source: str) -> str | None:
    """Return the longest HTML string with paragraphs found in the inline scripts of the page `source`."""
    best: str | None = None
    for value in _html_strings(source):
        if best is None or len(value) > len(best):
            best = value
    return best


def _inline_scripts(source: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of the code of each inline script (one without a `src`) in the page `source`.

    A start tag's attributes end at the next "<" as well as ">", and a script without an end tag ends the
    scan (no later one can have one either): a single expression with a lazy body, tried from every
    "<script", read the rest of the page from each, quadratic on a page of many unclosed scripts.
    """
    position = 0
    while (start := _SCRIPT_START.search(source, position)) is not None:
        end = _SCRIPT_END.search(source, start.end())
        if end is None:
            return
        if _SOURCE_ATTRIBUTE.search(start.group(1)) is None:
            yield start.end(), end.start()
        position = end.end()


def _html_strings(source: str) -> Iterator[str]:
    for code_start, code_end in _inline_scripts(source):
        if not any(source.find(marker, code_start, code_end) >= 0 for marker in _PARAGRAPH_MARKUP):
            continue
        for start, end in _string_literals(source, code_start, code_end):
            if not MIN_EMBEDDED_CHARS <= end - start <= MAX_EMBEDDED_CHARS:
                continue
            if not any(source.find(marker, start, end) >= 0 for marker in _PARAGRAPH_MARKUP):
                continue
            value = _unescape(source[start:end])
            if value is not None and "<p" in value:
                yield value


def _string_literals(code: str, position: int, stop: int) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) of each double-quoted string literal's content in value position within
    `code[position:stop]`.

    Written as a quote-to-quote scan rather than a regular expression: Python's regex engine keeps a
    backtracking record per escape inside a literal, which costs tens of megabytes on a multi-megabyte
    payload. This loop costs one `str.find` per quote and copies nothing.
    """
    while True:
        opening = code.find('"', position, stop)
        if opening < 0:
            return
        closing = opening + 1
        while True:
            closing = code.find('"', closing, stop)
            if closing < 0:
                return
            backslashes = 0
            while code[closing - 1 - backslashes] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                break
            closing += 1
        before = code[opening - 1] if opening else "="
        if before in _VALUE_OPENERS:
            yield opening + 1, closing
        position = closing + 1


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
