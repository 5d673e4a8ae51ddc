"""Benchmark the flattened-text path: pages flattened to whole-page text, as web-text collections hold them.

    python benchmarks/flat.py [--datasets id-news,fundus] [--data-dir ../shared/data] [--json out.json]

Each article page of the sets is flattened with Resiliparse's `extract_plain_text` (the HTML-to-text
converter of the ChatNoir web-text pipeline) keeping all page text: menus, footers, alt texts and list
bullets, no main-content selection. Rows per set:

- `flattened text`: the whole flattened page scored as the body (the baseline: what a corpus holds);
- `warta text`: `warta.extract_text(flattened, url)`;
- `warta html`: `warta.extract(html, url)` on the original page, for reference (what the markup adds).

The score is the word-level F1 of the body against the ground truth (benchmarks/metrics.py), averaged over
the pages; title accuracy uses the same normalisation as run.py. A page whose flattened text is empty counts
as an empty output (F1 0) for the text path and is reported.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)

from benchmarks import metrics  # noqa: E402
from benchmarks.datasets import load, read_html  # noqa: E402

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
DEFAULT_JSON = _BENCH_DIR / "results" / "flat.json"


def flatten(raw: bytes) -> str:
    """The whole page as text, as a web-text corpus would hold it."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    html = bytes_to_str(raw, detect_encoding(raw))
    return str(
        extract_plain_text(
            html, main_content=False, alt_texts=True, preserve_formatting=True, list_bullets=True, links=False
        )
    )


def run(datasets: list[str], data_dir: Path) -> list[dict[str, Any]]:
    import warta

    rows: list[dict[str, Any]] = []
    # Untimed warm-up: the language model loads on first use, and no page should pay for it.
    warta.extract_text("Warm-up line of text for the language detector, long enough to be read as prose. " * 4)
    for name in datasets:
        pages = [p for p in load(name, data_dir) if p.truth.text and "listing" not in p.subsets]
        scores: dict[str, list[metrics.PRF]] = {"flattened text": [], "warta text": [], "warta html": []}
        titles: dict[str, list[bool]] = {"warta text": [], "warta html": []}
        seconds = {"warta text": 0.0, "warta html": 0.0}
        empty = 0
        for page in pages:
            raw = read_html(page.path)
            text = flatten(raw)
            scores["flattened text"].append(metrics.token_prf(text, page.truth.text))
            started = time.perf_counter()
            try:
                from_text = warta.extract_text(text, page.url)
            except warta.ExtractionError:
                from_text = warta.Article()
                empty += 1
            seconds["warta text"] += time.perf_counter() - started
            started = time.perf_counter()
            from_html = warta.extract(raw, page.url)
            seconds["warta html"] += time.perf_counter() - started
            for method, article in (("warta text", from_text), ("warta html", from_html)):
                scores[method].append(metrics.token_prf(article.text, page.truth.text))
                if page.truth.title:
                    titles[method].append(metrics.title_match(article.title, page.truth.title))
        for method, prfs in scores.items():
            n = len(prfs)
            found = titles.get(method, [])
            rows.append(
                {
                    "dataset": name,
                    "method": method,
                    "pages": n,
                    "f1": sum(s.f1 for s in prfs) / n,
                    "precision": sum(s.precision for s in prfs) / n,
                    "recall": sum(s.recall for s in prfs) / n,
                    "title": sum(found) / len(found) if found else None,
                    "ms_per_page": 1000 * seconds[method] / n if method in seconds else None,
                    "empty_input": empty if method == "warta text" else None,
                }
            )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = f"{'dataset':<9} {'method':<15} {'pages':>5} {'body F1':>8} {'P':>6} {'R':>6} {'title':>6} {'ms/page':>8}"
    out = [head, "-" * len(head)]
    for row in rows:
        title = f"{row['title']:.3f}" if row["title"] is not None else "—"
        speed = f"{row['ms_per_page']:.1f}" if row["ms_per_page"] is not None else "—"
        out.append(
            f"{row['dataset']:<9} {row['method']:<15} {row['pages']:>5} {row['f1']:>8.3f} {row['precision']:>6.3f} "
            f"{row['recall']:>6.3f} {title:>6} {speed:>8}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default="id-news,fundus")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    rows = run([d.strip() for d in args.datasets.split(",") if d.strip()], args.data_dir)
    print(table(rows))
    empty = {row["dataset"]: row["empty_input"] for row in rows if row["empty_input"]}
    if empty:
        print("pages whose flattened text is empty (scored 0): " + ", ".join(f"{k} {v}" for k, v in empty.items()))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
