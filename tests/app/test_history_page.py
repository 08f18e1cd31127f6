"""Riwayat and the change since the previous snapshot, through the router with AppTest."""

import io
from datetime import date

import openpyxl
from conftest import EDITOR, ROOT, login
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading.plan import BUNDLED_UNIT, load_plan, plan_from_bytes
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.storage.store import open_store


def filled(values: dict[str, float], default: float, position: date, notes: dict[str, str] | None = None) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(build_template(load_plan(), BUNDLED_UNIT)))
    ws = wb["Progres"]
    ws["C3"] = position
    for r in range(6, 31):
        code = ws.cell(r, 1).value
        ws.cell(r, 7).value = values.get(code, default)
        ws.cell(r, 10).value = (notes or {}).get(code)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def store_two(url):
    st = open_store(url)
    plan_row = st.latest_plan()
    plan = plan_from_bytes(plan_row.content, plan_row.filename)
    ids = []
    for name, data in [
        ("rapat-1.xlsx", filled({"1.1": 100, "1.2": 50}, 20, date(2025, 10, 25), {"2.1": "menunggu"})),
        ("rapat-2.xlsx", filled({"1.1": 100, "1.2": 100, "2.1": 45}, 40, date(2025, 11, 15), {"2.1": "reviu"})),
    ]:
        rep = read_progress(data, name, plan)
        ids.append(st.save(data, name, "Sekretaris", rep.position_date, rep.rows, plan_row.id).snapshot.id)
    return st, ids


def app(page=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_history_without_snapshots_says_so(temp_db):
    at = app("pages/riwayat.py")
    assert L.HISTORY["no_snapshots"] in [i.value for i in at.info]


def test_history_lists_compares_and_restores(temp_db):
    store, (first, second) = store_two(temp_db)
    at = app("pages/riwayat.py")
    listing = at.dataframe[0].value
    assert listing[L.HISTORY["col_id"]].tolist() == [second, first]
    assert listing[L.HISTORY["col_in_use"]].tolist() == [L.HISTORY["in_use"], ""]
    assert listing[L.HISTORY["col_position"]].tolist() == ["15 November 2025", "25 Oktober 2025"]
    # overall at each snapshot's own date: (100 + 50 + 23*20)/25 = 24.4; (100 + 100 + 45 + 22*40)/25 = 45.0
    assert listing[L.HISTORY["col_overall"]].tolist() == ["45,0%", "24,4%"]
    # the change table: latest against the one before, by default
    changes = at.dataframe[1].value
    row = changes.set_index(L.COL["code"])
    assert row.loc["1.2", L.DIFF["change"]] == "+50,0 poin" and row.loc["1.2", L.DIFF["became_done"]] == "Ya"
    assert row.loc["2.1", L.DIFF["before"]] == "20,0%" and row.loc["2.1", L.DIFF["after"]] == "45,0%"
    assert row.loc["2.1", L.DIFF["notes_before"]] == "menunggu" and row.loc["2.1", L.DIFF["notes_after"]] == "reviu"
    assert len(changes) == 24  # 1.1 did not move
    summary = " ".join(m.value for m in at.markdown)
    assert "24 indikator berubah" in summary and "1 menjadi Selesai" in summary
    # the S-curve is drawn
    assert len(at.get("plotly_chart")) == 1
    # a viewer cannot restore
    at.selectbox(key="history_pick").set_value(first).run()
    assert not [b for b in at.button if b.key == "history_restore"]
    # an editor restores the first snapshot: an event, the data in use changes, nothing deleted
    login(at)
    at.selectbox(key="history_pick").set_value(first).run()
    at.button(key="history_restore").click().run()
    assert not at.exception
    assert store.current().id == first and store.count() == 2
    assert [(e.kind, e.by) for e in store.events()] == [
        ("upload", "Sekretaris"),
        ("upload", "Sekretaris"),
        ("restore", EDITOR),
    ]
    assert L.HISTORY["restored"].format(id=first) in [s.value for s in at.success]


def test_overview_shows_change_since_previous_snapshot(temp_db):
    store_two(temp_db)
    at = app()
    (block,) = [m.value for m in at.markdown if "<div class='zi-kpis'>" in m.value]
    # overall 24,4% -> 45,0% at the same as-of date: +20,6 points
    assert "+20,6 poin" in block
    assert any("dibanding unggahan #1" in c.value.replace("\\", "") for c in at.caption)


def test_planned_curve_reaches_back_to_the_first_upload(temp_db):
    """An upload dated before the plan's first target (a unit reporting from January): the
    planned line is drawn from that date (at 0%), not only from the plan's start."""
    from zi_dashboard.app import service

    early = filled({}, 5, date(2025, 6, 30))
    check = service.check_upload(early, "juni.xlsx")
    service.save_upload(check, "Operator", date(2025, 6, 30), rights=service.OPERATOR)
    ctx = service.context_for(date(2025, 11, 30))
    fig = service.s_curve_figure(ctx, service.snapshots())
    planned = [t for t in fig.data if t.name == L.HISTORY["planned_line"]][0]
    xs = [str(x)[:10] for x in planned.x]
    assert min(xs) == "2025-06-30" and planned.y[0] == 0
