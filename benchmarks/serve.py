"""Benchmark `warta serve`, the web reader and API, on a store of 100,000 articles.

    python benchmarks/serve.py [--articles 100000] [--db benchmarks/results/serve-100k.db | postgresql://...]
                               [--duration 30] [--clients 50] [--requests 500] [--skip-build]

The store is built first by benchmarks/serve_store.py (distinct variants of the shared sets' articles on
200 synthetic publishers over two years; see there), or reused when it holds `--articles` articles. Then
`warta --db URL serve` is started on a free port of 127.0.0.1 and, once GET /api/v1/articles?limit=1
answers 200, measured with one `httpx.AsyncClient` (keep-alive, up to `--clients` connections):

- ids: the ids of the newest 2,000 articles, read from /api/v1/articles?limit=100 page by page (`cursor=`),
  timing each page (`list json`);
- queries: 200 searches of 1 to 3 consecutive words of stored titles, spread over the store's languages
  with Indonesian always among them (fixed seed);
- sequential latency: `--requests` requests of each kind one after the other (p50, p95, max): search as
  JSON (/api/v1/search?q=..&limit=20) and as HTML (/search?q=..), article page (/articles/{id}) and
  article JSON (/api/v1/articles/{id}), after 10 untimed requests of each;
- throughput: `--clients` concurrent clients, each sending its next request as soon as the last one
  answered, for `--duration` seconds, a mix of 50% article pages, 25% article JSON and 25% JSON searches:
  requests per second (answers before the deadline over `--duration`), p50/p95/p99 under load (the
  requests in flight at the deadline included), and errors.

An error is an exception (connection, timeout) or a status outside 2xx; a 2xx answer whose body does not
follow the contract (JSON without `hits`, an article of another id, an HTML page that is not HTML) is
counted apart as `invalid`. Both must be zero. The server's resident memory is read (with its children)
when it is ready, after the sequential runs and after the load, and its CPU time over the load.

The client and the server share the machine: the load generator's CPU time is reported next to the
server's (httpx tops out near 450 requests per second on one core here), and the load average before the
load run is recorded, since anything else running on the machine lowers the figures.
Results: a markdown table on stdout, everything in benchmarks/results/serve.json (`--json`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shlex
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)
elif str(_REPO_DIR) not in sys.path:
    sys.path.insert(0, str(_REPO_DIR))

import httpx  # noqa: E402

from benchmarks.clean import rss_mb  # noqa: E402
from benchmarks.crawl import cpu_seconds  # noqa: E402
from benchmarks.run import _git_state  # noqa: E402
from benchmarks.serve_store import DEFAULT_ARTICLES, DEFAULT_DATA_DIR, build_store, default_db  # noqa: E402

DEFAULT_JSON = _BENCH_DIR / "results" / "serve.json"
WARTA = Path(sys.executable).with_name("warta")
STARTUP_TIMEOUT = 120.0  # seconds for the server to answer its first request
REQUEST_TIMEOUT = 30.0  # seconds for one request; a slower one counts as an error
SAMPLE_IDS = 2_000  # article ids collected from the listing
PAGE_SIZE = 100  # articles per listing page
QUERIES = 200
WARMUP = 10  # untimed requests of each kind before the sequential runs
SEED = 20260101
MIX = (("article html", 50), ("article json", 25), ("search json", 25))  # the load's requests, by weight
# Words too common to begin or end a search (a query of one or of several words), per language.
STOPWORDS_BY_LANGUAGE = {
    "en": "the and for with from that this are was were has have will not but you your its our their who what how",
    "de": "der die das und mit von den dem des ein eine einer ist im zu auf für nicht sich auch",
    "fr": "les des une pour dans par sur est aux qui que",
    "es": "los las del una por para con que como",
    "id": "yang dan di ke dari ini itu untuk dengan pada dalam akan tidak ada oleh juga atau karena",
    "sv": "och att det som för med",
}
STOPWORDS = frozenset(word for words in STOPWORDS_BY_LANGUAGE.values() for word in words.split())
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


# ---------------------------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc (uvicorn workers, if the server starts any)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(child) for child in children)
    return out


def server_rss_mb(pid: int) -> float:
    """Resident memory of the server and its children: psutil where installed, else /proc."""
    try:
        import psutil  # type: ignore[import-untyped]
    except ImportError:
        return round(sum(rss_mb(p) for p in process_tree(pid)), 1)
    try:
        process = psutil.Process(pid)
        processes = [process, *process.children(recursive=True)]
        return round(sum(p.memory_info().rss for p in processes) / 2**20, 1)
    except psutil.Error:
        return 0.0


def server_cpu(pid: int) -> float:
    return sum(cpu_seconds(p) for p in process_tree(pid))


@dataclass
class Server:
    """`warta serve` as a subprocess, its output in a log file."""

    db: str
    log_path: Path
    workers: int = 1
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def command(self) -> list[str]:
        return [
            str(WARTA), "--db", self.db, "serve", "--host", "127.0.0.1", "--port", str(self.port),
            "--workers", str(self.workers),
        ]  # fmt: skip

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    async def wait_ready(self, client: httpx.AsyncClient, timeout: float = STARTUP_TIMEOUT) -> float:
        """Seconds until GET /api/v1/articles?limit=1 answers 200; exits with the log if it never does."""
        assert self.process is not None
        started = time.perf_counter()
        last = "no answer"
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"`{shlex.join(self.command)}` exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                response = await client.get("/api/v1/articles", params={"limit": 1}, timeout=5)
                if response.status_code == 200:
                    return time.perf_counter() - started
                last = f"status {response.status_code}: {response.text[:200]}"
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            await asyncio.sleep(0.2)
        self.stop()
        raise SystemExit(f"the server did not answer 200 within {timeout:.0f} s ({last}):\n{self.log_tail()}")

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.terminate()
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=15)


# -------------------------------------------------------------------------------------------- requests


@dataclass
class Tally:
    """Latencies of one kind of request, and what went wrong."""

    latencies: list[float] = field(default_factory=list)  # seconds, of the 2xx answers
    errors: Counter[str] = field(default_factory=Counter)  # "status 500", "ReadTimeout", ...
    invalid: Counter[str] = field(default_factory=Counter)  # 2xx answers that break the contract
    examples: list[str] = field(default_factory=list)  # the first few failures, with their URL
    in_window: int = 0  # requests of a timed run answered before its deadline (requests per second)

    def fail(self, counter: Counter[str], reason: str, url: str) -> None:
        counter[reason] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{url}: {reason}")

    def summary(self, seconds: float | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "requests": len(self.latencies) + sum(self.errors.values()),
            "ok": len(self.latencies),
            "errors": sum(self.errors.values()),
            "invalid": sum(self.invalid.values()),
            "p50_ms": _ms(percentile(self.latencies, 50)),
            "p95_ms": _ms(percentile(self.latencies, 95)),
            "p99_ms": _ms(percentile(self.latencies, 99)),
            "max_ms": _ms(max(self.latencies, default=None)),
            "mean_ms": _ms(sum(self.latencies) / len(self.latencies) if self.latencies else None),
        }
        if seconds:
            out["per_second"] = round(self.in_window / seconds, 1)
        if self.errors or self.invalid:
            out["error_reasons"] = dict(self.errors)
            out["invalid_reasons"] = dict(self.invalid)
            out["examples"] = list(self.examples)
        return out


def percentile(values: list[float], pct: float) -> float | None:
    """The nearest-rank percentile (no interpolation: p95 of 500 values is the 475th)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def _ms(seconds: float | None) -> float | None:
    return round(seconds * 1000, 1) if seconds is not None else None


