"""The store: one object over the database, made of one part per kind of record.

Each part (publishers and their sources, readers and their follows, the crawl frontier, articles) is a class
of its own module; `Store` joins them over one engine, so a caller holds one handle and every part shares its
connections. Writes that belong together are one transaction inside one part's method.
"""

from __future__ import annotations

from sqlalchemy import Engine

from warta.store import db
from warta.store.articles import LANGUAGES_TTL, Articles
from warta.store.frontier import Frontier
from warta.store.loads import Loads
from warta.store.publishers import Publishers
from warta.store.readers import Readers
from warta.store.related import Statistics
from warta.store.stories import Stories


class Store(Publishers, Readers, Frontier, Articles, Stories, Loads):
    """The store at one database URL; see `warta.store.db` for how the URL is chosen."""

    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine if engine is not None else db.create(url)
        self._languages = (-LANGUAGES_TTL, [])
        self._statistics = Statistics()
        self._zone_known = set()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
