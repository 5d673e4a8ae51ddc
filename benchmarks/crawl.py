"""Benchmark the pipeline: a crawl of a local site of 2,000 article pages, and the import of its archive.

    python benchmarks/crawl.py [--pages 2000] [--postgres postgresql://...] [--data-dir ../shared/data]

The site is served by a separate process on 127.0.0.1 from the pages of the shared sets (fundus, wcxb-dev,
trafilatura-eval, id-news, cycled to `--pages`), with a sitemap listing them all. Politeness is off (no rate
limit, no robots.txt). Reported, on SQLite and (with `--postgres`) on PostgreSQL:

- `extract only`: `warta extract`'s batch path (`warta.jobs.files.extract_many`, all cores) on the same pages as
  files: the extraction the pipeline cannot avoid;
- `crawl`: `warta follow` + `warta crawl --once` end to end: fetch, extract, store, archive to WARC; the
  overhead is how much longer it takes than `extract only`;
- `import`: `warta import` of the crawl's WARC files into a fresh store, with the resident memory of the
  process and its workers sampled along the way (flat memory: no growth after the first samples).

The server process takes some CPU of its own, and the machine has two cores: the crawl row pays for that.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)

from benchmarks.clean import total_rss_mb  # noqa: E402
from benchmarks.datasets import load  # noqa: E402

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"


def page_files(data_dir: Path, count: int) -> list[Path]:
    files: list[Path] = []
    for name in ("fundus", "id-news", "wcxb-dev", "trafilatura-eval"):
        files.extend(page.path for page in load(name, data_dir))
    return [files[i % len(files)] for i in range(count)]


def _serve(directory: str, count: int, port_out: Any) -> None:
    """The site: /a/N serves page N (gunzipped), /sitemap.xml lists them all."""
    files = sorted(Path(directory).iterdir(), key=lambda p: int(p.name.split(".")[0]))

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as news sites serve: HTTP/1.0 would make the crawl pay a connection per page.
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/sitemap.xml":
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                urls = "".join(f"<url><loc>{base}/a/{n}</loc></url>" for n in range(count))
                body = f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>".encode()
                content_type = "application/xml"
            elif self.path.startswith("/a/"):
                body = files[int(self.path[3:])].read_bytes()
                content_type = "text/html"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.put(server.server_address[1])
    server.serve_forever()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """The machine's busy and idle CPU seconds so far, all cores together, from /proc/stat (Linux)."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = fields[3] + fields[4]  # idle and iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - idle) / tick, idle / tick


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def sample_memory(samples: list[float], stop: threading.Event) -> None:
    while not stop.wait(1.0):
        samples.append(total_rss_mb())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--postgres", help="Also run on this PostgreSQL database (its tables are dropped).")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)

    from sqlalchemy import create_engine, text

    from warta.fetch import FetchSettings
    from warta.jobs import CrawlSettings, crawl_once, extract_many, follow, import_warc
    from warta.store import Store
    from warta.store.db import normalize_url

    work = Path(tempfile.mkdtemp(prefix="warta-crawl-bench-"))
    site_dir = work / "site"
    site_dir.mkdir()
    for number, source in enumerate(page_files(args.data_dir, args.pages)):
        (site_dir / f"{number}.html").write_bytes(gzip.decompress(source.read_bytes()))
    context = multiprocessing.get_context("spawn")
    port_queue = context.Queue()
    server = context.Process(target=_serve, args=(str(site_dir), args.pages, port_queue), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port_queue.get(timeout=30)}"

    started, (busy, idle) = time.perf_counter(), machine_cpu()
    extracted = sum(1 for outcome in extract_many(sorted(map(str, site_dir.iterdir()))) if outcome.article)
    extract_seconds = time.perf_counter() - started
    extract_busy, extract_idle = machine_cpu()[0] - busy, machine_cpu()[1] - idle
    print(f"extract only      {args.pages} pages ({extracted} extracted) in {extract_seconds:6.1f} s: "
          f"{args.pages / extract_seconds:6.1f} pages/s")  # fmt: skip

    databases = [("sqlite", f"sqlite:///{work / 'crawl.db'}")]
    if args.postgres:
        engine = create_engine(normalize_url(args.postgres))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        databases.append(("postgresql", args.postgres))
    fetch = FetchSettings(rate_per_host=0, respect_robots=False, allow_private=True)
    for name, url in databases:
        archive = work / f"warc-{name}"
        with Store(url) as store:
            started, served = time.perf_counter(), cpu_seconds(server.pid or 0)
            own, (busy, idle) = own_cpu(), machine_cpu()
            asyncio.run(follow(store, fetch, base + "/sitemap.xml"))
            summary = asyncio.run(crawl_once(store, CrawlSettings(fetch, archive)))
            seconds = time.perf_counter() - started
            server_cpu = cpu_seconds(server.pid or 0) - served
            own, busy, idle = own_cpu() - own, machine_cpu()[0] - busy, machine_cpu()[1] - idle
            fetched = summary["fetched"]
            print(f"crawl ({name:<10}) {fetched} pages in {seconds:6.1f} s: {fetched / seconds:6.1f} "
                  f"pages/s, overhead {100 * (seconds / extract_seconds - 1):+.0f}% over extract only "
                  f"(the site's server used {server_cpu:.1f} s of CPU meanwhile); {summary.line()}")  # fmt: skip
            # Where the cores went: on two busy cores, every CPU-second outside extraction lengthens the crawl.
            print(f"    CPU s: crawl process {own:.1f} ({1000 * own / max(1, fetched):.1f} ms a page), site server "
                  f"{server_cpu:.1f}, the machine {busy:.1f} busy and {idle:.1f} idle; "
                  f"extract only: {extract_busy:.1f} busy, {extract_idle:.1f} idle")  # fmt: skip
        samples: list[float] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(samples, stop), daemon=True)
        sampler.start()
        with Store(f"sqlite:///{work / f'import-{name}.db'}") as store:
            started = time.perf_counter()
            imported = import_warc(store, sorted(archive.glob("*.warc.gz")))
            seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
        series = " ".join(f"{sample:.0f}" for sample in samples[:: max(1, len(samples) // 10)])
        memory = f"rss (parent + workers, MB, every {max(1, len(samples) // 10)} s): {series}" if samples else ""
        records = imported["fetched"]
        print(f"import ({name:<9}) {records} records in {seconds:6.1f} s: "
              f"{records / seconds:6.1f} pages/s on {os.cpu_count()} cores; {memory}")  # fmt: skip
    server.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
