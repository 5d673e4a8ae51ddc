"""The store: publishers, their sources, the crawl frontier, pages and articles, in SQLite or PostgreSQL."""

from warta.store.db import StoreError, default_url
from warta.store.store import SourceHealth, Store

__all__ = ["SourceHealth", "Store", "StoreError", "default_url"]
