"""python -m zi_dashboard: check a progress file, write the template.

Exit status: 0 valid; 1 read but invalid; 2 cannot be read at all.  Never a traceback.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import date
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import compute
from zi_dashboard.outputs.check_summary import as_dict, as_text, unreadable_dict
from zi_dashboard.outputs.exports import export_name
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.plan import Plan, PlanError, load_plan
from zi_dashboard.reading.resources import APP
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.reading.units import match_unit

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(L.msg("bad_date", text=text)) from None


def _indonesian_argparse() -> None:
    """argparse's own words (usage, options, its errors) in Indonesian: argparse asks gettext's
    `_` and `ngettext` (module globals) for each at the moment it writes it."""
    argparse._ = lambda text: L.ARGPARSE.get(text, text)
    argparse.ngettext = lambda one, many, n: L.ARGPARSE.get(one if n == 1 else many, one if n == 1 else many)


def _parser() -> argparse.ArgumentParser:
    H = L.CLI_HELP
    _indonesian_argparse()
    p = argparse.ArgumentParser(prog="python -m zi_dashboard", description=H["description"])
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help=H["check"])
    c.add_argument("file", help=H["progress_file"])
    c.add_argument("--plan", help=H["plan_file"])
    c.add_argument("--as-of", type=_as_of, default=None, help=H["as_of"])
    c.add_argument("--json", action="store_true", help=H["json"])
    _progress_column_arg(c)
    _scope_args(c)
    s = sub.add_parser("snapshots", help=H["snapshots"], description=H["snapshots_scope"])
    s.add_argument("--json", action="store_true", help=H["json_list"])
    _scope_args(s)
    i = sub.add_parser("import", help=H["import"])
    i.add_argument("file", help=H["import_bundle"])
    i.add_argument("--by", required=True, help=H["by"])
    i.add_argument("--position-date", type=_as_of, default=None, help=H["position_date"])
    _progress_column_arg(i)
    _scope_args(i, H["unit_import"], H["year_import"])
    e = sub.add_parser("export", help=H["export"])
    e.add_argument("id", type=int, help=H["id"])
    e.add_argument("out", help=H["out"])
    _scope_args(e)
    r = sub.add_parser("restore", help=H["restore"])
    r.add_argument("id", type=int, help=H["id"])
    r.add_argument("--by", required=True, help=H["restore_by"])
    _scope_args(r)
    po = sub.add_parser("position", help=H["position"])
    po.add_argument("id", type=int, help=H["id"])
    po.add_argument("date", type=_as_of, help=H["position_new"])
    po.add_argument("--by", required=True, help=H["position_by"])
    _scope_args(po)
    rp = sub.add_parser("report", help=H["report"])
    rp.add_argument("--as-of", type=_as_of, default=None, help=H["as_of"])
    rp.add_argument("--out", default=None, help=H["report_out"])
    rp.add_argument("--file", help=H["report_file"])
    _progress_column_arg(rp)
    _scope_args(rp)
    _monev_args(rp)
    sub.add_parser("hash-password", help=H["hash_password"])
    sub.add_parser("unlock", help=H["unlock"]).add_argument("name", help=H["unlock_name"])
    sub.add_parser("logout", help=H["logout"]).add_argument("name", help=H["unlock_name"])
    sub.add_parser("serve", help=H["serve"], description=H["serve_args"])
    t = sub.add_parser("template", help=H["template"])
    t.add_argument("out", help=H["template_out"])
    t.add_argument("--plan", help=H["plan_file"])
    _scope_args(t)
    _readiness_parsers(sub)
    _bulk_parsers(sub)
    _lke_parsers(sub)
    return p


def _progress_column_arg(p) -> None:
    """--progress-column NAME: the column progress is read from, as Unggah's "Kolom progres"."""
    p.add_argument(
        "--progress-column", default=None, metavar="NAMA", help=L.CLI_HELP["progress_column"].replace("%", "%%")
    )  # argparse formats help with %


def _scope_args(p, unit_help: str | None = None, year_help: str | None = None) -> None:
    """--unit U --year Y: which work plan (unit and year) a command reads or changes."""
    p.add_argument("--unit", default=None, help=unit_help or L.CLI_HELP["unit"])
    p.add_argument("--year", default=None, help=year_help or L.CLI_HELP["year"])


def _load_plan(path: str | None) -> Plan:
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


def _unreadable(exc: UnreadableFile, as_of: date | None = None, as_json: bool = False) -> int:
    """Say why a file cannot be read (as JSON on stdout, or a line on stderr): exit status 2."""
    if as_json:
        print(json.dumps(unreadable_dict(exc, as_of or date.today()), ensure_ascii=False))
    else:
        print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
    return EXIT_UNREADABLE


def _check(args) -> int:
    as_of = args.as_of or date.today()
    try:
        plan = _scoped_plan(args)
        report = sandbox.read_progress(
            _file_bytes(args.file), Path(args.file).name, plan, progress_column=args.progress_column
        )
    except UnreadableFile as exc:
        return _unreadable(exc, as_of, args.json)
    if args.as_of is None and report.position_date is not None:
        as_of = report.position_date  # counted at the date the file describes
    result = compute(plan, report.rows, as_of) if report.valid else None
    if args.json:
        print(json.dumps(as_dict(report.valid, as_of, report.problems, result), ensure_ascii=False))
    else:
        print(as_text(args.file, plan.source, as_of, report.position_date, report.problems, result))
    return EXIT_VALID if report.valid else EXIT_INVALID


