"""Benchmark `warta bulk`: extraction of web archives on Ray and on a plain process pool, with 1 and 2 workers,
against `warta import` of the same archives, then the load stage into SQLite and PostgreSQL.

    python benchmarks/bulk.py [--pages 1200] [--files 4] [--postgres postgresql://...] [--data-dir ../shared/data]

The archives are made from the pages of the shared sets (fundus, id-news, wcxb-dev, trafilatura-eval, cycled
to `--pages`), each page a response record at its own URL, split evenly over `--files` .warc.gz files so that
two workers get equal shares. Every run starts from nothing (a fresh output folder or store):

- `import -j N`: `warta.jobs.imports.import_warc`, the code of `warta import`, into a fresh SQLite store (story
  assignment, which `warta import` runs afterwards, is left out: it is not extraction);
- `bulk <engine> -j N`: the real `warta bulk extract` command in a child process, wall time from start to
  exit (so Ray's start and shutdown are counted), its summary giving the peak memory of a worker;
- `load`: `warta bulk load --no-stories` of one bulk output into a fresh store, rows/s from its summary,
  then the same load again, which must load nothing.

The scaling figure is bulk's 2-worker rate over its 1-worker rate (the machine has two cores); Ray's overhead
is its wall time over the process pool's on the same job.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)

from benchmarks.crawl import page_files  # noqa: E402

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
RESULTS = _BENCH_DIR / "results" / "bulk.json"
# Every record is archived at this moment: the store then sees each article once, at one time.
WARC_DATE = "2024-05-01T00:00:00Z"


def write_archives(pages: list[Path], folder: Path, files: int) -> list[Path]:
    """`files` .warc.gz archives holding the pages, dealt out in turn so each file has an equal share."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"part-{n:02d}.warc.gz" for n in range(files)]
    streams = [path.open("wb") for path in paths]
    writers = [WARCWriter(stream, gzip=True) for stream in streams]
    for n, page in enumerate(pages):
        body = page.read_bytes()
        if page.suffix == ".gz":
            body = gzip.decompress(body)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer = writers[n % files]
        record = writer.create_warc_record(
            f"https://bench{n % 97}.example/{n}/{page.name.split('.')[0]}",
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": WARC_DATE},
        )
        writer.write_record(record)
    for stream in streams:
        stream.close()
    return paths


def run_import(archives: list[Path], workers: int, folder: Path) -> dict[str, Any]:
    from warta.jobs.imports import import_warc
    from warta.store import Store

    started = time.perf_counter()
    with Store(f"sqlite:///{folder / f'import-{workers}.db'}") as store:
        summary = import_warc(store, [str(path) for path in archives], workers=workers)
        articles = store.article_count()
    seconds = time.perf_counter() - started
    return {"run": f"import -j {workers}", "seconds": seconds, "articles": articles,
            "articles_per_s": articles / seconds, "extracted": summary["extracted"]}  # fmt: skip


def run_bulk(archives: list[Path], engine: str, workers: int, out: Path) -> dict[str, Any]:
    warta = Path(sys.executable).with_name("warta")
    started = time.perf_counter()
    done = subprocess.run(
        [str(warta), "bulk", "extract", *map(str, archives), "--out", str(out), "--engine", engine,
         "-j", str(workers), "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bulk {engine} -j {workers} failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = json.loads(done.stdout)
    return {"run": f"bulk {engine} -j {workers}", "seconds": seconds, "articles": summary["rows"],
            "articles_per_s": summary["rows"] / seconds, "job_seconds": summary["seconds"],
            "peak_worker_rss_mb": summary["peak_worker_rss_mb"]}  # fmt: skip


def run_load(out: Path, url: str, label: str) -> dict[str, Any]:
    warta = Path(sys.executable).with_name("warta")
    command = [str(warta), "--db", url, "bulk", "load", str(out), "--no-stories", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"load into {label} failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = json.loads(done.stdout)
    rows = sum(summary["articles"].values())
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    second = json.loads(again.stdout)
    return {"run": f"load {label}", "seconds": summary["seconds"], "articles": rows,
            "rows_per_s": rows / summary["seconds"] if summary["seconds"] else 0.0,
            "second_load_rows": sum(second["articles"].values()), "second_load_files": second["files"]}  # fmt: skip


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from warta.store.db import normalize_url

    engine = create_engine(normalize_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--pages", type=int, default=1200)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--postgres", help="A PostgreSQL database to load into (its public schema is emptied).")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        archives = write_archives(page_files(args.data_dir, args.pages), folder / "warc", args.files)
        megabytes = sum(path.stat().st_size for path in archives) / 2**20
        print(f"{args.pages} pages in {args.files} archives, {megabytes:.1f} MB", flush=True)
        for workers in (1, 2):
            rows.append(run_import(archives, workers, folder))
            print(rows[-1], flush=True)
        for engine in ("processes", "ray"):
            for workers in (1, 2):
                rows.append(run_bulk(archives, engine, workers, folder / f"out-{engine}-{workers}"))
                print(rows[-1], flush=True)
        out = folder / "out-ray-2"
        rows.append(run_load(out, f"sqlite:///{folder / 'load.db'}", "sqlite"))
        print(rows[-1], flush=True)
        if args.postgres:
            reset_postgres(args.postgres)
            rows.append(run_load(out, args.postgres, "postgresql"))
            print(rows[-1], flush=True)
    by_run = {row["run"]: row for row in rows}
    figures = {
        "scaling ray (2 workers / 1)": by_run["bulk ray -j 2"]["articles_per_s"]
        / by_run["bulk ray -j 1"]["articles_per_s"],
        "scaling processes (2 / 1)": by_run["bulk processes -j 2"]["articles_per_s"]
        / by_run["bulk processes -j 1"]["articles_per_s"],
        "bulk ray -j 2 / import -j 2": by_run["bulk ray -j 2"]["articles_per_s"]
        / by_run["import -j 2"]["articles_per_s"],
        "ray wall / process pool wall, 1 worker": by_run["bulk ray -j 1"]["seconds"]
        / by_run["bulk processes -j 1"]["seconds"],
        "ray wall / process pool wall, 2 workers": by_run["bulk ray -j 2"]["seconds"]
        / by_run["bulk processes -j 2"]["seconds"],
    }
    print()
    print(f"{'run':<24}{'seconds':>9}{'articles':>10}{'art./s':>9}{'rows/s':>9}{'peak MB':>9}")
    for row in rows:
        print(
            f"{row['run']:<24}{row['seconds']:>9.1f}{row['articles']:>10}{row.get('articles_per_s', 0):>9.1f}"
            f"{row.get('rows_per_s', 0):>9.0f}{row.get('peak_worker_rss_mb', 0):>9.0f}"
        )
    for name, value in figures.items():
        print(f"{name}: {value:.2f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"pages": args.pages, "files": args.files, "rows": rows, "figures": figures}, indent=1)
    )


if __name__ == "__main__":
    main()
