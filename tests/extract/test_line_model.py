"""The learned line scorer of the flattened-text path: its features, the shipped model and how the text path
uses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import warta
from warta.extract.learned import Models, Scorer
from warta.extract.line_features import FEATURES
from warta.extract.text import line_rows, read_text

SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"
SEED_URL = "https://rmol.id/read/2022/01/20/516447/kazakhstan-beijing-siap-kerahkan-bantuan-militer"

MENU = ["• Home", "• News", "• Sport", "• Business", "• Culture"]
PROSE = [
    "The council voted on Tuesday to extend the city's bus network to the northern districts by next year.",
    "Residents had asked for the extension for a decade, saying the nearest stop was a long walk from home.",
    "The mayor said the first new routes would open in March, once the drivers have been hired and trained.",
]
TEASER = "The weekend market returns to the harbour square with forty stalls and a brass band on Saturday."


class _Booster:
    """Stands in for a LightGBM booster: gives each row the probability its rule picks, records the rows."""

    def __init__(self, probability: Any) -> None:
        self.probability = probability
        self.batches: list[list[list[float]]] = []

    def predict(self, matrix: Any, num_threads: int = 0) -> list[float]:
        rows = [list(map(float, row)) for row in matrix]
        self.batches.append(rows)
        return [self.probability(row) for row in rows]


def _scorer(booster: _Booster, threshold: float = 0.5) -> Models:
    return Models(lines=Scorer("lines", 1, FEATURES, threshold, booster))


def _page() -> str:
    return "\n".join([*MENU, "City extends bus network to the north", *PROSE, TEASER, *MENU])


def test_the_extractor_feeds_the_model_the_rows_the_training_code_computes() -> None:
    booster = _Booster(lambda row: 0.9)
    url = "https://news.example/city/city-extends-bus-network-north"
    warta.extract_text(_page(), url, models=_scorer(booster))
    lines, rows = line_rows(_page(), url)
    assert len(booster.batches) == 1  # one batched prediction per page
    assert booster.batches[0] == rows
    assert len(rows) == len(lines)
    assert all(len(row) == len(FEATURES) for row in rows)


def test_the_training_code_labels_and_reads_the_lines_as_the_extractor_does() -> None:
    from benchmarks.training.common import Samples
    from benchmarks.training.lines import FlatPage, page_samples

    truth = "\n".join(PROSE)
    page = FlatPage("test", "1", "https://news.example/a", "news.example", _page(), truth)
    found = Samples(FEATURES)
    page_samples(page, found)
    lines, rows = line_rows(_page(), "https://news.example/a")
    by_text = dict(zip((line.text for line in lines), rows, strict=True))
    labelled = {tuple(row): label for row, label in zip(found.rows, found.labels, strict=True)}
    assert all(labelled[tuple(by_text[text])] == 1 for text in PROSE)
    assert labelled[tuple(by_text[TEASER])] == 0
    assert labelled[tuple(by_text["Home"])] == 0


def test_the_model_flips_the_rules_decision_on_a_line() -> None:
    teaser_at = FEATURES.index("words")
    # The rules keep the teaser (a sentence next to the article); a model that knows it for furniture drops it.
    rules = warta.extract_text(_page(), models=Models.none())
    assert TEASER in [block.text for block in rules.body]
    booster = _Booster(lambda row: 0.05 if row[teaser_at] == len(TEASER.split()) else 0.9)
    learned = warta.extract_text(_page(), models=_scorer(booster))
    assert [block.text for block in learned.body] == PROSE


def test_without_a_confident_line_the_rules_decide() -> None:
    nothing = warta.extract_text(_page(), models=_scorer(_Booster(lambda row: 0.01)))
    assert [block.text for block in nothing.body] == [
        block.text for block in warta.extract_text(_page(), models=Models.none()).body
    ]


def test_the_rules_alone_still_read_the_seed() -> None:
    article = warta.extract_text(
        (SAMPLES / "rmol-kazakhstan-2022.txt").read_text(encoding="utf-8"), models=Models.none()
    )
    assert article.title is not None
    assert article.title.startswith("Kazakhstan: Beijing")
    assert len(article.body) == 12


def test_the_shipped_model_loads_with_the_features_the_code_computes() -> None:
    scorer = Models.shipped().lines
    assert scorer is not None
    assert scorer.features == FEATURES
    assert 0.0 < scorer.threshold < 1.0
    assert (Path(warta.__file__).parent / "extract" / "models" / "lines.txt").stat().st_size < 400_000
    _lines, rows = line_rows((SAMPLES / "rmol-kazakhstan-2022.txt").read_text(encoding="utf-8"), SEED_URL)
    probabilities = scorer.predict(rows)
    assert len(probabilities) == len(rows)
    assert all(0.0 <= p <= 1.0 for p in probabilities)


def test_the_shipped_model_reads_the_seed_with_a_url_too() -> None:
    text = (SAMPLES / "rmol-kazakhstan-2022.txt").read_text(encoding="utf-8")
    assert [b.text for b in warta.extract_text(text, SEED_URL).body] == [b.text for b in warta.extract_text(text).body]


@pytest.mark.parametrize("text", ["", "\n\n", "x", "<<<>>>", "a" * 100_000, "•\n•\n•"])
def test_odd_input_never_crashes_the_model_path(text: str) -> None:
    try:
        reading = read_text(text)
    except warta.ExtractionError:
        return
    assert reading.article.body is not None


def test_the_labeller_gives_copies_and_short_lines_their_place() -> None:
    from benchmarks.training.lines import FlatPage, label_lines

    texts = ["Menu", "Bus network grows north", *PROSE, "Bus network grows north", "Share"]
    page = FlatPage("test", "1", None, "x", "\n".join(texts), "Bus network grows north\n" + "\n".join(PROSE))
    labels = label_lines(texts, page)
    assert labels[0] == (0, 1.0)  # "Menu" is not in the truth
    assert labels[1] == (1, 1.0)  # the copy above the article is the article's
    assert labels[5] == (0, 0.5)  # the copy below it is not
    assert all(label == (1, 1.0) for label in labels[2:5])
    snippets = FlatPage("test", "2", None, "x", "", None, ("voted on Tuesday",), ("Share",))
    assert label_lines(["Share", PROSE[0], PROSE[1]], snippets) == [(0, 1.0), (1, 1.0), None]


def test_the_training_is_deterministic(tmp_path: Path) -> None:
    from benchmarks.training.common import Samples
    from benchmarks.training.lines import build

    found = Samples(FEATURES)
    for index in range(400):
        row = [float((index * (k + 3)) % 17) for k in range(len(FEATURES))]
        found.add(row, int(row[0] > 8), 1.0, f"site{index % 7}", f"page{index % 40}")
    first = build(found, tmp_path / "a")
    second = build(found, tmp_path / "b")
    assert first["sha256"] == second["sha256"]
    assert Models.from_dir(tmp_path / "a").lines is not None
