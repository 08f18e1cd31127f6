"""The TPI review at the command line (issue 23): `lke review FILE --by NAME` stores a workbook's
TPI columns as the TPI's answers (a reviewer of the unit, in the TPI's stage; the verdicts in
use are kept), and `lke state` says where the unit's LKE of a year stands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.app import lke as service_lke
from zi_dashboard.app import lke_review as review
from zi_dashboard.cli.common import EXIT_INVALID, EXIT_VALID, file_bytes, scope_args, unreadable, workplan
from zi_dashboard.counting.lke_score import TPI
from zi_dashboard.outputs.lke_review_out import state_lines
from zi_dashboard.outputs.readiness_out import n2
from zi_dashboard.reading.sheets import UnreadableFile

K = L.LKE_REVIEW_CLI


def review_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=L.LKE["help_file"])
    p.add_argument("--by", required=True, help=K["help_by"])
    scope_args(p)


def review_workbook(args: argparse.Namespace) -> int:
    """Store the TPI's answers and notes of a workbook (exit 1, nothing stored: errors, no TPI
    column, or the rules refuse: not a reviewer of the unit, or not the TPI's stage)."""
    wp = workplan(args)
    try:
        check = service_lke.check_workbook(file_bytes(args.file), Path(args.file).name, wp)
    except UnreadableFile as exc:
        return unreadable(exc)
    errors = [p for p in check.problems if p.is_error]
    if not check.valid or not check.sheet.answers.get(TPI):
        print(L.LKE_CLI["refused"].format(n=len(errors), name=Path(args.file).name), file=sys.stderr)
        for p in errors:
            print(f"  - {p.text()}", file=sys.stderr)
        if not check.sheet.answers.get(TPI):
            print(L.LKE["no_level"].format(level=L.LKE["level_tpi"]), file=sys.stderr)
        return EXIT_INVALID
    try:
        saved = service_lke.save_workbook(check, args.by, wp, TPI)
    except PermissionError as exc:
        print(K["refused"].format(reason=exc), file=sys.stderr)
        return EXIT_INVALID
    result = check.scores[TPI]
    print(
        K["stored"].format(
            id=saved.id,
            unit=wp.unit,
            year=wp.year,
            answered=result.answered_count,
            questions=len(result.questions),
            total=n2(result.total),
        )
    )
    return EXIT_VALID


def state_arguments(p: argparse.ArgumentParser) -> None:
    scope_args(p)
    p.add_argument("--json", action="store_true", help=L.CLI_HELP["json"])


def state(args: argparse.Namespace) -> int:
    """Where the unit's LKE of a year stands: state, deadline, both totals, returned questions."""
    wp = workplan(args)
    now = review.review_in_use(wp)
    if args.json:
        print(json.dumps(now.as_dict(), ensure_ascii=False))
        return EXIT_VALID
    print("\n".join(state_lines(now.summary(), wp.unit, wp.year, now.deadline)))
    return EXIT_VALID
