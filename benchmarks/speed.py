"""Time Warta on the same pages several times over: alone, or side by side with a reference tool.

`run.py` times each tool once per page in a fresh process, which is the fair comparison between tools;
on a shared machine one pass is too noisy to tell a 5% change in Warta's own speed. This script reads the
pages into memory first, extracts every page `--rounds` times in one process and reports the best round
(the one least disturbed by other work), the median, the slowest page of the best round and the peak RSS.

    python benchmarks/speed.py --datasets wcxb-dev,fundus --limit 150 --rounds 3

With `--against trafilatura` (or `readability`), each round runs Warta and then the reference tool, each in
a fresh process by `run.py`'s own pass (same adapters, same warm-up page, same timer around the extraction
call), and reports per data set the ratio of Warta's pages/s to the reference's within each round, so that
load from other work on the machine falls on both sides of every ratio. Memory is each worker's absolute
peak RSS and its growth over the level before the tool was imported: both tools' imports and models count.

    python benchmarks/speed.py --datasets fundus,wcxb-dev,id-news --rounds 3 --against trafilatura
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
from typing import Any

from benchmarks.datasets import load, read_html

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
# Seconds one page may take in a side-by-side pass, as in run.py.
TIMEOUT = 120.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--datasets", default="wcxb-dev,fundus")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", default=None, help="a reference tool of run.py to time side by side")
    args = parser.parse_args(argv)
    if args.against:
        return side_by_side(args.data_dir, args.datasets.split(","), args.limit, args.rounds, args.against)
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


def side_by_side(data_dir: Path, datasets: list[str], limit: int | None, rounds: int, against: str) -> int:
    """Warta and `against` in alternating fresh processes; pages/s per set, their ratio per round, memory."""
    from benchmarks.run import _run_pass

    pages = [page for name in datasets for page in load(name, data_dir, limit)]
    tools = ("warta", against)
    # (round, tool) -> the pass's result
    results: dict[tuple[int, str], dict[str, Any]] = {}
    for round_index in range(rounds):
        for tool in tools:
            results[round_index, tool] = _run_pass(tool, pages, TIMEOUT, lambda line: print(line, file=sys.stderr))
    runs = range(rounds)
    print(f"{len(pages)} pages, {rounds} rounds, each tool in a fresh process per round")
    for name in datasets:
        indices = [i for i, page in enumerate(pages) if page.dataset == name]
        rates = {
            tool: [len(indices) / max(sum(results[r, tool]["seconds"][i] for i in indices), 1e-9) for r in runs]
            for tool in tools
        }
        ratios = [rates["warta"][r] / rates[against][r] for r in range(rounds)]
        line = ", ".join(f"{tool} {statistics.median(rates[tool]):.1f}" for tool in tools)
        print(
            f"{name} ({len(indices)} pages): median pages/s {line}; ratio per round "
            f"{' '.join(f'{ratio:.2f}' for ratio in ratios)} (median {statistics.median(ratios):.2f})"
        )
    for tool in tools:
        seconds = [max(zip(results[r, tool]["seconds"], pages, strict=True), key=lambda pair: pair[0]) for r in runs]
        slowest, page = min(seconds, key=lambda pair: pair[0])  # the round least disturbed by other work
        rss = max(results[r, tool]["peak_total_bytes"] for r in range(rounds)) / 2**20
        growth = max(results[r, tool]["peak_delta_bytes"] for r in range(rounds)) / 2**20
        errors = sum(1 for r in range(rounds) for error in results[r, tool]["errors"] if error)
        print(
            f"{tool}: peak RSS {rss:.0f} MB ({growth:+.0f} MB over the interpreter before the import), "
            f"slowest page {slowest * 1000:.0f} ms ({page.dataset}/{page.page_id}), {errors} errors"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
