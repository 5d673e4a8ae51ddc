"""Rebuild Warta's learned scorers from the labelled pages of ../shared/data, reproducibly.

    python benchmarks/train.py                       # the shipped models, into src/warta/extract/models/
    python benchmarks/train.py --folds DIR           # DIR/fold-<k>/: each trained without the sites of fold k
    python benchmarks/train.py --check --folds DIR   # CI: rebuild, compare with the shipped models, keep folds

The same data gives the same model files, byte for byte (deterministic LightGBM, one thread); CI rebuilds
the shipped models with `--check` and fails when a file differs. Fold models are what `benchmarks/run.py`
measures with: every page is extracted by the models of its own fold, trained on sites it does not belong to (folds.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == _BENCH_DIR:
    sys.path[0] = str(_REPO_DIR)
elif str(_REPO_DIR) not in sys.path:
    sys.path.insert(0, str(_REPO_DIR))

from benchmarks import fold_models  # noqa: E402
from benchmarks.folds import FOLDS, fold_of  # noqa: E402
from benchmarks.training import authors, body, kinds, lines, titles  # noqa: E402
from benchmarks.training.common import (  # noqa: E402
    ROUNDS,
    Samples,
    fit,
    model_entry,
    model_text,
    write_entry,
    write_model,
)

DEFAULT_DATA_DIR = _REPO_DIR.parent / "shared" / "data"
SHIPPED_DIR = _REPO_DIR / "src" / "warta" / "extract" / "models"
DATA_NAME = "../shared/data: wcxb-dev, fundus, id-news, trafilatura-eval"


@dataclass(frozen=True)
class Spec:
    """How to train one scorer: its samples, its version (bump when features or labels change), the
    probability from which a row counts as positive, and LightGBM settings beyond the common ones."""

    gather: Callable[[Path], Samples]
    version: int
    threshold: float
    params: dict[str, Any] = field(default_factory=dict)
    rounds: int = ROUNDS
    data: str = DATA_NAME


SCORERS: dict[str, Spec] = {
    "body": Spec(body.samples, version=1, threshold=0.5),
    # A few thousand pages of ten candidates each: small trees, or the model learns the sites.
    "title": Spec(titles.samples, version=1, threshold=0.5, params={"num_leaves": 8, "min_data_in_leaf": 20}),
    # A few thousand pages, one row each: small trees. Its threshold is where a page stops being a listing:
    # the rules' listings the model scores below it are read as articles. Out-of-fold, at 0.2 the articles
    # read as listings fell from 36 to 20 on wcxb-dev and from 12 to 2 on trafilatura-eval, for 0.001 of
    # wcxb-dev body F1 (0.1, 0.3 and 0.5 were tried; see kinds.py).
    "kind": Spec(kinds.samples, version=1, threshold=0.2, params={"num_leaves": 8, "min_data_in_leaf": 20}),
    "lines": Spec(
        lines.samples, lines.VERSION, lines.THRESHOLD, lines.PARAMS, rounds=lines.ROUNDS, data=lines.DATA_NOTE
    ),
    # About 1,500 pages of a few candidates each: small trees, as for titles (4 to 16 leaves measured the same
    # out-of-fold). Below the threshold the rules' pick stands, so a page that names nobody keeps no author:
    # measured out-of-fold, 0.1 costs under a point against always taking the model's pick, 0.3 two to three.
    "authors": Spec(authors.samples, version=1, threshold=0.1, params={"num_leaves": 8, "min_data_in_leaf": 20}),
}


def build(data_dir: Path, out_dir: Path, exclude_fold: int | None = None, log: Callable[[str], None] = print) -> None:
    """Train every scorer on the shared data (less the sites of `exclude_fold`) into `out_dir`."""
    for name, spec in SCORERS.items():
        started = time.perf_counter()
        samples = spec.gather(data_dir)
        _fit_into(out_dir, name, samples, spec, exclude_fold)
        log(f"{name}: {len(samples.rows)} rows, {time.perf_counter() - started:.0f} s")


def _fit_into(out_dir: Path, name: str, samples: Samples, spec: Spec, exclude_fold: int | None) -> dict[str, Any]:
    if exclude_fold is not None:
        samples = samples.where(fold_of(site) != exclude_fold for site in samples.sites)
    booster = fit(samples, rounds=spec.rounds, params=spec.params)
    return write_model(out_dir, name, booster, spec.version, spec.threshold, samples, spec.data)


def build_fold_models(data_dir: Path, out_root: Path, folds: int = FOLDS, log: Callable[[str], None] = print) -> None:
    """Write `out_root/fold-<k>/` for every fold: the scorers trained without the sites of fold k.

    Samples are gathered once per scorer and split by site, so the folds cost one pass over the pages.
    """
    if folds != FOLDS:
        raise ValueError(f"the sites are hashed into {FOLDS} folds (folds.FOLDS)")
    for name, spec in SCORERS.items():
        samples = spec.gather(data_dir)
        for fold in range(folds):
            _fit_into(out_root / f"fold-{fold}", name, samples, spec, fold)
            log(f"{name}: fold {fold} written")


# A scorer's models: its name, and per fold (None: the shipped model, trained on every site) the file's text
# and its manifest entry.
Built = tuple[str, dict[int | None, tuple[bytes, dict[str, Any]]]]


def build_all(
    data_dir: Path, out_dir: Path, folds_root: Path | None, workers: int = 2, log: Callable[[str], None] = print
) -> None:
    """The shipped models into `out_dir` and, when `folds_root` is given, every fold's models under it, from
    one pass over the pages per scorer, the scorers gathered side by side in `workers` processes.

    Gathering the samples is nearly all the cost (it extracts every page), so CI, which needs both the
    shipped models (to check them) and the fold models (for the gate), pays for it once. Each fold model
    is the one `build_fold_models` writes: the same samples, less the fold's sites."""
    folds = FOLDS if folds_root is not None else 0
    jobs = [(name, data_dir, folds) for name in SCORERS]
    with ProcessPoolExecutor(max(1, workers)) as pool:
        for name, models in pool.map(_build_scorer, jobs):
            for fold, (text, entry) in models.items():
                target = out_dir if fold is None else fold_models.fold_dir(folds_root or out_dir, fold)
                write_entry(target, name, text, entry)
            log(f"{name}: {models[None][1]['rows']} rows, {len(models) - 1} fold models")