def _template(args) -> int:
    try:
        if not args.plan and (args.unit or args.year):  # the template of a unit's plan in use, titled with it
            from zi_dashboard.app import service

            wp = _workplan(args)
            plan = service.plan_in_use(wp)[0]
            Path(args.out).write_bytes(service.template_bytes(wp))
        else:
            plan = _load_plan(args.plan)
            Path(args.out).write_bytes(build_template(plan))
    except UnreadableFile as exc:
        return _unreadable(exc)
    except OSError as exc:
        print(L.msg("cannot_write", path=args.out, reason=exc.strerror), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.CLI["template_written"].format(path=args.out, rows=len(plan.rows)))
    return EXIT_VALID


def _snapshots(args) -> int:
    """A work plan's uploads (--unit/--year), or every unit's and year's without them."""
    from zi_dashboard.app import bundles, service

    if args.unit or args.year:
        chosen = [_workplan(args)]
        snaps = service.snapshots(chosen[0])
    else:
        chosen = service.workplans()
        snaps = bundles.all_snapshots()
    by_id = {wp.id: wp for wp in service.workplans()}
    in_use = {service.snapshot_in_use(wp) for wp in chosen} - {None}
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
                        "unit": by_id[s.workplan_id].unit,
                        "year": by_id[s.workplan_id].year,
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


def _file_bytes(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError:
        raise UnreadableFile(L.msg("missing", name=file)) from None


def _checked(file: str, as_of: date | None, wp=None, progress_column: str | None = None):
    """A progress file checked against a work plan's plan in use, as Unggah checks it; the
    CLI's exit status when it cannot be used (with the reasons printed, at `as_of`, else at
    the date the file states), else None."""
    from zi_dashboard.app import service

    try:
        check = service.check_upload(_file_bytes(file), Path(file).name, progress_column=progress_column, wp=wp)
    except UnreadableFile as exc:
        check = service.UploadCheck(b"", Path(file).name, message=str(exc))
    if check.reading is None:
        print(f"{L.CLI['cannot_read']}: {check.message}", file=sys.stderr)
        return check, EXIT_UNREADABLE
    if not check.valid:
        r = check.reading
        print(
            as_text(
                file, check.plan.source, as_of or r.position_date or date.today(), r.position_date, r.problems, None
            )
        )
        return check, EXIT_INVALID
    return check, None


def _import(args) -> int:
    from zi_dashboard.app import bundles, service

    try:
        content = _file_bytes(args.file)
    except UnreadableFile as exc:
        return _unreadable(exc)
    if bundles.is_bundle(content, Path(args.file).name):
        return _import_bundle(args, content)
    wp, how = _import_workplan(args, content)
    print(L.CLI["scope_line"].format(unit=wp.unit, year=wp.year, how=how))
    check, failed = _checked(args.file, None, wp, args.progress_column)
    if failed is not None:
        return failed
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


def _export(args) -> int:
    from zi_dashboard.app import service

    try:
        content = service.original_file(args.id, _upload_workplan(args))
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    Path(args.out).write_bytes(content)
    print(L.CLI["exported"].format(id=args.id, path=args.out, size=len(content)))
    return EXIT_VALID


def _restore(args) -> int:
    from zi_dashboard.app import service

    try:
        service.restore(args.id, args.by, _upload_workplan(args), rights=service.OPERATOR)
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.HISTORY["restored"].format(id=args.id))
    return EXIT_VALID


def _position(args) -> int:
    """Correct a stored upload's position date (recorded; its figures recounted)."""
    from zi_dashboard.app import service

    try:
        service.correct_position(args.id, args.date, args.by, _upload_workplan(args), rights=service.OPERATOR)
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.HISTORY["corrected"].format(id=args.id, date=L.fmt_date(args.date)))
    return EXIT_VALID


def _report(args) -> int:
    """The meeting report or Excel pack of the data in use (or of a given file), built by the
    same service functions as the pages' downloads; or the Laporan monev (--format docx|pdf)."""
    from zi_dashboard.app import service

    fmt = _report_format(args)
    if fmt is None:
        return EXIT_UNREADABLE
    if fmt in ("docx", "pdf"):
        return _monev_report(args, fmt)
    out = Path(args.out or ".")
    wp = _workplan(args, reads=True)
    data = None
    if args.file:
        check, failed = _checked(args.file, args.as_of, wp, args.progress_column)
        if failed is not None:
            return failed
        data = service.file_dataset(check)
    data = data or _dataset_at(args.as_of, wp)
    as_of = args.as_of or service.starting_as_of(data)  # as the sidebar starts: the date the data describes
    ctx = service.context_for(as_of, None, data)
    if out.is_dir():  # no file named: one named after the unit, the year and the date, as pages name it
        out = out / export_name("laporan-rapat-zi", as_of, fmt, service.unit_line(data.workplan or wp))
    out.write_bytes(service.pack(fmt, ctx))
    print(L.CLI["report_written"].format(path=out, date=L.fmt_date(as_of)))
    return EXIT_VALID


