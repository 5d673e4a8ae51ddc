"""py3langid's language identifier, loaded without a second copy of its tables and run over NumPy arrays.

py3langid scores a text by the byte n-grams it holds, found by walking an Aho-Corasick automaton over the
text one byte at a time in Python: 1.3 ms for the 3,000 characters `language.detect` reads, 8% of an
extraction. In such an automaton the state after a byte is the longest suffix of the text so far that
begins some pattern, so it depends only on the last `window` bytes, where `window` is the longest pattern.
Every position's state is then `window` vectorised steps away from the start state, and the n-gram counts
are the same, found in the same order, so the scores are py3langid's to the bit (tests/extract/test_detector.py
compares them on every page of the shared sets' samples and checks the window on the model itself).

The window is only known for a model it was measured on; any other model file is walked byte by byte by
py3langid's own code.
"""

from __future__ import annotations

import hashlib
import lzma
import shutil
import tempfile
from functools import cache
from typing import Any

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

# The model py3langid 0.4 ships, and the length of its longest n-gram in bytes (the deepest state of its
# automaton is 6 transitions from the start; the test measures it).
KNOWN_WINDOWS = {"f4f4a2c3465ca1f081541037f9cac23021d68151c2f709c55ae5eedfca522963": 6}

# The arrays of py3langid's model file (an LZMA-compressed NumPy archive) that the frugal loader reads.
_MODEL_ARRAYS = frozenset({"ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat"})


@cache
def identifier() -> LanguageIdentifier:
    """The identifier, loaded once per process (~300 ms), normalised probabilities on."""
    path = MODEL_DIR / MODEL_FILE
    try:
        return _load_frugally(KNOWN_WINDOWS.get(hashlib.sha256(path.read_bytes()).hexdigest()))
    except (KeyError, TypeError, ValueError):
        # Another py3langid model layout: its own loader knows it.
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _load_frugally(window: int | None) -> LanguageIdentifier:
    """Load py3langid's model without ever holding its 39 MB transition table twice.

    py3langid's own loader copies the table from a NumPy array into a stdlib `array` while the NumPy copy is
    still alive, which made it the process's high-water mark (136 against 107 MB of RSS, measured), and
    keeps two tables of 100,000 states as lists of Python ints (7 MB). Here the NumPy arrays are used as
    they were read, and for a model of known window the transition table is read in chunks straight into
    the split form of `SplitTable` (21 MB instead of 39): same numbers, same arithmetic, same rankings.
    """
    import numpy as np

    with tempfile.TemporaryFile(suffix=".npz") as unpacked:
        # Unpacked to disk as py3langid does, so the uncompressed archive is never resident either.
        with lzma.open(MODEL_DIR / MODEL_FILE) as packed:
            shutil.copyfileobj(packed, unpacked, length=1 << 20)
        unpacked.seek(0)
        with np.load(unpacked, allow_pickle=False) as data:
            if not set(data.files) >= _MODEL_ARRAYS:
                raise KeyError("unknown py3langid model layout")
            arrays = {name: data[name] for name in _MODEL_ARRAYS - {"nextmove"}}
            if window is None:
                table: Any = data["nextmove"]
            else:
                with data.zip.open("nextmove.npy") as member:
                    table = SplitTable.read(member)
    identifier = WindowedIdentifier(
        arrays["ptc"],
        arrays["pc"],
        arrays["classes"].tolist(),
        table,
        arrays["out_feat"],
        norm_probs=True,
        tk_row=(),  # set by use_arrays: py3langid would turn it into a list of Python ints
    )
    identifier.use_arrays(arrays["nextmove_row"], window)
    return identifier


