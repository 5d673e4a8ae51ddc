"""The bulk driver: plans which inputs still need work, runs one task per input on an engine (see `engine`),
and keeps count."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta.extras import check
from warta.jobs.bulk.engine import run_on_processes, run_on_ray
from warta.jobs.bulk.inputs import BulkInput
from warta.jobs.bulk.layout import Layout
from warta.jobs.bulk.settings import ENGINES, BulkSettings
from warta.jobs.bulk.task import TaskOutcome

Progress = Callable[[TaskOutcome], None]


@dataclass(slots=True)
class BulkSummary:
    """What a run did: inputs by outcome, rows and records written, records skipped by reason."""

    inputs: Counter[str] = field(default_factory=Counter)
    rows: int = 0
    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    # The largest peak resident memory a task's process reported, in bytes.
    peak_worker_rss: int = 0

    def add(self, outcome: TaskOutcome) -> None:
        self.inputs[outcome.status] += 1
        self.peak_worker_rss = max(self.peak_worker_rss, outcome.peak_rss)
        self.rows += outcome.rows
        self.records += outcome.records
        self.skipped.update(outcome.skipped)
        if outcome.reason:
            self.failures[outcome.reason] += 1
        if outcome.damaged:
            self.failures[f"damaged: {outcome.damaged}"] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": dict(self.inputs),
            "rows": self.rows,
            "records": self.records,
            "skipped": dict(self.skipped.most_common()),
            "failures": dict(self.failures.most_common()),
            "seconds": round(self.seconds, 3),
            "peak_worker_rss_mb": round(self.peak_worker_rss / 2**20, 1),
        }


def plan(inputs: Sequence[BulkInput], layout: Layout, retry_failed: bool, summary: BulkSummary) -> list[BulkInput]:
    """The inputs still to run, in the given order; those already done (or failed, unless retried) are counted."""
    todo = []
    for item in inputs:
        if layout.is_done(item.name):
            summary.inputs["already done"] += 1
        elif layout.is_failed(item.name) and not retry_failed:
            summary.inputs["failed before"] += 1
        else:
            layout.remove_partials(item.name)
            todo.append(item)
    return todo


def run(
    inputs: Sequence[BulkInput], out: Path, settings: BulkSettings, progress: Progress | None = None
) -> BulkSummary:
    """Extract every input not yet done into `out`; returns what was done. Safe to run again after any stop."""
    if settings.engine not in ENGINES:
        raise ValueError(f"unknown engine {settings.engine!r}; known: {', '.join(ENGINES)}")
    check("bulk", "warta bulk")
    layout = Layout(out)
    layout.create()
    summary = BulkSummary()
    started = time.monotonic()
    todo = plan(inputs, layout, settings.retry_failed, summary)
    if todo:
        runner = run_on_ray if settings.engine == "ray" else run_on_processes
        for outcome in runner(todo, layout, settings):
            summary.add(outcome)
            if progress is not None:
                progress(outcome)
    summary.seconds = time.monotonic() - started
    return summary