# --- Laporan monev (.docx, .pdf) ------------------------------------------------------------
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".docx": "docx", ".pdf": "pdf"}


def _monev_args(p) -> None:
    MC = L.MONEV_CLI
    p.add_argument("--format", choices=("html", "docx", "pdf"), default=None, help=MC["format"])
    p.add_argument("--template", default=None, help=MC["template"])
    p.add_argument("--number", default="", help=MC["number"])
    p.add_argument("--signer", default="", help=MC["signer"])
    p.add_argument("--place", default="", help=MC["place"])
    p.add_argument("--address", default="", help=MC["address"])
    p.add_argument("--date", dest="doc_date", type=_as_of, default=None, help=MC["doc_date"])


def _report_format(args) -> str | None:
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


def _monev_report(args, fmt: str) -> int:
    """The Laporan monev of the data in use at --as-of (the upload in use at that date), or of --file."""
    from zi_dashboard.app import monev as app_monev
    from zi_dashboard.app import service
    from zi_dashboard.outputs import monev as out_monev

    template = None
    if args.template and fmt == "docx":
        template, failed = _template_bytes(args.template)
        if failed is not None:
            return failed
    wp = _workplan(args, reads=True)
    if args.file:
        check, failed = _checked(args.file, args.as_of, wp, args.progress_column)
        if failed is not None:
            return failed
        data = service.file_dataset(check)
    else:
        data = _dataset_at(args.as_of, wp)
    as_of = args.as_of or service.starting_as_of(data)
    name, nip, position = ([*(x.strip() for x in args.signer.split(";")), "", ""])[:3]
    info = out_monev.DocInfo(args.number, args.doc_date, "", args.address, args.place, name, nip, position)
    info = app_monev.with_saved(info, data.workplan or wp)  # the unit's saved details where no flag gives one
    m = app_monev.report(service.context_for(as_of, None, data), info)
    if fmt == "pdf" and not out_monev.pdf_available():
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


def _dataset_at(as_of: date | None, wp):
    """The data a report at --as-of counts: the upload in use then (app.monev.dataset_at); today's without it."""
    from zi_dashboard.app import monev as app_monev
    from zi_dashboard.app import service

    return app_monev.dataset_at(as_of, wp) if as_of else service.current_dataset(wp)


def _template_bytes(path: str) -> tuple[bytes | None, int | None]:
    """A template file's bytes (a huge one is refused before it is read), or the exit status."""
    from zi_dashboard.outputs import monev as out_monev

    try:
        size = Path(path).stat().st_size
        if size > out_monev.MAX_TEMPLATE_BYTES:
            raise out_monev.TemplateProblem(
                L.MONEV["tpl_too_big"].format(
                    size=L.fmt_number(size / 2**20), limit=out_monev.MAX_TEMPLATE_BYTES // 2**20
                )
            )
        return _file_bytes(path), None
    except (OSError, UnreadableFile):
        print(L.msg("missing", name=path), file=sys.stderr)
        return None, EXIT_UNREADABLE
    except out_monev.TemplateProblem as exc:
        print(str(exc), file=sys.stderr)
        return None, EXIT_INVALID


def _hash_password(args) -> int:
    from zi_dashboard.storage.auth import MIN_PASSWORD, hash_password

    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(L.CLI["password"])
        if getpass.getpass(L.CLI["password_again"]) != first:
            print(L.CLI["password_mismatch"], file=sys.stderr)
            return EXIT_INVALID
    else:
        first = sys.stdin.readline().rstrip("\r\n")
    if len(first) < MIN_PASSWORD:
        print(L.CLI["password_short"], file=sys.stderr)
        return EXIT_INVALID
    print(hash_password(first))
    return EXIT_VALID


def _unlock(args) -> int:
    """An admin's unlock: the editor's waits after wrong passwords are gone, at every address."""
    from zi_dashboard.app import service
    from zi_dashboard.storage import auth

    count = auth.unlock(service.get_store(), args.name)
    print(L.CLI["unlocked" if count else "unlock_none"].format(name=args.name.strip(), count=count))
    return EXIT_VALID


def _logout(args) -> int:
    """An admin's revocation: every kept login of an editor ends (a reload is logged out)."""
    from zi_dashboard.app import service
    from zi_dashboard.storage import auth

    count = auth.end_editor_sessions(service.get_store(), args.name.strip())
    print(L.SESSIONS["ended"].format(name=args.name.strip(), count=count))
    return EXIT_VALID


def _serve(args) -> int:
    """The dashboard's server: the generated editor's password (first start, no editor
    configured) is printed now, before the server's own lines, then `streamlit run app.py`."""
    import os

    from zi_dashboard.app import service

    if not APP.exists():
        print(L.CLI["no_app"].format(path=APP), file=sys.stderr)
        return EXIT_UNREADABLE
    service.ensure_editor()
    sys.stdout.flush()  # the .streamlit/config.toml beside app.py applies (upload limit, no file watching)
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", str(APP), *args.streamlit_args])
    return EXIT_VALID  # not reached


