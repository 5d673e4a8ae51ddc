"""`warta export`: JSON Lines, Parquet and CSV with stable ids, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from tests.store.test_store import article, save
from warta.cli import main
from warta.store import Store, stable_id


def fill(store: Store) -> None:
    publisher, _ = store.add_publisher("RMOL", "https://rmol.id/")
    for day in (1, 2, 3):
        item = replace(article(f"https://rmol.id/read/{day}"), published=datetime(2022, 1, day, tzinfo=UTC))
        save(store, item, publisher)
    save(store, replace(article("https://example.com/a"), language="en"))


def test_articles_are_read_in_batches_without_missing_any(store: Store) -> None:
    fill(store)
    assert [row.url for row in store.iter_articles(batch=2)] == [
        "https://rmol.id/read/1", "https://rmol.id/read/2", "https://rmol.id/read/3", "https://example.com/a",
    ]  # fmt: skip
    assert len(list(store.iter_articles(language="en", batch=1))) == 1


def test_every_format_with_filters_and_stable_ids(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        fill(store)
    runner = CliRunner()

    lines = runner.invoke(main, ["--db", store_url, "export", "--publisher", "rmol.id", "--since", "2022-01-02"])
    assert lines.exit_code == 0, lines.output
    records = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [r["canonical_url"] for r in records] == ["https://rmol.id/read/2", "https://rmol.id/read/3"]
    assert records[0]["id"] == stable_id("https://rmol.id/read/2")
    assert records[0]["extractor_version"]
    assert records[0]["authors"][0]["name"] == "Reni Erina"
    assert records[0]["published"] == "2022-01-02T00:00:00+00:00"

    parquet = tmp_path / "articles.parquet"
    done = runner.invoke(main, ["--db", store_url, "export", "-f", "parquet", "-o", str(parquet)])
    assert done.exit_code == 0, done.output
    table = pq.read_table(parquet)
    assert table.num_rows == 4
    assert table.column("authors")[0].as_py()[0]["url"] == "https://rmol.id/about/reni-erina-1"
    assert json.loads(table.column("body")[0].as_py())[0]["kind"] == "paragraph"

    table_csv = tmp_path / "articles.csv"
    written = runner.invoke(main, ["--db", store_url, "export", "-f", "csv", "-o", str(table_csv), "--language", "en"])
    assert written.exit_code == 0, written.output
    with table_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["canonical_url"] for row in rows] == ["https://example.com/a"]
    assert rows[0]["authors"] == "Reni Erina"

    assert runner.invoke(main, ["--db", store_url, "export", "-f", "parquet"]).exit_code == 2  # needs a file


def test_the_stable_id_is_the_same_in_another_store(tmp_path: Path) -> None:
    ids = []
    for name in ("a", "b"):
        with Store(f"sqlite:///{tmp_path / name}.db") as store:
            if name == "b":
                save(store, article("https://example.com/other"))  # a different row id for the same article
            save(store, article("https://rmol.id/read/1"))
            (row,) = [r for r in store.iter_articles() if r.canonical_url == "https://rmol.id/read/1"]
            assert row.id == stable_id(row.canonical_url)
            ids.append((row.key, row.id))
    assert ids[0][0] != ids[1][0]
    assert ids[0][1] == ids[1][1]
