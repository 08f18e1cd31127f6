"""Alembic's entry: runs the revisions on the connection the store hands over
(migrations.upgrade), or, from the command line, on the store ZI_DATABASE_URL names (else the
SQLite default), under the store's write lock."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from zi_dashboard.storage.engine import database_url, open_engine, write
from zi_dashboard.storage.schema import metadata

given = context.config.attributes.get("connection")


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif given is not None:
    run(given)
else:
    engine = open_engine(database_url())
    try:
        with write(engine) as conn:
            run(conn)
    finally:
        engine.dispose()