def _quiet_stdout() -> None:
    """The reader of our output went away (`... | head`): the rest goes nowhere, silently."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "serve":
        args.streamlit_args = extra  # passed on to streamlit: --server.port 8502 ...
    elif extra:
        parser.error(L.CLI["unknown_args"].format(args=" ".join(extra)))
    try:
        code = {
            "check": _check,
            "template": _template,
            "snapshots": _snapshots,
            "import": _import,
            "export": _export,
            "restore": _restore,
            "hash-password": _hash_password,
            "unlock": _unlock,
            "logout": _logout,
            "report": _report,
            "serve": _serve,
            "position": _position,
            **READINESS_COMMANDS,
            **BULK_COMMANDS,
            "lke": _lke,
        }[args.command](args)
        sys.stdout.flush()
        return code
    except ScopeError as exc:  # no such unit or year, or several units and none named: nothing changed
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:
        _quiet_stdout()
        return 141  # as a shell reports a command ended by SIGPIPE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last line of defence: a message, never a traceback
        print(L.msg("unexpected", kind=type(exc).__name__), file=sys.stderr)
        return EXIT_UNREADABLE


# --- readiness (Kesiapan), follow-up reminders, the self-assessment -------------------------
def _readiness_parsers(sub) -> None:
    H, RC = L.CLI_HELP, L.READY_CLI
    r = sub.add_parser("readiness", help=RC["help"])
    r.add_argument("file", help=H["progress_file"])
    r.add_argument("--plan", help=H["plan_file"])
    r.add_argument("--as-of", type=_as_of, default=None, help=H["as_of"])
    r.add_argument("--reform", default=None, help=RC["help_reform"])
    r.add_argument("--ipak", default=None, help=RC["help_ipak"])
    r.add_argument("--ipkp", default=None, help=RC["help_ipkp"])
    r.add_argument("--kinerja", default=None, help=RC["help_kinerja"])
    r.add_argument("--json", action="store_true", help=H["json"])
    _progress_column_arg(r)
    _scope_args(r)
    m = sub.add_parser("remind", help=RC["help_remind"])
    m.add_argument("--as-of", type=_as_of, default=None, help=H["as_of"])
    m.add_argument("--dry-run", action="store_true", help=RC["help_dry_run"])
    m.add_argument("--smtp-url", default=None, help=RC["help_smtp"])
    m.add_argument("--to-map", default=None, help=RC["help_to_map"])
    m.add_argument("--from", dest="sender", default=None, help=RC["help_from"])
    _scope_args(m)
    a = sub.add_parser("assess", help=RC["help_assess"])
    a.add_argument("file", help=H["progress_file"])
    a.add_argument("--by", required=True, help=H["by"])
    _scope_args(a)
    t = sub.add_parser("assessment-template", help=RC["help_assess_template"])
    t.add_argument("out", help=H["template_out"])
    _scope_args(t)


def _option_values(args) -> dict[str, object] | None:
    """The self-assessment given on the command line (None: use the stored one)."""
    import re

    if args.reform is None and args.ipak is None and args.ipkp is None and args.kinerja is None:
        return None
    raw: dict[str, object] = {}
    for part in re.split(r"[,;]\s*(?=[Rr]?\d+(?:\.\d+)?\s*=)", (args.reform or "").strip()) if args.reform else []:
        m = re.fullmatch(r"\s*[Rr]?(\d+(?:\.\d+)?)\s*=\s*(.*?)\s*", part)
        if not m:
            raise ValueError(L.READY_CLI["bad_reform"].format(text=args.reform))
        raw["R" + m.group(1)] = m.group(2)
    for code, value in (("IPAK", args.ipak), ("IPKP", args.ipkp), ("KINERJA", args.kinerja)):
        if value is not None:
            raw[code] = value
    return raw


def _readiness(args) -> int:
    from zi_dashboard.app import service
    from zi_dashboard.outputs import readiness_out as ro

    as_of = args.as_of or date.today()
    try:
        plan = _scoped_plan(args)
        data = _file_bytes(args.file)
        report = sandbox.read_progress(data, Path(args.file).name, plan, progress_column=args.progress_column)
    except UnreadableFile as exc:
        return _unreadable(exc, as_of, args.json)
    if not report.valid:
        if args.json:
            print(json.dumps(as_dict(False, as_of, report.problems, None), ensure_ascii=False))
        else:
            print(as_text(args.file, plan.source, as_of, report.position_date, report.problems, None))
        return EXIT_INVALID
    try:
        raw = _option_values(args)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    if args.as_of is None:  # counted at the date the file describes, as the pages start
        as_of = report.position_date or as_of
        if report.position_date is None:
            print(L.READY_CLI["as_of_today"].format(date=L.fmt_date(as_of)), file=sys.stderr)
    if raw is None:
        assessment = _saved_assessment(args, report)
    else:
        check = service.check_assessment_values(raw)
        if not check.valid:
            if args.json:
                print(json.dumps(as_dict(False, as_of, check.problems, None), ensure_ascii=False))
            for p in check.problems:
                print(p.text(), file=sys.stderr)
            return EXIT_INVALID
        assessment = check.assessment
    given = service.Dataset(
        plan, report.rows, None, "file:" + hashlib.sha256(data).hexdigest(), Path(args.file).name, report.position_date
    )
    ready = service.readiness_of(service.context_for(as_of, None, given), assessment)
    if args.json:
        print(json.dumps(ro.as_dict(ready), ensure_ascii=False))
    else:
        print(_readiness_text(ready))
    return EXIT_VALID


def _saved_assessment(args, report):
    """The saved self-assessment `readiness FILE` counts (_assessment_workplan's), or none."""
    from zi_dashboard.app import service

    wp = _assessment_workplan(args, report, Path(args.file).name)
    in_use = service.assessment_in_use(wp) if wp else service.AssessmentInUse(service.Assessment(), None)
    if in_use.problems:  # saved before the no-tolerance rule: counted at the maximum, said
        print(L.READY_CLI["stored_bad"].format(id=in_use.stored.id), file=sys.stderr)
        for p in in_use.problems:
            print(p.text(), file=sys.stderr)
    return in_use.assessment


def _assessment_workplan(args, report, filename: str):
    """Whose saved self-assessment `readiness FILE` counts: --unit/--year's; else the unit the
    file's title (or name) states; else the only unit's.  None (every value 0, said on stderr)
    when several units have plans and none is named: reading a file needs no unit."""
    from zi_dashboard.app import bundles

    if args.unit or args.year:
        return _workplan(args, reads=True)
    found = bundles.title_unit(report.title_lines, filename)
    if found.unit is not None:
        return _workplan(args, found.unit, found.year, reads=True)
    if len(_units_with_plans()) == 1:
        return _workplan(args, reads=True)
    print(L.READY_CLI["no_unit"], file=sys.stderr)
    return None


def _readiness_text(r) -> str:
    from zi_dashboard.outputs import readiness_out as ro

    RC = L.READY_CLI
    lines = [RC["title"].format(date=L.fmt_date(r.as_of)), L.READY["why_estimate"]]
    if not r.has_weights:
        lines.append(L.READY["no_weights"])
    lines += [
        RC["line_pemenuhan"].format(points=ro.n2(r.pemenuhan_total), max=ro.n2(r.pemenuhan_max)),
        RC["line_reform"].format(points=ro.n2(r.reform_total), max=ro.n2(r.reform_max)),
        RC["line_pengungkit"].format(points=ro.n2(r.pengungkit)),
        RC["line_hasil"].format(points=ro.n2(r.hasil["total"]), max=ro.n2(r.hasil_max)),
        RC["line_total"].format(points=ro.n2(r.total)),
    ]
    for p in ("WBK", "WBBM"):
        lines.append(RC["line_predicate"].format(name=p, result=ro.predicate_text(r, p)))
        lines += [f"  - {x}" for x in ro.shortfall_lines(r, p)]
    if r.missing_inputs:
        lines.append(ro.missing_inputs_line(r))
    return "\n".join(lines)


def _remind(args) -> int:
    from zi_dashboard.app import lke_compare, service
    from zi_dashboard.outputs import lke_compare_out

    RC = L.READY_CLI
    wp = _workplan(args, reads=True)
    as_of = args.as_of or service.starting_as_of(service.current_dataset(wp))  # as the pages start
    ready = service.readiness_of(service.context_for(as_of, wp=wp))  # the data in use, as the pages show it
    items = service.follow_ups(ready)
    returned = lke_compare.returned_by_pic(wp)  # the questions the TPI returned for repair, per PIC
    if not items and not returned:
        print(L.READY["follow_none"].format(date=L.fmt_date(as_of)))
        return EXIT_VALID
    addresses: dict[str, str] = {}
    if args.to_map:
        try:
            addresses = service.contacts_from(_file_bytes(args.to_map), Path(args.to_map).name, "email")
        except UnreadableFile as exc:
            return _unreadable(exc)
    sending = bool(args.smtp_url) and not args.dry_run
    if args.smtp_url:
        try:
            _smtp_parts(args.smtp_url)
        except ValueError:
            print(L.msg("smtp_bad_url", url=args.smtp_url), file=sys.stderr)
            return EXIT_UNREADABLE
    failed = 0
    for pic, text, subject in lke_compare_out.follow_up_messages(items, returned, as_of, wp.unit):
        to = addresses.get(pic)
        if not args.smtp_url:
            print(RC["separator"])
            print(text)
            continue
        if not to:
            print(RC["no_address"].format(pic=pic or L.READY["no_pic"]))
            continue
        if not sending:
            print(RC["separator"])
            print(RC["would_send"].format(to=to))
            print(subject)
            print(text)
            continue
        try:
            _send(args.smtp_url, args.sender, to, subject, text)
            print(RC["sent"].format(to=to, pic=pic or L.READY["no_pic"]))
        except Exception as exc:  # refused, unreachable, TLS: a message, never a traceback
            failed += 1
            print(L.msg("smtp_failed", to=to, reason=type(exc).__name__ + ": " + str(exc)[:200]), file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_VALID


def _smtp_parts(url: str):
    from urllib.parse import unquote, urlsplit

    u = urlsplit(url)
    if u.scheme not in ("smtp", "smtps", "smtp+starttls") or not u.hostname:
        raise ValueError(url)
    port = u.port or {"smtp": 25, "smtps": 465, "smtp+starttls": 587}[u.scheme]
    return u.scheme, u.hostname, port, unquote(u.username or ""), unquote(u.password or "")


def _send(url: str, sender: str | None, to: str, subject: str, text: str) -> None:
    import os
    import smtplib
    from email.message import EmailMessage

    scheme, host, port, user, password = _smtp_parts(url)
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender or os.environ.get("ZI_SMTP_FROM") or "zi-dashboard@localhost"
    msg["To"] = to
    msg.set_content(text)
    smtp_class = smtplib.SMTP_SSL if scheme == "smtps" else smtplib.SMTP
    with smtp_class(host, port, timeout=30) as smtp:
        if scheme == "smtp+starttls":
            smtp.starttls()
        if user:
            smtp.login(user, password)
        smtp.send_message(msg)


def _assess(args) -> int:
    from zi_dashboard.app import service

    path = Path(args.file)
    try:
        check = service.check_assessment_sheet(_file_bytes(args.file), path.name)
    except UnreadableFile as exc:
        return _unreadable(exc)
    if not check.valid:
        print(L.ASSESS["invalid"].format(n=len(check.problems)), file=sys.stderr)
        for p in check.problems:
            print(p.text(), file=sys.stderr)
        return EXIT_INVALID
    saved = service.save_assessment(check, args.by, path.name, _workplan(args), rights=service.OPERATOR)
    print(L.READY_CLI["assess_saved"].format(id=saved.id))
    return EXIT_VALID


def _assessment_template(args) -> int:
    from zi_dashboard.app import service

    try:
        Path(args.out).write_bytes(service.assessment_template(_workplan(args)))
    except OSError as exc:
        print(L.msg("cannot_write", path=args.out, reason=exc.strerror), file=sys.stderr)
        return EXIT_UNREADABLE
    from zi_dashboard.reading.assessment import field_codes

    print(L.CLI["template_written"].format(path=args.out, rows=len(field_codes(service.lke()))))
    return EXIT_VALID


READINESS_COMMANDS = {
    "readiness": _readiness,
    "remind": _remind,
    "assess": _assess,
    "assessment-template": _assessment_template,
}


# --- bulk work (issue 14 item 5): which unit and year, plan-add, portfolio, a zip of many units' files ---
class ScopeError(Exception):
    """No such unit or year, or several units and none named (exit 2; nothing changed)."""


def _year_number(text) -> int | None:
    if text in (None, ""):
        return None
    try:
        return int(str(text).strip())
    except ValueError:
        raise ScopeError(L.CLI["bad_year"].format(year=text)) from None


def _units_with_plans() -> list[str]:
    from zi_dashboard.app import service

    return list(dict.fromkeys(wp.unit for wp in service.workplans()))


def _workplan(args, unit: str | None = None, year: int | None = None, reads: bool = False):
    """The work plan a command acts on: --unit/--year (or the unit and year given, e.g. read
    from a file's title; --unit/--year win); without a unit, the only unit's (its latest year
    unless a year is named; for a command that only `reads`, the year shown on the pages:
    service.shown_workplan).  ScopeError naming what exists otherwise."""
    from zi_dashboard.app import bundles, service

    unit = getattr(args, "unit", None) or unit
    wanted = _year_number(getattr(args, "year", None))
    wanted = wanted if wanted is not None else year
    if not unit:
        only = _units_with_plans()
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


def _upload_workplan(args):
    """The work plan of the upload `args.id`: --unit/--year when given (the upload must be one
    of its), else the upload's own.  LookupError: no such upload."""
    from zi_dashboard.app import bundles

    own = bundles.snapshot_workplan(args.id)
    if not (args.unit or args.year):
        if own is None:
            raise LookupError(args.id)
        return own
    wp = _workplan(args)
    if own is not None and own != wp:
        raise ScopeError(L.CLI["not_that_unit"].format(id=args.id, unit=wp.unit, year=wp.year))
    return wp


def _scoped_plan(args) -> Plan:
    """--plan's file; else the plan in use of --unit/--year when named; else the bundled plan."""
    if args.plan or not (args.unit or args.year):
        return _load_plan(args.plan)
    from zi_dashboard.app import service

    return service.plan_in_use(_workplan(args))[0]


def _import_workplan(args, content: bytes):
    """The work plan a progress file is imported to and how it was chosen: --unit/--year, else
    the unit and year its title names (or its file name), else the only unit's latest year."""
    from zi_dashboard.app import bundles, service

    C = L.CLI
    found = bundles.file_unit(content, Path(args.file).name, _year_number(args.year))
    if args.unit:
        if found.named and service.unit_key(found.named) != service.unit_key(args.unit):
            print(C["title_other_unit"].format(found=found.named, unit=args.unit), file=sys.stderr)
        wp = _workplan(args, year=found.year)
        return wp, C["how_given"] if args.year or found.year is None else C["how_mixed"]
    if found.unit is None and found.named:  # the title names a unit without a plan: never another unit's
        raise ScopeError(C["title_unknown_unit"].format(unit=found.named, workplans=bundles.workplans_line()))
    if found.unit is not None:
        wp = _workplan(args, found.unit, found.year)
        return wp, C["how_mixed"] if args.year else C["how_title" if found.how == "title" else "how_name"]
    return _workplan(args), C["how_given"] if args.year else C["how_only"]


def _import_bundle(args, content: bytes) -> int:
    """A zip of many units' progress files: each matched to its unit and checked against its
    work plan of --year (default the latest year), the result per file printed, then the
    valid, matched, new ones saved (those without a position date get --position-date)."""
    from zi_dashboard.app import bundles, service

    C = L.CLI
    if args.unit:
        raise ScopeError(C["bundle_unit"])
    year = _year_number(args.year)
    if year is None:
        year = service.years()[-1]
    elif year not in service.years():
        raise ScopeError(C["no_year"].format(year=year, years=", ".join(map(str, service.years()))))
    name = Path(args.file).name
    try:
        items = bundles.check_bundle(content, name, year)
    except UnreadableFile as exc:
        return _unreadable(exc)
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


def _plan_add(args) -> int:
    """Add a plan: a new work plan (a new unit or year, from the file's title or --unit/--year)
    or a new version of an existing one's plan.  Nothing is stored when anything is wrong."""
    import getpass

    from zi_dashboard.app import service

    C = L.CLI
    name = Path(args.file).name
    try:
        content = _file_bytes(args.file)
        plan = service.read_plan_file(content, name)
    except UnreadableFile as exc:
        return _unreadable(exc)
    except PlanError as exc:
        print(C["plan_invalid"].format(n=len(exc.problems)), file=sys.stderr)
        for p in exc.problems:
            print(f"  - {p.text()}", file=sys.stderr)
        return EXIT_INVALID
    title_unit, title_year = service.plan_unit_year(plan)
    unit, year = args.unit or title_unit, _year_number(args.year)
    sources = {
        "given" if args.unit else "title" if title_unit else "only",
        "given" if year is not None else "title" if title_year is not None else "latest",
    }
    year = year if year is not None else title_year
    if not unit:
        only = _units_with_plans()
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
        wp, stored = service.add_plan(
            content, name, args.by or _os_user(getpass), unit, int(year), rights=service.OPERATOR
        )
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


def _os_user(getpass) -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "operator"


def _r1(x) -> float | None:
    """round1, with null for a missing figure (a listed unit without a plan)."""
    from zi_dashboard.counting.metrics import round1

    return None if x is None or x != x else round1(x)


def portfolio_dict(pf) -> dict:
    """The province figures as the CLI's JSON: units best first, each with its components."""
    out = []
    for u in pf.units.itertuples(index=False):
        cells = pf.cells[pf.cells["unit"] == u.unit]
        last = u.last_upload if u.last_upload is not None and u.last_upload == u.last_upload else None
        out.append(
            {
                "unit": u.unit,
                "overall_completion": _r1(u.overall_completion),
                "overall_planned": _r1(u.overall_planned),
                "components": [
                    {"name": c.component, "completion": _r1(c.completion), "planned": _r1(c.planned)}
                    for c in cells.itertuples(index=False)
                ],
                "overdue": None if not u.has_plan else int(u.overdue),
                "last_upload": last.isoformat() if last is not None else None,
            }
        )
    if pf.per_unit:  # no --as-of: each unit at the date its data describes
        for u, when in zip(out, pf.units["as_of"], strict=True):
            u["as_of"] = when.isoformat() if isinstance(when, date) else None
        return {"as_of": None, "year": int(pf.year), "units": out}
    return {"as_of": pf.as_of.isoformat(), "year": int(pf.year), "units": out}


def _portfolio(args) -> int:
    from zi_dashboard.app import province, service

    C = L.CLI
    years = service.years()
    year = _year_number(args.year)
    if year is not None and year not in years:
        raise ScopeError(C["no_year"].format(year=year, years=", ".join(map(str, years))))
    pf = province.portfolio(year, args.as_of)
    if args.json:
        print(json.dumps(portfolio_dict(pf), ensure_ascii=False))
        return EXIT_VALID
    print(
        C["portfolio_title_each" if pf.per_unit else "portfolio_title"].format(
            year=pf.year, date=L.fmt_date(pf.as_of), n=len(pf.units)
        )
    )
    head = C["portfolio_head"]
    rows = []
    for u in pf.units.itertuples(index=False):
        if not u.has_plan:
            rows.append(["–", u.unit, C["portfolio_no_plan"], "", "", ""])
            continue
        last = u.last_upload if u.last_upload is not None and u.last_upload == u.last_upload else None
        when = service.local_time(last) if last is not None else C["portfolio_never"]
        if u.stale:
            when += " " + C["portfolio_stale"].format(days=province.STALE_DAYS)
        rows.append(
            [
                str(u.rank),
                u.unit,
                L.fmt_pct(u.overall_completion),
                L.fmt_pct(u.overall_planned),
                str(int(u.overdue)),
                when,
            ]
        )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i in (1, 5) else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(r, widths, strict=True))
            ).rstrip()
        )
    return EXIT_VALID


