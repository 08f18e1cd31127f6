"""The store's schema, brought up to date with Alembic when a store is opened.

Every change of the schema is a revision in versions/ (Alembic's migration scripts); the newest
one is the *head*, and a store records the revision it is at in its table alembic_version.
Opening a store (storage.store.Store) calls upgrade(): a store at head is only asked its
revision; any other is upgraded under the store's write lock (PostgreSQL: an advisory lock;
SQLite: BEGIN IMMEDIATE), in one transaction, so two servers starting at once on one database
upgrade it once and never see half of it.

- A new, empty database gets every table at once (schema.metadata.create_all) and is stamped
  at head; tests/storage/test_migrations.py checks that the revisions from an empty database
  give exactly the same schema.
- A store made before Alembic recorded its version in its own table zi_schema (versions 1 to
  11): revisions 0001 to 0011 are those versions, so such a store is stamped at its version and
  upgraded from there; revision 0012 then drops zi_schema.

Adding a table or a column (docs/storage.md says it at length):
1. change the table in storage/schema.py;
2. `python -m zi_dashboard.storage.migrations revision -m "what it adds"` writes
   versions/<id>_what_it_adds.py on top of head: fill in upgrade() with op.create_table /
   op.add_column (frozen column lists, never the Table objects of schema.py, which change
   later); a second helper landing one first means re-pointing down_revision at the new head;
3. the tests of tests/storage/test_migrations.py then check the revisions against schema.py
   on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from zi_dashboard.reading.caching import cached
from zi_dashboard.storage.engine import write
from zi_dashboard.storage.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# Alembic's command module takes a second to import: it is imported only when a store is not at
# head (an upgrade, once), so a process opening an up-to-date store reads one row and goes on.

FOLDER = Path(__file__).resolve().parent
LEGACY_TABLE = "zi_schema"  # where stores before Alembic recorded their version (1 to 11)
LAST_LEGACY_VERSION = 11


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration of the store's migrations (this folder), on a connection if given
    (else env.py opens ZI_DATABASE_URL's store)."""
    from alembic.config import Config

    cfg = Config(str(FOLDER / "alembic.ini"))
    cfg.set_main_option("script_location", str(FOLDER))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def scripts() -> ScriptDirectory:
    """The revisions (versions/)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(FOLDER))


@cached(maxsize=1)  # one answer per process; the package's one kind of cache
def head() -> str:
    """The newest revision (read once per process from versions/)."""
    found = scripts().get_current_head()
    assert found is not None, "versions/ holds more than one head: re-point a down_revision"
    return found


def legacy_revision(version: int) -> str:
    """The revision standing for a version recorded in zi_schema before Alembic."""
    return f"{version:04d}"


def current(conn: Connection) -> str | None:
    """The revision a store is at (None: not stamped)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def revision(engine: Engine) -> str | None:
    """The revision a store is at, read as one row (None: not stamped, or no store yet)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no such table
        return None


def upgrade(engine: Engine) -> None:
    """Bring the store to head, one process at a time (see the module's note)."""
    if revision(engine) == head():
        return
    with write(engine) as conn:
        _upgrade(conn)


def _upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    at = current(conn)
    if at == head():
        return  # another process did it while this one waited for the lock
    if at is None:
        tables = set(inspect(conn).get_table_names())
        if LEGACY_TABLE in tables:
            version = conn.execute(text(f"SELECT MAX(version) FROM {LEGACY_TABLE}")).scalar() or 1
            if not 1 <= version <= LAST_LEGACY_VERSION:
                raise RuntimeError(f"{LEGACY_TABLE} says version {version}, which no release wrote")
            MigrationContext.configure(conn).stamp(scripts(), legacy_revision(version))
        elif not tables & set(metadata.tables):
            metadata.create_all(conn)
            MigrationContext.configure(conn).stamp(scripts(), head())
            return
        else:
            raise RuntimeError("the database holds the dashboard's tables but no record of their revision")
    command.upgrade(config(conn), "head")
