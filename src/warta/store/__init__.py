"""The store: publishers, their sources, the crawl frontier, pages and articles, in SQLite or PostgreSQL, with
the full-text index and related coverage over them (the SQL half of search; `warta.search` is the text half).
"""

from warta.store.articles import AmbiguousId, stable_id
from warta.store.db import StoreError, default_url
from warta.store.frontier import DONE, FAILED, FETCHING, MAX_ATTEMPTS, QUEUED, SKIPPED
from warta.store.fulltext import COUNT_CAP
from warta.store.schema import LOCAL_USER_ID
from warta.store.store import Store

__all__ = [
    "COUNT_CAP",
    "DONE",
    "FAILED",
    "FETCHING",
    "LOCAL_USER_ID",
    "MAX_ATTEMPTS",
    "QUEUED",
    "SKIPPED",
    "AmbiguousId",
    "Store",
    "StoreError",
    "default_url",
    "stable_id",
]
