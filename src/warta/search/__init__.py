"""The text half of search: words to index terms (`analysis`), queries (`query`), matches marked in a passage
(`highlight`). It holds no SQL: the store runs the index (`warta.store.fulltext`) on the terms made here."""

from warta.search.query import EmptyQuery, Query, parse

__all__ = ["EmptyQuery", "Query", "parse"]
