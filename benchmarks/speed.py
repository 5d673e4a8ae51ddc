"""Time Warta alone on the same pages several times over, for before/after comparisons of speed work.

`run.py` times each tool once per page in a fresh process, which is the fair comparison between tools;
on a shared machine one pass is too noisy to tell a 5% change in Warta's own speed. This script reads the
pages into memory first, extracts every page `--rounds` times in one process and reports the best round
(the one least disturbed by other work), the median, the slowest page of the best round and the peak RSS.

    python benchmarks/speed.py --datasets wcxb-dev,fundus --limit 150 --rounds 3
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import resource
import statistics
import sys
import time
from pathlib import Path

from benchmarks.datasets import load, read_html

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--datasets", default="wcxb-dev,fundus")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from warta import extract
    from warta.errors import WartaError

    body = importlib.import_module("warta.extract.body")
    pages = [
        (f"{name}/{page.page_id}", read_html(page.path), page.url)
        for name in args.datasets.split(",")
        for page in load(name, args.data_dir, args.limit)
    ]
    extract(pages[0][1], pages[0][2])  # models and detectors load here, not in the first round
    rounds: list[tuple[float, float, str]] = []
    for _ in range(args.rounds):
        total, slowest, slowest_page = 0.0, 0.0, ""
        for key, html, url in pages:
            start = time.perf_counter()
            with contextlib.suppress(WartaError):  # a refused page (a feed, plain text) is timed all the same
                extract(html, url)
            seconds = time.perf_counter() - start
            total += seconds
            if seconds > slowest:
                slowest, slowest_page = seconds, key
        rounds.append((total, slowest, slowest_page))
    best, slowest, slowest_page = min(rounds)
    median = statistics.median(total for total, _slowest, _page in rounds)
    compiled = not body.__file__.endswith(".py")
    print(f"{len(pages)} pages, {args.rounds} rounds, {'compiled' if compiled else 'pure Python'} body walk")
    print(f"pages/s: best {len(pages) / best:.1f}, median {len(pages) / median:.1f}")
    print(f"slowest page (best round): {slowest * 1000:.0f} ms, {slowest_page}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
