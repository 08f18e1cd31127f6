"""The store's schema, brought to SCHEMA_VERSION on start, one process at a time.

Version N's migration brings the schema from N-1 to N; the version reached is recorded in
zi_schema.  A new store gets every table at once (metadata.create_all), then the migrations
run, each written to do nothing where its part is there already.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, insert, inspect, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from zi_dashboard import labels as L
from zi_dashboard.reading.plan import BUNDLED_UNIT, BUNDLED_YEAR, plan_from_bytes, plan_to_json
from zi_dashboard.storage.engine import write
from zi_dashboard.storage.schema import (
    INDEXES,
    assessments,
    contact_sheets,
    credentials,
    editor_sessions,
    events,
    lke_answer_sets,
    lke_instruments,
    login_attempts,
    metadata,
    plans,
    position_corrections,
    schema_info,
    snapshots,
    workplan_plans,
    workplans,
)
from zi_dashboard.storage.summaries import rebuild_summaries

SCHEMA_VERSION = 11


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
        .values(unit=BUNDLED_UNIT, year=BUNDLED_YEAR, created_by=L.STORAGE["system_user"], created_at=datetime.now(UTC))
        .returning(workplans.c.id)
    ).scalar_one()
    if stored:
        conn.execute(
            insert(workplan_plans),
            [{"workplan_id": wid, "plan_id": r.id, "by": r.uploaded_by, "at": r.uploaded_at} for r in stored],
        )
    for table in (snapshots, events, assessments):
        conn.execute(update(table).where(table.c.workplan_id.is_(None)).values(workplan_id=wid))


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


def _lke_answers(conn: Connection) -> None:
    lke_answer_sets.create(conn, checkfirst=True)
    lke_instruments.create(conn, checkfirst=True)


# version -> what brings the schema from version-1 to version (1: the tables metadata.create_all makes)
MIGRATIONS: dict[int, Callable[[Connection], object]] = {
    2: lambda conn: credentials.create(conn, checkfirst=True),  # the generated editor's hash
    3: lambda conn: login_attempts.create(conn, checkfirst=True),  # wrong logins
    4: rebuild_summaries,  # each upload's summary and figures, built for every upload stored
    5: lambda conn: assessments.create(conn, checkfirst=True),  # the self-assessment
    6: lambda conn: position_corrections.create(conn, checkfirst=True),  # corrected position dates
    7: _add_workplans,  # work plans (unit, year)
    8: _sha_per_workplan,  # a file once per work plan
    9: lambda conn: contact_sheets.create(conn, checkfirst=True),  # PIC contact sheets
    10: lambda conn: editor_sessions.create(conn, checkfirst=True),  # logins kept across a reload
    11: _lke_answers,  # LKE answer sets and added instruments
}


def migrate(engine: Engine) -> None:
    """Create the schema on first start and bring it to SCHEMA_VERSION, one process at a time.
    A store already at SCHEMA_VERSION is only asked its version (no write lock, no look at
    every table: a fresh process opens the store at once)."""
    try:
        with engine.connect() as conn:
            if conn.execute(select(func.max(schema_info.c.version))).scalar() == SCHEMA_VERSION:
                return
    except DBAPIError:  # no schema yet
        pass
    with write(engine) as conn:
        metadata.create_all(conn)
        current = conn.execute(select(func.max(schema_info.c.version))).scalar() or 0
        for version in range(current + 1, SCHEMA_VERSION + 1):
            if version in MIGRATIONS:
                MIGRATIONS[version](conn)
            conn.execute(insert(schema_info).values(version=version, applied_at=datetime.now(UTC)))


def schema_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(schema_info.c.version))).scalar() or 0)
