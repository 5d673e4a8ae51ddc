"""Importing saved pages and web archives, and re-extracting them: one bad page costs only itself, folders of
WARC files are imported, responses are stored once, re-extraction is idempotent, archive paths resolve from
anywhere, and a store that refuses writes stops the run with exit 1."""

from __future__ import annotations

import gzip
import os
import re
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, event, insert, text, update

import warta.jobs.pages as pages_module
from tests.jobs.corpus import START, exchange, saved_page, write_pages, write_warc
from warta.cli import main
from warta.jobs import import_pages, import_warc
from warta.jobs.files import is_archive
from warta.jobs.pages import extract_page, keep
from warta.jobs.workers import Summary
from warta.store import Store
from warta.store import db as store_db
from warta.store.db import StoreUnavailable, normalize_url
from warta.store.pages import resolved_path, stored_path
from warta.store.schema import pages

# The marker of a page whose extraction raises, as a page naming a codec that is not a text encoding did.
EXPLODES = b"<!-- meledak -->"


def warta(db: str, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--db", db, *args])
    assert "Traceback" not in result.output
    return result


def exploding_extract(body: bytes, *args: Any) -> Any:
    """`extract_page` with an extractor that raises on marked pages; module level, so workers can run it."""
    original = pages_module.extract

    def extract(data: bytes, *rest: Any, **options: Any) -> Any:
        if EXPLODES in data:
            raise LookupError("unknown encoding: hex")
        return original(data, *rest, **options)

    pages_module.extract = extract  # type: ignore[assignment]
    try:
        return extract_page(body, *args)
    finally:
        pages_module.extract = original


def test_any_exception_of_the_extractor_is_that_pages_counted_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_options: Any) -> Any:
        raise LookupError("unknown encoding: hex")

    monkeypatch.setattr(pages_module, "extract", broken)
    reason = extract_page(b"<html>", None, None, None)
    assert reason == "error:LookupError"
    summary = Summary("crawl")
    keep(Store.__new__(Store), summary, None, reason, None)  # a failure is counted before the store is touched
    assert summary.errors == Counter({"error:LookupError": 1})
    assert not summary.skipped


def test_a_page_that_breaks_the_extractor_loses_none_of_its_siblings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, range(1, 5))
    (folder / "hex.html").write_bytes(saved_page(9).encode() + EXPLODES)
    monkeypatch.setattr("warta.jobs.imports.extract_page", exploding_extract)
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as store:
        summary = import_pages(store, [str(folder)], workers=2)
        assert store.article_count() == 4
    assert summary["new"] == 4
    assert summary.errors == Counter({"error:LookupError": 1})


