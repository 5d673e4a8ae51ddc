"""The bundled sample through the command line: import the saved pages, search, read related coverage."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from warta.cli import main
from warta.store import Store


def test_the_samples_import_into_a_store_the_reader_can_use(samples: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sample.db'}"
    no_url = tmp_path / "pages" / "no-url.html.gz"
    no_url.parent.mkdir()
    paragraph = "<p>Kalimat yang cukup panjang untuk dianggap sebagai paragraf berita oleh pengekstrak ini.</p>"
    no_url.write_bytes(gzip.compress(f"<html><body><article><h1>Judul</h1>{paragraph * 4}</article>".encode()))
    runner = CliRunner()
    result = runner.invoke(main, ["--db", db, "import", str(samples), str(no_url.parent)])
    assert result.exit_code == 0, result.output
    assert "new 5" in result.stderr
    assert "no URL: 1" in result.stderr
    assert "not-html: 1" in result.stderr  # the flattened seed page

    with Store(db) as store:
        publishers = store.publishers()
        assert len(publishers) == 5
        assert not any(row.crawled for row in publishers)
        rental = store.article("https://travelnoire.com/top-car-rental-company-us-2025")
        assert rental is not None
        related = [row.canonical_url for row, _ in store.related(rental)]
        assert related == ["https://www.globaltravelerusa.com/what-are-the-top-u-s-rental-car-companies-of-2025/"]

    searched = runner.invoke(main, ["--db", db, "search", "rental", "cars", "-f", "jsonl"])
    assert searched.exit_code == 0, searched.output
    hits = [json.loads(line) for line in searched.stdout.splitlines()]
    assert {hit["url"].split("/")[2] for hit in hits} == {"travelnoire.com", "www.globaltravelerusa.com"}
    excluded_only = runner.invoke(main, ["--db", db, "search", "--", "-rental"])
    assert excluded_only.exit_code == 1
    assert "no words to search for" in excluded_only.stderr


def test_serve_on_a_shared_address_needs_a_user_with_a_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "w.db"), "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "warta user add NAME" in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_warta_serve_answers_until_stopped(tmp_path: Path, workers: str) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    warta = Path(sys.executable).with_name("warta")
    server = subprocess.Popen(
        [str(warta), "--db", str(tmp_path / "w.db"), "serve", "--port", str(port), "--workers", workers],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/publishers", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "warta serve did not answer"
                time.sleep(0.2)
        assert response.json() == {"title": "Publishers", "publishers": []}
    finally:
        server.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
        _, stderr = server.communicate(timeout=20)
    assert b"Traceback" not in stderr
    assert b"Warta reader on http://127.0.0.1:" in stderr


def test_worker_processes_accept_connections_without_nagle() -> None:
    # Workers rebuild the shared socket and asyncio leaves Nagle on for what they accept; Linux passes the
    # listening socket's TCP_NODELAY down to accepted ones (see warta.serve.server).
    import socket

    from warta.serve.server import listen

    with listen("127.0.0.1", 0) as sock:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        # Handed to the worker processes by its file descriptor.
        assert sock.get_inheritable()
