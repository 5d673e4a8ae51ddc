"""Time `warta cluster` on a large file of reports made from the pages in ../shared.

    python benchmarks/stories_cluster.py [--count 10000] [--copies 0.2] [--data-dir ../shared/data]

Every HTML page in ../shared is extracted once; each article then gives several reports, each a window of its
body starting at a later paragraph (so every lead is distinct text and has to be embedded), dated within a
few months. A share of the reports (`--copies`) are re-headlined copies of earlier ones, as wire copy is.
The file is clustered by the real command in a child process, whose wall time and peak memory are printed
with the story count.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.training.stories import DEFAULT_DATA

# Characters a window needs to read as a report's opening.
MIN_WINDOW = 300
SPREAD_DAYS = 120


def _read(path: Path) -> dict[str, Any] | None:
    import warta

    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    try:
        article = warta.extract(data)
    except warta.ExtractionError:
        return None
    if not article.text:
        return None
    return {"title": article.title, "text": article.text, "lang": article.language}


def reports(data_dir: Path, count: int, copies: float, seed: int = 7) -> list[dict[str, Any]]:
    pages = sorted(data_dir.rglob("*.html*"))
    with ProcessPoolExecutor() as pool:
        articles = [found for found in pool.map(_read, pages, chunksize=16) if found is not None]
    windows = []
    for n, article in enumerate(articles):
        paragraphs = [p for p in article["text"].split("\n") if p.strip()]
        for start in range(0, len(paragraphs), 2):
            text = "\n".join(paragraphs[start:])
            if len(text) >= MIN_WINDOW:
                windows.append((n, start, text))
    rng = random.Random(seed)
    rng.shuffle(windows)
    out: list[dict[str, Any]] = []
    first_day = date(2022, 1, 1)
    while len(out) < count:
        if out and rng.random() < copies:
            original = rng.choice(out)
            out.append({**original, "id": f"r{len(out)}", "title": f"UPDATE: {original['title']}"})
            continue
        n, start, text = windows[len(out) % len(windows)]
        article = articles[n]
        day = first_day + timedelta(days=rng.randrange(SPREAD_DAYS))
        out.append({"id": f"r{len(out)}", "url": None, "title": article["title"], "text": text,
                    "lang": article["lang"], "published": day.isoformat()})  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--copies", type=float, default=0.2, help="Share of reports that copy an earlier one.")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.make:
        made = reports(args.data_dir, args.count, args.copies)
        args.make.write_text("".join(json.dumps(record) + "\n" for record in made), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "reports.jsonl"
        # Made in a child: a process forked from a large one starts with its peak memory (Linux keeps it
        # across exec), which would then be counted as the command's.
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--make", str(source), "--data-dir", str(args.data_dir),
             "--count", str(args.count), "--copies", str(args.copies)],
            check=True,
        )  # fmt: skip
        print(f"{args.count} reports made in {time.perf_counter() - started:.0f} s", flush=True)
        warta = Path(sys.executable).with_name("warta")
        started = time.perf_counter()
        with (Path(folder) / "out.jsonl").open("w") as out, (Path(folder) / "err.txt").open("w+") as err:
            child = subprocess.Popen([str(warta), "cluster", "--no-progress", str(source)], stdout=out, stderr=err)
            # wait4 gives this child's own peak memory.
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            seconds = time.perf_counter() - started
            err.seek(0)
            last = (err.read().strip().splitlines() or [""])[-1]
    print(last)
    print(
        f"warta cluster: {args.count} reports, {seconds:.0f} s on {os.cpu_count()} cores, "
        f"{args.count / seconds:.1f} reports/s, peak {usage.ru_maxrss / 1024:.0f} MB, exit {child.returncode}"
    )


if __name__ == "__main__":
    main()
