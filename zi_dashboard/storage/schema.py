"""The store's tables (SQLAlchemy Core), as the newest migration leaves them, and the few column
expressions every area's queries share.

What each table keeps is said beside it, with the schema version (the Alembic revision in
storage/migrations/versions/) that brought it.  A change here needs a revision there.  Nothing
here opens a database.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Label,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.sql import Select

metadata = MetaData()
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
lke_review_events = Table(  # revision 0014: the TPI review of a work plan's LKE: moves and deadlines, append-only
    "zi_lke_review_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workplan_id", Integer, ForeignKey("zi_workplans.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # state | deadline (counting.lke_review)
    Column("state", String(32), nullable=False),  # the state moved to, or the stage of a deadline
    Column("deadline", Date, nullable=True),
    Column("note", String(500), nullable=False),
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_zi_lke_review_events_workplan", "workplan_id", "id"),
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


def position() -> Label[Any]:
    """An upload's position date: the newest correction, else the date given at upload."""
    newest = (
        select(position_corrections.c.position_date)
        .where(position_corrections.c.snapshot_id == snapshots.c.id)
        .order_by(position_corrections.c.id.desc())
        .limit(1)
        .correlate(snapshots)
        .scalar_subquery()
    )
    return func.coalesce(newest, snapshots.c.position_date).label("position_date")


def snapshot_meta() -> list[Any]:
    """A snapshot's columns but its content, the position date as corrected."""
    return [position() if c.name == "position_date" else c for c in snapshots.c if c.name != "content"]


Query = TypeVar("Query", bound=Select[Any])


def of_workplan(query: Query, table: Table, workplan_id: int | None) -> Query:
    """A query narrowed to one work plan's rows (None: every work plan's)."""
    return query if workplan_id is None else query.where(table.c.workplan_id == workplan_id)


# revision 0013: a unit's own Laporan monev template, every choice of the one in use, the letter's
# details; keyed by the unit's name (every year of its work plans), append-only (storage/report_templates.py)
report_templates = Table(
    "zi_report_templates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(160), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_zi_report_templates_unit", "unit", "id"),
)
report_template_uses = Table(  # which template a unit uses from `at` on (NULL: the default one)
    "zi_report_template_uses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(160), nullable=False),
    Column("template_id", Integer, ForeignKey("zi_report_templates.id"), nullable=True),
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_zi_report_template_uses_unit", "unit", "id"),
)
report_details = Table(  # the report's number, place, signer... as last saved for a unit
    "zi_report_details",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(160), nullable=False),
    Column("details", Text, nullable=False),  # JSON: field -> text (app/monev.DETAIL_FIELDS)
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_zi_report_details_unit", "unit", "id"),
)
