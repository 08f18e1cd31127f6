"""The store, on SQLite and on PostgreSQL: snapshots kept whole, restore as an event, duplicates
refused, concurrent writers all stored, a killed save leaving the store as it was."""

import io
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from zi_dashboard.counting.metrics import compute
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading.plan import BUNDLED_PLAN, BUNDLED_UNIT, load_plan, plan_from_bytes
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.storage import engine, migrations
from zi_dashboard.storage import store as zs
from zi_dashboard.storage.records import Saved

WORKER = Path(__file__).resolve().parents[1] / "store_worker.py"


def progress_file(value: float, position: date, note: str = "") -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(build_template(load_plan(), BUNDLED_UNIT)))
    ws = wb["Progres"]
    ws["C3"] = position
    for r in range(6, 31):
        ws.cell(r, 7).value = value
        ws.cell(r, 10).value = note or None
    ws["G6"] = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def save(st: zs.Store, data: bytes, name: str, by: str = "Sekretaris") -> Saved:
    stored_plan = st.latest_plan()
    report = read_progress(data, name, plan_from_bytes(stored_plan.content, stored_plan.filename))
    assert report.valid
    return st.save(data, name, by, report.position_date, report.rows, stored_plan.id)


def test_schema_created_once_with_a_version(store_url):
    st = zs.open_store(store_url)
    assert st.schema_revision() == migrations.head()
    st.dispose()
    st = zs.open_store(store_url)  # a second start migrates nothing twice
    with st.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [migrations.head()]
    assert st.current() is None and st.uploads() == []


def test_snapshot_kept_whole(store_url):
    st = zs.open_store(store_url)
    data = progress_file(40, date(2025, 11, 15), note="catatan ✓ ü")
    saved = save(st, data, "progres 15 nov.xlsx", by="Rina (Sekretaris)")
    assert not saved.duplicate
    snap = st.current()
    assert snap.content == data  # the original bytes, exactly
    assert snap.sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert (snap.filename, snap.uploaded_by, snap.position_date) == (
        "progres 15 nov.xlsx",
        "Rina (Sekretaris)",
        date(2025, 11, 15),
    )
    assert snap.uploaded_at.tzinfo is not None
    rows = st.rows(snap.id)
    assert len(rows) == 25 and rows["progress"].tolist()[:2] == [100.0, 40.0]
    assert rows["notes"].iloc[3] == "catatan ✓ ü"
    # the plan it was read against is stored too, and is the bundled plan
    assert st.plan(snap.plan_id).content == BUNDLED_PLAN.read_bytes()


def test_duplicate_is_refused_and_says_which(store_url):
    st = zs.open_store(store_url)
    data = progress_file(40, date(2025, 11, 15))
    first = save(st, data, "a.xlsx")
    again = save(st, data, "salinan a.xlsx")
    assert again.duplicate and again.snapshot.id == first.snapshot.id
    assert st.count() == 1 and len(st.events()) == 1


def test_the_same_file_is_stored_once_per_work_plan(store_url):
    """A file byte-identical to another unit's upload is this unit's upload too (duplicates are
    per work plan); the same file again for one work plan is still a duplicate of its own."""
    st = zs.open_store(store_url)
    data = progress_file(40, date(2025, 11, 15))
    kota = save(st, data, "kota.xlsx").snapshot
    garut, _ = st.add_plan("KPU Kabupaten Garut", 2025, BUNDLED_PLAN.read_bytes(), "rencana-garut.csv", "Ketua")
    assert st.find_by_sha(kota.sha256, garut.id) is None and st.find_by_sha(kota.sha256).id == kota.id
    rows = st.rows(kota.id)
    first = st.save(data, "garut.xlsx", "Operator", date(2025, 11, 15), rows, st.plan_id_of(garut.id), garut.id)
    assert not first.duplicate and first.snapshot.workplan_id == garut.id != kota.workplan_id
    again = st.save(data, "garut lagi.xlsx", "Operator", None, rows, st.plan_id_of(garut.id), garut.id)
    assert again.duplicate and again.snapshot.id == first.snapshot.id
    assert save(st, data, "kota lagi.xlsx").snapshot.id == kota.id  # and for Kota: its own
    assert st.current_id(garut.id)[1] == first.snapshot.id and st.current(kota.workplan_id).id == kota.id
    assert st.count() == 2


def test_restore_is_an_event_and_deletes_nothing(store_url):
    st = zs.open_store(store_url)
    a = save(st, progress_file(30, date(2025, 11, 1)), "a.xlsx").snapshot
    b = save(st, progress_file(60, date(2025, 11, 15)), "b.xlsx").snapshot
    assert st.current().id == b.id
    st.restore(a.id, "Ketua Tim")
    assert st.current().id == a.id
    assert [(e.kind, e.snapshot_id, e.by) for e in st.events()] == [
        ("upload", a.id, "Sekretaris"),
        ("upload", b.id, "Sekretaris"),
        ("restore", a.id, "Ketua Tim"),
    ]
    assert st.count() == 2 and [s.id for s in st.uploads()] == [b.id, a.id]
    c = save(st, progress_file(70, date(2025, 11, 30)), "c.xlsx").snapshot
    assert st.current().id == c.id  # a new upload is in use again


