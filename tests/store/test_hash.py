"""The content hash that decides whether a re-fetched article changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime

from tests.store.test_store import WIB, article
from warta.models import Article, Block, BlockKind, Image, Person
from warta.store.articles import content_hash

FIELDS = ("title", "published", "updated", "authors", "body", "images")


def _from_record(item: Article) -> str:
    """The hash as stores written before it was built on its own computed it: from the whole record."""
    data = item.to_dict()
    essential = {key: data[key] for key in FIELDS}
    return hashlib.sha256(json.dumps(essential, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


RICH = replace(
    article("https://rmol.id/read/1", title="Judul “berita” é"),
    updated=datetime(2022, 1, 21, 1, 2, 3, tzinfo=UTC),
    authors=(Person("Reni Erina", "reporter", None), Person("Ajat", None, "https://rmol.id/about/ajat")),
    body=(
        Block(BlockKind.PARAGRAPH, "Paragraf pertama."),
        Block(BlockKind.HEADING, "Subjudul", level=2),
        Block(BlockKind.QUOTE, "«Kutipan»"),
    ),
    images=(Image("https://rmol.id/a.jpg", "Presiden/Net", "Net"), Image("https://rmol.id/b.jpg")),
)


def test_the_hash_is_the_one_stores_hold_for_unchanged_articles() -> None:
    for item in (RICH, article("https://rmol.id/read/2"), replace(RICH, published=None, updated=None, title=None)):
        assert content_hash(item) == _from_record(item)


def test_the_hash_changes_with_each_field_that_decides_and_not_with_others() -> None:
    changed = [
        replace(RICH, title="Judul lain"),
        replace(RICH, published=datetime(2022, 1, 20, 7, 0, tzinfo=WIB)),
        replace(RICH, updated=None),
        replace(RICH, authors=RICH.authors[:1]),
        replace(RICH, body=RICH.body[:2]),
        replace(RICH, images=()),
    ]
    assert len({content_hash(item) for item in [RICH, *changed]}) == len(changed) + 1
    assert content_hash(replace(RICH, section="Politik", tags=("pemilu",))) == content_hash(RICH)
