"""Open the store: an embedded SQLite file by default, PostgreSQL when given a `postgresql://` URL.

The database is chosen by the `--db` option, else `WARTA_DATABASE_URL`, else a file in the user's data
directory. Opening it runs the migrations up to the code's schema, so a store is always current.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from warta.errors import WartaError
from warta.extras import check

ENV_VAR = "WARTA_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# How long a SQLite connection waits for the writer's lock before failing: a reader (`warta articles`)
# running beside a crawl should wait, not error.
SQLITE_BUSY_MS = 30_000
# Connections kept, and opened at most: a reader request waiting for a connection is worse than one more
# connection (SQLAlchemy's default of 5 + 10 made requests time out under 50 concurrent clients).
POOL = {"pool_size": 8, "max_overflow": 32}

# SQLite's primary result codes that say the database cannot be written at all, whatever the row: a full
# disk (or `max_page_count`), an I/O error, a read-only or vanished file, a lock held past the busy timeout,
# a damaged file. Another row would fail the same way, so a batch stops on them instead of counting each.
SQLITE_UNAVAILABLE = (
    "SQLITE_FULL",
    "SQLITE_IOERR",
    "SQLITE_READONLY",
    "SQLITE_CANTOPEN",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_PERM",
)
# PostgreSQL's SQLSTATEs (or their two-character classes) with the same meaning: connection exceptions,
# insufficient resources (disk full, out of memory, too many connections), operator intervention (shutdown),
# system errors (I/O), a read-only transaction (a standby, `default_transaction_read_only`), data corrupted.
POSTGRES_UNAVAILABLE = ("08", "53", "57", "58", "25006", "XX001", "XX002")
# Any key: the lock that lets one process at a time migrate a PostgreSQL store ("warta" in ASCII).
POSTGRES_MIGRATION_LOCK = 0x7761727461


class StoreError(WartaError):
    """The store cannot be opened or used."""

    reason = "store"


class StoreUnavailable(StoreError):
    """The store refuses writes as a whole (disk full, I/O error, read only, server gone): a batch stops."""

    reason = "store-unavailable"

    @classmethod
    def of(cls, exc: SQLAlchemyError) -> StoreUnavailable:
        cause = getattr(exc, "orig", None) or exc
        detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        return cls(f"the store cannot be written: {detail}")


def unavailable(exc: BaseException) -> bool:
    """Whether a database error means the store as a whole cannot be written, not that one row was refused."""
    if isinstance(exc, StoreUnavailable):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    cause = getattr(exc, "orig", None)
    if cause is None:
        return False
    name = getattr(cause, "sqlite_errorname", None)
    if isinstance(name, str):
        return name.startswith(SQLITE_UNAVAILABLE)
    state = getattr(cause, "sqlstate", None)
    if isinstance(state, str):
        return state.startswith(POSTGRES_UNAVAILABLE)
    # A driver error with no code (psycopg's lost connection): only an OperationalError means the database.
    return type(cause).__name__ == "OperationalError"


@contextmanager
def stop_if_unavailable() -> Iterator[None]:
    """Raise `StoreUnavailable` for a database error that refuses every write, so a batch stops with a
    message; other errors pass through unchanged."""
    try:
        yield
    except SQLAlchemyError as exc:
        if unavailable(exc):
            raise StoreUnavailable.of(exc) from exc
        raise


def default_url() -> str:
    """The store's URL when none is given: `WARTA_DATABASE_URL`, else a SQLite file in the data directory."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return configured
    directory = Path(user_data_dir("warta", appauthor=False))
    return f"sqlite:///{directory / 'warta.db'}"


def normalize_url(url: str) -> str:
    """Accept a plain path for SQLite and `postgresql://` for PostgreSQL (driven by psycopg 3)."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create(url: str | None = None) -> Engine:
    """An engine for the store at `url` (see `default_url`), its schema migrated to the code's."""
    target = normalize_url(url or default_url())
    try:
        parsed = make_url(target)
    except Exception as exc:
        raise StoreError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store's directory: {exc}") from exc
        engine = create_engine(target, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, **POOL)
        event.listen(engine, "connect", _sqlite_pragmas)
    elif parsed.get_backend_name() == "postgresql":
        check("postgres", "A PostgreSQL store")
        engine = create_engine(target, pool_pre_ping=True, **POOL)
    else:
        raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use a SQLite path or postgresql://")
    try:
        migrate(engine)
    except Exception as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store at {parsed.render_as_string(hide_password=True)}: {exc}") from exc
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: readers never block the one writer, and a crash leaves the database consistent. NORMAL sync is
    # durable across application crashes in WAL mode (only an OS crash can lose the last transactions).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Run the migrations up to the newest (a no-op on a current store).

    They run holding the database's write lock, so two processes opening a new store at once do not both
    create its tables: the second waits, then finds the schema current.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        _lock_for_migration(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def _lock_for_migration(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # Python's sqlite3 opens no transaction before DDL, so each CREATE would commit alone; BEGIN IMMEDIATE
        # takes the write lock up front (waiting up to the busy timeout) and makes the migration one unit.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK})
