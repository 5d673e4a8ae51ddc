import hashlib
import io

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from warta.extract.detector import KNOWN_WINDOWS, SplitTable, WindowedIdentifier, _load_frugally, identifier

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
    table = model.tk_nextmove
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


def _npy(values: np.ndarray) -> io.BytesIO:
    buffer = io.BytesIO()
    np.save(buffer, values)
    buffer.seek(0)
    return buffer


def test_the_split_table_gives_back_every_state_number() -> None:
    values = np.random.default_rng(3).integers(0, 1 << 17, size=SplitTable.CHUNK + 13, dtype=np.uint32)
    values[:4] = [0, (1 << 16) - 1, 1 << 16, (1 << 17) - 1]
    table = SplitTable.read(_npy(values))
    assert len(table) == values.size
    assert table.low.nbytes + table.high.nbytes < values.nbytes * 0.6
    assert np.array_equal(table[np.arange(values.size)], values)
    assert int(table[5]) == int(values[5])


def test_the_split_table_refuses_state_numbers_past_17_bits() -> None:
    with pytest.raises(ValueError, match="17 bits"):
        SplitTable.read(_npy(np.array([1, 1 << 17], dtype=np.uint32)))


def test_the_model_keeps_its_transitions_split() -> None:
    table = identifier().tk_nextmove
    assert isinstance(table, SplitTable)
    assert table.low.nbytes + table.high.nbytes < 22 * 2**20
