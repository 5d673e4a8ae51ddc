"""What every scorer's training shares: the sample table, a deterministic LightGBM fit, the manifest.

A model is rebuilt byte for byte from the same data: one thread, fixed seeds, row-wise histograms and
LightGBM's deterministic mode. The manifest entry records what the extractor checks when it loads the
model (features in order, version, threshold, sha256) and what a reader needs to trust it (the data and
the number of rows and sites it was trained on).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.datasets import Page, load, read_html

# Small trees and few of them: the model ships in the package and runs once per page in the hot path; on
# a few thousand pages more capacity only learns the sites (measured out-of-fold, see benchmarks/train.py).
LGB_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.08,
    "num_leaves": 24,
    "max_depth": 6,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "seed": 20261202,
}
ROUNDS = 200


# The labelled sets every scorer learns from, and those whose pages are news, which some scorers weigh more.
SETS = ("wcxb-dev", "fundus", "id-news", "trafilatura-eval")
NEWS_SETS = frozenset({"fundus", "id-news"})


def html_pages(
    data_dir: Path, keep: Callable[[str, Page], bool] = lambda _name, _page: True
) -> Iterator[tuple[str, Page, str]]:
    """Every page of the labelled sets that `keep` takes and that decodes to HTML: (set name, page, text)."""
    from warta.errors import WartaError
    from warta.extract.decode import decode
    from warta.extract.html import looks_like_html

    for name in SETS:
        for page in load(name, data_dir):
            if not keep(name, page):
                continue
            try:
                text, _codec = decode(read_html(page.path))
            except WartaError:
                continue
            if looks_like_html(text):
                yield name, page, text


@dataclass(slots=True)
class Samples:
    """Labelled rows: one per run (or line), with the site its page came from for fold splits."""

    features: tuple[str, ...]
    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def add(self, row: list[float], label: int, weight: float, site: str, page: str) -> None:
        self.rows.append(row)
        self.labels.append(label)
        self.weights.append(weight)
        self.sites.append(site)
        self.pages.append(page)

    def extend(self, other: Samples) -> None:
        if other.features != self.features:
            raise ValueError("samples of different feature sets")
        self.rows += other.rows
        self.labels += other.labels
        self.weights += other.weights
        self.sites += other.sites
        self.pages += other.pages

    def where(self, keep: Iterable[bool]) -> Samples:
        picked = Samples(self.features)
        for flag, row, label, weight, site, page in zip(
            keep, self.rows, self.labels, self.weights, self.sites, self.pages, strict=True
        ):
            if flag:
                picked.add(row, label, weight, site, page)
        return picked


def fit(samples: Samples, rounds: int = ROUNDS, params: dict[str, Any] | None = None) -> Any:
    """Train a LightGBM booster on `samples`, the same bytes for the same samples."""
    import lightgbm
    import numpy as np

    data = lightgbm.Dataset(
        np.asarray(samples.rows, dtype=np.float64),
        label=np.asarray(samples.labels, dtype=np.float64),
        weight=np.asarray(samples.weights, dtype=np.float64),
        feature_name=list(samples.features),
        free_raw_data=True,
    )
    return lightgbm.train({**LGB_PARAMS, **(params or {})}, data, num_boost_round=rounds)


def model_text(booster: Any) -> bytes:
    return str(booster.model_to_string()).encode("utf-8")


def write_model(
    out_dir: Path, name: str, booster: Any, version: int, threshold: float, samples: Samples, data: str
) -> dict[str, Any]:
    """Write `<name>.txt` and its manifest entry into `out_dir` (other models' entries are kept)."""
    text = model_text(booster)
    entry = model_entry(name, text, version, threshold, samples, data)
    write_entry(out_dir, name, text, entry)
    return entry


def model_entry(name: str, text: bytes, version: int, threshold: float, samples: Samples, data: str) -> dict[str, Any]:
    """The manifest entry of a model whose file holds `text`."""
    return {
        "file": f"{name}.txt",
        "version": version,
        "features": list(samples.features),
        "threshold": threshold,
        "sha256": hashlib.sha256(text).hexdigest(),
        "trained_on": data,
        "rows": len(samples.rows),
        "pages": len(set(samples.pages)),
        "sites": len(set(samples.sites)),
    }


def write_entry(out_dir: Path, name: str, text: bytes, entry: dict[str, Any]) -> None:
    """Write a model's file and put its entry in `out_dir`'s manifest (other models' entries are kept)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / entry["file"]).write_bytes(text)
    manifest_path = out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    manifest[name] = entry
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
