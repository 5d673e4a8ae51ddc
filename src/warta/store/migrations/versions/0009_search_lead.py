"""PostgreSQL ranks searches by each article's lead (`warta.store.fulltext`): a `lead` tsvector beside the
document in `article_search`, the title and the body's first `RANK_TERMS` terms. SQLite is unchanged.

Stored articles get their lead from their document, in SQL (their text need not be analysed again): the
lexemes at positions up to the title's length plus RANK_TERMS. The title's length is not stored, so the cut is
made at RANK_TERMS plus the positions weighted A (the title's), which is the same. It takes a while on a large
store: 7 minutes for 100,000 articles here.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# As `fulltext.RANK_TERMS` when this migration was written: a migration does not change with the code.
RANK_TERMS = 150

# Each lexeme's positions up to the cut, with their weights ("3A", "17D"), as a tsvector literal; a
# positionless lexeme (the language mark) is kept as it is.
_FILL = """
UPDATE article_search AS s SET lead = coalesce((
    SELECT string_agg(
        quote_literal(u.lexeme) || coalesce(':' || (
            SELECT string_agg(x.p::text || upper(x.w), ',' ORDER BY x.p)
            FROM unnest(u.positions, u.weights) AS x(p, w) WHERE x.p <= c.cut
        ), ''), ' ')
    FROM unnest(s.document) AS u
    WHERE u.positions IS NULL OR u.positions[1] <= c.cut
), '')::tsvector
FROM (
    SELECT article_id,
        :terms + (SELECT count(*) FROM unnest(document) AS t, unnest(t.weights) AS w WHERE w = 'A') AS cut
    FROM article_search
) AS c
WHERE c.article_id = s.article_id
"""


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    connection.execute(sa.text("ALTER TABLE article_search ADD COLUMN lead TSVECTOR NOT NULL DEFAULT ''"))
    connection.execute(sa.text(_FILL), {"terms": RANK_TERMS})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("article_search", "lead")
