from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from warta.serve import create_app
from warta.store import Store

from ..search.corpus import ARTICLES, article, fill

# The reader answers loopback host names only (unless told others): the test client asks as a local browser.
BASE_URL = "http://localhost"


@pytest.fixture
def filled(store: Store) -> tuple[Store, dict[str, Any]]:
    return store, fill(store)


@pytest.fixture
def client(filled: tuple[Store, dict[str, Any]]) -> Iterator[TestClient]:
    with TestClient(create_app(filled[0]), base_url=BASE_URL) as opened:
        yield opened


def article_id(store: Store, slug: str) -> str:
    """The public id of the corpus article `slug`, as the store gives it."""
    row = next(row for row in ARTICLES if row[1] == slug)
    stored = store.article(article(*row).canonical_url or "")
    assert stored is not None
    return stored.id
