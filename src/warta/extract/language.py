"""Name the language of an article: the page's declaration, checked against a detector that ships its model."""

from __future__ import annotations

import array
import lzma
import shutil
import tempfile
from functools import lru_cache
from typing import Any

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

# Below this many characters of body text the detector is too unreliable to overrule a declaration.
MIN_DETECT_CHARS = 200
# How much text the detector reads; the opening of an article is as telling as all of it, and cheaper.
DETECT_SAMPLE_CHARS = 3000
# Confidence (normalised probability) the detector needs to overrule a declared language.
OVERRULE_CONFIDENCE = 0.9
# Languages a detector confuses with each other on news text, where the declaration should win.
CLOSE_PAIRS = frozenset({frozenset({"id", "ms"}), frozenset({"no", "da"}), frozenset({"nb", "no"})})


# The arrays of py3langid's model file (an LZMA-compressed NumPy archive) that the frugal loader reads.
_MODEL_ARRAYS = frozenset({"ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat"})


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    # Loaded once per process: the model takes ~300 ms to unpack and workers reuse it for every page.
    try:
        return _load_frugally()
    except (KeyError, TypeError, ValueError):
        # Another py3langid model layout: its own loader knows it.
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _load_frugally() -> LanguageIdentifier:
    """Load py3langid's model without ever holding its 39 MB transition table twice.

    py3langid's own loader copies the table from a NumPy array into a stdlib `array` while the NumPy copy is
    still alive, which made it the process's high-water mark: 30 MB of peak RSS above what the model keeps
    (136 against 107 MB, measured). A `memoryview` of the NumPy array indexes to the same Python ints at the
    same speed, so the table is used where it was read. Same arrays, same arithmetic: same rankings.
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
            row: Any = data["nextmove_row"]
            return LanguageIdentifier(
                data["ptc"],
                data["pc"],
                data["classes"].tolist(),
                memoryview(data["nextmove"]),
                data["out_feat"].tolist(),
                norm_probs=True,
                tk_row=array.array(row.dtype.char, row.tobytes()),
            )


def primary_subtag(tag: str | None) -> str | None:
    """Reduce a language tag or locale ("id-ID", "en_US", "de") to its primary subtag."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else None


def detect(text: str) -> tuple[str, float] | None:
    """Return the detected language of `text` and its confidence, or None for too little text."""
    if len(text) < MIN_DETECT_CHARS:
        return None
    ranking = _identifier().rank(text[:DETECT_SAMPLE_CHARS])
    lang, confidence = str(ranking[0][0]), float(ranking[0][1])
    # Close relatives split the probability between them ("id" and "ms" on Indonesian news), so the
    # confidence that matters for overruling a declaration is that of the family.
    for other, probability in ranking[1:4]:
        if frozenset({lang, str(other)}) in CLOSE_PAIRS:
            confidence += float(probability)
    return lang, confidence


def resolve_language(declared: str | None, text: str) -> tuple[str | None, str]:
    """Pick the article's language; return it and where it came from."""
    declared_code = primary_subtag(declared)
    detected = detect(text)
    if detected is None:
        return declared_code, "declared"
    lang, confidence = detected
    if declared_code is None:
        return lang, "detected"
    if lang == declared_code or frozenset({lang, declared_code}) in CLOSE_PAIRS:
        return declared_code, "declared+detected"
    if confidence >= OVERRULE_CONFIDENCE:
        return lang, f"detected (declared {declared_code})"
    return declared_code, "declared"
