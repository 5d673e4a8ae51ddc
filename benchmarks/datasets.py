"""Loaders for the four evaluation sets under the shared data directory.

Each loader turns its set's own index format into one list of `Page` records holding the path of the
gzipped HTML, the URL, the subsets the page belongs to, and a `Truth` with every field the set knows
(None where it does not). Pages come back sorted by id, so `--limit N` always takes the same N pages.
The HTML itself is read later, by the worker process, with `read_html`.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.folds import fold_of, site_of
from benchmarks.metrics import parse_moment, truth_has_day, truth_has_instant


@dataclass(frozen=True, slots=True)
class Truth:
    text: str | None = None  # body / main content; None = unknown (not scored)
    title: str | None = None
    authors: tuple[str, ...] | None = None  # None or () = unknown (not scored)
    published: str | None = None  # ISO 8601 datetime (with or without offset) or day
    published_day: str | None = None  # day only, used when `published` is unknown
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    kind: str | None = None  # "article" | "listing" where the set says so


@dataclass(frozen=True, slots=True)
class Page:
    dataset: str
    page_id: str
    path: Path
    url: str | None
    subsets: tuple[str, ...]
    truth: Truth
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def site(self) -> str:
        """The registered domain the page belongs to (see `benchmarks.folds.site_of`)."""
        return site_of(self.url, self.page_id)

    @property
    def fold(self) -> int:
        """The fold whose models never saw this page's site."""
        return fold_of(self.site)

    @property
    def day_truth(self) -> str | None:
        """The truth used for day accuracy: the full timestamp if known, else the day-only field."""
        if truth_has_day(self.truth.published):
            return self.truth.published
        if truth_has_day(self.truth.published_day):
            return self.truth.published_day
        return None

    @property
    def instant_truth(self) -> str | None:
        """The truth used for minute+offset accuracy: only a timestamp with time and offset."""
        return self.truth.published if truth_has_instant(self.truth.published) else None


def read_html(path: Path | str) -> bytes:
    """The raw (undecoded) bytes of one gzipped page."""
    with gzip.open(path, "rb") as handle:
        return handle.read()


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _names(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,) if value.strip() else None
    if isinstance(value, list):
        names = tuple(v for v in value if isinstance(v, str) and v.strip())
        return names or None
    return None


# ------------------------------------------------------------------------------------------ loaders


def load_wcxb(root: Path) -> list[Page]:
    """wcxb-dev: html/NNNN.html.gz + ground-truth/NNNN.json. Subsets: 'all', plus the page type.

    The page type (`_internal.page_type.primary`: article, documentation, listing, product, forum, …) is a
    subset of its own because extraction quality, and the targets, differ by type.
    """
    pages = []
    for gt_path in sorted((root / "ground-truth").glob("*.json")):
        record = json.loads(gt_path.read_text(encoding="utf-8"))
        page_id = gt_path.stem
        gt = record.get("ground_truth") or {}
        page_type = ((record.get("_internal") or {}).get("page_type") or {}).get("primary")
        subsets = ("all", page_type) if isinstance(page_type, str) and page_type else ("all",)
        truth = Truth(
            # WCXB scores an empty main_content too (both empty = 1.0), so None becomes "".
            text=gt.get("main_content") or "",
            title=_str(gt.get("title")),
            authors=_names(gt.get("author")),
            published_day=_str(gt.get("publish_date")),
            with_=tuple(gt.get("with") or ()),
            without=tuple(gt.get("without") or ()),
        )
        pages.append(
            Page(
                dataset="wcxb-dev",
                page_id=page_id,
                path=root / "html" / f"{page_id}.html.gz",
                url=_str(record.get("url")),
                subsets=subsets,
                truth=truth,
                extra={"page_type": page_type},
            )
        )
    return pages


def load_trafilatura_eval(root: Path) -> list[Page]:
    """trafilatura-eval: index.jsonl with `file` (stored as html/<file>.gz), `with`, `without`."""
    pages = []
    for record in _jsonl(root / "index.jsonl"):
        file_name = record["file"]
        truth = Truth(
            title=_str(record.get("title")),
            authors=_names(record.get("author")),
            published_day=_str(record.get("date")),
            with_=tuple(record.get("with") or ()),
            without=tuple(record.get("without") or ()),
        )
        pages.append(
            Page(
                dataset="trafilatura-eval",
                page_id=file_name,
                path=root / "html" / f"{file_name}.gz",
                url=_str(record.get("url")),
                subsets=("all",),
                truth=truth,
            )
        )
    return sorted(pages, key=lambda p: p.page_id)