def test_plans_are_versioned(store_url):
    st = zs.open_store(store_url)
    bundled = st.latest_plan()
    assert bundled.filename == BUNDLED_PLAN.name
    new_content = BUNDLED_PLAN.read_bytes().replace(b";Oktober 2025;", b";November 2025;")
    p2 = st.save_plan(new_content, "rencana-revisi.csv", "Ketua Tim")
    assert st.latest_plan().id == p2.id != bundled.id
    assert st.save_plan(new_content, "lagi.csv", "x").id == p2.id  # same content: same version


def _run_workers(url: str, files: list[Path]) -> list[subprocess.CompletedProcess]:
    start_at = time.time() + 4.0
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "save", url, str(f), f.name, str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


@pytest.mark.slow  # eight processes
def test_eight_processes_storing_at_the_same_moment(store_url, tmp_path):
    zs.open_store(store_url).latest_plan()  # schema and plan in place, as in a running dashboard
    files = []
    for i in range(8):
        f = tmp_path / f"progres-{i}.xlsx"
        f.write_bytes(progress_file(10 + i, date(2025, 11, 1 + i)))
        files.append(f)
    results = _run_workers(store_url, files)
    assert all(r.returncode == 0 for r in results), [r.stderr[-800:] for r in results]
    st = zs.open_store(store_url)
    snaps = st.uploads()
    assert st.count() == 8 and sorted(s.filename for s in snaps) == sorted(f.name for f in files)
    for s in snaps:  # every one whole: its rows, its bytes
        assert len(st.rows(s.id)) == 25
        assert st.snapshot(s.id, content=True).content == (tmp_path / s.filename).read_bytes()
    evs = st.events()
    assert [e.snapshot_id for e in evs] == sorted(e.snapshot_id for e in evs)  # one consistent order
    assert st.current().id == evs[-1].snapshot_id
    # each decided under the write lock: the latest position date is in use, whatever order they came in
    assert st.current().filename == "progres-7.xlsx"
    assert {e.snapshot_id for e in evs} == {
        s.id
        for s in snaps
        if s.id <= st.current().id and all(o.position_date < s.position_date for o in snaps if o.id < s.id)
    }


def test_save_killed_midway_leaves_the_store_as_it_was(store_url, tmp_path):
    st = zs.open_store(store_url)
    before = save(st, progress_file(30, date(2025, 11, 1)), "sebelum.xlsx").snapshot
    f = tmp_path / "terputus.xlsx"
    f.write_bytes(progress_file(90, date(2025, 11, 20)))
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), "hang", store_url, str(f), f.name, str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-800:]
        assert time.time() < deadline, "the worker never reached the middle of its save"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    st.dispose()
    st = zs.open_store(store_url)
    assert st.count() == 1 and st.current().id == before.id
    assert len(st.events()) == 1
    with st.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM zi_snapshot_rows")).scalar() == 25
        if st.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # and the store still takes the file afterwards
    assert not save(st, f.read_bytes(), f.name).duplicate


def test_sqlite_store_is_private_and_file_names_clean(tmp_path):
    """Password hashes and every upload: the SQLite file (and -wal/-shm) readable by the owner
    only, in a directory of the owner only; stored names without control characters or paths."""
    import stat

    old = os.umask(0o022)  # the usual umask, which would make new files world-readable
    try:
        db = tmp_path / "neu" / "zi.sqlite"
        st = zs.open_store(f"sqlite:///{db}")
        saved = save(st, progress_file(30, date(2025, 10, 31)), "..\\..\\progres\x07\x1b[31m/okt\u2028ober.xlsx")
        plan = st.save_plan(
            BUNDLED_PLAN.read_bytes().replace(b";Oktober 2025;", b";November 2025;"), "ren/cana\r\n.csv", "uji"
        )
    finally:
        os.umask(old)
    for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        assert f.exists() and stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert saved.snapshot.filename == st.uploads()[0].filename == "....progres[31mokt" + "ober.xlsx"
    assert plan.filename == "rencana.csv"
    st.dispose()


def test_default_store_directory_is_private(tmp_path, monkeypatch):
    import stat

    monkeypatch.delenv("ZI_DATABASE_URL", raising=False)
    monkeypatch.setattr(engine, "DEFAULT_DB", tmp_path / "store" / "zi.sqlite")
    (tmp_path / "store").mkdir(mode=0o755)
    assert engine.database_url().endswith("store/zi.sqlite")
    assert stat.S_IMODE((tmp_path / "store").stat().st_mode) == 0o700


