"""The body kept once: the `text` column of articles goes, since the article's record (`data`) holds its body
and every reader (the reader, the API, exports, search, stories) reads it from there.

On SQLite this is `ALTER TABLE ... DROP COLUMN` (SQLite 3.35 or newer), not a batch rebuild: rebuilding the
articles table would drop it, and with foreign keys on, that deletes every row that refers to an article.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The first SQLite that drops a column in place.
SQLITE_DROP_COLUMN = (3, 35, 0)
# Articles given their text back per query, on a downgrade.
BATCH = 1000


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info < SQLITE_DROP_COLUMN:
            raise RuntimeError(f"this store needs SQLite 3.35 or newer (this Python has {sqlite3.sqlite_version})")
    connection.execute(sa.text("ALTER TABLE articles DROP COLUMN text"))


def downgrade() -> None:
    from warta.models import article_from_dict

    op.add_column("articles", sa.Column("text", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    last = 0
    while rows := connection.execute(
        sa.text("SELECT id, data FROM articles WHERE id > :last ORDER BY id LIMIT :n"), {"last": last, "n": BATCH}
    ).all():
        for row in rows:
            data = json.loads(row.data) if isinstance(row.data, str) else row.data
            connection.execute(
                sa.text("UPDATE articles SET text = :text WHERE id = :id"),
                {"text": article_from_dict(data).text, "id": row.id},
            )
        last = rows[-1].id
