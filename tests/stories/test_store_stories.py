"""Stories kept in the store: assignment goes on from what the store holds, copies are remembered across
runs, and a re-extracted article is assigned again; on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.stories.test_stories import FLOOD_EN, FLOOD_ID, WIRE, topic_embedder
from warta.jobs.stories import assign_stories
from warta.models import Article, Block, BlockKind, Fetched
from warta.store import Store

pytest.importorskip("datasketch")


def article(url: str, title: str, text: str, language: str, published: datetime | None) -> Article:
    return Article(
        url=url, canonical_url=url, title=title, language=language, published=published,
        body=(Block(BlockKind.PARAGRAPH, text),),
    )  # fmt: skip


def save(store: Store, item: Article) -> None:
    assert item.url is not None
    store.save(item, Fetched(item.url, item.url, 200, fetched_at=datetime(2024, 3, 1, tzinfo=UTC)), publisher_id=None)


APRIL_3 = datetime(2023, 4, 3, 9, tzinfo=UTC)


def test_articles_join_stories_and_a_later_run_goes_on_from_them(store: Store) -> None:
    save(store, article("https://a.example/flood", "Floods kill 12 in Kotabaru", FLOOD_EN, "en", APRIL_3))
    save(store, article("https://b.example/banjir", "Banjir Kotabaru, 12 tewas", FLOOD_ID, "id", APRIL_3))
    save(store, article("https://a.example/again", "Floods hit Kotabaru again", FLOOD_EN.replace("12", "4"), "en",
                        datetime(2024, 2, 9, tzinfo=UTC)))  # fmt: skip
    first = assign_stories(store, topic_embedder)
    assert (first["started"], first["joined"], first["copies"]) == (2, 1, 0)
    flood = store.article("https://a.example/flood")
    banjir = store.article("https://b.example/banjir")
    again = store.article("https://a.example/again")
    assert flood is not None
    assert banjir is not None
    assert again is not None
    assert flood.story == banjir.story != again.story

    story = store.story(flood.story or 0)
    assert story is not None
    assert [member.id for member in story.members] == [flood.id, banjir.id]
    assert story.languages == ("en", "id")
    assert story.reports == 2
    assert story.headline == "Floods kill 12 in Kotabaru"

    assert assign_stories(store, topic_embedder).counts.total() == 0  # nothing new, nothing moved

    # A later run: the wire report joins the flood story from the store, and a client's copy of it is
    # found by the text kept from the run before.
    save(store, article("https://wire.example/rescue", "Rescuers search Kotabaru", WIRE, "en", APRIL_3))
    assign_stories(store, topic_embedder)
    save(store, article("https://client.example/x", "Survivors pulled from mud", "UPDATE " + WIRE, "en", APRIL_3))
    last = assign_stories(store, topic_embedder)
    assert last["copies"] == 1
    copy = store.article("https://client.example/x")
    wire = store.article("https://wire.example/rescue")
    assert copy is not None
    assert wire is not None
    assert copy.story == wire.story == flood.story
    assert copy.copy_of == wire.id
    story = store.story(flood.story or 0)
    assert story is not None
    assert (story.reports, story.copies) == (3, 1)


def test_a_re_extracted_article_is_assigned_again_and_an_emptied_story_goes(store: Store) -> None:
    first = article("https://a.example/vote", "Election day", "The election commission counted the election votes.",
                    "en", APRIL_3)  # fmt: skip
    save(store, first)
    assign_stories(store, topic_embedder)
    before = store.article("https://a.example/vote")
    assert before is not None
    assert before.story is not None
    changed = replace(first, body=(Block(BlockKind.PARAGRAPH, "Banjir melanda Kotabaru, kata Gubernur."),))
    save(store, changed)
    after = store.article("https://a.example/vote")
    assert after is not None
    assert after.story is None  # its story was read from the text it no longer has
    assign_stories(store, topic_embedder)
    # One story, of the article as it reads now: the one it left, with no other article, is gone.
    assert [(story.reports, story.headline) for story in store.stories()] == [(1, "Election day")]
    reassigned = store.article("https://a.example/vote")
    assert reassigned is not None
    assert reassigned.story is not None
