from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from warta.store import Store
from warta.store.db import normalize_url

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


def page(body: str, head: str = "", lang: str = "en") -> str:
    """A minimal but complete HTML document around `body`."""
    return f"<!doctype html><html lang={lang}><head><meta charset=utf-8>{head}</head><body>{body}</body></html>"


# A fresh store per test: a SQLite file, and PostgreSQL when `WARTA_TEST_POSTGRES_URL` names a server. CI
# (`.ci/run`) installs and starts PostgreSQL and sets the variable, so every store test runs on both
# databases there; without it the PostgreSQL half is skipped with its reason.

POSTGRES_ENV = "WARTA_TEST_POSTGRES_URL"


def reset_postgres(url: str) -> None:
    """Drop everything in the test database's public schema, so each test starts from no tables."""
    engine = create_engine(normalize_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def downgrade(url: str, revision: str) -> None:
    """Take the store at `url` back to the schema of `revision` (opening it again migrates it up)."""
    from alembic import command
    from alembic.config import Config

    from warta.store.db import MIGRATIONS

    engine = create_engine(normalize_url(url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'warta.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set (CI sets it and starts PostgreSQL)")
    reset_postgres(url)
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened
