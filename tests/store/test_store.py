"""The store on SQLite and PostgreSQL: migrations, publishers and sources, the frontier, articles."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import warta
from warta.models import Article, Block, BlockKind, Fetched, Link, Person
from warta.store import DONE, FAILED, MAX_ATTEMPTS, QUEUED, SKIPPED, Store
from warta.store.schema import include_name, metadata

WIB = timezone(timedelta(hours=7))


def article(url: str, body: str = "Paragraf pertama berita ini.", title: str = "Judul berita") -> Article:
    return Article(
        url=url,
        canonical_url=url,
        title=title,
        authors=(Person("Reni Erina", "reporter", "https://rmol.id/about/reni-erina-1"),),
        published=datetime(2022, 1, 20, 6, 53, tzinfo=WIB),
        language="id",
        body=(Block(BlockKind.PARAGRAPH, body),),
    )


def save(store: Store, item: Article, publisher_id: int | None = None, frontier_id: int | None = None) -> str:
    fetched = Fetched(
        url=item.url or "",
        final_url=item.url or "",
        status=200,
        headers=(("content-type", "text/html"),),
        body=b"<html></html>",
        fetched_at=datetime.now(UTC),
    )
    return store.save(item, fetched, publisher_id=publisher_id, frontier_id=frontier_id)


def test_the_migrated_schema_is_the_code_schema(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_opening_a_store_again_keeps_its_data(store_url: str) -> None:
    with Store(store_url) as first:
        first.add_publisher("RMOL", "https://rmol.id/")
    with Store(store_url) as again:
        assert [row.name for row in again.publishers()] == ["RMOL"]


def test_publishers_and_sources_are_registered_once(store: Store) -> None:
    publisher, added = store.add_publisher("RMOL", "https://rmol.id/")
    assert added
    assert store.add_publisher("RMOL", "https://rmol.id/") == (publisher, False)
    assert store.add_source(publisher, "https://rmol.id/rss", "rss")
    assert not store.add_source(publisher, "https://rmol.id/rss", "rss")
    assert store.find_publisher("rmol.id") is not None
    assert store.find_publisher(str(publisher)) is not None
    store.set_followed(publisher, False)
    assert store.due_sources() == []
    store.set_followed(publisher, True)
    assert [row.url for row in store.due_sources()] == ["https://rmol.id/rss"]


def test_the_frontier_queues_each_url_once_and_recovers_a_killed_crawl(store: Store) -> None:
    publisher, _ = store.add_publisher("RMOL", "https://rmol.id/")
    links = [Link(f"https://rmol.id/read/{n}") for n in range(3)]
    assert store.enqueue(links, publisher) == 3
    assert store.enqueue(links, publisher) == 0
    claimed = store.claim(2)
    assert len(claimed) == 2
    assert store.frontier_counts() == {"fetching": 2, "queued": 1}
    # The crawl dies here; the next one puts the claimed URLs back.
    assert store.recover() == 2
    assert store.frontier_counts() == {"queued": 3}
    assert len(store.claim(10)) == 3


def test_a_failed_url_is_retried_until_it_has_used_its_attempts(store: Store) -> None:
    store.enqueue([Link("https://rmol.id/read/1")], None)
    for _attempt in range(MAX_ATTEMPTS - 1):
        (row,) = store.claim(1)
        store.finish(row.id, FAILED, "timeout")
        assert store.frontier_counts() == {QUEUED: 1}
    (row,) = store.claim(1)
    store.finish(row.id, FAILED, "timeout")
    assert store.frontier_counts() == {FAILED: 1}
    assert store.claim(1) == []


def test_a_sitemap_saying_a_page_changed_queues_it_again(store: Store) -> None:
    store.enqueue([Link("https://rmol.id/read/1")], None)
    (row,) = store.claim(1)
    store.finish(row.id, SKIPPED)
    store.finish(row.id, DONE)
    later = datetime.now(UTC) + timedelta(hours=1)
    assert store.enqueue([Link("https://rmol.id/read/1", modified=later)], None) == 1
    assert store.enqueue([Link("https://rmol.id/read/1", modified=datetime(2020, 1, 1, tzinfo=UTC))], None) == 0


def test_an_article_is_stored_once_and_a_changed_one_keeps_its_earlier_version(store: Store) -> None:
    publisher, _ = store.add_publisher("RMOL", "https://rmol.id/")
    store.enqueue([Link("https://rmol.id/read/1")], publisher)
    (row,) = store.claim(1)
    first = article("https://rmol.id/read/1")
    assert save(store, first, publisher, frontier_id=row.id) == "new"
    assert store.frontier_counts() == {DONE: 1}
    assert save(store, first, publisher) == "unchanged"
    changed = replace(first, body=(Block(BlockKind.PARAGRAPH, "Paragraf yang diperbarui."),))
    assert save(store, changed, publisher) == "changed"
    assert store.article_count() == 1
    stored = store.article("https://rmol.id/read/1")
    assert stored is not None
    assert stored.version == 2
    assert stored.article.text == "Paragraf yang diperbarui."
    assert stored.article.authors[0].url == "https://rmol.id/about/reni-erina-1"
    # The instant survives both databases, and the record keeps the article's own offset.
    assert stored.published == datetime(2022, 1, 19, 23, 53, tzinfo=UTC)
    assert stored.article.to_dict()["published"] == "2022-01-20T06:53:00+07:00"
    (earlier,) = store.versions(stored)
    assert earlier.version == 1
    assert earlier.article.body[0].text == "Paragraf pertama berita ini."


def test_articles_are_listed_newest_first_with_filters(store: Store) -> None:
    publisher, _ = store.add_publisher("RMOL", "https://rmol.id/")
    for day in (1, 3, 2):
        item = replace(article(f"https://rmol.id/read/{day}"), published=datetime(2022, 1, day, tzinfo=UTC))
        save(store, item, publisher)
    english = replace(article("https://example.com/a"), language="en")
    save(store, english)
    assert [row.url for row in store.articles(publisher_id=publisher)] == [
        "https://rmol.id/read/3",
        "https://rmol.id/read/2",
        "https://rmol.id/read/1",
    ]
    assert [row.url for row in store.articles(language="en")] == ["https://example.com/a"]
    since = datetime(2022, 1, 2, tzinfo=UTC)
    assert len(store.articles(publisher_id=publisher, since=since)) == 2
    assert len(store.articles(limit=2, offset=3)) == 1


def test_source_health_shows_failures_and_articles_per_day(store: Store) -> None:
    publisher, _ = store.add_publisher("RMOL", "https://rmol.id/")
    store.add_source(publisher, "https://rmol.id/rss", "rss")
    (source,) = store.sources(publisher)
    store.enqueue([Link(f"https://rmol.id/read/{n}") for n in range(7)], publisher, source.id)
    for row in store.claim(7):
        save(store, article(row.url), publisher, frontier_id=row.id)
    store.record_source(source.id, error=None, etag='"abc"', links=7)
    store.record_source(source.id, error="http-500")
    store.record_source(source.id, error="timeout")
    (health,) = store.health(publisher)
    assert health.consecutive_failures == 2
    assert health.last_error == "timeout"
    assert health.last_success_at is not None
    assert health.articles_per_day == 1.0
    (source,) = store.sources(publisher)
    assert source.etag == '"abc"'
    assert source.next_fetch_at > datetime.now(UTC)


def test_a_real_extraction_round_trips(store: Store) -> None:
    text = (Path(__file__).resolve().parents[2] / "samples" / "rmol-kazakhstan-2022.txt").read_text(encoding="utf-8")
    extracted = warta.extract_text(text, "https://rmol.id/read/2022/01/20/kazakhstan")
    assert save(store, extracted) == "new"
    stored = store.article("https://rmol.id/read/2022/01/20/kazakhstan")
    assert stored is not None
    assert stored.title == extracted.title
    assert stored.article.sources == ("Euro News",)


def test_overlong_fields_are_cut_to_their_columns(store: Store) -> None:
    # PostgreSQL refuses a value longer than its column where SQLite keeps it: the store cuts.
    long = replace(article("https://rmol.id/read/9"), section="Bagian " * 100, site_name="RMOL " * 100)
    assert save(store, long) == "new"
    stored = store.article("https://rmol.id/read/9")
    assert stored is not None
    assert stored.article.section == long.section  # the column is cut, the record keeps it whole


def test_a_store_from_before_the_reader_gets_ids_follows_and_its_index(store_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from warta.search import parse
    from warta.store import stable_id
    from warta.store.db import MIGRATIONS, normalize_url

    engine = create_engine(normalize_url(store_url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        at = datetime(2022, 1, 20, tzinfo=UTC)
        connection.execute(
            text(
                "INSERT INTO publishers (id, name, home_url, host, followed, created_at) "
                "VALUES (1, 'RMOL', 'https://rmol.id/', 'rmol.id', :yes, :at)"
            ),
            {"yes": True, "at": at},
        )
        connection.execute(
            text(
                "INSERT INTO articles (canonical_url, url, publisher_id, title, language, kind, text, data, "
                "content_hash, version, extractor_version, first_seen_at, last_seen_at) VALUES "
                "('https://rmol.id/read/1', 'https://rmol.id/read/1', 1, 'Kerusuhan di Almaty', 'id', 'article', "
                "'Situasi setelah kerusuhan.', '{}', 'x', 1, '0', :at, :at)"
            ),
            {"at": at},
        )
    engine.dispose()
    with Store(store_url) as store:
        row = store.article("https://rmol.id/read/1")
        assert row is not None
        assert row.id == stable_id("https://rmol.id/read/1")
        assert store.followed_ids() == {1}
        total, hits = store.search(parse("rusuh", ["id"]))
        assert total == 1
        assert hits[0][0].id == row.id


def test_follows_belong_to_users_and_a_publisher_is_crawled_while_anyone_follows_it(store: Store) -> None:
    publisher_id, _ = store.add_publisher("RMOL", "https://rmol.id/", follow=False)
    assert not store.publisher(publisher_id).crawled
    token = store.add_user("ana")
    ana = store.user_for_token(token)
    assert ana is not None
    assert store.user_for_token("not a token") is None
    store.set_followed(publisher_id, True, ana.id)
    store.set_followed(publisher_id, True)  # the local user too
    store.set_followed(publisher_id, False, ana.id)
    assert store.publisher(publisher_id).crawled
    assert store.followed_ids(ana.id) == set()
    store.set_followed(publisher_id, False)
    assert not store.publisher(publisher_id).crawled
    # A new token replaces the old one.
    assert store.user_for_token(store.add_user("ana")) is not None
    assert store.user_for_token(token) is None


def test_a_listed_date_keeps_its_offset_through_the_frontier(store: Store) -> None:
    publisher_id, _ = store.add_publisher("RMOL", "https://rmol.id/")
    store.add_source(publisher_id, "https://rmol.id/rss", "rss")
    source_id = store.sources(publisher_id)[0].id
    listed = datetime(2022, 1, 20, 6, 53, tzinfo=WIB)
    links = [Link("https://rmol.id/read/1", published=listed), Link("https://rmol.id/read/2", modified=listed)]
    store.enqueue([*links, Link("https://rmol.id/read/3")], publisher_id, source_id)
    assert store.set_time_zone(publisher_id, "Asia/Jakarta", "rss")
    assert not store.set_time_zone(publisher_id, "+08:00", "page", if_unknown=True)  # feeds outrank a page
    rows = {row.url: row for row in store.claim(10)}
    first = rows["https://rmol.id/read/1"]
    assert first.listed_at == listed
    assert (first.listed_offset, first.listed_kind) == (7 * 60, "published")
    assert (first.time_zone, first.source_kind) == ("Asia/Jakarta", "rss")
    assert rows["https://rmol.id/read/2"].listed_kind == "modified"
    assert rows["https://rmol.id/read/3"].listed_offset is None
    assert store.publisher(publisher_id).time_zone_source == "rss"


def test_a_store_holding_data_migrates_to_publisher_zones(store_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from warta.store.db import MIGRATIONS, normalize_url

    engine = create_engine(normalize_url(store_url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        at = datetime(2022, 1, 20, tzinfo=UTC)
        connection.execute(
            text(
                "INSERT INTO publishers (id, name, home_url, host, followed, created_at) "
                "VALUES (7, 'RMOL', 'https://rmol.id/', 'rmol.id', :yes, :at)"
            ),
            {"yes": True, "at": at},
        )
        connection.execute(
            text(
                "INSERT INTO frontier (url, publisher_id, state, listed_at, discovered_at, updated_at, attempts) "
                "VALUES ('https://rmol.id/read/1', 7, 'queued', :at, :at, :at, 0)"
            ),
            {"at": at},
        )
    engine.dispose()
    with Store(store_url) as store:
        publisher = store.publisher(7)
        assert publisher is not None
        assert (publisher.name, publisher.time_zone, publisher.time_zone_source) == ("RMOL", None, None)
        (row,) = store.claim(5)
        assert (row.url, row.listed_at, row.listed_offset, row.time_zone) == ("https://rmol.id/read/1", at, None, None)
        assert store.set_time_zone(7, "Asia/Jakarta", "rss")


def test_the_body_is_kept_once_and_the_migration_keeps_what_refers_to_articles(store_url: str) -> None:
    from sqlalchemy import create_engine, inspect, text

    from tests.conftest import downgrade
    from warta.store.db import normalize_url

    url = "https://rmol.id/read/2022/01/20/1"
    fetched = Fetched(url, url, 200, (("content-type", "text/html"),), b"<html>", datetime(2022, 1, 20, tzinfo=UTC))
    with Store(store_url) as store:
        store.save(article(url, body="Badan Pusat Statistik merilis data inflasi."), fetched, publisher_id=None)
    engine = create_engine(normalize_url(store_url))
    assert "text" not in {column["name"] for column in inspect(engine).get_columns("articles")}
    # Down to the schema with the body twice: the text comes back from the article's record.
    downgrade(store_url, "0007")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT text FROM articles")).scalar_one() == (
            "Badan Pusat Statistik merilis data inflasi."
        )
    engine.dispose()
    # And up again, as opening the store does: the column goes, and nothing that refers to the article does
    # (a rebuild of the table would have deleted its authors and pages through their foreign keys).
    with Store(store_url) as store:
        stored = store.article(url)
        assert stored is not None
        assert stored.article.text == "Badan Pusat Statistik merilis data inflasi."
        assert store.page_count() == 1
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM article_authors")).scalar_one() == 1
        assert store.search(warta.search.parse("inflasi"))[0] == 1
