"""The bulk job on a real local Ray: a killed worker, a killed driver and a remote input still give every
article exactly once, and a run leaves no Ray process or folder behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.bulk.archives import write_archive
from tests.bulk.test_task import rows

pytest.importorskip("ray")

# Articles per archive: enough that a task is still running when the test strikes.
ARTICLES = 150
# Seconds a test waits for the moment to strike, or for the job; generous, as CI machines are slow.
WAIT = 300.0
RAY_FOLDERS = Path("/tmp")


def bulk(out: Path, *inputs: str, extra: tuple[str, ...] = ()) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from warta.cli import main; main()", "bulk", "extract", *inputs]
    return subprocess.Popen(
        [*command, "--out", str(out), "-j", "2", "--json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def finish(process: subprocess.Popen[str]) -> dict[str, object]:
    stdout, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    return dict(json.loads(stdout))


def wait_for(condition: Callable[[], object]) -> object:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("the moment to strike never came")


def task_workers() -> list[int]:
    """Ray workers running an extraction task now (Ray titles a worker process after its task)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes().startswith(b"ray::extract_file"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def archives(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    return [str(write_archive(folder / f"site{n}.warc.gz", n, ARTICLES)) for n in range(count)]


def unique_ids(out: Path) -> tuple[int, int]:
    found = rows(out)
    return len(found), len({row["id"] for row in found})


def ray_folders() -> set[str]:
    return {path.name for path in RAY_FOLDERS.glob("warta-ray-*")}


def test_a_worker_killed_mid_task_is_retried_and_every_article_is_written_once(tmp_path: Path) -> None:
    before = ray_folders()
    inputs = archives(tmp_path / "in", 2)
    process = bulk(tmp_path / "out", *inputs)
    victim = wait_for(lambda: task_workers() and list((tmp_path / "out" / "articles").glob(".*.tmp")))
    assert victim
    os.kill(task_workers()[0], signal.SIGKILL)
    summary = finish(process)
    assert summary["inputs"] == {"done": 2}
    assert unique_ids(tmp_path / "out") == (2 * ARTICLES, 2 * ARTICLES)
    assert ray_folders() <= before


def test_a_driver_killed_mid_job_is_rerun_to_every_article_exactly_once(tmp_path: Path) -> None:
    inputs = archives(tmp_path / "in", 3)
    out = tmp_path / "out"
    process = bulk(out, *inputs, extra=("-j", "1"))
    wait_for(lambda: list((out / "_done").glob("*.json")) and list((out / "articles").glob(".*.tmp")))
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=WAIT)
    # Ray's processes share the killed driver's fate, but a worker may finish the file it holds first: what
    # is done is counted once none is left running an extraction.
    wait_for(lambda: not task_workers())
    done_before = len(list((out / "_done").glob("*.json")))
    assert 1 <= done_before < 3
    summary = finish(bulk(out, *inputs))
    assert summary["inputs"] == {"already done": done_before, "done": 3 - done_before}
    assert unique_ids(out) == (3 * ARTICLES, 3 * ARTICLES)
    assert not list((out / "articles").glob(".*"))
    wait_for(lambda: not task_workers())


def test_an_input_that_keeps_failing_is_set_aside_with_its_reason(tmp_path: Path) -> None:
    inputs = archives(tmp_path / "in", 1)
    broken = tmp_path / "in" / "broken.warc"
    broken.write_bytes(b"\x00" * 4096)
    process = bulk(tmp_path / "out", *inputs, str(broken))
    stdout, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 1
    assert "Traceback" not in stderr
    summary = json.loads(stdout)
    assert summary["inputs"] == {"done": 1, "failed": 1}
    assert json.loads((tmp_path / "out" / "_failed" / "broken.warc.json").read_text())["reason"] == "not-a-warc"
