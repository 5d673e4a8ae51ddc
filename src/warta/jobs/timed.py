"""Worker processes with a time limit per task, for the crawl: one page can never hold the crawl up.

`concurrent.futures` cannot stop a task that runs too long (a future's `cancel` does nothing once it runs),
and its pool is fed through a `multiprocessing.Queue`, whose lock is a named semaphore that a crawl killed
with -9 leaves behind ("leaked semaphore objects" from the resource tracker). So this pool is written by
hand, as small as it can be: each worker is one process with one pipe to the parent, no shared queue and no
semaphore. The parent sends a task down an idle worker's pipe and waits, on the event loop, for the answer
to become readable; past the limit it kills that worker and starts another, and the task fails with
`TaskTimeout`. A worker exits when its pipe closes, which is also what happens when the parent dies,
however it dies. Workers ignore SIGINT, so Ctrl-C in a terminal (sent to the whole process group) is
handled once, by the parent.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from warta.errors import WartaError

R = TypeVar("R")

# Seconds a worker is given to exit after its pipe closes, before it is killed.
EXIT_GRACE = 1.0
# Seconds a new worker may take to start and warm up (import the extractor, load its models) before it is
# given up as broken.
STARTUP_LIMIT = 120.0
# Modules the fork server imports once, so that a worker started to replace a killed one is ready at once
# rather than after importing the extractor again (about 3 s).
PRELOAD = ["warta.jobs.pages"]


class TaskTimeout(WartaError):
    """A task ran past the pool's time limit; its worker was killed."""

    reason = "extract-timeout"


class WorkerDied(WartaError):
    """The worker running a task exited without answering (killed, out of memory, a crash in C)."""

    reason = "worker-died"


class TaskFailed(WartaError):
    """The task raised; `detail` names the exception, which stays in the worker."""

    reason = "internal-error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _serve(connection: Connection, warm: Callable[[], object] | None) -> None:
    """A worker's life: warm up, say so, then run what comes down the pipe and answer, until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if warm is not None:
            warm()
        connection.send(("ready", None))
    except BaseException as exc:  # a worker that cannot warm up still serves; its tasks will tell
        connection.send(("ready", f"{type(exc).__name__}: {exc}"[:200]))
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return  # the parent closed the pipe, or died
        try:
            answer: tuple[str, Any] = ("ok", function(*args))
        except BaseException as exc:  # whatever a task raises is the parent's to count
            answer = ("error", f"{type(exc).__name__}: {exc}"[:200])
        try:
            connection.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # an answer that cannot be pickled
            connection.send(("error", f"{type(exc).__name__}: {exc}"[:200]))


class _Worker:
    def __init__(self, context: Any, warm: Callable[[], object] | None) -> None:
        parent, child = multiprocessing.Pipe(duplex=True)
        self.process: BaseProcess = context.Process(target=_serve, args=(child, warm), daemon=True, name="warta-worker")
        self.process.start()
        child.close()  # the worker holds its end; ours closing is how it learns we are gone
        self.connection = parent

    def stop(self, *, kill: bool = False) -> None:
        self.connection.close()
        if kill:
            self.process.kill()
        self.process.join(EXIT_GRACE)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process.close()


class TimedWorkers:
    """`count` worker processes (all cores by default), started when first needed, each task limited to
    `limit` seconds.

    >>> async with TimedWorkers(2, limit=30.0) as workers:  # doctest: +SKIP
    ...     article = await workers.run(extract_page, body, url, None, None)
    """

    def __init__(
        self,
        count: int | None = None,
        *,
        limit: float,
        warm: Callable[[], object] | None = None,
        start: str = "forkserver",
    ) -> None:
        if limit <= 0:
            raise ValueError("limit must be positive")
        self.count = count or os.cpu_count() or 1
        self.limit = limit
        # Run once in each new worker before its first task (loading models): not part of any task's time.
        self.warm = warm
        method = start if start in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)
        if method == "forkserver":
            self._context.set_forkserver_preload(PRELOAD)
        self._workers: list[_Worker] = []
        # Workers being started: counted with the running ones, or every task of a burst that arrives while the
        # first worker starts (seconds, awaited) would start one of its own.
        self._starting = 0
        # Idle workers, and None for a place freed by a killed worker: whoever takes it starts a new one.
        self._idle: asyncio.Queue[_Worker | None] = asyncio.Queue()
        self.replaced = 0  # workers killed for running too long or found dead

    async def __aenter__(self) -> TimedWorkers:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pipe and wait briefly for the workers to exit; kill those that do not."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.connection.close()
        for worker in workers:
            worker.stop()

    async def _take(self) -> _Worker:
        if self._idle.empty() and len(self._workers) + self._starting < self.count:
            return await self._start()
        worker = await self._idle.get()
        return worker if worker is not None else await self._start()

    async def _start(self) -> _Worker:
        # Starting a process blocks until the fork server answers, seconds for the first one (it imports
        # the extractor): in a thread, so that fetches in flight meanwhile do not miss their deadlines.
        self._starting += 1
        try:
            worker = await asyncio.to_thread(_Worker, self._context, self.warm)
        finally:
            self._starting -= 1
        self._workers.append(worker)
        try:
            async with asyncio.timeout(STARTUP_LIMIT):
                await _readable(worker.connection)
            worker.connection.recv()  # ("ready", ...)
        except BaseException as exc:
            worker.stop(kill=True)
            self._workers.remove(worker)
            self._idle.put_nowait(None)  # the place stays free for the next task
            if isinstance(exc, TimeoutError | EOFError | OSError):
                raise WorkerDied(f"a worker did not start within {STARTUP_LIMIT:g} s") from None
            raise
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker`; a new one is started by the next task that finds no idle worker."""
        worker.stop(kill=True)
        self._workers.remove(worker)
        self.replaced += 1
        if len(self._workers) < self.count:
            self._idle.put_nowait(None)

    async def run(self, function: Callable[..., R], *args: Any) -> R:
        """`function(*args)` in a worker; raises `TaskTimeout`, `WorkerDied` or `TaskFailed` instead of
        hanging or losing the failure."""
        worker = await self._take()
        try:
            status, value = await self._call(worker, function, args)
        except TimeoutError:
            self._replace(worker)
            raise TaskTimeout(f"still running after {self.limit:g} s") from None
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerDied("the worker exited without answering") from None
        except BaseException:
            # Cancelled (Ctrl-C, the crawl stopping): the worker is mid-task and its answer would be
            # read by the next task, so it goes.
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        if status != "ok":
            raise TaskFailed(str(value))
        result: R = value
        return result

    async def _call(self, worker: _Worker, function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
        connection = worker.connection
        # A pipe holds 64 KiB; a larger task is written while the idle worker reads it, which is quick.
        connection.send((function, args))
        async with asyncio.timeout(self.limit):
            await _readable(connection)
        answer: tuple[str, Any] = connection.recv()
        return answer


async def _readable(connection: Connection) -> None:
    """Wait, on the event loop, until `connection` has something to read (or its other end is closed)."""
    loop = asyncio.get_running_loop()
    readable = loop.create_future()
    descriptor = connection.fileno()

    def wake() -> None:
        if not readable.done():
            readable.set_result(None)

    loop.add_reader(descriptor, wake)
    try:
        await readable
    finally:
        loop.remove_reader(descriptor)
