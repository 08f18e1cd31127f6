"""The one definition of every number (docs/counting.md, "How the dashboard counts").

Every page, export and the CLI call `compute`; nothing else derives a status or a percentage.
The counting itself is `figures`, over arrays: n (progress, as-of date) pairs at once, so one
data set at one date (`compute`), the planned curve (every day, no progress) and the history of
uploads (each at its own date) are the same operation.  `summarise` turns progress rows into one
summary per plan row; the store keeps that summary of every upload.  `planned_progress` and
`status_of` state the rules for one row (tests hold `figures` to them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.reading.caching import cached
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


class PlanArrays:
    """A plan's rows as arrays, made once per plan: what counting needs at any date.  Made of
    the plan rows' codes, component codes and names, and target dates (plan order): plans
    whose rows have the same of these count alike and share one PlanArrays (plan_arrays)."""

    def __init__(
        self,
        codes: tuple[str, ...],
        component_codes: tuple[str, ...],
        components: tuple[str, ...],
        starts: tuple[date, ...],
        ends: tuple[date, ...],
    ):
        self.codes = pd.Index(list(codes))
        self.start = np.array([d.toordinal() for d in starts], dtype=np.int64)
        self.end = np.array([d.toordinal() for d in ends], dtype=np.int64)
        self.length = self.end - self.start + 1
        comp = np.array(component_codes, dtype=object)
        # components in the order they first appear in the plan (as groupby(sort=False) does)
        self.component_codes = list(dict.fromkeys(comp))
        first = {c: n for n, c in reversed(list(enumerate(comp)))}
        self.component_names = [components[first[c]] for c in self.component_codes]
        where = {c: k for k, c in enumerate(self.component_codes)}
        self.component_of = np.array([where[c] for c in comp], dtype=np.int64)
        self.sizes = np.bincount(self.component_of, minlength=len(self.component_codes))
        self.membership = np.zeros((len(comp), len(self.component_codes)), dtype=np.int64)
        self.membership[np.arange(len(comp)), self.component_of] = 1
        # the rank-th row of each component, rank by rank, in plan order: for the means below
        rank = np.zeros(len(comp), dtype=np.int64)
        seen: dict = {}
        for n, k in enumerate(self.component_of):
            rank[n] = seen.get(k, 0)
            seen[k] = rank[n] + 1
        together = len(comp) > 0 and bool(np.all(np.diff(self.component_of) >= 0))
        self.starts = np.flatnonzero(np.r_[True, np.diff(self.component_of) != 0]) if together else None
        self.ranks = [
            (self.component_of[rank == r], np.flatnonzero(rank == r))
            for r in range(int(rank.max()) + 1 if len(rank) else 0)
        ]


SHARED_KEPT = 1024  # plans (and sets of plan rows) whose arrays are kept


@cached(maxsize=SHARED_KEPT)
def _shared_arrays(
    codes: tuple[str, ...],
    component_codes: tuple[str, ...],
    components: tuple[str, ...],
    starts: tuple[date, ...],
    ends: tuple[date, ...],
) -> PlanArrays:
    """The arrays of plan rows that count alike (many units given one template): made once."""
    return PlanArrays(codes, component_codes, components, starts, ends)


@cached(maxsize=SHARED_KEPT)
def plan_arrays(plan: Plan) -> PlanArrays:
    """The plan's arrays (a plan is not changed after it is read), shared by plans whose rows
    count alike (the same codes, components and target dates), so they are made once and such
    units are counted in one pass."""
    rows = plan.rows
    return _shared_arrays(
        *(tuple(rows[c].tolist()) for c in ("code", "component_code", "component", "target_start", "target_end"))
    )


def component_means(arrays: PlanArrays, values: np.ndarray) -> np.ndarray:
    """Per component, the unweighted mean of its rows' values: (n, rows) -> (n, components).

    Summed exactly as pandas' groupby mean sums a group (np.add.reduceat over each component's
    rows when every component's rows stand together, as in a plan; otherwise row by row with
    Kahan compensation), so a figure is the same to the last bit however it was asked for."""
    if arrays.starts is not None:
        return np.add.reduceat(values, arrays.starts, axis=1) / arrays.sizes
    n = values.shape[0]
    total = np.zeros((n, len(arrays.component_codes)))
    comp = np.zeros_like(total)
    for comps, cols in arrays.ranks:
        y = values[:, cols] - comp[:, comps]
        t = total[:, comps] + y
        comp[:, comps] = (t - total[:, comps]) - y
        total[:, comps] = t
    return total / arrays.sizes


TEXT_FIELDS = ("pic", "evidence", "notes", "status_reported")


class Summary:
    """Per plan row, what the progress rows say: progress (the mean of the row's progress
    rows, 0 where the file does not mention the row), the number of rows, and the texts (PIC,
    evidence, notes, status as reported) of its rows.  Independent of the as-of date: this is
    what the store keeps of each upload (store.snapshot_summary)."""

    def __init__(
        self,
        progress: np.ndarray,
        rows: np.ndarray,
        texts: dict | None = None,
        source: pd.DataFrame | None = None,
        codes: pd.Index | None = None,
    ):
        self.progress = progress
        self.rows = rows
        self._texts = texts
        self._source, self._codes = source, codes

    @property
    def texts(self) -> dict[str, np.ndarray]:
        """The distinct non-empty texts of each row's progress rows, in file order, joined by "; "."""
        if self._texts is None:
            codes = self._codes
            assert codes is not None  # a Summary made without its texts is given its codes
            rows = None if self._source is None or self._source.empty else self._source
            n = len(codes)
            texts = {}
            where = None if rows is None else codes.get_indexer(pd.Index(rows["code"]))
            for k in TEXT_FIELDS:
                out = np.full(n, "", dtype=object)
                if rows is not None and where is not None:
                    values = rows[k].to_numpy(dtype=object)
                    given = (values != "") & (where >= 0)
                    w, v = where[given], values[given]
                    if np.bincount(w, minlength=n).max(initial=0) <= 1:
                        out[w] = v
                    else:
                        gathered: dict[int, dict[str, None]] = {}
                        for i, text in zip(w.tolist(), v.tolist(), strict=False):
                            gathered.setdefault(i, {})[text] = None
                        for i, distinct in gathered.items():
                            out[i] = "; ".join(distinct)
                texts[k] = out
            self._texts = texts
        return self._texts

    def frame(self, codes) -> pd.DataFrame:
        out = pd.DataFrame(
            {"progress": self.progress, "rows": self.rows, "reported": self.rows > 0}, index=pd.Index(codes)
        )
        for k in TEXT_FIELDS:
            out[k] = self.texts[k]
        return out


