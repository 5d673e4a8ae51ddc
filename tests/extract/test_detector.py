import hashlib

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from warta.extract.detector import KNOWN_WINDOWS, WindowedIdentifier, _load_frugally, identifier

SAMPLES = (
    "Pemerintah mulai memberikan vaksin kepada lansia dan mengatakan stok vaksin telah tersedia di seluruh provinsi.",
    "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für Elektroautos bis Ende Juni zu verlängern.",
    "The council voted on Tuesday to extend the bus network to the northern suburbs by the end of next year.",
    "Le gouvernement a annoncé mercredi un nouveau plan pour les transports publics dans les grandes villes.",
    "東京都は新しい交通計画を発表し、来年までに北部の郊外へバス路線を延長すると述べた。",
    "Правительство объявило о новом плане развития общественного транспорта в крупных городах страны.",
    "ab",  # shorter than the window
    "",
    "\x00\x01\x02",
    "SHOUTED HEADLINE IN CAPITALS ABOUT THE ELECTION RESULTS",  # py3langid lower-cases all-caps text
)


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_the_shipped_model_is_one_whose_window_is_known() -> None:
    digest = hashlib.sha256((MODEL_DIR / MODEL_FILE).read_bytes()).hexdigest()
    assert digest in KNOWN_WINDOWS
    assert isinstance(identifier(), WindowedIdentifier)


def test_the_window_is_the_depth_of_the_deepest_state_of_the_automaton() -> None:
    """In an Aho-Corasick automaton the shortest path to a state spells the string it stands for, so the
    deepest state by breadth-first search is the longest n-gram: the bytes a state can depend on."""
    model = identifier()
    table = np.asarray(model.tk_nextmove)
    rows = np.asarray(model._rowbase)
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier = np.array([0])
    depth = 0
    while True:
        reached = np.zeros(len(rows), dtype=bool)
        reached[table[(rows[frontier][:, None] + np.arange(256)).ravel()]] = True
        reached &= ~seen
        frontier = np.flatnonzero(reached)
        if not frontier.size:
            break
        seen |= reached
        depth += 1
    assert seen.all()
    digest = hashlib.sha256((MODEL_DIR / MODEL_FILE).read_bytes()).hexdigest()
    assert KNOWN_WINDOWS[digest] == depth


@pytest.mark.parametrize("window", [KNOWN_WINDOWS[next(iter(KNOWN_WINDOWS))], None])
def test_rankings_are_py3langids_to_the_bit(reference: LanguageIdentifier, window: int | None) -> None:
    model = identifier() if window is not None else _load_frugally(None)  # None: py3langid's own walk
    for text in SAMPLES:
        assert model.rank(text) == reference.rank(text), text
        assert model.rank(text.encode()) == reference.rank(text.encode()), text
