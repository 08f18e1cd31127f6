# The store module as main had it before units and years (commit 614d77d, schema version 6),
# kept verbatim so tests can build a store exactly as that version made it and migrate it.
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
- With each snapshot, in the same transaction, what counting needs of it later: its summary per
  plan row (metrics.summarise) and its overall and per-component figures at its own date
  (metrics.figures), so history never reads rows back to recount them.  Migration 4 builds
  both for snapshots stored before; Store.rebuild_summaries rebuilds them from the kept rows.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from zi_dashboard.counting.history import snapshot_date
from zi_dashboard.counting.metrics import DONE_, OVERDUE_, TEXT_FIELDS, Summary, figures, plan_arrays, summarise
from zi_dashboard.reading.plan import BUNDLED_PLAN, DATA_DIR, Plan, plan_from_bytes

SCHEMA_VERSION = 6
DEFAULT_DB = DATA_DIR / "store" / "zi-dashboard.sqlite"
SYSTEM_USER = "sistem"

metadata = MetaData()
schema_info = Table(
    "zi_schema",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
plans = Table(
    "zi_plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("filename", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(120), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)
snapshots = Table(
    "zi_snapshots",
    metadata,
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
    "zi_snapshot_rows",
    metadata,
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
    "zi_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # upload | restore
    Column("snapshot_id", Integer, ForeignKey("zi_snapshots.id"), nullable=False),
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
credentials = Table(  # schema version 2: the generated editor's password hash (never the password)
    "zi_credentials",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("hash", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
login_attempts = Table(  # schema version 3: wrong logins per editor name and per client address
    "zi_login_attempts",
    metadata,
    Column("key", String(200), primary_key=True),  # "editor:<name>" | "ip:<address>"
    Column("failures", Integer, nullable=False),
    Column("locked_until", Float, nullable=False),  # seconds since the epoch (0: not locked)
    Column("updated_at", Float, nullable=False),  # seconds since the epoch, last wrong try
)
# the attempts table stays small: rows idle this long (and no longer locked) are forgotten,
# and beyond MAX_ATTEMPT_ROWS the rows idle longest go first
ATTEMPT_IDLE_SECONDS = 24 * 3600
MAX_ATTEMPT_ROWS = 5000
snapshot_summary = Table(  # schema version 4: per upload and plan row, what metrics.summarise counts
    "zi_snapshot_summary",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("zi_snapshots.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # the plan row's position in its plan
    Column("code", String(32), nullable=False),
    Column("progress", Float, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("pic", Text, nullable=False, default=""),
    Column("evidence", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("status_reported", Text, nullable=False, default=""),
)
snapshot_figures = Table(  # schema version 4: per upload, its figures at its own date (metrics.figures)
    "zi_snapshot_figures",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("zi_snapshots.id"), primary_key=True),
    Column("part", String(32), primary_key=True),  # "" overall, else a component code
    Column("completion", Float, nullable=False),
    Column("planned", Float, nullable=False),
    Column("done", Integer, nullable=False),
    Column("overdue", Integer, nullable=False),
)
assessments = Table(  # schema version 5: the self-assessment (penilaian mandiri), append-only
    "zi_assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answers", Text, nullable=False),  # JSON: field code -> number (reading/assessment.py)
    Column("source", String(255), nullable=False),  # a file name, or how it was entered
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
position_corrections = Table(  # schema version 6: an editor's correction of an upload's position date
    "zi_position_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("zi_snapshots.id"), nullable=False),
    Column("position_date", Date, nullable=False),  # the date from now on
    Column("previous", Date, nullable=True),  # the date it replaced
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
ROW_FIELDS = ["row", "code", "activity", "pic", "progress", "status_reported", "evidence", "notes"]

# migrations: version -> function(conn) bringing the schema from version-1 to version
MIGRATIONS: dict[int, callable] = {
    2: lambda conn: credentials.create(conn, checkfirst=True),
    3: lambda conn: login_attempts.create(conn, checkfirst=True),
}
MIGRATIONS[5] = lambda conn: assessments.create(conn, checkfirst=True)


def _summary_records(snapshot_id: int, plan: Plan, rows: pd.DataFrame | None) -> tuple[list[dict], Summary]:
    """The summary rows of one upload: metrics.summarise, the counting pages use."""
    summary = summarise(plan, rows)
    texts = summary.texts
    return [
        {
            "snapshot_id": snapshot_id,
            "seq": i,
            "code": str(code),
            "progress": float(summary.progress[i]),
            "rows": int(summary.rows[i]),
            **{k: str(texts[k][i]) for k in TEXT_FIELDS},
        }
        for i, code in enumerate(plan.codes)
    ], summary


def _figure_records(plan: Plan, snapshot_ids: list[int], dates: list[date], progress: np.ndarray) -> list[dict]:
    """The overall and per-component figures of uploads of one plan, each at its own date, in
    one pass (metrics.figures: what compute counts)."""
    a = plan_arrays(plan)
    fig = figures(a, progress, np.array([d.toordinal() for d in dates], dtype=np.int64))
    done, overdue = (fig.status == DONE_).astype(np.int64), (fig.status == OVERDUE_).astype(np.int64)
    comp_done, comp_overdue = done @ a.membership, overdue @ a.membership
    records = []
    for i, sid in enumerate(snapshot_ids):
        records.append(
            {
                "snapshot_id": sid,
                "part": "",
                "completion": float(fig.overall_completion[i]),
                "planned": float(fig.overall_planned[i]),
                "done": int(done[i].sum()),
                "overdue": int(overdue[i].sum()),
            }
        )
        records.extend(
            {
                "snapshot_id": sid,
                "part": str(code),
                "completion": float(fig.completion[i, k]),
                "planned": float(fig.component_planned[i, k]),
                "done": int(comp_done[i, k]),
                "overdue": int(comp_overdue[i, k]),
            }
            for k, code in enumerate(a.component_codes)
        )
    return records


def rebuild_summaries(conn: Connection) -> int:
    """(Re)write the summary and the figures of every stored upload from its kept rows;
    returns how many uploads."""
    conn.execute(snapshot_figures.delete())
    conn.execute(snapshot_summary.delete())
    plans_by_id = {
        r.id: plan_from_bytes(bytes(r.content), r.filename)
        for r in conn.execute(select(plans.c.id, plans.c.content, plans.c.filename)).all()
    }
    snaps = conn.execute(
        select(snapshots.c.id, snapshots.c.plan_id, _position(), snapshots.c.uploaded_at).order_by(snapshots.c.id)
    ).all()
    rows = pd.DataFrame(
        conn.execute(
            select(snapshot_rows.c.snapshot_id, *[snapshot_rows.c[f] for f in ROW_FIELDS]).order_by(
                snapshot_rows.c.snapshot_id, snapshot_rows.c.seq
            )
        ).all(),
        columns=["snapshot_id", *ROW_FIELDS],
    )
    by_snapshot = dict(iter(rows.groupby("snapshot_id", sort=False))) if len(rows) else {}
    for plan_id in sorted({s.plan_id for s in snaps}):
        plan, own = plans_by_id[plan_id], [s for s in snaps if s.plan_id == plan_id]
        summaries = []
        for snap in own:
            kept = by_snapshot.get(snap.id)
            if kept is not None:
                kept = _row_frame(kept[ROW_FIELDS].reset_index(drop=True))
            records, summary = _summary_records(snap.id, plan, kept)
            if records:
                conn.execute(insert(snapshot_summary), records)
            summaries.append(summary.progress)
        figures_ = _figure_records(
            plan,
            [s.id for s in own],
            [snapshot_date(s.position_date, _utc(s.uploaded_at)) for s in own],
            np.array(summaries, dtype=float).reshape(len(own), len(plan.codes)),
        )
        if figures_:
            conn.execute(insert(snapshot_figures), figures_)
    return len(snaps)


def _add_corrections(conn: Connection) -> None:
    position_corrections.create(conn, checkfirst=True)


# version 6 (version 5 is another branch's table; whatever it is runs first): corrections of
# position dates, kept as events beside the upload
MIGRATIONS[6] = _add_corrections


# version 3 is another table (added alongside); version 4 keeps each upload's summary and
# figures, and builds them for every upload already stored
MIGRATIONS[4] = rebuild_summaries


def _position():
    """An upload's position date: the newest correction, else the date given at upload.
    (A function: the correction table is created by migration 6, after version 4 ran.)"""
    newest = (
        select(position_corrections.c.position_date)
        .where(position_corrections.c.snapshot_id == snapshots.c.id)
        .order_by(position_corrections.c.id.desc())
        .limit(1)
        .correlate(snapshots)
        .scalar_subquery()
    )
    return func.coalesce(newest, snapshots.c.position_date).label("position_date")


@dataclass(frozen=True)
class Correction:
    """An editor's correction of an upload's position date."""

    id: int
    snapshot_id: int
    position_date: date
    previous: date | None
    by: str
    at: datetime


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
    values: str  # JSON, field code -> number
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
    _chmod(DEFAULT_DB.parent, 0o700)  # password hashes and every upload: the owner only
    return f"sqlite:///{DEFAULT_DB}"


def _sqlite_path(url: str) -> Path | None:
    """The database file of a sqlite URL (None for an in-memory database)."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    return Path(database) if database and database != ":memory:" and not database.startswith("file:") else None


def _private_files(db: Path) -> None:
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
            _chmod(f, 0o600)


def _chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(PermissionError):  # another user's file (a shared deployment): left as set
        os.chmod(path, mode)


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\u2028\u2029]")


def clean_filename(name: str) -> str:
    """A stored file name without control characters or path separators."""
    name = _UNSAFE_NAME.sub("", str(name or "")).strip()
    return name[:255] or "berkas"


def _utc(at: datetime | None) -> datetime | None:
    if at is not None and at.tzinfo is None:
        return at.replace(tzinfo=UTC)
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
        # a stored plan never changes: each is read once per store object (a few at most)
        self.parsed_plan = lru_cache(maxsize=16)(self._parse_plan)
        if self.is_sqlite:
            db = _sqlite_path(self.url)
            if db is not None:
                _private_files(db)
            self.engine: Engine = create_engine(self.url, connect_args={"timeout": 60})
            event.listen(self.engine, "connect", _sqlite_connect)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self._migrate()
        if self.is_sqlite and db is not None:
            _private_files(db)  # the -wal/-shm files now exist too

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
                conn.execute(insert(schema_info).values(version=version, applied_at=datetime.now(UTC)))

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(schema_info.c.version))).scalar())

    # --- plans -------------------------------------------------------------------------
    def save_plan(self, content: bytes, filename: str, uploaded_by: str) -> StoredPlan:
        """Store a plan file (once per content) and return it."""
        sha = hashlib.sha256(content).hexdigest()
        filename = clean_filename(filename)
        existing = self._plan_by_sha(sha)
        if existing:
            return existing
        try:
            with self._write() as conn:
                conn.execute(
                    insert(plans).values(
                        filename=filename[:255],
                        sha256=sha,
                        content=content,
                        uploaded_by=uploaded_by[:120],
                        uploaded_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            pass  # stored by someone else at the same moment
        return self._plan_by_sha(sha)

    def _plan_by_sha(self, sha: str) -> StoredPlan | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(plans).where(plans.c.sha256 == sha)).first()
        if r is None:
            return None
        return StoredPlan(r.id, r.filename, r.sha256, bytes(r.content), r.uploaded_by, _utc(r.uploaded_at))

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
        return Snapshot(
            r.id,
            r.plan_id,
            r.filename,
            r.sha256,
            r.size,
            r.uploaded_by,
            _utc(r.uploaded_at),
            r.position_date,
            bytes(r.content) if content else b"",
        )

    def find_by_sha(self, sha: str) -> Snapshot | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(*_meta()).where(snapshots.c.sha256 == sha)).first()
        return self._snapshot(r) if r else None

    def save(
        self,
        content: bytes,
        filename: str,
        uploaded_by: str,
        position_date: date | None,
        rows: pd.DataFrame,
        plan_id: int,
    ) -> Saved:
        """Store an already validated file, its rows and an upload event, in one transaction.
        An identical file already stored is not stored again (duplicate=True)."""
        sha = hashlib.sha256(content).hexdigest()
        filename = clean_filename(filename)
        existing = self.find_by_sha(sha)
        if existing:
            return Saved(existing, True)
        now = datetime.now(UTC)
        plan = self.parsed_plan(plan_id)
        # counted before the write lock is taken; the snapshot id is filled in below
        summary, counted = _summary_records(0, plan, rows)
        figures_ = _figure_records(plan, [0], [snapshot_date(position_date, now)], counted.progress[None, :])
        records = [
            {
                "seq": i,
                "row": int(r.row),
                "code": str(r.code),
                "progress": float(r.progress),
                "activity": str(r.activity),
                "pic": str(r.pic),
                "status_reported": str(r.status_reported),
                "evidence": str(r.evidence),
                "notes": str(r.notes),
            }
            for i, r in enumerate(rows.itertuples(index=False))
        ]
        try:
            with self._write() as conn:
                new_id = conn.execute(
                    insert(snapshots)
                    .values(
                        plan_id=plan_id,
                        filename=filename[:255],
                        sha256=sha,
                        size=len(content),
                        content=content,
                        uploaded_by=uploaded_by[:120],
                        uploaded_at=now,
                        position_date=position_date,
                    )
                    .returning(snapshots.c.id)
                ).scalar_one()
                if records:
                    conn.execute(insert(snapshot_rows), [dict(r, snapshot_id=new_id) for r in records])
                if summary:
                    conn.execute(insert(snapshot_summary), [dict(r, snapshot_id=new_id) for r in summary])
                    conn.execute(insert(snapshot_figures), [dict(r, snapshot_id=new_id) for r in figures_])
                conn.execute(insert(events).values(kind="upload", snapshot_id=new_id, by=uploaded_by[:120], at=now))
        except IntegrityError:
            existing = self.find_by_sha(sha)  # the same file saved by someone else just now
            if existing:
                return Saved(existing, True)
            raise
        return Saved(
            Snapshot(
                new_id, plan_id, filename[:255], sha, len(content), uploaded_by[:120], now, position_date, content
            ),
            False,
        )

    def restore(self, snapshot_id: int, by: str) -> Event:
        """Make an earlier snapshot the data in use again: a recorded event, nothing deleted."""
        now = datetime.now(UTC)
        with self._write() as conn:
            conn.execute(select(snapshots.c.id).where(snapshots.c.id == snapshot_id)).one()
            eid = conn.execute(
                insert(events)
                .values(kind="restore", snapshot_id=snapshot_id, by=by[:120], at=now)
                .returning(events.c.id)
            ).scalar_one()
        return Event(eid, "restore", snapshot_id, by[:120], now)

    def correct_position(self, snapshot_id: int, position_date: date, by: str) -> Correction:
        """Set an upload's position date (a recorded correction; the date given at upload stays
        stored) and recount the figures kept of it at the new date, in one transaction."""
        snap = self.snapshot(snapshot_id)
        plan = self.parsed_plan(snap.plan_id)
        now = datetime.now(UTC)
        with self._write() as conn:
            previous = conn.execute(select(_position()).where(snapshots.c.id == snapshot_id)).scalar_one()
            progress = [
                r.progress
                for r in conn.execute(
                    select(snapshot_summary.c.progress)
                    .where(snapshot_summary.c.snapshot_id == snapshot_id)
                    .order_by(snapshot_summary.c.seq)
                ).all()
            ]
            cid = conn.execute(
                insert(position_corrections)
                .values(snapshot_id=snapshot_id, position_date=position_date, previous=previous, by=by[:120], at=now)
                .returning(position_corrections.c.id)
            ).scalar_one()
            if len(progress) == len(plan.codes):
                conn.execute(snapshot_figures.delete().where(snapshot_figures.c.snapshot_id == snapshot_id))
                figures_ = _figure_records(
                    plan, [snapshot_id], [position_date], np.array(progress, dtype=float)[None, :]
                )
                conn.execute(insert(snapshot_figures), [dict(r, snapshot_id=snapshot_id) for r in figures_])
        return Correction(cid, snapshot_id, position_date, previous, by[:120], now)

    def corrections(self) -> list[Correction]:
        """Every correction of a position date, oldest first."""
        with self.engine.connect() as conn:
            rs = conn.execute(select(position_corrections).order_by(position_corrections.c.id)).all()
        return [Correction(r.id, r.snapshot_id, r.position_date, r.previous, r.by, _utc(r.at)) for r in rs]

    def current_id(self) -> tuple[int, int] | None:
        """(event id, snapshot id) of the data in use, read cheaply."""
        with self.engine.connect() as conn:
            r = conn.execute(select(events.c.id, events.c.snapshot_id).order_by(events.c.id.desc()).limit(1)).first()
        return (r.id, r.snapshot_id) if r else None

    def current(self) -> Snapshot | None:
        ident = self.current_id()
        return self.snapshot(ident[1], content=True) if ident else None

    def snapshot(self, snapshot_id: int, content: bool = False) -> Snapshot:
        cols = [*_meta(), snapshots.c.content] if content else _meta()
        with self.engine.connect() as conn:
            r = conn.execute(select(*cols).where(snapshots.c.id == snapshot_id)).one()
        return self._snapshot(r, content)

    def rows(self, snapshot_id: int) -> pd.DataFrame:
        """The parsed rows of a snapshot, as read_progress returned them."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                select(snapshot_rows).where(snapshot_rows.c.snapshot_id == snapshot_id).order_by(snapshot_rows.c.seq)
            ).all()
        return _row_frame(pd.DataFrame([{f: getattr(r, f) for f in ROW_FIELDS} for r in rs], columns=ROW_FIELDS))

    def _parse_plan(self, plan_id: int) -> Plan:
        """A stored plan, read (`parsed_plan` keeps the last few).  Stored plans are trusted:
        each passed the sandboxed reading (or is the bundled plan) when it was stored."""
        stored = self.plan(plan_id)
        return plan_from_bytes(stored.content, stored.filename)

    def summary(self, snapshot_id: int) -> Summary | None:
        """What metrics.summarise counted of a snapshot's rows when it was saved (None when the
        store holds no summary of it)."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                select(snapshot_summary)
                .where(snapshot_summary.c.snapshot_id == snapshot_id)
                .order_by(snapshot_summary.c.seq)
            ).all()
        if not rs:
            return None
        return Summary(
            np.array([r.progress for r in rs], dtype=float),
            np.array([r.rows for r in rs], dtype=np.int64),
            texts={k: np.array([getattr(r, k) for r in rs], dtype=object) for k in TEXT_FIELDS},
        )

    def summary_progress(self) -> dict[int, np.ndarray]:
        """Every stored snapshot's progress per plan row (in plan order), in one query."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                select(snapshot_summary.c.snapshot_id, snapshot_summary.c.progress).order_by(
                    snapshot_summary.c.snapshot_id, snapshot_summary.c.seq
                )
            ).all()
        if not rs:
            return {}
        ids = np.fromiter((r[0] for r in rs), dtype=np.int64, count=len(rs))
        values = np.fromiter((r[1] for r in rs), dtype=float, count=len(rs))
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        return {int(i): part for i, part in zip(ids[starts], np.split(values, starts[1:]), strict=False)}

    def figure_series(self, part: str = "") -> dict[int, float]:
        """Every stored upload's completion at its own date, overall ("") or of one component,
        in one query."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                select(snapshot_figures.c.snapshot_id, snapshot_figures.c.completion).where(
                    snapshot_figures.c.part == part
                )
            ).all()
        return {r[0]: r[1] for r in rs}

    def figures(self, snapshot_id: int) -> pd.DataFrame:
        """The figures kept of one upload: part ("" overall, else a component), completion,
        planned, done, overdue."""
        with self.engine.connect() as conn:
            rs = conn.execute(select(snapshot_figures).where(snapshot_figures.c.snapshot_id == snapshot_id)).all()
        return pd.DataFrame([r._asdict() for r in rs], columns=[c.name for c in snapshot_figures.c])

    def rebuild_summaries(self) -> int:
        """Rewrite every upload's summary and figures from its kept rows (what migration 4 does)."""
        with self._write() as conn:
            return rebuild_summaries(conn)

    def list(self) -> list[Snapshot]:
        """Every snapshot, newest first (no content)."""
        with self.engine.connect() as conn:
            rs = conn.execute(select(*_meta()).order_by(snapshots.c.id.desc())).all()
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
                conn.execute(insert(credentials).values(name=name, hash=password_hash, created_at=datetime.now(UTC)))
            return True
        except IntegrityError:
            return False

    def replace_editor(self, name: str, password_hash: str) -> None:
        with self._write() as conn:
            conn.execute(credentials.delete().where(credentials.c.name == name))
            conn.execute(insert(credentials).values(name=name, hash=password_hash, created_at=datetime.now(UTC)))

    # --- wrong logins, shared by every session, process and replica ---------------------
    def login_wait(self, keys: list[str], now: float) -> float:
        """Seconds until any of these keys (editor name, client address) may try again."""
        with self.engine.connect() as conn:
            until = conn.execute(
                select(func.max(login_attempts.c.locked_until)).where(login_attempts.c.key.in_([k[:200] for k in keys]))
            ).scalar()
        return max(0.0, (until or 0.0) - now)

    def login_failed(self, keys: list[str], now: float, lock_seconds) -> tuple[int, float]:
        """Count a wrong try against every key; lock_seconds(failures) says how long a key then
        waits (0: not yet).  Returns the highest failure count and the wait, over the keys."""
        most, wait = 0, 0.0
        with self._write() as conn:
            conn.execute(
                delete(login_attempts).where(
                    login_attempts.c.updated_at < now - ATTEMPT_IDLE_SECONDS, login_attempts.c.locked_until < now
                )
            )
            for key in dict.fromkeys(k[:200] for k in keys):
                row = conn.execute(select(login_attempts).where(login_attempts.c.key == key)).first()
                failures = (row.failures if row else 0) + 1
                seconds = lock_seconds(failures)
                until = now + seconds if seconds > 0 else 0.0
                values = dict(failures=failures, locked_until=until, updated_at=now)
                if row:
                    conn.execute(update(login_attempts).where(login_attempts.c.key == key).values(**values))
                else:
                    conn.execute(insert(login_attempts).values(key=key, **values))
                most, wait = max(most, failures), max(wait, seconds)
            n = conn.execute(select(func.count()).select_from(login_attempts)).scalar()
            if n > MAX_ATTEMPT_ROWS:
                oldest = (
                    select(login_attempts.c.key)
                    .order_by(login_attempts.c.updated_at)
                    .limit(n - MAX_ATTEMPT_ROWS)
                    .scalar_subquery()
                )
                conn.execute(delete(login_attempts).where(login_attempts.c.key.in_(oldest)))
        return most, wait

    def login_succeeded(self, keys: list[str]) -> None:
        with self._write() as conn:
            conn.execute(delete(login_attempts).where(login_attempts.c.key.in_([k[:200] for k in keys])))

    def login_attempt_rows(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(login_attempts)).scalar())

    # --- the self-assessment (schema version 5) -------------------------------------------
    def save_assessment(self, values_json: str, source: str, by: str) -> StoredAssessment:
        """Keep an already validated self-assessment; the newest one is in use.  Nothing is
        updated or deleted."""
        now = datetime.now(UTC)
        with self._write() as conn:
            new_id = conn.execute(
                insert(assessments)
                .values(answers=values_json, source=source[:255], by=by[:120], at=now)
                .returning(assessments.c.id)
            ).scalar_one()
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


def _meta() -> list:
    """A snapshot's columns but its content, the position date as corrected."""
    return [_position() if c.name == "position_date" else c for c in snapshots.c if c.name != "content"]


def _row_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame["progress"] = frame["progress"].astype(float)
    frame["row"] = frame["row"].astype(int)
    return frame


def open_store(url: str | None = None) -> Store:
    return Store(url)


__all__ = [
    "Store",
    "Snapshot",
    "Correction",
    "StoredPlan",
    "Event",
    "Saved",
    "open_store",
    "database_url",
    "SCHEMA_VERSION",
    "Path",
]
