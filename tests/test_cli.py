from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import page
from warta.cli import main

PROSE = "Residents gathered in the square on Sunday to celebrate the reopening of the old market hall. " * 3


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_page(path: Path, title: str) -> Path:
    path.write_text(page(f"<article><h1>{title}</h1><p>{PROSE}</p></article>", f"<title>{title}</title>"))
    return path


def test_single_file_gives_one_json_document(runner: CliRunner, tmp_path: Path) -> None:
    path = write_page(tmp_path / "a.html", "Market hall reopens")
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == "Market hall reopens"
    assert "market hall" in data["text"]


def test_many_files_give_json_lines_and_bad_ones_are_skipped(runner: CliRunner, tmp_path: Path) -> None:
    write_page(tmp_path / "a.html", "First story here")
    write_page(tmp_path / "b.html", "Second story here")
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    missing = tmp_path / "nope.html"
    result = runner.invoke(main, ["extract", str(tmp_path), str(missing), "--no-progress"])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["First story here", "Second story here"]
    assert "empty.html: skipped, empty" in result.stderr
    assert "image.png: skipped, binary" in result.stderr
    assert "nope.html: skipped, missing" in result.stderr
    assert "extracted 2, skipped 3 (binary: 1, empty: 1, missing: 1)" in result.stderr
    assert "Traceback" not in result.output


def test_gzipped_page_and_glob(runner: CliRunner, tmp_path: Path) -> None:
    raw = write_page(tmp_path / "x.html", "Zipped story title").read_bytes()
    (tmp_path / "x.html").unlink()
    (tmp_path / "x.html.gz").write_bytes(gzip.compress(raw))
    result = runner.invoke(main, ["extract", str(tmp_path / "*.gz")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Zipped story title"


def test_broken_gzip_is_a_counted_skip(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.html.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    result = runner.invoke(main, ["extract", str(tmp_path / "bad.html.gz")])
    assert result.exit_code == 1
    assert "skipped, broken-gzip" in result.stderr


def test_stdin_and_formats(runner: CliRunner) -> None:
    html = page(f"<article><h1>From stdin</h1><p>{PROSE}</p></article>")
    for fmt, needle in (
        ("markdown", "# From stdin"),
        ("text", "From stdin\n\n"),
        ("html", "<h1>From stdin</h1>"),
    ):
        result = runner.invoke(main, ["extract", "-", "--format", fmt], input=html)
        assert result.exit_code == 0, result.output
        assert needle in result.stdout


def test_text_input_takes_the_text_path(runner: CliRunner, tmp_path: Path) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_text(
        "Menu\nA headline that appears twice on the page\nA headline that appears twice on the page\n" + PROSE + "\n"
    )
    result = runner.invoke(main, ["extract", str(dump)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == "A headline that appears twice on the page"
    assert data["text"].startswith("Residents gathered")


def test_html_output_is_escaped(runner: CliRunner) -> None:
    html = page("<article><h1>Tom &amp; Jerry &lt;script&gt;</h1><p>" + PROSE + "</p></article>")
    result = runner.invoke(main, ["extract", "-", "--format", "html"], input=html)
    assert "<script>" not in result.stdout
    assert "&lt;script&gt;" in result.stdout


def test_parallel_batch_matches_serial(runner: CliRunner, tmp_path: Path) -> None:
    for i in range(40):
        write_page(tmp_path / f"p{i:02}.html", f"Story number {i:02} today")
    serial = runner.invoke(main, ["extract", str(tmp_path), "-j", "1"])
    parallel = runner.invoke(main, ["extract", str(tmp_path), "-j", "2"])
    assert serial.exit_code == parallel.exit_code == 0
    assert serial.stdout == parallel.stdout
    assert len(parallel.stdout.splitlines()) == 40


def test_samples_all_extract(runner: CliRunner, samples: Path) -> None:
    result = runner.invoke(main, ["extract", str(samples)])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(list(samples.iterdir()))
    assert all(r["title"] and len(r["text"]) > 500 for r in records)
