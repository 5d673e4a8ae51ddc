"""The summary, the in-sample/out-of-fold gap, the table and the headline of a benchmark run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.datasets import Page, Truth
from benchmarks.report import (
    GAP_LABEL,
    format_table,
    gaps,
    headline,
    metric_value,
    score_page,
    summarize,
    table_rows,
)


class Tool:
    gives_authors = True
    gives_date = True
    gives_time = True
    gives_kind = True


class BodyOnly:
    """A tool like readability: body and title, nothing else."""

    gives_authors = False
    gives_date = False
    gives_time = False
    gives_kind = False


def page(**truth: Any) -> Page:
    return Page("set", "p1", Path("p1.html.gz"), "https://example.com/a", ("all",), Truth(**truth))


def row(tool: str, site: str = "example.com", error: str | None = None, **score: Any) -> dict[str, Any]:
    return {"tool": tool, "site": site, "seconds": 0.5, "error": error, "text_len": 10, **score}


def summary_row(dataset: str, subset: str, tool: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"dataset": dataset, "subset": subset, "tool": tool, **summarize(rows, 2**20, 100 * 2**20)}


def test_score_page_marks_fields_a_tool_lacks_as_not_applicable() -> None:
    truth = {
        "text": "one two three",
        "title": "A title",
        "authors": ("Ana",),
        "published": "2024-01-02T03:04:00+07:00",
        "kind": "article",
    }
    output = {"text": "one two", "title": "A title", "authors": ["Ana"], "published": None, "kind": None}
    full = score_page(page(**truth), output, Tool)
    assert full["title_ok"] is True
    assert full["author_ok"] is True
    assert full["day_ok"] is False
    assert full["minute_ok"] is False
    assert full["kind_ok"] is False
    lacking = score_page(page(**truth), output, BodyOnly)
    assert lacking["title_ok"] is True
    assert lacking["author_ok"] is None
    assert lacking["day_ok"] is None
    assert lacking["minute_ok"] is None
    assert lacking["kind_ok"] is None
    assert lacking["f1"] == pytest.approx(0.8)


def test_an_error_scores_as_empty_output() -> None:
    score = score_page(page(text="one two", with_=("one",), without=("zzz",)), None, Tool)
    assert score["f1"] == 0.0
    assert score["snippets"] == [0, 1, 0, 1]


def test_summarize_counts_sites_errors_and_empties() -> None:
    rows = [
        row("w", f1=1.0, precision=1.0, recall=1.0, title_ok=True, author_ok=None),
        row("w", site="other.org", f1=0.0, precision=0.0, recall=0.0, title_ok=False, error="Boom: x"),
        {**row("w", f1=0.5, precision=0.5, recall=0.5), "text_len": 0},
    ]
    summary = summarize(rows, 0, 0)
    assert summary["pages"] == 3
    assert summary["sites"] == 2
    assert summary["body_f1"] == pytest.approx(0.5)
    assert summary["title_acc"] == 0.5
    assert summary["title_n"] == 2
    assert summary["author_acc"] is None  # one page has the truth, the tool has no such field
    assert summary["author_n"] == 1
    assert summary["day_n"] == 0
    assert summary["errors"] == 1
    assert summary["empty"] == 1
    assert summary["pages_per_s"] == pytest.approx(2.0)


def test_summarize_no_rows() -> None:
    summary = summarize([], 0, 0)
    assert summary["pages"] == 0
    assert summary["body_f1"] is None
    assert summary["pages_per_s"] is None
    assert "snippets" not in summary


def test_metric_value() -> None:
    summary = summarize([row("w", f1=0.5, snippets=[3, 1, 0, 4])], 0, 0)
    assert metric_value(summary, "body_f1") == 0.5
    assert metric_value(summary, "snippet_recall") == pytest.approx(0.75)
    assert metric_value(summary, "title_acc") is None
    assert metric_value({}, "snippet_f1") is None


def run_summary() -> list[dict[str, Any]]:
    """Two subsets, the tools in the order a run lists them (in-sample before out-of-fold on purpose)."""
    out = []
    for subset in ("all", "article"):
        out.append(summary_row("wcxb", subset, "trafilatura", [row("t", f1=0.8, kind_ok=None)]))
        out.append(summary_row("wcxb", subset, "warta", [row("w", f1=0.9, title_ok=True, snippets=[1, 0, 0, 1])]))
        out.append(summary_row("wcxb", subset, "warta-oof", [row("w", f1=0.85, title_ok=False, snippets=[1, 0, 0, 1])]))
    return out


def test_gap_is_in_sample_minus_out_of_fold() -> None:
    found = gaps(run_summary())
    assert [(g["subset"], g["tool"], g["out_of_fold"]) for g in found] == [
        ("all", "warta", "warta-oof"),
        ("article", "warta", "warta-oof"),
    ]
    gap = found[0]["gap"]
    assert gap["body_f1"] == pytest.approx(0.05)
    assert gap["title_acc"] == pytest.approx(1.0)
    assert gap["snippet_f1"] == pytest.approx(0.0)
    assert gap["author_acc"] is None  # neither side measured it


def test_no_gap_without_both_sides() -> None:
    summary = [s for s in run_summary() if s["tool"] != "warta"]
    assert gaps(summary) == []
    assert all(GAP_LABEL not in cells for cells in table_rows(summary))


def test_table_puts_out_of_fold_first_then_in_sample_then_gap() -> None:
    tools = [cells[2] for cells in table_rows(run_summary())]
    assert tools == ["warta-oof", "warta", GAP_LABEL, "trafilatura"] * 2
    gap_cells = table_rows(run_summary())[2]
    assert gap_cells[4] == "+0.050"
    assert gap_cells[5] == "+0.00/+0.00/+0.00"
    assert gap_cells[6] == "+1.000"
    assert gap_cells[7] == "—"


def test_format_table_separates_subsets() -> None:
    text = format_table(run_summary())
    lines = text.splitlines()
    assert lines[0].startswith("dataset")
    assert lines.count("") == 1  # one blank line between the two subsets
    trafilatura = next(line for line in lines if "trafilatura" in line).split()
    assert trafilatura[-6] == "n/a"  # kind: the page has that truth, the tool no such field
    assert trafilatura[-7] == "—"  # min+off: no page has that truth


def test_format_table_of_nothing() -> None:
    assert format_table([]).splitlines()[0].startswith("dataset")


def test_headline_quotes_out_of_fold_first_with_the_gap() -> None:
    lines = headline(run_summary())
    assert len(lines) == 2
    assert lines[0].split() == [
        "wcxb/all",
        "body",
        "F1",
        "warta-oof",
        "0.850",
        "warta",
        "0.900",
        "(gap",
        "+0.050)",
        "trafilatura",
        "0.800",
    ]


def test_headline_falls_back_to_snippets_and_kind() -> None:
    summary = [
        summary_row("snips", "all", "warta", [row("w", snippets=[2, 0, 1, 1])]),
        summary_row("ids", "listing", "warta", [row("w", kind_ok=True)]),
        summary_row("ids", "listing", "readability", [row("r", kind_ok=None)]),
        summary_row("bare", "all", "warta", [row("w")]),
    ]
    lines = headline(summary)
    assert len(lines) == 2  # "bare" has no figure to quote
    assert "snippet F1" in lines[0]
    assert "warta 0.800" in lines[0]
    assert lines[1].endswith("warta 1.000  readability n/a")
