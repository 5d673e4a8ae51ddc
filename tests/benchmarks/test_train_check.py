"""`benchmarks/train.py --check` tells a shipped model that is not what the training data gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks import train


def test_a_changed_byte_or_manifest_entry_names_its_scorer(tmp_path: Path) -> None:
    built = tmp_path / "built"
    shutil.copytree(train.SHIPPED_DIR, built, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    assert train.differences(built) == []
    body = built / "body.txt"
    text = body.read_bytes()
    body.write_bytes(text[:-2] + bytes([text[-2] ^ 1]) + text[-1:])
    assert train.differences(built) == ["body"]
    body.write_bytes(text)
    manifest = built / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"rows": ', '"rows": 1', 1), encoding="utf-8")
    assert len(train.differences(built)) == 1
