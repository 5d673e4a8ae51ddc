"""Turn the runs of the body container into the article's blocks, or a listing's.

The container holds more than the article: a repeated headline, datelines and credits at its edges,
widget labels printed twice, "Baca juga" lines, and, past a related-articles or comments header, other
articles' teasers. What is dropped here, and why, is data: the thresholds below and the phrase lists of
`phrases`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import islice, pairwise

from warta.extract import phrases
from warta.extract import selectors as sel
from warta.extract.runs import Run, is_kept
from warta.models import Block, BlockKind

# At the edges of the article, a run shorter than this that does not end like a sentence is a label.
MAX_EDGE_LABEL_CHARS = 50

# A line up to this long that the container prints more than once is printed once: articles do not repeat
# their sentences, widgets and pitches do (a marketing list twice, a description for mobile and desktop).
# A repeated short label ("Article content", "Box aufklappen") is not printed at all.
MAX_REPEATED_CHARS = 200

# A related-articles or comments header ends the article once this share of the container's prose is
# behind it; earlier, it is only a box inside the article and just the header goes.
TAIL_SHARE = 0.5

# A related-articles header over links is a box in the middle of the article, not its end, when at least
# this many paragraphs of at least this much prose follow it, in the same element as the paragraphs before
# it, ahead of the next header. Teaser summaries and widget text after a real tail sit elsewhere.
MIN_RESUME_PARAGRAPHS = 2
MIN_RESUME_PARAGRAPH = 100


_SENTENCE_END = re.compile(r"[.!?。！？…\"”»)]\s*$")


def blocks_from_runs(runs: list[Run], title: str | None) -> list[Block]:
    """Turn the runs of the body container into blocks.

    Drops link lists, a repeated headline, furniture lines ("Baca juga: ...", credits, copyright), short
    lines printed more than once (widget labels, duplicated subscription pitches), and everything after a
    related-articles or comments header met once most of the article's prose is read, unless that header
    only heads a box of links that the article's paragraphs continue after (see _resumes).
    """
    title_key = _key(title) if title else None
    # A related-articles header the body model refuses still marks where the article ends.
    candidates = [run for run in runs if is_kept(run) or (run.learned is False and _is_marker(run))]
    # Headers that stand over links the body does not keep (related headlines, teaser cards): a box.
    over_links = {id(run) for run, after in pairwise(runs) if not is_kept(after) and is_kept(run)}
    counts = Counter(_key(run.text) for run in candidates if len(run.text) <= MAX_REPEATED_CHARS)
    printed: set[str] = set()
    kept = []
    for run in candidates:
        key = _key(run.text)
        if run.kind is BlockKind.HEADING and key == title_key:
            continue
        if len(run.text) <= MAX_REPEATED_CHARS and counts[key] > 1:
            # The copies go; a label goes altogether.
            if key in printed or _is_label(run.text):
                continue
            printed.add(key)
        kept.append(run)
    kept = _trim_edges(kept)
    total = sum(max(run.value, 0.0) for run in kept)
    blocks: list[Block] = []
    seen = 0.0
    flow: int | None = None  # the element around the last paragraph read (see _resumes)
    for index, run in enumerate(kept):
        if phrases.is_section_header(run.text):
            boxed = id(run) in over_links and _resumes(flow, islice(kept, index + 1, None))
            if seen >= TAIL_SHARE * total and not boxed:
                break
            continue
        seen += max(run.value, 0.0)
        if run.kind is BlockKind.PARAGRAPH and run.value > 0:
            flow = run.parent
        if phrases.is_furniture_line(_line(run)):
            continue
        blocks.append(Block(run.kind, run.text, run.level))
    return blocks


def _is_marker(run: Run) -> bool:
    return not run.dropped and phrases.is_section_header(run.text)


def _resumes(flow: int | None, rest: Iterable[Run]) -> bool:
    """Whether the article goes on after a box of links: paragraphs in the article's `flow` element follow
    before the next header. The scan stops at that header, so all the scans of a page cost one pass."""
    paragraphs = 0
    for run in rest:
        if phrases.is_section_header(run.text):
            break
        if run.kind is BlockKind.PARAGRAPH and run.value >= MIN_RESUME_PARAGRAPH and run.parent == flow:
            paragraphs += 1
    return paragraphs >= MIN_RESUME_PARAGRAPHS


def _line(run: Run) -> str:
    """The run as a line of text: a table row's cells joined by spaces ("Penulis | : Ferril" reads as a byline)."""
    return run.text.replace(sel.CELL_SEPARATOR, " ") if run.kind is BlockKind.TABLE_ROW else run.text


def _is_edge_furniture(run: Run) -> bool:
    """A run that means nothing on its own: a dateline, a name, "Audio", a photo credit."""
    if run.kind is BlockKind.HEADING or (run.kind is BlockKind.TABLE_ROW and run.value > 0):
        return False
    text = run.text
    if run.value <= 0 or phrases.is_dateline(text):
        return True
    return _is_label(text)


def _is_label(text: str) -> bool:
    """A label or a name ("Editor", ": Ervan Hardoko", "Article content") rather than a sentence."""
    return len(text) < MAX_EDGE_LABEL_CHARS and not _SENTENCE_END.search(text)


def _trim_edges(runs: list[Run]) -> list[Run]:
    """Drop the non-prose runs before the article's first and after its last piece of prose.

    Datelines, bylines, reading times and credits gather at the edges of the body container; inside the
    article the same short runs are list items or table cells and stay.
    """
    start, end = 0, len(runs)
    while start < end and _is_edge_furniture(runs[start]):
        start += 1
    while end > start and _is_edge_furniture(runs[end - 1]):
        end -= 1
    return runs[start:end]


def listing_blocks(runs: list[Run]) -> list[Block]:
    """The blocks of a listing: every kept run, teaser headlines (links) included."""
    return [
        Block(run.kind, run.text, run.level)
        for run in runs
        if not run.dropped and not phrases.is_section_header(run.text) and not phrases.is_furniture_line(_line(run))
    ]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