def _bulk_parsers(sub) -> None:
    H = L.CLI_HELP
    pa = sub.add_parser("plan-add", help=H["plan_add"])
    pa.add_argument("file", help=H["plan_add_file"])
    pa.add_argument("--by", default=None, help=H["plan_add_by"])
    _scope_args(pa, H["plan_unit"], H["plan_year"])
    pf = sub.add_parser("portfolio", help=H["portfolio"])
    pf.add_argument("--year", default=None, help=H["portfolio_year"])
    pf.add_argument("--as-of", type=_as_of, default=None, help=H["portfolio_as_of"])
    pf.add_argument("--json", action="store_true", help=H["json"])


BULK_COMMANDS = {"plan-add": _plan_add, "portfolio": _portfolio}


# --- the LKE question by question: score a workbook, read an evidence sheet ---------------------
def _lke_parsers(sub) -> None:
    K = L.LKE
    lke = sub.add_parser("lke", help=K["help_lke"])
    lsub = lke.add_subparsers(dest="lke_command", required=True)
    sc = lsub.add_parser("score", help=K["help_score"])
    sc.add_argument("file", help=K["help_file"])
    sc.add_argument("--level", choices=("unit", "tpi"), default="unit", help=K["help_level"])
    sc.add_argument("--year", type=int, default=None, help=K["help_year"])
    sc.add_argument("--json", action="store_true", help=L.CLI_HELP["json"])
    ev = lsub.add_parser("evidence", help=K["help_evidence"])
    ev.add_argument("file", help=K["help_file"])
    ev.add_argument("--year", type=int, default=None, help=K["help_year"])
    ev.add_argument("--json", action="store_true", help=L.CLI_HELP["json"])
    _lke_store_parsers(lsub)


def _lke(args) -> int:
    if args.lke_command in LKE_STORE_COMMANDS:
        return LKE_STORE_COMMANDS[args.lke_command](args)
    from zi_dashboard.counting.lke_score import score_sheet
    from zi_dashboard.outputs.lke_out import evidence_dict, score_dict, score_text
    from zi_dashboard.reading.lke_instrument import load_instrument

    instrument = load_instrument(args.year)
    try:
        data = Path(args.file).read_bytes()
    except OSError:
        return _unreadable(UnreadableFile(L.msg("missing", name=str(args.file))), as_json=args.json)
    try:
        if args.lke_command == "evidence":
            sheet = sandbox.read_evidence_sheet(data, Path(args.file).name, instrument)
            out = evidence_dict(sheet)
            bad = bool(out["errors"])
            lines = (
                [json.dumps(out, ensure_ascii=False)]
                if args.json
                else (
                    [f"{L.LKE['evidence_links']}:"]
                    + [f"  {q['code']} {q['letter']}: {', '.join(q['links'])}" for q in out["questions"]]
                    + [f"  - {p.text()}" for p in sheet.problems]
                )
            )
        else:
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
        return _unreadable(exc, as_json=args.json)
    print("\n".join(lines))
    return EXIT_INVALID if bad else EXIT_VALID


