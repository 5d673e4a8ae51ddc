"""Benchmark Warta, in-sample and out-of-fold, against trafilatura and readability on the shared sets.

    python benchmarks/run.py [--limit N] [--datasets wcxb-dev,fundus]
                             [--tools warta-oof,warta,trafilatura,readability] [--json out.json]
                             [--data-dir ../shared/data] [--timeout 120]
                             [--fold-models benchmarks/results/folds] [--rebuild-folds | --reuse-folds]

Every page belongs to a site (registered domain) and every site to one of five folds. `warta` runs with the
models shipped in the package, which were trained on all sites (in-sample); `warta-oof` extracts each page
with the models of its fold, trained without that page's site (out-of-fold): that is the headline figure,
printed next to the in-sample one with the gap between them.

Each (data set, tool) pass runs in fresh spawned child processes (warta-oof: one per fold), one tool after
the other, so all tools get the same inputs (the raw gzip-decompressed bytes) and the same process
conditions. The child times only the extraction call and reports its peak resident memory; the parent
scores the returned outputs. See benchmarks/README.md for the metrics and their exact rules.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import multiprocessing
import platform
import resource
import shlex
import subprocess
import sys
import time
import warnings
from collections import Counter
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
# Run as a script, Python puts benchmarks/ first on sys.path, where datasets.py and metrics.py would
# shadow any top-level module of those names. Import them as the `benchmarks` package instead.
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)
elif str(_REPO_DIR) not in sys.path:
    sys.path.insert(0, str(_REPO_DIR))

from benchmarks import fold_models  # noqa: E402
from benchmarks.datasets import DATASET_NAMES, Page, load, read_html, truth_counts  # noqa: E402
from benchmarks.folds import FOLDS  # noqa: E402
from benchmarks.report import format_table, gaps, headline, score_page, summarize  # noqa: E402

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
DEFAULT_JSON = _BENCH_DIR / "results" / "latest.json"
DEFAULT_FOLD_MODELS = _BENCH_DIR / "results" / "folds"
DEFAULT_TIMEOUT = 120.0  # seconds for one page before its worker is killed and the page counted an error
STARTUP_TIMEOUT = 300.0

# ------------------------------------------------------------------------------------------ adapters
# Adapters are instantiated in the worker process only: the tool is imported there, never in the parent.
# `gives_*` say which fields a tool has at all: one without them scores n/a there, not 0.
# `call` is the one timed step; `convert` (untimed) turns the tool's result into plain data:
# {"title": str|None, "authors": [str], "published": ISO str|None, "text": str, "kind": str|None}.


class WartaAdapter:
    name = "warta"
    gives_authors = True
    gives_date = True
    gives_time = True  # publication time of day with offset
    gives_kind = True  # article / listing / other

    def __init__(self) -> None:
        import warta
        from warta import extract

        self._extract = extract
        self.version = getattr(warta, "__version__", "?")

    def call(self, html: bytes, url: str | None) -> Any:
        return self._extract(html, url=url)

    def convert(self, article: Any) -> dict[str, Any]:
        published = article.published
        return {
            "title": article.title,
            "authors": [person.name for person in article.authors],
            "published": published.isoformat() if published is not None else None,
            "text": article.text or "",
            "kind": getattr(article.kind, "value", article.kind),
        }


class WartaOutOfFoldAdapter(WartaAdapter):
    """Warta with the models of one fold instead of the shipped ones; the worker only gets that fold's pages.

    The models load on the first call (the untimed warm-up), as the shipped ones do in `warta`, so both
    count in `peak MB` alike.
    """

    name = "warta-oof"

    def __init__(self, models_dir: str) -> None:
        super().__init__()
        from warta.extract.html import extract_html
        from warta.extract.learned import Models

        self._extract_html = extract_html
        self._from_dir = Models.from_dir
        self._models_dir = models_dir
        self._models: Any = None

    def call(self, html: bytes, url: str | None) -> Any:
        if self._models is None:
            self._models = self._from_dir(self._models_dir)
        return self._extract_html(html, url, models=self._models)


class TrafilaturaAdapter:
    """trafilatura with its defaults (neither precision nor recall favoured), metadata included.

    The body is `bare_extraction(...).text`: the main text without the comments section (which trafilatura
    keeps apart in `.comments`). When trafilatura discards a page (returns None, e.g. text too short), its
    metadata is still asked for with `extract_metadata`, inside the timed call, so the reference keeps the
    title/author/date it can find. Its dates are days (YYYY-MM-DD), so minute+offset is not applicable.
    """

    name = "trafilatura"
    gives_authors = True
    gives_date = True
    gives_time = False
    gives_kind = False

    def __init__(self) -> None:
        import trafilatura
        from trafilatura import bare_extraction
        from trafilatura.metadata import extract_metadata

        self._bare_extraction = bare_extraction
        self._extract_metadata = extract_metadata
        self.version = trafilatura.__version__

    def call(self, html: bytes, url: str | None) -> Any:
        document = self._bare_extraction(html, url=url, with_metadata=True)
        if document is None:
            return None, self._extract_metadata(html, default_url=url)
        return document, document

    def convert(self, result: Any) -> dict[str, Any]:
        document, meta = result
        author = getattr(meta, "author", None) or ""
        return {
            "title": getattr(meta, "title", None),
            "authors": [name.strip() for name in author.split(";") if name.strip()],
            "published": getattr(meta, "date", None),
            "text": (getattr(document, "text", None) or "") if document is not None else "",
            "kind": None,
        }


class ReadabilityAdapter:
    """readability-lxml with its defaults: `Document(html_bytes, url=url)`, `.short_title()`, `.summary()`.

    `summary()` gives the article as HTML; its text (block elements on lines of their own, so words of
    adjacent paragraphs do not merge) is the body. That conversion is inside the timed call: a body is what
    every tool is asked for, and the other two return text. `short_title()` is readability's cleaned-up
    title (the site name cut off); it gives no author, date or page kind.
    """

    name = "readability"
    gives_authors = False
    gives_date = False
    gives_time = False
    gives_kind = False

    def __init__(self) -> None:
        import lxml.html
        import readability

        self._document = readability.Document
        self._fromstring = lxml.html.fromstring
        self.version = _distribution_version("readability-lxml")

    def call(self, html: bytes, url: str | None) -> Any:
        document = self._document(html, url=url)
        title = document.short_title()  # before summary(), which changes the parsed tree
        return title, html_text(self._fromstring(document.summary()))

    def convert(self, result: Any) -> dict[str, Any]:
        title, text = result
        return {"title": title or None, "authors": [], "published": None, "text": text, "kind": None}


# Elements that start a new line in rendered text; readability's summary keeps the page's own markup.
BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure"),
        *("footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre"),
        *("section", "table", "td", "th", "tr", "ul"),
    }
)


def html_text(root: Any) -> str:
    """The text of an lxml element, block elements on lines of their own, blank lines dropped.

    Read without touching the tree: lxml refuses to set a text that holds a control character, and pages
    do carry those.
    """
    from lxml import etree

    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if not isinstance(element.tag, str):  # a comment or processing instruction: only its tail shows
            parts.append(element.tail or "")
            continue
        if element.tag.lower() in BLOCK_TAGS:
            parts.append("\n")
        if event == "start":
            parts.append(element.text or "")
        elif element is not root:
            parts.append(element.tail or "")
    lines = (line.strip() for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _distribution_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


# No declared language, and distinct paragraphs long enough for a language detector to run.
WARM_UP_PAGE = (
    "<!doctype html><html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    + "".join(
        f"<p>Paragraph {i} of a page that warms the tool up before the measured pages, so that no page pays "
        "for loading models.</p>"
        for i in range(8)
    )
    + "</article></body></html>"
).encode()

ADAPTERS: dict[str, Any] = {
    "warta-oof": WartaOutOfFoldAdapter,
    "warta": WartaAdapter,
    "trafilatura": TrafilaturaAdapter,
    "readability": ReadabilityAdapter,
}
TOOL_NAMES: tuple[str, ...] = tuple(ADAPTERS)
# Tools that extract each page with the models of its own fold, one worker per fold.
PER_FOLD_TOOLS = frozenset({"warta-oof"})


# -------------------------------------------------------------------------------------------- worker


def _reset_peak() -> None:
    """Start this process's peak-memory count afresh (Linux: writing 5 to clear_refs resets VmHWM).

    A spawned worker inherits its parent's high-water mark through fork and exec: `ru_maxrss` would report
    the parent's peak (1.7 GB after it trained the fold models) for every tool alike.
    """
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _maxrss_bytes() -> int:
    """This process's peak resident memory since `_reset_peak` (VmHWM), else `ru_maxrss`."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB, macOS bytes


