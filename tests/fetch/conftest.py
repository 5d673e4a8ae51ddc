from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fetch.server import Server, serve


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Iterator[Server]:
    """A loopback HTTP server whose routes the test sets; see `tests.fetch.server`."""
    with serve() as running:
        yield running
