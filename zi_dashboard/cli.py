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
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.plan import Plan, PlanError, load_plan
from zi_dashboard.reading.sheets import UnreadableFile

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(L.msg("bad_date", text=text)) from None


def _parser() -> argparse.ArgumentParser:
    H = L.CLI_HELP
    p = argparse.ArgumentParser(prog="python -m zi_dashboard",
                                description=H["description"])
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help=H["check"])
    c.add_argument("file", help=H["progress_file"])
    c.add_argument("--plan", help=H["plan_file"])
    c.add_argument("--as-of", type=_as_of, default=None, help=H["as_of"])
    c.add_argument("--json", action="store_true", help=H["json"])
    s = sub.add_parser("snapshots", help=H["snapshots"])
    s.add_argument("--json", action="store_true", help=H["json_list"])
    i = sub.add_parser("import", help=H["import"])
    i.add_argument("file", help=H["progress_file"])
    i.add_argument("--by", required=True, help=H["by"])
    i.add_argument("--position-date", type=_as_of, default=None,
                   help=H["position_date"])
    e = sub.add_parser("export", help=H["export"])
    e.add_argument("id", type=int, help=H["id"])
    e.add_argument("out", help=H["out"])
    r = sub.add_parser("restore", help=H["restore"])
    r.add_argument("id", type=int, help=H["id"])
    r.add_argument("--by", required=True, help=H["restore_by"])
    po = sub.add_parser("position", help=H["position"])
    po.add_argument("id", type=int, help=H["id"])
    po.add_argument("date", type=_as_of, help=H["position_new"])
    po.add_argument("--by", required=True, help=H["position_by"])
    rp = sub.add_parser("report", help=H["report"])
    rp.add_argument("--as-of", type=_as_of, default=None, help=H["as_of"])
    rp.add_argument("--out", required=True, help=H["report_out"])
    rp.add_argument("--file", help=H["report_file"])
    sub.add_parser("hash-password", help=H["hash_password"])
    sub.add_parser("serve", help=H["serve"], description=H["serve_args"])
    t = sub.add_parser("template", help=H["template"])
    t.add_argument("out", help=H["template_out"])
    t.add_argument("--plan", help=H["plan_file"])
    _readiness_parsers(sub)
    return p


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


def _check(args) -> int:
    as_of = args.as_of or date.today()
    try:
        plan = _load_plan(args.plan)
        report = sandbox.read_progress(_file_bytes(args.file), Path(args.file).name, plan)
    except UnreadableFile as exc:
        if args.json:
            print(json.dumps(unreadable_dict(exc, as_of), ensure_ascii=False))
        else:
            print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
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
        plan = _load_plan(args.plan)
        Path(args.out).write_bytes(build_template(plan))
    except UnreadableFile as exc:
        print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as exc:
        print(L.msg("cannot_write", path=args.out, reason=exc.strerror), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.CLI["template_written"].format(path=args.out, rows=len(plan.rows)))
    return EXIT_VALID


def _snapshots(args) -> int:
    from zi_dashboard.app import service
    snaps = service.snapshots()
    in_use = service.snapshot_in_use()
    if args.json:
        print(json.dumps([{"id": s.id, "position_date": s.position_date.isoformat() if s.position_date else None,
                           "uploaded_at": s.uploaded_at.isoformat(), "uploaded_by": s.uploaded_by,
                           "filename": s.filename, "sha256": s.sha256, "size": s.size, "in_use": s.id == in_use}
                          for s in snaps], ensure_ascii=False))
        return EXIT_VALID
    if not snaps:
        print(L.CLI["no_snapshots"])
    for s in snaps:
        mark = "*" if s.id == in_use else " "
        print(f"{mark} #{s.id:<4} {L.CLI['position_short']} {L.fmt_date(s.position_date):<20} "
              f"{service.local_time(s.uploaded_at)}  {s.uploaded_by}  {s.filename}")
    return EXIT_VALID


