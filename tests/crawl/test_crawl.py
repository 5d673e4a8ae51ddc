"""Following a publisher end to end, through the `warta` command, against a site served on 127.0.0.1: follow,
crawl, list, show, crawl again (conditional GET), kill a crawl and resume it, import the archive, re-extract.
Each runs on SQLite and, where CI provides it, PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update

from tests.crawl.site import Site, serve
from warta.cli import main
from warta.store import Store
from warta.store.schema import sources

FAST = ["--allow-private", "--rate", "0"]


@pytest.fixture
def site() -> Iterator[Site]:
    publisher = Site()
    server, _thread = serve(publisher)
    yield publisher
    server.shutdown()
    server.server_close()


def warta(db: str, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--db", db, *args])
    assert "Traceback" not in result.output
    return result


def test_follow_crawl_list_show_and_crawl_again(site: Site, store_url: str, tmp_path: Path) -> None:
    followed = warta(store_url, "follow", site.base + "/", *FAST)
    assert followed.exit_code == 0, followed.output
    assert "Kabar Kota" in followed.output
    assert "rss" in followed.output
    assert "sitemap-index" in followed.output  # its news sitemap is found by the crawl, in the same round

    archive = tmp_path / "warc"
    crawled = warta(store_url, "crawl", "--once", "--archive", str(archive), *FAST)
    assert crawled.exit_code == 0, crawled.output
    assert f"new {site.articles + 1}" in crawled.stderr  # every article and the AP sample page
    assert site.hits["/berita/0"] == 1  # listed by the feed and the sitemap, fetched once
    assert list(archive.glob("*.warc.gz"))

    listed = warta(store_url, "articles", "--format", "jsonl", "--limit", "100")
    records = [json.loads(line) for line in listed.output.splitlines()]
    assert len(records) == site.articles + 1
    one = next(r for r in records if r["title"] == site.title(3))
    assert one["authors"][0]["name"] == "Budi Santoso"
    assert one["published"] == "2024-05-01T11:00:00+00:00"

    shown = warta(store_url, "show", str(one["id"]))
    assert shown.exit_code == 0
    assert site.title(3) in shown.output
    assert "Berita 3" in shown.output
    # One id everywhere: the list prints it whole, and `show` takes any unique prefix of it.
    assert one["id"] in warta(store_url, "articles").output
    by_prefix = warta(store_url, "show", one["id"][:6])
    assert by_prefix.exit_code == 0
    assert site.title(3) in by_prefix.output

    table = warta(store_url, "publishers")
    assert "Kabar Kota" in table.output

    # Nothing new: the feed answers 304 to the conditional GET, and no article is fetched again.
    with Store(store_url) as store, store.engine.begin() as connection:
        connection.execute(update(sources).values(next_fetch_at=None))  # due again now
    again = warta(store_url, "crawl", "--once", "--no-archive", *FAST)
    assert again.exit_code == 0, again.output
    assert "unchanged)" in again.stderr
    assert "new 0" in again.stderr
    assert site.hits["/berita/0"] == 1


def test_a_photo_story_the_feed_announced_is_stored_as_an_article(store_url: str) -> None:
    # One line of text among captioned photos beside a long related list reads as a listing on its own
    # (tests/extract/test_html.py); the feed and the news sitemap that listed it say it is an article.
    publisher = Site(articles=6, galleries={1})
    server, _thread = serve(publisher)
    try:
        assert warta(store_url, "follow", publisher.base + "/", *FAST).exit_code == 0
        crawled = warta(store_url, "crawl", "--once", "--no-archive", *FAST)
    finally:
        server.shutdown()
        server.server_close()
    assert crawled.exit_code == 0, crawled.output
    assert "listing" not in crawled.stderr
    listed = warta(store_url, "articles", "--format", "jsonl", "--limit", "100")
    records = {r["title"]: r for r in map(json.loads, listed.output.splitlines())}
    gallery = records[publisher.title(1)]
    assert len(gallery["images"]) == 10
    assert "Kabar lain dari kota" not in json.dumps(gallery["body"])  # the related list is not the story


def test_unfollowing_stops_the_crawl(site: Site, store_url: str) -> None:
    assert warta(store_url, "follow", site.base + "/rss.xml", *FAST).exit_code == 0
    assert warta(store_url, "unfollow", "Kabar Kota").exit_code == 0
    crawled = warta(store_url, "crawl", "--once", "--no-archive", *FAST)
    assert "fetched 0" in crawled.stderr
    assert site.hits["/berita/0"] == 0


def run_crawl(db: str, archive: Path, log: Path) -> subprocess.Popen[bytes]:
    """`warta crawl --once` in a process of its own, which the test can kill."""
    command = [sys.executable, "-c", "from warta.cli import main; main()", "--db", db, "crawl", "--once"]
    with log.open("ab") as errors:
        return subprocess.Popen(
            [*command, "--archive", str(archive), "-j", "1", *FAST],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
            start_new_session=True,  # its own process group, so the test can clean up whatever it leaves
        )


def leftovers(process: subprocess.Popen[bytes]) -> list[str]:
    """The processes still alive in a killed crawl's group (its extraction workers must not outlive it)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
        if not alive:
            return []
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    return alive


