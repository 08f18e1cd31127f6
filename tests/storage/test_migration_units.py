"""A store made by the dashboard before units and years (schema 6, tests/storage/legacy_store_v6.py
is that version's store module) opens as KPU Kota Tasikmalaya's 2025 work plan, with every upload,
event, correction, plan version and self-assessment kept; next year's plan and another unit are
added beside it without touching it.  On SQLite and on PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.storage import legacy_store_v6 as old
from tests.storage.test_store import progress_file
from zi_dashboard.reading.plan import BUNDLED_PLAN, BUNDLED_UNIT, BUNDLED_YEAR, plan_from_bytes
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.storage import store as zs
from zi_dashboard.storage.migrations import SCHEMA_VERSION

REVISED = BUNDLED_PLAN.read_bytes().replace(b";Oktober 2025;", b";November 2025;")
NEXT_YEAR = b"RENCANA KERJA ZONA INTEGRITAS KPU KOTA TASIKMALAYA TAHUN 2026\n" + BUNDLED_PLAN.read_bytes().replace(
    b"2025", b"2026"
)


def _save_old(st, data: bytes, name: str):
    stored = st.latest_plan()
    report = read_progress(data, name, plan_from_bytes(stored.content, stored.filename))
    assert report.valid
    return st.save(data, name, "Sekretaris", report.position_date, report.rows, stored.id).snapshot


def _state(st: zs.Store, wid: int | None) -> dict:
    snaps = st.uploads(wid)
    return {
        "uploads": [(s.id, s.sha256, s.filename, s.position_date, s.uploaded_by) for s in snaps],
        "events": [(e.id, e.kind, e.snapshot_id, e.by) for e in st.events(wid)],
        "current": st.current_id(wid),
        "figures": {s.id: st.figures(s.id).sort_values("part").to_dict("records") for s in snaps},
        "corrections": [(c.snapshot_id, c.position_date, c.previous) for c in st.corrections(wid)],
        "assessments": [(a.id, a.values, a.by) for a in st.assessments(wid)],
    }


@pytest.fixture
def old_store(store_url):
    """A store as the schema-6 dashboard left it: two plan versions, three uploads (one
    restored), a corrected position date, a self-assessment, a generated editor."""
    st = old.open_store(store_url)
    _save_old(st, progress_file(20, date(2025, 10, 31)), "progres-okt.xlsx")
    second = _save_old(st, progress_file(45, date(2025, 11, 30)), "progres-nov.xlsx")
    st.correct_position(second.id, date(2025, 11, 28), "Ketua")
    st.save_plan(REVISED, "rencana-revisi.csv", "Ketua")
    third = _save_old(st, progress_file(60, date(2025, 12, 15)), "progres-des.xlsx")
    st.restore(second.id, "Ketua")
    st.save_assessment('{"R1": 1.5}', "penilaian.xlsx", "Ketua")
    st.create_editor("admin", "scrypt$x")
    with st.engine.connect() as conn:
        version = conn.execute(text("SELECT MAX(version) FROM zi_schema")).scalar()
    before = {
        "uploads": [(s.id, s.sha256, s.filename, s.position_date, s.uploaded_by) for s in st.list()],
        "events": [(e.id, e.kind, e.snapshot_id, e.by) for e in st.events()],
        "current": st.current_id(),
        "third": third.id,
        "figures": {s.id: st.figures(s.id).sort_values("part").to_dict("records") for s in st.list()},
        "corrections": [(c.snapshot_id, c.position_date, c.previous) for c in st.corrections()],
        "plans": [p for p in (st.plan(1).sha256, st.latest_plan().sha256)],
    }
    st.dispose()
    assert version == 6
    return store_url, before


def test_old_store_becomes_tasikmalaya_2025(old_store):
    url, before = old_store
    st = zs.open_store(url)
    assert st.schema_version() == SCHEMA_VERSION == 11
    [wp] = st.workplans()
    # schema 9: a work plan keeps its PIC contact sheet (none yet)
    assert st.latest_contacts_id(wp.id) is None
    assert (wp.unit, wp.year) == (BUNDLED_UNIT, BUNDLED_YEAR) == ("KPU Kota Tasikmalaya", 2025)
    assert st.home() == wp
    after = _state(st, wp.id)
    for key in ("uploads", "events", "current", "figures", "corrections"):
        assert after[key] == before[key], key
    assert [a[1:] for a in after["assessments"]] == [('{"R1": 1.5}', "Ketua")]
    # the plan versions, in the order stored: the revised plan is in use
    assert st.latest_plan(wp.id).sha256 == before["plans"][1] != before["plans"][0]
    assert st.snapshot(before["third"]).plan_id == st.latest_plan(wp.id).id
    assert st.stored_editors() == {"admin": "scrypt$x"}
    # nothing left without a work plan
    with st.engine.connect() as conn:
        for table in ("zi_snapshots", "zi_events", "zi_assessments"):
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table} WHERE workplan_id IS NULL")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM zi_plans WHERE parsed IS NULL")).scalar() == 0
    st.dispose()
    st = zs.open_store(url)  # a second start migrates nothing again
    assert st.workplans() == [wp] and _state(st, wp.id) == after
    st.dispose()


def test_next_year_and_another_unit_leave_2025_as_it_was(old_store):
    url, _ = old_store
    st = zs.open_store(url)
    [wp2025] = st.workplans()
    before = _state(st, wp2025.id)
    wp2026, plan2026 = st.add_plan("KPU Kota Tasikmalaya", 2026, NEXT_YEAR, "rencana-2026.csv", "Ketua")
    garut, _ = st.add_plan("KPU Kabupaten Garut", 2025, BUNDLED_PLAN.read_bytes(), "rencana-garut.csv", "Ketua")
    assert st.workplans() == sorted([wp2025, wp2026, garut])
    # next year: its own plan, no uploads, no data in use yet
    assert st.latest_plan(wp2026.id).id == plan2026.id and st.current_id(wp2026.id) is None
    assert st.uploads(wp2026.id) == [] and st.latest_assessment(wp2026.id) is None
    # Garut was given the bundled plan: the same file is stored once and serves both units
    assert st.latest_plan(garut.id).sha256 == st.plan(1).sha256
    report = read_progress(progress_file(80, date(2025, 12, 1)), "garut.xlsx", st.parsed_plan(st.plan_id_of(garut.id)))
    saved = st.save(
        progress_file(80, date(2025, 12, 1)),
        "garut.xlsx",
        "Operator Garut",
        report.position_date,
        report.rows,
        st.plan_id_of(garut.id),
        garut.id,
    ).snapshot
    assert st.current_id(garut.id)[1] == saved.id and st.uploads(garut.id)[0].id == saved.id
    # a file byte-identical to an upload of 2025 (stored before the migration) is Garut's upload too,
    # once (schema 8: a file is unique per work plan)
    same = st.snapshot(st.uploads(wp2025.id)[0].id, content=True)
    copy = st.save(
        same.content,
        "salinan.xlsx",
        "Operator Garut",
        date(2025, 12, 15),
        st.rows(same.id),
        st.plan_id_of(garut.id),
        garut.id,
    )
    assert not copy.duplicate and copy.snapshot.id != same.id and copy.snapshot.sha256 == same.sha256
    again = st.save(
        same.content, "lagi.xlsx", "Operator Garut", None, st.rows(same.id), st.plan_id_of(garut.id), garut.id
    )
    assert again.duplicate and again.snapshot.id == copy.snapshot.id
    assert st.current_id(garut.id)[1] == copy.snapshot.id
    assert _state(st, wp2025.id) == before  # 2025's uploads, events, figures, corrections untouched
    st.dispose()