Check = Callable[[httpx.Response], str | None]  # why a 2xx answer breaks the contract, or None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def check_html(response: httpx.Response) -> str | None:
    if "text/html" not in response.headers.get("content-type", ""):
        return f"content-type {response.headers.get('content-type')!r}"
    return None if b"<" in response.content[:2000] else "not HTML"


def check_search(response: httpx.Response) -> str | None:
    data = _json(response)
    if not isinstance(data, dict) or not isinstance(data.get("hits"), list) or "total" not in data:
        return "not {total, hits}"
    return None


def check_article(article_id: str) -> Check:
    def check(response: httpx.Response) -> str | None:
        data = _json(response)
        if not isinstance(data, dict):
            return "not a JSON object"
        # The article may be the object itself or wrapped in {"article": ...}.
        article = data["article"] if isinstance(data.get("article"), dict) else data
        return None if article.get("id") == article_id else f"id {article.get('id')!r}"

    return check


async def timed(client: httpx.AsyncClient, url: str, tally: Tally, check: Check | None, validate: bool) -> None:
    """One GET: its latency into `tally` when it answers 2xx, else an error."""
    started = time.perf_counter()
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        tally.fail(tally.errors, type(exc).__name__, url)
        return
    except Exception as exc:  # anything else the client raises is an error too, not a crash of the run
        tally.fail(tally.errors, f"{type(exc).__name__}: {exc}", url)
        return
    seconds = time.perf_counter() - started
    if not 200 <= response.status_code < 300:
        tally.fail(tally.errors, f"status {response.status_code}", url)
        return
    tally.latencies.append(seconds)
    if validate and check is not None:
        reason = check(response)
        if reason is not None:
            tally.fail(tally.invalid, reason, url)


