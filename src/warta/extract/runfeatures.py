"""The features the body scorer reads for each run: what the rules already know, as numbers.

One row per run, built column by column with NumPy so that a page of a thousand runs costs one pass in
Python for the text cues and vector operations for the rest. The same function serves training
(benchmarks/training/body.py) and extraction, so the model always sees what it was trained on; the
feature names are data, and the shipped model's manifest must list exactly these (learned.py checks).

The cues are chosen to hold across sites and languages: shape of the text (length, sentence punctuation,
links), the run's place in the tree (depth, enclosing tags, class-word groups, the rules' furniture and
body marks), its place on the page (position, the prose around it, its neighbours) and what the rules
concluded (the container they would pick). No word of any one site's markup is a feature.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from warta.extract import phrases
from warta.extract import selectors as sel
from warta.extract.runs import PageRuns
from warta.models import BlockKind

_KIND_CODE = {
    BlockKind.PARAGRAPH: 0,
    BlockKind.HEADING: 1,
    BlockKind.LIST_ITEM: 2,
    BlockKind.QUOTE: 3,
    BlockKind.TABLE_ROW: 4,
    BlockKind.PREFORMATTED: 5,
}
_SENTENCE_END = re.compile(r"[.!?。！？…\"”»)]\s*$")
_DIGIT = re.compile(r"\d")
# Punctuation inside sentences: prose has commas and stops, menus and labels have none.
_PUNCT = re.compile(r"[.,;:!?。，、！？]")

# The bits of Run.ancestry / Run.own that become features, by name (see selectors.TAG_MARKS and
# CLASS_WORD_GROUPS). Tags sharing a bit share a name.
_TAG_BITS: dict[int, str] = {}
for _tag, _bit in sel.TAG_MARKS.items():
    _TAG_BITS.setdefault(_bit, "h" if _tag.startswith("h") and _tag[1:].isdigit() else _tag)
_MARK_BITS: dict[int, str] = {
    **_TAG_BITS,
    sel.MARK_STRONG: "strong",
    sel.MARK_WEAK: "weak",
    sel.MARK_HINT: "hint",
    **{1 << (sel.FIRST_WORD_MARK + i): f"w_{name}" for i, (name, _words) in enumerate(sel.CLASS_WORD_GROUPS)},
}
_BITS = sorted(_MARK_BITS)

TEXT_FEATURES: tuple[str, ...] = (
    "log_size",
    "log_words",
    "link_density",
    "kind",
    "level",
    "value_sign",
    "dropped",
    "teaser",
    "depth",
    "ends_sentence",
    "punct_per_word",
    "chars_per_word",
    "digit_share",
    "furniture_line",
    "section_header",
    "dateline",
    "repeats",
)
PAGE_FEATURES: tuple[str, ...] = (
    "position",
    "chars_before",
    "in_rule_container",
    "parent_prose_share",
    "parent_link_density",
    "parent_runs",
    "prev_link_density",
    "next_link_density",
    "prev_value_sign",
    "next_value_sign",
    "prev_log_size",
    "next_log_size",
    "page_log_runs",
    "page_log_prose",
)
MARK_FEATURES: tuple[str, ...] = tuple(f"a_{_MARK_BITS[bit]}" for bit in _BITS) + tuple(
    f"o_{_MARK_BITS[bit]}" for bit in _BITS
)
FEATURES: tuple[str, ...] = TEXT_FEATURES + PAGE_FEATURES + MARK_FEATURES


def _text_row(run: Any, repeats: int) -> list[float]:
    text = run.text
    length = len(text)
    words = text.count(" ") + 1
    return [
        math.log1p(run.size),
        math.log1p(words),
        run.link_chars / length,
        _KIND_CODE[run.kind],
        run.level,
        (run.value > 0) - (run.value < 0),
        run.dropped,
        run.teaser,
        run.depth,
        _SENTENCE_END.search(text) is not None,
        len(_PUNCT.findall(text)) / words,
        length / words,
        len(_DIGIT.findall(text)) / length,
        phrases.is_furniture_line(text),
        phrases.is_section_header(text),
        phrases.is_dateline(text),
        repeats,
    ]


def feature_matrix(page: PageRuns, container: tuple[int, int] | None) -> Any:
    """The feature rows of every run of `page` (a float64 array, FEATURES columns).

    `container` is the span of runs that the rules pick as the article (None: no pick).
    """
    import numpy as np

    runs = page.runs
    count = len(runs)
    if not count:
        return np.zeros((0, len(FEATURES)))
    keys = [" ".join(run.text.casefold().split()) for run in runs]
    seen = Counter(keys)
    text = np.asarray([_text_row(run, seen[key]) for run, key in zip(runs, keys, strict=True)], dtype=np.float64)

    lengths = np.asarray([len(run.text) for run in runs], dtype=np.float64)
    links = np.asarray([run.link_chars for run in runs], dtype=np.float64)
    prose = np.maximum(np.asarray([run.value for run in runs], dtype=np.float64), 0.0)
    index = np.arange(count, dtype=np.float64)
    chars_before = np.concatenate(([0.0], np.cumsum(lengths)[:-1])) / max(lengths.sum(), 1.0)
    inside = np.zeros(count)
    if container is not None:
        inside[container[0] : container[1]] = 1.0
    # The element around each run's block: how much of the page's prose it holds, how linky it is.
    prose_prefix = np.concatenate(([0.0], np.cumsum(prose)))
    link_prefix = np.concatenate(([0.0], np.cumsum(links)))
    char_prefix = np.concatenate(([0.0], np.cumsum(lengths)))
    spans = page.spans
    bounds = np.asarray([spans.get(run.parent, (i, i + 1)) for i, run in enumerate(runs)], dtype=np.int64)
    starts, ends = bounds[:, 0], bounds[:, 1]
    parent_chars = np.maximum(char_prefix[ends] - char_prefix[starts], 1.0)
    total_prose = max(float(prose_prefix[-1]), 1.0)
    density = text[:, 2]
    sign = text[:, 5]
    size = text[:, 0]

    def shifted(values: Any, step: int, fill: float) -> Any:
        out = np.full(count, fill)
        if step > 0:
            out[step:] = values[:-step]
        else:
            out[:step] = values[-step:]
        return out

    page_cols = np.column_stack(
        (
            index / count,
            chars_before,
            inside,
            (prose_prefix[ends] - prose_prefix[starts]) / total_prose,
            (link_prefix[ends] - link_prefix[starts]) / parent_chars,
            np.log1p(ends - starts),
            shifted(density, 1, -1.0),
            shifted(density, -1, -1.0),
            shifted(sign, 1, -2.0),
            shifted(sign, -1, -2.0),
            shifted(size, 1, -1.0),
            shifted(size, -1, -1.0),
            np.full(count, math.log1p(count)),
            np.full(count, math.log1p(total_prose)),
        )
    )
    ancestry = np.asarray([run.ancestry for run in runs], dtype=np.int64)
    own = np.asarray([run.own for run in runs], dtype=np.int64)
    bits = np.asarray(_BITS, dtype=np.int64)
    marks = np.concatenate(((ancestry[:, None] & bits) != 0, (own[:, None] & bits) != 0), axis=1)
    return np.concatenate((text, page_cols, marks.astype(np.float64)), axis=1)
