"""The history of a work plan's uploads: each counted at its own date from the figures kept
when it was saved, the change since the previous upload, the S-curve, Riwayat's table,
comparing two uploads, restoring one and correcting its position date."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.app.service.data import Context, Dataset
from zi_dashboard.app.service.editors import ensure_allowed
from zi_dashboard.app.service.store_access import forget, get_store, store_at, store_says
from zi_dashboard.app.service.workplans import home
from zi_dashboard.counting import history
from zi_dashboard.counting.metrics import Result, Summary, compute_summary, summarise
from zi_dashboard.outputs import charts
from zi_dashboard.outputs.display import local_time
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.plan import Plan
from zi_dashboard.storage.records import Correction, Snapshot, Workplan


# A stored upload is counted from what the store kept when it was saved (metrics.summarise per
# plan row, and its figures at its own date), not by reading its rows back and recounting.
def snapshots(wp: Workplan | None = None) -> list[Snapshot]:
    """A work plan's stored uploads, newest first (asked of the store at most twice a second)."""
    return store_says(get_store().url, "uploads", (wp or home()).id)


@cached(maxsize=512)
def _summary(url: str, snapshot_id: int, plan_id: int) -> Summary:
    store = store_at(url)
    kept = store.summary(snapshot_id)
    if kept is None:  # saved without a summary (by an older copy of the dashboard): count its rows
        kept = summarise(store.parsed_plan(plan_id), store.rows(snapshot_id))
    return kept


@cached(maxsize=512)
def _snapshot_result(url: str, snap: Snapshot, as_of: date) -> Result:
    return compute_summary(store_at(url).parsed_plan(snap.plan_id), _summary(url, snap.id, snap.plan_id), as_of)


def snapshot_result(snap: Snapshot, as_of: date | None = None) -> Result:
    """A stored upload counted at `as_of`, by default at the date it describes."""
    return _snapshot_result(get_store().url, snap, as_of or history.snapshot_date(snap.position_date, snap.uploaded_at))


def previous_snapshot(data: Dataset) -> Snapshot | None:
    """The upload before the one in use, by the dates they describe (None for the example data
    or the first): history.previous_upload."""
    if data.snapshot is None:
        return None
    return history.previous_upload(snapshots(data.workplan), data.snapshot)


def since_previous(data: Dataset) -> tuple[history.SincePrevious, Snapshot] | None:
    """The change since the previous upload, each counted at its own position date (the one rule
    of Ringkasan, Mode rapat, the report and the pack), and that upload; None: no previous."""
    prev = previous_snapshot(data)
    if prev is None or data.snapshot is None:  # a previous upload only ever stands before an upload
        return None
    return history.SincePrevious(snapshot_result(prev), snapshot_result(data.snapshot)), prev


def since_previous_note(prev: Snapshot) -> str:
    return history.since_previous_note(prev.id, prev.filename, prev.position_date)


def headline_deltas(ctx: Context) -> tuple[dict[str, float], Snapshot | None]:
    """The change of the headline figures since the previous upload (since_previous)."""
    found = since_previous(ctx.data)
    return (found[0].deltas(), found[1]) if found else ({}, None)


@cached(maxsize=8)
def _planned_curve(plan: Plan, as_of: date, first: date | None = None) -> pd.DataFrame:
    """The plan's planned progress day by day, from its first target (or the as-of date, or the
    first upload, whichever is earliest: the curve spans every point drawn) to its last."""
    lo, hi = plan.span
    return history.planned_curve(plan, min(lo, as_of, first or lo), max(hi, as_of))


@cached(maxsize=16)
def _history(url: str, snaps: tuple[Snapshot, ...], part: str, workplan_id: int | None) -> pd.DataFrame:
    """Every upload's completion, overall (part "") or of one component, at its own date: the
    figures the store kept when each was saved, in one query (columns snapshot, date, and
    "overall" or the component code, by date)."""
    kept = store_at(url).figure_series(part, workplan_id)
    values = []
    for s in snaps:
        value = kept.get(s.id)
        if value is None:  # no kept figures (saved by an older copy, or a plan without this component)
            r = snapshot_result(s)
            comps = r.components.set_index("code")["completion"]
            value = r.overall_completion if not part else float(comps.get(part, np.nan))
        values.append(value)
    actual = pd.DataFrame(
        {
            "snapshot": [s.id for s in snaps],
            "date": [history.snapshot_date(s.position_date, s.uploaded_at) for s in snaps],
            part or "overall": values,
        }
    )
    return actual.sort_values(["date", "snapshot"], kind="stable").reset_index(drop=True)


def _latest_per_date(actual: pd.DataFrame) -> pd.DataFrame:
    """One point per date: the latest upload of that date (highest id), the others of the same
    date named in column "others" (for the hover)."""
    actual = actual.sort_values(["date", "snapshot"], kind="stable")
    others = actual.groupby("date")["snapshot"].agg(lambda ids: list(ids)[:-1])
    latest = actual.drop_duplicates("date", keep="last").reset_index(drop=True)
    latest["others"] = [
        L.HISTORY["same_date"].format(ids=", ".join(f"#{i}" for i in others[d])) if others[d] else ""
        for d in latest["date"]
    ]
    return latest


