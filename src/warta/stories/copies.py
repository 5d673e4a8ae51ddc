"""Copies: one text published twice, by a wire agency's clients under new headlines or by one site at two
addresses. A copy is not another report of the happening; it is folded into the report it copies.

MinHash over word shingles estimates how much of two texts is the same, and locality-sensitive hashing finds
the candidates without comparing every pair (datasketch, the `stories` extra).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from warta.extras import require

# Words per shingle, and the share of shingles two texts must have in common to be copies: wire copy keeps
# its sentences whole, while two reporters' accounts of one event share phrases, not runs of five words.
SHINGLE_WORDS = 5
COPY_SIMILARITY = 0.6
PERMUTATIONS = 64
SEED = 1
# Texts shorter than this many words are not compared: two short teasers look alike by chance.
MIN_WORDS = 25
_WORDS = re.compile(r"\w+")


class Copies:
    """The texts seen so far, to find what a new one copies."""

    def __init__(self) -> None:
        datasketch = require("datasketch", "stories", "Finding copies")
        self._minhash: Any = datasketch.MinHash
        # What is kept of each text: its hash values alone, without the permutations every sketch carries.
        self._lean: Any = datasketch.LeanMinHash
        # Stored values are only comparable with sketches of the same seed and permutation scheme.
        self._scheme = datasketch.MinHash(num_perm=PERMUTATIONS, seed=SEED).scheme
        self._index: Any = datasketch.MinHashLSH(threshold=COPY_SIMILARITY, num_perm=PERMUTATIONS)
        self._hashes: dict[str, Any] = {}
        self._order: dict[str, int] = {}

    def _sketch(self, text: str) -> Any | None:
        words = _WORDS.findall(text.casefold())
        if len(words) < MIN_WORDS:
            return None
        sketch = self._minhash(num_perm=PERMUTATIONS, seed=SEED)
        sketch.update_batch(
            [" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)]
        )
        return sketch

    def values(self, key: str) -> bytes | None:
        """The MinHash values kept for `key`, to store and `load` again later."""
        sketch = self._hashes.get(key)
        return None if sketch is None else bytes(sketch.hashvalues.astype("<u8").tobytes())

    def load(self, key: str, values: bytes) -> None:
        """Remember a text seen before, from its stored MinHash values."""
        hashvalues = np.frombuffer(values, dtype="<u8").astype(np.uint64)
        sketch = self._lean(seed=SEED, hashvalues=hashvalues, scheme=self._scheme)
        self._index.insert(key, sketch)
        self._hashes[key] = sketch
        self._order[key] = len(self._order)

    def add(self, key: str, text: str) -> str | None:
        """Remember `text` under `key`; return the key of the earlier text it copies, if any."""
        if key in self._hashes:  # seen again (re-extracted): the new text replaces the old
            self._index.remove(key)
            del self._hashes[key], self._order[key]
        sketch = self._sketch(text)
        if sketch is None:
            return None
        found = [other for other in self._index.query(sketch) if sketch.jaccard(self._hashes[other]) >= COPY_SIMILARITY]
        lean = self._lean(sketch)
        self._index.insert(key, lean)
        self._hashes[key] = lean
        self._order[key] = len(self._order)
        # The first text seen is the original; later ones are its copies.
        return min(found, key=self._order.__getitem__) if found else None
