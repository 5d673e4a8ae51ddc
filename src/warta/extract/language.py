"""Name the language of an article: the page's declaration, checked against a detector that ships its model."""

from __future__ import annotations

from warta.extract.detector import identifier

# Below this many characters of body text the detector is too unreliable to overrule a declaration.
MIN_DETECT_CHARS = 200
# How much text the detector reads; the opening of an article is as telling as all of it, and cheaper.
DETECT_SAMPLE_CHARS = 3000
# Confidence (normalised probability) the detector needs to overrule a declared language.
OVERRULE_CONFIDENCE = 0.9
# Languages a detector confuses with each other on news text, where the declaration should win.
CLOSE_PAIRS = frozenset({frozenset({"id", "ms"}), frozenset({"no", "da"}), frozenset({"nb", "no"})})


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
    ranking = identifier().rank(text[:DETECT_SAMPLE_CHARS])
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