def test_web_archives_are_known_by_name_and_by_their_first_bytes(tmp_path: Path) -> None:
    named = write_warc(tmp_path / "a", [exchange(1)])
    unnamed = write_warc(tmp_path / "b", [exchange(2)], name="download")
    plain = tmp_path / "plain-warc"
    plain.write_bytes(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\n")
    page = tmp_path / "page.html.gz"
    write_pages(tmp_path / "c", range(1, 2))[0].rename(page)
    assert is_archive(str(named))
    assert is_archive(str(unnamed))
    assert is_archive(str(plain))
    assert not is_archive(str(page))
    assert not is_archive(str(tmp_path))
    assert not is_archive(str(tmp_path / "missing.warc.gz"))


def test_a_folder_of_warc_files_and_pages_is_imported(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    write_warc(inputs, [exchange(n) for n in range(1, 4)])
    write_warc(inputs, [exchange(n) for n in range(4, 6)], name="cc-news-part")  # no suffix: found by its bytes
    write_pages(inputs / "saved", range(10, 13))
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = warta(db, "import", str(inputs))
    assert result.exit_code == 0, result.output
    assert "new 5" in result.stderr
    assert "new 3" in result.stderr
    assert "not-html" not in result.stderr
    with Store(db) as store:
        assert store.article_count() == 8
        assert store.page_count() == 5


def test_reextract_adds_no_pages_and_no_versions_for_unchanged_articles(store_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "warc"
    # Article 1 was fetched twice and changed in between: one earlier version, which must stay the only one.
    write_warc(archive, [exchange(1, "Judul pertama", START), *(exchange(n) for n in range(2, 6))])
    write_warc(archive, [exchange(1, "Judul yang diperbaiki", START + timedelta(hours=5))])
    assert warta(store_url, "import", str(archive)).exit_code == 0
    with Store(store_url) as store:
        before = (store.article_count(), store.page_count(), store.version_count())
    assert before == (5, 6, 1)
    for _ in range(2):
        again = warta(store_url, "reextract")
        assert again.exit_code == 0, again.output
        assert "new 0, changed 0, unchanged 6" in again.stderr
    imported_again = warta(store_url, "import", str(archive))
    assert "new 0, changed 0, unchanged 6" in imported_again.stderr
    with Store(store_url) as store:
        assert (store.article_count(), store.page_count(), store.version_count()) == before
        current = store.article("https://kabar.example/berita/1")
        assert current is not None
        assert current.article.title == "Judul yang diperbaiki"


def test_the_pages_migration_keeps_one_row_per_response(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(store_db.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        # What each `warta reextract` used to add: the same response again, and another one.
        row = {"url": "https://a.example/1", "final_url": "https://a.example/1", "body_sha256": "ab" * 32}
        connection.execute(insert(pages), [{**row, "fetched_at": START}] * 3)
        connection.execute(insert(pages), [{**row, "fetched_at": START + timedelta(days=1)}])
    engine.dispose()
    with Store(url) as store:
        assert store.page_count() == 2
        with store.engine.connect() as connection:
            keys = connection.execute(text("SELECT id, response_key FROM pages ORDER BY id")).all()
        assert [row.id for row in keys] == [1, 4]
        assert all(row.response_key for row in keys)


def test_archive_paths_are_kept_relative_to_the_store_and_found_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "store"
    write_warc(home / "warc", [exchange(n) for n in range(1, 4)])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(home)
    db = f"sqlite:///{home / 'w.db'}"
    assert warta(db, "import", "warc").exit_code == 0  # typed relative to where the command ran
    with Store(db) as store, store.engine.connect() as connection:
        stored = {row.warc_file for row in connection.execute(text("SELECT warc_file FROM pages"))}
    assert len(stored) == 1
    assert next(iter(stored)).startswith("warc/")
    monkeypatch.chdir(elsewhere)
    moved = tmp_path / "moved"
    shutil.move(home, moved)  # the store moved with its archives
    rebuilt = warta(f"sqlite:///{moved / 'w.db'}", "reextract")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "unchanged 3" in rebuilt.stderr
    for archive in (moved / "warc").iterdir():
        archive.unlink()
    missing = warta(f"sqlite:///{moved / 'w.db'}", "reextract")
    assert missing.exit_code == 1
    assert "missing archive: 1" in missing.stderr
    assert "error: 1 archived responses or archive files could not be re-extracted" in missing.stderr


def test_stored_paths_outside_the_store_are_absolute_and_old_relative_ones_still_resolve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "store"
    assert stored_path(folder / "warc" / "a.warc.gz", folder) == "warc/a.warc.gz"
    assert stored_path(tmp_path / "b.warc.gz", folder) == str(tmp_path / "b.warc.gz")
    assert stored_path("c.warc.gz", None) == str(Path.cwd() / "c.warc.gz")
    # A row from before: the path as typed in the folder the crawl ran in, which is found from there.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.warc.gz").write_bytes(b"")
    assert resolved_path("old.warc.gz", folder) == tmp_path / "old.warc.gz"
    assert resolved_path("gone.warc.gz", folder) == folder / "gone.warc.gz"


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite stores that fill up a few articles after their schema, as on a full disk."""
    original = store_db._sqlite_pragmas

    def pragmas(connection: Any, record: Any) -> None:
        original(connection, record)
        cursor = connection.cursor()
        cursor.execute("PRAGMA max_page_count=70")
        cursor.close()

    monkeypatch.setattr(store_db, "_sqlite_pragmas", pragmas)


def test_a_full_store_stops_the_import_with_exit_1_and_keeps_what_it_stored(full_disk: None, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, range(1, 61))
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = warta(db, "import", str(folder), "-j", "1")
    assert result.exit_code == 1
    assert "the store cannot be written: database or disk is full" in result.output
    assert "import stopped" in result.output
    engine = create_engine(normalize_url(db))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        stored = connection.exec_driver_sql("SELECT count(*) FROM articles").scalar()
        searchable = connection.exec_driver_sql("SELECT count(*) FROM article_search").scalar()
    engine.dispose()
    assert 0 < stored < 60
    assert searchable == stored


def test_a_full_store_raises_store_unavailable_from_the_job(full_disk: None, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, range(1, 61))
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as store, pytest.raises(StoreUnavailable, match="disk is full"):
        import_pages(store, [str(folder)], workers=1)


def test_a_row_the_database_refuses_is_counted_not_fatal(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only errors that refuse every write stop a batch; one refused article is counted and skipped."""
    from sqlalchemy.exc import IntegrityError

    def refuse(*_args: Any, **_options: Any) -> str:
        raise IntegrityError("INSERT", {}, Exception("one bad row"))

    monkeypatch.setattr(store, "save", refuse)
    summary = Summary("crawl")
    article = extract_page(saved_page(1).encode(), None, None, None)
    keep(store, summary, None, article, None)
    assert summary.errors == Counter({"store Exception": 1})


def test_a_saved_article_survives_a_concurrent_writer_of_the_same_article(store: Store) -> None:
    """The second writer's insert hits the first one's unique key: it reads the row back and carries on."""
    article = extract_page(saved_page(1).encode(), None, None, None)
    assert not isinstance(article, str)
    other = Store(engine=store.engine)
    inserted = False

    @event.listens_for(store.engine, "before_cursor_execute")
    def race(connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        nonlocal inserted
        if not inserted and statement.lstrip().upper().startswith("INSERT INTO ARTICLES"):
            inserted = True  # another process commits the same article just before this insert
            other.save(article, None, publisher_id=None)

    assert store.save(article, None, publisher_id=None) == "unchanged"
    event.remove(store.engine, "before_cursor_execute", race)
    assert store.article_count() == 1


def test_stored_archives_of_rows_written_relative_to_the_command_folder_resolve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "crawl" / "warc"
    write_warc(archive, [exchange(1)])
    db = f"sqlite:///{tmp_path / 'db' / 'w.db'}"
    assert warta(db, "import", str(archive)).exit_code == 0
    with Store(db) as store, store.engine.begin() as connection:
        # As main stored it: the path as typed, relative to the folder the command ran in.
        connection.execute(update(pages).values(warc_file=os.path.relpath(next(archive.iterdir()), tmp_path)))
    monkeypatch.chdir(tmp_path)
    result = warta(db, "reextract")
    assert result.exit_code == 0, result.output
    assert "unchanged 1" in result.stderr


def test_a_record_cut_short_is_counted_and_its_neighbours_stored(tmp_path: Path) -> None:
    plain = write_warc(tmp_path / "inputs", [exchange(n) for n in range(1, 4)]).read_bytes()
    plain = gzip.decompress(plain)  # an uncompressed WARC, whose lengths can be made wrong in place
    second = plain.index(b"WARC-Type: response", plain.index(b"WARC-Type: response") + 1)
    length = re.compile(rb"Content-Length: (\d+)\r\n").search(plain, second)
    assert length is not None
    broken = plain[: length.start(1)] + str(int(length.group(1)) - 40).encode() + plain[length.end(1) :]
    (tmp_path / "broken.warc").write_bytes(broken)
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as store:
        summary = import_warc(store, [tmp_path / "broken.warc"], workers=1)
        assert summary.errors["broken-record"] + summary.errors["broken-warc"] >= 1
        assert store.article_count() >= 1