def summarise(plan: Plan, rows: pd.DataFrame | None) -> Summary:
    """Progress rows (as read_progress returns them) -> the plan rows' Summary."""
    a = plan_arrays(plan)
    n = len(a.codes)
    if rows is None or rows.empty:
        return Summary(np.zeros(n), np.zeros(n, dtype=np.int64), source=None, codes=a.codes)
    where = a.codes.get_indexer(pd.Index(rows["code"]))
    keep = where >= 0
    where = where[keep]
    values = rows["progress"].to_numpy(dtype=float)[keep]
    counts = np.bincount(where, minlength=n).astype(np.int64)
    if counts.max(initial=0) <= 1:
        progress = np.zeros(n)
        progress[where] = values
    else:  # sub-activities: the mean of each plan row's progress rows
        means = rows.groupby("code", sort=False)["progress"].mean()
        progress = means.reindex(a.codes).fillna(0.0).to_numpy(dtype=float)
    return Summary(progress, counts, source=rows, codes=a.codes)


def indicator_progress(plan: Plan, rows: pd.DataFrame | None) -> pd.DataFrame:
    """Per plan code: progress (mean of its rows, 0 where not reported), the number of rows,
    and the PIC, evidence and notes gathered from its rows."""
    return summarise(plan, rows).frame(plan.codes)


STATUS_CODES = [L.DONE, L.OVERDUE, L.NOT_STARTED, L.BEHIND, L.ON_TRACK]
_STATUS_LABELS = np.array(STATUS_CODES, dtype=object)
DONE_, OVERDUE_ = 0, 1


