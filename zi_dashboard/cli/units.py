"""Many units: plan-add (a plan for a new unit or year, or a new version of one's plan) and
portfolio (every unit of a year side by side, as Semua Satker shows them)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.app import province, service
from zi_dashboard.cli.common import (
    EXIT_INVALID,
    EXIT_UNREADABLE,
    EXIT_VALID,
    ScopeError,
    as_of_date,
    file_bytes,
    scope_args,
    units_with_plans,
    unreadable,
    year_number,
)
from zi_dashboard.outputs.portfolio_out import portfolio_dict, portfolio_text
from zi_dashboard.reading.plan import PlanError
from zi_dashboard.reading.sheets import UnreadableFile


def plan_add_arguments(p: argparse.ArgumentParser) -> None:
    H = L.CLI_HELP
    p.add_argument("file", help=H["plan_add_file"])
    p.add_argument("--by", default=None, help=H["plan_add_by"])
    scope_args(p, H["plan_unit"], H["plan_year"])


def plan_add(args: argparse.Namespace) -> int:
    """Add a plan: a new work plan (a new unit or year, from the file's title or --unit/--year)
    or a new version of an existing one's plan.  Nothing is stored when anything is wrong."""
    C = L.CLI
    name = Path(args.file).name
    try:
        content = file_bytes(args.file)
        plan = service.read_plan_file(content, name)
    except UnreadableFile as exc:
        return unreadable(exc)
    except PlanError as exc:
        print(C["plan_invalid"].format(n=len(exc.problems)), file=sys.stderr)
        for p in exc.problems:
            print(f"  - {p.text()}", file=sys.stderr)
        return EXIT_INVALID
    title_unit, title_year = service.plan_unit_year(plan)
    unit, year = args.unit or title_unit, year_number(args.year)
    sources = {
        "given" if args.unit else "title" if title_unit else "only",
        "given" if year is not None else "title" if title_year is not None else "latest",
    }
    year = year if year is not None else title_year
    if not unit:
        only = units_with_plans()
        if len(only) != 1:
            raise ScopeError(C["plan_no_unit"].format(units=", ".join(only)))
        unit = only[0]
    if year is None:
        latest = service.workplan_of(unit, None) if service.known_unit(unit) else None
        if latest is None:
            raise ScopeError(C["plan_no_year"].format(unit=unit))
        year = latest.year
    how = (
        C["how_given"]
        if sources == {"given"}
        else C["how_title"]
        if sources == {"title"}
        else C["how_only"]
        if "only" in sources
        else C["how_mixed"]
    )
    stated = [
        x
        for x, given in ((title_unit, args.unit), (title_year, args.year))
        if x and given and str(x) != str(given) and service.unit_key(str(x)) != service.unit_key(str(given))
    ]
    before = service.workplan_of(unit, year) if service.known_unit(unit) else None
    before_plan = service.plan_in_use(before)[1] if before is not None else None
    try:
        wp, stored = service.add_plan(content, name, args.by or _os_user(), unit, int(year), rights=service.OPERATOR)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    if stated:  # what the operator said wins; the title is named so a slip shows
        print(
            C["plan_title_differs"].format(found=" ".join(map(str, stated)), unit=wp.unit, year=wp.year),
            file=sys.stderr,
        )
    key = "plan_new_workplan" if before is None else "plan_same" if before_plan == stored.id else "plan_new_version"
    print(C[key].format(unit=wp.unit, year=wp.year, id=stored.id, rows=len(plan.rows), how=how))
    return EXIT_VALID


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "operator"


def portfolio_arguments(p: argparse.ArgumentParser) -> None:
    H = L.CLI_HELP
    p.add_argument("--year", default=None, help=H["portfolio_year"])
    p.add_argument("--as-of", type=as_of_date, default=None, help=H["portfolio_as_of"])
    p.add_argument("--json", action="store_true", help=H["json"])


def portfolio(args: argparse.Namespace) -> int:
    years = service.years()
    year = year_number(args.year)
    if year is not None and year not in years:
        raise ScopeError(L.CLI["no_year"].format(year=year, years=", ".join(map(str, years))))
    pf = province.portfolio(year, args.as_of)
    if args.json:
        print(json.dumps(portfolio_dict(pf), ensure_ascii=False))
    else:
        print(portfolio_text(pf, province.STALE_DAYS))
    return EXIT_VALID