@dataclass(frozen=True, slots=True)
class Request:
    kind: str
    url: str
    check: Check | None


def request(kind: str, rng: random.Random, ids: list[str], queries: list[str]) -> Request:
    if kind == "article html":
        return Request(kind, f"/articles/{rng.choice(ids)}", check_html)
    if kind == "article json":
        article_id = rng.choice(ids)
        return Request(kind, f"/api/v1/articles/{article_id}", check_article(article_id))
    query = quote(rng.choice(queries))
    if kind == "search json":
        return Request(kind, f"/api/v1/search?q={query}&limit=20", check_search)
    return Request(kind, f"/search?q={query}", check_html)


# ------------------------------------------------------------------------------------------ the runs


async def collect_ids(client: httpx.AsyncClient, count: int) -> tuple[list[str], Tally]:
    """The ids of the first `count` articles of the listing, following its cursor; the pages timed."""
    ids: list[str] = []
    tally = Tally()
    cursor: str | None = None
    while len(ids) < count:
        params = {"limit": str(PAGE_SIZE)} | ({"cursor": cursor} if cursor else {})
        started = time.perf_counter()
        response = await client.get("/api/v1/articles", params=params)
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            tally.fail(tally.errors, f"status {response.status_code}", str(response.url))
            break
        tally.latencies.append(seconds)
        data = _json(response)
        articles = data.get("articles") if isinstance(data, dict) else None
        if not isinstance(articles, list):
            tally.fail(tally.invalid, "not {articles, next}", str(response.url))
            break
        page_ids = [a.get("id") for a in articles if isinstance(a, dict)]
        bad = [i for i in page_ids if not (isinstance(i, str) and re.fullmatch(r"[0-9a-f]{16}", i))]
        if bad:
            tally.fail(tally.invalid, f"ids not 16 hex digits, e.g. {bad[0]!r}", str(response.url))
        ids.extend(i for i in page_ids if isinstance(i, str))
        cursor = data.get("next")
        if not cursor or not articles:
            break
    if len(set(ids)) != len(ids):
        tally.fail(tally.invalid, f"{len(ids) - len(set(ids))} ids listed twice across pages", "/api/v1/articles")
    return list(dict.fromkeys(ids))[:count], tally


def stored_titles(db: str, limit: int = 20_000) -> list[tuple[str, str | None]]:
    """(title, language) of up to `limit` distinct stored titles, read from the store directly."""
    from sqlalchemy import select

    from warta.store import Store
    from warta.store.schema import articles

    with Store(db) as store, store.engine.connect() as connection:
        query = (
            select(articles.c.title, articles.c.language)
            .where(articles.c.title.is_not(None))
            .group_by(articles.c.title, articles.c.language)
            .limit(limit)
        )
        return [(row.title, row.language) for row in connection.execute(query)]


