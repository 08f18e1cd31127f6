"""What the pages and the CLI ask: no Streamlit.

The data in use (the upload named by the newest event, or the bundled example data), its
figures at an as-of date, the tables and charts built from them, the history of uploads, the
meeting pack, and checking, saving and restoring uploads and plans.  Every number comes from
counting.metrics; the pages' glue (app/ui) only draws what this module returns, and the CLI
calls the same functions, so the two cannot disagree.

Caching: the keyed objects have a stable identity (a Plan is its file's SHA-256, a Dataset
its store and event, a Snapshot its row), so caches take them directly.  Every cache is
bounded (caching.cached); what the store says is asked at most twice a second per process.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting import history
from zi_dashboard.counting.metrics import Result, Summary, compute, compute_summary, summarise
from zi_dashboard.counting.readiness import FollowUp, Readiness, follow_up, readiness
from zi_dashboard.outputs import charts, meeting_pack, readiness_out
from zi_dashboard.outputs.display import BEHIND_COLUMNS, OVERDUE_COLUMNS, display_table, filter_indicators, short_table
from zi_dashboard.outputs.exports import file_owner, indicator_table
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading import sandbox
from zi_dashboard.reading import units as units_reading
from zi_dashboard.reading.assessment import Assessment
from zi_dashboard.reading.assessment import from_json as assessment_from_json
from zi_dashboard.reading.assessment import validate as validate_assessment
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.reading.limits import too_long, visitor_text
from zi_dashboard.reading.lke import Lke, load_lke
from zi_dashboard.reading.plan import BUNDLED_UNIT, BUNDLED_YEAR, Plan, PlanError
from zi_dashboard.reading.problems import Problem
from zi_dashboard.reading.progress import ProgressReading, no_rows, read_progress
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage import auth
from zi_dashboard.storage.engine import database_url
from zi_dashboard.storage.records import Correction, Saved, Snapshot, StoredAssessment, StoredPlan, Workplan
from zi_dashboard.storage.store import Store, open_store

MIN_YEAR, MAX_YEAR = 2020, 2100  # the years a work plan may be for
# seconds a page may show what the store said before asking again: another server's change
# (two servers on one PostgreSQL) must reach a viewer within 2 s, drawing the page included
# (tests/test_two_servers.py: at 1 s, 2.1 s was measured on a busy 2-core machine)
STORE_MAX_AGE = 0.5
MEETING_SLIDES = ["headline", "components", "timeline", "overdue", "readiness", "changes", "tpi"]


# --- the store ---------------------------------------------------------------------------------
@cached(maxsize=4)
def _open(url: str) -> Store:
    return open_store(url)


def get_store() -> Store:
    """The store named by ZI_DATABASE_URL (or the SQLite default), opened once per process."""
    return _open(database_url())


@cached(maxsize=4)
def _editor_ready(url: str) -> bool:
    auth.ensure_editor(_open(url))  # no editor yet: one is made and its password printed, once
    return True


def ensure_editor() -> None:
    """The dashboard's first start: with no editor configured, make one (auth.ensure_editor)."""
    _editor_ready(get_store().url)


@cached(maxsize=256, ttl=STORE_MAX_AGE)
def _store_says(url: str, question: str, *args):
    """What the store answers (`Store.<question>(*args)`), asked at most every STORE_MAX_AGE
    seconds per process: another process's change shows within that time, this process's own
    change at once (forget())."""
    return getattr(_open(url), question)(*args)


def pulse() -> tuple:
    """What changes whenever any unit's data does (asked of the store twice a second)."""
    return _store_says(get_store().url, "pulse")


def forget() -> None:
    """After this process changed the store: ask it again at the next question."""
    _store_says.cache_clear()


# --- editors -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Login:
    """The outcome of a login attempt."""

    editor: str | None  # the editor's name when name and password match
    key: str | None  # the editor's hash in force: a later change of it ends the session
    failures: int = 0  # wrong tries so far (per name and per address, in the store)
    wait: float = 0.0  # seconds before the next try is accepted


def login(name: str, password: str, address: str | None) -> Login:
    """Check a login against the editors in force; tries are counted in the store per editor
    name at the client address and per address, before the password is checked, with a
    growing wait (at most an hour) after auth.MAX_TRIES."""
    if too_long(name, password):  # no name or password is this long: refused before any work
        return Login(None, None)
    store = get_store()
    editors = auth.editors_for(store)
    found, failures, wait = auth.login(store, editors, name, password, address)
    return Login(found, editors[found]) if found else Login(None, None, failures, wait)


def start_session(name: str, key: str) -> str:
    """After a login: a session kept in the store for auth.SESSION_HOURS; -> the browser cookie's value."""
    return auth.start_session(get_store(), name, key)


