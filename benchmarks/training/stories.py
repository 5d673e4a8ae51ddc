"""Fit the story pair model (`warta/stories/models/pairs.json`) on the labelled story set.

    python -m benchmarks.training.stories [--data-dir ../shared/data] [--out src/warta/stories/models]

Every pair of reports in ../shared/data/stories/dev.jsonl is a row of `warta.stories.pairs.FEATURES`,
labelled by whether the two share a story. A logistic regression (scikit-learn, standardised features,
classes weighted to balance: same-story pairs are about one in twenty) is small enough to read and to ship as
weights; `benchmarks/stories.py` measures it leaving each story out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np

from warta.stories.batch import profiles
from warta.stories.embed import E5
from warta.stories.pairs import FEATURES, PairModel, features
from warta.stories.profile import Profile, Report

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "benchmarks" / "results" / "stories-embeddings.npz"
# Regularisation of the logistic regression (scikit-learn's C): the default; there are few features.
C = 1.0


def load(data_dir: Path) -> tuple[list[Report], list[str]]:
    """The reports of the story set and their story labels."""
    reports, labels = [], []
    with (data_dir / "stories" / "dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            published = date.fromisoformat(row["published"][:10]) if row.get("published") else None
            reports.append(
                Report(row["id"], row.get("title"), row.get("text"), row.get("lang"), published, row.get("url"))
            )
            labels.append(row["story"])
    return reports, labels


class CachedE5:
    """E5 embeddings of the story set's leads, kept in benchmarks/results between runs (they take a while)."""

    def __init__(self, path: Path = CACHE) -> None:
        self.path = path
        self.known: dict[str, np.ndarray] = dict(np.load(path)) if path.exists() else {}
        self._engine: E5 | None = None

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha256(text.encode()).hexdigest()[:24] for text in texts]
        missing = [text for key, text in zip(keys, texts, strict=True) if key not in self.known]
        if missing:
            self._engine = self._engine or E5()
            for key, row in zip([k for k in keys if k not in self.known], self._engine(missing), strict=True):
                self.known[key] = row
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, **self.known)
        return np.vstack([self.known[key] for key in keys]) if keys else np.zeros((0, 384), dtype=np.float32)


def pair_rows(read: Sequence[Profile], labels: Sequence[str], keep: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    kept = sorted(set(keep))
    rows = [features(read[i], read[j]) for i, j in combinations(kept, 2)]
    same = [labels[i] == labels[j] for i, j in combinations(kept, 2)]
    return np.array(rows, dtype=float), np.array(same, dtype=bool)


def fit(read: Sequence[Profile], labels: Sequence[str], keep: Iterable[int]) -> PairModel:
    """A pair model fitted on the pairs among the reports `keep`."""
    from sklearn.linear_model import LogisticRegression

    x, y = pair_rows(read, labels, keep)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    regression.fit((x - mean) / scale, y)
    return PairModel(
        tuple(round(float(v), 6) for v in mean),
        tuple(round(float(v), 6) for v in scale),
        tuple(round(float(v), 6) for v in regression.coef_[0]),
        round(float(regression.intercept_[0]), 6),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "warta" / "stories" / "models")
    args = parser.parse_args(argv)
    reports, labels = load(args.data_dir)
    read = profiles(reports, CachedE5())
    model = fit(read, labels, range(len(read)))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "pairs.json").write_text(model.to_json(), encoding="utf-8")
    print(
        f"pair model on {len(read)} reports: "
        + ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, model.weights, strict=True))
    )


if __name__ == "__main__":
    main()
