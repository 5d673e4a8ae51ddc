"""The crawl's worker pool: a task past the limit kills its worker and fails alone; the pool goes on."""

from __future__ import annotations

import asyncio

import pytest

from tests.hostile.tasks import boom, die, pid, pid_after, sleep_then, square
from warta.jobs.timed import TaskFailed, TaskTimeout, TimedWorkers, WorkerDied


def test_a_task_past_the_limit_is_killed_and_the_others_finish() -> None:
    async def scenario() -> tuple[list[object], int]:
        async with TimedWorkers(2, limit=1.0) as workers:
            await workers.run(pid)  # one worker started before the storm
            results = await asyncio.gather(
                workers.run(sleep_then, 60.0, 0), *(workers.run(square, n) for n in range(6)), return_exceptions=True
            )
            return results, workers.replaced

    results, replaced = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert isinstance(results[0], TaskTimeout)
    assert results[1:] == [n * n for n in range(6)]
    assert replaced == 1


def test_a_burst_of_tasks_on_a_fresh_pool_starts_no_more_workers_than_its_count() -> None:
    async def scenario() -> set[int]:
        async with TimedWorkers(2, limit=30.0) as workers:
            return set(await asyncio.gather(*(workers.run(pid_after, 0.05) for _ in range(12))))

    assert len(asyncio.run(asyncio.wait_for(scenario(), 60))) <= 2


def test_a_raising_task_and_a_dying_worker_are_failures_of_their_task_only() -> None:
    async def scenario() -> list[object]:
        async with TimedWorkers(1, limit=5.0) as workers:
            return [
                await _outcome(workers.run(boom, "bad page")),
                await _outcome(workers.run(die)),
                await workers.run(square, 7),
            ]

    raised, died, fine = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert isinstance(raised, TaskFailed)
    assert "LookupError: bad page" in raised.detail
    assert isinstance(died, WorkerDied)
    assert fine == 49


async def _outcome(task: object) -> object:
    try:
        return await task  # type: ignore[misc]
    except Exception as exc:
        return exc


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="limit"):
        TimedWorkers(1, limit=0)
