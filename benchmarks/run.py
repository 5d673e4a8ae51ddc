"""Benchmark Warta against trafilatura on the shared evaluation sets.

    python benchmarks/run.py [--limit N] [--datasets wcxb-dev,fundus] [--tools warta,trafilatura]
                             [--json out.json] [--data-dir ../shared/data] [--timeout 120]

Each (data set, tool) pass runs in a fresh spawned child process, one tool after the other, so both tools
get the same inputs (the raw gzip-decompressed bytes) and the same process conditions. The child times
only the extraction call and reports its peak resident memory; the parent scores the returned outputs.
See benchmarks/README.md for the metrics and their exact rules.
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

from benchmarks import metrics  # noqa: E402
from benchmarks.datasets import DATASET_NAMES, Page, load, read_html, truth_counts  # noqa: E402

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
DEFAULT_JSON = _BENCH_DIR / "results" / "latest.json"
DEFAULT_TIMEOUT = 120.0  # seconds for one page before its worker is killed and the page counted an error
STARTUP_TIMEOUT = 300.0

# ------------------------------------------------------------------------------------------ adapters
# Adapters are instantiated in the worker process only: the tool is imported there, never in the parent.
# `call` is the one timed step; `convert` (untimed) turns the tool's result into plain data:
# {"title": str|None, "authors": [str], "published": ISO str|None, "text": str, "kind": str|None}.


class WartaAdapter:
    name = "warta"
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


class TrafilaturaAdapter:
    """trafilatura with its defaults (neither precision nor recall favoured), metadata included.

    The body is `bare_extraction(...).text`: the main text without the comments section (which trafilatura
    keeps apart in `.comments`). When trafilatura discards a page (returns None, e.g. text too short), its
    metadata is still asked for with `extract_metadata`, inside the timed call, so the reference keeps the
    title/author/date it can find. Its dates are days (YYYY-MM-DD), so minute+offset is not applicable.
    """

    name = "trafilatura"
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
    "warta": WartaAdapter,
    "trafilatura": TrafilaturaAdapter,
}
TOOL_NAMES: tuple[str, ...] = tuple(ADAPTERS)


# -------------------------------------------------------------------------------------------- worker


def _maxrss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB, macOS bytes


def _worker(tool: str, jobs: list[tuple[str, str, str | None]], conn: Connection) -> None:
    """Child process: import the tool, then extract each page in order, streaming results back."""
    logging.disable(logging.CRITICAL)  # both tools log discarded pages; keep the run quiet
    warnings.simplefilter("ignore")
    adapter = ADAPTERS[tool]()
    gc.collect()
    baseline = _maxrss_bytes()
    # One untimed call first, so that one-time initialisation (a tool's lazily loaded models and caches)
    # is not billed to whichever page happens to come first. Its memory still counts: the baseline is
    # taken before it.
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


def _run_pass(tool: str, pages: list[Page], timeout: float, log: Any) -> dict[str, Any]:
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
        process = context.Process(target=_worker, args=(tool, jobs[start:], sender), daemon=True)
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


# ------------------------------------------------------------------------------------------- scoring


def score_page(page: Page, output: dict[str, Any] | None, adapter: type[Any]) -> dict[str, Any]:
    """Every metric that applies to this page; a missing output (error) scores as an empty one."""
    out = output or {}
    text = out.get("text") or ""
    truth = page.truth
    score: dict[str, Any] = {}
    if truth.text is not None:
        prf = metrics.token_prf(text, truth.text)
        score.update(f1=prf.f1, precision=prf.precision, recall=prf.recall)
    if truth.with_ or truth.without:
        counts = metrics.snippet_counts(text, truth.with_, truth.without)
        score["snippets"] = [counts.tp, counts.fn, counts.fp, counts.tn]
    if truth.title:
        score["title_ok"] = metrics.title_match(out.get("title"), truth.title)
    if truth.authors:
        score["author_ok"] = metrics.authors_match(out.get("authors") or [], truth.authors)
    day_truth = page.day_truth
    if day_truth:
        score["day_ok"] = metrics.day_match(out.get("published"), day_truth)
    # None: the page has this ground truth but the tool gives no such field (shown as n/a).
    instant_truth = page.instant_truth
    if instant_truth:
        score["minute_ok"] = (
            metrics.minute_offset_match(out.get("published"), instant_truth) if adapter.gives_time else None
        )
    if truth.kind:
        score["kind_ok"] = out.get("kind") == truth.kind if adapter.gives_kind else None
    return score


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _accuracy(rows: list[dict[str, Any]], key: str) -> tuple[float | None, int]:
    """Share of True among the pages scored for `key`, and how many pages have that ground truth."""
    flags = [row[key] for row in rows if key in row]
    scored = [1.0 if f else 0.0 for f in flags if f is not None]
    return (_mean(scored), len(flags))


def summarize(rows: list[dict[str, Any]], peak_delta: int, peak_total: int) -> dict[str, Any]:
    """Aggregate the per-page rows of one (data set, subset, tool)."""
    f1s = [r["f1"] for r in rows if "f1" in r]
    summary: dict[str, Any] = {
        "pages": len(rows),
        "body_f1": _mean(f1s),
        "body_precision": _mean([r["precision"] for r in rows if "precision" in r]),
        "body_recall": _mean([r["recall"] for r in rows if "recall" in r]),
        "body_n": len(f1s),
    }
    snippet_rows = [r["snippets"] for r in rows if "snippets" in r]
    if snippet_rows:
        counts = sum((metrics.SnippetCounts(*s) for s in snippet_rows), metrics.SnippetCounts())
        summary["snippets"] = {
            "tp": counts.tp,
            "fn": counts.fn,
            "fp": counts.fp,
            "tn": counts.tn,
            **counts.scores(),
        }
    for key, name in (
        ("title_ok", "title"),
        ("author_ok", "author"),
        ("day_ok", "day"),
        ("minute_ok", "minute_offset"),
        ("kind_ok", "kind"),
    ):
        summary[f"{name}_acc"], summary[f"{name}_n"] = _accuracy(rows, key)
    seconds = sum(r["seconds"] for r in rows)
    summary["seconds"] = seconds
    summary["pages_per_s"] = len(rows) / seconds if seconds > 0 else None
    summary["peak_mb"] = peak_delta / 2**20
    summary["rss_mb"] = peak_total / 2**20
    summary["errors"] = sum(1 for r in rows if r["error"])
    summary["empty"] = sum(1 for r in rows if not r["error"] and r["text_len"] == 0)
    return summary


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


def run_benchmark(
    datasets: list[str] | tuple[str, ...] = DATASET_NAMES,
    tools: list[str] | tuple[str, ...] = TOOL_NAMES,
    limit: int | None = None,
    data_dir: Path | str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = False,
) -> dict[str, Any]:
    """Run the benchmark and return a JSON-ready dict: meta, truth_counts, summary rows, per-page rows.

    `summary` has one row per (dataset, subset, tool), each holding the aggregate metrics (see
    `summarize`); `pages` has one row per (dataset, page, tool) for diffing runs.
    """
    for name in datasets:
        if name not in DATASET_NAMES:
            raise ValueError(f"unknown data set {name!r}; known: {', '.join(DATASET_NAMES)}")
    for name in tools:
        if name not in ADAPTERS:
            raise ValueError(f"unknown tool {name!r}; known: {', '.join(ADAPTERS)}")
    root = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR

    def log(message: str) -> None:
        if progress:
            print(message, file=sys.stderr, flush=True)

    started = time.time()
    git_state = _git_state()  # before the passes: the worker processes import the code as it is on disk
    versions: dict[str, str] = {}
    counts: dict[str, Any] = {}
    summary: list[dict[str, Any]] = []
    page_rows: list[dict[str, Any]] = []
    passes: list[dict[str, Any]] = []
    for dataset in datasets:
        pages = load(dataset, root, limit)
        counts[dataset] = truth_counts(pages)
        subsets = list(dict.fromkeys(s for p in pages for s in p.subsets))
        for tool in tools:
            adapter = ADAPTERS[tool]
            log(f"[{dataset}] {tool}: {len(pages)} pages ...")
            result = _run_pass(tool, pages, timeout, log)
            versions[tool] = result["version"]
            rows = []
            for page, output, seconds, error in zip(
                pages, result["outputs"], result["seconds"], result["errors"], strict=True
            ):
                row: dict[str, Any] = {
                    "dataset": dataset,
                    "id": page.page_id,
                    "tool": tool,
                    "subsets": list(page.subsets),
                    "seconds": round(seconds, 5),
                    "error": error,
                    "text_len": len((output or {}).get("text") or ""),
                    **score_page(page, output, adapter),
                    "pred": {k: (output or {}).get(k) for k in ("title", "authors", "published", "kind")},
                }
                rows.append(row)
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
            for subset in subsets:
                subset_rows = [r for r in rows if subset in r["subsets"]]
                summary.append(
                    {
                        "dataset": dataset,
                        "subset": subset,
                        "tool": tool,
                        **summarize(subset_rows, result["peak_delta_bytes"], result["peak_total_bytes"]),
                    }
                )
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
            "wall_seconds": round(time.time() - started, 1),
        },
        "truth_counts": counts,
        "summary": summary,
        "passes": passes,
        "pages": page_rows,
    }


# -------------------------------------------------------------------------------------------- table

COLUMNS = (
    "dataset",
    "subset",
    "tool",
    "pages",
    "body F1",
    "snip P/R/F1",
    "title",
    "author",
    "day",
    "min+off",
    "kind",
    "pages/s",
    "peak MB",
    "rss MB",
    "errors",
    "empty",
)


def _num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _acc(row: dict[str, Any], name: str) -> str:
    value, n = row[f"{name}_acc"], row[f"{name}_n"]
    if not n:
        return "—"  # no page here has this ground truth
    if value is None:
        return "n/a"  # the tool gives no such field
    return f"{value:.3f} ({n})"


def table_rows(summary: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for row in summary:
        snippets = row.get("snippets")
        snip = "/".join(_num(snippets[k], 2) for k in ("precision", "recall", "f1")) if snippets else "—"
        rows.append(
            [
                row["dataset"],
                row["subset"],
                row["tool"],
                str(row["pages"]),
                _num(row["body_f1"]) if row["body_n"] else "—",
                snip,
                _acc(row, "title"),
                _acc(row, "author"),
                _acc(row, "day"),
                _acc(row, "minute_offset"),
                _acc(row, "kind"),
                _num(row["pages_per_s"], 1),
                f"{row['peak_mb']:.0f}",
                f"{row['rss_mb']:.0f}",
                str(row["errors"]),
                str(row["empty"]),
            ]
        )
    return rows


def format_table(summary: list[dict[str, Any]]) -> str:
    """A plain-text table, one row per (dataset, subset, tool)."""
    body = table_rows(summary)
    widths = [max(len(c), *(len(r[i]) for r in body)) if body else len(c) for i, c in enumerate(COLUMNS)]
    left = {0, 1, 2}

    def line(cells: list[str] | tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i in left else cell.rjust(widths[i]) for i, cell in enumerate(cells)
        ).rstrip()

    out = [line(COLUMNS), line(["-" * w for w in widths])]
    previous = None
    for cells in body:
        if previous is not None and cells[0] != previous:
            out.append("")
        previous = cells[0]
        out.append(line(cells))
    return "\n".join(out)


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
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")

    try:
        results = run_benchmark(
            args.datasets, args.tools, args.limit, args.data_dir, args.timeout, progress=not args.quiet
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
        "n/a: the tool gives no such field"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
