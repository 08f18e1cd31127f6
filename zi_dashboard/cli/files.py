"""check (a progress file against a plan, nothing stored) and template (the fill-in template)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.cli.common import (
    EXIT_INVALID,
    EXIT_UNREADABLE,
    EXIT_VALID,
    as_of_date,
    file_bytes,
    load_plan_file,
    progress_column_arg,
    scope_args,
    scoped_plan,
    unreadable,
    workplan,
)
from zi_dashboard.counting.metrics import compute
from zi_dashboard.outputs.check_summary import as_dict, as_text
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.plan import BUNDLED_UNIT, Plan
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.reading.units import unit_year_from_lines


def check_arguments(p: argparse.ArgumentParser) -> None:
    H = L.CLI_HELP
    p.add_argument("file", help=H["progress_file"])
    p.add_argument("--plan", help=H["plan_file"])
    p.add_argument("--as-of", type=as_of_date, default=None, help=H["as_of"])
    p.add_argument("--json", action="store_true", help=H["json"])
    progress_column_arg(p)
    scope_args(p)


def check(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    try:
        plan = scoped_plan(args)
        report = sandbox.read_progress(
            file_bytes(args.file), Path(args.file).name, plan, progress_column=args.progress_column
        )
    except UnreadableFile as exc:
        return unreadable(exc, as_of, args.json)
    if args.as_of is None and report.position_date is not None:
        as_of = report.position_date  # counted at the date the file describes
    result = compute(plan, report.rows, as_of) if report.valid else None
    if args.json:
        print(json.dumps(as_dict(report.valid, as_of, report.problems, result), ensure_ascii=False))
    else:
        print(as_text(args.file, plan.source, as_of, report.position_date, report.problems, result))
    return EXIT_VALID if report.valid else EXIT_INVALID


def template_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help=L.CLI_HELP["template_out"])
    p.add_argument("--plan", help=L.CLI_HELP["plan_file"])
    scope_args(p)


def template(args: argparse.Namespace) -> int:
    try:
        if not args.plan and (args.unit or args.year):  # the template of a unit's plan in use, titled with it
            wp = workplan(args)
            plan = service.plan_in_use(wp)[0]
            Path(args.out).write_bytes(service.template_bytes(wp))
        else:
            plan = load_plan_file(args.plan)
            Path(args.out).write_bytes(build_template(plan, _unit_of(plan)))
    except UnreadableFile as exc:
        return unreadable(exc)
    except OSError as exc:
        print(L.msg("cannot_write", path=args.out, reason=exc.strerror), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.CLI["template_written"].format(path=args.out, rows=len(plan.rows)))
    return EXIT_VALID


def _unit_of(plan: Plan) -> str:
    """The unit a template without --unit is titled with: the one its plan's title states (no
    store asked), else the bundled plan's unit."""
    return unit_year_from_lines([plan.title])[0] or BUNDLED_UNIT
