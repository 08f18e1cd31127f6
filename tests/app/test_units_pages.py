"""Several units and years through the pages (AppTest): the address chooses unit and year
(?satker=…&tahun=…) and the sidebar's boxes put the choice back in the address; a unit's year
with nothing uploaded says so; an editor of one unit cannot upload, restore, assess or add a
plan for another, on the pages and in the service."""

from datetime import date

import pytest
from conftest import EDITOR, login
from streamlit.testing.v1 import AppTest
from test_history_page import filled
from test_pages import ROOT, all_text

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.reading.plan import BUNDLED_PLAN
from zi_dashboard.storage.store import open_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TASIK, GARUT = "KPU Kota Tasikmalaya", "KPU Kabupaten Garut"
PLAN_2026 = b"RENCANA KERJA ZONA INTEGRITAS KPU KOTA TASIKMALAYA TAHUN 2026\n" + BUNDLED_PLAN.read_bytes().replace(
    b"2025", b"2026"
)


def three_workplans():
    """Tasikmalaya 2025 (two uploads) and 2026 (none); Garut 2025 (one upload, 75%)."""
    op = service.OPERATOR
    tasik = service.home()
    service.add_plan(PLAN_2026, "rencana-2026.csv", "Ketua", TASIK, 2026, rights=op)
    garut, _ = service.add_plan(BUNDLED_PLAN.read_bytes(), "rencana-garut.csv", "Ketua", GARUT, 2025, rights=op)
    ids = {}
    for wp, name, value, when in [
        (tasik, "tasik-okt.xlsx", 20, date(2025, 10, 31)),
        (tasik, "tasik-nov.xlsx", 40, date(2025, 11, 30)),
        (garut, "garut-nov.xlsx", 75, date(2025, 11, 30)),
    ]:
        check = service.check_upload(filled({}, value, when), name, wp=wp)
        assert check.valid
        ids[name] = service.save_upload(check, "Operator", when, rights=op).snapshot.id
    return tasik, garut, ids