def load_fundus(root: Path) -> list[Page]:
    """fundus: index.jsonl with `html` relative to the set, title/authors/publishing_date/body_text."""
    pages = []
    for record in _jsonl(root / "index.jsonl"):
        truth = Truth(
            text=_str(record.get("body_text")),
            title=_str(record.get("title")),
            authors=_names(record.get("authors")),
            published=_str(record.get("publishing_date")),
        )
        pages.append(
            Page(
                dataset="fundus",
                page_id=record["id"],
                path=root / record["html"],
                url=_str(record.get("url")),
                subsets=("all",),
                truth=truth,
                extra={"publisher": record.get("publisher"), "country": record.get("country")},
            )
        )
    return sorted(pages, key=lambda p: p.page_id)


def load_id_news(root: Path) -> list[Page]:
    """id-news: index.jsonl with `kind` article|listing. Subsets: 'article', 'listing'."""
    pages = []
    for record in _jsonl(root / "index.jsonl"):
        kind = record.get("kind") or "article"
        truth = Truth(
            text=_str(record.get("body_text")),
            title=_str(record.get("title")),
            authors=_names(record.get("authors")),
            published=_str(record.get("published")),
            published_day=_str(record.get("published_date")),
            kind=kind,
        )
        pages.append(
            Page(
                dataset="id-news",
                page_id=record["id"],
                path=root / record["html"],
                url=_str(record.get("url")),
                subsets=(kind,),
                truth=truth,
            )
        )
    return sorted(pages, key=lambda p: p.page_id)


LOADERS: dict[str, tuple[str, Callable[[Path], list[Page]]]] = {
    "wcxb-dev": ("wcxb-dev", load_wcxb),
    "trafilatura-eval": ("trafilatura-eval", load_trafilatura_eval),
    "fundus": ("fundus", load_fundus),
    "id-news": ("id-news", load_id_news),
}
DATASET_NAMES: tuple[str, ...] = tuple(LOADERS)


def load(name: str, data_dir: Path, limit: int | None = None) -> list[Page]:
    """The pages of one set, sorted by id; the first `limit` of them if given."""
    if name not in LOADERS:
        raise KeyError(f"unknown data set {name!r}; known: {', '.join(LOADERS)}")
    folder, loader = LOADERS[name]
    pages = loader(data_dir / folder)
    missing = [p.path for p in pages if not p.path.is_file()]
    if missing:
        raise FileNotFoundError(f"{name}: {len(missing)} HTML files missing, e.g. {missing[0]}")
    return pages[:limit] if limit is not None else pages


def _naive(value: str | None) -> bool:
    moment = parse_moment(value)
    return isinstance(moment, datetime) and moment.utcoffset() is None


def truth_counts(pages: list[Page]) -> dict[str, Any]:
    """How many pages carry each ground-truth field (what each metric's denominator can be)."""
    by_subset: dict[str, int] = {}
    for page in pages:
        for subset in page.subsets:
            by_subset[subset] = by_subset.get(subset, 0) + 1
    unparsed = [p.page_id for p in pages if (p.truth.published or p.truth.published_day) and p.day_truth is None]
    return {
        "pages": len(pages),
        "subsets": by_subset,
        "body_text": sum(1 for p in pages if p.truth.text is not None),
        "body_text_empty": sum(1 for p in pages if p.truth.text is not None and not p.truth.text.strip()),
        "title": sum(1 for p in pages if p.truth.title),
        "authors": sum(1 for p in pages if p.truth.authors),
        "day": sum(1 for p in pages if p.day_truth),
        "instant_with_offset": sum(1 for p in pages if p.instant_truth),
        "naive_datetime": sum(1 for p in pages if _naive(p.truth.published)),
        "date_unparseable": len(unparsed),
        "date_unparseable_ids": unparsed[:20],
        "snippet_pages": sum(1 for p in pages if p.truth.with_ or p.truth.without),
        "snippets_with": sum(len(p.truth.with_) for p in pages),
        "snippets_without": sum(len(p.truth.without) for p in pages),
        "no_url": sum(1 for p in pages if not p.url),
        "sites": len({p.site for p in pages}),
        "fold_pages": {str(k): n for k, n in sorted(Counter(p.fold for p in pages).items())},
    }
