"""The LKE question by question: `lke score` (a workbook's score), `lke evidence` (an evidence
sheet's links), and the answers kept per work plan: `lke import`, `lke export`,
`lke instrument-add` (a newer instrument)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.app import lke as service_lke
from zi_dashboard.cli.common import (
    EXIT_INVALID,
    EXIT_UNREADABLE,
    EXIT_VALID,
    file_bytes,
    scope_args,
    unreadable,
    workplan,
)
from zi_dashboard.counting.lke_score import score_sheet
from zi_dashboard.outputs.lke_out import evidence_dict, score_dict, score_text
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.lke_instrument import Instrument, InstrumentError, load_instrument
from zi_dashboard.reading.sheets import UnreadableFile


def _given_file_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=L.LKE["help_file"])


def score_arguments(p: argparse.ArgumentParser) -> None:
    K = L.LKE
    _given_file_arguments(p)
    p.add_argument("--level", choices=("unit", "tpi"), default="unit", help=K["help_level"])
    p.add_argument("--year", type=int, default=None, help=K["help_year"])
    p.add_argument("--json", action="store_true", help=L.CLI_HELP["json"])


def evidence_arguments(p: argparse.ArgumentParser) -> None:
    _given_file_arguments(p)
    p.add_argument("--year", type=int, default=None, help=L.LKE["help_year"])
    p.add_argument("--json", action="store_true", help=L.CLI_HELP["json"])


def _instrument_and_file(args: argparse.Namespace) -> tuple[Instrument, bytes] | int:
    """The instrument of --year and the given file's bytes, or the exit status (said why)."""
    instrument = load_instrument(args.year)
    try:
        return instrument, Path(args.file).read_bytes()
    except OSError:
        return unreadable(UnreadableFile(L.msg("missing", name=str(args.file))), as_json=args.json)


def score(args: argparse.Namespace) -> int:
    """A workbook's score at a level (unit or TPI), read in a child process; nothing stored."""
    given = _instrument_and_file(args)
    if isinstance(given, int):
        return given
    instrument, data = given
    try:
        sheet = sandbox.read_lke_workbook(data, Path(args.file).name, instrument)
        result = score_sheet(instrument, sheet, args.level)
        bad = bool(result.errors)
        if sheet.levels and args.level not in sheet.levels:
            level = L.LKE["level_tpi"] if args.level == "tpi" else L.LKE["level_unit"]
            print(L.LKE["no_level"].format(level=level), file=sys.stderr)
            bad = True
        if args.json:
            lines = [json.dumps(score_dict(result, sheet), ensure_ascii=False)]
        elif not sheet.sheet_rows:  # no answer sheet, no question found: only why
            lines = [p.text() for p in result.problems]
        else:
            lines = score_text(result)
    except UnreadableFile as exc:
        return unreadable(exc, as_json=args.json)
    print("\n".join(lines))
    return EXIT_INVALID if bad else EXIT_VALID


def evidence(args: argparse.Namespace) -> int:
    """An evidence sheet's links per question, read in a child process; nothing stored."""
    given = _instrument_and_file(args)
    if isinstance(given, int):
        return given
    instrument, data = given
    try:
        sheet = sandbox.read_evidence_sheet(data, Path(args.file).name, instrument)
        out = evidence_dict(sheet)
        if args.json:
            lines = [json.dumps(out, ensure_ascii=False)]
        else:
            lines = (
                [f"{L.LKE['evidence_links']}:"]
                + [f"  {q['code']} {q['letter']}: {', '.join(q['links'])}" for q in out["questions"]]
                + [f"  - {p.text()}" for p in sheet.problems]
            )
    except UnreadableFile as exc:
        return unreadable(exc, as_json=args.json)
    print("\n".join(lines))
    return EXIT_INVALID if out["errors"] else EXIT_VALID


def import_arguments(p: argparse.ArgumentParser) -> None:
    _given_file_arguments(p)
    p.add_argument("--by", required=True, help=L.CLI_HELP["by"])
    p.add_argument("--level", choices=("unit", "tpi"), default="unit", help=L.LKE_CLI["help_level"])
    scope_args(p)


