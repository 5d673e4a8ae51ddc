"""One pool of worker processes and one summary, for every job that extracts on all cores.

Extraction is CPU-bound Python, so jobs spread it over processes. Every job uses the same `Workers`: a
process pool whose results come back in input order with a bounded number of tasks in flight (a batch of a
million files runs in flat memory), which an asyncio crawl can also await one page at a time, and which runs
in-process when a batch is too small to pay for starting processes. Each worker exits when the process that
started it is gone, even when that one was killed with -9 and could not say so.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# How often a worker checks that the process that started it is alive.
WATCH_INTERVAL = 0.5
# Tasks in flight per worker process: enough that none waits for the parent, few enough to bound memory.
TASKS_AHEAD_PER_WORKER = 4

Progress = Callable[[str, int], None]  # (what, how many more) for a progress bar


def _start_worker(parent_pid: int) -> None:
    """Leave Ctrl-C to the command: a terminal's SIGINT reaches every process of the group, and each worker
    would print a traceback of its own under the command's one line (the command ends its pool as it exits).
    Exit this worker when its parent is gone: a pool worker holds its own end of the task queue, so it
    would wait for tasks forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                continue  # the pid is alive (and was reused by another user's process at worst)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _apply(function: Callable[[Any], R], batch: list[Any]) -> list[R]:
    return [function(item) for item in batch]


class Workers:
    """A pool of `count` processes (all cores by default), or none with `inline`.

    `start` is the start method. "fork" starts workers with what the parent has loaded (the language model),
    for the command-line batch jobs; "forkserver", for jobs that hold database connections and sockets,
    starts them clean, so a worker never holds a PostgreSQL transaction of its parent.
    """

    def __init__(self, count: int | None = None, *, start: str = "forkserver", inline: bool = False) -> None:
        self.count = count or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        if not inline:
            context = multiprocessing.get_context(start if os.name == "posix" else "spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.count, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
            )

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def map(self, function: Callable[..., R], *columns: Iterable[Any]) -> list[R]:
        """`function` over the rows of `columns`, all at once (for a chunk already held in memory)."""
        if self._pool is None:
            return list(map(function, *columns))
        return list(self._pool.map(function, *columns))

    def imap(self, function: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        """`function` over `items`, lazily, in input order, with a bounded number of tasks in flight.
        `chunksize` items go to a worker at a time, which amortises the traffic between processes."""
        if self._pool is None:
            yield from map(function, items)
            return
        source = iter(items)
        window: deque[Future[list[R]]] = deque()
        ahead = self.count * TASKS_AHEAD_PER_WORKER
        while batch := list(islice(source, chunksize)):
            window.append(self._pool.submit(_apply, function, batch))
            if len(window) >= ahead:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()

    async def run(self, function: Callable[..., R], *args: Any) -> R:
        """`function(*args)` in a worker, awaited from the event loop (in-process when `inline`)."""
        if self._pool is None:
            return function(*args)
        return await asyncio.get_running_loop().run_in_executor(self._pool, function, *args)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in counter.most_common()) or "none"


@dataclass(slots=True)
class Summary:
    """What a job did, for the line printed at its end and its JSON summary.

    `counts` holds what was done by name ("extracted"; "fetched", "new", "changed", "unchanged", "sources
    polled", "links queued"; "cleaned", "lines kept"; "joined", "started", "copies"); `skipped` the inputs
    that gave nothing, by reason; `errors` the failures, by kind; `removed` the lines a cleaning removed, by
    reason; `deferred` the URLs a crawl round left queued for a later one, by the reason they wait.
    `job` ("extract", "crawl", "clean", "stories") chooses how `line` words it.
    """

    job: str = "extract"
    counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    deferred: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, name: str) -> int:
        return self.counts[name]

    def merge(self, other: Summary) -> None:
        """Add what `other` counted to this summary."""
        for mine, theirs in zip(self._counters(), other._counters(), strict=True):
            mine.update(theirs)

    def _counters(self) -> tuple[Counter[str], ...]:
        return self.counts, self.skipped, self.errors, self.removed, self.deferred

    def line(self) -> str:
        if self.job == "crawl":
            return self._crawl_line()
        if self.job == "clean":
            return self._clean_line()
        if self.job == "stories":
            return (
                f"stories: {self['joined']} joined a story, {self['started']} started one, {self['copies']} were copies"
            )
        reasons = ", ".join(f"{reason}: {count}" for reason, count in sorted(self.skipped.items()))
        return f"extracted {self['extracted']}, skipped {self.skipped.total()}{f' ({reasons})' if reasons else ''}"

    def _crawl_line(self) -> str:
        parts = []
        if self["sources polled"]:
            parts.append(
                f"polled {self['sources polled']} sources ({self['sources unchanged']} unchanged), "
                f"queued {self['links queued']} links"
            )
        parts.append(
            f"fetched {self['fetched']}; new {self['new']}, changed {self['changed']}, unchanged {self['unchanged']}"
        )
        parts.append(f"skipped: {_counts(self.skipped)}")
        parts.append(f"errors: {_counts(self.errors)}")
        if self["given up"]:
            parts.append(f"given up {self['given up']}")
        if self.deferred:
            parts.append(f"left queued for the next round: {_counts(self.deferred)}")
        return "; ".join(parts)

    def _clean_line(self) -> str:
        why = ", ".join(f"{reason}: {count}" for reason, count in sorted(self.skipped.items()))
        removed = ", ".join(f"{reason}: {count}" for reason, count in self.removed.most_common())
        return (
            f"cleaned {self['cleaned']} records, skipped {self.skipped.total()}{f' ({why})' if why else ''}; "
            f"kept {self['lines kept']} lines, removed {self.removed.total()} ({removed})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "counts": dict(self.counts),
            "skipped": dict(self.skipped),
            "errors": dict(self.errors),
            "removed": dict(self.removed.most_common()),
            "deferred": dict(self.deferred),
        }