def make_queries(titles: list[tuple[str, str | None]], count: int = QUERIES, seed: int = SEED) -> list[tuple[str, str]]:
    """`count` searches of 1-3 consecutive title words, spread over the languages, Indonesian included.

    Each language gets a share in proportion to its titles, at least 3 queries if it has titles enough and
    at least a tenth of all for Indonesian: a reader of Warta searches in Indonesian first.
    """
    rng = random.Random(seed)
    by_language: dict[str, list[list[str]]] = {}
    for title, language in sorted(titles, key=lambda t: (t[1] or "", t[0])):
        words = [w.lower() for w in WORD.findall(title) if len(w) <= 20]
        if words:
            by_language.setdefault(language or "unknown", []).append(words)
    total = sum(len(v) for v in by_language.values()) or 1
    shares = {lang: max(3, round(count * len(v) / total)) for lang, v in by_language.items() if len(v) >= 5}
    if "id" in by_language:
        shares["id"] = max(shares.get("id", 0), count // 10)
    while sum(shares.values()) > count:
        largest = max(shares, key=lambda language: shares[language])
        shares[largest] -= 1
    queries: dict[str, str] = {}  # query: language
    for language, share in sorted(shares.items()):
        pool, wanted = by_language[language], share
        for _attempt in range(share * 50):
            if wanted <= 0:
                break
            words = rng.choice(pool)
            size = rng.choices((1, 2, 3), weights=(4, 4, 2))[0]
            if len(words) < size:
                continue
            start = rng.randrange(len(words) - size + 1)
            chosen = words[start : start + size]
            if chosen[0] in STOPWORDS or chosen[-1] in STOPWORDS or (size == 1 and len(chosen[0]) < 4):
                continue
            query = " ".join(chosen)
            if query not in queries:
                queries[query] = language
                wanted -= 1
    out = list(queries.items())
    rng.shuffle(out)
    return out


async def sequential(
    client: httpx.AsyncClient, kind: str, count: int, ids: list[str], queries: list[str]
) -> dict[str, Any]:
    rng = random.Random(f"{SEED}-{kind}")
    for _ in range(WARMUP):
        req = request(kind, rng, ids, queries)
        await timed(client, req.url, Tally(), None, False)
    tally = Tally()
    started = time.perf_counter()
    for _ in range(count):
        req = request(kind, rng, ids, queries)
        await timed(client, req.url, tally, req.check, True)
    return tally.summary() | {"seconds": round(time.perf_counter() - started, 2)}


async def search_hits(client: httpx.AsyncClient, queries: list[str]) -> dict[str, Any]:
    """How many of the queries find something: a search that finds nothing for every query is broken."""
    totals = []
    for query in queries:
        try:
            response = await client.get("/api/v1/search", params={"q": query, "limit": 20})
        except httpx.HTTPError:
            continue
        data = _json(response) if response.status_code == 200 else None
        if isinstance(data, dict) and isinstance(data.get("total"), int):
            totals.append(data["total"])
    return {
        "queries": len(queries),
        "answered": len(totals),
        "with_hits": sum(1 for t in totals if t > 0),
        "median_total": sorted(totals)[len(totals) // 2] if totals else None,
    }


async def load(
    client: httpx.AsyncClient, clients: int, duration: float, ids: list[str], queries: list[str], validate: bool
) -> tuple[dict[str, Tally], float]:
    """`clients` loops sending the mixed workload back to back for `duration` seconds.

    Requests per second counts the answers that came before the deadline; the requests still in flight
    then are waited for and counted in the latencies, errors and `requests`, not in the rate.
    """
    tallies = {kind: Tally() for kind, _ in MIX}
    kinds, weights = zip(*MIX, strict=True)
    deadline = time.perf_counter() + duration

    async def one_client(number: int) -> None:
        rng = random.Random(f"{SEED}-load-{number}")
        while time.perf_counter() < deadline:
            kind = rng.choices(kinds, weights)[0]
            req = request(kind, rng, ids, queries)
            await timed(client, req.url, tallies[kind], req.check, validate)
            if time.perf_counter() <= deadline:
                tallies[kind].in_window += 1

    started = time.perf_counter()
    await asyncio.gather(*(one_client(n) for n in range(clients)))
    return tallies, time.perf_counter() - started


def merged(tallies: dict[str, Tally]) -> Tally:
    out = Tally()
    for tally in tallies.values():
        out.latencies.extend(tally.latencies)
        out.errors.update(tally.errors)
        out.invalid.update(tally.invalid)
        out.in_window += tally.in_window
        out.examples.extend(tally.examples[: 5 - len(out.examples)])
    return out


async def measure(server: Server, args: argparse.Namespace, queries: list[str]) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=server.base, limits=limits, timeout=REQUEST_TIMEOUT) as client:
        ready = await server.wait_ready(client)
        print(f"server ready in {ready:.1f} s (pid {server.pid}, {server.base})", flush=True)
        results: dict[str, Any] = {"startup_seconds": round(ready, 2), "rss_mb": {}}
        results["rss_mb"]["ready"] = server_rss_mb(server.pid)

        ids, listing = await collect_ids(client, SAMPLE_IDS)
        results["ids"] = len(ids)
        results["sequential"] = {"list json": listing.summary()}
        print(f"{len(ids)} article ids from {len(listing.latencies)} listing pages", flush=True)
        if not ids:
            raise SystemExit(f"the listing gave no article ids: {listing.summary()}")
        results["search_hits"] = await search_hits(client, queries)
        print(f"queries: {results['search_hits']}", flush=True)

        for kind in ("search json", "search html", "article html", "article json"):
            results["sequential"][kind] = summary = await sequential(client, kind, args.requests, ids, queries)
            print(f"sequential {kind:<13} {_line(summary)}", flush=True)
        results["rss_mb"]["after_sequential"] = server_rss_mb(server.pid)

        results["load_average_before_load"] = [round(value, 2) for value in os.getloadavg()]
        cpu_server, cpu_client = server_cpu(server.pid), cpu_seconds(os.getpid())
        tallies, wall = await load(client, args.clients, args.duration, ids, queries, not args.no_validate)
        cpu_server, cpu_client = server_cpu(server.pid) - cpu_server, cpu_seconds(os.getpid()) - cpu_client
        results["rss_mb"]["after_load"] = server_rss_mb(server.pid)
        total = merged(tallies)
        results["load"] = {
            "clients": args.clients,
            "seconds": args.duration,
            "wall_seconds": round(wall, 2),  # with the requests in flight at the deadline
            "mix": dict(MIX),
            "all": total.summary(args.duration),
            "by_kind": {kind: tally.summary(args.duration) for kind, tally in tallies.items()},
            "server_cpu_seconds": round(cpu_server, 1),
            "client_cpu_seconds": round(cpu_client, 1),
        }
        summary = results["load"]["all"]
        print(
            f"load {summary['requests']} requests in {wall:.1f} s, {summary['per_second']} req/s: "
            f"{_line(summary)}; cpu: server {cpu_server:.1f} s, client {cpu_client:.1f} s",
            flush=True,
        )
    return results


# ------------------------------------------------------------------------------------------- report


def _line(summary: dict[str, Any]) -> str:
    return (
        f"p50 {summary['p50_ms']} ms  p95 {summary['p95_ms']} ms  max {summary['max_ms']} ms  "
        f"errors {summary['errors']}  invalid {summary['invalid']}"
    )


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)