def _file_bytes(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError:
        raise UnreadableFile(L.msg("missing", name=file)) from None


def _checked(file: str, as_of: date):
    """A progress file checked against the plan in use, as Unggah checks it; the CLI's exit
    status when it cannot be used (with the reasons printed), else None."""
    from zi_dashboard.app import service
    try:
        check = service.check_upload(_file_bytes(file), Path(file).name)
    except UnreadableFile as exc:
        check = service.UploadCheck(b"", Path(file).name, message=str(exc))
    if check.reading is None:
        print(f"{L.CLI['cannot_read']}: {check.message}", file=sys.stderr)
        return check, EXIT_UNREADABLE
    if not check.valid:
        r = check.reading
        print(as_text(file, check.plan.source, as_of, r.position_date, r.problems, None))
        return check, EXIT_INVALID
    return check, None


def _import(args) -> int:
    from zi_dashboard.app import service
    check, failed = _checked(args.file, date.today())
    if failed is not None:
        return failed
    position = args.position_date or check.reading.position_date
    if position is None:  # never guessed (not today): the editor says it
        print(L.CLI["need_position"], file=sys.stderr)
        return EXIT_INVALID
    saved = service.save_upload(check, args.by, position, rights=service.OPERATOR)
    if saved.duplicate:
        print(L.CLI["duplicate"].format(id=saved.snapshot.id))
    else:
        print(L.CLI["imported"].format(id=saved.snapshot.id, name=check.filename))
    return EXIT_VALID


def _export(args) -> int:
    from zi_dashboard.app import service
    try:
        content = service.original_file(args.id)
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    Path(args.out).write_bytes(content)
    print(L.CLI["exported"].format(id=args.id, path=args.out, size=len(content)))
    return EXIT_VALID


def _restore(args) -> int:
    from zi_dashboard.app import service
    try:
        service.restore(args.id, args.by, rights=service.OPERATOR)
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.HISTORY["restored"].format(id=args.id))
    return EXIT_VALID


def _position(args) -> int:
    """Correct a stored upload's position date (recorded; its figures recounted)."""
    from zi_dashboard.app import service
    try:
        service.correct_position(args.id, args.date, args.by, rights=service.OPERATOR)
    except LookupError:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.HISTORY["corrected"].format(id=args.id, date=L.fmt_date(args.date)))
    return EXIT_VALID


def _report(args) -> int:
    """The meeting report or Excel pack of the data in use (or of a given file), built by the
    same service functions as the pages' downloads."""
    from zi_dashboard.app import service
    as_of = args.as_of or date.today()
    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm", ".xlsx"):
        print(L.CLI["report_type"], file=sys.stderr)
        return EXIT_UNREADABLE
    data = None
    if args.file:
        check, failed = _checked(args.file, as_of)
        if failed is not None:
            return failed
        data = service.file_dataset(check)
    data = data or service.current_dataset()
    if args.as_of is None and data.position_date is not None:
        as_of = data.position_date  # as the sidebar starts: the date the data describes
    ctx = service.context_for(as_of, None, data)
    out.write_bytes(service.pack("html" if out.suffix.lower() in (".html", ".htm") else "xlsx", ctx))
    print(L.CLI["report_written"].format(path=out, date=L.fmt_date(as_of)))
    return EXIT_VALID


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


APP = Path(__file__).resolve().parents[1] / "app.py"


def _serve(args) -> int:
    """The dashboard's server: the generated editor's password (first start, no editor
    configured) is printed now, before the server's own lines, then `streamlit run app.py`."""
    import os

    from zi_dashboard.app import service
    if not APP.exists():
        print(L.CLI["no_app"].format(path=APP), file=sys.stderr)
        return EXIT_UNREADABLE
    service.ensure_editor()
    sys.stdout.flush()
    os.chdir(APP.parent)  # the project's .streamlit/config.toml (upload limit, no file watching) applies
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
        code = {"check": _check, "template": _template, "snapshots": _snapshots, "import": _import,
                "export": _export, "restore": _restore, "hash-password": _hash_password,
                "report": _report, "serve": _serve, "position": _position,
                **READINESS_COMMANDS}[args.command](args)
        sys.stdout.flush()
        return code
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
    m = sub.add_parser("remind", help=RC["help_remind"])
    m.add_argument("--as-of", type=_as_of, default=None, help=H["as_of"])
    m.add_argument("--dry-run", action="store_true", help=RC["help_dry_run"])
    m.add_argument("--smtp-url", default=None, help=RC["help_smtp"])
    m.add_argument("--to-map", default=None, help=RC["help_to_map"])
    m.add_argument("--from", dest="sender", default=None, help=RC["help_from"])
    a = sub.add_parser("assess", help=RC["help_assess"])
    a.add_argument("file", help=H["progress_file"])
    a.add_argument("--by", required=True, help=H["by"])
    t = sub.add_parser("assessment-template", help=RC["help_assess_template"])
    t.add_argument("out", help=H["template_out"])


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
        plan = _load_plan(args.plan)
        data = _file_bytes(args.file)
        report = sandbox.read_progress(data, Path(args.file).name, plan)
    except UnreadableFile as exc:
        if args.json:
            print(json.dumps(unreadable_dict(exc, as_of), ensure_ascii=False))
        else:
            print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
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
    if raw is None:
        assessment = service.assessment_in_use().assessment
    else:
        check = service.check_assessment_values(raw)
        if not check.valid:
            if args.json:
                print(json.dumps(as_dict(False, as_of, check.problems, None), ensure_ascii=False))
            for p in check.problems:
                print(p.text(), file=sys.stderr)
            return EXIT_INVALID
        assessment = check.assessment
    given = service.Dataset(plan, report.rows, None, "file:" + hashlib.sha256(data).hexdigest(), Path(args.file).name,
                            report.position_date)
    ready = service.readiness_of(service.context_for(as_of, None, given), assessment)
    if args.json:
        print(json.dumps(ro.as_dict(ready), ensure_ascii=False))
    else:
        print(_readiness_text(ready))
    return EXIT_VALID