def resumed(cookie: str | None) -> Login:
    """The login a browser's session cookie still stands for (after a reload), else no editor.
    Asked of the store at most every STORE_MAX_AGE seconds per cookie."""
    if not cookie or too_long(cookie):
        return Login(None, None)
    name = _session_of(get_store().url, cookie)
    return Login(name, editor_key(name)) if name else Login(None, None)


@cached(maxsize=256, ttl=STORE_MAX_AGE)
def _session_of(url: str, cookie: str) -> str | None:
    store = _open(url)
    return auth.resume_session(store, auth.editors_for(store), cookie)


def end_session(cookie: str | None) -> None:
    """A logout: the session's cookie logs no one in again."""
    auth.end_session(get_store(), cookie)
    _session_of.cache_clear()


def editor_key(name: str) -> str | None:
    """The hash in force for an editor (None when the name is no editor now)."""
    return auth.editors_for(get_store()).get(name)


def may_edit(name: str | None, wp: Workplan) -> bool:
    """Whether an editor may change a work plan's data (upload, restore, correct, assess, add
    or replace its plan): an editor of its unit, or of every unit ('*')."""
    return may_add_plan(name, wp.unit)


def may_add_plan(name: str | None, unit: str) -> bool:
    """Whether an editor may add or replace a plan of this unit."""
    return bool(name) and editor_key(name) is not None and auth.may_edit(name, unit)


# --- units and years ---------------------------------------------------------------------------
def workplans() -> list[Workplan]:
    """Every work plan (unit, year), by unit and year (asked of the store twice a second)."""
    return _store_says(get_store().url, "workplans")


def home() -> Workplan:
    """The work plan a store starts with (the bundled unit and year on a new store)."""
    return _store_says(get_store().url, "home")


def unit_line(wp: Workplan | None) -> str:
    """'KPU Kota Tasikmalaya Tahun 2025': whose data, as titles and files name it."""
    wp = wp or home()
    return L.UNITS["unit_year"].format(unit=wp.unit, year=wp.year)


def units() -> list[str]:
    """The units: those configured (the unit list) and those with a work plan, configured first."""
    seen = dict.fromkeys(auth.configured_units())
    keys = {unit_key(u) for u in seen}
    for key, name in _unit_index()[1].items():
        if key not in keys:
            seen[name] = None
            keys.add(key)
    return list(seen)


def years_of(unit: str) -> list[int]:
    """The years with a work plan of this unit, oldest first."""
    return sorted(wp.year for wp in _unit_index()[0].get(unit_key(unit), ()))


def years() -> list[int]:
    return sorted({wp.year for wp in workplans()})


def unit_key(text: str) -> str:
    """What two spellings of one unit share: 'KPU Kota Tasikmalaya', 'kpu  kota tasikmalaya',
    'kota-tasikmalaya' (the URL's form) give the same key."""
    return _slug(str(text or ""))


@cached(maxsize=8192)
def _slug(text: str) -> str:
    return units_reading.unit_slug(text)


_INDEX: list = [None]  # (the workplans() answer it was made of, work plans by unit key, unit names by key)


def _unit_index() -> tuple[dict[str, list[Workplan]], dict[str, str]]:
    """The work plans by unit key and the units with a work plan (each key's first spelling),
    made once per answer of the store: the sidebar asks years_of for every unit, and with
    hundreds of units going through every work plan each time took seconds."""
    wps = workplans()
    made = _INDEX[0]
    if made is None or made[0] is not wps:
        by_key: dict[str, list[Workplan]] = {}
        names: dict[str, str] = {}
        for wp in wps:
            key = unit_key(wp.unit)
            by_key.setdefault(key, []).append(wp)
            names.setdefault(key, wp.unit)
        made = _INDEX[0] = (wps, by_key, names)
    return made[1], made[2]


def known_unit(text: str) -> str | None:
    """The unit (as the store or the unit list names it) that `text` names, if any."""
    key = unit_key(text)
    return next((u for u in units() if unit_key(u) == key), None) if key else None


def address_int(text: object, digits: int) -> int | None:
    """A whole number as a link or a form sends it: 1 to `digits` ASCII digits and nothing else
    (no sign, space, '²', full-width digits or 5,000 digits); None for anything else."""
    ok = isinstance(text, str) and 0 < len(text) <= digits and text.isascii() and text.isdigit()
    return int(text) if ok else None


def year_of(text: object) -> int | None:
    """A year as the address (?tahun=) sends it: four digits within MIN_YEAR..MAX_YEAR; else None."""
    year = text if isinstance(text, int) and not isinstance(text, bool) else address_int(text, 4)
    return year if year is not None and MIN_YEAR <= year <= MAX_YEAR else None