def format_table(results: dict[str, Any]) -> str:
    rows = [
        "| measurement | requests | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | invalid |",
        "|---" * 9 + "|",
    ]
    for kind, s in results["sequential"].items():
        cells = [f"sequential {kind}", s["requests"], s["p50_ms"], s["p95_ms"], s["p99_ms"], s["max_ms"], None,
                 s["errors"], s["invalid"]]  # fmt: skip
        rows.append("| " + " | ".join(map(_cell, cells)) + " |")
    load_ = results["load"]
    for kind, s in [(f"load ({load_['clients']} clients) all", load_["all"])] + [
        (f"load {kind}", s) for kind, s in load_["by_kind"].items()
    ]:
        cells = [kind, s["requests"], s["p50_ms"], s["p95_ms"], s["p99_ms"], s["max_ms"], s.get("per_second"),
                 s["errors"], s["invalid"]]  # fmt: skip
        rows.append("| " + " | ".join(map(_cell, cells)) + " |")
    rss, hits = results["rss_mb"], results["search_hits"]
    rows.append("")
    rows.append(
        f"search: {hits['with_hits']} of {hits['queries']} queries find something "
        f"(median total {hits['median_total']}); {results['ids']} article ids sampled from the listing"
    )
    rows.append("")
    rows.append(
        f"server RSS (MB): ready {rss.get('ready')}, after sequential {rss.get('after_sequential')}, "
        f"after load {rss.get('after_load')}; CPU over the load: server {load_['server_cpu_seconds']} s, "
        f"client {load_['client_cpu_seconds']} s of {load_['wall_seconds']} s on {os.cpu_count()} cores; "
        f"load average before the load {results['load_average_before_load'][0]}"
    )
    return "\n".join(rows)


