"""Hostile servers with the default (real-world) deadlines: what each costs a crawl round next to a normal site.

Each row is one `crawl_once` on a fresh SQLite store over a well-behaved publisher (127.0.0.1) and one server
that misbehaves one way (127.0.0.2, from `tests/hostile/servers.py`): its wall time, the pages stored, and
what the round counted, by reason. Only the address guard (loopback let through) and the number of
extraction processes differ from the defaults a user gets.

    .venv/bin/python benchmarks/hostile.py                 # every server, about 10 minutes
    .venv/bin/python benchmarks/hostile.py --only "drip body" --only "429 storm"
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)

from tests.crawl.site import Site, serve  # noqa: E402
from tests.fetch.server import serve as serve_routes  # noqa: E402
from tests.hostile.servers import Hostile, hostiles  # noqa: E402
from warta.fetch import FetchSettings  # noqa: E402
from warta.jobs import CrawlSettings, Summary, crawl_once  # noqa: E402
from warta.models import Link  # noqa: E402
from warta.store import Store  # noqa: E402

NORMAL_ARTICLES = 8


def one(case: Hostile, workers: int) -> tuple[float, int, Summary]:
    site = Site(articles=NORMAL_ARTICLES)
    server, _thread = serve(site)
    try:
        with serve_routes("127.0.0.2") as hostile, tempfile.TemporaryDirectory() as folder:
            case.install(hostile)
            with Store(f"sqlite:///{Path(folder) / 'warta.db'}") as store:
                store.enqueue([Link(f"{site.base}/berita/{n}") for n in range(site.articles)], None)
                store.enqueue([Link(hostile.url(path)) for path in case.paths], None)
                settings = CrawlSettings(fetch=FetchSettings(allowed_networks=("127.0.0.0/8",)), workers=workers)
                started = time.monotonic()
                summary = asyncio.run(crawl_once(store, settings))
                return time.monotonic() - started, summary["new"] + summary["changed"], summary
    finally:
        server.shutdown()
        server.server_close()


def reasons(summary: Summary) -> str:
    parts = [f"skipped {k}: {v}" for k, v in summary.skipped.most_common()]
    parts += [f"error {k}: {v}" for k, v in summary.errors.most_common()]
    parts += [f"queued {k}: {v}" for k, v in summary.deferred.most_common()]
    if summary["throttled"]:
        parts.append(f"throttled: {summary['throttled']}")
    return ", ".join(parts) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="Only the server of this name (repeatable).")
    parser.add_argument("-j", "--workers", type=int, default=2, help="Extraction processes.")
    args = parser.parse_args()
    cases = hostiles(drip_interval=1.0, slow_delay=600.0, bomb_bytes=200 * 1024 * 1024, robots_bytes=10 * 1024 * 1024)
    print(f"| server | crawl wall s | pages stored (of {NORMAL_ARTICLES} normal + hostile) | counted reasons |")
    print("|---|---:|---:|---|")
    for case in cases:
        if args.only and case.name not in args.only:
            continue
        wall, stored, summary = one(case, args.workers)
        total = NORMAL_ARTICLES + len(case.paths)
        print(f"| {case.name} | {wall:.1f} | {stored} of {total} | {reasons(summary)} |", flush=True)


if __name__ == "__main__":
    main()
