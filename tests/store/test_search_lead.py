"""PostgreSQL ranks searches by each article's lead: how the lead is kept, and what ranking by it does."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, inspect, text

import warta
from tests.conftest import downgrade
from tests.store.test_store import article, save
from warta.models import Block, BlockKind
from warta.store import Store
from warta.store.db import normalize_url
from warta.store.fulltext import RANK_TERMS, document, lead_tsvector

# A body longer than the lead: RANK_TERMS words of filler, then a word that only this far down names it.
FILLER = " ".join(f"kata{i}" for i in range(RANK_TERMS + 40))


def _postgres(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the lead is PostgreSQL's")


def test_an_article_naming_the_words_in_its_lead_ranks_above_one_naming_them_further_down(store: Store) -> None:
    _postgres(store)
    early = article("https://example.id/early", body=f"gempa mengguncang Cianjur {FILLER}", title="Berita daerah")
    deep = article("https://example.id/deep", body=f"{FILLER} gempa", title="Laporan cuaca pekan ini")
    # Saved first, the early article loses a tie (newest first): ranked by whole documents, where each names
    # the word once, it would come second.
    save(store, early)
    save(store, deep)
    total, found = store.search(warta.search.parse("gempa"))
    assert total == 2
    assert [hit.article.canonical_url for hit, _rank in found] == [
        "https://example.id/early",
        "https://example.id/deep",
    ]


def test_the_lead_is_the_title_and_the_first_terms_of_the_body(store: Store) -> None:
    _postgres(store)
    item = article("https://example.id/1", body=f"gempa {FILLER} banjir", title="Gempa di Cianjur")
    save(store, item)
    expected = lead_tsvector(document(item.title, item.text, item.language))
    with store.engine.connect() as connection:
        lead, whole = connection.execute(text("SELECT lead::text, document::text FROM article_search")).one()
        same = connection.execute(text("SELECT lead = CAST(:v AS tsvector) FROM article_search"), {"v": expected})
        assert same.scalar()
    assert "'banjir'" in whole
    assert "'banjir'" not in lead
    assert {"'gempa'", "'cianjur'"} <= {item.split(":")[0] for item in lead.split()}


def test_the_migration_gives_stored_articles_the_lead_their_text_would_give(store_url: str) -> None:
    long = article("https://example.id/long", body=f"gempa {FILLER} banjir", title="Gempa di Cianjur")
    paragraphs = replace(
        long,
        canonical_url="https://example.id/paragraphs",
        url="https://example.id/paragraphs",
        body=tuple(Block(BlockKind.PARAGRAPH, f"Paragraf {n}: {FILLER[: 40 * n]}") for n in range(1, 6)),
    )
    with Store(store_url) as store:
        _postgres(store)
        for item in (long, paragraphs):
            save(store, item)
    downgrade(store_url, "0008")
    engine = create_engine(normalize_url(store_url))
    assert "lead" not in {column["name"] for column in inspect(engine).get_columns("article_search")}
    engine.dispose()
    with Store(store_url) as store, store.engine.connect() as connection:
        for item in (long, paragraphs):
            expected = lead_tsvector(document(item.title, item.text, item.language))
            same = connection.execute(
                text(
                    "SELECT s.lead = CAST(:v AS tsvector) FROM article_search s "
                    "JOIN articles a ON a.id = s.article_id WHERE a.canonical_url = :url"
                ),
                {"v": expected, "url": item.canonical_url},
            ).scalar_one()
            assert same, item.canonical_url
