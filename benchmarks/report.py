"""Scoring, aggregation and the printed table of a benchmark run (no tools, no processes: pure data).

Each page is scored per tool (`score_page`); rows are aggregated per (set, subset, tool) (`summarize`); a tool
measured out-of-fold is paired with its in-sample self, and the table prints the two next to each other with
the gap (in-sample minus out-of-fold) beneath, since the out-of-fold figure is the one to believe and the gap
says how much the in-sample one flatters.
"""

from __future__ import annotations

from typing import Any

from benchmarks import metrics
from benchmarks.datasets import Page

# Out-of-fold tool -> the same extractor measured in-sample.
IN_SAMPLE_OF: dict[str, str] = {"warta-oof": "warta"}

# Metrics compared between in-sample and out-of-fold, named as in the floors file.
GAP_METRICS: tuple[str, ...] = (
    "body_f1",
    "body_precision",
    "body_recall",
    "snippet_precision",
    "snippet_recall",
    "snippet_f1",
    "title_acc",
    "author_acc",
    "day_acc",
    "minute_offset_acc",
    "kind_acc",
)


# ------------------------------------------------------------------------------------------- scoring


def score_page(page: Page, output: dict[str, Any] | None, adapter: Any) -> dict[str, Any]:
    """Every metric that applies to this page; a missing output (error) scores as an empty one.

    `adapter` says what the tool can give at all (`gives_authors`, `gives_date`, `gives_time`,
    `gives_kind`); a field it cannot give is None (shown as n/a) rather than wrong.
    """
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
        score["author_ok"] = (
            metrics.authors_match(out.get("authors") or [], truth.authors) if adapter.gives_authors else None
        )
    day_truth = page.day_truth
    if day_truth:
        score["day_ok"] = metrics.day_match(out.get("published"), day_truth) if adapter.gives_date else None
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
        "sites": len({r["site"] for r in rows if "site" in r}),
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


def metric_value(row: dict[str, Any], metric: str) -> float | None:
    """One metric of a summary row: `body_f1`, `<field>_acc`, or `snippet_<precision|recall|f1|accuracy>`."""
    if metric.startswith("snippet_"):
        snippets = row.get("snippets") or {}
        value = snippets.get(metric.removeprefix("snippet_"))
    else:
        value = row.get(metric)
    return float(value) if isinstance(value, int | float) else None


def gaps(summary: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """In-sample minus out-of-fold, per (set, subset) and metric, wherever the run has both tools.

    Positive: the in-sample figure flatters (the models or rules learned those very sites).
    """
    rows = {(r["dataset"], r["subset"], r["tool"]): r for r in summary}
    out = []
    for (dataset, subset, tool), oof in rows.items():
        in_sample = rows.get((dataset, subset, IN_SAMPLE_OF.get(tool, "")))
        if in_sample is None:
            continue
        deltas: dict[str, float | None] = {}
        for metric in GAP_METRICS:
            a, b = metric_value(in_sample, metric), metric_value(oof, metric)
            deltas[metric] = a - b if a is not None and b is not None else None
        out.append(
            {"dataset": dataset, "subset": subset, "tool": in_sample["tool"], "out_of_fold": tool, "gap": deltas}
        )
    return out


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
GAP_LABEL = "gap in−oof"


def _num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:+.{digits}f}"


def _acc(row: dict[str, Any], name: str) -> str:
    value, n = row[f"{name}_acc"], row[f"{name}_n"]
    if not n:
        return "—"  # no page here has this ground truth
    if value is None:
        return "n/a"  # the tool gives no such field
    return f"{value:.3f} ({n})"


