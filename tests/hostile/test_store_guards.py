"""Two crawls on one store, and rows a dead crawl left in "fetching": the lease and `recover`, through the
library and the `warta` command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from warta.cli import main
from warta.models import Link
from warta.store import FAILED, MAX_ATTEMPTS, QUEUED, Store
from warta.store.lease import Lease, StoreBusy
from warta.store.schema import crawl_leases, frontier


def test_a_second_crawl_is_refused_while_the_first_holds_the_store(store: Store) -> None:
    first = Lease(store.engine)
    first.acquire()
    with pytest.raises(StoreBusy, match=f"store is busy: crawl by pid {os.getpid()} since"):
        Lease(store.engine).acquire()
    first.renew()
    first.release()
    second = Lease(store.engine)
    second.acquire()  # free again
    assert second.held


def test_an_expired_lease_is_taken_over_and_its_old_holder_knows(store: Store) -> None:
    first = Lease(store.engine, ttl=60)
    first.acquire()
    with store.engine.begin() as connection:  # the heartbeat stopped long ago
        connection.execute(update(crawl_leases).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    second = Lease(store.engine)
    second.acquire()
    assert second.held
    with pytest.raises(Exception, match="taken by another crawl"):
        first.renew()
    assert not first.held


def test_a_lease_of_a_dead_process_of_this_host_is_taken_at_once(store: Store) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    first = Lease(store.engine)
    first.acquire()
    with store.engine.begin() as connection:
        connection.execute(update(crawl_leases).values(owner_pid=int(dead.stdout), owner_host=socket.gethostname()))
    Lease(store.engine).acquire()


def test_recover_takes_back_only_a_dead_runs_rows_and_parks_a_url_that_keeps_killing_runs(store: Store) -> None:
    store.enqueue([Link("https://example.org/killer"), Link("https://example.org/in-flight")], None)
    (killer,) = store.claim(1, owner="dead-run")
    (live,) = store.claim(1, owner="live-run")
    for _run in range(MAX_ATTEMPTS - 1):
        assert store.recover("live-run") == 1  # the live run's row is never taken back
        (again,) = store.claim(1, owner="dead-run")
        assert again.id == killer.id
    assert store.recover("live-run") == 1
    with store.engine.connect() as connection:
        states = {row.id: row for row in connection.execute(select(frontier))}
    assert (states[killer.id].state, states[killer.id].last_error) == (FAILED, "interrupted")
    assert states[killer.id].attempts == MAX_ATTEMPTS
    assert states[live.id].state == "fetching"
    assert store.claim(5) == []  # parked: no later crawl takes it again


def test_an_interrupted_url_is_queued_again_with_its_reason(store: Store) -> None:
    store.enqueue([Link("https://example.org/a")], None)
    store.claim(1, owner="dead-run")
    assert store.recover() == 1
    with store.engine.connect() as connection:
        row = connection.execute(select(frontier)).one()
    assert (row.state, row.last_error, row.attempts) == (QUEUED, "interrupted", 1)


def test_the_crawl_command_refuses_a_busy_store_with_status_75(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'warta.db'}"
    with Store(url) as store:
        Lease(store.engine).acquire()
    result = CliRunner().invoke(main, ["--db", url, "crawl", "--once", "--no-archive"])
    assert result.exit_code == 75
    assert f"store is busy: crawl by pid {os.getpid()}" in result.output
    assert "--wait" in result.output
    assert "Traceback" not in result.output


def test_following_a_private_address_names_the_flag(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'warta.db'}"
    result = CliRunner().invoke(main, ["--db", url, "follow", "http://127.0.0.1:9/"])
    assert result.exit_code == 1
    assert "private-address" in result.output
    assert "--allow-private" in result.output


def test_a_crawl_whose_servers_misbehave_still_exits_0_and_publishers_shows_why(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'warta.db'}"
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["--db", url, "crawl", "--once", "--no-archive", "--allow-private", "-j", "1", f"http://127.0.0.1:{port}/a"],
    )
    assert result.exit_code == 0, result.output
    assert "robots-unreachable: 1" in result.output  # robots.txt could not be asked for: RFC 9309 says wait
    listed = runner.invoke(main, ["--db", url, "publishers"])
    assert "Pages not stored, by reason" in listed.output
    assert "robots-unreachable" in listed.output
