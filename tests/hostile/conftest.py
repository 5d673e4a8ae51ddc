from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawl.site import Site, serve
from tests.fetch.server import Server
from tests.fetch.server import serve as serve_routes
from warta.store import Store


@pytest.fixture
def normal() -> Iterator[Site]:
    """A well-behaved publisher on 127.0.0.1, crawled next to each hostile server."""
    site = Site(articles=4)
    server, _thread = serve(site)
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile() -> Iterator[Server]:
    """The misbehaving server, on 127.0.0.2: another host, so politeness and set-aside tell them apart."""
    with serve_routes("127.0.0.2") as running:
        yield running


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'warta.db'}") as store:
        yield store
