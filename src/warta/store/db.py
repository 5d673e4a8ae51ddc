"""Open the store: an embedded SQLite file by default, PostgreSQL when given a `postgresql://` URL.

The database is chosen by the `--db` option, else `WARTA_DATABASE_URL`, else a file in the user's data
directory. Opening it runs the migrations up to the code's schema, so a store is always current.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

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


class StoreError(WartaError):
    """The store cannot be opened or used."""

    reason = "store"


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
    """Run the migrations up to the newest (a no-op on a current store)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
