"""The one definition of every number (domain.md, "How the dashboard counts").

Every page, export and the CLI call `compute`; nothing else derives a status or a percentage.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import date

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.reading.plan import Plan

BEHIND_MARGIN = 10.0  # percentage points below planned that make a row Tertinggal


def planned_progress(start: date, end: date, as_of: date) -> float:
    """100 * clamp(((d - start).days + 1) / ((end - start).days + 1), 0, 1)."""
    total = (end - start).days + 1
    done = (as_of - start).days + 1
    return 100.0 * min(max(done / total, 0.0), 1.0)


def status_of(progress: float, planned: float, start: date, end: date, as_of: date) -> str:
    """The first that applies: Selesai, Terlambat, Belum mulai, Tertinggal, Sesuai jadwal."""
    if progress >= 100:
        return L.DONE
    if as_of > end:
        return L.OVERDUE
    if progress == 0 and as_of < start:
        return L.NOT_STARTED
    if progress < planned - BEHIND_MARGIN:
        return L.BEHIND
    return L.ON_TRACK


def indicator_progress(plan: Plan, rows: pd.DataFrame | None) -> pd.DataFrame:
    """Per plan code: progress (mean of its rows, 0 where not reported), the number of rows,
    and the PIC, evidence and notes gathered from its rows."""
    index = pd.Index(plan.codes)
    if rows is None or rows.empty:
        return pd.DataFrame({
            "progress": 0.0, "rows": 0, "reported": False,
            "pic": "", "evidence": "", "notes": "", "status_reported": "",
        }, index=index)
    grouped = rows.groupby("code", sort=False)
    out = pd.DataFrame(index=index)
    out["progress"] = grouped["progress"].mean().reindex(index).fillna(0.0).astype(float)
    out["rows"] = grouped.size().reindex(index).fillna(0).astype(int)
    out["reported"] = out["rows"] > 0
    for k in ("pic", "evidence", "notes", "status_reported"):
        # the distinct non-empty texts of an indicator's rows, in file order, joined by "; "
        texts = rows.loc[rows[k] != "", ["code", k]].drop_duplicates()
        joined = texts.groupby("code", sort=False)[k].agg("; ".join)
        out[k] = joined.reindex(index).fillna("").astype(str)
    return out


@dataclass
class Result:
    as_of: date
    indicators: pd.DataFrame   # one row per plan row, in plan order
    components: pd.DataFrame   # one row per component, in plan order
    overall_completion: float
    overall_planned: float

    @cached_property
    def status_counts(self) -> dict[str, int]:
        counts = self.indicators["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in L.STATUS_ORDER}

    @cached_property
    def overdue(self) -> pd.DataFrame:
        """Every Terlambat row, worst first (most days overdue, then least progress)."""
        o = self.indicators[self.indicators["status"] == L.OVERDUE]
        return o.sort_values(["days_overdue", "progress", "code"], ascending=[False, True, True], kind="stable")

    @cached_property
    def behind(self) -> pd.DataFrame:
        """Every Tertinggal row, furthest behind plan first."""
        b = self.indicators[self.indicators["status"] == L.BEHIND]
        gap = b["planned"] - b["progress"]
        return b.assign(gap=gap).sort_values(["gap", "code"], ascending=[False, True], kind="stable")

    def component_status_counts(self) -> pd.DataFrame:
        """Rows per component (index: component code) and status (columns in STATUS_ORDER)."""
        t = pd.crosstab(self.indicators["component_code"], self.indicators["status"])
        t = t.reindex(index=self.components["code"], columns=L.STATUS_ORDER, fill_value=0)
        return t.fillna(0).astype(int)


def compute(plan: Plan, rows: pd.DataFrame | None, as_of: date) -> Result:
    """Plan + progress rows (as read by read_progress) + as-of date -> every figure."""
    ind = plan.rows.copy()
    prog = indicator_progress(plan, rows)
    for c in prog.columns:
        ind[c] = prog[c].to_numpy()
    starts = ind["target_start"].to_numpy()
    ends = ind["target_end"].to_numpy()
    ind["planned"] = [planned_progress(s, e, as_of) for s, e in zip(starts, ends)]
    ind["status"] = [status_of(p, pl, s, e, as_of)
                     for p, pl, s, e in zip(ind["progress"], ind["planned"], starts, ends)]
    ind["days_overdue"] = [
        (as_of - e).days if st == L.OVERDUE else 0 for st, e in zip(ind["status"], ends)
    ]
    grouped = ind.groupby("component_code", sort=False)
    comps = pd.DataFrame({
        "code": list(grouped.groups.keys()),
    })
    comps["name"] = grouped["component"].first().to_numpy()
    comps["completion"] = grouped["progress"].mean().to_numpy()
    comps["planned"] = grouped["planned"].mean().to_numpy()
    comps["indicators"] = grouped.size().to_numpy()
    comps["done"] = grouped["status"].agg(lambda s: int((s == L.DONE).sum())).to_numpy()
    comps["overdue"] = grouped["status"].agg(lambda s: int((s == L.OVERDUE).sum())).to_numpy()
    return Result(
        as_of=as_of,
        indicators=ind.reset_index(drop=True),
        components=comps,
        overall_completion=float(np.mean(ind["progress"])) if len(ind) else 0.0,
        overall_planned=float(np.mean(ind["planned"])) if len(ind) else 0.0,
    )


def round1(x: float | None) -> float | None:
    return None if x is None else round(float(x) + 0.0, 1)
