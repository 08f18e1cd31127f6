"""What counting needs of an upload later, kept beside it when it is saved: its summary per plan
row (metrics.summarise) and its overall and per-component figures at its own date
(metrics.figures), so history never reads rows back to recount them.  rebuild_summaries
(re)builds both from the kept rows (Alembic revision 0004 for uploads stored before; Store.rebuild_summaries).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from zi_dashboard.counting.history import snapshot_date
from zi_dashboard.counting.metrics import DONE_, OVERDUE_, TEXT_FIELDS, Summary, figures, plan_arrays, summarise
from zi_dashboard.reading.plan import Plan, plan_from_bytes
from zi_dashboard.storage.engine import utc
from zi_dashboard.storage.schema import plans, position, snapshot_figures, snapshot_rows, snapshot_summary, snapshots

ROW_FIELDS = ["row", "code", "activity", "pic", "progress", "status_reported", "evidence", "notes"]


def summary_records(snapshot_id: int, plan: Plan, rows: pd.DataFrame | None) -> tuple[list[dict[str, Any]], Summary]:
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


def figure_records(
    plan: Plan, snapshot_ids: list[int], dates: list[date], progress: np.ndarray
) -> list[dict[str, Any]]:
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


def rebuild_summaries(conn: Connection, corrected: bool = True) -> int:
    """(Re)write the summary and the figures of every stored upload from its kept rows, each at
    its position date (`corrected`: as corrected; False before corrections were kept); returns
    how many uploads."""
    conn.execute(snapshot_figures.delete())
    conn.execute(snapshot_summary.delete())
    plans_by_id = {
        r.id: plan_from_bytes(bytes(r.content), r.filename)
        for r in conn.execute(select(plans.c.id, plans.c.content, plans.c.filename)).all()
    }
    snaps = conn.execute(
        select(
            snapshots.c.id,
            snapshots.c.plan_id,
            position() if corrected else snapshots.c.position_date,
            snapshots.c.uploaded_at,
        ).order_by(snapshots.c.id)
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
                kept = row_frame(kept[ROW_FIELDS].reset_index(drop=True))
            records, summary = summary_records(snap.id, plan, kept)
            if records:
                conn.execute(insert(snapshot_summary), records)
            summaries.append(summary.progress)
        figures_ = figure_records(
            plan,
            [s.id for s in own],
            [snapshot_date(s.position_date, utc(s.uploaded_at)) for s in own],
            np.array(summaries, dtype=float).reshape(len(own), len(plan.codes)),
        )
        if figures_:
            conn.execute(insert(snapshot_figures), figures_)
    return len(snaps)


def row_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Kept rows as read_progress returned them (numbers typed as it types them)."""
    frame["progress"] = frame["progress"].astype(float)
    frame["row"] = frame["row"].astype(int)
    return frame
