"""Files for many units at once: which unit a progress file belongs to (by the title in it, or
its file name), the CLI's choice of unit and year, and a zip of many units' progress files
checked file by file and saved together.  Used by the CLI (import, plan-add, snapshots) and
Unggah's zip upload; no Streamlit.  Built on app/service/ (checking and saving one upload)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.app.service import (
    NotAllowed,
    UploadCheck,
    check_upload,
    forget,
    get_store,
    home,
    may_edit,
    plan_in_use,
    pulse,
    save_upload,
    unit_key,
    unit_line,
    units,
    workplan_of,
    workplans,
)
from zi_dashboard.app.service.store_access import store_says
from zi_dashboard.app.service.uploads import read_upload
from zi_dashboard.reading import bundle as bundle_reading
from zi_dashboard.reading import sandbox
from zi_dashboard.reading import units as units_reading
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.plan import Plan
from zi_dashboard.reading.progress import ProgressReading
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.records import Saved, Snapshot, Workplan


# --- bulk work: files matched to units, the CLI's scope, a zip of many units' files ---
# Used by the CLI (import, plan-add, snapshots, portfolio) and Unggah's zip upload; no Streamlit.
def workplans_line() -> str:
    """'KPU Kabupaten Garut (2026); KPU Kota Tasikmalaya (2025, 2026)': what exists, for messages."""
    by_unit: dict[str, list[int]] = {}
    for wp in workplans():
        by_unit.setdefault(wp.unit, []).append(wp.year)
    return "; ".join(f"{u} ({', '.join(map(str, sorted(ys)))})" for u, ys in by_unit.items())


def is_bundle(content: bytes, filename: str) -> bool:
    """Whether an uploaded file is a zip of many files (not a workbook; reading.bundle.is_bundle)."""
    return bundle_reading.is_bundle(content, filename)


@dataclass(frozen=True)
class FileUnit:
    """The unit and year a progress file names: `unit` as the store or the unit list names it
    (None when nothing known is named), `named` the unit its title names even when unknown,
    `year` from its title, `how` 'title' / 'name' / ''."""

    unit: str | None
    named: str | None
    year: int | None
    how: str


def _provisional(year: int | None) -> Workplan:
    """A work plan whose plan a file is first read against, to find its title (the table's
    header and the rows above it do not depend on the plan): one of the year's, else the home one."""
    same_year = [wp for wp in workplans() if wp.year == year]
    return same_year[0] if same_year else home()


def _unit_of(title_lines: list[str], name: str) -> FileUnit:
    known = units()
    title = " ".join(title_lines)
    named, year = units_reading.unit_year_from_lines(title_lines)
    if named:  # a title that names a unit decides: that unit, or none known
        return FileUnit(units_reading.match_unit(named, known), named, year, "title")
    found = units_reading.match_unit(title, known) if title.strip() else None
    if found:
        return FileUnit(found, found, year, "title")
    found = units_reading.match_unit(name, known)
    return FileUnit(found, found, year, "name" if found else "")


def title_unit(title_lines: list[str], filename: str) -> FileUnit:
    """The unit and year a file already read names (its title lines, then its file name)."""
    return _unit_of(title_lines, filename)


def file_unit(content: bytes, filename: str, year: int | None = None) -> FileUnit:
    """The unit and year a progress file names: its title (the rows above its table) first,
    then its file name; matched against units().  Nothing is stored."""
    reading = read_upload(content, filename, plan_in_use(_provisional(year))[0], None)
    lines = [] if isinstance(reading, UnreadableFile) else reading.title_lines
    return _unit_of(lines, filename)


def named_elsewhere(check: UploadCheck) -> FileUnit | None:
    """The unit and year the title of a single uploaded file names, when they are not those of
    the work plan it was checked against (None: the title names that unit and year, or none).
    Read the way the zip upload and the CLI read it (_unit_of); the file name alone never decides
    here: the editor chose the unit."""
    wp = check.workplan
    if check.reading is None or wp is None:
        return None
    found = _unit_of(check.reading.title_lines, "")
    other_unit = (
        found.how == "title" and found.named is not None and unit_key(found.unit or found.named) != unit_key(wp.unit)
    )
    other_year = found.year is not None and found.year != wp.year
    return found if other_unit or other_year else None


