"""The crawl's article saves, off its event loop: one thread writes them to the store, in arrival order.

A crawl's extraction workers keep every core busy, and each page a worker finishes waits for the event loop
to hand it the next one. While the loop sat in a synchronous save (SQL, the search index, the commit: a
few milliseconds an article), a finished worker waited with it: on two cores the machine stood 6% idle
through a 1,000-page crawl (benchmarks/crawl.py). The saves go to one thread instead. The database drivers
release the GIL while they work, so the loop goes on fetching and handing out pages; one thread, not many,
keeps the saves in order and SQLite to its single writer.

An in-memory SQLite store is one connection per thread (SQLAlchemy's pool for it), so another thread would
write to a different, empty database: such a store is written on the loop, as before.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from warta.jobs.pages import keep
from warta.jobs.workers import Summary
from warta.store import Store


class StoreWriter:
    """Runs `warta.jobs.pages.keep` for the crawl in a thread of its own; `close` waits for the saves."""

    def __init__(self, store: Store) -> None:
        self.store = store
        url = store.engine.url
        in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
        self._thread = None if in_memory else ThreadPoolExecutor(1, thread_name_prefix="warta-store")

    async def keep(self, summary: Summary, *args: Any) -> None:
        """`keep(store, summary, *args)`, awaited; its errors (the store unavailable) are raised here."""
        if self._thread is None:
            keep(self.store, summary, *args)
            return
        # The thread counts into a summary of its own, merged on the loop: two threads adding to one
        # Counter could lose counts. A save whose task is cancelled still completes, uncounted.
        counted = Summary(summary.job)
        await asyncio.get_running_loop().run_in_executor(self._thread, partial(keep, self.store, counted, *args))
        summary.merge(counted)

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)
