"""The reader: stable article ids, an index on fetched URLs, users and their follows, the full-text index.

Existing articles get their stable id and are indexed here; existing followed publishers become follows of
the local user. The index's terms come from `warta.search.analysis` as it is when this runs: a later change
to the analysis re-indexes through a migration of its own.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from warta.store.fulltext import Document

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    from warta.store import fulltext

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_users_token_sha256")),
    )
    op.create_table(
        "follows",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["publishers.id"], name=op.f("fk_follows_publisher_id_publishers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "publisher_id", name=op.f("pk_follows")),
    )
    op.create_index(op.f("ix_follows_publisher_id"), "follows", ["publisher_id"], unique=False)
    op.add_column("articles", sa.Column("uid", sa.String(length=16), nullable=True))
    op.create_index(op.f("ix_articles_uid"), "articles", ["uid"], unique=True)
    # Articles are looked up by the address they were fetched from too (`warta show URL`, the reader).
    op.create_index(op.f("ix_articles_url"), "articles", ["url"], unique=False)

    connection = op.get_bind()
    # SQLite stores naive UTC (see schema.UTCDateTime); PostgreSQL an aware time.
    now = datetime.now(UTC)
    created = now.replace(tzinfo=None) if connection.dialect.name == "sqlite" else now
    connection.execute(sa.text("INSERT INTO users (id, name, created_at) VALUES (1, 'local', :at)"), {"at": created})
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT setval(pg_get_serial_sequence('users', 'id'), 1)"))
    connection.execute(
        sa.text(
            "INSERT INTO follows (user_id, publisher_id, created_at) SELECT 1, id, :at FROM publishers WHERE followed"
        ),
        {"at": created},
    )

    fulltext.create(connection)
    last = 0
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT id, canonical_url, title, text, language FROM articles WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        for row in rows:
            uid = hashlib.sha256(row.canonical_url.encode("utf-8")).hexdigest()[:16]
            connection.execute(sa.text("UPDATE articles SET uid = :uid WHERE id = :id"), {"uid": uid, "id": row.id})
            _index(connection, row.id, fulltext.document(row.title, row.text, row.language))
        last = rows[-1].id


def _index(connection: sa.Connection, article_id: int, doc: Document) -> None:
    """The article indexed in the tables as this revision made them: PostgreSQL's `lead` came later (0009),
    which fills it for the rows written here."""
    from warta.store import fulltext

    if connection.dialect.name != "postgresql":
        fulltext.write(connection, article_id, doc, replace=False)
        return
    connection.execute(
        sa.text("INSERT INTO article_search (article_id, document) VALUES (:id, CAST(:doc AS tsvector))"),
        {"id": article_id, "doc": fulltext.tsvector(doc)},
    )


def downgrade() -> None:
    for name in ("article_search_terms", "article_search"):
        op.execute(f"DROP TABLE IF EXISTS {name}")
    op.drop_index(op.f("ix_articles_url"), table_name="articles")
    op.drop_index(op.f("ix_articles_uid"), table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("uid")
    op.drop_index(op.f("ix_follows_publisher_id"), table_name="follows")
    op.drop_table("follows")
    op.drop_table("users")
