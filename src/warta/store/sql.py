"""What every part of the store shares: the clock, the dialect's upsert, new ids, values cut to columns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, CursorResult
from sqlalchemy.dialects import postgresql, sqlite

from warta.extract.urls import site_host
from warta.store.db import StoreError


def now() -> datetime:
    return datetime.now(UTC)


def host_of(url: str) -> str:
    """The host of a URL, or of a bare host name, without "www."; "" when there is none."""
    return site_host(url) or ""


def upsert(connection: Connection, table: Any) -> Any:
    """An INSERT that can skip rows whose unique key exists, in the database's own dialect."""
    return (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(table)


def new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:
        raise StoreError("the database returned no id for a new row")
    return int(key[0])


def cut(value: str | None, column: Any) -> str | None:
    """`value` cut to the column's length: PostgreSQL refuses a longer value where SQLite keeps it."""
    length = getattr(column.type, "length", None)
    return value[:length] if value is not None and length is not None else value
