"""The shipped models are what benchmarks/train.py builds from ../shared/data, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import train

pytestmark = pytest.mark.skipif(
    not train.DEFAULT_DATA_DIR.is_dir(), reason=f"the training data is not at {train.DEFAULT_DATA_DIR}"
)


def test_the_shipped_models_match_the_training_script(tmp_path: Path) -> None:
    train.build(train.DEFAULT_DATA_DIR, tmp_path, log=lambda _message: None)
    shipped = json.loads((train.SHIPPED_DIR / "manifest.json").read_text(encoding="utf-8"))
    rebuilt = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    for name in train.SCORERS:
        assert rebuilt[name] == shipped[name], f"{name}: rerun benchmarks/train.py and commit the model"
        assert (tmp_path / rebuilt[name]["file"]).read_bytes() == (
            train.SHIPPED_DIR / shipped[name]["file"]
        ).read_bytes()
