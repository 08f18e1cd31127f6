"""Checking and saving an upload: a progress file read in a child process against its work
plan's plan in use, what saving it would change, and keeping it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.app.service.data import Context, Dataset, plan_in_use, result_for, starting_as_of
from zi_dashboard.app.service.editors import ensure_allowed
from zi_dashboard.app.service.store_access import forget, get_store
from zi_dashboard.app.service.workplans import home
from zi_dashboard.counting import history
from zi_dashboard.counting.metrics import Result, compute
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.plan import Plan
from zi_dashboard.reading.progress import ProgressReading
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.records import Saved, Snapshot, Workplan


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
def read_upload(
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
        reading = read_upload(content, filename, plan, sheet, progress_column)
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
    reading, plan = check.reading, check.plan
    assert reading is not None and plan is not None  # asked of a file that was read against a plan
    new = compute(plan, reading.rows, reading.position_date or ctx.as_of)
    before = result_for(ctx.data, starting_as_of(ctx.data))
    return history.SincePrevious(before, new).moved(), new


def save_upload(check: UploadCheck, uploaded_by: str, position_date: date | None, rights=None) -> Saved:
    """Store a valid file as an upload of its work plan: the data in use from now on, unless
    the data in use describes a later date (then kept in history: Saved.replaced names the
    newer data; restoring it on purpose makes it the data in use).  NotAllowed: the editor is
    not an editor of that unit."""
    if not check.valid or check.reading is None or check.plan_id is None:  # valid: read against a plan
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
    assert newer is not None  # asked of an upload kept in history
    return L.OLDER["kept"].format(
        id=saved.snapshot.id,
        date=L.fmt_date(saved.snapshot.position_date),
        current=newer.id,
        current_date=L.fmt_date(newer.position_date),
    )


def file_dataset(check: UploadCheck) -> Dataset:
    """A checked (valid) file as data to count, without storing it."""
    reading, plan = check.reading, check.plan
    assert reading is not None and plan is not None  # a valid file was read against a plan
    return Dataset(
        plan,
        reading.rows,
        None,
        "file:" + hashlib.sha256(check.content).hexdigest(),
        check.filename,
        reading.position_date,
        workplan=check.workplan,
    )