def workplan_of(unit: str | None, year: int | str | None) -> Workplan | None:
    """The work plan of a unit (name or URL form) and year; without a year, the unit's latest;
    without a unit, the home unit's.  None when there is no such work plan (and for a text no
    unit or year can be: longer than limits.MAX_TEXT_CHARS, refused before any work)."""
    if too_long(unit, year):
        return None
    key = unit_key(unit) if unit else unit_key(home().unit)
    mine = list(_unit_index()[0].get(key, ()))
    if year not in (None, ""):
        wanted = year_of(year)
        if wanted is None:
            return None
        mine = [wp for wp in mine if wp.year == wanted]
        if not mine and not unit:  # a year alone (the province page's address): any unit's plan of it
            mine = [wp for wp in workplans() if wp.year == wanted][:1]
    return max(mine, key=lambda wp: wp.year) if mine else None


def shown_workplan(unit: str | None = None) -> Workplan | None:
    """The year a unit is shown at when none is named (pages, the CLI's reading commands): its
    latest year that has data, else its latest (after next year's plan is added, this year's
    figures are shown until the new plan has an upload).  Without a unit, the home unit's."""
    latest = workplan_of(unit, None)
    if latest is None or has_data(latest):
        return latest
    key = unit_key(unit) if unit else unit_key(home().unit)
    with_data = [wp for wp in _unit_index()[0].get(key, ()) if has_data(wp)]
    return max(with_data, key=lambda wp: wp.year) if with_data else latest


def has_data(wp: Workplan) -> bool:
    """Whether a work plan has anything to show: an upload, or the example data standing in."""
    return _shows_example(wp) or _store_says(get_store().url, "current_id", wp.id) is not None


# --- the data in use ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Dataset:
    """Progress rows read against a plan: an upload, the bundled example data, or a file."""

    plan: Plan
    rows: pd.DataFrame  # parsed progress rows (as read_progress returns them)
    snapshot: Snapshot | None  # the stored upload, if it is one
    key: str  # identity: the store and the event that made it the data in use
    filename: str
    file_position: date | None  # the position date the file states
    example: bool = False  # the bundled example data
    workplan: Workplan | None = None  # the unit and year it belongs to

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Dataset) and other.key == self.key

    @property
    def is_example(self) -> bool:
        return self.example

    @property
    def position_date(self) -> date | None:
        return self.snapshot.position_date if self.snapshot is not None else self.file_position

    @property
    def source_label(self) -> str:
        return L.UI["example_badge"] if self.is_example else self.filename

    @property
    def empty(self) -> bool:
        """A work plan with nothing uploaded yet (every row at 0%)."""
        return self.snapshot is None and not self.example


@dataclass(frozen=True)
class Context:
    """The data in use, the as-of date and the component chosen, with the figures."""

    data: Dataset
    as_of: date
    component: str | None
    result: Result

    @property
    def plan(self) -> Plan:
        return self.data.plan

    @property
    def workplan(self) -> Workplan:
        return self.data.workplan

    def indicators(self) -> pd.DataFrame:
        """The indicator rows, narrowed to the chosen component."""
        ind = self.result.indicators
        return ind[ind["component_code"] == self.component] if self.component else ind

    def source_label(self) -> str:
        return self.data.source_label


def plan_in_use(wp: Workplan | None = None) -> tuple[Plan, int]:
    """The plan new uploads of a work plan are read against (its newest plan), and its id."""
    wp = wp or home()
    plan_id = _store_says(get_store().url, "plan_id_of", wp.id)
    return get_store().parsed_plan(plan_id), plan_id


def _shows_example(wp: Workplan) -> bool:
    """The bundled example data stands in for the bundled unit's bundled year until its first upload."""
    return (wp.unit, wp.year) == (BUNDLED_UNIT, BUNDLED_YEAR)


@cached(maxsize=32)
def _dataset(url: str, wp: Workplan, ident: tuple[int, int] | None, plan_id: int, example_mtime: int) -> Dataset:
    store = _open(url)
    if ident is None:
        plan = store.parsed_plan(plan_id)
        if example_mtime:
            reading = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan)  # our own file
            return Dataset(
                plan,
                reading.rows,
                None,
                f"example:{url}:{plan_id}:{example_mtime}",
                EXAMPLE_FILE.name,
                reading.position_date,
                example=True,
                workplan=wp,
            )
        return Dataset(plan, no_rows(), None, f"empty:{url}:{wp.id}:{plan_id}", "", None, workplan=wp)
    snap = store.snapshot(ident[1])
    return Dataset(
        store.parsed_plan(snap.plan_id),
        store.rows(snap.id),
        snap,
        f"{url}#{ident[0]}",
        snap.filename,
        snap.position_date,
        workplan=wp,
    )