# --- the LKE answers kept per work plan: import a workbook, export the answers in use, add an instrument ---
def _lke_store_parsers(lsub) -> None:
    K = L.LKE_CLI
    im = lsub.add_parser("import", help=K["help_import"])
    im.add_argument("file", help=L.LKE["help_file"])
    im.add_argument("--by", required=True, help=L.CLI_HELP["by"])
    im.add_argument("--level", choices=("unit", "tpi"), default="unit", help=K["help_level"])
    _scope_args(im)
    ex = lsub.add_parser("export", help=K["help_export"])
    ex.add_argument("out", help=K["help_out"])
    _scope_args(ex)
    ia = lsub.add_parser("instrument-add", help=K["help_instrument"])
    ia.add_argument("file", help=K["help_instrument_file"])
    ia.add_argument("--year", required=True, type=int, help=K["help_instrument_year"])
    ia.add_argument("--by", required=True, help=L.CLI_HELP["by"])


def _lke_import(args) -> int:
    """Store one level's answers of a workbook for a work plan; a file with errors stores nothing."""
    from zi_dashboard.app import lke as service_lke

    K = L.LKE_CLI
    wp = _workplan(args)
    print(
        L.CLI["scope_line"].format(
            unit=wp.unit, year=wp.year, how=L.CLI["how_given" if args.unit or args.year else "how_only"]
        )
    )
    try:
        check = service_lke.check_workbook(_file_bytes(args.file), Path(args.file).name, wp)
    except UnreadableFile as exc:
        return _unreadable(exc)
    level_name = L.LKE["level_tpi"] if args.level == "tpi" else L.LKE["level_unit"]
    if not check.valid or args.level not in check.scores:
        errors = [p for p in check.problems if p.is_error]
        print(K["refused"].format(n=len(errors), name=Path(args.file).name), file=sys.stderr)
        for p in errors:
            print(f"  - {p.text()}", file=sys.stderr)
        if args.level not in check.scores:
            print(L.LKE["no_level"].format(level=level_name), file=sys.stderr)
        return EXIT_INVALID
    saved = service_lke.save_workbook(check, args.by, wp, args.level, rights=service_lke.OPERATOR)
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


def _lke_export(args) -> int:
    """The LKE workbook of the answers in use (the unit's and the TPI's)."""
    from zi_dashboard.app import lke as service_lke

    wp = _workplan(args, reads=True)
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


def _lke_instrument_add(args) -> int:
    """Keep a newer LKE instrument (a questions CSV); plan years from --year on use it."""
    from zi_dashboard.app import lke as service_lke
    from zi_dashboard.reading.lke_instrument import InstrumentError

    try:
        content = _file_bytes(args.file)
    except UnreadableFile as exc:
        return _unreadable(exc)
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


LKE_STORE_COMMANDS = {"import": _lke_import, "export": _lke_export, "instrument-add": _lke_instrument_add}
