from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from warta.serve import create_app
from warta.store import Store

from ..search.corpus import fill


@pytest.fixture
def filled(store: Store) -> tuple[Store, dict[str, int]]:
    return store, fill(store)


@pytest.fixture
def client(filled: tuple[Store, dict[str, int]]) -> Iterator[TestClient]:
    with TestClient(create_app(filled[0])) as opened:
        yield opened


def uid(store: Store, store_id: int) -> str:
    row = store.article(str(store_id))
    assert row is not None
    return str(row.uid)