def workplan_named(found: FileUnit, wp: Workplan) -> Workplan | None:
    """The stored work plan a file's title names (its unit, else `wp`'s; its year, else `wp`'s)."""
    if found.named is not None and found.unit is None:  # a unit with no plan stored
        return None
    return workplan_of(found.unit if found.named else wp.unit, found.year or wp.year)


def all_snapshots() -> list[Snapshot]:
    """Every unit's and year's stored uploads, newest first."""
    return store_says(get_store().url, "uploads", None)


def snapshot_workplan(snapshot_id: int) -> Workplan | None:
    """The work plan a stored upload belongs to (None: no such upload)."""
    found = next((s for s in all_snapshots() if s.id == snapshot_id), None)
    if found is None:
        forget()
        found = next((s for s in all_snapshots() if s.id == snapshot_id), None)
    if found is None:
        return None
    return next((wp for wp in workplans() if wp.id == found.workplan_id), None)


@dataclass
class BundleItem:
    """One file of a zip of many units' files, checked against its unit's work plan of a year."""

    name: str  # its path inside the archive
    found: FileUnit | None = None  # the unit and year it names
    workplan: Workplan | None = None  # the work plan it would be an upload of
    check: UploadCheck | None = None  # read against that work plan's plan (None: not read)
    problem: str = ""  # why it cannot be taken out, read or matched
    reason: str = ""  # key of L.BULK: why it will not be saved ("" = it will)
    same_as: str | None = None  # an earlier file of the archive with the same content and work plan

    @property
    def unit(self) -> str | None:
        return self.found.unit if self.found else None

    @property
    def valid(self) -> bool:
        return self.check is not None and self.check.valid

    @property
    def position_date(self) -> date | None:
        return self.check.reading.position_date if self.check is not None and self.check.reading else None

    @property
    def saveable(self) -> bool:
        """Valid, matched to a work plan of the year, not stored already, not a copy of an earlier file."""
        return not self.reason


def check_bundle(content: bytes, filename: str, year: int) -> list[BundleItem]:
    """Every file of a zip of many units' progress files, each matched to its unit (the title in
    the file, else its file name; see file_unit) and read against that unit's work plan of
    `year`; with what would keep it from being saved.  Raises UnreadableFile when the archive
    as a whole cannot be used.  Nothing is stored."""
    return list(_check_bundle(get_store().url, content, filename, int(year), pulse()))


@cached(maxsize=2)  # an editor's page reruns without reading every file again; new data: read again
def _check_bundle(url: str, content: bytes, filename: str, year: int, _pulse: tuple) -> tuple[BundleItem, ...]:
    members = sandbox.read_bundle(content, filename)
    first_wp = _provisional(year)
    provisional = plan_in_use(first_wp)[0]
    items: list[BundleItem] = []
    seen: dict[tuple[int | None, str], str] = {}  # (work plan, SHA-256) -> the first file with it
    for m in members:
        item = BundleItem(m.name)
        items.append(item)
        if not m.ok:
            item.problem, item.reason = str(m.problem), "save_unreadable"
            item.found = _unit_of([], m.name)
            continue
        first = read_upload(m.data, m.basename, provisional, None)
        lines = [] if isinstance(first, UnreadableFile) else first.title_lines
        item.found = found = _unit_of(lines, m.name)
        if found.unit is not None:
            item.workplan = workplan_of(found.unit, year)
        if isinstance(first, UnreadableFile):
            item.problem, item.reason = str(first), "save_unreadable"
            continue
        item.check = _checked_member(m.data, m.basename, first, provisional, item.workplan or first_wp)
        if item.workplan is None:
            item.check.workplan = None  # read only to say what is wrong with it; never saved
        sha = (item.workplan.id if item.workplan else None, hashlib.sha256(m.data).hexdigest())
        item.same_as = seen.get(sha)  # an earlier copy for the same work plan (another unit's is its own)
        seen.setdefault(sha, m.name)
        item.reason = _bundle_reason(item, year)
    return tuple(items)


def _checked_member(data: bytes, name: str, first: ProgressReading, provisional: Plan, wp: Workplan) -> UploadCheck:
    """check_upload of a zip's file against its work plan's plan; the first reading is kept when
    that plan has the same rows as the one it was read against (each unit's plan file differs in
    its title only, most of the time), so a file is read once, not twice."""
    plan, plan_id = plan_in_use(wp)
    same = plan.key == provisional.key or (plan.rows.equals(provisional.rows) and plan.by_name == provisional.by_name)
    if not same:  # what a file is read against (codes, names, target dates) differs: read it again
        return check_upload(data, name, wp=wp)
    dup = get_store().find_by_sha(hashlib.sha256(data).hexdigest(), wp.id)  # once per work plan
    return UploadCheck(data, name, reading=first, plan=plan, plan_id=plan_id, duplicate_of=dup, workplan=wp)


