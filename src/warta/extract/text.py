"""The flattened-text path: crawl dumps that hold a page as plain text, furniture included.

This first version keeps prose lines and drops short unpunctuated ones; the line classifier that reads
bylines, datelines and captions out of such text is the next step.
"""

from __future__ import annotations

import re

from warta.errors import EmptyInputError
from warta.extract.decode import decode
from warta.extract.language import resolve_language
from warta.models import Article, Block, BlockKind

# A line counts as prose when it is this long or ends like a sentence.
MIN_PROSE_LINE_CHARS = 80
_SENTENCE_END = re.compile(r"""[.!?…:]["'”’)]*$""")
_TAG = re.compile(r"<[^>]+>")
MIN_TITLE_CHARS = 15


def extract_text(data: str | bytes, url: str | None = None) -> Article:
    """Extract an article from flattened page text."""
    text = decode(data)[0] if isinstance(data, bytes) else data
    lines = [" ".join(_TAG.sub(" ", line).split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise EmptyInputError("the input holds no text")
    title = _title(lines)
    body = [
        Block(BlockKind.PARAGRAPH, line)
        for line in lines
        if _norm(line) != _norm(title) and (len(line) >= MIN_PROSE_LINE_CHARS or _SENTENCE_END.search(line))
    ]
    language, language_source = resolve_language(None, "\n".join(b.text for b in body))
    return Article(
        url=url,
        canonical_url=url,
        title=title,
        language=language,
        body=tuple(body),
        provenance={"title": "text:line", "body": "text:lines", "language": language_source},
    )


def _title(lines: list[str]) -> str | None:
    # A headline is printed more than once on a page (heading, breadcrumb, share text): the longest line of
    # headline shape that recurs is the best cue the flattened text has.
    seen: set[str] = set()
    recurring: list[str] = []
    for line in lines:
        key = " ".join(line.casefold().split())
        if key in seen and len(line) >= MIN_TITLE_CHARS and not _SENTENCE_END.search(line):
            recurring.append(line)
        seen.add(key)
    if recurring:
        return max(recurring, key=len)
    for line in lines:
        if len(line) >= MIN_TITLE_CHARS and not _SENTENCE_END.search(line):
            return line
    return None


def _norm(line: str | None) -> str:
    return " ".join((line or "").casefold().split())
