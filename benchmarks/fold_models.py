"""The models of each site-disjoint fold, built once and rebuilt when what they were trained from changes.

`<root>/fold-<k>/` holds the models trained without the sites of fold k (a directory `Models.from_dir`
loads); `benchmarks.train.build_fold_models` writes them. `<root>/build.json` records when and from what
they were built, so a later run knows whether they are still the models of the current code and data: a
fold model trained on features the extractor no longer computes would give out-of-fold figures of nothing.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from benchmarks.folds import FOLDS

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_DIR = _BENCH_DIR.parent
STAMP = "build.json"
MANIFEST = "manifest.json"

# What a fold model is a function of: the training code, the fold assignment, the loaders, and the
# extractor's code (it computes the features the models read). The data sets are added per run.
CODE_INPUTS: tuple[str, ...] = (
    "benchmarks/train.py",
    "benchmarks/training",
    "benchmarks/folds.py",
    "benchmarks/datasets.py",
    "src/warta/extract",
)
# Data folders read for training; only those present are checked.
DATA_INPUTS: tuple[str, ...] = ("wcxb-dev", "trafilatura-eval", "fundus", "id-news")

# "auto": build when missing or stale; "always"; "never": use what is there, warn when stale.
BUILD_MODES: tuple[str, ...] = ("auto", "always", "never")


class FoldModelsError(RuntimeError):
    """Fold models that are missing and cannot be built, or that do not load."""


def fold_dir(root: Path, fold: int) -> Path:
    return root / f"fold-{fold}"


def _files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def training_inputs(data_dir: Path, repo_dir: Path = _REPO_DIR) -> list[Path]:
    """Every file the fold models depend on (code as .py files, data as every file of the sets)."""
    code = [p for p in _files(repo_dir / name for name in CODE_INPUTS) if p.suffix == ".py"]
    data = list(_files(data_dir / name for name in DATA_INPUTS))
    return code + data


def newest_input(inputs: Iterable[Path]) -> tuple[float, str | None]:
    """The latest modification time among `inputs`, and which file has it."""
    newest, which = 0.0, None
    for path in inputs:
        mtime = path.stat().st_mtime
        if mtime > newest:
            newest, which = mtime, str(path)
    return newest, which


def _read_stamp(root: Path) -> dict[str, Any] | None:
    try:
        stamp = json.loads((root / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def stale_reason(root: Path, data_dir: Path, folds: int, inputs: Iterable[Path]) -> str | None:
    """Why the models under `root` must be (re)built, or None when they are current."""
    if not (root / STAMP).is_file():
        return f"no {STAMP} in {root}"
    stamp = _read_stamp(root)
    if stamp is None:
        return f"unreadable {root / STAMP}"
    if stamp.get("folds") != folds:
        return f"built for {stamp.get('folds')} folds, {folds} wanted"
    if stamp.get("data_dir") != str(data_dir.resolve()):
        return f"built from {stamp.get('data_dir')}, not {data_dir.resolve()}"
    missing = [k for k in range(folds) if not (fold_dir(root, k) / MANIFEST).is_file()]
    if missing:
        return f"fold {missing[0]} has no {MANIFEST}"
    newest, which = newest_input(inputs)
    # The build's start, not its end: an input edited while training ran was not what it read.
    if newest > float(stamp.get("started", 0)):
        return f"{which} changed after the models were built"
    return None


def _builder() -> Callable[..., None]:
    try:
        from benchmarks.train import build_fold_models
    except ImportError as exc:
        raise FoldModelsError(
            f"cannot build the fold models: benchmarks.train.build_fold_models is not importable ({exc}). "
            "Point --fold-models at a directory of built fold models (fold-<k>/manifest.json) and pass "
            "--reuse-folds to use them as they are, or leave warta-oof out of --tools."
        ) from exc
    return build_fold_models  # type: ignore[no-any-return]


def build(root: Path, data_dir: Path, folds: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Train every fold's models into a scratch directory, then put it in place of `root`.

    A build that fails halfway leaves the previous models (or none) rather than a mix of old and new folds.
    """
    build_fold_models = _builder()
    scratch = root.with_name(root.name + ".building")
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    started = time.time()
    log(f"building {folds} fold models in {root} (benchmarks.train.build_fold_models) ...")
    build_fold_models(data_dir, scratch, folds)
    written = stamp(scratch, data_dir, folds, started)
    if root.exists():
        shutil.rmtree(root)
    scratch.rename(root)
    log(f"built the fold models in {written['seconds']:.0f} s")
    return written


def stamp(root: Path, data_dir: Path, folds: int, started: float) -> dict[str, Any]:
    """Record under `root` that its fold models were built from `data_dir`, from what existed at `started`."""
    written = {
        "folds": folds,
        "data_dir": str(data_dir.resolve()),
        "started": started,
        "seconds": round(time.time() - started, 1),
    }
    (root / STAMP).write_text(json.dumps(written, indent=1) + "\n", encoding="utf-8")
    return written


def ensure(
    root: Path,
    data_dir: Path,
    mode: str = "auto",
    folds: int = FOLDS,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Make sure `root` holds current fold models (per `mode`); what was found or done, for the run's meta."""
    if mode not in BUILD_MODES:
        raise ValueError(f"unknown fold model build mode {mode!r}; known: {', '.join(BUILD_MODES)}")
    reason = "rebuild asked for" if mode == "always" else stale_reason(root, data_dir, folds, training_inputs(data_dir))
    info: dict[str, Any] = {"dir": str(root), "stale": reason, "built": False, "build": _read_stamp(root)}
    if reason is None:
        return info
    if mode == "never":
        missing = [k for k in range(folds) if not (fold_dir(root, k) / MANIFEST).is_file()]
        if missing:
            raise FoldModelsError(f"fold {missing[0]} has no models in {fold_dir(root, missing[0])}")
        log(f"warning: using the fold models in {root} as they are ({reason})")
        return info
    log(f"fold models in {root} need building: {reason}")
    info.update(build=build(root, data_dir, folds, log), built=True)
    return info


def check_loadable(root: Path, folds: int = FOLDS) -> None:
    """Load every fold's models once in this process, so a broken fold stops the run before it starts."""
    from warta.extract.learned import ModelError, Models

    for k in range(folds):
        try:
            Models.from_dir(fold_dir(root, k))
        except (OSError, ModelError, KeyError, ValueError) as exc:
            raise FoldModelsError(f"fold {k}: the models in {fold_dir(root, k)} do not load: {exc}") from exc
