"""The uploads kept in the store: snapshots (list them), import (a progress file, or a zip of
many units' files), export (an upload's original file), restore, position (correct its date)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.app import bundles, service
from zi_dashboard.cli.common import (
    EXIT_INVALID,
    EXIT_UNREADABLE,
    EXIT_VALID,
    ScopeError,
    as_of_date,
    checked,
    file_bytes,
    progress_column_arg,
    scope_args,
    unreadable,
    upload_workplan,
    workplan,
    year_number,
)
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.records import Workplan


def snapshots_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=L.CLI_HELP["json_list"])
    scope_args(p)


def snapshots(args: argparse.Namespace) -> int:
    """A work plan's uploads (--unit/--year), or every unit's and year's without them."""
    if args.unit or args.year:
        chosen = [workplan(args)]
        snaps = service.snapshots(chosen[0])
    else:
        chosen = service.workplans()
        snaps = bundles.all_snapshots()
    by_id = {wp.id: wp for wp in service.workplans()}
    in_use = {service.snapshot_in_use(wp) for wp in chosen} - {None}
    owners = {s.id: by_id[s.workplan_id] for s in snaps if s.workplan_id is not None}  # every upload has one
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": s.id,
                        "position_date": s.position_date.isoformat() if s.position_date else None,
                        "uploaded_at": s.uploaded_at.isoformat(),
                        "uploaded_by": s.uploaded_by,
                        "filename": s.filename,
                        "sha256": s.sha256,
                        "size": s.size,
                        "in_use": s.id in in_use,
                        "unit": owners[s.id].unit,
                        "year": owners[s.id].year,
                    }
                    for s in snaps
                ],
                ensure_ascii=False,
            )
        )
        return EXIT_VALID
    if not snaps:
        print(L.CLI["no_snapshots"])
    several = len({s.workplan_id for s in snaps}) > 1
    for wp in chosen:
        mine = [s for s in snaps if s.workplan_id == wp.id]
        if several and mine:
            print(L.CLI["snapshots_of"].format(unit=wp.unit, year=wp.year))
        for s in mine:
            mark = "*" if s.id in in_use else " "
            print(
                f"{mark} #{s.id:<4} {L.CLI['position_short']} {L.fmt_date(s.position_date):<20} "
                f"{service.local_time(s.uploaded_at)}  {s.uploaded_by}  {s.filename}"
            )
    return EXIT_VALID


def import_arguments(p: argparse.ArgumentParser) -> None:
    H = L.CLI_HELP
    p.add_argument("file", help=H["import_bundle"])
    p.add_argument("--by", required=True, help=H["by"])
    p.add_argument("--position-date", type=as_of_date, default=None, help=H["position_date"])
    progress_column_arg(p)
    scope_args(p, H["unit_import"], H["year_import"])


def import_file(args: argparse.Namespace) -> int:
    try:
        content = file_bytes(args.file)
    except UnreadableFile as exc:
        return unreadable(exc)
    if bundles.is_bundle(content, Path(args.file).name):
        return _import_bundle(args, content)
    wp, how = _import_workplan(args, content)
    print(L.CLI["scope_line"].format(unit=wp.unit, year=wp.year, how=how))
    check, failed = checked(args.file, None, wp, args.progress_column)
    if failed is not None:
        return failed
    assert check.reading is not None  # checked: read and valid
    position = args.position_date or check.reading.position_date
    if position is None:  # never guessed (not today): the editor says it
        print(L.CLI["need_position"], file=sys.stderr)
        return EXIT_INVALID
    newer = service.newer_in_use(check, position)
    if newer is not None:  # said before saving: kept in history, the newer data stays in use
        print(
            L.OLDER["notice"].format(
                date=L.fmt_date(position), id=newer.id, current_date=L.fmt_date(newer.position_date)
            )
        )
    saved = service.save_upload(check, args.by, position, rights=service.OPERATOR)
    if saved.duplicate:
        print(L.CLI["duplicate"].format(id=saved.snapshot.id))
    elif saved.replaced is not None:
        print(service.kept_note(saved))
    else:
        print(L.CLI["imported"].format(id=saved.snapshot.id, name=check.filename))
    return EXIT_VALID


