"""speed.py's side-by-side mode: ratios per set and per round, from the same passes run.py makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import run, speed
from benchmarks.datasets import Page, Truth


def _pages(dataset: str, count: int) -> list[Page]:
    return [Page(dataset, f"{dataset}{i}", Path(f"/nowhere/{i}"), None, ("all",), Truth()) for i in range(count)]


def test_side_by_side_reports_each_sets_ratio_round_by_round(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sets = {"fundus": _pages("fundus", 4), "id-news": _pages("id-news", 2)}
    monkeypatch.setattr(speed, "load", lambda name, data_dir, limit: sets[name])
    passes: list[str] = []
    # Warta takes 0.1 s a page on fundus and 0.2 s on id-news; the reference 0.4 s everywhere, and in the
    # second round everything is twice as slow (a busy machine): the ratios stay.
    per_page = {("warta", "fundus"): 0.1, ("warta", "id-news"): 0.2, ("trafilatura", "fundus"): 0.4}

    def fake_pass(tool: str, pages: list[Page], timeout: float, log: Any) -> dict[str, Any]:
        passes.append(tool)
        slow = 2.0 if passes.count(tool) == 2 else 1.0
        seconds = [slow * per_page.get((tool, page.dataset), 0.4) for page in pages]
        return {
            "seconds": seconds,
            "errors": [None] * len(pages),
            "peak_delta_bytes": 90 * 2**20 if tool == "warta" else 110 * 2**20,
            "peak_total_bytes": 120 * 2**20 if tool == "warta" else 140 * 2**20,
        }

    monkeypatch.setattr(run, "_run_pass", fake_pass)
    assert speed.main(["--datasets", "fundus,id-news", "--rounds", "2", "--against", "trafilatura"]) == 0
    out = capsys.readouterr().out
    assert passes == ["warta", "trafilatura", "warta", "trafilatura"]  # alternating, one fresh pass each
    assert "fundus (4 pages): median pages/s warta 7.5, trafilatura 1.9; ratio per round 4.00 4.00 (median 4.00)" in out
    assert "id-news (2 pages): median pages/s warta 3.8, trafilatura 1.9; ratio per round 2.00 2.00" in out
    assert "warta: peak RSS 120 MB (+90 MB over the interpreter before the import)" in out
    assert "trafilatura: peak RSS 140 MB" in out