def _tool_cells(row: dict[str, Any]) -> list[str]:
    snippets = row.get("snippets")
    snip = "/".join(_num(snippets[k], 2) for k in ("precision", "recall", "f1")) if snippets else "—"
    return [
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


def _gap_cells(dataset: str, subset: str, gap: dict[str, float | None]) -> list[str]:
    snip = [gap[f"snippet_{k}"] for k in ("precision", "recall", "f1")]
    return [
        dataset,
        subset,
        GAP_LABEL,
        "",
        _signed(gap["body_f1"]),
        "/".join(_signed(v, 2) for v in snip) if any(v is not None for v in snip) else "—",
        _signed(gap["title_acc"]),
        _signed(gap["author_acc"]),
        _signed(gap["day_acc"]),
        _signed(gap["minute_offset_acc"]),
        _signed(gap["kind_acc"]),
        "",
        "",
        "",
        "",
        "",
    ]


def _groups(summary: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Summary rows per (set, subset), in the order the run produced them."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in summary:
        groups.setdefault((row["dataset"], row["subset"]), []).append(row)
    return groups


def _pair_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each out-of-fold row first, directly followed by its in-sample row; the other tools after, in order."""
    paired = {IN_SAMPLE_OF[r["tool"]] for r in rows if r["tool"] in IN_SAMPLE_OF}
    ordered: list[dict[str, Any]] = []
    for row in rows:
        if row["tool"] in IN_SAMPLE_OF:
            ordered.append(row)
            ordered.extend(r for r in rows if r["tool"] == IN_SAMPLE_OF[row["tool"]])
    ordered.extend(r for r in rows if r["tool"] not in IN_SAMPLE_OF and r["tool"] not in paired)
    return ordered


def table_rows(summary: list[dict[str, Any]]) -> list[list[str]]:
    """The table's cells: per (set, subset) the out-of-fold row, its in-sample row, the gap, the others."""
    gap_of = {(g["dataset"], g["subset"], g["tool"]): g["gap"] for g in gaps(summary)}
    out: list[list[str]] = []
    for (dataset, subset), rows in _groups(summary).items():
        for row in _pair_first(rows):
            out.append(_tool_cells(row))
            gap = gap_of.get((dataset, subset, row["tool"]))
            if gap is not None:
                out.append(_gap_cells(dataset, subset, gap))
    return out


def format_table(summary: list[dict[str, Any]]) -> str:
    """A plain-text table, one row per (dataset, subset, tool) and a gap row per out-of-fold pair."""
    body = table_rows(summary)
    widths = [max(len(c), *(len(r[i]) for r in body)) if body else len(c) for i, c in enumerate(COLUMNS)]
    left = {0, 1, 2}

    def line(cells: list[str] | tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i in left else cell.rjust(widths[i]) for i, cell in enumerate(cells)
        ).rstrip()

    out = [line(COLUMNS), line(["-" * w for w in widths])]
    previous: tuple[str, str] | None = None
    for cells in body:
        group = (cells[0], cells[1])
        if previous is not None and group != previous:
            out.append("")
        previous = group
        out.append(line(cells))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------- headline


def main_metric(row: dict[str, Any]) -> tuple[str, str] | None:
    """The figure a subset is quoted by: body F1 where there is a body truth, else snippets, else kind."""
    if row["body_n"]:
        return "body F1", "body_f1"
    if row.get("snippets"):
        return "snippet F1", "snippet_f1"
    if row["kind_n"]:
        return "kind", "kind_acc"
    return None


def _figure(row: dict[str, Any], metric: str, value: float | None) -> str:
    # An accuracy the tool cannot have (pages with the truth, but no such field) is n/a, as in the table.
    if value is None and metric.endswith("_acc") and row.get(metric.removesuffix("_acc") + "_n"):
        return "n/a"
    return _num(value)


def headline(summary: list[dict[str, Any]]) -> list[str]:
    """One line per (set, subset): its main figure, out-of-fold first, with the in-sample gap and the others."""
    lines = []
    groups = _groups(summary)
    width = max((len(f"{d}/{s}") for d, s in groups), default=0)
    for (dataset, subset), rows in groups.items():
        picked = main_metric(rows[0])
        if picked is None:
            continue
        label, metric = picked
        parts = []
        by_tool = {r["tool"]: r for r in rows}
        for row in _pair_first(rows):
            value = metric_value(row, metric)
            text = f"{row['tool']} {_figure(row, metric, value)}"
            out_of_fold = next((t for t, s in IN_SAMPLE_OF.items() if s == row["tool"] and t in by_tool), None)
            if out_of_fold is not None:
                oof_value = metric_value(by_tool[out_of_fold], metric)
                gap = value - oof_value if value is not None and oof_value is not None else None
                text += f" (gap {_signed(gap)})"
            parts.append(text)
        lines.append(f"{f'{dataset}/{subset}':<{width}}  {label:<10}  " + "  ".join(parts))
    return lines
