"""Opening a database: where the store is (ZI_DATABASE_URL, else SQLite under data/store/), the
SQLite settings every connection gets, the store's files kept private, and the write transaction
every change goes through (one writer at a time, on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Connection, Engine, make_url

from zi_dashboard import labels as L
from zi_dashboard.reading.resources import LOCAL

DEFAULT_DB = LOCAL / "data" / "store" / "zi-dashboard.sqlite"
UPLOADS_LOCK = 715002  # PostgreSQL advisory lock of uploads, plans and answers (and migrations)
LOGINS_LOCK = 715003  # logins take their own, so they do not queue behind uploads


def database_url() -> str:
    url = os.environ.get("ZI_DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
    chmod(DEFAULT_DB.parent, 0o700)  # password hashes and every upload: the owner only
    return f"sqlite:///{DEFAULT_DB}"


def sqlite_path(url: str) -> Path | None:
    """The database file of a sqlite URL (None for an in-memory database)."""
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" and not database.startswith("file:") else None


def private_files(db: Path) -> None:
    """The SQLite file and its -wal/-shm companions readable by the owner only (SQLite gives the
    companions the database file's mode); a directory it creates is the owner's only."""
    if not db.parent.exists():
        db.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    if not db.exists():
        # created here with the owner's rights only, whatever the umask (or by another process
        # at the same moment)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(db, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if f.exists():
            chmod(f, 0o600)


def chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(PermissionError):  # another user's file (a shared deployment): left as set
        os.chmod(path, mode)


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\u2028\u2029]")


def clean_filename(name: str) -> str:
    """A stored file name without control characters or path separators."""
    name = _UNSAFE_NAME.sub("", str(name or "")).strip()
    return name[:255] or L.STORAGE["unnamed_file"]


def utc(at: datetime) -> datetime:
    """A time read back from the database, in UTC (SQLite keeps no time zone)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _sqlite_connect(dbapi_conn: Any, _record: object) -> None:
    # let us issue BEGIN IMMEDIATE ourselves: writers queue on the lock instead of failing
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def open_engine(url: str) -> Engine:
    """An engine for the store at `url`; a SQLite file (and its folder) is made the owner's only."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    db = sqlite_path(url)
    if db is not None:
        private_files(db)
    engine = create_engine(url, connect_args={"timeout": 60})
    event.listen(engine, "connect", _sqlite_connect)
    return engine


@contextmanager
def write(engine: Engine, lock: int = UPLOADS_LOCK) -> Iterator[Connection]:
    """A write transaction that holds the store's write lock from its start (SQLite: BEGIN
    IMMEDIATE; PostgreSQL: a transaction-level advisory lock, `lock`: logins take their own,
    so they do not queue behind uploads), so concurrent writers queue and everything they
    write comes in one order."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:  # one writer at a time: snapshot ids and events come in the same order
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(lock)})")
        yield conn


def stamp(engine: Engine, *values: Any) -> tuple[Any, ...]:
    """A few values (scalar subqueries: the newest id of some tables...) asked in one query, as a
    tuple that changes whenever they do."""
    with engine.connect() as conn:
        return tuple(conn.execute(select(*values)).one())
