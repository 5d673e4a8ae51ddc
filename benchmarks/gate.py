"""Quality regression gate: run Warta on the first pages of each set and compare with stored floors.

    python benchmarks/gate.py [--limit 40] [--with-references] [--floors benchmarks/floors.json]
                              [--data-dir ../shared/data] [--json out.json] [--write-measured path.json]
                              [--fold-models DIR] [--rebuild-folds | --reuse-folds]

Floors apply to Warta's out-of-fold figures (`warta-oof`: each page extracted with models trained without
its site), the ones that say how Warta does on sites it has not seen; in-sample `warta` runs beside it so
the printout shows the gap. `--with-references` adds trafilatura and readability to the printout.
Exit status: 0 when every metric in the floors file is at or above its floor, 1 when any is below
(or has no measurement while its floor is above 0), 2 when the benchmark cannot run.
`--write-measured` writes the measured values in the floors file's format, as a starting point for
setting floors (lower them by a margin before committing them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)
elif str(_REPO_DIR) not in sys.path:
    sys.path.insert(0, str(_REPO_DIR))

from benchmarks.report import IN_SAMPLE_OF, format_table, metric_value  # noqa: E402
from benchmarks.run import DEFAULT_DATA_DIR, DEFAULT_FOLD_MODELS, run_benchmark  # noqa: E402

DEFAULT_FLOORS = _BENCH_DIR / "floors.json"
DEFAULT_LIMIT = 40
GATED_TOOL = "warta-oof"
REFERENCE_TOOLS = ("trafilatura", "readability")


def measured_floors(summary: list[dict[str, Any]], template: dict[str, dict[str, float]]) -> dict[str, Any]:
    """The measured values of every metric named in `template`, keyed like the floors file."""
    rows = {f"{r['dataset']}/{r['subset']}": r for r in summary if r["tool"] == GATED_TOOL}
    out: dict[str, dict[str, float | None]] = {}
    for key, floor_metrics in template.items():
        row = rows.get(key)
        out[key] = {
            m: (round(v, 4) if (v := metric_value(row, m)) is not None else None) if row else None
            for m in floor_metrics
        }
    return out


def check(summary: list[dict[str, Any]], floors: dict[str, dict[str, float]]) -> list[str]:
    """Failures as readable lines; empty when every floor holds."""
    rows = {f"{r['dataset']}/{r['subset']}": r for r in summary if r["tool"] == GATED_TOOL}
    failures = []
    for key, floor_metrics in floors.items():
        row = rows.get(key)
        for metric, floor in floor_metrics.items():
            value = metric_value(row, metric) if row else None
            if value is None:
                if floor > 0:
                    failures.append(f"{key} {metric}: no measurement (floor {floor:.3f})")
            elif value + 1e-9 < floor:
                failures.append(f"{key} {metric}: {value:.3f} < floor {floor:.3f}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help=f"pages per set (default: the floors file's, else {DEFAULT_LIMIT})",
    )
    parser.add_argument(
        "--with-references", "--with-trafilatura", action="store_true", help="also run trafilatura and readability"
    )
    parser.add_argument("--floors", type=Path, default=DEFAULT_FLOORS)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--json", type=Path, default=None, help="also write the full results here")
    parser.add_argument("--write-measured", type=Path, default=None, help="write measured values as floors JSON")
    parser.add_argument("--fold-models", type=Path, default=DEFAULT_FOLD_MODELS, help="as in run.py")
    build = parser.add_mutually_exclusive_group()
    build.add_argument("--rebuild-folds", action="store_true", help="rebuild the fold models even when current")
    build.add_argument("--reuse-folds", action="store_true", help="use the fold models as they are, even when stale")
    args = parser.parse_args(argv)

    config = json.loads(args.floors.read_text(encoding="utf-8"))
    floors: dict[str, dict[str, float]] = config["floors"]
    limit = args.limit or config.get("limit") or DEFAULT_LIMIT
    if config.get("limit") and limit != config["limit"]:
        print(f"warning: floors were set for --limit {config['limit']}, running {limit}", file=sys.stderr)
    datasets = list(dict.fromkeys(key.split("/")[0] for key in floors))
    tools = [GATED_TOOL, IN_SAMPLE_OF[GATED_TOOL], *(REFERENCE_TOOLS if args.with_references else ())]
    try:
        results = run_benchmark(
            datasets,
            tools,
            limit,
            args.data_dir,
            progress=True,
            fold_models_dir=args.fold_models,
            fold_build="always" if args.rebuild_folds else "never" if args.reuse_folds else "auto",
        )
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    print(format_table(results["summary"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.write_measured:
        measured = {"limit": limit, "floors": measured_floors(results["summary"], floors)}
        args.write_measured.write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
        print(f"wrote measured values to {args.write_measured}")

    failures = check(results["summary"], floors)
    if failures:
        print(f"\nGATE FAILED: {len(failures)} metric(s) below floor", file=sys.stderr)
        for line in failures:
            print(f"  {line}", file=sys.stderr)
        return 1
    checked = sum(len(m) for m in floors.values())
    print(f"\ngate passed: {checked} out-of-fold metrics at or above their floors (limit {limit})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
