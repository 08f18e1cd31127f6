"""Where accepted uploads are kept: a database through SQLAlchemy.

SQLite in data/store/ is the embedded default; ZI_DATABASE_URL points the same code at another
database (PostgreSQL), so several copies of the dashboard can share one store.

- Every accepted progress file is a *snapshot*, stored whole: original bytes, SHA-256, file
  name, who, when, its position date, its parsed rows, and the plan it was read against.
- Plan files are stored and versioned the same way.
- What is in use is decided by an append-only log of *events* (upload, restore): the data in
  use is the snapshot named by the newest event.  Nothing is updated in place or deleted.  An
  upload whose position date is older than the data in use's is kept without an event: the
  newer data stays in use until an editor restores the older upload on purpose.
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
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
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
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from zi_dashboard.counting.history import snapshot_date
from zi_dashboard.counting.metrics import DONE_, OVERDUE_, TEXT_FIELDS, Summary, figures, plan_arrays, summarise
from zi_dashboard.reading.plan import (
    BUNDLED_PLAN,
    BUNDLED_UNIT,
    BUNDLED_YEAR,
    Plan,
    plan_from_bytes,
    plan_from_json,
    plan_to_json,
)
from zi_dashboard.reading.resources import LOCAL

SCHEMA_VERSION = 11
DEFAULT_DB = LOCAL / "data" / "store" / "zi-dashboard.sqlite"
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
    Column("parsed", Text, nullable=True),  # schema 7: the plan as read (reading.plan.plan_to_json)
)
# schema version 7: a plan belongs to a unit (satuan kerja) and a year; uploads, events and
# self-assessments belong to one of these work plans.  Plan files stay stored once per content
# (several units may be given the same file); zi_workplan_plans says which file is in use for
# a work plan, newest last.
workplans = Table(
    "zi_workplans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(160), nullable=False),
    Column("year", Integer, nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("unit", "year", name="uq_zi_workplans_unit_year"),
)
workplan_plans = Table(
    "zi_workplan_plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workplan_id", Integer, ForeignKey("zi_workplans.id"), nullable=False),
    Column("plan_id", Integer, ForeignKey("zi_plans.id"), nullable=False),
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_zi_workplan_plans_workplan", "workplan_id", "id"),
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
    Column("workplan_id", Integer, ForeignKey("zi_workplans.id"), nullable=True),  # schema 7
    # schema 8: a file is stored once per work plan (was: once in the store, so a file the same
    # as another unit's upload could not be saved for this unit)
    UniqueConstraint("workplan_id", "sha256", name="uq_zi_snapshots_workplan_sha256"),
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
    Column("workplan_id", Integer, ForeignKey("zi_workplans.id"), nullable=True),  # schema 7
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
editor_sessions = Table(  # schema version 10: an editor's login kept across a browser reload, for a while
    "zi_editor_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 of the token (never the token)
    Column("editor", String(120), nullable=False),
    Column("created_at", Float, nullable=False),  # seconds since the epoch
    Column("expires_at", Float, nullable=False),
    Column("ended_at", Float, nullable=True),  # logged out or revoked (None: still valid until expiry)
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
    Column("workplan_id", Integer, ForeignKey("zi_workplans.id"), nullable=True),  # schema 7
)
lke_answer_sets = Table(  # schema 11: a work plan's LKE answers, one set per save, append-only
    "zi_lke_answer_sets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workplan_id", Integer, ForeignKey("zi_workplans.id"), nullable=False),
    Column("level", String(16), nullable=False),  # unit | tpi
    Column("instrument_year", Integer, nullable=False),
    Column("answers", Text, nullable=False),  # JSON (reading/lke_answers.answers_to_json)
    Column("source", String(255), nullable=False),  # a file name, "aplikasi", "pulihkan #N"
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_zi_lke_answer_sets_workplan", "workplan_id", "level", "id"),
)
lke_instruments = Table(  # schema 11: LKE instruments added by an editor (the bundled ones are data files)
    "zi_lke_instruments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content", Text, nullable=False),  # the questions CSV, as given
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
# schema 7: what a work plan's questions read (its uploads, its newest event, its assessment)
INDEXES = [
    Index("ix_zi_snapshots_workplan", snapshots.c.workplan_id, snapshots.c.id),
    Index("ix_zi_events_workplan", events.c.workplan_id, events.c.id),
    Index("ix_zi_assessments_workplan", assessments.c.workplan_id, assessments.c.id),
]
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
contact_sheets = Table(  # schema version 9: a work plan's PIC contact sheet (WhatsApp links), newest in use
    "zi_contact_sheets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workplan_id", Integer, ForeignKey("zi_workplans.id"), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),  # of the file it was read from
    Column("contacts", Text, nullable=False),  # JSON: PIC -> phone number, as read (reading/contacts.py)
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_zi_contact_sheets_workplan", "workplan_id", "id"),
)
PLANS_KEPT = 2048  # read plans a store object keeps (a plan of 25 rows is ~30 KB read)
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


def _add_workplans(conn: Connection) -> None:
    """Version 7: work plans (unit, year).  What a store holds already becomes the bundled
    unit's work plan for the bundled year (BUNDLED_UNIT, BUNDLED_YEAR), every stored plan a
    version of it in the order stored; each stored plan is kept read as JSON too."""
    workplans.create(conn, checkfirst=True)
    workplan_plans.create(conn, checkfirst=True)
    found = inspect(conn)
    for table, column, kind in (
        (snapshots, "workplan_id", "INTEGER REFERENCES zi_workplans(id)"),
        (events, "workplan_id", "INTEGER REFERENCES zi_workplans(id)"),
        (assessments, "workplan_id", "INTEGER REFERENCES zi_workplans(id)"),
        (plans, "parsed", "TEXT"),
    ):
        if column not in {c["name"] for c in found.get_columns(table.name)}:
            conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column} {kind}")
    for ix in INDEXES:
        ix.create(conn, checkfirst=True)
    stored = conn.execute(
        select(
            plans.c.id, plans.c.content, plans.c.filename, plans.c.uploaded_by, plans.c.uploaded_at, plans.c.parsed
        ).order_by(plans.c.id)
    ).all()
    for r in stored:
        if r.parsed is None:
            conn.execute(
                update(plans)
                .where(plans.c.id == r.id)
                .values(parsed=plan_to_json(plan_from_bytes(bytes(r.content), r.filename)))
            )
    has_data = (
        stored
        or conn.execute(select(snapshots.c.id).limit(1)).first() is not None
        or conn.execute(select(assessments.c.id).limit(1)).first() is not None
    )
    if not has_data or conn.execute(select(workplans.c.id).limit(1)).first() is not None:
        return
    wid = conn.execute(
        insert(workplans)
        .values(unit=BUNDLED_UNIT, year=BUNDLED_YEAR, created_by=SYSTEM_USER, created_at=datetime.now(UTC))
        .returning(workplans.c.id)
    ).scalar_one()
    if stored:
        conn.execute(
            insert(workplan_plans),
            [{"workplan_id": wid, "plan_id": r.id, "by": r.uploaded_by, "at": r.uploaded_at} for r in stored],
        )
    for table in (snapshots, events, assessments):
        conn.execute(update(table).where(table.c.workplan_id.is_(None)).values(workplan_id=wid))


MIGRATIONS[7] = _add_workplans


def _sha_per_workplan(conn: Connection) -> None:
    """Version 8: the same file may be an upload of several work plans (units, years), once in
    each: the uploads' unique (sha256) becomes unique (workplan_id, sha256).  SQLite cannot drop
    a constraint: the table is made again, its rows copied, within this one transaction (its
    foreign keys checked at commit: every upload's rows, events and figures still have it)."""
    uniques = inspect(conn).get_unique_constraints(snapshots.name)
    if not any(u["column_names"] == ["sha256"] for u in uniques):
        return  # made with this version's schema
    if conn.dialect.name != "sqlite":
        old = next(u["name"] for u in uniques if u["column_names"] == ["sha256"])
        conn.exec_driver_sql(f'ALTER TABLE {snapshots.name} DROP CONSTRAINT "{old}"')
        conn.exec_driver_sql(
            f"ALTER TABLE {snapshots.name} ADD CONSTRAINT uq_zi_snapshots_workplan_sha256 UNIQUE (workplan_id, sha256)"
        )
        return
    columns = ", ".join(c.name for c in snapshots.columns)
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # until commit; reset by it
    conn.exec_driver_sql(f"CREATE TEMP TABLE zi_snapshots_copy AS SELECT {columns} FROM {snapshots.name}")
    conn.exec_driver_sql(f"DROP TABLE {snapshots.name}")
    snapshots.create(conn)
    conn.exec_driver_sql(
        f"INSERT INTO {snapshots.name} ({columns}) SELECT {columns} FROM zi_snapshots_copy ORDER BY id"
    )
    conn.exec_driver_sql("DROP TABLE zi_snapshots_copy")
    for ix in INDEXES:
        if ix.table is snapshots:
            ix.create(conn, checkfirst=True)


MIGRATIONS[8] = _sha_per_workplan
# version 9: a work plan's PIC contact sheet
MIGRATIONS[9] = lambda conn: contact_sheets.create(conn, checkfirst=True)
# version 10: editors' logins kept across a browser reload
MIGRATIONS[10] = lambda conn: editor_sessions.create(conn, checkfirst=True)
# version 11: LKE answer sets and added instruments
MIGRATIONS[11] = lambda conn: (
    lke_answer_sets.create(conn, checkfirst=True),
    lke_instruments.create(conn, checkfirst=True),
)


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


@dataclass(frozen=True, order=True)
class Workplan:
    """A unit's work plan for a year: what uploads, events and self-assessments belong to."""

    unit: str
    year: int
    id: int

    @property
    def label(self) -> str:
        return f"{self.unit} {self.year}"


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
    workplan_id: int | None = None


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
    workplan_id: int | None = None


@dataclass(frozen=True)
class StoredAssessment:
    id: int
    values: str  # JSON, field code -> number
    source: str
    by: str
    at: datetime
    workplan_id: int | None = None


@dataclass(frozen=True)
class StoredContacts:
    id: int
    workplan_id: int
    filename: str
    sha256: str
    contacts: str  # JSON, PIC -> phone number
    by: str
    at: datetime


@dataclass(frozen=True)
class StoredLkeAnswers:
    id: int
    workplan_id: int
    level: str
    instrument_year: int
    answers: str  # JSON (reading/lke_answers.answers_to_json)
    source: str
    by: str
    at: datetime


@dataclass(frozen=True, eq=False)
class Standing:
    """Where one work plan stands, as the province view needs it (Store.portfolio)."""

    workplan: Workplan
    plan_id: int | None  # the plan the upload in use was read against (else the plan in use)
    snapshot_id: int | None  # the upload in use (None: nothing uploaded yet)
    position_date: date | None
    uploaded_at: datetime | None
    progress: np.ndarray | None  # per plan row, as kept when it was saved
    last_upload: datetime | None  # the newest upload (it may have been undone by a restore)
    assessment_id: int | None
    assessment: str | None  # JSON of the newest self-assessment


@dataclass(frozen=True)
class Saved:
    snapshot: Snapshot
    duplicate: bool  # True: an identical file was already stored; nothing was written
    replaced: Snapshot | None = None  # set when the upload was kept, not used: the newer data in use


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
        self._plans_read: dict[int, Plan] = {}
        self._rows_read: dict[str, pd.DataFrame] = {}  # plan rows by their JSON: plans of one template share them
        self._plans_lock = threading.Lock()
        self.parsed_plan = lambda plan_id: self.parsed_plans([plan_id])[plan_id]
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
    def _write(self, lock: int = 715002) -> Iterator[Connection]:
        """A write transaction that holds the store's write lock from its start (SQLite: BEGIN
        IMMEDIATE; PostgreSQL: a transaction-level advisory lock, `lock`: logins take their own,
        so they do not queue behind uploads), so concurrent writers queue and everything they
        write comes in one order."""
        with self.engine.begin() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:  # one writer at a time: snapshot ids and events come in the same order
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(lock)})")
            yield conn

    def _migrate(self) -> None:
        """Create the schema on first start and bring it to SCHEMA_VERSION, one process at a time.
        A store already at SCHEMA_VERSION is only asked its version (no write lock, no look at
        every table: a fresh process opens the store at once)."""
        try:
            with self.engine.connect() as conn:
                if conn.execute(select(func.max(schema_info.c.version))).scalar() == SCHEMA_VERSION:
                    return
        except DBAPIError:  # no schema yet
            pass
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

    # --- work plans and plans ---------------------------------------------------------------
    def workplans(self) -> list[Workplan]:
        """Every work plan (unit, year), by unit and year; the bundled one is made on first use."""
        with self.engine.connect() as conn:
            rs = conn.execute(select(workplans.c.id, workplans.c.unit, workplans.c.year)).all()
        if not rs:
            return [self.home()]
        return sorted(Workplan(r.unit, r.year, r.id) for r in rs)

    def home(self) -> Workplan:
        """The work plan a store starts with: the oldest one; on an empty store, the bundled plan
        is stored as BUNDLED_UNIT's plan for BUNDLED_YEAR."""
        with self.engine.connect() as conn:
            r = conn.execute(
                select(workplans.c.id, workplans.c.unit, workplans.c.year).order_by(workplans.c.id).limit(1)
            ).first()
        if r is not None:
            return Workplan(r.unit, r.year, r.id)
        return self.add_plan(BUNDLED_UNIT, BUNDLED_YEAR, BUNDLED_PLAN.read_bytes(), BUNDLED_PLAN.name, SYSTEM_USER)[0]

    def workplan(self, workplan_id: int) -> Workplan:
        with self.engine.connect() as conn:
            r = conn.execute(select(workplans).where(workplans.c.id == workplan_id)).one()
        return Workplan(r.unit, r.year, r.id)

    def add_plan(
        self, unit: str, year: int, content: bytes, filename: str, by: str, plan: Plan | None = None
    ) -> tuple[Workplan, StoredPlan]:
        """Make `content` (a plan file already read and validated) the plan of `unit` for
        `year`: a new work plan, or a new version of its plan (the older ones stay stored).
        Another unit's or year's data is not touched.  `plan`: the file as read (else read here)."""
        sha = hashlib.sha256(content).hexdigest()
        filename = clean_filename(filename)
        parsed = plan_to_json(plan if plan is not None else plan_from_bytes(content, filename))
        with self._write() as conn:
            now = datetime.now(UTC)  # under the write lock: times follow the order of ids
            found = conn.execute(
                select(workplans.c.id).where(workplans.c.unit == unit[:160], workplans.c.year == int(year))
            ).first()
            wid = (
                found.id
                if found
                else conn.execute(
                    insert(workplans)
                    .values(unit=unit[:160], year=int(year), created_by=by[:120], created_at=now)
                    .returning(workplans.c.id)
                ).scalar_one()
            )
            stored = conn.execute(select(plans.c.id).where(plans.c.sha256 == sha)).first()
            pid = (
                stored.id
                if stored
                else conn.execute(
                    insert(plans)
                    .values(
                        filename=filename[:255],
                        sha256=sha,
                        content=content,
                        uploaded_by=by[:120],
                        uploaded_at=now,
                        parsed=parsed,
                    )
                    .returning(plans.c.id)
                ).scalar_one()
            )
            newest = conn.execute(
                select(workplan_plans.c.plan_id)
                .where(workplan_plans.c.workplan_id == wid)
                .order_by(workplan_plans.c.id.desc())
                .limit(1)
            ).first()
            if newest is None or newest.plan_id != pid:
                conn.execute(insert(workplan_plans).values(workplan_id=wid, plan_id=pid, by=by[:120], at=now))
        return Workplan(unit[:160], int(year), wid), self.plan(pid)

    def save_plan(self, content: bytes, filename: str, uploaded_by: str, workplan_id: int | None = None) -> StoredPlan:
        """A new version of a work plan's plan (by default the home work plan's)."""
        wp = self.workplan(workplan_id) if workplan_id is not None else self.home()
        return self.add_plan(wp.unit, wp.year, content, filename, uploaded_by)[1]

    def plan(self, plan_id: int) -> StoredPlan:
        with self.engine.connect() as conn:
            r = conn.execute(select(plans).where(plans.c.id == plan_id)).one()
        return StoredPlan(r.id, r.filename, r.sha256, bytes(r.content), r.uploaded_by, _utc(r.uploaded_at))

    def plan_id_of(self, workplan_id: int) -> int:
        """The id of the plan in use for a work plan (its newest version)."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(workplan_plans.c.plan_id)
                .where(workplan_plans.c.workplan_id == workplan_id)
                .order_by(workplan_plans.c.id.desc())
                .limit(1)
            ).scalar_one()

    def latest_plan(self, workplan_id: int | None = None) -> StoredPlan:
        """The plan in use for a work plan (by default the home work plan)."""
        return self.plan(self.plan_id_of(workplan_id if workplan_id is not None else self.home().id))

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
            r.workplan_id,
        )

    def find_by_sha(self, sha: str, workplan_id: int | None = None) -> Snapshot | None:
        """The stored upload with this content: of this work plan (a file is stored once per work
        plan), or of any when no work plan is named."""
        query = select(*_meta()).where(snapshots.c.sha256 == sha)
        if workplan_id is not None:
            query = query.where(snapshots.c.workplan_id == workplan_id)
        with self.engine.connect() as conn:
            r = conn.execute(query.order_by(snapshots.c.id)).first()
        return self._snapshot(r) if r else None

    def save(
        self,
        content: bytes,
        filename: str,
        uploaded_by: str,
        position_date: date | None,
        rows: pd.DataFrame,
        plan_id: int,
        workplan_id: int | None = None,
    ) -> Saved:
        """Store an already validated file, its rows and an upload event, in one transaction,
        as an upload of a work plan (by default the home work plan).  An identical file already
        stored for that work plan is not stored again (duplicate=True)."""
        sha = hashlib.sha256(content).hexdigest()
        filename = clean_filename(filename)
        if workplan_id is None:
            workplan_id = self.home().id
        existing = self.find_by_sha(sha, workplan_id)
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
                now = datetime.now(UTC)  # under the write lock: times follow the order of ids
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
                        workplan_id=workplan_id,
                    )
                    .returning(snapshots.c.id)
                ).scalar_one()
                if records:
                    conn.execute(insert(snapshot_rows), [dict(r, snapshot_id=new_id) for r in records])
                if summary:
                    conn.execute(insert(snapshot_summary), [dict(r, snapshot_id=new_id) for r in summary])
                    conn.execute(insert(snapshot_figures), [dict(r, snapshot_id=new_id) for r in figures_])
                newer = self._newer_in_use(conn, workplan_id, position_date)
                if newer is None:
                    conn.execute(
                        insert(events).values(
                            kind="upload", snapshot_id=new_id, by=uploaded_by[:120], at=now, workplan_id=workplan_id
                        )
                    )
        except IntegrityError:
            existing = self.find_by_sha(sha, workplan_id)  # the same file saved by someone else just now
            if existing:
                return Saved(existing, True)
            raise
        return Saved(
            Snapshot(
                new_id,
                plan_id,
                filename[:255],
                sha,
                len(content),
                uploaded_by[:120],
                now,
                position_date,
                content,
                workplan_id,
            ),
            False,
            newer,
        )

    def _newer_in_use(self, conn: Connection, workplan_id: int, position: date | None) -> Snapshot | None:
        """The work plan's data in use when it states a later position date than `position` (an
        upload of that date is then kept, not used); else None (also when either states none)."""
        if position is None:
            return None
        newest = (
            select(events.c.snapshot_id)
            .where(events.c.workplan_id == workplan_id)
            .order_by(events.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        r = conn.execute(select(*_meta()).where(snapshots.c.id == newest)).first()
        if r is None or r.position_date is None or r.position_date <= position:
            return None
        return self._snapshot(r)

    def newer_in_use(self, workplan_id: int, position: date | None) -> Snapshot | None:
        """The data in use of a work plan if it describes a later date than `position`: an
        upload of that date would be kept in history and not replace it."""
        with self.engine.connect() as conn:
            return self._newer_in_use(conn, workplan_id, position)

    def restore(self, snapshot_id: int, by: str) -> Event:
        """Make an earlier snapshot the data in use again: a recorded event, nothing deleted."""
        with self._write() as conn:
            now = datetime.now(UTC)  # under the write lock: times follow the order of ids
            wid = conn.execute(select(snapshots.c.workplan_id).where(snapshots.c.id == snapshot_id)).scalar_one()
            eid = conn.execute(
                insert(events)
                .values(kind="restore", snapshot_id=snapshot_id, by=by[:120], at=now, workplan_id=wid)
                .returning(events.c.id)
            ).scalar_one()
        return Event(eid, "restore", snapshot_id, by[:120], now, wid)

    def correct_position(self, snapshot_id: int, position_date: date, by: str) -> Correction:
        """Set an upload's position date (a recorded correction; the date given at upload stays
        stored) and recount the figures kept of it at the new date, in one transaction."""
        snap = self.snapshot(snapshot_id)
        plan = self.parsed_plan(snap.plan_id)
        with self._write() as conn:
            now = datetime.now(UTC)  # under the write lock: times follow the order of ids
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

    def corrections(self, workplan_id: int | None = None) -> list[Correction]:
        """Every correction of a position date (of one work plan's uploads), oldest first."""
        q = select(position_corrections).order_by(position_corrections.c.id)
        if workplan_id is not None:
            q = q.join(snapshots, snapshots.c.id == position_corrections.c.snapshot_id).where(
                snapshots.c.workplan_id == workplan_id
            )
        with self.engine.connect() as conn:
            rs = conn.execute(q).all()
        return [Correction(r.id, r.snapshot_id, r.position_date, r.previous, r.by, _utc(r.at)) for r in rs]

    def current_id(self, workplan_id: int | None = None) -> tuple[int, int] | None:
        """(event id, snapshot id) of the data in use (of a work plan; None: of the newest
        event of any), read cheaply."""
        q = select(events.c.id, events.c.snapshot_id).order_by(events.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            r = conn.execute(_of(q, events, workplan_id)).first()
        return (r.id, r.snapshot_id) if r else None

    def current(self, workplan_id: int | None = None) -> Snapshot | None:
        ident = self.current_id(workplan_id)
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

    def parsed_plans(self, plan_ids: list[int]) -> dict[int, Plan]:
        """Many stored plans at once (one query for those not read yet in this process)."""
        with self._plans_lock:
            return self._parsed_plans(plan_ids)

    def _parsed_plans(self, plan_ids: list[int]) -> dict[int, Plan]:
        missing = [i for i in dict.fromkeys(plan_ids) if i not in self._plans_read]
        if missing:
            with self.engine.connect() as conn:
                rs = conn.execute(
                    select(plans.c.id, plans.c.parsed, plans.c.content, plans.c.filename).where(plans.c.id.in_(missing))
                ).all()
            for r in rs:
                self._plans_read[r.id] = (
                    plan_from_json(r.parsed, self._rows_read)
                    if r.parsed
                    else plan_from_bytes(bytes(r.content), r.filename)
                )
            while len(self._plans_read) > PLANS_KEPT:
                self._plans_read.pop(next(iter(self._plans_read)))
            while len(self._rows_read) > PLANS_KEPT:
                self._rows_read.pop(next(iter(self._rows_read)))
        return {i: self._plans_read[i] for i in plan_ids}

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

    def summary_progress(self, snapshot_ids: list[int] | None = None) -> dict[int, np.ndarray]:
        """Stored snapshots' progress per plan row (in plan order), every one or those named,
        in one query."""
        q = select(snapshot_summary.c.snapshot_id, snapshot_summary.c.progress).order_by(
            snapshot_summary.c.snapshot_id, snapshot_summary.c.seq
        )
        if snapshot_ids is not None:
            q = q.where(snapshot_summary.c.snapshot_id.in_(snapshot_ids))
        with self.engine.connect() as conn:
            rs = conn.execute(q).all()
        if not rs:
            return {}
        ids = np.fromiter((r[0] for r in rs), dtype=np.int64, count=len(rs))
        values = np.fromiter((r[1] for r in rs), dtype=float, count=len(rs))
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        return {int(i): part for i, part in zip(ids[starts], np.split(values, starts[1:]), strict=False)}

    def figure_series(self, part: str = "", workplan_id: int | None = None) -> dict[int, float]:
        """Every stored upload's (of a work plan's) completion at its own date, overall ("")
        or of one component, in one query."""
        q = select(snapshot_figures.c.snapshot_id, snapshot_figures.c.completion).where(snapshot_figures.c.part == part)
        if workplan_id is not None:
            q = q.join(snapshots, snapshots.c.id == snapshot_figures.c.snapshot_id).where(
                snapshots.c.workplan_id == workplan_id
            )
        with self.engine.connect() as conn:
            rs = conn.execute(q).all()
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

    def list(self, workplan_id: int | None = None) -> list[Snapshot]:
        """Every snapshot (of a work plan), newest first (no content)."""
        with self.engine.connect() as conn:
            rs = conn.execute(_of(select(*_meta()).order_by(snapshots.c.id.desc()), snapshots, workplan_id)).all()
        return [self._snapshot(r) for r in rs]

    def events(self, workplan_id: int | None = None) -> list[Event]:
        with self.engine.connect() as conn:
            rs = conn.execute(_of(select(events).order_by(events.c.id), events, workplan_id)).all()
        return [Event(r.id, r.kind, r.snapshot_id, r.by, _utc(r.at), r.workplan_id) for r in rs]

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
        """Seconds until any of these keys (editor name and address, address) may try again."""
        with self.engine.connect() as conn:
            until = conn.execute(
                select(func.max(login_attempts.c.locked_until)).where(login_attempts.c.key.in_([k[:200] for k in keys]))
            ).scalar()
        return max(0.0, (until or 0.0) - now)

    def login_try(self, keys: list[str], now: float, lock_seconds, max_wait: float) -> tuple[bool, int, float]:
        """One login try, in one transaction under the write lock (so simultaneous tries, from
        any process or replica, queue here): while a key waits, the try is refused and not
        counted; else it is counted against every key before the password is checked, and
        lock_seconds(failures) says how long a key then waits (0: not yet).  No lock lasts
        longer than max_wait after its last try (also locks written before that cap).
        Returns (may check the password, the highest failure count, the wait over the keys)."""
        keys = list(dict.fromkeys(k[:200] for k in keys))
        c = login_attempts.c
        with self._write(lock=715003) as conn:
            conn.execute(
                update(login_attempts)
                .where(c.locked_until > c.updated_at + max_wait)
                .values(locked_until=c.updated_at + max_wait)
            )
            conn.execute(delete(login_attempts).where(c.updated_at < now - ATTEMPT_IDLE_SECONDS, c.locked_until < now))
            rows = {r.key: r for r in conn.execute(select(login_attempts).where(c.key.in_(keys)))}
            wait = max([r.locked_until - now for r in rows.values()] + [0.0])
            if wait > 0:
                return False, max(r.failures for r in rows.values()), wait
            most = 0
            for key in keys:
                failures = (rows[key].failures if key in rows else 0) + 1
                seconds = min(lock_seconds(failures), max_wait)
                values = dict(failures=failures, locked_until=now + seconds if seconds > 0 else 0.0, updated_at=now)
                if key in rows:
                    conn.execute(update(login_attempts).where(c.key == key).values(**values))
                else:
                    conn.execute(insert(login_attempts).values(key=key, **values))
                most, wait = max(most, failures), max(wait, seconds)
            n = conn.execute(select(func.count()).select_from(login_attempts)).scalar()
            if n > MAX_ATTEMPT_ROWS:  # the rows idle longest go first, never a lock still running
                oldest = (
                    select(c.key)
                    .where(c.locked_until <= now, c.key.not_in(keys))
                    .order_by(c.updated_at)
                    .limit(n - MAX_ATTEMPT_ROWS)
                    .scalar_subquery()
                )
                conn.execute(delete(login_attempts).where(c.key.in_(oldest)))
        return True, most, wait

    def login_keys(self, prefix: str) -> list[str]:
        """The keys with wrong tries kept that start with this prefix."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(login_attempts.c.key).where(login_attempts.c.key.startswith(prefix[:200], autoescape=True))
                ).scalars()
            )

    def login_succeeded(self, keys: list[str]) -> int:
        """Forget the wrong tries of these keys (a right password, or an admin's unlock)."""
        with self._write(lock=715003) as conn:
            forget = delete(login_attempts).where(login_attempts.c.key.in_([k[:200] for k in keys]))
            return conn.execute(forget).rowcount

    # --- editors' logins kept across a reload (schema version 11) ---------------------------
    def start_session(self, token_hash: str, editor: str, now: float, expires_at: float) -> None:
        """Keep a new login session (its token's hash only); sessions ended or expired more than a
        day ago are forgotten meanwhile."""
        c = editor_sessions.c
        with self._write(lock=715003) as conn:
            conn.execute(delete(editor_sessions).where(c.expires_at < now - ATTEMPT_IDLE_SECONDS))
            conn.execute(delete(editor_sessions).where(c.ended_at < now - ATTEMPT_IDLE_SECONDS))
            conn.execute(
                insert(editor_sessions).values(
                    token_hash=token_hash, editor=editor[:120], created_at=now, expires_at=expires_at
                )
            )

    def session_editor(self, token_hash: str, now: float) -> str | None:
        """The editor of a session that is neither ended nor expired (else None)."""
        c = editor_sessions.c
        with self.engine.connect() as conn:
            return conn.execute(
                select(c.editor).where(c.token_hash == token_hash, c.ended_at.is_(None), c.expires_at > now)
            ).scalar()

    def end_sessions(self, now: float, token_hash: str | None = None, editor: str | None = None) -> int:
        """End one session (a logout) or every session of an editor (revoked); -> how many."""
        c = editor_sessions.c
        which = c.token_hash == token_hash if token_hash is not None else c.editor == (editor or "")[:120]
        with self._write(lock=715003) as conn:
            return conn.execute(
                update(editor_sessions).where(which, c.ended_at.is_(None)).values(ended_at=now)
            ).rowcount

    def login_attempt_rows(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(login_attempts)).scalar())

    # --- the self-assessment (schema version 5) -------------------------------------------
    def save_assessment(
        self, values_json: str, source: str, by: str, workplan_id: int | None = None
    ) -> StoredAssessment:
        """Keep an already validated self-assessment of a work plan (by default the home one);
        the newest one is in use.  Nothing is updated or deleted."""
        if workplan_id is None:
            workplan_id = self.home().id
        with self._write() as conn:
            now = datetime.now(UTC)  # under the write lock: times follow the order of ids
            new_id = conn.execute(
                insert(assessments)
                .values(answers=values_json, source=source[:255], by=by[:120], at=now, workplan_id=workplan_id)
                .returning(assessments.c.id)
            ).scalar_one()
        return StoredAssessment(new_id, values_json, source[:255], by[:120], now, workplan_id)

    def latest_assessment(self, workplan_id: int | None = None) -> StoredAssessment | None:
        q = select(assessments).order_by(assessments.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            r = conn.execute(_of(q, assessments, workplan_id)).first()
        return _assessment(r) if r else None

    def assessments(self, workplan_id: int | None = None) -> list[StoredAssessment]:
        """Every saved self-assessment (of a work plan), newest first."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                _of(select(assessments).order_by(assessments.c.id.desc()), assessments, workplan_id)
            ).all()
        return [_assessment(r) for r in rs]

    def save_contacts(
        self, workplan_id: int, filename: str, sha256: str, contacts_json: str, by: str
    ) -> StoredContacts:
        """Keep a work plan's PIC contact sheet as read (the newest one is in use)."""
        with self._write() as conn:
            now = datetime.now(UTC)
            new_id = conn.execute(
                insert(contact_sheets)
                .values(
                    workplan_id=workplan_id,
                    filename=filename[:255],
                    sha256=sha256,
                    contacts=contacts_json,
                    by=by[:120],
                    at=now,
                )
                .returning(contact_sheets.c.id)
            ).scalar_one()
        return StoredContacts(new_id, workplan_id, filename[:255], sha256, contacts_json, by[:120], now)

    def latest_contacts_id(self, workplan_id: int) -> int | None:
        """The id of a work plan's contact sheet in use (None: none kept)."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.max(contact_sheets.c.id)).where(contact_sheets.c.workplan_id == workplan_id)
            ).scalar()

    def contacts(self, contacts_id: int) -> StoredContacts:
        with self.engine.connect() as conn:
            r = conn.execute(select(contact_sheets).where(contact_sheets.c.id == contacts_id)).one()
        return StoredContacts(r.id, r.workplan_id, r.filename, r.sha256, r.contacts, r.by, _utc(r.at))

    # --- the LKE question by question (schema version 11) ------------------------------------
    def save_lke_answers(
        self, workplan_id: int, level: str, instrument_year: int, answers_json: str, source: str, by: str
    ) -> StoredLkeAnswers:
        """Keep an already validated answer set of a work plan at one level; the newest is in use.
        Nothing is updated or deleted."""
        with self._write() as conn:
            now = datetime.now(UTC)
            new_id = conn.execute(
                insert(lke_answer_sets)
                .values(
                    workplan_id=workplan_id,
                    level=level,
                    instrument_year=int(instrument_year),
                    answers=answers_json,
                    source=source[:255],
                    by=by[:120],
                    at=now,
                )
                .returning(lke_answer_sets.c.id)
            ).scalar_one()
        return StoredLkeAnswers(
            new_id, workplan_id, level, int(instrument_year), answers_json, source[:255], by[:120], now
        )

    def lke_answer_sets(self, workplan_id: int, level: str, newest_only: bool = False) -> list[StoredLkeAnswers]:
        """A work plan's answer sets at one level, newest first."""
        q = (
            select(lke_answer_sets)
            .where(lke_answer_sets.c.workplan_id == workplan_id, lke_answer_sets.c.level == level)
            .order_by(lke_answer_sets.c.id.desc())
        )
        with self.engine.connect() as conn:
            rs = conn.execute(q.limit(1) if newest_only else q).all()
        return [
            StoredLkeAnswers(r.id, r.workplan_id, r.level, r.instrument_year, r.answers, r.source, r.by, _utc(r.at))
            for r in rs
        ]

    def add_lke_instrument(self, year: int, filename: str, content: str, by: str) -> int:
        """Keep an LKE instrument (a questions CSV already checked) an editor added."""
        with self._write() as conn:
            return conn.execute(
                insert(lke_instruments)
                .values(year=int(year), filename=filename[:255], content=content, by=by[:120], at=datetime.now(UTC))
                .returning(lke_instruments.c.id)
            ).scalar_one()

    def lke_instruments(self) -> list[tuple[int, str]]:
        """(year, content) of every added instrument, the newest added last."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                select(lke_instruments.c.year, lke_instruments.c.content).order_by(lke_instruments.c.id)
            ).all()
        return [(int(r.year), r.content) for r in rs]

    def count(self, workplan_id: int | None = None) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(_of(select(func.count()).select_from(snapshots), snapshots, workplan_id)).scalar())

    # --- many work plans at once (the province view) ----------------------------------------
    def pulse(self) -> tuple:
        """Changes whenever any work plan's data does: the newest event, plan version,
        self-assessment and position correction (one query)."""
        with self.engine.connect() as conn:
            return tuple(
                conn.execute(
                    select(
                        select(func.max(events.c.id)).scalar_subquery(),
                        select(func.max(workplan_plans.c.id)).scalar_subquery(),
                        select(func.max(assessments.c.id)).scalar_subquery(),
                        select(func.max(position_corrections.c.id)).scalar_subquery(),
                        select(func.count()).select_from(workplans).scalar_subquery(),
                    )
                ).one()
            )

    def portfolio(self, year: int | None = None) -> list[Standing]:
        """Per work plan (of a year): its plan in use, the upload in use with its progress per
        plan row, its newest upload, and its newest self-assessment; a few queries, whatever
        the number of units."""
        wq = select(workplans.c.id, workplans.c.unit, workplans.c.year)
        if year is not None:
            wq = wq.where(workplans.c.year == int(year))
        newest_plan = (
            select(workplan_plans.c.workplan_id, func.max(workplan_plans.c.id).label("id"))
            .group_by(workplan_plans.c.workplan_id)
            .subquery()
        )
        newest_event = (
            select(events.c.workplan_id, func.max(events.c.id).label("id")).group_by(events.c.workplan_id).subquery()
        )
        newest_upload = (
            select(snapshots.c.workplan_id, func.max(snapshots.c.id).label("id"))
            .group_by(snapshots.c.workplan_id)
            .subquery()
        )
        newest_assessment = (
            select(assessments.c.workplan_id, func.max(assessments.c.id).label("id"))
            .group_by(assessments.c.workplan_id)
            .subquery()
        )
        in_use = snapshots.alias("in_use")
        last = snapshots.alias("last")
        with self.engine.connect() as conn:
            wps = {r.id: Workplan(r.unit, r.year, r.id) for r in conn.execute(wq).all()}
            if not wps:
                return []
            plan_of = dict(
                conn.execute(
                    select(workplan_plans.c.workplan_id, workplan_plans.c.plan_id).join(
                        newest_plan, newest_plan.c.id == workplan_plans.c.id
                    )
                ).all()
            )
            current = {
                r.workplan_id: r
                for r in conn.execute(
                    select(
                        events.c.workplan_id,
                        events.c.snapshot_id,
                        in_use.c.plan_id,
                        in_use.c.position_date,
                        in_use.c.uploaded_at,
                    )
                    .join(newest_event, newest_event.c.id == events.c.id)
                    .join(in_use, in_use.c.id == events.c.snapshot_id)
                ).all()
            }
            latest = {
                r.workplan_id: r
                for r in conn.execute(
                    select(last.c.workplan_id, last.c.id, last.c.uploaded_at).join(
                        newest_upload, newest_upload.c.id == last.c.id
                    )
                ).all()
            }
            assessed = {
                r.workplan_id: r
                for r in conn.execute(
                    select(assessments.c.workplan_id, assessments.c.id, assessments.c.answers).join(
                        newest_assessment, newest_assessment.c.id == assessments.c.id
                    )
                ).all()
            }
            corrected = (
                dict(
                    conn.execute(
                        select(position_corrections.c.snapshot_id, position_corrections.c.position_date)
                        .where(position_corrections.c.snapshot_id.in_([r.snapshot_id for r in current.values()]))
                        .order_by(position_corrections.c.id)
                    ).all()
                )
                if current
                else {}
            )
        progress = self.summary_progress([r.snapshot_id for r in current.values()]) if current else {}
        out = []
        for wid, wp in sorted(wps.items(), key=lambda kv: kv[1]):
            cur, last_, a = current.get(wid), latest.get(wid), assessed.get(wid)
            out.append(
                Standing(
                    workplan=wp,
                    plan_id=cur.plan_id if cur else plan_of.get(wid),
                    snapshot_id=cur.snapshot_id if cur else None,
                    position_date=(corrected.get(cur.snapshot_id, cur.position_date) if cur else None),
                    uploaded_at=_utc(cur.uploaded_at) if cur else None,
                    progress=progress.get(cur.snapshot_id) if cur else None,
                    last_upload=_utc(last_.uploaded_at) if last_ else None,
                    assessment_id=a.id if a else None,
                    assessment=a.answers if a else None,
                )
            )
        return out

    def dispose(self) -> None:
        self.engine.dispose()


def _of(query, table: Table, workplan_id: int | None):
    """A query narrowed to one work plan's rows (None: every work plan's)."""
    return query if workplan_id is None else query.where(table.c.workplan_id == workplan_id)


def _assessment(r) -> StoredAssessment:
    return StoredAssessment(r.id, r.answers, r.source, r.by, _utc(r.at), r.workplan_id)


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
    "Workplan",
    "Standing",
    "Event",
    "Saved",
    "open_store",
    "database_url",
    "SCHEMA_VERSION",
    "Path",
]
