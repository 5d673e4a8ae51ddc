"""Learned scorers: gradient-boosted models that the extractor consults, shipped inside the package as data.

Each model is a LightGBM text model (`warta/extract/models/<name>.txt`) described in `manifest.json` beside
it: its version, the names of the features it reads (in order), the threshold its probabilities are cut at,
and the SHA-256 of the model file. The rules still compute every feature; a model only decides. The models
are rebuilt from `../shared/data` by `benchmarks/train.py`, reproducibly, and a test pins the shipped files
to that script.

`Models` bundles every scorer the extractor uses, so a benchmark can hand the extractor the models of a
cross-validation fold (trained without the sites it is measured on) instead of the shipped ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from warta.extract.lgbm import load_booster

MANIFEST = "manifest.json"
# The models the extractor knows, by name; a directory may hold any subset of them.
MODEL_NAMES = ("authors", "body", "kind", "lines", "title")


@dataclass(frozen=True, slots=True)
class SourceBits:
    """The sources that give a candidate (a headline, a set of names), as the bits of one int.

    The title and author scorers read which sources agree on a candidate as one 0/1 feature per source;
    `names` lists them most trusted first, the last one the catch-all for any other source.
    """

    names: tuple[str, ...]

    def bit(self, source: str) -> int:
        index = self.names.index(source) if source in self.names else len(self.names) - 1
        return 1 << index

    def first(self, mask: int) -> str:
        """The most trusted source among those in `mask` (which must hold one)."""
        return next(name for index, name in enumerate(self.names) if mask >> index & 1)

    def flags(self, mask: int) -> list[float]:
        """One feature per source: 1.0 where `mask` holds it."""
        return [1.0 if mask >> index & 1 else 0.0 for index in range(len(self.names))]


class ModelError(Exception):
    """A model file that is missing, corrupt or does not match the features the code computes."""


@dataclass(frozen=True, slots=True)
class Scorer:
    """One trained model: feature rows in, probabilities out, one batched call per page."""

    name: str
    version: int
    features: tuple[str, ...]
    threshold: float
    booster: Any  # lgbm.NativeBooster, or lightgbm.Booster where its library cannot be loaded directly

    def predict(self, rows: Any) -> list[float]:
        """The probability that each row (a sequence of feature values, or a 2-D array) is article text."""
        import numpy as np

        matrix = np.asarray(rows, dtype=np.float64)
        if matrix.size == 0:
            return []
        if matrix.shape[1] != len(self.features):
            raise ModelError(f"{self.name}: {matrix.shape[1]} features given, the model reads {len(self.features)}")
        # One thread: pages are small, and a batch job runs one extraction per core already.
        return [float(p) for p in self.booster.predict(matrix, num_threads=1)]


@dataclass(frozen=True, slots=True)
class Models:
    """The learned scorers the extractor consults; None where a model is not available."""

    body: Scorer | None = None
    kind: Scorer | None = None
    lines: Scorer | None = None
    title: Scorer | None = None
    authors: Scorer | None = None

    @classmethod
    def shipped(cls) -> Models:
        """The models inside the package (loaded once per process)."""
        return _shipped()

    @classmethod
    def from_dir(cls, path: Path | str) -> Models:
        """The models in a directory laid out like `warta/extract/models/` (a manifest and model files)."""
        return _load_dir(Path(path))

    @classmethod
    def none(cls) -> Models:
        """No models at all: the rules alone decide (for comparisons)."""
        return cls()


def _read_manifest(text: str) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise ModelError(f"unreadable model manifest: {exc}") from exc
    if not isinstance(manifest, dict):
        raise ModelError("the model manifest is not an object")
    return manifest


def _load(name: str, entry: dict[str, Any], data: bytes) -> Scorer:
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.get("sha256"):
        raise ModelError(f"{name}: model file does not match its manifest (sha256 {digest[:12]}…)")
    booster = load_booster(data.decode("utf-8"))
    features = tuple(entry["features"])
    if tuple(booster.feature_name()) != features:
        raise ModelError(f"{name}: the model's features differ from its manifest")
    return Scorer(name, int(entry["version"]), features, float(entry["threshold"]), booster)


@cache
def _shipped() -> Models:
    folder = resources.files("warta.extract") / "models"
    manifest_file = folder / MANIFEST
    if not manifest_file.is_file():
        return Models()
    return _load_dir(folder)


def _load_dir(folder: Any) -> Models:
    """The models a manifest in `folder` lists (a `Path`, or the package's resource folder)."""
    manifest = _read_manifest((folder / MANIFEST).read_text(encoding="utf-8"))
    found = {
        name: _load(name, entry, (folder / entry["file"]).read_bytes())
        for name, entry in manifest.items()
        if name in MODEL_NAMES
    }
    return Models(**found)
