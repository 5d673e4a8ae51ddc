"""Record Warta's output on every page of the shared sets, or compare it with a recorded run.

Speed work must not change what the extractor returns: record a baseline at the commit before the change,
then compare after it (and with the compiled and the pure-Python build alike).

    python benchmarks/outputs.py --write /tmp/baseline.jsonl.gz
    python benchmarks/outputs.py --compare /tmp/baseline.jsonl.gz

Every page is extracted with one fixed `now`, so relative datelines ("2 jam lalu") read the same in both
runs. A page that raises is recorded as its exception type and message. Exit status 1 when any page differs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.datasets import load, read_html

DATASETS = ("wcxb-dev", "fundus", "trafilatura-eval", "id-news")
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def extract_all(data_dir: Path, datasets: tuple[str, ...], limit: int | None) -> dict[str, Any]:
    """Every page's `Article.to_dict()` (or its error), keyed "<set>/<page id>"."""
    from warta import extract
    from warta.errors import WartaError

    results: dict[str, Any] = {}
    for name in datasets:
        for page in load(name, data_dir, limit):
            key = f"{name}/{page.page_id}"
            try:
                results[key] = extract(read_html(page.path), page.url, now=NOW).to_dict()
            except WartaError as exc:
                results[key] = {"error": f"{type(exc).__name__}: {exc}"}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="record the outputs to this file (gzipped JSON lines)")
    action.add_argument("--compare", type=Path, help="compare the outputs with this recorded file")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    import importlib

    body = importlib.import_module("warta.extract.body")
    print(f"warta.extract.body from {body.__file__}", file=sys.stderr)
    results = extract_all(args.data_dir, tuple(args.datasets.split(",")), args.limit)
    if args.write:
        with gzip.open(args.write, "wt", encoding="utf-8") as handle:
            for key, value in results.items():
                handle.write(json.dumps({"page": key, "article": value}, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"{len(results)} pages recorded in {args.write}", file=sys.stderr)
        return 0
    with gzip.open(args.compare, "rt", encoding="utf-8") as handle:
        recorded = {row["page"]: row["article"] for row in map(json.loads, handle)}
    # Through JSON both ways, so tuples and lists compare alike.
    current = {key: json.loads(json.dumps(value, ensure_ascii=False)) for key, value in results.items()}
    # With --limit or --datasets, only the pages extracted now are compared.
    keys = (
        recorded.keys() | current.keys()
        if args.limit is None and args.datasets == parser.get_default("datasets")
        else current.keys()
    )
    differing = sorted(key for key in keys if recorded.get(key) != current.get(key))
    for key in differing[:20]:
        print(f"differs: {key}", file=sys.stderr)
    print(f"{len(current)} pages, {len(differing)} differ from {args.compare}", file=sys.stderr)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