def _import_workplan(args: argparse.Namespace, content: bytes) -> tuple[Workplan, str]:
    """The work plan a progress file is imported to and how it was chosen: --unit/--year, else
    the unit and year its title names (or its file name), else the only unit's latest year."""
    C = L.CLI
    found = bundles.file_unit(content, Path(args.file).name, year_number(args.year))
    if args.unit:
        if found.named and service.unit_key(found.named) != service.unit_key(args.unit):
            print(C["title_other_unit"].format(found=found.named, unit=args.unit), file=sys.stderr)
        wp = workplan(args, year=found.year)
        return wp, C["how_given"] if args.year or found.year is None else C["how_mixed"]
    if found.unit is None and found.named:  # the title names a unit without a plan: never another unit's
        raise ScopeError(C["title_unknown_unit"].format(unit=found.named, workplans=bundles.workplans_line()))
    if found.unit is not None:
        wp = workplan(args, found.unit, found.year)
        return wp, C["how_mixed"] if args.year else C["how_title" if found.how == "title" else "how_name"]
    return workplan(args), C["how_given"] if args.year else C["how_only"]


def _import_bundle(args: argparse.Namespace, content: bytes) -> int:
    """A zip of many units' progress files: each matched to its unit and checked against its
    work plan of --year (default the latest year), the result per file printed, then the
    valid, matched, new ones saved (those without a position date get --position-date)."""
    C = L.CLI
    if args.unit:
        raise ScopeError(C["bundle_unit"])
    year = year_number(args.year)
    if year is None:
        year = service.years()[-1]
    elif year not in service.years():
        raise ScopeError(C["no_year"].format(year=year, years=", ".join(map(str, service.years()))))
    name = Path(args.file).name
    try:
        items = bundles.check_bundle(content, name, year)
    except UnreadableFile as exc:
        return unreadable(exc)
    print(C["bundle_title"].format(name=name, n=len(items), year=year))
    print(bundles.bundle_table(items, year).to_string(index=False))
    for it in items:
        if it.check is not None and it.check.reading is not None and not it.check.valid:
            print(f"{it.name}:")
            for p in it.check.reading.errors[:10]:
                print(f"  - {p.text()}")
    undated = [it for it in items if it.saveable and it.position_date is None]
    if undated and args.position_date is None:  # never guessed (not today)
        print(C["bundle_need_position"].format(n=len(undated)), file=sys.stderr)
        return EXIT_INVALID
    outcome = bundles.save_bundle(items, args.by, args.position_date, rights=service.OPERATOR)
    print(C["bundle_saved"].format(n=len(outcome.saved)))
    for it, saved in outcome.saved:
        key = "duplicate" if saved.duplicate else "imported"
        print(
            f"{it.name}: {service.kept_note(saved)}"
            if saved.replaced and not saved.duplicate
            else C[key].format(id=saved.snapshot.id, name=it.name)
        )
    return EXIT_VALID if all(it.saveable or it.reason == "save_duplicate" for it in items) else EXIT_INVALID


def export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help=L.CLI_HELP["id"])
    p.add_argument("out", help=L.CLI_HELP["out"])
    scope_args(p)


def export(args: argparse.Namespace) -> int:
    try:
        content = service.original_file(args.id, upload_workplan(args))
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    Path(args.out).write_bytes(content)
    print(L.CLI["exported"].format(id=args.id, path=args.out, size=len(content)))
    return EXIT_VALID


def restore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help=L.CLI_HELP["id"])
    p.add_argument("--by", required=True, help=L.CLI_HELP["restore_by"])
    scope_args(p)


def restore(args: argparse.Namespace) -> int:
    try:
        service.restore(args.id, args.by, upload_workplan(args), rights=service.OPERATOR)
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.HISTORY["restored"].format(id=args.id))
    return EXIT_VALID


def position_arguments(p: argparse.ArgumentParser) -> None:
    H = L.CLI_HELP
    p.add_argument("id", type=int, help=H["id"])
    p.add_argument("date", type=as_of_date, help=H["position_new"])
    p.add_argument("--by", required=True, help=H["position_by"])
    scope_args(p)


def position(args: argparse.Namespace) -> int:
    """Correct a stored upload's position date (recorded; its figures recounted)."""
    try:
        service.correct_position(args.id, args.date, args.by, upload_workplan(args), rights=service.OPERATOR)
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.HISTORY["corrected"].format(id=args.id, date=L.fmt_date(args.date)))
    return EXIT_VALID
