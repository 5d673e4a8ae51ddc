"""Optional extras: extraction runs without them, and a command that needs a missing one names it.

A missing extra is simulated in a child process by blocking its modules (`sys.modules[name] = None` makes
every import of them fail, as if they were not installed), so the test needs no second environment.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from warta.extras import EXTRAS

# What only the store, the reader and exports need: extraction must load none of it.
NOT_FOR_EXTRACTION = ("sqlalchemy", "alembic", "psycopg", "pyarrow", "fastapi", "uvicorn", "jinja2", "nh3")


def run_blocked(blocked: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    script = (
        "import sys\n"
        f"for name in {blocked!r}:\n"
        "    sys.modules[name] = None\n"
        "from warta.cli import main\n"
        f"main({list(args)!r})\n"
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


def test_extraction_loads_nothing_of_the_store_or_the_reader() -> None:
    script = (
        "import sys, warta\n"
        "page = '<html><body><article><p>' + 'A sentence about the harbour. ' * 40 + '</p></article></body></html>'\n"
        "warta.extract(page)\n"
        f"print(sorted(m for m in {NOT_FOR_EXTRACTION!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_extract_on_the_command_line_works_without_any_extra(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>Harbour</h1><p>" + "A sentence about the harbour. " * 30 + "</p></body></html>")
    blocked = tuple(name for modules in EXTRAS.values() for name in modules)
    result = run_blocked(blocked, "extract", str(page), "--format", "text")
    assert result.returncode == 0, result.stderr
    assert "A sentence about the harbour." in result.stdout


def test_serve_without_its_extra_names_the_extra(tmp_path: Path) -> None:
    result = run_blocked(("fastapi",), "--db", str(tmp_path / "w.db"), "serve")
    assert result.returncode == 1
    assert "pip install 'warta[serve]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_parquet_export_without_its_extra_names_the_extra(tmp_path: Path) -> None:
    result = run_blocked(("pyarrow",), "--db", str(tmp_path / "w.db"), "export", "-f", "parquet", "-o", "x.parquet")
    assert result.returncode == 1
    assert "pip install 'warta[parquet]'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["postgresql://warta@127.0.0.1:1/none"])
def test_a_postgresql_store_without_its_extra_names_the_extra(url: str) -> None:
    result = run_blocked(("psycopg",), "--db", url, "articles")
    assert result.returncode == 1
    assert "pip install 'warta[postgres]'" in result.stderr
    assert "Traceback" not in result.stderr
