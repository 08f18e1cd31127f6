"""Snapshots over time: the planned curve against actual completion, and what changed between
two snapshots.  Every figure comes from metrics (compute, or figures for many dates or uploads
at once); nothing is counted here anew."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import Result, figures, plan_arrays
from zi_dashboard.reading.plan import Plan


def snapshot_date(position_date: date | None, uploaded_at) -> date:
    """The date a snapshot describes: its position date, else the day it was uploaded."""
    return position_date or uploaded_at.date()


def default_as_of(position_date: date | None, span: tuple[date, date], today: date) -> date:
    """The as-of date a view starts at, everywhere (pages, CLI, the province view): the date the
    data describes.  With no data (a plan without an upload), today kept within the plan's
    span: a past year's plan at its last target day, a coming one at its first."""
    if position_date is not None:
        return position_date
    return min(max(today, span[0]), span[1])


def planned_curve(plan: Plan, start: date | None = None, end: date | None = None, step_days: int = 1) -> pd.DataFrame:
    """Planned overall and per-component completion for each day of the plan's span:
    columns date, overall, and one column per component code.  One array operation over
    days x plan rows (metrics.figures with no progress), the same counting as compute."""
    lo, hi = plan.span
    start, end = start or lo, end or hi
    ordinals = np.arange(start.toordinal(), end.toordinal() + 1, step_days, dtype=np.int64)
    if ordinals[-1] != end.toordinal():
        ordinals = np.append(ordinals, end.toordinal())
    arrays = plan_arrays(plan)
    fig = figures(arrays, np.zeros((len(ordinals), len(arrays.codes))), ordinals)
    out = pd.DataFrame({"date": [date.fromordinal(int(o)) for o in ordinals], "overall": fig.overall_planned})
    for k, code in enumerate(arrays.component_codes):
        out[code] = fig.component_planned[:, k]
    return out


def changes(before: Result, after: Result) -> pd.DataFrame:
    """Per plan row: progress before and after and the difference, status before and after,
    notes before and after; flags for rows that became Selesai or Terlambat."""
    a = after.indicators.set_index("code")
    b = before.indicators.set_index("code").reindex(a.index)
    out = pd.DataFrame(
        {
            "code": a.index,
            "indicator": a["indicator"].to_numpy(),
            "before": b["progress"].fillna(0.0).to_numpy(),
            "after": a["progress"].to_numpy(),
            "status_before": b["status"].fillna("").to_numpy(),
            "status_after": a["status"].to_numpy(),
            "notes_before": b["notes"].fillna("").to_numpy(),
            "notes_after": a["notes"].to_numpy(),
        }
    )
    out["change"] = out["after"] - out["before"]
    out["became_done"] = (out["status_after"] == L.DONE) & (out["status_before"] != L.DONE)
    out["became_overdue"] = (out["status_after"] == L.OVERDUE) & (out["status_before"] != L.OVERDUE)
    out["notes_changed"] = out["notes_before"] != out["notes_after"]
    return out


def moved(diff: pd.DataFrame) -> pd.DataFrame:
    """The rows where anything changed, biggest progress change first."""
    m = diff[(diff["change"].abs() > 1e-9) | (diff["status_before"] != diff["status_after"]) | diff["notes_changed"]]
    return m.sort_values("change", key=lambda s: -s.abs(), kind="stable")


def changes_table(diff: pd.DataFrame, for_display: bool = False) -> pd.DataFrame:
    """The change table as users download it (numbers), or read it on a page (written the
    Indonesian way: 45,0% and +20,0 poin)."""
    yes = L.DIFF["yes"]
    pct = (lambda s: s.map(L.fmt_pct)) if for_display else (lambda s: s.round(1))
    change = diff["change"].map(L.fmt_signed_pct) if for_display else diff["change"].round(1)
    return pd.DataFrame(
        {
            L.COL["code"]: diff["code"],
            L.COL["indicator"]: diff["indicator"],
            L.DIFF["before"]: pct(diff["before"]),
            L.DIFF["after"]: pct(diff["after"]),
            L.DIFF["change"]: change,
            L.DIFF["status_before"]: diff["status_before"],
            L.DIFF["status_after"]: diff["status_after"],
            L.DIFF["became_done"]: diff["became_done"].map(lambda v: yes if v else ""),
            L.DIFF["became_overdue"]: diff["became_overdue"].map(lambda v: yes if v else ""),
            L.DIFF["notes_before"]: diff["notes_before"],
            L.DIFF["notes_after"]: diff["notes_after"],
        }
    )


def headline_deltas(current: Result, previous: Result) -> dict[str, float]:
    """Change of each headline figure from `previous` to `current` (as each was counted)."""
    out = {"overall": current.overall_completion - previous.overall_completion}
    for s in L.STATUS_ORDER:
        out[s] = current.status_counts[s] - previous.status_counts[s]
    return out


# --- the change since the previous upload: one rule for every page, the report, Mode rapat and
# the Excel pack (docs/counting.md, "Change since the previous upload")
def previous_upload(uploads, current):
    """The upload before `current` in order of the dates they describe (then of storing): the
    one the meeting before saw.  Uploads have id, position_date and uploaded_at; None: none."""

    def order(s):
        return snapshot_date(s.position_date, s.uploaded_at), s.id

    earlier = [s for s in uploads if s.id != current.id and order(s) < order(current)]
    return max(earlier, key=order, default=None)


@dataclass(frozen=True)
class SincePrevious:
    """The change since the previous upload: each upload counted at its own position date,
    what each meeting saw (the previous one recounted at a later date would show rows
    Terlambat that were on time when it was discussed, and every figure would move with the
    as-of date chosen)."""

    before: Result  # the previous upload at its own position date
    after: Result  # the upload in use at its own position date

    def deltas(self) -> dict[str, float]:
        return headline_deltas(self.after, self.before)

    def moved(self) -> pd.DataFrame:
        return moved(changes(self.before, self.after))


def since_previous_note(upload_id: int, filename: str, position_date: date | None) -> str:
    """The one sentence every output shows under the change since the previous upload."""
    return L.SINCE_PREVIOUS["note"].format(id=upload_id, file=filename, date=L.fmt_date(position_date))
