"""Where accepted uploads are kept: a database through SQLAlchemy.

SQLite in data/store/ is the embedded default; ZI_DATABASE_URL points the same code at another
database (PostgreSQL), so several copies of the dashboard can share one store.

- Every accepted progress file is a *snapshot*, stored whole: original bytes, SHA-256, file
  name, who, when, its position date, its parsed rows, and the plan it was read against.
- Plan files are stored and versioned the same way.
- What is in use is decided by an append-only log of *events* (upload, restore): the data in
  use is the snapshot named by the newest event.  Nothing is updated in place or deleted.
- A snapshot, its rows and its event are written in one transaction, after the file has been
  read and validated completely; a process killed mid-save leaves the store as it was.
- An identical file (same SHA-256) is stored once: the database refuses a second copy.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
from sqlalchemy import (Column, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData,
                        String, Table, Text, UniqueConstraint, create_engine, event, func, insert,
                        select)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from zi_dashboard.reading.plan import BUNDLED_PLAN, DATA_DIR

SCHEMA_VERSION = 5  # 3 and 4 are the lead's (login attempts, upload summaries); 5: self-assessments
DEFAULT_DB = DATA_DIR / "store" / "zi-dashboard.sqlite"
SYSTEM_USER = "sistem"

metadata = MetaData()
schema_info = Table(
    "zi_schema", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
plans = Table(
    "zi_plans", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("filename", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(120), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)
snapshots = Table(
    "zi_snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("zi_plans.id"), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(120), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("position_date", Date, nullable=True),
    UniqueConstraint("sha256", name="uq_zi_snapshots_sha256"),
)
snapshot_rows = Table(
    "zi_snapshot_rows", metadata,
    Column("snapshot_id", Integer, ForeignKey("zi_snapshots.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("row", Integer, nullable=False),
    Column("code", String(32), nullable=False),
    Column("progress", Float, nullable=False),
    Column("activity", Text, nullable=False, default=""),
    Column("pic", Text, nullable=False, default=""),
    Column("status_reported", Text, nullable=False, default=""),
    Column("evidence", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
)
events = Table(
    "zi_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),          # upload | restore
    Column("snapshot_id", Integer, ForeignKey("zi_snapshots.id"), nullable=False),
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
credentials = Table(  # schema version 2: the generated editor's password hash (never the password)
    "zi_credentials", metadata,
    Column("name", String(120), primary_key=True),
    Column("hash", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
assessments = Table(  # schema version 5: the self-assessment (penilaian mandiri), append-only
    "zi_assessments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answers", Text, nullable=False),           # JSON: field code -> number (reading/assessment.py)
    Column("source", String(255), nullable=False),     # a file name, or how it was entered
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
ROW_FIELDS = ["row", "code", "activity", "pic", "progress", "status_reported", "evidence", "notes"]

# migrations: version -> function(conn) bringing the schema from version-1 to version
MIGRATIONS: dict[int, callable] = {
    2: lambda conn: credentials.create(conn, checkfirst=True),
}
MIGRATIONS[5] = lambda conn: assessments.create(conn, checkfirst=True)


@dataclass(frozen=True)
class Snapshot:
    id: int
    plan_id: int
    filename: str
    sha256: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    position_date: date | None
    content: bytes = b""


@dataclass(frozen=True)
class StoredPlan:
    id: int
    filename: str
    sha256: str
    content: bytes
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    snapshot_id: int
    by: str
    at: datetime


@dataclass(frozen=True)
class StoredAssessment:
    id: int
    values: str          # JSON, field code -> number
    source: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Saved:
    snapshot: Snapshot
    duplicate: bool  # True: an identical file was already stored; nothing was written


def database_url() -> str:
    url = os.environ.get("ZI_DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB}"


def _utc(at: datetime | None) -> datetime | None:
    if at is not None and at.tzinfo is None:
        return at.replace(tzinfo=timezone.utc)
    return at


def _sqlite_connect(dbapi_conn, _record) -> None:
    # let us issue BEGIN IMMEDIATE ourselves: writers queue on the lock instead of failing
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            self.engine: Engine = create_engine(self.url, connect_args={"timeout": 60})
            event.listen(self.engine, "connect", _sqlite_connect)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self._migrate()

    # --- transactions ------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction that holds the store's write lock from its start (SQLite: BEGIN
        IMMEDIATE; PostgreSQL: a transaction-level advisory lock), so concurrent writers queue
        and everything they write comes in one order."""
        with self.engine.begin() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:  # one writer at a time: snapshot ids and events come in the same order
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(715002)")
            yield conn

    def _migrate(self) -> None:
        """Create the schema on first start and bring it to SCHEMA_VERSION, one process at a time."""
        with self._write() as conn:
            metadata.create_all(conn)
            current = conn.execute(select(func.max(schema_info.c.version))).scalar() or 0
            for version in range(current + 1, SCHEMA_VERSION + 1):
                if version in MIGRATIONS:
                    MIGRATIONS[version](conn)
                conn.execute(insert(schema_info).values(version=version, applied_at=datetime.now(timezone.utc)))

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(schema_info.c.version))).scalar())

    # --- plans -------------------------------------------------------------------------
    def save_plan(self, content: bytes, filename: str, uploaded_by: str) -> StoredPlan:
        """Store a plan file (once per content) and return it."""
        sha = hashlib.sha256(content).hexdigest()
        existing = self._plan_by_sha(sha)
        if existing:
            return existing
        try:
            with self._write() as conn:
                conn.execute(insert(plans).values(filename=filename[:255], sha256=sha, content=content,
                                                  uploaded_by=uploaded_by[:120],
                                                  uploaded_at=datetime.now(timezone.utc)))
        except IntegrityError:
            pass  # stored by someone else at the same moment
        return self._plan_by_sha(sha)

    def _plan_by_sha(self, sha: str) -> StoredPlan | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(plans).where(plans.c.sha256 == sha)).first()
        return StoredPlan(r.id, r.filename, r.sha256, bytes(r.content), r.uploaded_by, _utc(r.uploaded_at)) if r else None

    def plan(self, plan_id: int) -> StoredPlan:
        with self.engine.connect() as conn:
            r = conn.execute(select(plans).where(plans.c.id == plan_id)).one()
        return StoredPlan(r.id, r.filename, r.sha256, bytes(r.content), r.uploaded_by, _utc(r.uploaded_at))

    def latest_plan(self) -> StoredPlan:
        """The newest stored plan; the bundled plan is stored on first use."""
        with self.engine.connect() as conn:
            r = conn.execute(select(plans.c.id).order_by(plans.c.id.desc()).limit(1)).first()
        if r is None:
            return self.save_plan(BUNDLED_PLAN.read_bytes(), BUNDLED_PLAN.name, SYSTEM_USER)
        return self.plan(r.id)

    # --- snapshots ---------------------------------------------------------------------
    @staticmethod
    def _snapshot(r, content: bool = False) -> Snapshot:
        return Snapshot(r.id, r.plan_id, r.filename, r.sha256, r.size, r.uploaded_by, _utc(r.uploaded_at),
                        r.position_date, bytes(r.content) if content else b"")

    def find_by_sha(self, sha: str) -> Snapshot | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(*_META).where(snapshots.c.sha256 == sha)).first()
        return self._snapshot(r) if r else None

    def save(self, content: bytes, filename: str, uploaded_by: str, position_date: date | None,
             rows: pd.DataFrame, plan_id: int) -> Saved:
        """Store an already validated file, its rows and an upload event, in one transaction.
        An identical file already stored is not stored again (duplicate=True)."""
        sha = hashlib.sha256(content).hexdigest()
        existing = self.find_by_sha(sha)
        if existing:
            return Saved(existing, True)
        now = datetime.now(timezone.utc)
        records = [
            {"seq": i, "row": int(r.row), "code": str(r.code), "progress": float(r.progress),
             "activity": str(r.activity), "pic": str(r.pic), "status_reported": str(r.status_reported),
             "evidence": str(r.evidence), "notes": str(r.notes)}
            for i, r in enumerate(rows.itertuples(index=False))
        ]
        try:
            with self._write() as conn:
                new_id = conn.execute(insert(snapshots).values(
                    plan_id=plan_id, filename=filename[:255], sha256=sha, size=len(content), content=content,
                    uploaded_by=uploaded_by[:120], uploaded_at=now, position_date=position_date,
                ).returning(snapshots.c.id)).scalar_one()
                if records:
                    conn.execute(insert(snapshot_rows), [dict(r, snapshot_id=new_id) for r in records])
                conn.execute(insert(events).values(kind="upload", snapshot_id=new_id, by=uploaded_by[:120], at=now))
        except IntegrityError:
            existing = self.find_by_sha(sha)  # the same file saved by someone else just now
            if existing:
                return Saved(existing, True)
            raise
        return Saved(Snapshot(new_id, plan_id, filename[:255], sha, len(content), uploaded_by[:120], now,
                              position_date, content), False)

    def restore(self, snapshot_id: int, by: str) -> Event:
        """Make an earlier snapshot the data in use again: a recorded event, nothing deleted."""
        now = datetime.now(timezone.utc)
        with self._write() as conn:
            conn.execute(select(snapshots.c.id).where(snapshots.c.id == snapshot_id)).one()
            eid = conn.execute(insert(events).values(kind="restore", snapshot_id=snapshot_id, by=by[:120], at=now)
                               .returning(events.c.id)).scalar_one()
        return Event(eid, "restore", snapshot_id, by[:120], now)

    def current_id(self) -> tuple[int, int] | None:
        """(event id, snapshot id) of the data in use, read cheaply."""
        with self.engine.connect() as conn:
            r = conn.execute(select(events.c.id, events.c.snapshot_id).order_by(events.c.id.desc()).limit(1)).first()
        return (r.id, r.snapshot_id) if r else None

    def current(self) -> Snapshot | None:
        ident = self.current_id()
        return self.snapshot(ident[1], content=True) if ident else None

    def snapshot(self, snapshot_id: int, content: bool = False) -> Snapshot:
        cols = [snapshots] if content else _META
        with self.engine.connect() as conn:
            r = conn.execute(select(*cols).where(snapshots.c.id == snapshot_id)).one()
        return self._snapshot(r, content)

    def rows(self, snapshot_id: int) -> pd.DataFrame:
        """The parsed rows of a snapshot, as read_progress returned them."""
        with self.engine.connect() as conn:
            rs = conn.execute(select(snapshot_rows).where(snapshot_rows.c.snapshot_id == snapshot_id)
                              .order_by(snapshot_rows.c.seq)).all()
        frame = pd.DataFrame([{f: getattr(r, f) for f in ROW_FIELDS} for r in rs], columns=ROW_FIELDS)
        frame["progress"] = frame["progress"].astype(float)
        frame["row"] = frame["row"].astype(int)
        return frame

    def list(self) -> list[Snapshot]:
        """Every snapshot, newest first (no content)."""
        with self.engine.connect() as conn:
            rs = conn.execute(select(*_META).order_by(snapshots.c.id.desc())).all()
        return [self._snapshot(r) for r in rs]

    def events(self) -> list[Event]:
        with self.engine.connect() as conn:
            rs = conn.execute(select(events).order_by(events.c.id)).all()
        return [Event(r.id, r.kind, r.snapshot_id, r.by, _utc(r.at)) for r in rs]

    # --- the generated editor ------------------------------------------------------------
    def stored_editors(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {r.name: r.hash for r in conn.execute(select(credentials)).all()}

    def create_editor(self, name: str, password_hash: str) -> bool:
        """Store an editor's hash unless one of that name exists; True when this call stored it."""
        try:
            with self._write() as conn:
                if conn.execute(select(credentials.c.name).where(credentials.c.name == name)).first():
                    return False
                conn.execute(insert(credentials).values(name=name, hash=password_hash,
                                                        created_at=datetime.now(timezone.utc)))
            return True
        except IntegrityError:
            return False

    def replace_editor(self, name: str, password_hash: str) -> None:
        with self._write() as conn:
            conn.execute(credentials.delete().where(credentials.c.name == name))
            conn.execute(insert(credentials).values(name=name, hash=password_hash, created_at=datetime.now(timezone.utc)))

    # --- the self-assessment (schema version 5) -------------------------------------------
    def save_assessment(self, values_json: str, source: str, by: str) -> StoredAssessment:
        """Keep an already validated self-assessment; the newest one is in use.  Nothing is
        updated or deleted."""
        now = datetime.now(timezone.utc)
        with self._write() as conn:
            new_id = conn.execute(insert(assessments).values(
                answers=values_json, source=source[:255], by=by[:120], at=now).returning(assessments.c.id)).scalar_one()
        return StoredAssessment(new_id, values_json, source[:255], by[:120], now)

    def latest_assessment(self) -> StoredAssessment | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(assessments).order_by(assessments.c.id.desc()).limit(1)).first()
        return StoredAssessment(r.id, r.answers, r.source, r.by, _utc(r.at)) if r else None

    def assessments(self) -> list[StoredAssessment]:
        """Every saved self-assessment, newest first."""
        with self.engine.connect() as conn:
            rs = conn.execute(select(assessments).order_by(assessments.c.id.desc())).all()
        return [StoredAssessment(r.id, r.answers, r.source, r.by, _utc(r.at)) for r in rs]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(snapshots)).scalar())

    def dispose(self) -> None:
        self.engine.dispose()


_META = [c for c in snapshots.c if c.name != "content"]


def open_store(url: str | None = None) -> Store:
    return Store(url)


__all__ = ["Store", "Snapshot", "StoredPlan", "Event", "Saved", "open_store", "database_url",
           "SCHEMA_VERSION", "Path"]
