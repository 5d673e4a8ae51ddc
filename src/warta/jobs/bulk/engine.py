"""The engines a bulk job runs on.

Ray (the default) runs on this machine's cores or, given an address, on a cluster: core tasks (not Ray
Data, whose writers name files per run and so duplicate output when a job is run again), a bounded number in
flight, retried when their worker dies, cancelled past their time limit. A local Ray lives for one run,
bound to loopback, in a folder removed when it ends.

A plain process pool runs the same task on this machine only: the baseline Ray's overhead is measured
against, with no retry and no time limit.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from warta.extras import require
from warta.jobs.bulk.inputs import BulkInput
from warta.jobs.bulk.layout import Layout
from warta.jobs.bulk.settings import LOCAL_RAY_ENVIRONMENT, POLL_SECONDS, WORKER_RETRIES, BulkSettings
from warta.jobs.bulk.task import TaskOutcome, extract_file, fail_input

# The local object store holds only task outcomes (small dicts): Ray's default would claim 30% of memory.
LOCAL_OBJECT_STORE = 128 * 1024 * 1024


class RayEngine:
    def __init__(self, settings: BulkSettings) -> None:
        self.settings = settings
        self.ray: Any = require("ray", "bulk", "warta bulk")
        self.folder: Path | None = None

    def __enter__(self) -> RayEngine:
        address = self.settings.address or os.environ.get("RAY_ADDRESS")
        if address:
            self.ray.init(address=address, log_to_driver=False, configure_logging=False)
        else:
            for name, value in LOCAL_RAY_ENVIRONMENT.items():
                os.environ.setdefault(name, value)
            self.folder = _short_folder()
            self.ray.init(
                num_cpus=self.settings.workers or os.cpu_count() or 1,
                include_dashboard=False,
                object_store_memory=LOCAL_OBJECT_STORE,
                log_to_driver=False,
                configure_logging=False,
                _node_ip_address="127.0.0.1",
                _temp_dir=str(self.folder),
            )
        return self

    def __exit__(self, *_exc: object) -> None:
        self.ray.shutdown()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def slots(self) -> int:
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        return max(1, min(cpus, self.settings.workers or cpus))

    def run(self, todo: Sequence[BulkInput], layout: Layout) -> Iterator[TaskOutcome]:
        """Run `todo` in order, at most one task per slot in flight, yielding each outcome as it ends."""
        ray = self.ray
        task = ray.remote(extract_file).options(
            num_cpus=1, memory=self.settings.task_memory, max_retries=WORKER_RETRIES, retry_exceptions=False
        )
        waiting = list(reversed(todo))
        running: dict[Any, tuple[BulkInput, float]] = {}
        while waiting or running:
            while waiting and len(running) < self.slots():
                item = waiting.pop()
                running[task.remote(item, str(layout.root))] = (item, time.monotonic())
            ready, _ = ray.wait(list(running), num_returns=1, timeout=POLL_SECONDS)
            for ref in ready:
                item, started = running.pop(ref)
                yield self._result(ref, item, layout, started)
            yield from self._cancel_late(running, layout)

    def _result(self, ref: Any, item: BulkInput, layout: Layout, started: float) -> TaskOutcome:
        try:
            return TaskOutcome(**self.ray.get(ref))
        except self.ray.exceptions.RayError as error:
            # The worker died more times than Ray retries it, or the task raised: the input is set aside
            # with the reason, not lost, and the rest of the job goes on.
            return fail_input(layout, item, _ray_reason(error), time.monotonic() - started)

    def _cancel_late(self, running: dict[Any, tuple[BulkInput, float]], layout: Layout) -> Iterator[TaskOutcome]:
        now = time.monotonic()
        for ref, (item, started) in list(running.items()):
            if now - started > self.settings.task_timeout:
                self.ray.cancel(ref, force=True)
                del running[ref]
                yield fail_input(layout, item, "timeout", now - started)


def _ray_reason(error: BaseException) -> str:
    name = type(error).__name__
    if "WorkerCrashed" in name or "NodeDied" in name:
        return "worker-died"
    if "OutOfMemory" in name:
        return "out-of-memory"
    return f"error: {name}"


def run_on_ray(todo: Sequence[BulkInput], layout: Layout, settings: BulkSettings) -> Iterator[TaskOutcome]:
    with RayEngine(settings) as engine:
        yield from engine.run(todo, layout)


def run_on_processes(todo: Sequence[BulkInput], layout: Layout, settings: BulkSettings) -> Iterator[TaskOutcome]:
    with ProcessPoolExecutor(settings.workers or os.cpu_count() or 1) as pool:
        futures = {pool.submit(extract_file, item, str(layout.root)): item for item in todo}
        for future in as_completed(futures):
            try:
                yield TaskOutcome(**future.result())
            except BrokenProcessPool:
                yield fail_input(layout, futures[future], "worker-died")


# Local Ray folders are named after the driver's process id, so that a rerun can remove those whose driver
# was killed before it could (SIGKILL runs no cleanup).
RAY_FOLDER_PREFIX = "warta-ray-"


def _short_folder() -> Path:
    # Ray puts Unix sockets in its folder, whose paths are limited to about a hundred bytes: a deep
    # TMPDIR would break it, so the folder goes in /tmp when there is one.
    parent = Path("/tmp") if os.path.isdir("/tmp") else Path(tempfile.gettempdir())
    for stale in parent.glob(f"{RAY_FOLDER_PREFIX}*"):
        owner = stale.name.removeprefix(RAY_FOLDER_PREFIX).partition("-")[0]
        if owner.isdigit() and not _alive(int(owner)):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{RAY_FOLDER_PREFIX}{os.getpid()}-", dir=parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
