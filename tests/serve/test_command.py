"""`warta serve` as a person runs it: the address it prints, the host names it answers, a busy port."""

from __future__ import annotations

import http.client
import os
import re
import select
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import warta

WATCHDOG_SECONDS = 30  # a hang detector for the server process, not a speed claim
SRC = str(Path(warta.__file__).resolve().parents[1])
ANNOUNCED = re.compile(r"Warta reader on http://127\.0\.0\.1:(\d+)/")


def command(tmp_path: Path, *arguments: str) -> list[str]:
    database = f"sqlite:///{tmp_path / 'w.db'}"
    return [sys.executable, "-c", "from warta.cli import main; main()", "--db", database, "serve", *arguments]


def environment() -> dict[str, str]:
    # This checkout's source, whatever the test run's own path is.
    return {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    """`warta serve --port 0 --allowed-host reader.test` in a child process; the port it printed."""
    arguments = command(tmp_path, "--port", "0", "--allowed-host", "reader.test")
    with subprocess.Popen(arguments, stderr=subprocess.PIPE, text=True, env=environment()) as process:
        try:
            assert process.stderr is not None
            ready, _, _ = select.select([process.stderr], [], [], WATCHDOG_SECONDS)
            assert ready, "warta serve printed nothing"
            line = process.stderr.readline()
            found = ANNOUNCED.search(line)
            assert found, line
            yield int(found.group(1))
        finally:
            process.terminate()
            process.wait(timeout=WATCHDOG_SECONDS)


def get(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WATCHDOG_SECONDS)
    try:
        connection.request("GET", "/api/v1/articles", headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_serve_on_port_0_prints_the_port_it_got_and_answers_its_names(served: int) -> None:
    assert served != 0
    assert get(served, f"127.0.0.1:{served}") == 200
    assert get(served, "reader.test") == 200
    assert get(served, "evil.example") == 400


def test_a_busy_port_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            command(tmp_path, "--port", str(port)),
            capture_output=True,
            text=True,
            env=environment(),
            timeout=WATCHDOG_SECONDS,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_host_name_with_a_port_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        command(tmp_path, "--allowed-host", "reader.test:8000"),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=WATCHDOG_SECONDS,
    )
    assert result.returncode == 2
    assert "not a host name" in result.stderr
    assert "Traceback" not in result.stderr
