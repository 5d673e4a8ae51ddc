"""The gate judges the out-of-fold figures, not the in-sample ones."""

from __future__ import annotations

from typing import Any

from benchmarks.gate import GATED_TOOL, check, measured_floors


def row(tool: str, body_f1: float, subset: str = "all") -> dict[str, Any]:
    return {"dataset": "fundus", "subset": subset, "tool": tool, "body_f1": body_f1, "title_acc": None}


def test_gate_reads_out_of_fold_rows() -> None:
    assert GATED_TOOL == "warta-oof"
    summary = [row("warta", 0.99), row("warta-oof", 0.90)]
    assert check(summary, {"fundus/all": {"body_f1": 0.95}}) == ["fundus/all body_f1: 0.900 < floor 0.950"]
    assert check(summary, {"fundus/all": {"body_f1": 0.90}}) == []


def test_gate_missing_measurement() -> None:
    summary = [row("warta-oof", 0.9)]
    assert check(summary, {"fundus/all": {"title_acc": 0.0}}) == []
    assert check(summary, {"fundus/all": {"title_acc": 0.5}}) == ["fundus/all title_acc: no measurement (floor 0.500)"]
    assert check(summary, {"fundus/article": {"body_f1": 0.5}}) == [
        "fundus/article body_f1: no measurement (floor 0.500)"
    ]


def test_measured_floors_are_out_of_fold() -> None:
    summary = [row("warta", 0.99), row("warta-oof", 0.91234)]
    assert measured_floors(summary, {"fundus/all": {"body_f1": 0.0, "title_acc": 0.0}}) == {
        "fundus/all": {"body_f1": 0.9123, "title_acc": None}
    }
