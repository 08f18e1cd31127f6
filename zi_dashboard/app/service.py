"""The data in use and everything pages show of it, computed once and kept: no Streamlit.

The pages' glue (ui.py) draws; this module answers: which data is in use (the newest stored
upload, or the example data), its figures at an as-of date, the tables and charts built from
them, the history of uploads, the meeting pack, and checking and saving an upload.  Every
number comes from metrics.compute; results are cached by the data's identity and the date.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd

from zi_dashboard.storage import auth

from zi_dashboard.outputs import charts

from zi_dashboard.counting import history

from zi_dashboard.outputs import meeting_pack
from zi_dashboard import labels as L
from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.counting.metrics import Result, compute
from zi_dashboard.reading.plan import Plan, plan_from_bytes
from zi_dashboard.reading.progress import ProgressReading, read_progress
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.store import Snapshot, Store, database_url, open_store
from zi_dashboard.outputs.template import build_template

_STORES: dict[str, Store] = {}


def get_store() -> Store:
    """The store named by ZI_DATABASE_URL (or the SQLite default), opened once per process."""
    url = database_url()
    if url not in _STORES:
        store = open_store(url)
        auth.ensure_editor(store)  # first start with no editor: a password, printed once
        _STORES[url] = store
    return _STORES[url]


@dataclass(frozen=True)
class Dataset:
    plan: Plan
    rows: pd.DataFrame             # parsed progress rows (as read_progress returns them)
    snapshot: Snapshot | None      # None: the bundled example data
    key: str                       # identity of the data in use
    filename: str
    file_position: date | None     # the position date the file states

    @property
    def is_example(self) -> bool:
        return self.snapshot is None

    @property
    def position_date(self) -> date | None:
        if self.snapshot is not None:
            return self.snapshot.position_date
        return self.file_position


@dataclass(frozen=True)
class Context:
    data: Dataset
    as_of: date
    component: str | None
    result: Result

    @property
    def plan(self) -> Plan:
        return self.data.plan

    def indicators(self) -> pd.DataFrame:
        """The indicator rows, narrowed to the sidebar's component when one is chosen."""
        ind = self.result.indicators
        return ind[ind["component_code"] == self.component] if self.component else ind

    def source_label(self) -> str:
        return L.UI["example_badge"] if self.data.is_example else self.data.filename


@lru_cache(maxsize=32)
def _read(content: bytes, filename: str, plan_sha: str, sheet: str | None = None) -> ProgressReading:
    return read_progress(content, filename, _plan(plan_sha), sheet)


@lru_cache(maxsize=16)
def _plan(sha: str) -> Plan:
    stored = _PLANS[sha]
    return plan_from_bytes(stored.content, stored.filename)


_PLANS: dict = {}


def plan_in_use() -> tuple[Plan, int]:
    """The plan new uploads are read against (the newest stored plan), and its id."""
    stored = _fresh("plan", get_store(), Store.latest_plan)
    _PLANS.setdefault(stored.sha256, stored)
    return _plan(stored.sha256), stored.id


@lru_cache(maxsize=128)
def _compute(key: str, as_of: date) -> Result:
    ds = _DATASETS[key]
    return compute(ds.plan, ds.rows, as_of)


_DATASETS: dict[str, Dataset] = {}


_IDENT: dict[str, tuple[float, tuple | None]] = {}
IDENT_MAX_AGE = 1.0  # seconds a page may show the data in use before asking the store again


def _fresh(kind: str, store: Store, ask):
    """What the store says (`ask(store)`), asked at most once a second per process: another
    process's change shows within a second, this process's own change at once (forget())."""
    now = time.monotonic()
    cached = _IDENT.get((kind, store.url))
    if cached is None or now - cached[0] > IDENT_MAX_AGE:
        cached = (now, ask(store))
        _IDENT[(kind, store.url)] = cached
    return cached[1]


def forget(store: Store) -> None:
    for key in [k for k in _IDENT if k[1] == store.url]:
        _IDENT.pop(key, None)


def _current_ident(store: Store) -> tuple[int, str] | None:
    return _fresh("data", store, Store.current_id)


def current_dataset() -> Dataset:
    store = get_store()
    ident = _current_ident(store)
    if ident:
        key = f"{store.url}#{ident[0]}"
    else:
        key = f"example:{store.url}:{plan_in_use()[1]}:{EXAMPLE_FILE.stat().st_mtime_ns}"
    if key not in _DATASETS:
        if ident is None:
            plan, _ = plan_in_use()
            content = EXAMPLE_FILE.read_bytes()
            report = read_progress(content, EXAMPLE_FILE.name, plan)
            _DATASETS[key] = Dataset(plan, report.rows, None, key, EXAMPLE_FILE.name, report.position_date)
        else:
            snap = store.snapshot(ident[1])
            stored = store.plan(snap.plan_id)
            _PLANS.setdefault(stored.sha256, stored)
            _DATASETS[key] = Dataset(_plan(stored.sha256), store.rows(snap.id), snap, key, snap.filename,
                                     snap.position_date)
    return _DATASETS[key]


def result_for(ds: Dataset, as_of: date) -> Result:
    _DATASETS.setdefault(ds.key, ds)
    return _compute(ds.key, as_of)


@lru_cache(maxsize=4)
def _template(plan_sha: str) -> bytes:
    return build_template(_plan(plan_sha))


def template_bytes() -> bytes:
    plan, plan_id = plan_in_use()
    return _template(get_store().plan(plan_id).sha256)


@dataclass
class UploadCheck:
    content: bytes
    filename: str
    report: ProgressReading | None = None
    plan_id: int | None = None
    message: str = ""                 # why the file could not be read at all
    duplicate_of: Snapshot | None = None

    @property
    def valid(self) -> bool:
        return self.report is not None and self.report.valid


def check_upload(content: bytes, filename: str, sheet: str | None = None) -> UploadCheck:
    plan, plan_id = plan_in_use()
    try:
        report = _read(content, filename, get_store().plan(plan_id).sha256, sheet)
    except UnreadableFile as exc:
        return UploadCheck(content, filename, message=str(exc))
    dup = get_store().find_by_sha(hashlib.sha256(content).hexdigest())
    return UploadCheck(content, filename, report=report, plan_id=plan_id, duplicate_of=dup)


def save_upload(check: UploadCheck, uploaded_by: str, position_date: date | None):
    if not check.valid:
        raise ValueError("invalid file cannot be saved")
    store = get_store()
    saved = store.save(check.content, check.filename, uploaded_by, position_date, check.report.rows, check.plan_id)
    forget(store)
    return saved


_CHART_FILES = {"components": "komponen", "status": "status-per-komponen", "timeline": "linimasa"}
_CHARTS = {
    "components": lambda r, c: charts.component_chart(r),
    "status": lambda r, c: charts.status_chart(r),
    "timeline": charts.timeline_chart,
}


@lru_cache(maxsize=64)
def _figure(kind: str, key: str, as_of: date, component: str | None):
    return _CHARTS[kind](_compute(key, as_of), component)


@lru_cache(maxsize=128)
def _view(kind: str, key: str, as_of: date, component: str | None) -> pd.DataFrame:
    """A table shown on a page, built once per data, date and component."""
    from zi_dashboard.outputs.display import BEHIND_COLUMNS, OVERDUE_COLUMNS, display_table, short_table
    result = _compute(key, as_of)
    if kind == "display":
        ind = result.indicators
        return display_table(ind[ind["component_code"] == component] if component else ind)
    frame, columns = (result.overdue, OVERDUE_COLUMNS) if kind == "overdue" else (result.behind, BEHIND_COLUMNS)
    if component:
        frame = frame[frame["component_code"] == component]
    return short_table(frame, columns)


