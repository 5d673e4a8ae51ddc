"""Features of the lines of flattened page text, as the learned line scorer reads them.

Every feature is something the rules already look at (`lines.weigh`, the phrase lists, the headline cues),
turned into a number: the line's own shape (length, words, sentence endings, punctuation, digits, capitals,
a bullet), the phrase lists' verdicts, repetition on the page and on the site, where the line stands (on the
page, against the headline, against the stretch the rules chose) and the same shape of its neighbours. A
menu entry, a teaser and a paragraph differ less in themselves than in what stands around them, so the
neighbours' values carry much of the signal.

`rows` is the one function that computes them, for training (benchmarks/training/lines.py) and extraction
alike, so the two cannot drift apart; `FEATURES` names the columns in order and the shipped model's
manifest must list the same names.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from warta.extract import phrases
from warta.extract.credits import split_credit
from warta.extract.lines import Line, ends_sentence, is_sentence
from warta.extract.people import opens_with_label

# The neighbours read on each side, and the wider window whose averages describe the region of the page.
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
REGION = 6
# The credit of a caption is looked for in its last CREDIT_TAIL characters.
CREDIT_TAIL = 120
# Distances (in lines) are capped: beyond this the headline or the stretch is simply far.
FAR = 60

_WORD = re.compile(r"[^\W_]+")
_SENTENCE_MARK = re.compile(r"[.!?。！？…](?:\s|$)")
_WEB = re.compile(r"https?://|www\.|@\w|\.(?:com|org|net|id|de)\b", re.IGNORECASE)
# Separators a menu or breadcrumb trail prints between its entries on one line.
_SEPARATORS = re.compile(r"\s[|/»›>·•]\s")

# The line's own features, then each neighbour's (NEIGHBOURS), then the region's averages.
_OWN = (
    "size_log",
    "words",
    "mean_word_chars",
    "sentence",
    "ends_sentence",
    "sentence_marks",
    "comma_rate",
    "ends_colon",
    "quote",
    "bulleted",
    "raw_links",
    "digit_share",
    "upper_share",
    "capitalised_words",
    "opens_upper",
    "separators",
    "web_address",
    "section_header",
    "furniture_phrase",
    "dateline",
    "label_opens",
    "credit",
    "repeats_on_page",
    "recurring_on_site",
    "rule_weight",
    "non_prose_streak",
    "position",
    "lines_before_log",
    "lines_after_log",
    "in_rule_span",
    "to_rule_span",
    "after_headline",
    "to_headline",
    "slug_share",
    "size_vs_longest",
    "prose_before_share",
    "prose_after_share",
)
_NEIGHBOUR = ("size_log", "sentence", "bulleted", "rule_weight", "section_header", "words", "credit", "dateline")
_REGION = ("sentence", "size_log", "bulleted", "rule_weight")
_PAGE = ("page_lines_log", "page_sentence_share")

FEATURES: tuple[str, ...] = (
    _OWN
    + tuple(f"{name}@{offset:+d}" for offset in NEIGHBOURS for name in _NEIGHBOUR)
    + tuple(f"region_{name}" for name in _REGION)
    + _PAGE
)


@dataclass(frozen=True, slots=True)
class PageCues:
    """What the text path knows about the page beyond its lines, before any model runs."""

    span: tuple[int, int]  # the stretch the rules chose, [start, end)
    headline: int | None  # the index of the headline the rules found, if any
    slug_shares: Sequence[float]  # per line, the share of the URL slug's words it holds


def _signed_log(value: float) -> float:
    return math.copysign(math.log1p(abs(value)), value)


def _own(line: Line, repeats: int, recurring: bool, streak: int) -> dict[str, float]:
    text = line.text
    words = _WORD.findall(text)
    letters = sum(map(str.isalpha, text))
    return {
        "size_log": math.log1p(line.size),
        "words": float(len(words)),
        "mean_word_chars": sum(map(len, words)) / len(words) if words else 0.0,
        "sentence": float(is_sentence(line)),
        "ends_sentence": float(ends_sentence(text)),
        "sentence_marks": float(len(_SENTENCE_MARK.findall(text))),
        "comma_rate": text.count(",") / len(words) if words else 0.0,
        "ends_colon": float(text.endswith(":")),
        "quote": float(text[:1] in "\"“”'‘«„"),
        "bulleted": float(line.bulleted),
        "raw_links": float(len(line.anchors)),
        "digit_share": sum(map(str.isdigit, text)) / len(text) if text else 0.0,
        "upper_share": sum(map(str.isupper, text)) / letters if letters else 0.0,
        "capitalised_words": sum(1 for w in words if w[0].isupper()) / len(words) if words else 0.0,
        "opens_upper": float(text[:1].isupper()),
        "separators": float(len(_SEPARATORS.findall(text))),
        "web_address": float(_WEB.search(text) is not None),
        "section_header": float(phrases.is_section_header(text)),
        "furniture_phrase": float(phrases.is_furniture_line(text)),
        "dateline": float(phrases.is_dateline(text)),
        "label_opens": float(opens_with_label(text)),
        # A credit closes a caption however long the caption is; the end is enough, and keeps the
        # credit patterns' work bounded on a long line.
        "credit": float(split_credit(text[-CREDIT_TAIL:])[1] is not None),
        "repeats_on_page": float(repeats - 1),
        "recurring_on_site": float(recurring),
        "rule_weight": _signed_log(line.weight),
        "non_prose_streak": float(streak),
    }


def rows(lines: Sequence[Line], cues: PageCues, recurring: frozenset[str] = frozenset()) -> list[list[float]]:
    """One row of FEATURES per line, in order; `lines` are weighed by the rules (`lines.weigh`)."""
    count = len(lines)
    if count == 0:
        return []
    counts = Counter(line.key for line in lines)
    own: list[dict[str, float]] = []
    streak = 0
    for line in lines:
        streak = 0 if is_sentence(line) else streak + 1
        own.append(_own(line, counts[line.key], line.key in recurring, streak))
    start, end = cues.span
    longest = max(line.size for line in lines) or 1.0
    prose = [line.size if values["sentence"] else 0.0 for line, values in zip(lines, own, strict=True)]
    total_prose = sum(prose) or 1.0
    sentence_share = sum(values["sentence"] for values in own) / count
    before = 0.0
    for index, (line, values) in enumerate(zip(lines, own, strict=True)):
        values["position"] = index / count
        values["lines_before_log"] = math.log1p(index)
        values["lines_after_log"] = math.log1p(count - 1 - index)
        values["in_rule_span"] = float(start <= index < end)
        if start <= index < end:
            values["to_rule_span"] = 0.0
        else:
            values["to_rule_span"] = float(min(FAR, start - index if index < start else index - end + 1))
            values["to_rule_span"] *= 1.0 if index < start else -1.0
        if cues.headline is None:
            values["after_headline"], values["to_headline"] = -1.0, float(FAR)
        else:
            values["after_headline"] = float(index > cues.headline)
            values["to_headline"] = float(max(-FAR, min(FAR, index - cues.headline)))
        values["slug_share"] = cues.slug_shares[index] if index < len(cues.slug_shares) else 0.0
        values["size_vs_longest"] = line.size / longest
        values["prose_before_share"] = before / total_prose
        before += prose[index]
        values["prose_after_share"] = (total_prose - before) / total_prose
    page = [math.log1p(count), sentence_share]
    # Prefix sums of the region's values: a window's average in constant time per line.
    prefix = [[0.0] * (count + 1) for _ in _REGION]
    for column, name in enumerate(_REGION):
        running = prefix[column]
        for index, values in enumerate(own):
            running[index + 1] = running[index] + values[name]
    table: list[list[float]] = []
    for index, values in enumerate(own):
        row = [values[name] for name in _OWN]
        for offset in NEIGHBOURS:
            other = index + offset
            if 0 <= other < count:
                row += [own[other][name] for name in _NEIGHBOUR]
            else:
                # Beyond the page's edge: nothing, and a wall (no prose) as far as the rules go.
                row += [0.0] * len(_NEIGHBOUR)
        low, high = max(0, index - REGION), min(count, index + REGION + 1)
        span = high - low
        row += [(prefix[column][high] - prefix[column][low]) / span for column in range(len(_REGION))]
        row += page
        table.append(row)
    return table