@cached(maxsize=16)
def _s_curve(
    url: str, snaps: tuple[Snapshot, ...], plan: Plan, as_of: date, component: str | None, workplan_id: int | None
):
    actual = _latest_per_date(_history(url, snaps, component or "", workplan_id))
    planned = _planned_curve(plan, as_of, min(actual["date"]) if len(actual) else None)
    if component:
        name = plan.components.set_index("component_code").loc[component, "component"]
        title = L.HISTORY["curve_component"].format(name=html.escape(str(name), quote=False))  # markup shows as text
    else:
        title = L.HISTORY["curve"]
    return charts.s_curve(planned, actual, component or "overall", title, as_of)


def s_curve_figure(ctx: Context, snaps: list[Snapshot]):
    """Completion of every upload against the plan (overall, or the chosen component)."""
    return _s_curve(get_store().url, tuple(snaps), ctx.plan, ctx.as_of, ctx.component, _wid(ctx))


def _correction_notes(corrections: tuple[Correction, ...]) -> dict[int, str]:
    """Per upload, its position-date corrections as Riwayat lists them (oldest first)."""
    notes: dict[int, list[str]] = {}
    for c in corrections:
        notes.setdefault(c.snapshot_id, []).append(
            L.HISTORY["corrected_note"].format(
                previous=L.fmt_date(c.previous) if c.previous else "–",
                date=L.fmt_date(c.position_date),
                by=c.by,
                when=local_time(c.at),
            )
        )
    return {k: "; ".join(v) for k, v in notes.items()}


@cached(maxsize=16)
def _snapshot_table(
    url: str,
    snaps: tuple[Snapshot, ...],
    in_use: int | None,
    corrections: tuple[Correction, ...] = (),
    workplan_id: int | None = None,
) -> pd.DataFrame:
    H = L.HISTORY
    series = _history(url, snaps, "", workplan_id)
    overall = dict(zip(series["snapshot"].tolist(), series["overall"].tolist(), strict=True))
    notes = _correction_notes(corrections)
    return pd.DataFrame(
        {
            H["col_id"]: [s.id for s in snaps],
            H["col_position"]: [L.fmt_date(s.position_date) for s in snaps],
            H["col_corrected"]: [notes.get(s.id, "") for s in snaps],
            H["col_uploaded"]: [local_time(s.uploaded_at) for s in snaps],
            H["col_by"]: [s.uploaded_by for s in snaps],
            H["col_file"]: [s.filename for s in snaps],
            H["col_overall"]: [L.fmt_pct(overall[s.id]) for s in snaps],
            H["col_in_use"]: [H["in_use"] if s.id == in_use else "" for s in snaps],
        }
    )


def snapshot_table(snaps: list[Snapshot], in_use: int | None, wp: Workplan | None = None) -> pd.DataFrame:
    """The list of a work plan's uploads as Riwayat shows it."""
    url, wid = get_store().url, (wp or home()).id
    return _snapshot_table(url, tuple(snaps), in_use, tuple(store_says(url, "corrections", wid)), wid)


def _wid(ctx: Context) -> int:
    return (ctx.workplan or home()).id


def snapshot_label(s: Snapshot) -> str:
    return L.HISTORY["snapshot_label"].format(id=s.id, date=L.fmt_date(s.position_date), file=s.filename)


@dataclass(frozen=True)
class Comparison:
    """Two uploads compared, each counted at its own date."""

    before: Result
    after: Result
    diff: pd.DataFrame  # every row's change
    moved: pd.DataFrame  # the rows that moved


@cached(maxsize=32)
def _compare(url: str, old: Snapshot, new: Snapshot) -> Comparison:
    before, after = (
        _snapshot_result(url, s, history.snapshot_date(s.position_date, s.uploaded_at)) for s in (old, new)
    )
    diff = history.changes(before, after)
    return Comparison(before, after, diff, history.moved(diff))


def compare_snapshots(old: Snapshot, new: Snapshot) -> Comparison:
    """The changes between two uploads, each at its own date."""
    return _compare(get_store().url, old, new)


def snapshot_in_use(wp: Workplan | None = None) -> int | None:
    """The id of a work plan's upload in use (None: nothing uploaded, or the example data)."""
    ident = store_says(get_store().url, "current_id", (wp or home()).id)
    return ident[1] if ident else None


def _known(snapshot_id: int, wp: Workplan) -> None:
    """LookupError unless the upload is one of this work plan's."""
    if not any(s.id == snapshot_id for s in snapshots(wp)):
        forget()  # perhaps saved a moment ago by another process
        if not any(s.id == snapshot_id for s in snapshots(wp)):
            raise LookupError(snapshot_id)


def original_file(snapshot_id: int, wp: Workplan | None = None) -> bytes:
    """The bytes of one of a work plan's uploads as it was given (LookupError: no such upload)."""
    _known(snapshot_id, wp or home())
    return get_store().snapshot(snapshot_id, content=True).content


def restore(snapshot_id: int, by: str, wp: Workplan | None = None, rights=None) -> None:
    """Make an earlier upload of a work plan its data in use again (an event; nothing is
    deleted).  LookupError: no such upload of it; NotAllowed: not an editor of its unit."""
    wp = wp or home()
    _known(snapshot_id, wp)
    ensure_allowed(by, wp, rights)
    get_store().restore(snapshot_id, by)
    forget()


def correct_position(snapshot_id: int, position_date: date, by: str, wp: Workplan | None = None, rights=None) -> None:
    """Correct the position date of a stored upload (a recorded correction, shown in Riwayat);
    its kept figures are recounted at the new date.  LookupError: no such upload of the work
    plan; NotAllowed: not an editor of its unit."""
    wp = wp or home()
    _known(snapshot_id, wp)
    ensure_allowed(by, wp, rights)
    get_store().correct_position(snapshot_id, position_date, by)
    forget()
