"""Full-text search and related articles over the store (SQLite FTS5 or PostgreSQL text search)."""

from warta.search.query import EmptyQuery, Query, parse

__all__ = ["EmptyQuery", "Query", "parse"]
