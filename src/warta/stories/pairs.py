"""Whether two reports tell of one happening: features of a pair, and the learned weights that judge them.

The judge is a logistic regression over a handful of features that mean the same in every language and on
every site (how close the embeddings are, how far apart the days, how many figures and names are shared).
Its weights are data (`models/pairs.json`), fitted by `benchmarks/training/stories.py` on the labelled story
set; applying them is a dot product, which needs no library.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from warta.stories.profile import Profile

FEATURES = (
    "cosine",  # of the lead embeddings: the topic
    "cross_language",  # embeddings of two languages sit further apart for the same content ...
    "cosine_cross_language",  # ... so closeness weighs differently across languages
    "days_known",  # both reports are dated (a day, or at worst a year)
    "log_gap_days",  # how far apart, when dated
    "far_apart",  # more than FAR_DAYS apart, when dated
    "shared_numbers",  # figures both give: a toll, a rate, a score
    "number_overlap",  # ... as a share of all their figures
    "shared_names",  # names both give
    "name_overlap",  # ... as a share of all their names
    "decimal_conflict",  # both give decimal figures and none in common: 3.50 is not 3.75
)
FAR_DAYS = 30
MODEL = Path(__file__).resolve().parent / "models" / "pairs.json"


def features(a: Profile, b: Profile) -> list[float]:
    """The pair's features, in the order of FEATURES."""
    cosine = float(np.dot(a.embedding, b.embedding))
    cross = float((a.report.language or "") != (b.report.language or ""))
    gap, known = _gap_days(a, b)
    numbers, names = a.numbers & b.numbers, a.names & b.names
    decimals_a, decimals_b = a.decimals, b.decimals
    return [
        cosine,
        cross,
        cosine * cross,
        known,
        math.log1p(gap) * known,
        float(gap > FAR_DAYS) * known,
        float(len(numbers)),
        len(numbers) / (len(a.numbers | b.numbers) or 1),
        float(len(names)),
        len(names) / (len(a.names | b.names) or 1),
        float(bool(decimals_a) and bool(decimals_b) and not decimals_a & decimals_b),
    ]


def _gap_days(a: Profile, b: Profile) -> tuple[float, float]:
    """Days between two reports, and 1.0 when both are dated; a year alone dates a report to its year."""
    if a.day is not None and b.day is not None:
        return abs((a.day - b.day).days), 1.0
    year_a = a.day.year if a.day is not None else a.year
    year_b = b.day.year if b.day is not None else b.year
    if year_a is not None and year_b is not None:
        return 365.0 * abs(year_a - year_b), 1.0
    return 0.0, 0.0


@dataclass(frozen=True, slots=True)
class PairModel:
    """Logistic regression weights over standardised FEATURES."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, row: list[float]) -> float:
        """The probability that the pair tells of one happening."""
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, row, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 60.0), -60.0)))

    def to_json(self) -> str:
        data = {"features": list(FEATURES), "mean": self.mean, "scale": self.scale, "weights": self.weights}
        return json.dumps({**data, "bias": self.bias}, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PairModel:
        data = json.loads(text)
        if tuple(data["features"]) != FEATURES:
            raise ValueError("the pair model was fitted on other features: retrain it")
        return cls(tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]), float(data["bias"]))


@cache
def shipped() -> PairModel:
    """The pair model shipped with Warta."""
    return PairModel.from_json(MODEL.read_text(encoding="utf-8"))
