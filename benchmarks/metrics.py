"""Scoring functions of the benchmark: pure functions of one prediction and one truth.

Every function here is tool-agnostic: the benchmark turns each tool's output into plain strings first
(title, author names, an ISO 8601 date or datetime, body text), and the same function then scores both
tools. The rules are documented in benchmarks/README.md; keep the two in step.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# Separators between several names in one string ("A, B and C", "A; B", "A & B", "A und B", "A dan B").
# Applied to truth and prediction alike, so a tool that returns one joined string and a tool that
# returns a list of names are judged the same way.
_NAME_SEPARATORS = re.compile(r"\s*(?:[,;|&/]|\band\b|\bund\b|\bdan\b)\s*", re.IGNORECASE)
_NAME_EDGE_PUNCT = " \t\n.,;:-–—·•|\"'“”‘’()[]"


# --------------------------------------------------------------------------------------------- text


def normalize_space(text: str) -> str:
    """NFC-normalise and collapse every run of whitespace to one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def tokens(text: str | None) -> Counter[str]:
    """The bag of lower-cased ``\\w+`` tokens (NFC first, so decomposed accents stay inside words)."""
    if not text:
        return Counter()
    return Counter(_WORD.findall(unicodedata.normalize("NFC", text).lower()))


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float


def token_prf(predicted: str | None, truth: str | None) -> PRF:
    """Word-level precision, recall and F1 between two token bags (multiset intersection).

    Both empty scores 1.0; exactly one empty scores 0.0.
    """
    pred, gold = tokens(predicted), tokens(truth)
    n_pred, n_gold = sum(pred.values()), sum(gold.values())
    if n_pred == 0 and n_gold == 0:
        return PRF(1.0, 1.0, 1.0)
    if n_pred == 0 or n_gold == 0:
        return PRF(0.0, 0.0, 0.0)
    overlap = sum((pred & gold).values())
    if overlap == 0:
        return PRF(0.0, 0.0, 0.0)
    precision, recall = overlap / n_pred, overlap / n_gold
    return PRF(precision, recall, 2 * precision * recall / (precision + recall))


# ----------------------------------------------------------------------------------------- snippets


@dataclass(frozen=True, slots=True)
class SnippetCounts:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(self.tp + other.tp, self.fn + other.fn, self.fp + other.fp, self.tn + other.tn)

    @property
    def total(self) -> int:
        return self.tp + self.fn + self.fp + self.tn

    def scores(self) -> dict[str, float | None]:
        """Precision, recall, accuracy and F1 over all snippets counted (None where undefined)."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        accuracy = (self.tp + self.tn) / self.total if self.total else None
        if precision is None or recall is None:
            f1 = None
        elif precision + recall == 0:
            f1 = 0.0
        else:
            f1 = 2 * precision * recall / (precision + recall)
        return {"precision": precision, "recall": recall, "accuracy": accuracy, "f1": f1}


def snippet_counts(predicted: str | None, with_: tuple[str, ...], without: tuple[str, ...]) -> SnippetCounts:
    """Count must-have snippets found (TP) or missed (FN), must-not-have found (FP) or absent (TN).

    Whitespace of both the output and the snippet is normalised before the (case-sensitive) substring test.
    """
    text = normalize_space(predicted or "")
    tp = fn = fp = tn = 0
    for snippet in with_:
        if normalize_space(snippet) in text:
            tp += 1
        else:
            fn += 1
    for snippet in without:
        if normalize_space(snippet) in text:
            fp += 1
        else:
            tn += 1
    return SnippetCounts(tp, fn, fp, tn)


# ------------------------------------------------------------------------------------ title, authors


def normalize_title(title: str | None) -> str:
    return normalize_space(title or "").casefold()


def title_match(predicted: str | None, truth: str) -> bool:
    """Exact match after whitespace normalisation and case-folding."""
    return normalize_title(predicted) == normalize_title(truth)


def split_names(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The set of normalised person names in a list of strings, each possibly holding several names."""
    out: set[str] = set()
    for raw in names:
        for part in _NAME_SEPARATORS.split(normalize_space(raw)):
            name = part.strip(_NAME_EDGE_PUNCT).casefold()
            if name:
                out.add(name)
    return frozenset(out)


def authors_match(predicted: list[str] | tuple[str, ...], truth: list[str] | tuple[str, ...]) -> bool:
    """The two sets of normalised names are equal."""
    return split_names(predicted) == split_names(truth)


# -------------------------------------------------------------------------------------------- dates

_DAY_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_moment(value: str | None) -> datetime | date | None:
    """Parse an ISO 8601 day (-> date) or datetime (-> datetime, aware or naive); None if unparseable."""
    if not value:
        return None
    value = value.strip()
    try:
        if _DAY_ONLY.match(value):
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _aware(moment: datetime | date | None) -> bool:
    return isinstance(moment, datetime) and moment.utcoffset() is not None


def truth_has_instant(truth: str | None) -> bool:
    """The truth gives a time of day with a UTC offset, so the minute+offset test applies."""
    return _aware(parse_moment(truth))


def truth_has_day(truth: str | None) -> bool:
    return parse_moment(truth) is not None


def day_match(predicted: str | None, truth: str) -> bool:
    """Same calendar day.

    With an offset in the truth, the prediction (when it has an offset too) is first converted to the
    truth's offset, and the day is read there. Otherwise (naive truth or day-only truth, or a naive or
    day-only prediction) each side's own calendar day is compared.
    """
    gold, pred = parse_moment(truth), parse_moment(predicted)
    if gold is None or pred is None:
        return False
    if isinstance(gold, datetime) and isinstance(pred, datetime) and _aware(gold) and _aware(pred):
        return pred.astimezone(gold.tzinfo).date() == gold.date()
    gold_day = gold.date() if isinstance(gold, datetime) else gold
    pred_day = pred.date() if isinstance(pred, datetime) else pred
    return gold_day == pred_day


def minute_offset_match(predicted: str | None, truth: str) -> bool:
    """Same UTC instant truncated to the minute, and the same UTC offset.

    Needs an aware datetime on both sides; a day-only or naive prediction never matches.
    """
    gold, pred = parse_moment(truth), parse_moment(predicted)
    if not (isinstance(gold, datetime) and isinstance(pred, datetime) and _aware(gold) and _aware(pred)):
        return False
    if gold.utcoffset() != pred.utcoffset():
        return False
    gold_utc = gold.astimezone(UTC).replace(second=0, microsecond=0)
    pred_utc = pred.astimezone(UTC).replace(second=0, microsecond=0)
    return gold_utc == pred_utc