@dataclass(frozen=True)
class Figures:
    """Every figure of n (progress, date) pairs at once, each as an array with n rows:
    `compute` is the case n = 1, the planned curve is n days of no progress, the history of
    uploads is n uploads each at its own date."""

    planned: np.ndarray  # (n, rows)
    status: np.ndarray  # (n, rows) index into STATUS_CODES
    days_overdue: np.ndarray  # (n, rows)
    completion: np.ndarray  # (n, components)
    component_planned: np.ndarray  # (n, components)
    overall_completion: np.ndarray  # (n,)
    overall_planned: np.ndarray  # (n,)


def figures(arrays: PlanArrays, progress: np.ndarray, as_of: np.ndarray) -> Figures:
    """progress (n, rows) of the plan's rows, as-of dates (n,) as day ordinals -> Figures.

    Planned progress of a row at d: 100 * clamp(((d - start) + 1) / ((end - start) + 1), 0, 1).
    Status, the first that applies: Selesai (progress >= 100), Terlambat (d > end), Belum mulai
    (progress = 0 and d < start), Tertinggal (progress < planned - 10), Sesuai jadwal."""
    d = np.asarray(as_of, dtype=np.int64)[:, None]
    planned = 100.0 * np.clip((d - arrays.start + 1) / arrays.length, 0.0, 1.0)
    late = d > arrays.end
    status = np.select(
        [progress >= 100, late, (progress == 0) & (d < arrays.start), progress < planned - BEHIND_MARGIN],
        [0, 1, 2, 3],
        4,
    )
    days_overdue = np.where(status == OVERDUE_, d - arrays.end, 0)
    if progress.shape[1]:
        overall, overall_planned = np.mean(progress, axis=1), np.mean(planned, axis=1)
    else:
        overall = overall_planned = np.zeros(progress.shape[0])
    return Figures(
        planned,
        status,
        days_overdue,
        component_means(arrays, progress),
        component_means(arrays, planned),
        overall,
        overall_planned,
    )


class Result:
    """Every figure of one data set at one as-of date.  The tables (indicators, components)
    are built when first asked for."""

    def __init__(self, plan: Plan, summary: Summary, as_of: date, fig: Figures):
        self.plan, self.summary, self.as_of, self._fig = plan, summary, as_of, fig
        self.overall_completion = float(fig.overall_completion[0])
        self.overall_planned = float(fig.overall_planned[0])

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """One row per plan row, in plan order."""
        f = self._fig
        ind = self.plan.rows.copy()
        prog = self.summary.frame(self.plan.codes)
        for c in prog.columns:
            ind[c] = prog[c].to_numpy()
        ind["planned"] = f.planned[0]
        ind["status"] = _STATUS_LABELS[f.status[0]]
        ind["days_overdue"] = f.days_overdue[0].astype(np.int64)
        return ind.reset_index(drop=True)

    @cached_property
    def components(self) -> pd.DataFrame:
        """One row per component, in plan order."""
        a, f = plan_arrays(self.plan), self._fig
        return pd.DataFrame(
            {
                "code": a.component_codes,
                "name": a.component_names,
                "completion": f.completion[0],
                "planned": f.component_planned[0],
                "indicators": a.sizes.astype(np.int64),
                "done": (f.status[0] == DONE_).astype(np.int64) @ a.membership,
                "overdue": (f.status[0] == OVERDUE_).astype(np.int64) @ a.membership,
            }
        )

    @cached_property
    def status_counts(self) -> dict[str, int]:
        counts = np.bincount(self._fig.status[0], minlength=len(STATUS_CODES))
        by = dict(zip(STATUS_CODES, counts, strict=False))
        return {s: int(by[s]) for s in L.STATUS_ORDER}

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


def compute_summary(plan: Plan, summary: Summary, as_of: date) -> Result:
    """A plan's Summary (as summarise makes it, or as the store keeps it) at an as-of date."""
    fig = figures(plan_arrays(plan), summary.progress[None, :], np.array([as_of.toordinal()]))
    return Result(plan, summary, as_of, fig)


def compute(plan: Plan, rows: pd.DataFrame | None, as_of: date) -> Result:
    """Plan + progress rows (as read by read_progress) + as-of date -> every figure."""
    return compute_summary(plan, summarise(plan, rows), as_of)


def round1(x: float | None) -> float | None:
    return None if x is None else round(float(x) + 0.0, 1)
