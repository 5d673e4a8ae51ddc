"""Publisher time zones: the zone a crawl learns for each publisher, and the offset of a listed URL's date.

`publishers.time_zone` is an IANA name ("Asia/Jakarta") or a fixed offset ("+07:00"), `time_zone_source`
what it was learned from ("rss", "news-sitemap", "page"). `frontier.listed_offset` keeps the offset (minutes
east of UTC) of the date the feed or sitemap gave the URL, which `listed_at` stores in UTC, and
`listed_kind` whether that date was a publication ("published") or a last modification ("modified"). Rows
from before have none of these: the next poll of each source fills them.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publishers") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("time_zone_source", sa.String(length=40), nullable=True))
    with op.batch_alter_table("frontier") as batch:
        batch.add_column(sa.Column("listed_offset", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("listed_kind", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("frontier") as batch:
        batch.drop_column("listed_kind")
        batch.drop_column("listed_offset")
    with op.batch_alter_table("publishers") as batch:
        batch.drop_column("time_zone_source")
        batch.drop_column("time_zone")