def _worker(tool: str, options: dict[str, Any], jobs: list[tuple[str, str, str | None]], conn: Connection) -> None:
    """Child process: import the tool, then extract each page in order, streaming results back."""
    _reset_peak()
    logging.disable(logging.CRITICAL)  # the tools log discarded pages; keep the run quiet
    warnings.simplefilter("ignore")
    # The baseline is taken before the tool is imported (the worker holds only the interpreter and this
    # module then): a tool that loads its models at import and one that loads them on the first page both
    # count them in `peak MB`, so that column compares tools fairly.
    gc.collect()
    baseline = _maxrss_bytes()
    adapter = ADAPTERS[tool](**options)
    # One untimed call first, so that one-time initialisation (a tool's lazily loaded models and caches)
    # is not billed to whichever page happens to come first. Its memory still counts.
    # A tool that rejects the warm-up page still gets measured on the real ones.
    with contextlib.suppress(Exception):
        adapter.call(WARM_UP_PAGE, None)
    conn.send(("ready", baseline, adapter.version))
    for index, (_page_id, path, url) in enumerate(jobs):
        html = read_html(path)
        output: dict[str, Any] | None = None
        error: str | None = None
        start = time.perf_counter()
        try:
            result = adapter.call(html, url)
        except Exception as exc:
            elapsed = time.perf_counter() - start
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
        else:
            elapsed = time.perf_counter() - start
            try:
                output = adapter.convert(result)
            except Exception as exc:  # a result the adapter cannot read is the tool's failure too
                error = f"convert {type(exc).__name__}: {str(exc)[:200]}"
        conn.send(("page", index, elapsed, output, error))
    conn.send(("done", _maxrss_bytes(), None))
    conn.close()


