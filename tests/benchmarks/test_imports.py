"""Every benchmark script imports: they run rarely, so a moved helper would otherwise break one unseen."""

import importlib
from pathlib import Path

import pytest

SCRIPTS = sorted(path.stem for path in (Path(__file__).resolve().parents[2] / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("name", [name for name in SCRIPTS if name != "__init__"])
def test_the_benchmark_script_imports(name: str) -> None:
    importlib.import_module(f"benchmarks.{name}")


def test_the_scripts_are_found() -> None:
    assert {"gate", "stories", "clean", "serve"} <= set(SCRIPTS)
