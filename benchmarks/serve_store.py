"""Build a store of many distinct articles for benchmarks/serve.py, from the pages of the shared sets.

    python benchmarks/serve_store.py [--articles 100000] [--db benchmarks/results/serve-100k.db]
                                     [--workers 2] [--data-dir ../shared/data]

The pages of fundus, id-news, wcxb-dev and trafilatura-eval are extracted with `warta.extract` on a pool of
processes; the articles with a title and a body (and judged an article, as a crawl would store) are the
sources. Article number n is source `n % S`, copy `n // S`, varied so that no two articles are the same:

- its canonical URL is on one of `PUBLISHERS` synthetic publishers, each named after an original host with a
  suffix ("kompas.com #7", https://p7.kompas.com/), and ends with n, so every URL is distinct;
- its publication time is spread over `SPAN` (a fixed seed per n), in the article's own UTC offset;
- its body is the source's with one paragraph dropped and the rest rotated, by copy number, so copies
  differ in text and in content hash.

Articles are written one `Store.save` (one transaction) at a time, as a crawl writes them, so the build
rate is the store's write rate, search index included. A store that already holds the articles is reused;
one that holds fewer (a build that was stopped) is completed from where it stopped, since article n is
always the same article.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)
elif str(_REPO_DIR) not in sys.path:
    sys.path.insert(0, str(_REPO_DIR))

from benchmarks.datasets import load, read_html  # noqa: E402
from warta.models import Article, Block, BlockKind, Fetched, PageKind  # noqa: E402

if TYPE_CHECKING:
    from warta.store import Store

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
DEFAULT_ARTICLES = 100_000
DATASETS = ("fundus", "id-news", "wcxb-dev", "trafilatura-eval")
PUBLISHERS = 200  # synthetic publishers the copies are spread over
SPAN = timedelta(days=730)  # publication times are spread over this period, ending at SPAN_END
SPAN_END = datetime(2026, 1, 1, tzinfo=UTC)
FETCH_DELAY = timedelta(minutes=5)  # fetched this long after publication (first_seen_at, pages.fetched_at)
PROGRESS_EVERY = 5_000  # articles between progress lines


@dataclass(frozen=True, slots=True)
class Extracted:
    """What the pool returns for one page: the article, or why it is not a source."""

    url: str | None
    article: Article | None
    reason: str | None = None


def _extract(job: tuple[str, str | None]) -> Extracted:
    from warta.errors import WartaError
    from warta.extract import extract

    path, url = job
    try:
        article = extract(read_html(path), url)
    except WartaError as exc:
        return Extracted(url, None, exc.reason)
    except Exception as exc:
        return Extracted(url, None, f"internal-error ({type(exc).__name__})")
    if article.kind is not PageKind.ARTICLE:
        return Extracted(url, None, f"kind {article.kind.value}")
    if not article.title or not article.body:
        return Extracted(url, None, "no title or body")
    return Extracted(url, article)


def source_articles(data_dir: Path, workers: int | None = None) -> list[Article]:
    """The articles of the shared sets with a title and a body, in a fixed order."""
    jobs = [(str(page.path), page.url) for name in DATASETS for page in load(name, data_dir)]
    started = time.perf_counter()
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with context.Pool(workers) as pool:
        results = list(pool.imap(_extract, jobs, chunksize=8))
    seconds = time.perf_counter() - started
    skipped = Counter(result.reason for result in results if result.article is None)
    kept = [result.article for result in results if result.article is not None]
    reasons = ", ".join(f"{reason}: {count}" for reason, count in skipped.most_common())
    print(
        f"extracted {len(jobs)} pages in {seconds:.1f} s ({len(jobs) / seconds:.0f} pages/s): "
        f"{len(kept)} sources kept, skipped {sum(skipped.values())} ({reasons})",
        flush=True,
    )
    return kept


def _host(article: Article) -> str:
    from warta.extract.urls import site_host

    return site_host(article.canonical_url or article.url or "") or "example.com"


def _slug(article: Article) -> str:
    words = re.findall(r"\w+", (article.title or "").lower())[:8]
    return "-".join(words)[:80] or "article"


@dataclass(frozen=True, slots=True)
class Publishers:
    """The synthetic publishers: (id, host) each, and the rank of each original host (most articles first)."""

    rows: tuple[tuple[int, str], ...]
    host_rank: dict[str, int]

    def pick(self, source: Article, copy: int) -> tuple[int, str]:
        # Copies of one source go to different publishers; sources of one host start at the same one.
        return self.rows[(self.host_rank[_host(source)] + copy * 37) % len(self.rows)]


def add_publishers(store: Store, sources: list[Article]) -> Publishers:
    """Register `PUBLISHERS` publishers, named after the sources' hosts with a number ("kompas.com #7")."""
    hosts = [host for host, _ in Counter(map(_host, sources)).most_common()]
    rows = []
    for number in range(PUBLISHERS):
        original = hosts[number % len(hosts)]
        host = f"p{number}.{original}"
        publisher_id, _created = store.add_publisher(f"{original} #{number}", f"https://{host}/")
        rows.append((publisher_id, host))
    return Publishers(tuple(rows), {host: rank for rank, host in enumerate(hosts)})


