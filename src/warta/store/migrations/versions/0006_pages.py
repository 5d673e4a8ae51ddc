"""Pages: one row per response. Each row gets its response's identity (`response_key`: URL, second fetched
and body digest) under a unique constraint, and the rows that repeated a response (each `warta reextract`
used to add one per archived response) are removed, keeping the first.

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

from itertools import islice

import sqlalchemy as sa
from alembic import op

from warta.store.pages import response_key
from warta.store.schema import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Rows updated or deleted per statement: one statement for a million rows would exceed the parameter limits.
BATCH = 5000

_pages = sa.table(
    "pages",
    sa.column("id", sa.Integer()),
    sa.column("final_url", sa.Text()),
    sa.column("fetched_at", UTCDateTime()),
    sa.column("body_sha256", sa.String()),
    sa.column("response_key", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("response_key", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_pages.c.id, _pages.c.final_url, _pages.c.fetched_at, _pages.c.body_sha256).order_by(_pages.c.id)
    )
    seen: set[str] = set()
    repeats: list[int] = []
    keyed: list[dict[str, object]] = []
    for row in rows.all():
        key = response_key(row.final_url, row.fetched_at, row.body_sha256)
        if key in seen:
            repeats.append(row.id)
        else:
            seen.add(key)
            keyed.append({"row_id": row.id, "key": key})
    update = sa.update(_pages).where(_pages.c.id == sa.bindparam("row_id")).values(response_key=sa.bindparam("key"))
    chunks = iter(keyed)
    while chunk := list(islice(chunks, BATCH)):
        connection.execute(update, chunk)
    for start in range(0, len(repeats), BATCH):
        connection.execute(sa.delete(_pages).where(_pages.c.id.in_(repeats[start : start + BATCH])))
    with op.batch_alter_table("pages") as batch:
        batch.create_unique_constraint(batch.f("uq_pages_response_key"), ["response_key"])


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_constraint(batch.f("uq_pages_response_key"), type_="unique")
        batch.drop_column("response_key")