def _build_scorer(job: tuple[str, Path, int]) -> Built:
    name, data_dir, folds = job
    spec = SCORERS[name]
    samples = spec.gather(data_dir)
    models: dict[int | None, tuple[bytes, dict[str, Any]]] = {}
    for fold in [None, *range(folds)]:
        kept = samples if fold is None else samples.where(fold_of(site) != fold for site in samples.sites)
        text = model_text(fit(kept, rounds=spec.rounds, params=spec.params))
        models[fold] = (text, model_entry(name, text, spec.version, spec.threshold, kept, spec.data))
    return name, models


def differences(built: Path, shipped: Path = SHIPPED_DIR) -> list[str]:
    """The scorers whose rebuilt model or manifest entry differs from the shipped one."""
    rebuilt = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    known = json.loads((shipped / "manifest.json").read_text(encoding="utf-8"))
    return [
        name
        for name in SCORERS
        if rebuilt.get(name) != known.get(name)
        or (built / rebuilt[name]["file"]).read_bytes() != (shipped / known[name]["file"]).read_bytes()
    ]


def check(data_dir: Path, folds_root: Path | None, log: Callable[[str], None] = print) -> int:
    """Rebuild the shipped models (and the fold models, when asked) and compare; 1 when any differs."""
    started = time.time()
    with tempfile.TemporaryDirectory() as folder:
        built = Path(folder) / "shipped"
        scratch = None if folds_root is None else folds_root.with_name(folds_root.name + ".building")
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        build_all(data_dir, built, scratch, log=log)
        if scratch is not None and folds_root is not None:
            fold_models.stamp(scratch, data_dir, FOLDS, started)
            shutil.rmtree(folds_root, ignore_errors=True)
            scratch.rename(folds_root)
        changed = differences(built)
    for name in changed:
        log(f"{name}: the shipped model is not what the training data gives; rerun benchmarks/train.py and commit it")
    if not changed:
        log(f"the shipped models are what benchmarks/train.py builds ({time.time() - started:.0f} s)")
    return 1 if changed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=SHIPPED_DIR, help=f"default: {SHIPPED_DIR}")
    parser.add_argument("--folds", type=Path, default=None, help="write the fold models under this directory")
    parser.add_argument(
        "--check", action="store_true", help="rebuild and compare with the shipped models (exit 1 when one differs)"
    )
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"error: no data directory at {args.data_dir}", file=sys.stderr)
        return 2
    if args.check:
        return check(args.data_dir, args.folds)
    if args.folds is not None:
        build_fold_models(args.data_dir, args.folds)
    else:
        build(args.data_dir, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