def vary_body(body: tuple[Block, ...], copy: int) -> tuple[Block, ...]:
    """The body with one paragraph dropped (of three or more) and the rest rotated, chosen by the copy number.

    Copy 0 is the source itself. Copies of a body with P paragraphs and B blocks are distinct up to P x B
    copies; a shorter body repeats sooner, which only makes some copies share a content hash.
    """
    if copy == 0:
        return body
    blocks = list(body)
    paragraphs = [i for i, block in enumerate(body) if block.kind is BlockKind.PARAGRAPH]
    if len(paragraphs) >= 3:
        del blocks[paragraphs[copy % len(paragraphs)]]
        shift = (copy // len(paragraphs)) % len(blocks)
    else:
        shift = copy % len(blocks)
    return tuple(blocks[shift:] + blocks[:shift])


def variant(number: int, sources: list[Article], publishers: Publishers) -> tuple[Article, int, datetime]:
    """Article `number`: its source varied as the module says; with its publisher id and fetch time."""
    source = sources[number % len(sources)]
    copy = number // len(sources)
    publisher_id, host = publishers.pick(source, copy)
    rng = random.Random(number)
    instant = SPAN_END - SPAN * rng.random()
    zone = source.published.tzinfo if source.published is not None and source.published.tzinfo else UTC
    published = instant.astimezone(zone).replace(microsecond=0)
    updated = None
    if source.published is not None and source.updated is not None and source.updated.tzinfo is not None:
        updated = (published + (source.updated - source.published)).astimezone(source.updated.tzinfo)
    url = f"https://{host}/{published:%Y/%m/%d}/{_slug(source)}-{number}"
    article = replace(
        source,
        url=url,
        canonical_url=url,
        published=published,
        updated=updated,
        body=vary_body(source.body, copy),
    )
    return article, publisher_id, published.astimezone(UTC) + FETCH_DELAY


def build_store(url: str, articles: int, data_dir: Path, workers: int | None = None) -> dict[str, object]:
    """Make the store at `url` hold articles 0 to `articles - 1`; returns what was done and how fast."""
    from warta.store import Store

    with Store(url) as store:
        present = store.article_count()
        if present == articles:
            print(f"store has {present} articles: reused", flush=True)
            return {"articles": present, "built": 0, "reused": True}
        if present > articles:
            raise SystemExit(f"the store holds {present} articles, more than {articles}: use another --db")
        sources = source_articles(data_dir, workers)
        if not sources:
            raise SystemExit("no source articles: check --data-dir")
        publishers = add_publishers(store, sources)
        if present:
            print(f"store has {present} articles: building the remaining {articles - present}", flush=True)
        started = time.perf_counter()
        outcomes: Counter[str] = Counter()
        for number in range(present, articles):
            article, publisher_id, fetched_at = variant(number, sources, publishers)
            outcomes[
                store.save(
                    article,
                    Fetched(
                        article.url or "",
                        article.url or "",
                        200,
                        (("content-type", "text/html"),),
                        fetched_at=fetched_at,
                    ),
                    publisher_id=publisher_id,
                )
            ] += 1
            done = number + 1 - present
            if done % PROGRESS_EVERY == 0:
                elapsed = time.perf_counter() - started
                print(f"{number + 1:>8} articles  {done / elapsed:7.1f} articles/s", flush=True)
        seconds = time.perf_counter() - started
        built = articles - present
        count = store.article_count()
    rate = built / seconds if seconds else 0.0
    print(
        f"built {built} articles in {seconds:.1f} s: {rate:.1f} articles/s, "
        f"{1000 * seconds / max(1, built):.1f} s per 1,000; store holds {count}; "
        + ", ".join(f"{key}: {value}" for key, value in sorted(outcomes.items())),
        flush=True,
    )
    if count != articles:
        print(f"warning: the store holds {count} articles, expected {articles}", flush=True)
    return {
        "articles": count,
        "built": built,
        "reused": False,
        "sources": len(sources),
        "seconds": round(seconds, 2),
        "articles_per_second": round(rate, 1),
        "outcomes": dict(outcomes),
    }


def default_db(articles: int) -> str:
    size = f"{articles // 1000}k" if articles % 1000 == 0 else str(articles)
    return str(_BENCH_DIR / "results" / f"serve-{size}.db")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--db", help="SQLite path or postgresql:// URL (default benchmarks/results/serve-<N>.db)")
    parser.add_argument("--workers", type=int, default=None, help="extraction processes (default: all cores)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    build_store(args.db or default_db(args.articles), args.articles, args.data_dir, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
