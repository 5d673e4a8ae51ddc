"""The load stage: committed bulk output into the store (SQLite, and PostgreSQL in CI), one transaction per
file, each file once; the loaded articles are searchable and grouped by site, and an article stored before
is versioned as a re-fetch would version it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner
from sqlalchemy import select

from tests.bulk.archives import write_archive
from warta.cli.main import main
from warta.jobs.bulk import BulkSettings, load, resolve, run
from warta.jobs.bulk.layout import Layout, write_json
from warta.jobs.bulk.rows import article_row, schema
from warta.models import Article, Block, BlockKind, Fetched, Person, article_from_dict
from warta.search import parse
from warta.store import Store
from warta.store.schema import article_authors


def extracted(tmp_path: Path, sites: int = 2, articles: int = 6) -> Path:
    (tmp_path / "in").mkdir()
    for site in range(sites):
        write_archive(tmp_path / "in" / f"site{site}.warc.gz", site, articles)
    out = tmp_path / "out"
    summary = run(resolve([str(tmp_path / "in")]), out, BulkSettings(workers=1, engine="processes"))
    assert summary.inputs["done"] == sites
    return out


def write_output(out: Path, name: str, rows: list[tuple[Article, str, datetime]]) -> Path:
    """A committed output file made directly, for cases an archive cannot easily hold (one URL twice)."""
    layout = Layout(out)
    layout.create()
    fetched = [(article, Fetched(url, url, 200, body=b"<html>", fetched_at=seen)) for article, url, seen in rows]
    table = pa.Table.from_pylist([article_row(article, page, name) for article, page in fetched], schema=schema())
    path = layout.output(name)
    pq.write_table(table, path)
    write_json(layout.done_marker(name), {"rows": len(rows), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    return path


def news(url: str, text: str) -> Article:
    return Article(
        url=url,
        canonical_url=url,
        title="Banjir surut",
        authors=(Person("Reni Erina", "reporter", "https://warta.example/reni"),),
        language="id",
        body=(Block(BlockKind.PARAGRAPH, text),),
    )


def test_a_second_load_inserts_nothing_and_the_articles_are_searchable(tmp_path: Path, store_url: str) -> None:
    out = extracted(tmp_path)
    with Store(store_url) as store:
        followed, _ = store.add_publisher("Situs Nol", "https://site0.example/")
        first = load(store, out)
        assert (first.files["loaded"], first.articles["new"], first.articles.total()) == (2, 12, 12)
        assert store.article_count() == 12
        second = load(store, out)
        assert second.files == {"already loaded": 2}
        assert second.articles.total() == 0
        assert store.article_count() == 12
        assert store.version_count() == 0
        assert store.loaded_file_count() == 2
        total, found = store.search(parse("banjir surut"))
        assert total == 12
        stored = found[0][0]
        assert stored.title is not None
        assert stored.title.startswith("Banjir surut")
        assert stored.published is not None
        assert stored.published.utcoffset() is not None
        # One publisher per site: the one the store had, else a new one, not followed (browsable, not crawled).
        publishers = {publisher.host: publisher for publisher in store.publishers()}
        assert set(publishers) == {"site0.example", "site1.example"}
        assert publishers["site0.example"].id == followed
        assert publishers["site0.example"].crawled
        assert not publishers["site1.example"].crawled
        assert len(store.articles(publisher_id=followed, limit=100)) == 6


def test_a_known_article_gets_a_version_and_a_url_twice_in_one_file_is_one_article(
    tmp_path: Path, store_url: str
) -> None:
    url = "https://warta.example/berita/1"
    earlier = datetime(2024, 1, 1, tzinfo=UTC)
    article = news(url, "Air mulai surut di lima kecamatan.")
    changed = news(url, "Air mulai surut di enam kecamatan, kata petugas.")
    later = news(url, "Air sudah surut di enam kecamatan, kata petugas pada Selasa.")
    other = replace(news(url + "0", "Gempa kecil terasa di pesisir."), title="Gempa kecil")
    with Store(store_url) as store:
        store.save(article, Fetched(url, url, 200, body=b"<html>", fetched_at=earlier), publisher_id=None)
        write_output(
            tmp_path / "out", "mixed.warc.gz",
            [(changed, url, datetime(2024, 1, 2, tzinfo=UTC)), (other, other.url or "", earlier),
             (later, url, datetime(2024, 1, 3, tzinfo=UTC))],
        )  # fmt: skip
        summary = load(store, tmp_path / "out")
        assert summary.articles == {"new": 1, "changed": 2}
        stored = store.article(url)
        assert stored is not None
        assert stored.article.text == later.text
        assert [version.article.text for version in store.versions(stored)] == [article.text, changed.text]
        assert store.article_count() == 2
        total, _ = store.search(parse("gempa"))
        assert total == 1
        assert [person.name for person in stored.article.authors] == ["Reni Erina"]
        # Both articles credited in the authors table, however each was written (COPY or one by one).
        with store.engine.connect() as connection:
            credits = connection.execute(select(article_authors.c.name, article_authors.c.position)).all()
        assert sorted(tuple(row) for row in credits) == [("Reni Erina", 0), ("Reni Erina", 0)]


def test_a_file_changed_after_its_marker_or_unreadable_is_not_loaded_and_the_cli_says_so(
    tmp_path: Path, store_url: str
) -> None:
    out = extracted(tmp_path, sites=1, articles=3)
    good = next((out / "articles").glob("*.parquet"))
    write_output(out, "bad.warc.gz", [])
    damaged = write_output(out, "damaged.warc.gz", [])
    Layout(out).output("bad.warc.gz").write_bytes(b"not parquet")
    marker = Layout(out).done_marker("bad.warc.gz")
    write_json(marker, {"sha256": hashlib.sha256(b"not parquet").hexdigest()})
    damaged.write_bytes(damaged.read_bytes() + b"\0")
    result = CliRunner().invoke(main, ["--db", store_url, "bulk", "load", str(out), "--json"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    summary = json.loads(result.stdout)
    assert summary["files"] == {"loaded": 1, "damaged": 1, "unreadable": 1}
    assert {failure["file"] for failure in summary["failures"]} == {"bad.warc.gz", "damaged.warc.gz"}
    with Store(store_url) as store:
        assert store.article_count() == 3
        assert store.is_loaded(good.name.removesuffix(".parquet"), hashlib.sha256(good.read_bytes()).hexdigest())
        stored = store.articles()[0]
        assert article_from_dict(stored.article.to_dict()).title == stored.title
