"""Benchmark `warta clean` on a large web-text corpus: records per second on all cores, and flat memory.

    python benchmarks/clean.py [--records 100000] [--workers 2] [--data-dir ../shared/data]

The corpus is built from the pages of the shared sets (fundus, id-news, wcxb-dev), each flattened to
whole-page text as in benchmarks/flat.py, and cycled until there are `--records` records. Each cycle puts
its copies on hosts of their own ("c7.www.example.com"), so no site holds the same page twice (which would
make every line recurring) and the run meets far more sites than the memory keeps (its eviction is
exercised). Records are generated in the process, not read from disk: the figure is the cleaner's.

Reported: records per second (wall clock, serialising each output record to JSON), and the resident
memory of the parent and its workers together, sampled as the run goes: flat memory means the last
samples are no higher than the first ones after warm-up.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)

from benchmarks.datasets import load, read_html  # noqa: E402
from benchmarks.training.lines import flatten  # noqa: E402

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
SAMPLES = 10  # memory samples over the run


def rss_mb(pid: int) -> float:
    """Resident memory of one process, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def total_rss_mb() -> float:
    import os

    return rss_mb(os.getpid()) + sum(rss_mb(child.pid) for child in multiprocessing.active_children() if child.pid)


def pages(data_dir: Path) -> list[tuple[str, str]]:
    out = []
    for name in ("fundus", "id-news", "wcxb-dev"):
        for page in load(name, data_dir):
            text = flatten(read_html(page.path))
            if text.strip():
                out.append((page.url or f"https://{name}.example/{page.page_id}", text))
    return out


def corpus(source: list[tuple[str, str]], records: int) -> Iterator[str]:
    for index in range(records):
        cycle, (url, text) = index // len(source), source[index % len(source)]
        parts = urlsplit(url)
        host = f"c{cycle}.{parts.hostname or 'example.com'}"
        yield json.dumps({"id": index, "url": urlunsplit(parts._replace(netloc=host)), "text": text})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    from warta.jobs.corpus import clean_corpus, tally
    from warta.jobs.workers import Summary

    source = pages(args.data_dir)
    print(f"{len(source)} distinct flattened pages, cycled to {args.records} records", flush=True)
    summary = Summary("clean")
    every = max(1, args.records // SAMPLES)
    samples: list[tuple[int, float, float]] = []
    started = time.perf_counter()
    out_bytes = 0
    for done, outcome in enumerate(clean_corpus(corpus(source, args.records), args.workers), start=1):
        tally(summary, outcome)
        if outcome.record is not None:
            out_bytes += len(json.dumps(outcome.record, ensure_ascii=False))
        if done % every == 0:
            elapsed = time.perf_counter() - started
            samples.append((done, elapsed, total_rss_mb()))
            print(f"{done:>8} records  {done / elapsed:7.1f} rec/s  rss {samples[-1][2]:7.1f} MB", flush=True)
    elapsed = time.perf_counter() - started
    print(summary.line())
    print(f"records/s: {args.records / elapsed:.1f} over {elapsed:.1f} s; output {out_bytes / 1e6:.1f} MB of JSON")
    if len(samples) >= 3:
        print(
            f"memory (parent + workers): {samples[1][2]:.0f} MB at {samples[1][0]} records, "
            f"{samples[-1][2]:.0f} MB at {samples[-1][0]}; peak sample {max(s[2] for s in samples):.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