def test_self_assessments_are_kept_newest_in_use(store_url):
    """Schema version 5: every saved self-assessment is kept with who and when; the newest is in use."""
    st = zs.open_store(store_url)
    assert st.latest_assessment() is None and st.assessments() == []
    a = st.save_assessment('{"IPAK": 3.5}', "diisi di dashboard", "Rina")
    b = st.save_assessment('{"IPAK": 3.7, "R1": 2}', "penilaian.xlsx", "Budi")
    latest = st.latest_assessment()
    assert latest.id == b.id and latest.values == '{"IPAK": 3.7, "R1": 2}' and latest.by == "Budi"
    assert latest.source == "penilaian.xlsx" and latest.at.tzinfo is not None
    assert [x.id for x in st.assessments()] == [b.id, a.id]
    st.dispose()


def test_position_date_correction_is_recorded_and_recounts_the_upload(store_url):
    st = zs.open_store(store_url)
    # 20% everywhere but 1.1 (100%), saved as if dated the day of upload a year too late
    wrong, right = date(2026, 11, 28), date(2025, 10, 31)
    saved = save(st, progress_file(20, wrong), "tanpa-posisi.xlsx")
    sid = saved.snapshot.id
    late = st.figures(sid).set_index("part")
    assert late.loc["", "overdue"] == 24  # every plan row is past its target a year later
    fix = st.correct_position(sid, right, "Editor ZI")
    assert (fix.snapshot_id, fix.position_date, fix.previous, fix.by) == (sid, right, wrong, "Editor ZI")
    # the upload now says the corrected date everywhere; the date given at upload stays stored
    assert st.snapshot(sid).position_date == right and st.current().position_date == right
    assert st.uploads()[0].position_date == right and st.find_by_sha(saved.snapshot.sha256).position_date == right
    with st.engine.connect() as conn:
        assert conn.execute(text(f"SELECT position_date FROM zi_snapshots WHERE id = {sid}")).scalar() in (
            wrong,
            wrong.isoformat(),
        )
    # its kept figures are those of the same rows counted at the corrected date
    now = st.figures(sid).set_index("part")
    assert now.loc["", "overdue"] == 0
    plan = st.parsed_plan(saved.snapshot.plan_id)
    expected = compute(plan, st.rows(sid), right)
    assert now.loc["", "completion"] == expected.overall_completion
    assert now.loc["", "planned"] == expected.overall_planned
    # a second correction: the newest wins, both are listed, nothing else is written
    st.correct_position(sid, date(2025, 11, 30), "Editor ZI")
    assert st.snapshot(sid).position_date == date(2025, 11, 30)
    assert [(c.previous, c.position_date) for c in st.corrections()] == [(wrong, right), (right, date(2025, 11, 30))]
    assert [e.kind for e in st.events()] == ["upload"] and st.count() == 1
    # a rebuild of the kept figures uses the corrected date too
    st.rebuild_summaries()
    again = st.figures(sid).set_index("part")
    assert again.loc["", "completion"] == compute(plan, st.rows(sid), date(2025, 11, 30)).overall_completion


def test_an_older_upload_is_kept_in_history_and_never_replaces_newer_data(store_url):
    """The data in use is the upload with the latest position date: a file positioned 15
    November saved after one positioned 30 November is stored (history, restorable) but the 30
    November data stays in use; a restore on purpose makes it the data in use; an upload of the
    same date replaces (a corrected file)."""
    st = zs.open_store(store_url)
    newer = save(st, progress_file(60, date(2025, 11, 30)), "30-nov.xlsx").snapshot
    older = save(st, progress_file(40, date(2025, 11, 15)), "15-nov.xlsx")
    assert not older.duplicate and older.replaced.id == newer.id
    assert st.current().id == newer.id and st.newer_in_use(newer.workplan_id, date(2025, 11, 15)).id == newer.id
    assert [s.id for s in st.uploads()] == [older.snapshot.id, newer.id]  # kept, in history
    assert [(e.kind, e.snapshot_id) for e in st.events()] == [("upload", newer.id)]
    assert st.newer_in_use(newer.workplan_id, date(2025, 11, 30)) is None
    st.restore(older.snapshot.id, "Ketua Tim")  # on purpose
    assert st.current().id == older.snapshot.id
    later = save(st, progress_file(50, date(2025, 11, 20)), "20-nov.xlsx")
    assert later.replaced is None and st.current().id == later.snapshot.id  # later than the data in use
    same_day = save(st, progress_file(55, date(2025, 11, 20)), "20-nov-revisi.xlsx")
    assert same_day.replaced is None and st.current().id == same_day.snapshot.id
    st.correct_position(same_day.snapshot.id, date(2025, 12, 5), "Ketua Tim")  # the corrected date counts
    assert save(st, progress_file(58, date(2025, 12, 1)), "1-des.xlsx").replaced.id == same_day.snapshot.id
