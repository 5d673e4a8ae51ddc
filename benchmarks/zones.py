"""Check published instants on Indonesian pages, as given and with their time zone made hard to read.

    python benchmarks/zones.py [--data-dir ../shared/data] [--verbose]

The shared sets hold only 15 Indonesian pages with a published instant (14 in id-news and fundus, and the
seed's flattened text), and on all of them the page states its zone plainly. Pages from sites Warta has not
seen break that in a few known ways, so each HTML page is also read in four variants that reproduce them:

- `utc-mislabel`: every machine-readable date keeps its wall clock but says "Z" (a CMS whose time zone is
  left at UTC stamps local times so); the visible "WIB" stays;
- `utc-genuine`: every machine-readable date is the same instant written in UTC, the visible "WIB" stays;
- `naive`: offsets are dropped from machine-readable dates and "WIB" from the text: no zone anywhere;
- `feed`: as `utc-mislabel` and with no "WIB" in the text, the crawl passing the feed's `pubDate` (the true
  instant, `+0700`, five minutes later as feeds stamp items) as a hint.

Reported per variant: pages whose published value is the true instant to the minute with the true offset
(the `min+off` of benchmarks/run.py). The variants are synthetic: they measure the failure modes the issue
names, not their frequency on the web.
"""

from __future__ import annotations

import argparse
import gzip
import inspect
import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)

import warta  # noqa: E402
from benchmarks.metrics import minute_offset_match  # noqa: E402

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
# A machine-readable local time with its offset: "2015-11-05T14:56:43+07:00", "2026-01-08 20:19:38+07:00".
_DECLARED = re.compile(r"(20\d\d-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?)(\+07:?00)")
_PRINTED_ZONE = re.compile(r"\s*\b(?:WIB|WITA|WIT)\b")
FEED_DELAY = timedelta(minutes=5)


def _mislabel(html: str) -> str:
    return _DECLARED.sub(lambda m: m.group(1) + "Z", html)


def _genuine(html: str) -> str:
    def to_utc(match: re.Match[str]) -> str:
        local = datetime.fromisoformat(match.group(1).replace(" ", "T") + "+07:00")
        return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"

    return _DECLARED.sub(to_utc, html)


def _naive(html: str) -> str:
    return _PRINTED_ZONE.sub("", _DECLARED.sub(lambda m: m.group(1), html))


def _feed(html: str) -> str:
    return _PRINTED_ZONE.sub("", _mislabel(html))


VARIANTS: dict[str, Callable[[str], str]] = {
    "as-is": lambda html: html,
    "utc-mislabel": _mislabel,
    "utc-genuine": _genuine,
    "naive": _naive,
    "feed": _feed,
}


def pages(data_dir: Path) -> list[tuple[str, str, str, str]]:
    """(id, url, html, true instant) of the Indonesian HTML pages with a published instant."""
    found = []
    for line in (data_dir / "id-news" / "index.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record.get("published") and record.get("kind") == "article":
            html = gzip.decompress((data_dir / "id-news" / record["html"]).read_bytes()).decode("utf-8", "replace")
            found.append((record["id"], record.get("url") or "", html, record["published"]))
    for line in (data_dir / "fundus" / "index.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record["id"].startswith("id/") and "+" in (record.get("publishing_date") or ""):
            html = gzip.decompress((data_dir / "fundus" / record["html"]).read_bytes()).decode("utf-8", "replace")
            found.append((record["id"], record["url"], html, record["publishing_date"]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    takes_hints = "hints" in inspect.signature(warta.extract).parameters
    items = pages(args.data_dir)
    print(f"warta {warta.__version__}; {len(items)} Indonesian HTML pages with an instant; hints: {takes_hints}")
    for name, change in VARIANTS.items():
        right = 0
        for page_id, url, html, truth in items:
            kwargs: dict[str, object] = {}
            if name == "feed" and takes_hints:
                listed = datetime.fromisoformat(truth) + FEED_DELAY
                kwargs["hints"] = warta.DateHints(listed=listed, listed_by="rss")  # type: ignore[attr-defined]
            article = warta.extract(change(html), url, **kwargs)  # type: ignore[arg-type]
            predicted = article.published.isoformat() if article.published else None
            ok = minute_offset_match(predicted, truth)
            right += ok
            if args.verbose and not ok:
                print(f"  {name:13} {page_id:28} {predicted} (truth {truth}) {article.provenance.get('published')}")
        print(f"{name:13} {right}/{len(items)} = {right / len(items):.3f}")
    seed = args.data_dir / "seed" / "rmol-kazakhstan-2022.txt"
    expected = json.loads((args.data_dir / "seed" / "rmol-kazakhstan-2022.expected.json").read_text())["published"]
    for name, text in (("seed", seed.read_text()), ("seed-naive", _PRINTED_ZONE.sub("", seed.read_text()))):
        article = warta.extract_text(text, "https://rmol.id/read/2022/01/20/519826")
        predicted = article.published.isoformat() if article.published else None
        print(f"{name:13} {'ok' if minute_offset_match(predicted, expected) else 'wrong'} {predicted}")


if __name__ == "__main__":
    main()
