"""Fold models: built when missing or stale, put in place whole, refused when they do not load."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from benchmarks import fold_models
from benchmarks.fold_models import FoldModelsError, check_loadable, ensure, fold_dir, stale_reason

FOLDS = 3


def write_models(root: Path, folds: int = FOLDS, manifest: str = "{}") -> None:
    """Fold directories whose manifest names no model: `Models()`, the rules alone."""
    for k in range(folds):
        fold_dir(root, k).mkdir(parents=True, exist_ok=True)
        (fold_dir(root, k) / "manifest.json").write_text(manifest, encoding="utf-8")


def stamp(root: Path, data_dir: Path, folds: int = FOLDS, started: float | None = None) -> None:
    record = {"folds": folds, "data_dir": str(data_dir.resolve()), "started": started or time.time()}
    (root / "build.json").write_text(json.dumps(record), encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "fundus").mkdir(parents=True)
    (data / "fundus" / "index.jsonl").write_text("{}\n", encoding="utf-8")
    old = time.time() - 3600
    os.utime(data / "fundus" / "index.jsonl", (old, old))
    return data


@pytest.fixture
def fake_builder(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, Path, int]]:
    """Stand in for benchmarks.train.build_fold_models; records its calls."""
    calls: list[tuple[Path, Path, int]] = []

    def build(data_dir: Path, out_root: Path, folds: int) -> None:
        calls.append((data_dir, out_root, folds))
        write_models(out_root, folds)

    monkeypatch.setattr(fold_models, "_builder", lambda: build)
    return calls


def only_data(data_dir: Path) -> list[Path]:
    return fold_models.training_inputs(data_dir, repo_dir=data_dir / "no-repo")


def test_missing_models_are_stale(tmp_path: Path, data_dir: Path) -> None:
    assert "no build.json" in (stale_reason(tmp_path / "folds", data_dir, FOLDS, []) or "")


def test_current_models(tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "folds"
    write_models(root)
    stamp(root, data_dir)
    assert stale_reason(root, data_dir, FOLDS, only_data(data_dir)) is None


def test_an_input_changed_after_the_build_makes_them_stale(tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "folds"
    write_models(root)
    stamp(root, data_dir, started=time.time() - 60)
    (data_dir / "fundus" / "index.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    assert "index.jsonl changed" in (stale_reason(root, data_dir, FOLDS, only_data(data_dir)) or "")


def test_other_fold_count_or_data_makes_them_stale(tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "folds"
    write_models(root)
    stamp(root, data_dir, folds=5)
    assert "5 folds" in (stale_reason(root, data_dir, FOLDS, []) or "")
    stamp(root, tmp_path / "elsewhere")
    assert "built from" in (stale_reason(root, data_dir, FOLDS, []) or "")


def test_a_fold_without_manifest_is_stale(tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "folds"
    write_models(root)
    stamp(root, data_dir)
    (fold_dir(root, 1) / "manifest.json").unlink()
    assert "fold 1" in (stale_reason(root, data_dir, FOLDS, []) or "")


def test_training_inputs_are_code_and_data(data_dir: Path) -> None:
    inputs = fold_models.training_inputs(data_dir)
    names = {p.name for p in inputs}
    assert {"folds.py", "datasets.py", "index.jsonl"} <= names
    assert any(p.parts[-3:-1] == ("warta", "extract") for p in inputs)
    assert all(p.suffix == ".py" for p in inputs if "data" not in p.parts)


def test_auto_builds_missing_models_once(tmp_path: Path, data_dir: Path, fake_builder: list) -> None:
    root = tmp_path / "folds"
    info = ensure(root, data_dir, "auto", FOLDS)
    assert info["built"] is True
    assert info["build"]["folds"] == FOLDS
    assert len(fake_builder) == 1
    assert fake_builder[0][2] == FOLDS
    assert fake_builder[0][1] != root  # built aside, then moved in place
    assert (root / "build.json").is_file()
    assert not root.with_name("folds.building").exists()
    # The fake's directory is current as far as the data go; the repository's code is not looked at here.
    assert stale_reason(root, data_dir, FOLDS, only_data(data_dir)) is None


def test_always_rebuilds(tmp_path: Path, data_dir: Path, fake_builder: list) -> None:
    root = tmp_path / "folds"
    write_models(root)
    stamp(root, data_dir)
    assert ensure(root, data_dir, "always", FOLDS)["built"] is True
    assert len(fake_builder) == 1


def test_never_uses_stale_models_as_they_are(tmp_path: Path, data_dir: Path, fake_builder: list) -> None:
    root = tmp_path / "folds"
    write_models(root)  # no build.json: stale, but complete
    messages: list[str] = []
    info = ensure(root, data_dir, "never", FOLDS, log=messages.append)
    assert info["built"] is False
    assert info["stale"]
    assert not fake_builder
    assert any("as they are" in m for m in messages)


def test_never_refuses_missing_models(tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(FoldModelsError, match="fold 0 has no models"):
        ensure(tmp_path / "folds", data_dir, "never", FOLDS)


def test_unknown_mode(tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown fold model build mode"):
        ensure(tmp_path / "folds", data_dir, "sometimes", FOLDS)


def test_a_failed_build_keeps_the_previous_models(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "folds"
    write_models(root)

    def broken(data_dir: Path, out_root: Path, folds: int) -> None:
        write_models(out_root, 1)
        raise RuntimeError("training failed")

    monkeypatch.setattr(fold_models, "_builder", lambda: broken)
    with pytest.raises(RuntimeError, match="training failed"):
        ensure(root, data_dir, "always", FOLDS)
    assert all((fold_dir(root, k) / "manifest.json").is_file() for k in range(FOLDS))
    assert not (root / "build.json").exists()


def test_without_the_training_script_the_error_says_what_to_do(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "benchmarks.train", None)  # importing it raises ImportError
    with pytest.raises(FoldModelsError, match="--fold-models"):
        ensure(tmp_path / "folds", data_dir, "auto", FOLDS)


def test_check_loadable(tmp_path: Path) -> None:
    root = tmp_path / "folds"
    write_models(root)
    check_loadable(root, FOLDS)
    (fold_dir(root, 2) / "manifest.json").write_text("not json", encoding="utf-8")
    with pytest.raises(FoldModelsError, match="fold 2"):
        check_loadable(root, FOLDS)
    (fold_dir(root, 2) / "manifest.json").unlink()
    with pytest.raises(FoldModelsError, match="fold 2"):
        check_loadable(root, FOLDS)
