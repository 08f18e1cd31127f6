"""Readiness (Kesiapan) at the command line: readiness (the LKE estimate of a progress file),
remind (follow-up messages per PIC, printed or sent by e-mail), assess (keep a self-assessment
sheet) and assessment-template."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import smtplib
import sys
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from zi_dashboard import labels as L
from zi_dashboard.app import bundles, lke_compare, service
from zi_dashboard.cli.common import (
    EXIT_INVALID,
    EXIT_UNREADABLE,
    EXIT_VALID,
    as_of_date,
    file_bytes,
    progress_column_arg,
    scope_args,
    scoped_plan,
    units_with_plans,
    unreadable,
    workplan,
)
from zi_dashboard.outputs import lke_compare_out, readiness_cli
from zi_dashboard.outputs.check_summary import as_dict, as_text
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.assessment import Assessment, field_codes
from zi_dashboard.reading.progress import ProgressReading
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.records import Workplan


def readiness_arguments(p: argparse.ArgumentParser) -> None:
    H, RC = L.CLI_HELP, L.READY_CLI
    p.add_argument("file", help=H["progress_file"])
    p.add_argument("--plan", help=H["plan_file"])
    p.add_argument("--as-of", type=as_of_date, default=None, help=H["as_of"])
    p.add_argument("--reform", default=None, help=RC["help_reform"])
    p.add_argument("--ipak", default=None, help=RC["help_ipak"])
    p.add_argument("--ipkp", default=None, help=RC["help_ipkp"])
    p.add_argument("--kinerja", default=None, help=RC["help_kinerja"])
    p.add_argument("--json", action="store_true", help=H["json"])
    progress_column_arg(p)
    scope_args(p)


def _option_values(args: argparse.Namespace) -> dict[str, object] | None:
    """The self-assessment given on the command line (None: use the stored one)."""
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


def readiness(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    try:
        plan = scoped_plan(args)
        data = file_bytes(args.file)
        report = sandbox.read_progress(data, Path(args.file).name, plan, progress_column=args.progress_column)
    except UnreadableFile as exc:
        return unreadable(exc, as_of, args.json)
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
        if not check.valid or check.assessment is None:  # valid: an assessment without problems
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
        print(json.dumps(readiness_cli.as_dict(ready), ensure_ascii=False))
    else:
        print(readiness_cli.readiness_text(ready))
    return EXIT_VALID


def _saved_assessment(args: argparse.Namespace, report: ProgressReading) -> Assessment:
    """The saved self-assessment `readiness FILE` counts (_assessment_workplan's), or none."""
    wp = _assessment_workplan(args, report, Path(args.file).name)
    in_use = service.assessment_in_use(wp) if wp else service.AssessmentInUse(Assessment(), None)
    if in_use.problems:  # saved before the no-tolerance rule: counted at the maximum, said
        assert in_use.stored is not None  # problems are a stored assessment's
        print(L.READY_CLI["stored_bad"].format(id=in_use.stored.id), file=sys.stderr)
        for p in in_use.problems:
            print(p.text(), file=sys.stderr)
    return in_use.assessment


def _assessment_workplan(args: argparse.Namespace, report: ProgressReading, filename: str) -> Workplan | None:
    """Whose saved self-assessment `readiness FILE` counts: --unit/--year's; else the unit the
    file's title (or name) states; else the only unit's.  None (every value 0, said on stderr)
    when several units have plans and none is named: reading a file needs no unit."""
    if args.unit or args.year:
        return workplan(args, reads=True)
    found = bundles.title_unit(report.title_lines, filename)
    if found.unit is not None:
        return workplan(args, found.unit, found.year, reads=True)
    if len(units_with_plans()) == 1:
        return workplan(args, reads=True)
    print(L.READY_CLI["no_unit"], file=sys.stderr)
    return None


def remind_arguments(p: argparse.ArgumentParser) -> None:
    RC = L.READY_CLI
    p.add_argument("--as-of", type=as_of_date, default=None, help=L.CLI_HELP["as_of"])
    p.add_argument("--dry-run", action="store_true", help=RC["help_dry_run"])
    p.add_argument("--smtp-url", default=None, help=RC["help_smtp"])
    p.add_argument("--to-map", default=None, help=RC["help_to_map"])
    p.add_argument("--from", dest="sender", default=None, help=RC["help_from"])
    scope_args(p)


def remind(args: argparse.Namespace) -> int:
    RC = L.READY_CLI
    wp = workplan(args, reads=True)
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
            addresses = service.contacts_from(file_bytes(args.to_map), Path(args.to_map).name, "email")
        except UnreadableFile as exc:
            return unreadable(exc)
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


def _smtp_parts(url: str) -> tuple[str, str, int, str, str]:
    u = urlsplit(url)
    if u.scheme not in ("smtp", "smtps", "smtp+starttls") or not u.hostname:
        raise ValueError(url)
    port = u.port or {"smtp": 25, "smtps": 465, "smtp+starttls": 587}[u.scheme]
    return u.scheme, u.hostname, port, unquote(u.username or ""), unquote(u.password or "")


def _send(url: str, sender: str | None, to: str, subject: str, text: str) -> None:
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


def assess_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=L.CLI_HELP["progress_file"])
    p.add_argument("--by", required=True, help=L.CLI_HELP["by"])
    scope_args(p)


def assess(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        check = service.check_assessment_sheet(file_bytes(args.file), path.name)
    except UnreadableFile as exc:
        return unreadable(exc)
    if not check.valid:
        print(L.ASSESS["invalid"].format(n=len(check.problems)), file=sys.stderr)
        for p in check.problems:
            print(p.text(), file=sys.stderr)
        return EXIT_INVALID
    saved = service.save_assessment(check, args.by, path.name, workplan(args), rights=service.OPERATOR)
    print(L.READY_CLI["assess_saved"].format(id=saved.id))
    return EXIT_VALID


def assessment_template_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help=L.CLI_HELP["template_out"])
    scope_args(p)


def assessment_template(args: argparse.Namespace) -> int:
    try:
        Path(args.out).write_bytes(service.assessment_template(workplan(args)))
    except OSError as exc:
        print(L.msg("cannot_write", path=args.out, reason=exc.strerror), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.CLI["template_written"].format(path=args.out, rows=len(field_codes(service.lke()))))
    return EXIT_VALID