class SplitTable:
    """The automaton's transition table as the low 16 bits of each state number and a bit array of the 17th.

    The model's 104,583 states need 17 bits, so NumPy stores them in 32; split, the table takes 21 MB of
    memory instead of 39, and a lookup is three gathers instead of one, over arrays of a few thousand
    positions. Tables with larger state numbers are refused (the caller then loads py3langid's own way).
    """

    # Elements read at a time: a multiple of 8, so each chunk fills whole bytes of the bit array, and small
    # enough (64 KB) that malloc serves the chunk and its temporaries from the heap, reusing them; 4 MB
    # chunks were mapped and unmapped, which made glibc raise its mapping threshold and leave 12 MB of
    # freed heap resident after the load (measured with malloc_trim).
    CHUNK = 1 << 14

    def __init__(self, low: Any, high: Any) -> None:
        self.low = low
        self.high = high

    @classmethod
    def read(cls, stream: Any) -> SplitTable:
        """Read a 1-D unsigned `.npy` array from `stream` chunk by chunk, never holding it whole."""
        import numpy as np
        from numpy.lib import format as npy

        version = npy.read_magic(stream)
        if version == (1, 0):
            shape, _fortran, dtype = npy.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, _fortran, dtype = npy.read_array_header_2_0(stream)
        else:
            raise ValueError(f"unknown .npy version {version}")
        if len(shape) != 1 or dtype.kind != "u":
            raise ValueError(f"not a 1-D table of unsigned ints: {shape} {dtype}")
        count = shape[0]
        low = np.empty(count, dtype=np.uint16)
        high = np.empty((count + 7) // 8, dtype=np.uint8)
        for start in range(0, count, cls.CHUNK):
            size = min(cls.CHUNK, count - start)
            values = np.frombuffer(stream.read(size * dtype.itemsize), dtype=dtype)
            if values.size != size:
                raise ValueError("truncated transition table")
            if size and int(values.max()) >> 17:
                raise ValueError("state numbers need more than 17 bits")
            low[start : start + size] = (values & 0xFFFF).astype(np.uint16)
            high[start // 8 : (start + size + 7) // 8] = np.packbits((values >> 16).astype(bool), bitorder="little")
        return cls(low, high)

    def __len__(self) -> int:
        return len(self.low)

    def __getitem__(self, index: Any) -> Any:
        """The states at `index` (an array of positions, or one)."""
        import numpy as np

        index = np.asarray(index, dtype=np.intp)
        return self.low[index] | ((self.high[index >> 3] >> (index & 7)) & 1).astype(np.intp) << 16


# py3langid ships no type information, so its class is Any to mypy.
class WindowedIdentifier(LanguageIdentifier):  # type: ignore[misc]
    """py3langid's identifier with its n-gram counts found by vectorised steps (see the module docstring)."""

    def use_arrays(self, rows: Any, window: int | None) -> None:
        """Take each state's row of the transition table, and the model's window (None: unknown)."""
        import numpy as np

        # py3langid keeps the row offsets as a list of Python ints (3.7 MB); its byte-by-byte walk, used for
        # models of unknown window, indexes the NumPy array alike.
        self.tk_row = rows
        self._rowbase = rows.astype(np.intp) << 8
        self._window = window

    def _raw_score(self, text: bytes) -> Any:
        if self._window is None:
            return super()._raw_score(text)
        visits = self._visits(text, self._window)
        if visits is None:
            return super()._raw_score(text)  # no n-gram at all: py3langid's own answer for that
        return self._sparse_score(visits, self.nb_ptc)

    def _visits(self, text: bytes, window: int) -> dict[int, int] | None:
        """The n-gram counts of `text` in the order py3langid's walk meets them (its scores sum in it)."""
        import numpy as np

        data = np.frombuffer(text, dtype=np.uint8)
        size = data.size
        state = np.zeros(size, dtype=np.intp)
        # Position i reads bytes i-window+1 … i; at step `back` it reads byte i-back, and positions before
        # `back` have no such byte yet, so they stay in the start state.
        for back in range(min(window, size) - 1, -1, -1):
            state[back:] = self.tk_nextmove[self._rowbase[state[back:]] + data[: size - back]]
        features = self.tk_output[state]
        features = features[features >= 0]
        if not features.size:
            return None
        found, first, counts = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first)
        return dict(zip(found[order].tolist(), counts[order].tolist(), strict=True))
