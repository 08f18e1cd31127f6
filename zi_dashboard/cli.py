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
from .progress import ProgressReport, read_progress
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
    s = sub.add_parser("snapshots", help="daftar snapshot yang tersimpan")
    s.add_argument("--json", action="store_true", help="keluaran JSON")
    i = sub.add_parser("import", help="simpan berkas progres sebagai snapshot (dengan pemeriksaan yang sama)")
    i.add_argument("file", help="berkas progres (.xlsx atau .csv)")
    i.add_argument("--by", required=True, help="nama yang mengunggah")
    i.add_argument("--position-date", type=_as_of, default=None,
                   help="tanggal posisi YYYY-MM-DD (bawaan: yang tertulis di berkas)")
    e = sub.add_parser("export", help="tulis berkas asli sebuah snapshot")
    e.add_argument("id", type=int, help="nomor snapshot")
    e.add_argument("out", help="berkas keluaran")
    r = sub.add_parser("restore", help="pulihkan snapshot sebagai data yang dipakai")
    r.add_argument("id", type=int, help="nomor snapshot")
    r.add_argument("--by", required=True, help="nama yang memulihkan")
    rp = sub.add_parser("report", help="laporan rapat .html atau paket Excel .xlsx dari data yang dipakai")
    rp.add_argument("--as-of", type=_as_of, default=None, help="posisi per tanggal YYYY-MM-DD (bawaan: hari ini)")
    rp.add_argument("--out", required=True, help="berkas keluaran: .html (laporan rapat) atau .xlsx (paket Excel)")
    rp.add_argument("--file", help="berkas progres tertentu (bawaan: data yang dipakai di dashboard)")
    sub.add_parser("hash-password", help="baca kata sandi (tanpa ditampilkan) dan cetak hash-nya untuk konfigurasi editor")
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


def _read(file: str, plan: Plan) -> tuple[bytes, ProgressReport]:
    """A progress file's bytes and its report; UnreadableFile when it is missing or no sheet."""
    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError:
        raise UnreadableFile(L.msg("missing", name=file))
    return data, read_progress(data, path.name, plan)


def _stored_plan(store):
    """The plan in use from the store, read (the bundled plan on first use)."""
    from .plan import plan_from_bytes
    stored = store.latest_plan()
    return plan_from_bytes(stored.content, stored.filename), stored


def _check(args) -> int:
    as_of = args.as_of or date.today()
    try:
        plan = _load_plan(args.plan)
        _, report = _read(args.file, plan)
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


def _store():
    from .store import open_store
    return open_store()


def _snapshots(args) -> int:
    store = _store()
    snaps = store.list()
    current = store.current_id()
    in_use = current[1] if current else None
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
              f"{s.uploaded_at.astimezone().strftime('%d/%m/%Y %H:%M')}  {s.uploaded_by}  {s.filename}")
    return EXIT_VALID


def _import(args) -> int:
    store = _store()
    plan, stored = _stored_plan(store)
    path = Path(args.file)
    try:
        data, report = _read(args.file, plan)
    except UnreadableFile as exc:
        print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not report.valid:
        print(as_text(args.file, stored.filename, date.today(), report.position_date, report.problems, None))
        return EXIT_INVALID
    saved = store.save(data, path.name, args.by, args.position_date or report.position_date, report.rows, stored.id)
    if saved.duplicate:
        print(L.CLI["duplicate"].format(id=saved.snapshot.id))
    else:
        print(L.CLI["imported"].format(id=saved.snapshot.id, name=path.name))
    return EXIT_VALID


def _export(args) -> int:
    store = _store()
    try:
        snap = store.snapshot(args.id, content=True)
    except Exception:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    Path(args.out).write_bytes(snap.content)
    print(L.CLI["exported"].format(id=snap.id, path=args.out, size=len(snap.content)))
    return EXIT_VALID


def _restore(args) -> int:
    store = _store()
    try:
        store.restore(args.id, args.by)
    except Exception:
        print(L.CLI["no_such_snapshot"].format(id=args.id), file=sys.stderr)
        return EXIT_UNREADABLE
    print(L.HISTORY["restored"].format(id=args.id))
    return EXIT_VALID


def _report(args) -> int:
    from . import report
    from .plan import plan_from_bytes
    from .example import EXAMPLE_FILE
    as_of = args.as_of or date.today()
    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm", ".xlsx"):
        print(L.CLI["report_type"], file=sys.stderr)
        return EXIT_UNREADABLE
    store = _store()
    previous, label = None, ""
    try:
        if args.file:
            plan, stored = _stored_plan(store)
            _, rep = _read(args.file, plan)
            if not rep.valid:
                print(as_text(args.file, stored.filename, as_of, rep.position_date, rep.problems, None))
                return EXIT_INVALID
            rows, source, position = rep.rows, Path(args.file).name, rep.position_date
        else:
            current = store.current_id()
            if current is None:
                plan, stored = _stored_plan(store)
                rep = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan)
                rows, source, position = rep.rows, L.UI["example_badge"], rep.position_date
            else:
                snap = store.snapshot(current[1])
                stored = store.plan(snap.plan_id)
                plan = plan_from_bytes(stored.content, stored.filename)
                rows, source, position = store.rows(snap.id), snap.filename, snap.position_date
                earlier = [s for s in store.list() if s.id < snap.id]
                if earlier:
                    prev = max(earlier, key=lambda s: s.id)
                    prev_plan = store.plan(prev.plan_id)
                    previous = compute(plan_from_bytes(prev_plan.content, prev_plan.filename), store.rows(prev.id), as_of)
                    label = L.REPORT["previous_label"].format(id=prev.id, file=prev.filename,
                                                              date=L.fmt_date(prev.position_date))
    except UnreadableFile as exc:
        print(f"{L.CLI['cannot_read']}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    m = report.Meeting(compute(plan, rows, as_of), source, position, previous, label)
    out.write_bytes(report.build_html(m) if out.suffix.lower() in (".html", ".htm") else report.build_xlsx(m))
    print(L.CLI["report_written"].format(path=out, date=L.fmt_date(as_of)))
    return EXIT_VALID


def _hash_password(args) -> int:
    from .auth import MIN_PASSWORD, hash_password
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"check": _check, "template": _template, "snapshots": _snapshots, "import": _import,
                "export": _export, "restore": _restore, "hash-password": _hash_password, "report": _report}[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last line of defence: a message, never a traceback
        print(f"Galat tak terduga: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