def current_dataset(wp: Workplan | None = None) -> Dataset:
    """A work plan's data in use (by default the home work plan's): the upload named by its
    newest event; before any upload, the example data (bundled unit and year) or no progress."""
    store = get_store()
    wp = wp or home()
    ident = _store_says(store.url, "current_id", wp.id)
    if ident is None:
        example = EXAMPLE_FILE.stat().st_mtime_ns if _shows_example(wp) else 0
        return _dataset(store.url, wp, None, plan_in_use(wp)[1], example)
    return _dataset(store.url, wp, tuple(ident), 0, 0)


def starting_as_of(data: Dataset) -> date:
    """The as-of date the data is shown at unless one is chosen (history.default_as_of)."""
    return history.default_as_of(data.position_date, data.plan.span, date.today())


@cached(maxsize=128)
def result_for(data: Dataset, as_of: date) -> Result:
    """Every figure of the data at the as-of date (counting.metrics.compute)."""
    return compute(data.plan, data.rows, as_of)


def file_dataset(check: UploadCheck) -> Dataset:
    """A checked (valid) file as data to count, without storing it."""
    return Dataset(
        check.plan,
        check.reading.rows,
        None,
        "file:" + hashlib.sha256(check.content).hexdigest(),
        check.filename,
        check.reading.position_date,
        workplan=check.workplan,
    )


def context_for(
    as_of: date, component: str | None = None, data: Dataset | None = None, wp: Workplan | None = None
) -> Context:
    """The Context of a work plan's data in use (or `data`) at a date: what the CLI builds, as
    pages do."""
    data = data or current_dataset(wp)
    return Context(data, as_of, component, result_for(data, as_of))


# --- what pages show of it ---------------------------------------------------------------------
_CHARTS = {
    "components": lambda r, c: charts.component_chart(r),
    "status": lambda r, c: charts.status_chart(r),
    "timeline": charts.timeline_chart,
}


@cached(maxsize=64)
def _figure(kind: str, data: Dataset, as_of: date, component: str | None):
    return _CHARTS[kind](result_for(data, as_of), component)


def figure(kind: str, ctx: Context, component: str | None = None):
    """'components' / 'status' / 'timeline' for this data and date (built once, then kept)."""
    return _figure(kind, ctx.data, ctx.as_of, component)


def chart_config(kind: str, as_of: date, wp: Workplan | None = None) -> dict:
    """Plotly's options for a chart: no logo, no zoom or pan, PNG download at twice the size,
    named by the unit, year and date."""
    return {
        "displaylogo": False,
        "modeBarButtons": [["toImage"]],  # the PNG download only (its tip in Indonesian)
        "toImageButtonOptions": {
            "format": "png",
            "scale": 2,
            "filename": meeting_pack.chart_name(L.CHART_FILES[kind], as_of, unit_line(wp)),
        },
    }


@cached(maxsize=128)
def _indicator_table(data: Dataset, as_of: date, component: str | None) -> pd.DataFrame:
    ind = result_for(data, as_of).indicators
    return display_table(ind[ind["component_code"] == component] if component else ind)


def indicator_table_of(ctx: Context, component: str) -> pd.DataFrame:
    """The indicator table of one component, as the page shows it."""
    return _indicator_table(ctx.data, ctx.as_of, component)


@cached(maxsize=128)
def _status_table(kind: str, data: Dataset, as_of: date, component: str | None) -> pd.DataFrame:
    result = result_for(data, as_of)
    frame, columns = (result.overdue, OVERDUE_COLUMNS) if kind == "overdue" else (result.behind, BEHIND_COLUMNS)
    if component:
        frame = frame[frame["component_code"] == component]
    return short_table(frame, columns)


def status_table(kind: str, ctx: Context) -> pd.DataFrame:
    """The 'overdue' (worst first) or 'behind' rows of the chosen component, ready to show."""
    return _status_table(kind, ctx.data, ctx.as_of, ctx.component)