def _readiness_text(r) -> str:
    from zi_dashboard.outputs import readiness_out as ro
    RC = L.READY_CLI
    lines = [RC["title"].format(date=L.fmt_date(r.as_of)), L.READY["why_estimate"]]
    if not r.has_weights:
        lines.append(L.READY["no_weights"])
    lines += [RC["line_pemenuhan"].format(points=ro.n2(r.pemenuhan_total), max=ro.n2(r.pemenuhan_max)),
              RC["line_reform"].format(points=ro.n2(r.reform_total), max=ro.n2(r.reform_max)),
              RC["line_pengungkit"].format(points=ro.n2(r.pengungkit)),
              RC["line_hasil"].format(points=ro.n2(r.hasil["total"]), max=ro.n2(r.hasil_max)),
              RC["line_total"].format(points=ro.n2(r.total))]
    for p in ("WBK", "WBBM"):
        lines.append(RC["line_predicate"].format(name=p, result=ro.predicate_text(r, p)))
        lines += [f"  - {x}" for x in ro.shortfall_lines(r, p)]
    if r.missing_inputs:
        lines.append(ro.missing_inputs_line(r))
    return "\n".join(lines)


def _remind(args) -> int:
    from zi_dashboard.app import service
    from zi_dashboard.outputs import readiness_out as ro
    RC = L.READY_CLI
    as_of = args.as_of or date.today()
    ready = service.readiness_of(service.context_for(as_of))  # the data in use, as the pages show it
    items = service.follow_ups(ready)
    if not items:
        print(L.READY["follow_none"].format(date=L.fmt_date(as_of)))
        return EXIT_VALID
    addresses: dict[str, str] = {}
    if args.to_map:
        try:
            addresses = service.contacts_from(_file_bytes(args.to_map), Path(args.to_map).name, "email")
        except UnreadableFile as exc:
            print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
    sending = bool(args.smtp_url) and not args.dry_run
    if args.smtp_url:
        try:
            _smtp_parts(args.smtp_url)
        except ValueError:
            print(L.msg("smtp_bad_url", url=args.smtp_url), file=sys.stderr)
            return EXIT_UNREADABLE
    failed = 0
    for f in items:
        text, subject = ro.message(f, as_of), ro.subject(f, as_of)
        to = addresses.get(f.pic)
        if not args.smtp_url:
            print(RC["separator"])
            print(text)
            continue
        if not to:
            print(RC["no_address"].format(pic=ro.pic_name(f)))
            continue
        if not sending:
            print(RC["separator"])
            print(RC["would_send"].format(to=to))
            print(subject)
            print(text)
            continue
        try:
            _send(args.smtp_url, args.sender, to, subject, text)
            print(RC["sent"].format(to=to, pic=ro.pic_name(f)))
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
        print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not check.valid:
        print(L.ASSESS["invalid"].format(n=len(check.problems)), file=sys.stderr)
        for p in check.problems:
            print(p.text(), file=sys.stderr)
        return EXIT_INVALID
    saved = service.save_assessment(check, args.by, path.name, rights=service.OPERATOR)
    print(L.READY_CLI["assess_saved"].format(id=saved.id))
    return EXIT_VALID


def _assessment_template(args) -> int:
    from zi_dashboard.app import service
    try:
        Path(args.out).write_bytes(service.assessment_template())
    except OSError as exc:
        print(L.msg("cannot_write", path=args.out, reason=exc.strerror), file=sys.stderr)
        return EXIT_UNREADABLE
    from zi_dashboard.reading.assessment import field_codes
    print(L.CLI["template_written"].format(path=args.out, rows=len(field_codes(service.lke()))))
    return EXIT_VALID


READINESS_COMMANDS = {"readiness": _readiness, "remind": _remind, "assess": _assess,
                      "assessment-template": _assessment_template}
