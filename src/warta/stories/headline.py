"""A story's headline, chosen from its reports' titles.

The first report's title is often the thinnest (a breaking one-liner) or one outlet's angle on the happening.
The title that shares the most words with the others says what most outlets say, so it stands for the story.
Titles are compared within the language most reports are in, since words are not shared across languages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

# Words of fewer letters are mostly function words ("di", "of", "the") in both languages.
MIN_WORD_CHARS = 4
_WORD = re.compile(r"[^\W_]+")


def headline(titles: Sequence[tuple[str | None, str | None]]) -> str | None:
    """The title that best stands for the story among `(title, language)` pairs of its reports, in the order
    they were published. Ties go to the earlier report."""
    known = [(title.strip(), language or "") for title, language in titles if title and title.strip()]
    if not known:
        return None
    majority = Counter(language for _, language in known).most_common(1)[0][0]
    candidates = [title for title, language in known if language == majority]
    words = [_words(title) for title in candidates]
    best, best_score = candidates[0], -1.0
    for i, title in enumerate(candidates):
        others = [_overlap(words[i], other) for j, other in enumerate(words) if j != i]
        score = sum(others) / len(others) if others else 0.0
        if score > best_score:
            best, best_score = title, score
    return best


def _words(title: str) -> frozenset[str]:
    return frozenset(word for word in _WORD.findall(title.casefold()) if len(word) >= MIN_WORD_CHARS)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / (len(a | b) or 1)