def open_at(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """A message as the reader sees it (markdown escapes removed)."""
    return str(text).replace("\\", "")


def test_address_chooses_unit_and_year(temp_db):
    three_workplans()
    at = open_at(satker="kabupaten-garut", tahun="2025")
    text = all_text(at)
    assert "KPU Kabupaten Garut Tahun 2025" in text
    assert at.selectbox(key="_zi_unit_box").value == GARUT
    # Garut has one year: no year box; its figures are its own upload's (75% everywhere)
    assert not [s for s in at.sidebar.selectbox if s.key == "_zi_year_box"]
    assert "75,0%" in text
    # no year: the unit's latest year with data (2025; 2026 has a plan and nothing uploaded, and
    # used to be shown empty)
    at = open_at(satker="kota-tasikmalaya")
    assert at.selectbox(key="_zi_year_box").value == 2025 and at.selectbox(key="_zi_year_box").options == [
        "2025",
        "2026",
    ]
    assert L.UNITS["empty_badge"] not in all_text(at) and "40,0%" in all_text(at)
    assert at.query_params["satker"] == "kota-tasikmalaya" and at.query_params["tahun"] == "2025"
    at.selectbox(key="_zi_year_box").set_value(2026).run()  # chosen: the empty year, said so
    assert L.UNITS["empty_badge"] in all_text(at) and at.query_params["tahun"] == "2026"


def test_a_fresh_visitor_lands_on_the_year_with_data(temp_db):
    """After next year's plan is added (no upload yet), a fresh visitor sees
    this year's data at its position date, not an empty year at today."""
    three_workplans()
    at = open_at()
    assert at.selectbox(key="_zi_year_box").value == 2025
    assert "KPU Kota Tasikmalaya Tahun 2025" in all_text(at) and L.UNITS["empty_badge"] not in all_text(at)
    assert at.sidebar.date_input[0].value == date(2025, 11, 30)  # where the data is, not today
    at.switch_page("pages/provinsi.py").run()  # Semua Satker starts at the same year
    assert not at.exception and at.sidebar.selectbox(key="_zi_province_year").value == 2025


def test_unknown_unit_in_the_address_is_said_and_the_home_unit_shown(temp_db):
    three_workplans()
    at = open_at(satker="kabupaten-antah", tahun="2025")
    assert any("kabupaten-antah" in plain(w.value) for w in at.warning)
    assert at.selectbox(key="_zi_unit_box").value == TASIK


def test_boxes_put_the_choice_in_the_address(temp_db):
    three_workplans()
    at = open_at("pages/riwayat.py", satker="kota-tasikmalaya", tahun="2025")
    assert "tasik-nov.xlsx" in at.dataframe[0].value.to_string()
    at.selectbox(key="_zi_unit_box").set_value(GARUT).run()
    assert not at.exception
    assert at.query_params["satker"] == "kabupaten-garut" and at.query_params["tahun"] == "2025"
    listed = at.dataframe[0].value.to_string()
    assert "garut-nov.xlsx" in listed and "tasik" not in listed  # Riwayat lists Garut's uploads only


def test_one_unit_one_year_shows_no_boxes(temp_db):
    at = open_at()
    assert not [s for s in at.sidebar.selectbox if s.key in ("_zi_unit_box", "_zi_year_box")]
    assert "satker" not in at.query_params


@pytest.fixture
def garut_editor(temp_db, monkeypatch):
    monkeypatch.setenv("ZI_EDITOR_UNITS", f"{EDITOR}={GARUT}")
    return temp_db


def test_editor_of_one_unit_cannot_change_another_on_the_pages(garut_editor):
    tasik, garut, ids = three_workplans()
    store = open_store(garut_editor)
    before = (store.count(), [e.id for e in store.events()], store.latest_assessment(), len(store.workplans()))
    # Unggah of Tasikmalaya: no progress uploader, a clear message
    at = login(open_at("pages/unggah.py", satker="kota-tasikmalaya", tahun="2025"), EDITOR)
    assert any(L.UNITS["not_your_unit"].format(name=EDITOR, unit=TASIK) == w.value for w in at.warning)
    assert not [u for u in at.file_uploader if u.label == L.UI["uploader"]]
    # adding a plan for Tasikmalaya through the plan form is refused
    plan_box = [u for u in at.file_uploader if u.label == L.PLAN_UI["uploader"]][0]
    plan_box.set_value(("rencana-2027.csv", PLAN_2026.replace(b"2026", b"2027"), "text/csv")).run()
    at.button(key="plan-save").click().run()
    assert any(L.UNITS["not_your_unit"].format(name=EDITOR, unit=TASIK) in plain(e.value) for e in at.error)
    # Riwayat of Tasikmalaya: no restore, no position correction
    at = login(open_at("pages/riwayat.py", satker="kota-tasikmalaya", tahun="2025"), EDITOR)
    at.selectbox(key="history_pick").set_value(ids["tasik-okt.xlsx"]).run()
    assert not [b for b in at.button if b.key == "history_restore"]
    assert L.AUTH["need_editor"] in all_text(at)
    # Kesiapan of Tasikmalaya: the self-assessment is shown, not editable
    at = login(open_at("pages/kesiapan.py", satker="kota-tasikmalaya", tahun="2025"), EDITOR)
    assert not [b for b in at.button if b.key == "assess_save"]
    assert (
        store.count(),
        [e.id for e in store.events()],
        store.latest_assessment(),
        len(store.workplans()),
    ) == before  # nothing changed
    # ... while Garut's own pages let them act
    at = login(open_at("pages/unggah.py", satker="kabupaten-garut", tahun="2025"), EDITOR)
    assert [u for u in at.file_uploader if u.label == L.UI["uploader"]]
    at = login(open_at("pages/kesiapan.py", satker="kabupaten-garut", tahun="2025"), EDITOR)
    assert [b for b in at.button if b.key == "assess_save"]


def test_editor_of_one_unit_is_refused_by_the_service_too(garut_editor):
    tasik, garut, ids = three_workplans()
    check = service.check_upload(filled({}, 90, date(2025, 12, 10)), "lagi.xlsx", wp=tasik)
    with pytest.raises(service.NotAllowed):
        service.save_upload(check, EDITOR, date(2025, 12, 10))
    with pytest.raises(service.NotAllowed):
        service.restore(ids["tasik-okt.xlsx"], EDITOR, tasik)
    with pytest.raises(LookupError):  # Garut's editor naming Tasikmalaya's upload under Garut
        service.restore(ids["tasik-okt.xlsx"], EDITOR, garut)
    with pytest.raises(service.NotAllowed):
        service.add_plan(PLAN_2026, "r.csv", EDITOR, TASIK, 2027)
    garut_check = service.check_upload(filled({}, 90, date(2025, 12, 10)), "garut-des.xlsx", wp=garut)
    saved = service.save_upload(garut_check, EDITOR, date(2025, 12, 10))
    assert saved.snapshot.workplan_id == garut.id
    assert service.snapshot_in_use(tasik) == ids["tasik-nov.xlsx"]  # Tasikmalaya's data untouched


def test_next_year_and_another_unit_added_on_unggah(temp_db):
    """An editor adds next year's plan (unit and year read from the file's title) and a second
    unit's plan (unit typed) through the Unggah page; the view moves to each; 2025 is kept."""
    store = open_store(temp_db)
    home = service.home()
    at = login(open_at("pages/unggah.py"), EDITOR)
    plan_box = [u for u in at.file_uploader if u.label == L.PLAN_UI["uploader"]][0]
    plan_box.set_value(("rencana-2026.csv", PLAN_2026, "text/csv")).run()
    assert [t.value for t in at.text_input if t.label == L.UNITS["unit"]] == [TASIK]
    assert [n.value for n in at.number_input if n.label == L.UNITS["year"]] == [2026]
    assert any(L.PLAN_UI["new_workplan"].format(unit=TASIK, year=2026) in plain(i.value) for i in at.info)
    at.button(key="plan-save").click().run()
    assert not at.exception
    assert [(w.unit, w.year) for w in store.workplans()] == [(TASIK, 2025), (TASIK, 2026)]
    assert at.query_params["satker"] == "kota-tasikmalaya" and at.query_params["tahun"] == "2026"
    assert L.UNITS["empty_badge"] in all_text(at)  # 2026: nothing uploaded yet
    # a second unit: the bundled plan has no title, so the unit and year are typed
    plan_box = [u for u in at.file_uploader if u.label == L.PLAN_UI["uploader"]][0]
    plan_box.set_value(("rencana-garut.csv", BUNDLED_PLAN.read_bytes(), "text/csv")).run()
    [t for t in at.text_input if t.label == L.UNITS["unit"]][0].set_value(GARUT)
    [n for n in at.number_input if n.label == L.UNITS["year"]][0].set_value(2025)
    at.button(key="plan-save").click().run()
    assert not at.exception
    assert (GARUT, 2025) in [(w.unit, w.year) for w in store.workplans()]
    assert at.selectbox(key="_zi_unit_box").value == GARUT
    assert store.latest_plan(home.id).filename == BUNDLED_PLAN.name and store.uploads(home.id) == []


@pytest.mark.parametrize("asked", ["²", "9" * 5000, "２０２５", "2025.0", "-1", "1e3", "99999"])
def test_an_address_that_names_no_year_or_slide_is_ignored(temp_db, asked):
    """?tahun= or ?tampilan= that is no plain number (a superscript digit,
    5,000 digits, full-width digits, a sign, a decimal) never gives an error page: a unit's page
    says the address names nothing known and shows the default; Mode rapat opens at its first view."""
    three_workplans()
    at = open_at(satker="kota-tasikmalaya", tahun=asked)
    assert at.selectbox(key="_zi_unit_box").value == TASIK
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"mode": "rapat", "tampilan": asked})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value == L.MEETING_VIEWS[service.MEETING_SLIDES[0]]


def test_year_and_number_of_an_address():
    assert [service.year_of(t) for t in ("2025", 2026, "2100", "2019", "²", "２０２５", " 2025", "2025\n", True)] == [
        2025,
        2026,
        2100,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert [service.address_int(t, 2) for t in ("3", "12", "123", "", None, "٣", "+1")] == [
        3,
        12,
        None,
        None,
        None,
        None,
        None,
    ]
