"""Imports and re-extractions killed with -9 or stopped with Ctrl-C, and run side by side, in processes of
their own: nothing is lost or doubled, the SQLite file stays sound, and running the command again completes
the work, to the same store as a run that was never interrupted."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text, update

from tests.jobs.corpus import REPO, exchange, warta_process, write_pages, write_warc
from warta.store import Store
from warta.store.schema import articles

PAGES = 120
# Seconds a test waits for a process to get somewhere or to end; far above what it takes.
PATIENCE = 180


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert process.poll() is None, "ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)


def finished(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    _, errors = process.communicate(timeout=PATIENCE)
    return process.returncode, errors.decode()


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """kill -9 of the command (its workers must go on their own), then of any straggler so none leaks."""
    process.send_signal(signal.SIGKILL)
    process.wait()
    if process.stderr is not None:
        process.stderr.close()
    deadline = time.monotonic() + 10
    while subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True).returncode == 0:
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("workers outlived the killed command")
        time.sleep(0.1)


def snapshot(db: str) -> tuple[int, int, int, list[tuple[str, str]]]:
    """Articles, pages and versions counted, and each article's URL and content, in one store."""
    with Store(db) as store, store.engine.connect() as connection:
        rows = connection.execute(text("SELECT canonical_url, content_hash FROM articles ORDER BY canonical_url"))
        return store.article_count(), store.page_count(), store.version_count(), [tuple(row) for row in rows]


def integrity(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def test_an_import_killed_midway_is_completed_by_running_it_again(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, range(1, PAGES + 1))
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    assert finished(warta_process(str(clean), "import", str(folder), "-j", "1"))[0] == 0
    process = warta_process(str(killed), "import", str(folder), "-j", "1")
    wait_for(lambda: killed.exists() and snapshot(str(killed))[0] >= 10, process)
    kill_group(process)
    stored = snapshot(str(killed))[0]
    assert 10 <= stored < PAGES
    assert integrity(killed) == "ok"
    code, errors = finished(warta_process(str(killed), "import", str(folder), "-j", "1"))
    assert code == 0, errors
    assert f"new {PAGES - stored}, changed 0, unchanged {stored}" in errors
    assert snapshot(str(killed)) == snapshot(str(clean))
    assert integrity(killed) == "ok"


def test_a_reextract_killed_midway_is_completed_by_running_it_again(tmp_path: Path) -> None:
    archive = tmp_path / "warc"
    write_warc(archive, [exchange(n) for n in range(1, PAGES + 1)])
    db = tmp_path / "w.db"
    assert finished(warta_process(str(db), "import", str(archive), "-j", "1"))[0] == 0
    with Store(str(db)) as store, store.engine.begin() as connection:
        # As after an extractor improved: every article re-extracts as a change, one new version each.
        connection.execute(update(articles).values(content_hash="earlier extractor"))
    clean = tmp_path / "clean.db"
    shutil.copy(db, clean)
    assert finished(warta_process(str(clean), "reextract", "-j", "1"))[0] == 0
    process = warta_process(str(db), "reextract", "-j", "1")
    wait_for(lambda: snapshot(str(db))[2] >= 10, process)
    kill_group(process)
    articles_count, pages_count, versions, _ = snapshot(str(db))
    assert (articles_count, pages_count) == (PAGES, PAGES)
    assert 10 <= versions < PAGES
    assert integrity(db) == "ok"
    code, errors = finished(warta_process(str(db), "reextract", "-j", "1"))
    assert code == 0, errors
    assert f"changed {PAGES - versions}, unchanged {versions}" in errors
    assert snapshot(str(db)) == snapshot(str(clean))
    assert snapshot(str(db))[:3] == (PAGES, PAGES, PAGES)
    assert integrity(db) == "ok"


def test_ctrl_c_stops_an_import_with_exit_130_and_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, range(1, PAGES + 1))
    db = tmp_path / "w.db"
    process = warta_process(str(db), "import", str(folder), "-j", "2")
    wait_for(lambda: db.exists() and snapshot(str(db))[0] >= 5, process)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends: to the command and its workers
    code, errors = finished(process)
    assert code == 130, errors
    assert "import interrupted" in errors
    assert "Traceback" not in errors
    assert integrity(db) == "ok"


def test_two_imports_of_overlapping_inputs_at_once_store_each_article_once(store_url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_pages(first, range(1, 61))
    write_pages(second, range(31, 91))
    archive = tmp_path / "warc"
    write_warc(archive, [exchange(n) for n in range(31, 61)])
    runs = [
        warta_process(store_url, "import", str(first), str(archive), "-j", "1"),
        warta_process(store_url, "import", str(archive), str(second), "-j", "1"),
    ]
    for run in runs:
        code, errors = finished(run)
        assert code == 0, errors
    articles_count, pages_count, _, rows = snapshot(store_url)
    assert articles_count == 90
    assert len({url for url, _ in rows}) == 90
    assert pages_count == 30  # each archived response once, though both imported it


def test_processes_opening_a_new_store_at_once_all_succeed(store_url: str) -> None:
    opening = "import sys; from warta.store import Store; Store(sys.argv[1]).close()"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    runs = [
        subprocess.Popen([sys.executable, "-c", opening, store_url], env=env, stderr=subprocess.PIPE) for _ in range(4)
    ]
    for run in runs:
        _, errors = run.communicate(timeout=PATIENCE)
        assert run.returncode == 0, errors.decode()
    with Store(store_url) as store:
        assert store.article_count() == 0
