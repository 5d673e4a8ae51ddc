"""Search quality: Warta's search beside SQLite FTS5's own text analysis, on the real pages of the shared sets.

    python benchmarks/search.py [--db benchmarks/results/search.db] [--data-dir ../shared/data]

The pages of fundus, id-news, wcxb-dev and trafilatura-eval are extracted and stored (once; the store is
reused), one article per canonical URL. Two measures, each for Warta (`Store.search`) and for a plain FTS5
table over the same titles and texts with FTS5's stock analysis (`unicode61 remove_diacritics 2` and the
Porter stemmer, the usual setup), ranked by BM25 with the same title weight:

- known-item search: every article's title, as typed words, is the query; the article should come first.
  Reported per language as the share found first and the share found among the first ten.
- word forms: Indonesian and other pairs where a search for one form should find articles with the other
  ("kerusuhan" and "rusuh"); reported as how many articles each query finds, and whether the other form's
  articles are among them.
- related coverage (Warta only; FTS5 has none): how many articles get any, and every pair found, for reading
  (the sets hold few stories covered twice, so the list is short enough to judge by hand).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if str(_REPO_DIR) not in sys.path:
    sys.path.insert(0, str(_REPO_DIR))

from benchmarks.serve_store import DEFAULT_DATA_DIR, source_articles  # noqa: E402
from warta.extract.urls import site_host  # noqa: E402
from warta.models import Fetched  # noqa: E402
from warta.search import EmptyQuery, analysis, parse  # noqa: E402
from warta.store import Store  # noqa: E402

DEFAULT_DB = _BENCH_DIR / "results" / "search.db"
# Pairs of forms of one word: a search for either should find the articles with the other.
FORM_PAIRS = [
    ("id", "kerusuhan", "rusuh"),
    ("id", "pembangunan", "bangun"),
    ("id", "penerbangan", "terbang"),
    ("id", "dibatalkan", "batal"),
    ("en", "elections", "election"),
    ("de", "Wahlen", "Wahl"),
    ("es", "elecciones", "elección"),
]
TITLE_WEIGHT = 4.0


def build(db: Path, data_dir: Path) -> Store:
    store = Store(f"sqlite:///{db}")
    if store.article_count():
        return store
    publishers: dict[str, int] = {}
    now = datetime.now(UTC)
    for article in source_articles(data_dir):
        key = article.canonical_url or article.url
        if not key:
            continue
        host = site_host(key) or "unknown"
        if host not in publishers:
            publishers[host] = store.add_publisher(article.site_name or host, f"https://{host}/", follow=False)[0]
        store.save(article, Fetched(key, key, 200, fetched_at=now), publisher_id=publishers[host])
    return store


def reference_index(store: Store, tokenizer: str = "porter unicode61 remove_diacritics 2") -> sqlite3.Connection:
    """An in-memory FTS5 table of the same articles, analysed by FTS5 itself."""
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = '{tokenizer}')")
    connection.executemany(
        "INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
        ((row.id, row.title or "", row.text) for row in store.iter_articles()),
    )
    return connection


def reference_search(connection: sqlite3.Connection, text: str, limit: int = 10) -> list[int]:
    # The words as FTS5 would take them from a search box: each quoted, all required.
    words = [token.form for token in analysis.tokens(text)]
    if not words:
        return []
    query = " AND ".join('"' + word.replace('"', "") + '"' for word in words)
    rows = connection.execute(
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, ?, 1.0) LIMIT ?", (query, TITLE_WEIGHT, limit)
    )
    return [int(row[0]) for row in rows]


def warta_search(store: Store, text: str, languages: list[str], limit: int = 10) -> list[int]:
    try:
        query = parse(text, languages)
    except EmptyQuery:
        return []
    return [int(row.id) for row, _ in store.search(query, limit=limit)[1]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    store = build(args.db, args.data_dir)
    reference = reference_index(store)
    # Which articles hold a word form as written (no stemming): what "the other form's articles" are.
    literal = reference_index(store, "unicode61 remove_diacritics 2")
    languages = store.languages()
    rows = [row for row in store.iter_articles() if row.title]
    counts: Counter[str] = Counter()
    found: dict[str, Counter[str]] = {"warta": Counter(), "fts5": Counter()}
    seconds = Counter[str]()
    for row in rows:
        # Titles with a word starting with "-" would be exclusions in Warta's syntax: typed as words here.
        title = " ".join(word.lstrip("-") for word in row.title.split())
        language = row.language or "?"
        counts[language] += 1
        for tool, search in (
            ("warta", lambda text: warta_search(store, text, languages)),
            ("fts5", lambda text: reference_search(reference, text)),
        ):
            started = time.perf_counter()
            ids = search(title)
            seconds[tool] += time.perf_counter() - started
            if ids[:1] == [row.id]:
                found[tool][language + " first"] += 1
            if row.id in ids:
                found[tool][language + " top10"] += 1

    print(f"known-item search: {len(rows)} article titles as queries ({args.db})\n")
    print("| language | articles | Warta first | FTS5 first | Warta top 10 | FTS5 top 10 |")
    print("|---|---|---|---|---|---|")
    shown = [language for language, n in counts.most_common() if n >= 5]
    for language in [*shown, "all"]:
        n = len(rows) if language == "all" else counts[language]

        def share(tool: str, kind: str, language: str = language, n: int = n) -> str:
            if language == "all":
                hits = sum(v for k, v in found[tool].items() if k.endswith(" " + kind))
            else:
                hits = found[tool][f"{language} {kind}"]
            return f"{hits / n:.3f}"

        cells = [share("warta", "first"), share("fts5", "first"), share("warta", "top10"), share("fts5", "top10")]
        print(f"| {language} | {n} | " + " | ".join(cells) + " |")
    for tool in ("warta", "fts5"):
        print(f"\n{tool}: {1000 * seconds[tool] / len(rows) / 1:.1f} ms per query", end="")
    print("\n\nword forms: articles found by each form, and whether they include the other form's\n")
    print("| language | query | other form | Warta finds | FTS5 finds | Warta has the other's | FTS5 has the other's |")
    print("|---|---|---|---|---|---|---|")
    for language, one, other in FORM_PAIRS:
        for query, counterpart in ((one, other), (other, one)):
            counterpart_ids = set(reference_search(literal, counterpart, limit=1000))
            mine = set(warta_search(store, query, languages, limit=1000))
            theirs = set(reference_search(reference, query, limit=1000))
            cells = [str(len(mine)), str(len(theirs))]
            cells += [f"{len(mine & counterpart_ids)}/{len(counterpart_ids)}"]
            cells += [f"{len(theirs & counterpart_ids)}/{len(counterpart_ids)}"]
            print(f"| {language} | {query} | {counterpart} | " + " | ".join(cells) + " |")

    started = time.perf_counter()
    pairs = [(row, store.related(row)) for row in rows]
    seconds_related = time.perf_counter() - started
    with_related = [(row, found) for row, found in pairs if found]
    print(
        f"\nrelated coverage: {len(with_related)} of {len(rows)} articles have some "
        f"({1000 * seconds_related / len(rows):.1f} ms per article)\n"
    )
    for row, found in with_related:
        day = row.published.date().isoformat() if row.published else "undated"
        print(f"- {row.publisher} | {row.title} ({row.language}, {day})")
        for other, share in found:
            print(f"    {share:.2f} {other.publisher} | {other.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
