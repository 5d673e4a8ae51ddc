"""Highlighted matches: the passage of an article that best matches a query, with the matches marked.

Done in Python rather than by FTS5's `snippet()` or PostgreSQL's `ts_headline`: the index holds analysed
terms, not the text people read, and both databases would highlight differently. Here the article's own
text is analysed as the index analysed it, so a stemmed match ("rusuh" for "kerusuhan") is marked too.
The result is HTML: the text is escaped and only `<mark>` is added.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from warta.search import analysis

# A snippet is this many words around the densest cluster of matches.
SNIPPET_WORDS = 36
# Only the start of a long article is searched for a passage: matches are densest near the top of news.
SNIPPET_SCAN_CHARS = 20_000
# Analysing every word of 20 results to place their snippets costs more than the search. A stem is nearly
# always the start of its word, so the first place a wanted term occurs as plain text is found first, and
# only this much text from just before it is analysed.
SNIPPET_REGION_CHARS = 1500
SNIPPET_LEAD_IN_CHARS = 200
ELLIPSIS = "…"


def _matches(text: str, language: str | None, wanted: frozenset[str]) -> list[tuple[analysis.Token, bool]]:
    found = list(analysis.tokens(text))
    stemmed = analysis.terms((token.form for token in found), language)
    plain = analysis.terms((token.form for token in found), None)
    return [(token, term in wanted or bare in wanted) for token, term, bare in zip(found, stemmed, plain, strict=True)]


def _render(text: str, spans: Iterable[tuple[int, int]]) -> str:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        # Character pairs overlap ("東京", "京都"): one mark covers the run.
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out: list[str] = []
    at = 0
    for start, end in merged:
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def mark(text: str, language: str | None, wanted: frozenset[str]) -> str:
    """All of `text` as HTML, with every word matching one of the `wanted` terms marked."""
    return _render(text, [(t.start, t.end) for t, hit in _matches(text, language, wanted) if hit])


def snippet(text: str, language: str | None, wanted: frozenset[str], words: int = SNIPPET_WORDS) -> str:
    """The passage of `text` (about `words` words) with the most matches, as HTML with the matches marked."""
    lowered = text[:SNIPPET_SCAN_CHARS].casefold()
    found = [at for term in wanted if (at := lowered.find(term)) >= 0]
    offset = 0
    if found and min(found) > SNIPPET_LEAD_IN_CHARS:
        # From a word boundary (casefolding can shift offsets by a character or two: the region is a guess).
        offset = text.find(" ", min(found) - SNIPPET_LEAD_IN_CHARS) + 1
    head = text[offset : offset + SNIPPET_REGION_CHARS]
    matched = _matches(head, language, wanted)
    if not matched:
        return ""
    hits = [i for i, (_, hit) in enumerate(matched) if hit]
    best = 0
    if hits:
        # The window of `words` words holding the most matches (two pointers over the hit positions).
        best_count, left = 0, 0
        for right, position in enumerate(hits):
            while position - hits[left] >= words:
                left += 1
            if right - left + 1 > best_count:
                best_count, best = right - left + 1, hits[left]
        best = max(0, best - words // 6)
    window = matched[best : best + words]
    start, end = window[0][0].start, window[-1][0].end
    spans = [(t.start - start, t.end - start) for t, hit in window if hit]
    body = _render(head[start:end], spans)
    prefix = ELLIPSIS + " " if offset + start > 0 else ""
    suffix = " " + ELLIPSIS if offset + end < len(text) else ""
    return prefix + body + suffix
