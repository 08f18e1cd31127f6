"""report: the meeting report (HTML) or Excel pack of the data in use, or of a given file, built
by the same service functions as the pages' downloads; or the Laporan monev (.docx, .pdf)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.app import monev as app_monev
from zi_dashboard.app import service
from zi_dashboard.cli.common import (
    EXIT_INVALID,
    EXIT_UNREADABLE,
    EXIT_VALID,
    as_of_date,
    checked,
    dataset_at,
    file_bytes,
    progress_column_arg,
    scope_args,
    workplan,
)
from zi_dashboard.outputs import monev as out_monev
from zi_dashboard.outputs import monev_html
from zi_dashboard.outputs.exports import export_name
from zi_dashboard.reading.sheets import UnreadableFile

_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".docx": "docx", ".pdf": "pdf"}


def report_arguments(p: argparse.ArgumentParser) -> None:
    H, MC = L.CLI_HELP, L.MONEV_CLI
    p.add_argument("--as-of", type=as_of_date, default=None, help=H["as_of"])
    p.add_argument("--out", default=None, help=H["report_out"])
    p.add_argument("--file", help=H["report_file"])
    progress_column_arg(p)
    scope_args(p)
    p.add_argument("--format", choices=("html", "docx", "pdf"), default=None, help=MC["format"])
    p.add_argument("--template", default=None, help=MC["template"])
    p.add_argument("--number", default="", help=MC["number"])
    p.add_argument("--signer", default="", help=MC["signer"])
    p.add_argument("--place", default="", help=MC["place"])
    p.add_argument("--address", default="", help=MC["address"])
    p.add_argument("--date", dest="doc_date", type=as_of_date, default=None, help=MC["doc_date"])


def report(args: argparse.Namespace) -> int:
    """The meeting report or Excel pack of the data in use (or of a given file), built by the
    same service functions as the pages' downloads; or the Laporan monev (--format docx|pdf)."""
    fmt = _report_format(args)
    if fmt is None:
        return EXIT_UNREADABLE
    if fmt in ("docx", "pdf"):
        return _monev_report(args, fmt)
    out = Path(args.out or ".")
    wp = workplan(args, reads=True)
    data = None
    if args.file:
        check, failed = checked(args.file, args.as_of, wp, args.progress_column)
        if failed is not None:
            return failed
        data = service.file_dataset(check)
    data = data or dataset_at(args.as_of, wp)
    as_of = args.as_of or service.starting_as_of(data)  # as the sidebar starts: the date the data describes
    ctx = service.context_for(as_of, None, data)
    if out.is_dir():  # no file named: one named after the unit, the year and the date, as pages name it
        out = out / export_name("laporan-rapat-zi", as_of, fmt, service.unit_line(data.workplan or wp))
    out.write_bytes(service.pack(fmt, ctx))
    print(L.CLI["report_written"].format(path=out, date=L.fmt_date(as_of)))
    return EXIT_VALID


def _report_format(args: argparse.Namespace) -> str | None:
    """html (the default), xlsx, docx or pdf: --format, else the --out file's ending; None (said
    on stderr) when they disagree or the ending is none of them."""
    suffix = Path(args.out).suffix.lower() if args.out and not Path(args.out).is_dir() else ""
    by_suffix = _SUFFIX_FORMATS.get(suffix)
    if suffix and by_suffix is None:
        print(L.CLI["report_type"], file=sys.stderr)
        return None
    if args.format and by_suffix and by_suffix != args.format and not (args.format == "html" and by_suffix == "xlsx"):
        print(L.MONEV_CLI["out_type"].format(fmt=args.format, ext=args.format, path=args.out), file=sys.stderr)
        return None
    return by_suffix or args.format or "html"


def _monev_report(args: argparse.Namespace, fmt: str) -> int:
    """The Laporan monev of the data in use at --as-of (the upload in use at that date), or of --file."""
    template = None
    if args.template and fmt == "docx":
        template, failed = _template_bytes(args.template)
        if failed is not None:
            return failed
    wp = workplan(args, reads=True)
    if args.file:
        check, failed = checked(args.file, args.as_of, wp, args.progress_column)
        if failed is not None:
            return failed
        data = service.file_dataset(check)
    else:
        data = dataset_at(args.as_of, wp)
    as_of = args.as_of or service.starting_as_of(data)
    name, nip, position = ([*(x.strip() for x in args.signer.split(";")), "", ""])[:3]
    info = out_monev.DocInfo(args.number, args.doc_date, "", args.address, args.place, name, nip, position)
    info = app_monev.with_saved(info, data.workplan or wp)  # the unit's saved details where no flag gives one
    m = app_monev.report(service.context_for(as_of, None, data), info)
    if fmt == "pdf" and not monev_html.pdf_available():
        print(L.MONEV["pdf_unavailable"], file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        if fmt == "docx" and template is None:  # the unit's template in use at the letter's date
            content, problem = app_monev.unit_docx(m, data.workplan or wp)
            if problem:
                print(problem, file=sys.stderr)
        else:
            content = app_monev.render(fmt, m, template)
    except out_monev.TemplateProblem as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    out = Path(args.out or ".")
    if out.is_dir():
        out = out / out_monev.file_name(m.meeting.unit, as_of, fmt)
    out.write_bytes(content)
    print(L.CLI["report_written"].format(path=out, date=L.fmt_date(as_of)))
    return EXIT_VALID


def _template_bytes(path: str) -> tuple[bytes | None, int | None]:
    """A template file's bytes (a huge one is refused before it is read), or the exit status."""
    try:
        size = Path(path).stat().st_size
        if size > out_monev.MAX_TEMPLATE_BYTES:
            raise out_monev.TemplateProblem(
                L.MONEV["tpl_too_big"].format(
                    size=L.fmt_number(size / 2**20), limit=out_monev.MAX_TEMPLATE_BYTES // 2**20
                )
            )
        return file_bytes(path), None
    except (OSError, UnreadableFile):
        print(L.msg("missing", name=path), file=sys.stderr)
        return None, EXIT_UNREADABLE
    except out_monev.TemplateProblem as exc:
        print(str(exc), file=sys.stderr)
        return None, EXIT_INVALID
