"""What many commands share: exit statuses, the --unit/--year scope and the work plan it names,
reading a given file, and saying why a file cannot be used."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.app import bundles, monev, service
from zi_dashboard.outputs.check_summary import as_text, unreadable_dict
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.plan import Plan, PlanError, load_plan
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.reading.units import match_unit
from zi_dashboard.storage.records import Workplan

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class ScopeError(Exception):
    """No such unit or year, or several units and none named (exit 2; nothing changed)."""


def as_of_date(text: str) -> date:
    """An argument's date (YYYY-MM-DD); argparse says what is wrong in Indonesian."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(L.msg("bad_date", text=text)) from None


def progress_column_arg(p: argparse.ArgumentParser) -> None:
    """--progress-column NAME: the column progress is read from, as Unggah's "Kolom progres"."""
    p.add_argument(
        "--progress-column", default=None, metavar="NAMA", help=L.CLI_HELP["progress_column"].replace("%", "%%")
    )  # argparse formats help with %


def scope_args(p: argparse.ArgumentParser, unit_help: str | None = None, year_help: str | None = None) -> None:
    """--unit U --year Y: which work plan (unit and year) a command reads or changes."""
    p.add_argument("--unit", default=None, help=unit_help or L.CLI_HELP["unit"])
    p.add_argument("--year", default=None, help=year_help or L.CLI_HELP["year"])


def load_plan_file(path: str | None) -> Plan:
    """The bundled plan, or the plan file `path` (read in a child process, as any given file)."""
    try:
        if not path:
            return load_plan()
        try:
            data = Path(path).read_bytes()
        except OSError:
            raise UnreadableFile(L.msg("missing", name=str(path))) from None
        return sandbox.read_plan(data, Path(path).name)
    except PlanError as exc:
        raise UnreadableFile(L.msg("plan_unusable", details="; ".join(p.text() for p in exc.problems))) from None
    except UnreadableFile as exc:
        raise UnreadableFile(L.Message(exc.code, f"{L.CLI['plan']}: {exc}")) from None


def unreadable(exc: UnreadableFile, as_of: date | None = None, as_json: bool = False) -> int:
    """Say why a file cannot be read (as JSON on stdout, or a line on stderr): exit status 2."""
    if as_json:
        print(json.dumps(unreadable_dict(exc, as_of or date.today()), ensure_ascii=False))
    else:
        print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
    return EXIT_UNREADABLE


def file_bytes(file: str) -> bytes:
    """A given file's bytes (UnreadableFile naming it when it cannot be read)."""
    try:
        return Path(file).read_bytes()
    except OSError:
        raise UnreadableFile(L.msg("missing", name=file)) from None


def checked(
    file: str, as_of: date | None, wp: Workplan | None = None, progress_column: str | None = None
) -> tuple[service.UploadCheck, int | None]:
    """A progress file checked against a work plan's plan in use, as Unggah checks it; the
    CLI's exit status when it cannot be used (with the reasons printed, at `as_of`, else at
    the date the file states), else None."""
    try:
        check = service.check_upload(file_bytes(file), Path(file).name, progress_column=progress_column, wp=wp)
    except UnreadableFile as exc:
        check = service.UploadCheck(b"", Path(file).name, message=str(exc))
    if check.reading is None:
        print(f"{L.CLI['cannot_read']}: {check.message}", file=sys.stderr)
        return check, EXIT_UNREADABLE
    if not check.valid:
        r, plan = check.reading, check.plan
        assert plan is not None  # a file that was read was read against a plan
        print(as_text(file, plan.source, as_of or r.position_date or date.today(), r.position_date, r.problems, None))
        return check, EXIT_INVALID
    return check, None


def dataset_at(as_of: date | None, wp: Workplan) -> service.Dataset:
    """The data a report at --as-of counts: the upload in use then (app.monev.dataset_at); today's without it."""
    return monev.dataset_at(as_of, wp) if as_of else service.current_dataset(wp)


def year_number(text: object) -> int | None:
    """--year as a number (None when not given); ScopeError for a text that is no year."""
    if text in (None, ""):
        return None
    try:
        return int(str(text).strip())
    except ValueError:
        raise ScopeError(L.CLI["bad_year"].format(year=text)) from None


def units_with_plans() -> list[str]:
    return list(dict.fromkeys(wp.unit for wp in service.workplans()))


def workplan(
    args: argparse.Namespace, unit: str | None = None, year: int | None = None, reads: bool = False
) -> Workplan:
    """The work plan a command acts on: --unit/--year (or the unit and year given, e.g. read
    from a file's title; --unit/--year win); without a unit, the only unit's (its latest year
    unless a year is named; for a command that only `reads`, the year shown on the pages:
    service.shown_workplan).  ScopeError naming what exists otherwise."""
    unit = getattr(args, "unit", None) or unit
    wanted = year_number(getattr(args, "year", None))
    wanted = wanted if wanted is not None else year
    if not unit:
        only = units_with_plans()
        if len(only) != 1:
            raise ScopeError(L.CLI["need_unit"].format(units=", ".join(only)))
        unit = only[0]
    known = service.known_unit(unit) or match_unit(unit, service.units())  # "garut" names KPU Kabupaten Garut
    if known is None:
        raise ScopeError(L.CLI["unknown_unit"].format(unit=unit, workplans=bundles.workplans_line()))
    wp = service.shown_workplan(known) if reads and wanted is None else service.workplan_of(known, wanted)
    if wp is None:
        raise ScopeError(
            L.CLI["no_workplan"].format(
                unit=known, year=wanted if wanted is not None else "–", workplans=bundles.workplans_line()
            )
        )
    return wp


def upload_workplan(args: argparse.Namespace) -> Workplan:
    """The work plan of the upload `args.id`: --unit/--year when given (the upload must be one
    of its), else the upload's own.  LookupError: no such upload."""
    own = bundles.snapshot_workplan(args.id)
    if not (args.unit or args.year):
        if own is None:
            raise LookupError(args.id)
        return own
    wp = workplan(args)
    if own is not None and own != wp:
        raise ScopeError(L.CLI["not_that_unit"].format(id=args.id, unit=wp.unit, year=wp.year))
    return wp


def scoped_plan(args: argparse.Namespace) -> Plan:
    """--plan's file; else the plan in use of --unit/--year when named; else the bundled plan."""
    if args.plan or not (args.unit or args.year):
        return load_plan_file(args.plan)
    return service.plan_in_use(workplan(args))[0]
