"""Hostile servers next to a normal one: each misbehaves one way, and the crawl round still finishes, stores
the normal site's articles, and ends every hostile URL stored, given up with a reason, or queued with a due
time. Deadlines are shrunk through the settings so the suite runs in seconds."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from tests.crawl.site import Site
from tests.fetch.server import Server, settings
from tests.hostile.servers import Hostile, hostiles
from warta.jobs import CrawlSettings, Summary, crawl_once
from warta.models import Link
from warta.store import DONE, FAILED, FETCHING, QUEUED, SKIPPED, Store
from warta.store.schema import frontier

# The most any one round below may take; far above what each needs (a few seconds), so reaching it means a
# hang, not a slow machine.
ROUND_GUARD = 90.0

CASES = {
    case.name: case
    for case in hostiles(drip_interval=0.1, slow_delay=30.0, bomb_bytes=10 * 1024 * 1024, robots_bytes=10 * 1024 * 1024)
}


def crawl_settings(**fetch: Any) -> CrawlSettings:
    values: dict[str, Any] = {
        "allowed_networks": ("127.0.0.0/8",),
        "rate_per_host": 100.0,  # turns the per-host cap (2 in flight) on, with no real spacing
        "read_timeout": 0.5,
        "exchange_timeout": 1.0,
        "robots_timeout": 0.5,
        "max_body_bytes": 1024 * 1024,
    }
    values.update(fetch)
    return CrawlSettings(fetch=settings(**values), workers=1, extract_timeout=10.0)


def run(store: Store, normal: Site, hostile: Server, case: Hostile, **fetch: Any) -> Summary:
    case.install(hostile)
    store.enqueue([Link(f"{normal.base}/berita/{n}") for n in range(normal.articles)], None)
    store.enqueue([Link(hostile.url(path)) for path in case.paths], None)
    return asyncio.run(asyncio.wait_for(crawl_once(store, crawl_settings(**fetch)), ROUND_GUARD))


def rows(store: Store) -> dict[str, Any]:
    with store.engine.connect() as connection:
        return {row.url: row for row in connection.execute(select(frontier))}


def check_round(store: Store, normal: Site, hostile: Server, case: Hostile) -> dict[str, Any]:
    """What every case must hold: the normal site stored, nothing left in flight, every hostile URL ended
    with a reason (or stored), and each one queued again has a due time in the future."""
    found = rows(store)
    for n in range(normal.articles):
        assert found[f"{normal.base}/berita/{n}"].state == DONE
    assert all(row.state != FETCHING for row in found.values())
    mine = {path: found[hostile.url(path)] for path in case.paths}
    for row in mine.values():
        assert row.state == DONE or row.last_error, row
        if row.state == QUEUED:
            assert row.not_before is not None
            assert row.not_before > datetime.now(UTC)
    return mine


def test_a_dripping_body_costs_one_deadline_per_url_and_its_host_is_set_aside(
    sqlite_store: Store, normal: Site, hostile: Server
) -> None:
    case = CASES["drip body"]
    summary = run(sqlite_store, normal, hostile, case)
    mine = check_round(sqlite_store, normal, hostile, case)
    assert {row.state for row in mine.values()} == {QUEUED}
    assert 3 <= summary.errors["timeout"] <= 4  # set aside after three in a row; one more was in flight
    assert summary.deferred["host-set-aside"] >= 1
    assert summary.deferred.total() == len(case.paths)
    assert len([hit for hit in hostile.hits if hit.path.startswith("/drip/")]) <= 4


def test_slow_headers_time_out_and_the_host_is_set_aside(sqlite_store: Store, normal: Site, hostile: Server) -> None:
    case = CASES["slow headers"]
    summary = run(sqlite_store, normal, hostile, case)
    mine = check_round(sqlite_store, normal, hostile, case)
    assert {row.last_error for row in mine.values()} == {"timeout", "host-set-aside"}
    assert summary.counts["new"] == normal.articles


def test_a_slow_robots_txt_is_given_up_at_its_deadline_and_its_pages_wait(
    sqlite_store: Store, normal: Site, hostile: Server
) -> None:
    case = CASES["slow robots.txt"]
    summary = run(sqlite_store, normal, hostile, case)
    mine = check_round(sqlite_store, normal, hostile, case)
    assert {row.last_error for row in mine.values()} == {"robots-unreachable"}
    assert {row.state for row in mine.values()} == {QUEUED}
    assert summary.errors["robots-unreachable"] == len(case.paths)
    assert [hit.path for hit in hostile.hits] == ["/robots.txt"]  # asked once, no page fetched


def test_a_429_storm_is_waited_out_in_the_same_round(sqlite_store: Store, normal: Site, hostile: Server) -> None:
    case = CASES["429 storm"]
    summary = run(sqlite_store, normal, hostile, case, host_throttles=100)
    mine = check_round(sqlite_store, normal, hostile, case)
    assert {row.state for row in mine.values()} == {DONE}
    assert summary.counts["new"] == normal.articles + len(case.paths)
    assert summary.counts["throttled"] == len(case.paths)  # each URL deferred once, after two 429s
    assert not summary.errors
    assert not summary.deferred
    assert {row.attempts for row in mine.values()} == {1}  # the throttled claims gave their attempt back


def test_a_throttling_storm_past_the_cap_is_left_for_the_next_round(
    sqlite_store: Store, normal: Site, hostile: Server
) -> None:
    case = CASES["429 storm"]
    summary = run(sqlite_store, normal, hostile, case, host_throttles=3)
    mine = check_round(sqlite_store, normal, hostile, case)
    waiting = [row for row in mine.values() if row.state == QUEUED]
    assert waiting
    assert {row.last_error for row in waiting} <= {"host-set-aside", "http-429"}
    assert summary.deferred.total() == len(waiting)
    assert not summary.counts["given up"]


def test_a_page_that_takes_forever_to_extract_does_not_hold_the_crawl(
    sqlite_store: Store, normal: Site, hostile: Server
) -> None:
    case = CASES["28 leading comments"]
    summary = run(sqlite_store, normal, hostile, case)
    (row,) = check_round(sqlite_store, normal, hostile, case).values()
    # Either the extractor copes with it, or the worker is killed at the limit and the URL waits.
    assert row.state == DONE or (row.state == QUEUED and row.last_error.startswith("extract-timeout"))
    assert summary.counts["new"] >= normal.articles


def test_a_codec_named_charset_ends_counted(sqlite_store: Store, normal: Site, hostile: Server) -> None:
    case = CASES["codec charset"]
    summary = run(sqlite_store, normal, hostile, case)
    (row,) = check_round(sqlite_store, normal, hostile, case).values()
    assert row.state in {DONE, SKIPPED, QUEUED}
    assert summary.counts["new"] >= normal.articles


@pytest.mark.parametrize(
    ("name", "state", "reason"),
    [
        ("redirect loop", SKIPPED, "redirect-loop"),
        ("gzip bomb", SKIPPED, "decompression-bomb"),
        ("500s", QUEUED, "http-500"),
    ],
)
def test_broken_answers_end_with_their_reason(
    sqlite_store: Store, normal: Site, hostile: Server, name: str, state: str, reason: str
) -> None:
    case = CASES[name]
    summary = run(sqlite_store, normal, hostile, case)
    mine = check_round(sqlite_store, normal, hostile, case)
    assert {(row.state, row.last_error) for row in mine.values()} == {(state, reason)}
    counted = summary.skipped if state == SKIPPED else summary.errors
    assert counted[reason] == len(case.paths)
    assert summary.counts["new"] == normal.articles


@pytest.mark.parametrize("name", ["garbage bytes", "connection reset"])
def test_a_server_that_breaks_connections_is_retried_once_then_set_aside(
    sqlite_store: Store, normal: Site, hostile: Server, name: str
) -> None:
    case = CASES[name]
    summary = run(sqlite_store, normal, hostile, case)
    mine = check_round(sqlite_store, normal, hostile, case)
    assert {row.state for row in mine.values()} == {QUEUED}
    assert {row.last_error for row in mine.values()} <= {"network-error", "host-set-aside"}
    assert summary.errors["network-error"] >= 1
    assert summary.deferred.total() == len(case.paths)
    # Three breaks set the host aside; a request already in flight on the host's other slot (host_concurrency
    # 2) when the third break comes cannot be called back, so at most one more reaches the server.
    settings = crawl_settings().fetch
    bound = settings.host_failures + (settings.host_concurrency or 1) - 1
    assert len([hit for hit in hostile.hits if hit.path in case.paths]) <= bound
    assert summary.counts["new"] == normal.articles


def test_a_huge_robots_txt_is_read_in_part_and_obeyed(sqlite_store: Store, normal: Site, hostile: Server) -> None:
    case = CASES["robots.txt of 10 MB"]
    summary = run(sqlite_store, normal, hostile, case)
    mine = check_round(sqlite_store, normal, hostile, case)
    assert {row.state for row in mine.values()} == {DONE}
    assert summary.counts["new"] == normal.articles + len(case.paths)


def test_an_exception_while_handling_one_url_is_a_counted_failure_of_that_url(
    sqlite_store: Store, normal: Site, hostile: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The crawl saves through its writer thread (warta.jobs.writer), which calls `keep` from there.
    crawl_module = importlib.import_module("warta.jobs.writer")
    original: Callable[..., None] = crawl_module.keep

    def keep(store: Store, summary: Summary, fetched: Any, *args: Any) -> None:
        if "/berita/100" in fetched.url:
            raise KeyError("something nobody expected")
        original(store, summary, fetched, *args)

    monkeypatch.setattr(crawl_module, "keep", keep)
    case = CASES["robots.txt of 10 MB"]
    summary = run(sqlite_store, normal, hostile, case)
    mine = check_round(sqlite_store, normal, hostile, case)
    broken = mine["/berita/100"]
    assert (broken.state, broken.last_error) == (QUEUED, "internal-error: KeyError")
    assert summary.errors["internal-error"] == 1
    assert summary.counts["new"] == normal.articles + len(case.paths) - 1
    assert FAILED not in {row.state for row in mine.values()}


def test_a_sitemap_cut_short_gives_its_links_and_is_counted(sqlite_store: Store, normal: Site, hostile: Server) -> None:
    entries = "".join(f"<url><loc>{normal.base}/berita/{n}</loc></url>" for n in range(normal.articles))
    body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}<url><loc>'
    hostile.routes["/sitemap.xml"] = lambda h: h.reply(200, body.encode(), content_type="application/xml")
    publisher, _ = sqlite_store.add_publisher("Cut short", hostile.url("/"))
    sqlite_store.add_source(publisher, hostile.url("/sitemap.xml"), "sitemap")
    summary = asyncio.run(asyncio.wait_for(crawl_once(sqlite_store, crawl_settings()), ROUND_GUARD))
    assert summary.errors["source malformed-xml"] == 1
    assert summary.counts["new"] == normal.articles
    (source,) = sqlite_store.sources(publisher)
    assert source.last_error == "malformed-xml"
    assert source.consecutive_failures == 0