def test_a_crawl_killed_midway_resumes_without_losing_or_doubling(store_url: str, tmp_path: Path) -> None:
    site = Site(articles=30, delay=0.15)
    server, _thread = serve(site)
    try:
        assert warta(store_url, "follow", site.base + "/", *FAST).exit_code == 0
        log = tmp_path / "crawl.log"
        crawl = run_crawl(store_url, tmp_path / "warc", log)
        deadline = time.monotonic() + 60
        with Store(store_url) as store:
            while store.article_count() < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert store.article_count() >= 3, log.read_text()
        crawl.send_signal(signal.SIGKILL)  # kill -9 of the crawl, not of its workers
        crawl.wait()
        assert leftovers(crawl) == []
        with Store(store_url) as store:
            stored_before = store.article_count()
            assert stored_before < site.articles + 1  # killed before the end
            assert store.frontier_counts().get("fetching", 0) > 0  # it died holding claimed URLs
        resumed = run_crawl(store_url, tmp_path / "warc", log)
        assert resumed.wait(timeout=120) == 0, log.read_text()
        with Store(store_url) as store:
            assert store.article_count() == site.articles + 1
            assert store.frontier_counts() == {"done": site.articles + 1}
            urls = [row.url for row in store.articles(limit=1000)]
            assert len(urls) == len(set(urls))
    finally:
        server.shutdown()
        server.server_close()


def test_the_archive_rebuilds_the_articles_elsewhere(site: Site, tmp_path: Path) -> None:
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    archive = tmp_path / "warc"
    assert warta(first, "follow", site.base + "/", *FAST).exit_code == 0
    assert warta(first, "crawl", "--once", "--archive", str(archive), *FAST).exit_code == 0
    imported = warta(second, "import", *map(str, sorted(archive.glob("*.warc.gz"))))
    assert imported.exit_code == 0, imported.output
    assert f"new {site.articles + 1}" in imported.stderr
    host_only = warta(f"sqlite:///{tmp_path / 'c.db'}", "import", "--host", "example.org", *map(str, archive.glob("*")))
    assert "new 0" in host_only.stderr
    rebuilt = warta(first, "reextract")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"unchanged {site.articles + 1}" in rebuilt.stderr


def test_errors_are_one_line_without_a_traceback(site: Site, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    missing = warta(db, "show", "999")
    assert missing.exit_code == 1
    assert "no article" in missing.output
    nothing = warta(db, "follow", site.base + "/nothing-here", *FAST)
    assert nothing.exit_code == 1
    assert "Error" in nothing.output
    refused = warta(db, "follow", site.base + "/")  # loopback is refused unless allowed
    assert refused.exit_code == 1
    assert "private-address" in refused.output
    unwritable = warta("/proc/warta/store.db", "articles")
    assert unwritable.exit_code == 1
    assert "cannot create the store's directory" in unwritable.output
    bad_db = warta("mysql://nowhere/x", "articles")
    assert bad_db.exit_code == 1
    assert "unsupported database" in bad_db.output


def test_single_article_urls_are_fetched(site: Site, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'single.db'}"
    urls = [f"{site.base}/berita/2", f"{site.base}/berita/2", f"{site.base}/sample/apnews"]
    crawled = warta(db, "crawl", "--once", "--no-archive", *urls, *FAST)
    assert crawled.exit_code == 0, crawled.output
    assert "queued 2 of 3" in crawled.stderr
    assert "new 2" in crawled.stderr
    assert site.hits["/berita/1"] == 0  # nothing else: no publisher is followed