def _run_pass(
    tool: str, pages: list[Page], timeout: float, log: Any, options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run one tool over one data set in fresh child processes; restart after a crash or a timeout."""
    context = multiprocessing.get_context("spawn")
    jobs = [(p.page_id, str(p.path), p.url) for p in pages]
    outputs: list[dict[str, Any] | None] = [None] * len(jobs)
    seconds: list[float] = [0.0] * len(jobs)
    errors: list[str | None] = [None] * len(jobs)
    peak_delta = peak_total = 0
    version = "?"
    children = 0
    start = 0
    while start < len(jobs):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(tool, options or {}, jobs[start:], sender), daemon=True)
        process.start()
        sender.close()
        children += 1
        baseline: int | None = None
        next_index = start
        failure = ""
        try:
            while True:
                wait = timeout if baseline is not None else STARTUP_TIMEOUT
                if not receiver.poll(wait):
                    failure = f"timeout after {wait:g} s"
                    process.kill()
                    break
                try:
                    kind, first, second, *rest = receiver.recv()
                except EOFError:
                    process.join(5)
                    failure = f"worker crashed (exit code {process.exitcode})"
                    break
                if kind == "ready":
                    baseline, version = first, second
                elif kind == "page":
                    index = start + first
                    seconds[index] = second
                    outputs[index], errors[index] = rest
                    next_index = index + 1
                else:  # done
                    assert baseline is not None
                    peak_total = max(peak_total, first)
                    peak_delta = max(peak_delta, first - baseline)
                    next_index = len(jobs)
                    failure = ""
                    break
        finally:
            receiver.close()
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()
        if baseline is None:
            raise RuntimeError(f"{tool}: worker failed before its first page ({failure}); see stderr")
        if next_index < len(jobs):  # crash or timeout on page next_index: count it, go on after it
            errors[next_index] = failure
            seconds[next_index] = timeout if failure.startswith("timeout") else 0.0
            log(f"  {tool}: {pages[next_index].page_id}: {failure}; restarting the worker")
            next_index += 1
        start = next_index
    return {
        "tool": tool,
        "version": version,
        "outputs": outputs,
        "seconds": seconds,
        "errors": errors,
        "peak_delta_bytes": peak_delta,
        "peak_total_bytes": peak_total,
        "children": children,
    }


# ---------------------------------------------------------------------------------------------- run


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=_REPO_DIR, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _git_state() -> dict[str, Any]:
    """The commit, and whether src/ had uncommitted changes when the run started."""
    status = _git("status", "--porcelain", "--", "src")
    return {"git_commit": _git("rev-parse", "HEAD") or None, "src_dirty": bool(status) if status is not None else None}


def _run_per_fold(tool: str, pages: list[Page], models_root: Path, timeout: float, log: Any) -> dict[str, Any]:
    """Run `tool` over each fold's pages with that fold's models, in workers of their own; merge in page order.

    A worker holds one fold's models, as a deployment would hold the shipped ones, so its memory figures
    stay comparable to the in-sample pass; the pass's peak is the largest of its workers'.
    """
    by_fold: dict[int, list[int]] = {}
    for index, page in enumerate(pages):
        by_fold.setdefault(page.fold, []).append(index)
    merged: dict[str, Any] = {
        "tool": tool,
        "version": "?",
        "outputs": [None] * len(pages),
        "seconds": [0.0] * len(pages),
        "errors": [None] * len(pages),
        "peak_delta_bytes": 0,
        "peak_total_bytes": 0,
        "children": 0,
    }
    for fold, indexes in sorted(by_fold.items()):
        options = {"models_dir": str(fold_models.fold_dir(models_root, fold))}
        part = _run_pass(tool, [pages[i] for i in indexes], timeout, log, options)
        for key in ("outputs", "seconds", "errors"):
            for index, value in zip(indexes, part[key], strict=True):
                merged[key][index] = value
        merged["version"] = part["version"]
        merged["peak_delta_bytes"] = max(merged["peak_delta_bytes"], part["peak_delta_bytes"])
        merged["peak_total_bytes"] = max(merged["peak_total_bytes"], part["peak_total_bytes"])
        merged["children"] += part["children"]
    return merged


def subset_order(subsets: list[str]) -> list[str]:
    """`all` first, then `article`, then the rest by name, whatever order the pages brought them in."""
    return sorted(dict.fromkeys(subsets), key=lambda s: (s != "all", s != "article", s))


def page_row(page: Page, tool: str, output: dict[str, Any] | None, seconds: float, error: str | None) -> dict[str, Any]:
    """One page's scores and prediction for the JSON file (and for aggregation)."""
    return {
        "dataset": page.dataset,
        "id": page.page_id,
        "tool": tool,
        "site": page.site,
        "fold": page.fold,
        "subsets": list(page.subsets),
        "seconds": round(seconds, 5),
        "error": error,
        "text_len": len((output or {}).get("text") or ""),
        **score_page(page, output, ADAPTERS[tool]),
        "pred": {k: (output or {}).get(k) for k in ("title", "authors", "published", "kind")},
    }


def run_benchmark(
    datasets: list[str] | tuple[str, ...] = DATASET_NAMES,
    tools: list[str] | tuple[str, ...] = TOOL_NAMES,
    limit: int | None = None,
    data_dir: Path | str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = False,
    fold_models_dir: Path | str | None = None,
    fold_build: str = "auto",
) -> dict[str, Any]:
    """Run the benchmark and return a JSON-ready dict: meta, truth_counts, summary rows, gaps, per-page rows.

    `summary` has one row per (dataset, subset, tool), each holding the aggregate metrics (see
    `report.summarize`); `gaps` the in-sample minus out-of-fold differences; `fold_summary` one row per
    (dataset, fold, tool); `pages` one row per (dataset, page, tool) for diffing runs. With `warta-oof` among
    the tools, the fold models in `fold_models_dir` are built first when missing or stale (`fold_build`:
    auto, always, never).
    """
    for name in datasets:
        if name not in DATASET_NAMES:
            raise ValueError(f"unknown data set {name!r}; known: {', '.join(DATASET_NAMES)}")
    for name in tools:
        if name not in ADAPTERS:
            raise ValueError(f"unknown tool {name!r}; known: {', '.join(ADAPTERS)}")
    root = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    models_root = Path(fold_models_dir) if fold_models_dir is not None else DEFAULT_FOLD_MODELS

    def log(message: str) -> None:
        if progress:
            print(message, file=sys.stderr, flush=True)

    started = time.time()
    git_state = _git_state()  # before the passes: the worker processes import the code as it is on disk
    folds_info: dict[str, Any] | None = None
    if PER_FOLD_TOOLS.intersection(tools):
        folds_info = fold_models.ensure(models_root, root, fold_build, FOLDS, log)
        fold_models.check_loadable(models_root, FOLDS)
    versions: dict[str, str] = {}
    counts: dict[str, Any] = {}
    summary: list[dict[str, Any]] = []
    fold_summary: list[dict[str, Any]] = []
    page_rows: list[dict[str, Any]] = []
    passes: list[dict[str, Any]] = []
    for dataset in datasets:
        pages = load(dataset, root, limit)
        counts[dataset] = truth_counts(pages)
        rows_of: dict[str, list[dict[str, Any]]] = {}
        peaks: dict[str, tuple[int, int]] = {}
        for tool in tools:
            log(f"[{dataset}] {tool}: {len(pages)} pages ...")
            if tool in PER_FOLD_TOOLS:
                result = _run_per_fold(tool, pages, models_root, timeout, log)
            else:
                result = _run_pass(tool, pages, timeout, log)
            versions[tool] = result["version"]
            rows = [
                page_row(page, tool, output, seconds, error)
                for page, output, seconds, error in zip(
                    pages, result["outputs"], result["seconds"], result["errors"], strict=True
                )
            ]
            rows_of[tool] = rows
            peaks[tool] = (result["peak_delta_bytes"], result["peak_total_bytes"])
            page_rows.extend(rows)
            total = sum(result["seconds"])
            n_errors = sum(1 for e in result["errors"] if e)
            passes.append(
                {
                    "dataset": dataset,
                    "tool": tool,
                    "pages": len(pages),
                    "seconds": total,
                    "peak_mb": result["peak_delta_bytes"] / 2**20,
                    "rss_mb": result["peak_total_bytes"] / 2**20,
                    "worker_processes": result["children"],
                    "errors": dict(Counter((e or "").split(":")[0] for e in result["errors"] if e)),
                }
            )
            log(
                f"[{dataset}] {tool}: {total:.1f} s extracting ({len(pages) / total if total else 0:.1f} "
                f"pages/s), peak +{result['peak_delta_bytes'] / 2**20:.0f} MB, {n_errors} errors"
            )
        for subset in subset_order([s for p in pages for s in p.subsets]):
            for tool in tools:
                subset_rows = [r for r in rows_of[tool] if subset in r["subsets"]]
                summary.append(
                    {"dataset": dataset, "subset": subset, "tool": tool, **summarize(subset_rows, *peaks[tool])}
                )
        for fold in sorted({p.fold for p in pages}):
            for tool in tools:
                fold_rows = [r for r in rows_of[tool] if r["fold"] == fold]
                fold_summary.append({"dataset": dataset, "fold": fold, "tool": tool, **summarize(fold_rows, 0, 0)})
    return {
        "meta": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": shlex.join([sys.executable, *sys.argv]),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": multiprocessing.cpu_count(),
            "versions": versions,
            **git_state,
            "data_dir": str(root),
            "datasets": list(datasets),
            "tools": list(tools),
            "limit": limit,
            "timeout_s": timeout,
            "folds": FOLDS,
            "fold_models": folds_info,
            "wall_seconds": round(time.time() - started, 1),
        },
        "truth_counts": counts,
        "summary": summary,
        "gaps": gaps(summary),
        "fold_summary": fold_summary,
        "passes": passes,
        "pages": page_rows,
    }


