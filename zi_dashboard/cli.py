"""python -m zi_dashboard: check a progress file, write the template.

Exit status: 0 valid; 1 read but invalid; 2 cannot be read at all.  Never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from . import labels as L
from .metrics import compute
from .plan import Plan, PlanError, load_plan
from .progress import read_progress
from .sheets import UnreadableFile
from .summary import as_dict, as_text, unreadable_dict
from .template import build_template

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal {text!r} tidak sah; gunakan bentuk YYYY-MM-DD")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m zi_dashboard",
                                description="Dashboard Zona Integritas: alat baris perintah.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="periksa berkas progres dan tampilkan ringkasan")
    c.add_argument("file", help="berkas progres (.xlsx atau .csv)")
    c.add_argument("--plan", help="berkas rencana kerja (bawaan: rencana kerja 2025)")
    c.add_argument("--as-of", type=_as_of, default=None, help="posisi per tanggal YYYY-MM-DD (bawaan: hari ini)")
    c.add_argument("--json", action="store_true", help="keluaran satu objek JSON")
    t = sub.add_parser("template", help="tulis templat progres .xlsx")
    t.add_argument("out", help="nama berkas keluaran, misalnya templat-progres.xlsx")
    t.add_argument("--plan", help="berkas rencana kerja (bawaan: rencana kerja 2025)")
    return p


def _load_plan(path: str | None) -> Plan:
    try:
        return load_plan(path)
    except PlanError as exc:
        raise UnreadableFile(f"{L.CLI['plan']}: " + "; ".join(p.text() for p in exc.problems))
    except UnreadableFile as exc:
        raise UnreadableFile(f"{L.CLI['plan']}: {exc}")


def _check(args) -> int:
    as_of = args.as_of or date.today()
    try:
        plan = _load_plan(args.plan)
        path = Path(args.file)
        try:
            data = path.read_bytes()
        except OSError:
            raise UnreadableFile(L.msg("missing", name=args.file))
        report = read_progress(data, path.name, plan)
    except UnreadableFile as exc:
        if args.json:
            print(json.dumps(unreadable_dict(str(exc), as_of), ensure_ascii=False))
        else:
            print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    result = compute(plan, report.rows, as_of) if report.valid else None
    if args.json:
        print(json.dumps(as_dict(report.valid, as_of, report.problems, result), ensure_ascii=False))
    else:
        print(as_text(args.file, plan.source, as_of, report.position_date, report.problems, result))
    return EXIT_VALID if report.valid else EXIT_INVALID


def _template(args) -> int:
    try:
        plan = _load_plan(args.plan)
        Path(args.out).write_bytes(build_template(plan))
    except UnreadableFile as exc:
        print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as exc:
        print(f"Tidak bisa menulis {args.out!r}: {exc.strerror}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.CLI["template_written"].format(path=args.out, rows=len(plan.rows)))
    return EXIT_VALID


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"check": _check, "template": _template}[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last line of defence: a message, never a traceback
        print(f"Galat tak terduga: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
