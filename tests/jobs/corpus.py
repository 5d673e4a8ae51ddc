"""Inputs for the import tests: saved article pages (with their canonical URL) and WARC files of them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.crawl.site import article_html
from warta.fetch.archive import Exchange, WarcArchive

BASE = "https://kabar.example"
REPO = Path(__file__).resolve().parents[2]
START = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def saved_page(number: int, title: str | None = None) -> str:
    """An article page that names its canonical URL, as a saved page must."""
    canonical = f"<link rel=canonical href='{BASE}/berita/{number}'>"
    page = article_html(number, title or f"Berita kota nomor {number} hari ini")
    return page.replace("</head>", canonical + "</head>")


def write_pages(folder: Path, numbers: range) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in numbers:
        path = folder / f"berita-{number}.html"
        path.write_text(saved_page(number), encoding="utf-8")
        paths.append(path)
    return paths


def exchange(number: int, title: str | None = None, fetched_at: datetime | None = None) -> Exchange:
    return Exchange(
        url=f"{BASE}/berita/{number}",
        request_line=f"GET /berita/{number} HTTP/1.1",
        request_headers=(("Host", "kabar.example"),),
        http_version="HTTP/1.1",
        status=200,
        reason="OK",
        response_headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=saved_page(number, title).encode(),
        fetched_at=fetched_at or START + timedelta(minutes=number),
    )


def write_warc(folder: Path, exchanges: list[Exchange], name: str | None = None) -> Path:
    """One WARC file holding `exchanges`; renamed to `name` when given (a WARC without its suffix)."""
    with WarcArchive(folder, prefix=f"t{len(list(folder.glob('*'))) if folder.is_dir() else 0}") as archive:
        for item in exchanges:
            archive.write(item)
        path = archive.paths[-1]
    return path.rename(folder / name) if name else path


def warta_process(db: str, *args: str, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """`warta --db DB ARGS` in a process of its own group, which a test can kill or interrupt.

    The command starts with Ctrl-C at its default, as from a terminal: a test run started in the background
    by a shell (`pytest &`) has SIGINT ignored, every child inherits that, and Python then leaves it ignored."""
    return subprocess.Popen(
        [sys.executable, "-c", "from warta.cli import main; main()", "--db", db, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}"},
        cwd=cwd,
        start_new_session=True,
        preexec_fn=_interruptible,
    )


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
