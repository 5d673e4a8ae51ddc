"""Stories: each article's story and the article it copies, what story assignment read from it, and who
follows which story.

Existing articles have no story: the next story assignment (`warta stories`, or the end of a crawl or an
import) reads and assigns them, in the order they were published.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    op.create_index(op.f("ix_stories_updated_at"), "stories", ["updated_at"], unique=False)
    op.create_table(
        "story_follows",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_story_follows_story_id_stories"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_story_follows_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "story_id", name=op.f("pk_story_follows")),
    )
    op.create_index(op.f("ix_story_follows_story_id"), "story_follows", ["story_id"], unique=False)
    op.create_table(
        "article_profiles",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_article_profiles_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_profiles")),
    )
    op.create_index(op.f("ix_article_profiles_day"), "article_profiles", ["day"], unique=False)
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("copy_of", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_articles_story_id"), ["story_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_articles_story_id_stories"), "stories", ["story_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            batch.f("fk_articles_copy_of_articles"), "articles", ["copy_of"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_constraint(batch.f("fk_articles_copy_of_articles"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_articles_story_id_stories"), type_="foreignkey")
        batch.drop_index(batch.f("ix_articles_story_id"))
        batch.drop_column("copy_of")
        batch.drop_column("story_id")
    op.drop_index(op.f("ix_article_profiles_day"), table_name="article_profiles")
    op.drop_table("article_profiles")
    op.drop_index(op.f("ix_story_follows_story_id"), table_name="story_follows")
    op.drop_table("story_follows")
    op.drop_index(op.f("ix_stories_updated_at"), table_name="stories")
    op.drop_table("stories")