@lru_cache(maxsize=128)
def _filtered(key: str, as_of: date, component: str | None, statuses: tuple, pics: tuple,
              text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from zi_dashboard.outputs.exports import indicator_table
    from zi_dashboard.outputs.display import display_table, filter_indicators
    ind = _compute(key, as_of).indicators
    if component:
        ind = ind[ind["component_code"] == component]
    shown = filter_indicators(ind, statuses=list(statuses), pics=list(pics), text=text)
    return display_table(shown), indicator_table(shown)


def filtered_tables(ctx: Context, statuses: list[str], pics: list[str], text: str):
    """(table to show, table to download) of the rows passing the Tabel page's filters."""
    return _filtered(ctx.data.key, ctx.as_of, ctx.component, tuple(statuses), tuple(pics), text)


def view(kind: str, ctx: Context) -> pd.DataFrame:
    """'overdue' / 'behind' / 'display' for the sidebar's component, ready to show."""
    return _view(kind, ctx.data.key, ctx.as_of, ctx.component)


def _local(at) -> str:
    return at.astimezone().strftime("%d/%m/%Y %H:%M")


# --- history -------------------------------------------------------------------------------
@lru_cache(maxsize=512)
def _snapshot_result(url: str, snapshot_id: int, as_of: date) -> Result:
    store = get_store()
    snap = store.snapshot(snapshot_id)
    stored = store.plan(snap.plan_id)
    _PLANS.setdefault(stored.sha256, stored)
    return compute(_plan(stored.sha256), _snapshot_rows(url, snapshot_id), as_of)


@lru_cache(maxsize=64)
def _snapshot_rows(url: str, snapshot_id: int) -> pd.DataFrame:
    return get_store().rows(snapshot_id)


def snapshot_result(snap: Snapshot, as_of: date | None = None) -> Result:
    """A stored snapshot counted at `as_of`, by default at the date it describes."""
    return _snapshot_result(get_store().url, snap.id,
                            as_of or history.snapshot_date(snap.position_date, snap.uploaded_at))


def snapshots() -> list[Snapshot]:
    """Every stored upload, newest first (asked of the store at most once a second)."""
    return _fresh("list", get_store(), Store.list)


def previous_snapshot(ctx: Context, snaps: list[Snapshot] | None = None) -> Snapshot | None:
    """The snapshot stored just before the one in use (None for example data or the first)."""
    if ctx.data.snapshot is None:
        return None
    earlier = [s for s in (snaps if snaps is not None else snapshots()) if s.id < ctx.data.snapshot.id]
    return max(earlier, key=lambda s: s.id) if earlier else None


@lru_cache(maxsize=8)
def _planned_curve(plan_key: int, as_of: date) -> pd.DataFrame:
    plan = _PLAN_BY_ID[plan_key]
    lo, hi = plan.span
    return history.planned_curve(plan, min(lo, as_of), max(hi, as_of))


_PLAN_BY_ID: dict[int, Plan] = {}


_SNAPS: dict[tuple, list] = {}


@lru_cache(maxsize=16)
def _s_curve(url: str, ids: tuple, plan_key: int, as_of: date, component: str | None):
    snaps = _SNAPS[ids]
    planned = _planned_curve(plan_key, as_of)
    points = [history.Point(s.id, history.snapshot_date(s.position_date, s.uploaded_at), snapshot_result(s))
              for s in snaps]
    actual = history.actual_points(points)
    if component:
        plan = _PLAN_BY_ID[plan_key]
        name = plan.components.set_index("component_code").loc[component, "component"]
        title = L.HISTORY["curve_component"].format(name=name)
    else:
        title = L.HISTORY["curve"]
    return charts.s_curve(planned, actual, component or "overall", title, as_of)


def snapshot_table(snaps: list[Snapshot], in_use: int | None) -> pd.DataFrame:
    _SNAPS[tuple(s.id for s in snaps)] = snaps
    return _snapshot_table(get_store().url, tuple(s.id for s in snaps), in_use)


@lru_cache(maxsize=16)
def _snapshot_table(url: str, ids: tuple, in_use: int | None) -> pd.DataFrame:
    snaps = _SNAPS[ids]
    H = L.HISTORY
    return pd.DataFrame({
        H["col_id"]: [s.id for s in snaps],
        H["col_position"]: [L.fmt_date(s.position_date) for s in snaps],
        H["col_uploaded"]: [_local(s.uploaded_at) for s in snaps],
        H["col_by"]: [s.uploaded_by for s in snaps],
        H["col_file"]: [s.filename for s in snaps],
        H["col_overall"]: [L.fmt_pct(snapshot_result(s).overall_completion) for s in snaps],
        H["col_in_use"]: [H["in_use"] if s.id == in_use else "" for s in snaps],
    })


def snapshot_label(s: Snapshot) -> str:
    return L.HISTORY["snapshot_label"].format(id=s.id, date=L.fmt_date(s.position_date), file=s.filename)


@lru_cache(maxsize=32)
def _changes(url: str, old: int, new: int):
    store = get_store()
    diff = history.changes(snapshot_result(store.snapshot(old)), snapshot_result(store.snapshot(new)))
    return diff, history.moved(diff)


def meeting(ctx: Context) -> "meeting_pack.Meeting":
    """What a meeting report shows: the data in use and the previous upload, at the as-of date."""
    prev = previous_snapshot(ctx)
    label = ""
    if prev is not None:
        label = L.REPORT["previous_label"].format(id=prev.id, file=prev.filename, date=L.fmt_date(prev.position_date))
    return meeting_pack.Meeting(ctx.result, ctx.source_label(), ctx.data.position_date,
                          snapshot_result(prev, ctx.as_of) if prev else None, label, readiness=_readiness(ctx))


def _readiness(ctx: Context):
    """Kesiapan for the meeting pack and Mode rapat: the same figures as the Kesiapan page."""
    from zi_dashboard.app import readiness_service
    in_use = readiness_service.assessment_in_use(get_store())
    return readiness_service.readiness_for(ctx.result, ctx.data.key, in_use.assessment)


@lru_cache(maxsize=16)
def _pack(kind: str, key: str, as_of: date, prev_id: int | None, assessment_id: int | None = None) -> bytes:
    m = _MEETINGS[(key, as_of, prev_id, assessment_id)]
    return meeting_pack.build_html(m) if kind == "html" else meeting_pack.build_xlsx(m)


_MEETINGS: dict = {}


MEETING_SLIDES = ["headline", "components", "timeline", "overdue", "readiness", "changes"]
def _chart_config(chart: str, as_of: date) -> dict:
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": meeting_pack.chart_name(chart, as_of)}}


# --- what pages ask for, by name ----------------------------------------------------------
def figure(kind: str, ctx: Context, component: str | None = None):
    """'components' / 'status' / 'timeline' for this data and date (built once, then kept)."""
    return _figure(kind, ctx.data.key, ctx.as_of, component)


def component_view(ctx: Context, component: str) -> pd.DataFrame:
    """The indicator table of one component, as the page shows it."""
    return _view("display", ctx.data.key, ctx.as_of, component)


def chart_config(chart: str, as_of: date) -> dict:
    return _chart_config(chart, as_of)


def chart_file(kind: str) -> str:
    return _CHART_FILES[kind]


def local_time(at) -> str:
    return _local(at)


def s_curve_figure(ctx: Context, snaps: list[Snapshot]):
    """Completion of every upload against the plan (overall, or the chosen component)."""
    _PLAN_BY_ID[id(ctx.plan)] = ctx.plan
    _SNAPS[tuple(s.id for s in snaps)] = snaps
    return _s_curve(get_store().url, tuple(s.id for s in snaps), id(ctx.plan), ctx.as_of, ctx.component)


def snapshot_changes(old: int, new: int):
    """(every row's change, the rows that moved) between two uploads, each at its own date."""
    return _changes(get_store().url, old, new)


def pack(kind: str, ctx: Context) -> bytes:
    """The meeting report ('html') or the Excel pack ('xlsx') for this data and date."""
    prev = previous_snapshot(ctx)
    from zi_dashboard.app import readiness_service
    ident = (ctx.data.key, ctx.as_of, prev.id if prev else None,
             readiness_service.assessment_in_use(get_store()).ident)
    _MEETINGS.setdefault(ident, meeting(ctx))
    return _pack(kind, *ident)
