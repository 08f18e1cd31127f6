"""Every page through the router, with AppTest: what the user sees is what the core computes."""

import io
from datetime import date

import openpyxl
import pytest
from conftest import EDITOR, ROOT, login
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import compute
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.reading.plan import BUNDLED_UNIT, load_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.storage.store import open_store

PAGES = [
    "pages/ringkasan.py",
    "pages/linimasa.py",
    "pages/terlambat.py",
    "pages/tabel.py",
    "pages/riwayat.py",
    "pages/unggah.py",
    "pages/kesiapan.py",
    "pages/jawaban_lke.py",
]
AS_OF = date(2025, 11, 15)


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def expected(as_of=AS_OF):
    plan = load_plan()
    report = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan)
    return compute(plan, report.rows, as_of)


def all_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [e.value for e in at.error] + [s.value for s in at.success] + [w.value for w in at.warning]
    parts += [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_through_the_router(temp_db, page):
    at = app(page)
    assert at.title[0].value  # the page's heading
    assert "Data contoh" in all_text(at)
    assert at.sidebar.date_input[0].value == AS_OF  # the example data's position date


def test_overview_headline_and_components_are_the_cores(temp_db):
    at = app()
    r = expected()
    text = all_text(at)
    assert L.fmt_pct(r.overall_completion) in text and L.fmt_pct(r.overall_planned) in text
    (block,) = [m.value for m in at.markdown if "<div class='zi-kpis'>" in m.value]
    kpis = block.split("class='zi-kpi'")[1:]
    counts = r.status_counts
    for status in L.STATUS_ORDER:
        (card,) = [k for k in kpis if f">{status}<" in k]
        assert f">{counts[status]}<" in card
    # the component drill-down, closed: nothing of it is drawn (not even hidden: a table's code
    # would load beside the charts); opened, it shows a component's indicators
    assert not at.main.selectbox and not at.dataframe
    at.session_state["zi-drilldown"] = True
    at.run()
    at.main.selectbox[0].set_value("3").run()
    table = at.dataframe[0].value
    assert list(table["Kode"]) == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert list(table["Progres (%)"]) == [
        L.fmt_pct(v) for v in r.indicators.set_index("code").loc[["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"], "progress"]
    ]
    # closed and opened again: the component chosen is still the one shown
    at.session_state["zi-drilldown"] = False
    at.run()
    assert not at.dataframe
    at.session_state["zi-drilldown"] = True
    at.run()
    assert at.main.selectbox[0].value == "3" and list(at.dataframe[0].value["Kode"])[0] == "3.1"


def test_overdue_list_is_the_cores_and_follows_the_as_of_date(temp_db):
    at = app("pages/terlambat.py")
    r = expected()
    assert at.dataframe[0].value["Kode"].tolist() == r.overdue["code"].tolist() == ["1.2"]
    assert at.dataframe[0].value["Hari Terlambat"].tolist() == [15]
    later = date(2026, 1, 10)
    at.sidebar.date_input[0].set_value(later).run()
    r2 = expected(later)
    overdue = at.dataframe[0].value
    assert len(overdue) == len(r2.overdue) == 24  # all but 1.1 (Selesai)
    assert overdue["Kode"].tolist() == r2.overdue["code"].tolist()
    assert f"{len(r2.overdue)} rencana aksi" in all_text(at)
    # before any target ends nothing is overdue, and the page says so for that date
    at.sidebar.date_input[0].set_value(date(2025, 10, 20)).run()
    assert L.UI["overdue_none"].format(date="20 Oktober 2025") in all_text(at)


def test_as_of_date_is_kept_across_pages(temp_db):
    at = app()
    at.sidebar.date_input[0].set_value(date(2025, 12, 1)).run()
    at.switch_page("pages/tabel.py").run()
    assert at.sidebar.date_input[0].value == date(2025, 12, 1)
    assert "1 Desember 2025" in all_text(at)


def test_table_filters_change_the_rows(temp_db):
    at = app("pages/tabel.py")
    r = expected()
    assert len(at.dataframe[0].value) == 25
    at.multiselect(key="table_status").set_value([L.BEHIND]).run()
    shown = at.dataframe[0].value
    assert sorted(shown["Kode"]) == sorted(r.behind["code"]) and len(shown) == 6
    at.multiselect(key="table_status").set_value([]).run()
    at.text_input(key="table_text").set_value("pengaduan").run()
    assert at.dataframe[0].value["Kode"].tolist() == ["5.3", "6.3"]
    at.text_input(key="table_text").set_value("").run()
    at.multiselect(key="table_pic").set_value(["PPID"]).run()
    assert at.dataframe[0].value["Kode"].tolist() == ["2.3", "6.1", "6.3"]
    # the shared component filter narrows the table too
    at.multiselect(key="table_pic").set_value([]).run()
    at.sidebar.selectbox(key="component").set_value("4").run()
    assert at.dataframe[0].value["Kode"].tolist() == ["4.1", "4.2"]


def _filled_template(progress: float, position: date) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(build_template(load_plan(), BUNDLED_UNIT)))
    ws = wb["Progres"]
    ws["C3"] = position
    for r in range(6, 31):
        ws.cell(r, 7).value = progress
        ws.cell(r, 6).value = "Tim ZI"
    ws["G6"] = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_valid_upload_becomes_the_data_in_use(temp_db):
    at = login(app("pages/unggah.py"))
    data = _filled_template(60, date(2025, 11, 20))
    at.file_uploader[0].set_value(
        ("progres-nov.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ).run()
    text = all_text(at)
    assert "Berkas sah" in text and "berubah" in text or "indikator berubah" in text
    at.form_submit_button(key="FormSubmitter:save-Simpan sebagai data yang dipakai").click().run()
    assert not at.exception
    store = open_store(temp_db)
    snap = store.current()
    assert snap is not None and snap.filename == "progres-nov.xlsx" and snap.uploaded_by == EDITOR
    assert snap.position_date == date(2025, 11, 20) and snap.content == data
    assert len(store.rows(snap.id)) == 25
    at.switch_page("pages/ringkasan.py").run()
    text = all_text(at)
    assert "Data contoh" not in text.replace(L.UI["example_note"], "")
    assert at.sidebar.date_input[0].value == date(2025, 11, 20)  # the new data's position date
    assert L.fmt_pct((100 + 24 * 60) / 25) in text


def test_invalid_upload_changes_nothing(temp_db):
    at = login(app("pages/unggah.py"))
    bad = b"Kode;Indikator;Progres (%)\r\n1.1;Penyusunan Tim Kerja;seratus\r\n1.2;Rencana ZI;150\r\n"
    at.file_uploader[0].set_value(("rusak.csv", bad, "text/csv")).run()
    text = all_text(at)
    assert "Berkas tidak sah" in text
    errors = at.dataframe[0].value
    assert errors["Baris"].tolist() == [2, 3]
    assert "seratus" in errors["Masalah"].iloc[0]
    assert not [b for b in at.form_submit_button if "save" in b.key]  # nothing to save
    assert open_store(temp_db).current() is None
    # an unreadable file: a message, no traceback, nothing stored
    at.file_uploader[0].set_value(("laporan.xlsx", b"%PDF-1.7 not a sheet", "application/pdf")).run()
    assert not at.exception and "tidak bisa dibaca" in all_text(at)
    assert open_store(temp_db).current() is None


def test_viewer_cannot_upload(temp_db):
    at = app("pages/unggah.py")
    assert len(at.file_uploader) == 0
    assert L.AUTH["need_editor"] in all_text(at)