def import_workbook(args: argparse.Namespace) -> int:
    """Store one level's answers of a workbook for a work plan; a file with errors stores nothing."""
    K = L.LKE_CLI
    wp = workplan(args)
    print(
        L.CLI["scope_line"].format(
            unit=wp.unit, year=wp.year, how=L.CLI["how_given" if args.unit or args.year else "how_only"]
        )
    )
    try:
        check = service_lke.check_workbook(file_bytes(args.file), Path(args.file).name, wp)
    except UnreadableFile as exc:
        return unreadable(exc)
    level_name = L.LKE["level_tpi"] if args.level == "tpi" else L.LKE["level_unit"]
    if not check.valid or args.level not in check.scores:
        errors = [p for p in check.problems if p.is_error]
        print(K["refused"].format(n=len(errors), name=Path(args.file).name), file=sys.stderr)
        for p in errors:
            print(f"  - {p.text()}", file=sys.stderr)
        if args.level not in check.scores:
            print(L.LKE["no_level"].format(level=level_name), file=sys.stderr)
        return EXIT_INVALID
    try:
        saved = service_lke.save_workbook(check, args.by, wp, args.level, rights=service_lke.OPERATOR)
    except PermissionError as exc:  # the TPI review's rules: not this level's writer, or not its stage
        print(L.LKE_REVIEW_CLI["refused"].format(reason=exc), file=sys.stderr)
        return EXIT_INVALID
    result = check.scores[args.level]
    print(
        K["imported"].format(
            id=saved.id,
            level=level_name,
            unit=wp.unit,
            year=wp.year,
            answered=result.answered_count,
            questions=len(result.questions),
            total=L.fmt_number(result.total, 2),
            pengungkit=L.fmt_number(result.pengungkit, 2),
        )
    )
    for p in check.problems:
        print(f"  - {p.text()}")
    return EXIT_VALID


def export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help=L.LKE_CLI["help_out"])
    scope_args(p)


def export_workbook(args: argparse.Namespace) -> int:
    """The LKE workbook of the answers in use (the unit's and the TPI's)."""
    wp = workplan(args, reads=True)
    result, found = service_lke.score_in_use(wp)
    try:
        Path(args.out).write_bytes(service_lke.workbook_in_use(wp))
    except OSError as exc:
        print(L.msg("cannot_write", path=args.out, reason=exc.strerror), file=sys.stderr)
        return EXIT_UNREADABLE
    K = L.LKE_CLI
    if found.stored is None:
        print(K["exported_empty"].format(path=args.out, unit=wp.unit, year=wp.year))
    else:
        print(
            K["exported"].format(
                path=args.out,
                unit=wp.unit,
                year=wp.year,
                id=found.stored.id,
                answered=result.answered_count,
                questions=len(result.questions),
                total=L.fmt_number(result.total, 2),
            )
        )
    return EXIT_VALID


def instrument_add_arguments(p: argparse.ArgumentParser) -> None:
    K = L.LKE_CLI
    p.add_argument("file", help=K["help_instrument_file"])
    p.add_argument("--year", required=True, type=int, help=K["help_instrument_year"])
    p.add_argument("--by", required=True, help=L.CLI_HELP["by"])


def instrument_add(args: argparse.Namespace) -> int:
    """Keep a newer LKE instrument (a questions CSV); plan years from --year on use it."""
    try:
        content = file_bytes(args.file)
    except UnreadableFile as exc:
        return unreadable(exc)
    try:
        instrument = service_lke.add_instrument(
            content, Path(args.file).name, args.year, args.by, rights=service_lke.OPERATOR
        )
    except InstrumentError as exc:
        print(L.LKE_CLI["instrument_refused"].format(reason=exc), file=sys.stderr)
        return EXIT_INVALID
    print(
        L.LKE_CLI["instrument_added"].format(
            year=instrument.year, n=len(instrument.questions), scored=len(instrument.scored)
        )
    )
    return EXIT_VALID
