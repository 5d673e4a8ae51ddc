"""`warta clean`: a web-text corpus through the text path, with a memory of each site's recurring lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from click.testing import CliRunner

from warta.cli import main
from warta.jobs.corpus import MIN_RECURRING_PAGES, SiteMemory, clean_corpus, line_hashes, site_of, tally
from warta.jobs.workers import Summary

PITCH = "Support independent local journalism: become a member of the Northern Courier newsroom today."
SENTENCES = [
    "The council voted on Tuesday to extend the bus network to the northern districts by the end of next year.",
    "Residents had asked for the extension for a decade, saying the nearest stop was a long walk from home.",
    "The mayor said the first routes would open in March, once new drivers have been hired and trained.",
    "Opposition members questioned the cost, which the city puts at twelve million euros over five years.",
    "Shop owners on the main street welcomed the plan, which they expect to bring more customers.",
    "Cyclists asked that the new buses leave room for the bike lanes that opened last spring.",
]


def story(number: int, pitch: bool = True) -> str:
    """A flattened page: a menu, a headline, four paragraphs of its own, and the site's pitch."""
    paragraphs = [f"{SENTENCES[(number + i) % len(SENTENCES)]} Story {number}, part {i}." for i in range(4)]
    lines = ["• Home", "• News", "• Sport", f"Headline number {number} of the day in the north", *paragraphs]
    return "\n".join([*lines, PITCH] if pitch else lines)


def record(number: int, site: str = "courier.example", pitch: bool = True) -> str:
    return json.dumps({"id": number, "url": f"https://www.{site}/news/{number}", "text": story(number, pitch)})


def test_site_of_ignores_www_and_bad_urls() -> None:
    assert site_of("https://www.courier.example/a") == "courier.example"
    assert site_of("https://news.courier.example/a") == "news.courier.example"
    assert site_of("http://[::1") is None
    assert site_of(None) is None


def test_the_memory_names_lines_on_enough_of_a_sites_pages() -> None:
    memory = SiteMemory()
    shared = line_hashes(PITCH)
    for number in range(MIN_RECURRING_PAGES - 1):
        memory.observe("a.example", line_hashes(story(number)))
    assert not shared & memory.recurring("a.example")
    memory.observe("a.example", line_hashes(story(9)))
    assert shared <= memory.recurring("a.example")
    assert memory.recurring("b.example") == frozenset()


def test_the_memory_stays_within_its_bounds() -> None:
    memory = SiteMemory(max_sites=2, max_lines=50)
    for number in range(40):
        memory.observe("a.example", line_hashes(story(number)))
    # Lines seen on one page only were forgotten; the menu and the pitch, on every page, were not.
    assert len(memory._sites["a.example"].counts) <= 50
    assert line_hashes(PITCH) <= memory.recurring("a.example")
    memory.observe("b.example", frozenset())
    memory.observe("c.example", frozenset())
    assert len(memory) == 2
    assert memory.recurring("a.example") == frozenset()  # the least recently seen site went


def test_a_line_on_many_pages_of_a_site_goes_and_stays_on_a_site_that_prints_it_once() -> None:
    corpus = [record(n) for n in range(5)] + [record(7, site="other.example")]
    outcomes = list(clean_corpus(corpus, workers=1))
    assert [o.record["id"] for o in outcomes if o.record] == [0, 1, 2, 3, 4, 7]
    for outcome in outcomes[:5]:
        assert outcome.record is not None
        assert PITCH not in outcome.record["text"]
        assert outcome.record["text"].count("Story") == 4
        assert outcome.record["removed"]["recurring on site"] >= 1
        assert outcome.record["warta"]["title"].startswith("Headline number")
    other = outcomes[5].record
    assert other is not None
    assert PITCH in other["text"]


def test_bad_records_are_counted_and_the_rest_go_on() -> None:
    corpus = [record(1), "not json", '{"url": "https://x.example/"}', "[1, 2]", '{"text": "   "}', record(2)]
    summary = Summary("clean")
    outcomes = list(clean_corpus(corpus, workers=1))
    for outcome in outcomes:
        tally(summary, outcome)
    assert summary["cleaned"] == 2
    assert summary.skipped == {"bad json": 1, "no text": 1, "not an object": 1, "empty": 1}
    assert summary.removed["navigation"] >= 6


def test_parallel_cleaning_matches_serial() -> None:
    corpus = [record(n, site=f"site{n % 3}.example", pitch=n % 2 == 0) for n in range(90)]
    serial = [o.record for o in clean_corpus(corpus, workers=1)]
    parallel = [o.record for o in clean_corpus(corpus, workers=2)]
    assert parallel == serial
    assert len(serial) == 90


def test_the_command_writes_records_and_a_summary(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as handle:
        handle.write("\n".join([record(n) for n in range(4)] + ["{broken"]) + "\n")
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    result = CliRunner().invoke(main, ["clean", str(corpus), "-o", str(out), "--summary", str(summary)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [0, 1, 2, 3]
    assert all(PITCH not in r["text"] for r in records)
    totals = json.loads(summary.read_text(encoding="utf-8"))
    assert totals["skipped"] == {"bad json": 1}
    assert totals["removed"]["recurring on site"] == 4 * 4  # the three menu entries and the pitch
    assert "cleaned 4 records" in result.stderr


def test_a_missing_input_is_an_error_without_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "nope.jsonl" in result.output
    assert "Traceback" not in result.output
