"""A store made by the dashboard before units and years (schema 6, tests/storage/fixtures/)
opens as KPU Kota Tasikmalaya's 2025 work plan (test_migrations.py checks every upload, event,
correction, plan version and self-assessment is kept); next year's plan and another unit are
added beside it without touching it.  On SQLite and on PostgreSQL."""

from datetime import date

from tests.storage.test_migrations import load_legacy_store
from tests.storage.test_store import progress_file
from zi_dashboard.reading.plan import BUNDLED_PLAN, BUNDLED_UNIT, BUNDLED_YEAR
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.storage import store as zs

NEXT_YEAR = b"RENCANA KERJA ZONA INTEGRITAS KPU KOTA TASIKMALAYA TAHUN 2026\n" + BUNDLED_PLAN.read_bytes().replace(
    b"2025", b"2026"
)


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


def test_next_year_and_another_unit_leave_2025_as_it_was(store_url):
    load_legacy_store(store_url, 6)
    st = zs.open_store(store_url)
    [wp2025] = st.workplans()
    assert (wp2025.unit, wp2025.year) == (BUNDLED_UNIT, BUNDLED_YEAR) == ("KPU Kota Tasikmalaya", 2025)
    assert st.home() == wp2025
    before = _state(st, wp2025.id)
    wp2026, plan2026 = st.add_plan("KPU Kota Tasikmalaya", 2026, NEXT_YEAR, "rencana-2026.csv", "Ketua")
    garut, _ = st.add_plan("KPU Kabupaten Garut", 2025, BUNDLED_PLAN.read_bytes(), "rencana-garut.csv", "Ketua")
    assert st.workplans() == sorted([wp2025, wp2026, garut])
    # next year: its own plan, no uploads, no data in use yet
    assert st.latest_plan(wp2026.id).id == plan2026.id and st.current_id(wp2026.id) is None
    assert st.uploads(wp2026.id) == [] and st.latest_assessment(wp2026.id) is None
    # Garut has the bundled plan, stored once; a second unit given the same file shares it
    kab, _ = st.add_plan("KPU Kabupaten Tasikmalaya", 2025, BUNDLED_PLAN.read_bytes(), "rencana.csv", "Ketua")
    assert st.latest_plan(kab.id).id == st.latest_plan(garut.id).id
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
