"""Many work plans at once (the province view): what changed, and where each work plan stands,
in a few queries whatever the number of units."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from zi_dashboard.storage.engine import stamp, utc
from zi_dashboard.storage.records import Standing, Workplan
from zi_dashboard.storage.schema import (
    assessments,
    events,
    position_corrections,
    snapshots,
    workplan_plans,
    workplans,
)
from zi_dashboard.storage.uploads import UploadStore


class PortfolioStore(UploadStore):
    def pulse(self) -> tuple[Any, ...]:
        """Changes whenever any work plan's data does: the newest event, plan version,
        self-assessment and position correction (one query)."""
        return stamp(
            self.engine,
            select(func.max(events.c.id)).scalar_subquery(),
            select(func.max(workplan_plans.c.id)).scalar_subquery(),
            select(func.max(assessments.c.id)).scalar_subquery(),
            select(func.max(position_corrections.c.id)).scalar_subquery(),
            select(func.count()).select_from(workplans).scalar_subquery(),
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
                    uploaded_at=utc(cur.uploaded_at) if cur else None,
                    progress=progress.get(cur.snapshot_id) if cur else None,
                    last_upload=utc(last_.uploaded_at) if last_ else None,
                    assessment_id=a.id if a else None,
                    assessment=a.answers if a else None,
                )
            )
        return out