@cached(maxsize=128)
def _filtered(
    data: Dataset, as_of: date, component: str | None, statuses: tuple, pics: tuple, text: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    ind = result_for(data, as_of).indicators
    if component:
        ind = ind[ind["component_code"] == component]
    shown = filter_indicators(ind, statuses=list(statuses), pics=list(pics), text=text)
    return display_table(shown), indicator_table(shown)


def filtered_tables(ctx: Context, statuses: list[str], pics: list[str], text: str):
    """(table to show, table to download) of the rows passing the Tabel page's filters."""
    return _filtered(ctx.data, ctx.as_of, ctx.component, tuple(statuses), tuple(pics), visitor_text(text))


def filter_lines(ctx: Context, statuses: list[str], pics: list[str], text: str) -> list[str]:
    """What a filtered Tabel download holds, written into the file: the filters and the
    position date of the data."""
    U = L.UI
    parts, text = [], visitor_text(text)
    if ctx.component:
        names = ctx.plan.components.set_index("component_code")["component"]
        parts.append(f"{L.COL['component']} = {ctx.component} {names.get(ctx.component, '')}".strip())
    if statuses:
        parts.append(f"{U['filter_status']} = {', '.join(statuses)}")
    if pics:
        parts.append(f"{U['filter_pic']} = {', '.join(pics)}")
    if text.strip():
        parts.append(U["filter_text_line"].format(text=text.strip()))
    pos = ctx.data.position_date
    return [
        U["filters_line"].format(filters="; ".join(parts) if parts else U["filters_none"]),
        U["position"].format(date=L.fmt_date(pos)) if pos else U["no_position"],
    ]


def local_time(at) -> str:
    return at.astimezone().strftime("%d/%m/%Y %H:%M")


# --- checking and saving an upload -------------------------------------------------------------
@dataclass
class UploadCheck:
    content: bytes
    filename: str
    reading: ProgressReading | None = None
    plan: Plan | None = None  # the plan it was read against
    plan_id: int | None = None
    message: str = ""  # why the file could not be read at all
    duplicate_of: Snapshot | None = None
    workplan: Workplan | None = None  # the unit and year it is an upload of

    @property
    def valid(self) -> bool:
        return self.reading is not None and self.reading.valid


@cached(maxsize=8, max_bytes=64 * 1024 * 1024)
def _read(
    content: bytes, filename: str, plan: Plan, sheet: str | None, progress_column: str | None = None
) -> ProgressReading | UnreadableFile:
    """An uploaded file, read in a child process (sandbox: a hostile file can only kill that);
    the reading, or why it cannot be read (kept too, so a page rerun does not read it again)."""
    try:
        return sandbox.read_progress(content, filename, plan, sheet, progress_column)
    except sandbox.Busy:
        raise  # not the file's fault: nothing kept, the next try reads it
    except UnreadableFile as exc:
        return exc


def prepare_reader() -> None:
    """Start the file reader's process in the background (before a file is chosen)."""
    sandbox.warm()


def check_upload(
    content: bytes,
    filename: str,
    sheet: str | None = None,
    progress_column: str | None = None,
    wp: Workplan | None = None,
) -> UploadCheck:
    """Read and validate an uploaded progress file against a work plan's plan in use (its
    progress from `progress_column` when the editor chose one); nothing is stored."""
    wp = wp or home()
    plan, plan_id = plan_in_use(wp)
    try:
        reading = _read(content, filename, plan, sheet, progress_column)
    except sandbox.Busy as exc:  # too many reads at once on the server: try again (nothing kept)
        reading = exc
    if isinstance(reading, UnreadableFile):
        return UploadCheck(content, filename, message=str(reading), workplan=wp)
    dup = get_store().find_by_sha(hashlib.sha256(content).hexdigest(), wp.id)  # once per work plan
    return UploadCheck(content, filename, reading=reading, plan=plan, plan_id=plan_id, duplicate_of=dup, workplan=wp)


def upload_changes(ctx: Context, check: UploadCheck) -> tuple[pd.DataFrame, Result]:
    """What saving a checked file would change against the data in use, by the rule of the
    change since the previous upload (history.SincePrevious: the data in use at its position
    date, the file at the date it states; a file stating none at the as-of date): what Ringkasan
    shows once it is saved.  (the rows that move, the file's figures)."""
    new = compute(check.plan, check.reading.rows, check.reading.position_date or ctx.as_of)
    before = result_for(ctx.data, starting_as_of(ctx.data))
    return history.SincePrevious(before, new).moved(), new


class NotAllowed(PermissionError):
    """An editor acting on a unit that is not theirs."""


# Who acts: an editor logged in on a page (checked against their units), or the operator of the
# server at its command line (OPERATOR: the `--by` name is recorded, the shell's rights decide).
OPERATOR = object()


def ensure_allowed(by: str, wp: Workplan, rights=None) -> None:
    """NotAllowed unless `by` edits the unit of `wp` (or the operator acts at the command line)."""
    if rights is not OPERATOR and not may_edit(by, wp):
        raise NotAllowed(L.UNITS["not_your_unit"].format(name=by, unit=wp.unit))


def save_upload(check: UploadCheck, uploaded_by: str, position_date: date | None, rights=None) -> Saved:
    """Store a valid file as an upload of its work plan: the data in use from now on, unless
    the data in use describes a later date (then kept in history: Saved.replaced names the
    newer data; restoring it on purpose makes it the data in use).  NotAllowed: the editor is
    not an editor of that unit."""
    if not check.valid:
        raise ValueError("invalid file cannot be saved")
    wp = check.workplan or home()
    ensure_allowed(uploaded_by, wp, rights)
    saved = get_store().save(
        check.content, check.filename, uploaded_by, position_date, check.reading.rows, check.plan_id, wp.id
    )
    forget()
    return saved


def newer_in_use(check: UploadCheck, position: date | None) -> Snapshot | None:
    """The data in use of the file's work plan when it describes a later date than `position`:
    saving the file would keep it in history without replacing that data.  None otherwise."""
    if position is None:
        return None
    return get_store().newer_in_use((check.workplan or home()).id, position)


def kept_note(saved: Saved) -> str:
    """What became of an upload saved while newer data is in use (Saved.replaced)."""
    newer = saved.replaced
    return L.OLDER["kept"].format(
        id=saved.snapshot.id,
        date=L.fmt_date(saved.snapshot.position_date),
        current=newer.id,
        current_date=L.fmt_date(newer.position_date),
    )


@cached(maxsize=16)
def _template(plan: Plan, title: str) -> bytes:
    return build_template(plan, title)


def template_name(wp: Workplan | None = None) -> str:
    """The template's file name, with the unit and year (two units' templates never collide)."""
    return f"templat-progres-zi-{file_owner(unit_line(wp))}.xlsx"


def template_bytes(wp: Workplan | None = None) -> bytes:
    """The fill-in template of a work plan's plan in use, titled with its unit and year."""
    wp = wp or home()
    return _template(plan_in_use(wp)[0], unit_line(wp))


def read_plan_file(content: bytes, filename: str) -> Plan:
    """A plan file an editor gives, read in a child process.  Raises UnreadableFile or
    PlanError (with every problem); nothing is stored."""
    return sandbox.read_plan(content, filename)


def plan_unit_year(plan: Plan) -> tuple[str | None, int | None]:
    """The unit and year a plan file's title states ("… KPU KOTA TASIKMALAYA TAHUN 2025"); the
    unit as the unit list or the store already names it."""
    unit, year = units_reading.unit_year_from_lines([plan.title])
    if unit:
        unit = known_unit(unit) or unit
    return unit, year


def save_plan(content: bytes, filename: str, by: str, wp: Workplan | None = None, rights=None) -> StoredPlan:
    """Store a plan file (checked with read_plan_file first) as a new version of a work plan's
    plan (by default the home work plan)."""
    wp = wp or home()
    return add_plan(content, filename, by, wp.unit, wp.year, rights)[1]


def add_plan(content: bytes, filename: str, by: str, unit: str, year: int, rights=None) -> tuple[Workplan, StoredPlan]:
    """Store a plan file as the plan of `unit` for `year`: a new work plan (a new unit, or the
    next year), or a new version of that work plan's plan.  Other units' and years' data are not
    touched.  Raises UnreadableFile / PlanError (the file), ValueError (unit or year), NotAllowed."""
    plan = read_plan_file(content, filename)  # never store what does not read
    unit = " ".join(str(unit or "").split())
    if not unit:
        raise ValueError(L.UNITS["unit_missing"])
    listed = auth.configured_units()
    if listed and not known_unit(unit):
        raise ValueError(L.UNITS["unit_not_listed"].format(unit=unit))
    unit = known_unit(unit) or unit
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(L.UNITS["year_invalid"].format(year=year, lo=MIN_YEAR, hi=MAX_YEAR))
    if rights is not OPERATOR and not may_add_plan(by, unit):
        raise NotAllowed(L.UNITS["not_your_unit"].format(name=by, unit=unit))
    wp, stored = get_store().add_plan(unit, year, content, filename, by, plan)
    forget()
    return wp, stored


# --- history -----------------------------------------------------------------------------------
# A stored upload is counted from what the store kept when it was saved (metrics.summarise per
# plan row, and its figures at its own date), not by reading its rows back and recounting.
def snapshots(wp: Workplan | None = None) -> list[Snapshot]:
    """A work plan's stored uploads, newest first (asked of the store at most twice a second)."""
    return _store_says(get_store().url, "uploads", (wp or home()).id)


@cached(maxsize=512)
def _summary(url: str, snapshot_id: int, plan_id: int) -> Summary:
    store = _open(url)
    kept = store.summary(snapshot_id)
    if kept is None:  # saved without a summary (by an older copy of the dashboard): count its rows
        kept = summarise(store.parsed_plan(plan_id), store.rows(snapshot_id))
    return kept


@cached(maxsize=512)
def _snapshot_result(url: str, snap: Snapshot, as_of: date) -> Result:
    return compute_summary(_open(url).parsed_plan(snap.plan_id), _summary(url, snap.id, snap.plan_id), as_of)


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
    if prev is None:
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
    kept = _open(url).figure_series(part, workplan_id)
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
    return _snapshot_table(url, tuple(snaps), in_use, tuple(_store_says(url, "corrections", wid)), wid)


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
    before, after = snapshot_result(old), snapshot_result(new)
    diff = history.changes(before, after)
    return Comparison(before, after, diff, history.moved(diff))


def compare_snapshots(old: Snapshot, new: Snapshot) -> Comparison:
    """The changes between two uploads, each at its own date."""
    return _compare(get_store().url, old, new)


def snapshot_in_use(wp: Workplan | None = None) -> int | None:
    """The id of a work plan's upload in use (None: nothing uploaded, or the example data)."""
    ident = _store_says(get_store().url, "current_id", (wp or home()).id)
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


# --- the meeting pack --------------------------------------------------------------------------
def meeting(ctx: Context) -> meeting_pack.Meeting:
    """What a meeting report shows: the data in use at the as-of date, and the change since
    the previous upload (since_previous)."""
    found = since_previous(ctx.data)
    wp = ctx.workplan or home()
    answers = lke_in_use(wp)
    tpi = _tpi_in_use(wp)
    return meeting_pack.Meeting(
        ctx.result,
        ctx.source_label(),
        ctx.data.position_date,
        found[0].before if found else None,
        since_previous_note(found[1]) if found else "",
        readiness=readiness_of(ctx),
        unit=unit_line(wp),
        current=found[0].after if found else None,
        lke=answers[0] if answers else None,
        lke_source=answers[1] if answers else "",
        tpi=tpi.comparison if tpi else None,
        tpi_source=tpi.source if tpi else "",
    )


def _tpi_in_use(wp: Workplan):
    """Mandiri vs TPI of the answers in use (app.lke_compare.in_use), None without TPI answers."""
    from zi_dashboard.app import lke_compare  # app.lke_compare builds on this module

    return lke_compare.in_use(wp)


def lke_in_use(wp: Workplan):
    """The score from the LKE answers in use and which set they are, or None when none are saved."""
    from zi_dashboard.app import lke as service_lke  # app.lke builds on this module

    result, found = service_lke.score_in_use(wp)
    return None if found.stored is None else (result, service_lke.set_label(found.stored))


@cached(maxsize=8, max_bytes=48 * 1024 * 1024)
def _pack(
    kind: str,
    data: Dataset,
    as_of: date,
    previous: Snapshot | None,
    assessment: int | None,
    lke_set: str | None = None,
    tpi_sets: tuple | None = None,
) -> bytes:
    m = meeting(Context(data, as_of, None, result_for(data, as_of)))
    return meeting_pack.build_html(m) if kind == "html" else meeting_pack.build_xlsx(m)


def pack(kind: str, ctx: Context) -> bytes:
    """The meeting report ('html') or the Excel pack ('xlsx') for this data and date."""
    answers = lke_in_use(ctx.workplan or home())
    tpi = _tpi_in_use(ctx.workplan or home())
    return _pack(
        kind,
        ctx.data,
        ctx.as_of,
        previous_snapshot(ctx.data),
        assessment_in_use(ctx.workplan).ident,
        answers[1] if answers else None,
        tpi.key if tpi else None,
    )


# --- readiness (Kesiapan): the LKE estimate and the self-assessment --------------------------------
def lke() -> Lke:
    """The LKE's structure (areas, sub-areas, weights, gates), as bundled."""
    return load_lke()


@dataclass(frozen=True)
class AssessmentInUse:
    assessment: Assessment
    stored: StoredAssessment | None  # None: nothing saved yet (every value counts 0)
    problems: tuple[Problem, ...] = ()  # what is wrong with the stored values (counted clipped/blank)

    @property
    def ident(self) -> int | None:
        return self.stored.id if self.stored else None


@cached(maxsize=64)
def _stored_assessment(values_json: str) -> tuple[Assessment, tuple[Problem, ...]]:
    found, problems = assessment_from_json(values_json, lke())
    return found, tuple(problems)


def _assessment(values_json: str) -> Assessment:
    """A stored assessment as counted: never over a maximum (see reading.assessment.from_json)."""
    return _stored_assessment(values_json)[0]


def assessment_in_use(wp: Workplan | None = None) -> AssessmentInUse:
    """A work plan's newest saved self-assessment (or an empty one), asked of the store twice a
    second, with what is wrong with it (values saved before the no-tolerance rule)."""
    stored = _store_says(get_store().url, "latest_assessment", (wp or home()).id)
    if stored is None:
        return AssessmentInUse(Assessment(), None)
    found, problems = _stored_assessment(stored.values)
    return AssessmentInUse(found, stored, problems)


@dataclass(frozen=True)
class AssessmentCheck:
    assessment: Assessment | None
    problems: list[Problem]

    @property
    def valid(self) -> bool:
        return self.assessment is not None and not self.problems


def check_assessment_values(raw: dict[str, object]) -> AssessmentCheck:
    """Values as typed (field code -> text or number; blank = not entered); nothing is stored."""
    found, problems = validate_assessment(raw, lke())
    return AssessmentCheck(found, problems)


def check_assessment_sheet(data: bytes, filename: str) -> AssessmentCheck:
    """An uploaded self-assessment sheet, read in a child process (raises UnreadableFile)."""
    found, problems = sandbox.read_assessment(data, filename, lke())
    return AssessmentCheck(found, problems)


def save_assessment(
    check: AssessmentCheck, by: str, source: str, wp: Workplan | None = None, rights=None
) -> StoredAssessment:
    """Keep a valid self-assessment of a work plan (with who, when, where from); it is in use
    from now on.  NotAllowed: not an editor of its unit."""
    if not check.valid:
        raise ValueError("an invalid self-assessment cannot be saved")
    wp = wp or home()
    ensure_allowed(by, wp, rights)
    saved = get_store().save_assessment(check.assessment.to_json(), source, by, wp.id)
    forget()
    return saved


def assessments(wp: Workplan | None = None) -> list[StoredAssessment]:
    """Every saved self-assessment of a work plan, newest first."""
    return get_store().assessments((wp or home()).id)


def assessment_template(wp: Workplan | None = None) -> bytes:
    """The self-assessment template, filled with a work plan's values in use."""
    return readiness_out.assessment_template(lke(), assessment_in_use(wp).assessment.values())


@cached(maxsize=64)
def _readiness(data: Dataset, as_of: date, assessment_json: str, assume_done: tuple[str, ...]) -> Readiness:
    return readiness(result_for(data, as_of), _assessment(assessment_json), lke(), assume_done)


def readiness_of(ctx: Context, assessment: Assessment | None = None, assume_done: tuple[str, ...] = ()) -> Readiness:
    """Kesiapan of the data at the as-of date with a self-assessment (the one in use unless
    given, e.g. a what-if), assuming the rows `assume_done` finished; nothing is stored."""
    chosen = assessment if assessment is not None else assessment_in_use(ctx.workplan).assessment
    return _readiness(ctx.data, ctx.as_of, chosen.to_json(), tuple(sorted(assume_done)))


def follow_ups(r: Readiness) -> list[FollowUp]:
    """Per PIC: rows overdue, behind or due soon, with the points still open."""
    return follow_up(r)


def contacts_from(data: bytes, filename: str, kind: str) -> dict[str, str]:
    """PIC -> phone ('phone') or e-mail address ('email') from a contacts sheet, read in a child
    process once per content (a page rerun with the same file reads nothing)."""
    found = _contacts_read(data, filename, kind)
    if isinstance(found, UnreadableFile):
        raise found
    return found


@cached(maxsize=32, key=lambda data, filename, kind: (hashlib.sha256(data).hexdigest(), filename, kind))
def _contacts_read(data: bytes, filename: str, kind: str) -> dict[str, str] | UnreadableFile:
    try:
        return sandbox.read_contacts(data, filename, kind)
    except sandbox.Busy:
        raise
    except UnreadableFile as exc:
        return exc


@dataclass(frozen=True)
class ContactSheet:
    """A work plan's PIC contact sheet in use: PIC -> phone number, where it came from."""

    phones: dict[str, str]
    filename: str
    by: str
    at: object
    sha256: str


def contact_sheet(wp: Workplan) -> ContactSheet | None:
    """The contact sheet kept for a work plan (the newest saved), as stored: nothing is read."""
    url = get_store().url
    found = _store_says(url, "latest_contacts_id", wp.id)
    return None if found is None else _contact_sheet(url, found)


@cached(maxsize=64)
def _contact_sheet(url: str, contacts_id: int) -> ContactSheet:
    kept = _open(url).contacts(contacts_id)
    return ContactSheet(json.loads(kept.contacts), kept.filename, kept.by, kept.at, kept.sha256)


def save_contact_sheet(data: bytes, filename: str, by: str, wp: Workplan, rights=None) -> ContactSheet:
    """Read a PIC contact sheet (once per content) and keep it as the work plan's, for every
    viewer and session from now on.  NotAllowed: not an editor of its unit; UnreadableFile: no
    PIC and phone columns (nothing stored)."""
    ensure_allowed(by, wp, rights)
    phones = contacts_from(data, filename, "phone")
    sha = hashlib.sha256(data).hexdigest()
    kept = contact_sheet(wp)
    if kept is None or kept.sha256 != sha or kept.phones != phones:
        get_store().save_contacts(wp.id, filename, sha, json.dumps(phones, ensure_ascii=False), by)
        forget()
    return contact_sheet(wp)


__all__ = ["Comparison", "Context", "Dataset", "MEETING_SLIDES", "PlanError", "UploadCheck", "UnreadableFile"]