# --------------------------------------------------------------------------------------------- main


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="first N pages (sorted by id) of each set")
    parser.add_argument("--datasets", type=_csv, default=list(DATASET_NAMES), help="comma-separated")
    parser.add_argument("--tools", type=_csv, default=list(TOOL_NAMES), help="comma-separated")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"default: {DEFAULT_JSON}")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help=f"default: {DEFAULT_DATA_DIR}")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per page")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument(
        "--fold-models",
        type=Path,
        default=DEFAULT_FOLD_MODELS,
        help=f"warta-oof's models, fold-<k>/ per fold; built when missing or stale (default: {DEFAULT_FOLD_MODELS})",
    )
    build = parser.add_mutually_exclusive_group()
    build.add_argument("--rebuild-folds", action="store_true", help="rebuild the fold models even when current")
    build.add_argument(
        "--reuse-folds", action="store_true", help="use the fold models as they are, even when stale (warns)"
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")

    try:
        results = run_benchmark(
            args.datasets,
            args.tools,
            args.limit,
            args.data_dir,
            args.timeout,
            progress=not args.quiet,
            fold_models_dir=args.fold_models,
            fold_build="always" if args.rebuild_folds else "never" if args.reuse_folds else "auto",
        )
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    meta = results["meta"]
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    print(f"{versions}; Python {meta['python']}; {meta['date']}; limit {meta['limit']}")
    print(format_table(results["summary"]))
    print(
        "accuracies: value (pages with that ground truth); min+off: same UTC minute and same offset; "
        "peak MB: growth of the worker's max RSS over its post-import level; "
        "n/a: the tool gives no such field; warta-oof: each page extracted with the models of its fold, "
        "trained without its site; gap in−oof: in-sample (warta) minus out-of-fold"
    )
    lines = headline(results["summary"])
    if lines:
        print("\nheadline (the out-of-fold figure is the one to quote):")
        print("\n".join(f"  {line}" for line in lines))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