def _redacted(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@/]+@", r"://\1:***@", url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="articles in the store")
    parser.add_argument("--db", help="SQLite path or postgresql:// URL (default benchmarks/results/serve-<N>.db)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of the load run")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients of the load run")
    parser.add_argument("--requests", type=int, default=500, help="sequential requests of each kind")
    parser.add_argument("--skip-build", action="store_true", help="use the store as it is")
    parser.add_argument("--no-validate", action="store_true", help="do not check bodies under load")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--workers", type=int, default=None, help="extraction processes for the build")
    parser.add_argument("--server-workers", type=int, default=1, help="`warta serve --workers`")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    db = args.db or default_db(args.articles)
    started = datetime.now(UTC)

    if args.skip_build:
        from warta.store import Store

        with Store(db) as store:
            build: dict[str, Any] = {"articles": store.article_count(), "built": 0, "reused": True}
        if not build["articles"]:
            raise SystemExit(f"the store at {_redacted(db)} holds no articles: build it (leave out --skip-build)")
        print(f"store has {build['articles']} articles (--skip-build)", flush=True)
    else:
        build = build_store(db, args.articles, args.data_dir, args.workers)
    pairs = make_queries(stored_titles(db))
    queries = [query for query, _ in pairs]
    languages = Counter(language for _, language in pairs)
    print(
        f"{len(queries)} queries ({', '.join(f'{lang} {n}' for lang, n in languages.most_common())}), "
        f"e.g. {', '.join(repr(q) for q in queries[:6])}",
        flush=True,
    )

    server = Server(db, args.json.with_suffix(".server.log"), workers=args.server_workers)
    server.start()
    try:
        results = asyncio.run(measure(server, args, queries))
    finally:
        code = server.stop()
    errors = results["load"]["all"]["errors"] + sum(s["errors"] for s in results["sequential"].values())
    invalid = results["load"]["all"]["invalid"] + sum(s["invalid"] for s in results["sequential"].values())
    out = {
        "meta": {
            "date": started.isoformat(timespec="seconds"),
            "command": shlex.join([sys.executable, *sys.argv]),
            "server_command": shlex.join(server.command).replace(db, _redacted(db)),
            "server_exit_code": code,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "db": _redacted(db),
            "duration": args.duration,
            "requests": args.requests,
            **_git_state(),
        },
        "store": build,
        "queries": [{"q": query, "language": language} for query, language in pairs],
        **results,
        "errors": errors,
        "invalid": invalid,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(f"`warta serve` on {build['articles']} articles ({_redacted(db)})")
    print()
    print(format_table(results))
    print()
    print(f"errors {errors}, invalid answers {invalid}; results in {args.json}, server log in {server.log_path}")
    return 1 if errors or invalid else 0


if __name__ == "__main__":
    raise SystemExit(main())