def _bundle_reason(item: BundleItem, year: int) -> str:
    found = item.found
    assert found is not None  # every file read has been looked at for its unit
    if found.unit is None:
        return "save_unknown_unit" if found.named else "save_no_unit"
    if found.year is not None and found.year != year:
        return "save_year"
    if item.workplan is None:
        return "save_no_plan"
    if item.check is None or item.check.reading is None:
        return "save_unreadable"
    if not item.check.valid:
        return "save_invalid"
    if item.check.duplicate_of is not None or item.same_as is not None:
        return "save_duplicate"
    return ""


@dataclass(frozen=True)
class BundleSaved:
    """What saving a zip's files did."""

    saved: list[tuple[BundleItem, Saved]]  # stored now (or found identical meanwhile)
    refused: list[tuple[BundleItem, str]]  # NotAllowed: not an editor of that unit (the message)
    skipped: list[BundleItem]  # not saveable, or no position date for it


def save_bundle(items: list[BundleItem], by: str, position_for_missing: date | None = None, rights=None) -> BundleSaved:
    """Store every saveable file of a checked zip as an upload of its work plan (save_upload
    each, so each is checked against the editor's units: NotAllowed ones are refused, the rest
    still saved).  A file that states no position date gets `position_for_missing`; without
    it, such a file is skipped (never today)."""
    saved, refused, skipped = [], [], []
    for item in items:
        position = item.position_date or position_for_missing
        if not item.saveable or position is None:
            skipped.append(item)
            continue
        assert item.check is not None  # saveable: read and valid
        try:
            saved.append((item, save_upload(item.check, by, position, rights)))
        except NotAllowed as exc:
            refused.append((item, str(exc)))
    return BundleSaved(saved, refused, skipped)


def bundle_table(items: list[BundleItem], year: int, by: str | None = None) -> pd.DataFrame:
    """The per-file result of a zip as Unggah shows it before anything is saved: file, unit
    matched, valid or not, position date, duplicate of, and whether it will be saved (and why
    not; an editor `by` who may not change a unit is told so here already)."""
    B = L.BULK
    names = {wp.id: wp for wp in workplans()}
    rows = []
    for it in items:
        unit = B["unrecognised"]
        if it.found is not None and it.unit:
            unit = B["from_title" if it.found.how == "title" else "from_name"].format(unit=it.unit)
        elif it.found and it.found.named:
            unit = f"{it.found.named} ({B['unrecognised']})"
        if it.check is None:
            result = B["unreadable"] if it.problem else B["not_read"]
        elif it.check.reading is None:
            result = B["unreadable"]
        elif it.check.valid:
            n = len(it.check.reading.warnings)
            result = B["valid_warnings"].format(n=n) if n else B["valid"]
        else:
            result = B["invalid"].format(n=len(it.check.reading.errors))
        dup = ""
        if it.check is not None and it.check.duplicate_of is not None:
            owner = names.get(it.check.duplicate_of.workplan_id or 0)  # ids start at 1
            dup = B["dup_stored"].format(id=it.check.duplicate_of.id, unit=unit_line(owner) if owner else "–")
        elif it.same_as:
            dup = B["dup_in_zip"].format(name=it.same_as)
        if it.reason:
            save = B[it.reason].format(
                unit=it.unit or (it.found.named if it.found else "") or "",
                year=year,
                message=it.problem,
                found=it.found.year if it.found else "",
            )
        elif by is not None and it.workplan is not None and not may_edit(by, it.workplan):
            save = B["save_not_yours"].format(name=by)
        elif it.position_date is None:
            save = B["save_no_position"]
        else:
            save = B["save_yes"]
        rows.append(
            {
                B["col_file"]: it.name,
                B["col_unit"]: unit,
                B["col_result"]: result,
                B["col_position"]: L.fmt_date(it.position_date) if it.position_date else B["no_position"],
                B["col_duplicate"]: dup,
                B["col_save"]: save,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[B[k] for k in ("col_file", "col_unit", "col_result", "col_position", "col_save", "col_duplicate")],
    )


# --- end of bulk work ---------------------------------------------------------------------------
