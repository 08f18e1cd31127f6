"""The store's uploads: every accepted progress file is a *snapshot*, stored whole (original bytes,
SHA-256, file name, who, when, its position date, its parsed rows, the plan it was read against),
with what counting needs of it later (summaries.py).

What is in use is decided by an append-only log of *events* (upload, restore): the data in use
is the snapshot named by the newest event.  Nothing is updated in place or deleted.  An upload
whose position date is older than the data in use's is kept without an event: the newer data
stays in use until an editor restores the older upload on purpose.  A snapshot, its rows and its
event are written in one transaction, after the file has been read and validated completely; a
process killed mid-save leaves the store as it was.  A file is stored once per work plan (the
database refuses a second copy).  A position date is corrected by a recorded correction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from zi_dashboard.counting.history import snapshot_date
from zi_dashboard.counting.metrics import TEXT_FIELDS, Summary
from zi_dashboard.storage.engine import clean_filename, utc
from zi_dashboard.storage.plans import PlanStore
from zi_dashboard.storage.records import Correction, Event, Saved, Snapshot
from zi_dashboard.storage.schema import (
    events,
    of_workplan,
    position,
    position_corrections,
    snapshot_figures,
    snapshot_meta,
    snapshot_rows,
    snapshot_summary,
    snapshots,
)
from zi_dashboard.storage.summaries import ROW_FIELDS, figure_records, row_frame, summary_records
from zi_dashboard.storage.summaries import rebuild_summaries as rebuild


class UploadStore(PlanStore):
    def find_by_sha(self, sha: str, workplan_id: int | None = None) -> Snapshot | None:
        """The stored upload with this content: of this work plan (a file is stored once per work
        plan), or of any when no work plan is named."""
        query = select(*snapshot_meta()).where(snapshots.c.sha256 == sha)
        if workplan_id is not None:
            query = query.where(snapshots.c.workplan_id == workplan_id)
        with self.engine.connect() as conn:
            r = conn.execute(query.order_by(snapshots.c.id)).first()
        return _snapshot(r) if r else None

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
        summary, counted = summary_records(0, plan, rows)
        figures_ = figure_records(plan, [0], [snapshot_date(position_date, now)], counted.progress[None, :])
        tuples: Iterable[Any] = rows.itertuples(index=False)
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
            for i, r in enumerate(tuples)
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
        r = conn.execute(select(*snapshot_meta()).where(snapshots.c.id == newest)).first()
        if r is None or r.position_date is None or r.position_date <= position:
            return None
        return _snapshot(r)

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
            previous = conn.execute(select(position()).where(snapshots.c.id == snapshot_id)).scalar_one()
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
                figures_ = figure_records(
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
        return [Correction(r.id, r.snapshot_id, r.position_date, r.previous, r.by, utc(r.at)) for r in rs]

    def current_id(self, workplan_id: int | None = None) -> tuple[int, int] | None:
        """(event id, snapshot id) of the data in use (of a work plan; None: of the newest
        event of any), read cheaply."""
        q = select(events.c.id, events.c.snapshot_id).order_by(events.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            r = conn.execute(of_workplan(q, events, workplan_id)).first()
        return (r.id, r.snapshot_id) if r else None

    def current(self, workplan_id: int | None = None) -> Snapshot | None:
        ident = self.current_id(workplan_id)
        return self.snapshot(ident[1], content=True) if ident else None

    def snapshot(self, snapshot_id: int, content: bool = False) -> Snapshot:
        cols = [*snapshot_meta(), snapshots.c.content] if content else snapshot_meta()
        with self.engine.connect() as conn:
            r = conn.execute(select(*cols).where(snapshots.c.id == snapshot_id)).one()
        return _snapshot(r, content)

    def rows(self, snapshot_id: int) -> pd.DataFrame:
        """The parsed rows of a snapshot, as read_progress returned them."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                select(snapshot_rows).where(snapshot_rows.c.snapshot_id == snapshot_id).order_by(snapshot_rows.c.seq)
            ).all()
        return row_frame(pd.DataFrame([{f: getattr(r, f) for f in ROW_FIELDS} for r in rs], columns=ROW_FIELDS))

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
        """Rewrite every upload's summary and figures from its kept rows (what revision 0004 did)."""
        with self._write() as conn:
            return rebuild(conn)

    def uploads(self, workplan_id: int | None = None) -> list[Snapshot]:
        """Every upload (of a work plan), newest first (no content)."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                of_workplan(select(*snapshot_meta()).order_by(snapshots.c.id.desc()), snapshots, workplan_id)
            ).all()
        return [_snapshot(r) for r in rs]

    def events(self, workplan_id: int | None = None) -> list[Event]:
        with self.engine.connect() as conn:
            rs = conn.execute(of_workplan(select(events).order_by(events.c.id), events, workplan_id)).all()
        return [Event(r.id, r.kind, r.snapshot_id, r.by, utc(r.at), r.workplan_id) for r in rs]

    def count(self, workplan_id: int | None = None) -> int:
        with self.engine.connect() as conn:
            query = of_workplan(select(func.count()).select_from(snapshots), snapshots, workplan_id)
            return conn.execute(query).scalar_one()


def _snapshot(r: Row[Any], content: bool = False) -> Snapshot:
    return Snapshot(
        r.id,
        r.plan_id,
        r.filename,
        r.sha256,
        r.size,
        r.uploaded_by,
        utc(r.uploaded_at),
        r.position_date,
        bytes(r.content) if content else b"",
        r.workplan_id,
    )
