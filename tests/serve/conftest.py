from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from starlette.types import ASGIApp

from warta.serve import create_app
from warta.serve.server import listen
from warta.store import Store

from ..search.corpus import ARTICLES, article, fill

# The reader answers loopback host names only (unless told others): the test client asks as a local browser.
BASE_URL = "http://localhost"
WATCHDOG_SECONDS = 30  # a hang detector for live servers, not a speed claim


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


@contextmanager
def served(app: ASGIApp) -> Iterator[int]:
    """`app` served by uvicorn in a thread on a free port of 127.0.0.1, for requests no test client sends as
    written (a body only announced, a path with dot segments); yields the port."""
    sock = listen("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        waited = threading.Event()
        for _ in range(WATCHDOG_SECONDS * 50):
            if server.started or not thread.is_alive():
                break
            waited.wait(0.02)
        assert server.started, "uvicorn did not start"
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=WATCHDOG_SECONDS)
        sock.close()
    assert not thread.is_alive(), "uvicorn did not stop"
