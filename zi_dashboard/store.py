"""Where accepted uploads are kept: a database through SQLAlchemy.

SQLite in data/store/ is the embedded default; ZI_DATABASE_URL points the same code at another
database (PostgreSQL).  Each accepted file is a snapshot, stored whole (original bytes and
SHA-256) in one transaction, after it has been read and validated completely.  The data in use
is the newest snapshot.  Nothing is ever updated in place or deleted.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import (Column, Date, DateTime, Integer, LargeBinary, MetaData, String, Table,
                        create_engine, event, func, insert, select)
from sqlalchemy.engine import Engine

from .plan import DATA_DIR

SCHEMA_VERSION = 1
DEFAULT_DB = DATA_DIR / "store" / "zi-dashboard.sqlite"

metadata = MetaData()
schema_info = Table(
    "schema_info", metadata,
    Column("version", Integer, primary_key=True),
)
snapshots = Table(
    "snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False, default="progress"),
    Column("filename", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(120), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("position_date", Date, nullable=True),
)


@dataclass(frozen=True)
class Snapshot:
    id: int
    filename: str
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    position_date: date | None
    content: bytes = b""


def database_url() -> str:
    url = os.environ.get("ZI_DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self.engine: Engine = create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    def _migrate(self) -> None:
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            current = conn.execute(select(func.max(schema_info.c.version))).scalar()
            if current is None:
                conn.execute(insert(schema_info).values(version=SCHEMA_VERSION))

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(schema_info.c.version))).scalar())

    @staticmethod
    def _row(r, with_content: bool) -> Snapshot:
        at = r.uploaded_at
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        return Snapshot(id=r.id, filename=r.filename, sha256=r.sha256, uploaded_by=r.uploaded_by,
                        uploaded_at=at, position_date=r.position_date,
                        content=bytes(r.content) if with_content else b"")

    def save(self, content: bytes, filename: str, uploaded_by: str,
             position_date: date | None) -> Snapshot:
        """Store an already validated file as the newest snapshot, in one transaction."""
        sha = hashlib.sha256(content).hexdigest()
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(snapshots).values(
                kind="progress", filename=filename[:255], sha256=sha, content=content,
                uploaded_by=uploaded_by[:120], uploaded_at=now, position_date=position_date,
            ).returning(snapshots.c.id)).scalar_one()
        return Snapshot(new_id, filename[:255], sha, uploaded_by[:120], now, position_date, content)

    def current_id(self) -> tuple[int, str] | None:
        """(id, sha256) of the data in use, without reading its content."""
        with self.engine.connect() as conn:
            r = conn.execute(select(snapshots.c.id, snapshots.c.sha256).where(snapshots.c.kind == "progress")
                             .order_by(snapshots.c.id.desc()).limit(1)).first()
        return (r.id, r.sha256) if r else None

    def current(self) -> Snapshot | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(snapshots).where(snapshots.c.kind == "progress")
                             .order_by(snapshots.c.id.desc()).limit(1)).first()
        return self._row(r, True) if r else None

    def list(self) -> list[Snapshot]:
        cols = [c for c in snapshots.c if c.name != "content"]
        with self.engine.connect() as conn:
            rs = conn.execute(select(*cols).where(snapshots.c.kind == "progress")
                              .order_by(snapshots.c.id.desc())).all()
        return [Snapshot(r.id, r.filename, r.sha256, r.uploaded_by,
                         r.uploaded_at if r.uploaded_at.tzinfo else r.uploaded_at.replace(tzinfo=timezone.utc),
                         r.position_date) for r in rs]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(snapshots)).scalar())

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None) -> Store:
    return Store(url)


__all__ = ["Store", "Snapshot", "open_store", "database_url", "SCHEMA_VERSION", "Path"]
