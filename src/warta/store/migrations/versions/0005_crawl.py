"""Crawl hardening: a due time and the claiming run on each frontier row, and the crawl lease.

Rows already queued stay due at once; rows left in "fetching" by an older version have no claiming run, so
the next crawl takes them back as interrupted.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("frontier") as batch:
        batch.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
    op.create_table(
        "crawl_leases",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("owner_pid", sa.Integer(), nullable=False),
        sa.Column("owner_host", sa.String(length=255), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_crawl_leases")),
    )


def downgrade() -> None:
    op.drop_table("crawl_leases")
    with op.batch_alter_table("frontier") as batch:
        batch.drop_column("claimed_by")
        batch.drop_column("not_before")
