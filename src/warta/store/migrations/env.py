"""Alembic's environment for Warta's store: migrations run on the connection the store hands over.

`warta.store.db` runs them at connect time (`upgrade head`), so a store file or database is always at the
schema the code expects; `alembic` on the command line is not needed to use Warta.
"""

from __future__ import annotations

from alembic import context

from warta.store.schema import include_name, metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Warta's migrations run through warta.store.db.connect, which passes a connection")
# SQLite cannot alter most columns in place: batch mode rebuilds the table instead.
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
