"""Benchmark the flattened-text path out-of-fold: pages flattened to whole-page text, as web-text collections hold them.

    python benchmarks/flat.py [--datasets id-news,fundus,wcxb-dev,trafilatura-eval] [--data-dir ../shared/data]
                              [--json out.json] [--cache /tmp/warta-flat.pkl] [--html]

Every labelled page of the four sets is flattened with Resiliparse's `extract_plain_text` keeping all page
text (menus, footers, alt texts, list bullets; see `benchmarks.training.lines.flatten`), and its lines are
labelled against the ground truth. The line scorer is trained five times, each time without one fold of
sites (registered domains, `benchmarks/folds.py`), and every page is read with the model that never saw its
site. Rows per set:

- `flattened text`: the whole flattened page scored as the body (the baseline: what a corpus holds);
- `rules`: `warta.extract_text(flattened, url, models=Models.none())`, the rules alone;
- `model in-sample`: with the shipped model (trained on every page, this one included);
- `model OOF`: with the model of the fold that held the page's site out (the figure to steer by);
- `warta html` (with `--html`): `warta.extract(html, url)` on the original page, for reference.

Scores: word F1 (lower-cased `\\w+` bags, benchmarks/metrics.py) and 4-gram shingle F1 of the body against
the ground truth, averaged over the pages; snippet F1 where the set has snippets (trafilatura-eval; wcxb-dev
has both); title accuracy as in run.py. wcxb-dev is reported for all page types and for articles. The run
ends with the seed check: the seed page read with the shipped model must give its expected article exactly.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)

from benchmarks import metrics  # noqa: E402
from benchmarks.datasets import load, read_html  # noqa: E402
from benchmarks.folds import FOLDS, fold_of  # noqa: E402
from benchmarks.training import lines as training  # noqa: E402
from benchmarks.training.common import Samples  # noqa: E402

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
DEFAULT_JSON = _BENCH_DIR / "results" / "flat.json"
DEFAULT_SETS = "id-news,fundus,wcxb-dev,trafilatura-eval"
SEED = "seed/rmol-kazakhstan-2022"
# Shingles of this many words: order matters, so a body with its paragraphs in the wrong place or with
# furniture spliced between sentences loses more than in a bag of words.
SHINGLE = 4
METHODS = ("flattened text", "rules", "model in-sample", "model OOF")


def shingles(text: str | None, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = training.words(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def shingle_f1(predicted: str | None, truth: str | None) -> float:
    """F1 of the bags of word 4-grams (both empty 1.0, one empty 0.0)."""
    pred, gold = shingles(predicted), shingles(truth)
    if not pred and not gold:
        return 1.0
    overlap = sum((pred & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def corpus(data_dir: Path, cache: Path | None) -> tuple[list[training.FlatPage], dict[str, Samples]]:
    """Every labelled page flattened, with its labelled line samples; pickled to `cache` when given."""
    if cache is not None and cache.is_file():
        pages, per_page = pickle.loads(cache.read_bytes())
        return pages, per_page
    from warta.extract.line_features import FEATURES

    pages: list[training.FlatPage] = []
    per_page: dict[str, Samples] = {}
    for page in training.flat_pages(data_dir):
        found = Samples(FEATURES)
        training.page_samples(page, found)
        pages.append(page)
        per_page[page.key] = found
    if cache is not None:
        cache.write_bytes(pickle.dumps((pages, per_page)))
    return pages, per_page


def fold_models(pages: list[training.FlatPage], per_page: dict[str, Samples], folder: Path) -> dict[int, Any]:
    """One line model per fold, trained on the pages of the other folds' sites."""
    from warta.extract.learned import Models
    from warta.extract.line_features import FEATURES

    found: dict[int, Any] = {}
    for fold in range(FOLDS):
        train = Samples(FEATURES)
        for page in pages:
            if fold_of(page.site) != fold:
                train.extend(per_page[page.key])
        out = folder / f"fold-{fold}"
        training.build(train, out)
        found[fold] = Models.from_dir(out)
    return found


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def run(
    datasets: list[str], data_dir: Path, cache: Path | None = None, html: bool = False
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from warta.extract.learned import Models

    pages, per_page = corpus(data_dir, cache)
    with tempfile.TemporaryDirectory(prefix="warta-flat-folds-") as folder:
        by_fold = fold_models(pages, per_page, Path(folder))
    readers: dict[str, Callable[[training.FlatPage], Models]] = {
        "rules": lambda page: Models.none(),
        "model in-sample": lambda page: Models.shipped(),
        "model OOF": lambda page: by_fold[fold_of(page.site)],
    }
    methods = METHODS + (("warta html",) if html else ())
    paths = {f"{name}/{p.page_id}": p.path for name in datasets for p in load(name, data_dir)} if html else {}
    rows: list[dict[str, Any]] = []
    for name in datasets:
        subsets: dict[str, list[training.FlatPage]] = {name: []}
        for page in pages:
            if page.dataset != name or (name == "id-news" and page.listing):
                continue
            subsets[name].append(page)
            if name == "wcxb-dev" and not page.listing:
                subsets.setdefault(f"{name} articles", []).append(page)
        results = {method: {p.key: _score(p, method, readers, paths) for p in subsets[name]} for method in methods}
        for subset, members in subsets.items():
            for method in methods:
                scored = [results[method][p.key] for p in members]
                rows.append(_row(subset, method, scored))
    return rows, seed_check(data_dir)


def _score(
    page: training.FlatPage,
    method: str,
    readers: dict[str, Callable[[training.FlatPage], Any]],
    paths: dict[str, Path],
) -> dict[str, Any]:
    import warta

    started = time.perf_counter()
    title: str | None = None
    if method == "flattened text":
        text = page.text
    elif method == "warta html":
        article = warta.extract(read_html(paths[page.key]), page.url)
        text, title = article.text, article.title
    else:
        try:
            article = warta.extract_text(page.text, page.url, models=readers[method](page))
            text, title = article.text, article.title
        except warta.ExtractionError:
            text = ""
    seconds = time.perf_counter() - started
    score: dict[str, Any] = {"seconds": seconds, "title": title}
    if page.truth is not None:
        prf = metrics.token_prf(text, page.truth)
        score.update(f1=prf.f1, precision=prf.precision, recall=prf.recall, shingle_f1=shingle_f1(text, page.truth))
    if page.with_ or page.without:
        score["snippets"] = metrics.snippet_counts(text, page.with_, page.without)
    return score


def _row(subset: str, method: str, scored: list[dict[str, Any]]) -> dict[str, Any]:
    bodies = [s for s in scored if "f1" in s]
    snippets = metrics.SnippetCounts()
    for s in scored:
        if "snippets" in s:
            snippets = snippets + s["snippets"]
    return {
        "dataset": subset,
        "method": method,
        "pages": len(scored),
        "body_pages": len(bodies),
        "f1": _mean([s["f1"] for s in bodies]),
        "precision": _mean([s["precision"] for s in bodies]),
        "recall": _mean([s["recall"] for s in bodies]),
        "shingle_f1": _mean([s["shingle_f1"] for s in bodies]),
        "snippet_pages": sum(1 for s in scored if "snippets" in s),
        "snippet_f1": snippets.scores()["f1"] if snippets.total else None,
        "ms_per_page": 1000 * _mean([s["seconds"] for s in scored]) if scored and method != "flattened text" else None,  # type: ignore[operator]
    }


def seed_check(data_dir: Path) -> dict[str, Any]:
    """Read the seed with the shipped model and list the fields that differ from its expected article."""
    import warta

    expected = json.loads((data_dir / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    article = warta.extract_text((data_dir / f"{SEED}.txt").read_text(encoding="utf-8"))
    got = {
        "title": article.title,
        "site_name": article.site_name,
        "language": article.language,
        "authors": [{"name": p.name, "role": p.role, "url": p.url} for p in article.authors],
        "published": article.published.isoformat() if article.published else None,
        "images": [{"caption": i.caption, "credit": i.credit} for i in article.images],
        "sources": list(article.sources),
        "body_paragraphs": [block.text for block in article.body],
    }
    differs = [key for key, value in got.items() if expected.get(key) != value]
    return {"exact": not differs, "differs": differs}


def _cell(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else "—"


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'set':<17} {'method':<16} {'pages':>5} {'word F1':>8} {'shingle':>8} {'P':>6} {'R':>6} "
        f"{'snip F1':>8} {'ms/page':>8}"
    )
    out = [head, "-" * len(head)]
    for row in rows:
        speed = f"{row['ms_per_page']:.1f}" if row["ms_per_page"] is not None else "—"
        out.append(
            f"{row['dataset']:<17} {row['method']:<16} {row['pages']:>5} {_cell(row['f1']):>8} "
            f"{_cell(row['shingle_f1']):>8} {_cell(row['precision']):>6} {_cell(row['recall']):>6} "
            f"{_cell(row['snippet_f1']):>8} {speed:>8}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=DEFAULT_SETS)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--cache", type=Path, default=None, help="pickle of the flattened, labelled corpus")
    parser.add_argument("--html", action="store_true", help="also read the original HTML pages, for reference")
    args = parser.parse_args(argv)
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    rows, seed = run(datasets, args.data_dir, args.cache, args.html)
    print(table(rows))
    print(f"seed: {'exact' if seed['exact'] else 'DIFFERS in ' + ', '.join(seed['differs'])}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"rows": rows, "seed": seed}, indent=1), encoding="utf-8")
    return 0 if seed["exact"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
