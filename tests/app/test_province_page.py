"""Semua Satker (the province view) and Riwayat's year comparison, through the router with
AppTest: several units built through the service as the CLI builds them (rights=OPERATOR), on
a temporary store; figures checked against a hand count."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, send_table_state
from sqlalchemy import create_engine, update
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.counting.metrics import compute
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading.plan import BUNDLED_PLAN, BUNDLED_UNIT, load_plan
from zi_dashboard.storage.schema import snapshots

P = L.PROVINCE
AS_OF = date(2025, 12, 1)
HOME = "KPU Kota Tasikmalaya"
GARUT, KAB_BANDUNG, KOTA_BANDUNG, CIAMIS = (
    "KPU Kabupaten Garut",
    "KPU Kabupaten Bandung",
    "KPU Kota Bandung",
    "KPU Kabupaten Ciamis",
)
LISTED = [HOME, GARUT, KAB_BANDUNG, KOTA_BANDUNG, CIAMIS]


def progress_file(values: dict[str, float], default: float, position: date) -> bytes:
    """The unit's progress template filled in: `default` on every row, `values` by code."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template(load_plan(), BUNDLED_UNIT)))
    ws = wb["Progres"]
    ws["C3"] = position
    r = 6
    while ws.cell(r, 1).value:
        ws.cell(r, 7).value = values.get(str(ws.cell(r, 1).value), default)
        r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def add_unit(
    unit: str, year: int, upload: bytes | None = None, position: date | None = None, uploaded_at: datetime | None = None
):
    wp, _ = service.add_plan(
        BUNDLED_PLAN.read_bytes(), BUNDLED_PLAN.name, "Operator", unit, year, rights=service.OPERATOR
    )
    if upload is not None:
        check = service.check_upload(upload, f"progres-{service.unit_key(unit)}-{year}.xlsx", wp=wp)
        assert check.valid, check.message
        saved = service.save_upload(check, "Operator", position, rights=service.OPERATOR)
        if uploaded_at is not None:  # an upload made some time ago
            engine = create_engine(service.get_store().url)
            with engine.begin() as conn:
                conn.execute(
                    update(snapshots).where(snapshots.c.id == saved.snapshot.id).values(uploaded_at=uploaded_at)
                )
            engine.dispose()
            service.forget()
    return wp


GARUT_FILE = progress_file({"1.1": 100}, 50, date(2025, 11, 20))
BANDUNG_FILE = progress_file({}, 80, date(2025, 10, 1))


@pytest.fixture
def province(temp_db, monkeypatch):
    """Five listed units for 2025: Garut uploaded lately (52%), Kabupaten Bandung two months
    ago (80%, stale), Kota Bandung and the home unit never, Ciamis without a plan."""
    monkeypatch.setenv("ZI_UNITS", "|".join(LISTED))
    service.home()
    add_unit(GARUT, 2025, GARUT_FILE, date(2025, 11, 20), datetime(2025, 11, 25, 3, 0, tzinfo=UTC))
    add_unit(KAB_BANDUNG, 2025, BANDUNG_FILE, date(2025, 10, 1), datetime(2025, 10, 2, 3, 0, tzinfo=UTC))
    add_unit(KOTA_BANDUNG, 2025)
    return temp_db


def open_province(as_of: date = AS_OF) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/provinsi.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.sidebar.date_input(key="_zi_province_as_of").set_value(as_of).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == P["page"]
    return at


def table(at):
    (frame,) = [d.value for d in at.dataframe if P["col_unit"] in d.value.columns]
    return frame


def row_of(html: str, unit: str) -> str:
    """The matrix row of one unit."""
    (row,) = [r for r in html.split("<tr>") if f"{unit}</div>" in r]
    return row


def matrix(at) -> str:
    (html,) = [m.value for m in at.markdown if "<table class='zi-matrix'>" in m.value]
    return html


def test_figures_are_a_hand_count(province):
    at = open_province()
    t = table(at).set_index(P["col_unit"])
    assert list(table(at)[P["col_unit"]]) == [KAB_BANDUNG, GARUT, KOTA_BANDUNG, HOME, CIAMIS]  # ties: by name
    # Garut: 1.1 at 100, the 24 other rows at 50: (100 + 24 x 50) / 25 = 52.0
    assert t.loc[GARUT, L.COL["completion"]] == "52,0%" and t.loc[GARUT, "bar"] == pytest.approx(52.0)
    assert t.loc[KAB_BANDUNG, L.COL["completion"]] == "80,0%"
    assert t.loc[GARUT, P["col_rank"]] == 2 and t.loc[KAB_BANDUNG, P["col_rank"]] == 1
    # planned and overdue rows as the unit's own pages count them
    core = compute(load_plan(), service.check_upload(GARUT_FILE, "g.xlsx").reading.rows, AS_OF)
    assert t.loc[GARUT, L.COL["planned"]] == L.fmt_pct(core.overall_planned)
    assert t.loc[GARUT, P["col_overdue"]] == len(core.overdue) > 0
    assert t.loc[GARUT, P["col_done"]] == 1 and t.loc[GARUT, P["col_rows"]] == 25
    assert t.loc[GARUT, P["col_last_upload"]] == "25/11/2025"
    assert t.loc[GARUT, P["col_position"]] == "20/11/2025"
    # no blank without a word why: never uploaded, no self-assessment saved
    F = L.FIGURES
    assert t.loc[KOTA_BANDUNG, P["col_last_upload"]] == t.loc[KOTA_BANDUNG, P["col_position"]] == F["no_upload"]
    assert set(t[P["col_readiness"]]) == set(t[P["col_predicate"]]) == {F["no_assessment"]}
    assert "None" not in t.astype(str).to_numpy() and "" not in t[[P["col_last_upload"], P["col_position"]]].to_numpy()
    assert F["province_blanks"] in [c.value for c in at.caption]
    # the matrix: Garut's component 1 is (100 + 50 + 50 + 50) / 4 = 62.5 (whole numbers in a cell,
    # the exact figure in its tip)
    garut_row = row_of(matrix(at), GARUT)
    assert "capaian 62,5%" in garut_row and f">{L.fmt_pct(62.5, 0)}<" in garut_row and ">52%<" in garut_row
    assert garut_row.count("<td") == 1 + 1 + 6  # name, overall, six components
    # Ciamis is listed without a plan for 2025: named, and in the table as such
    assert t.loc[CIAMIS, P["col_standing"]] == L.NO_PLAN and pd.isna(t.loc[CIAMIS, P["col_rank"]])
    assert any(CIAMIS in w.value and "2025" in w.value for w in at.warning)


def test_stale_units_are_flagged(province):
    at = open_province()
    t = table(at).set_index(P["col_unit"])
    # as of 1 December: Kabupaten Bandung's last upload (2 October) is over 30 days old; Kota
    # Bandung, the home unit and Ciamis never uploaded; Garut uploaded on 25 November
    assert t[P["col_stale"]].to_dict() == {
        KAB_BANDUNG: P["yes"],
        GARUT: "",
        HOME: P["yes"],
        KOTA_BANDUNG: P["yes"],
        CIAMIS: P["yes"],
    }
    html = matrix(at)
    assert P["stale_mark"] in row_of(html, KAB_BANDUNG) and P["stale_mark"] not in row_of(html, GARUT)
    assert P["never"] in row_of(html, KOTA_BANDUNG) and "2 Okt 2025" in row_of(html, KAB_BANDUNG)
    # a later as-of date: Garut too is stale
    at = open_province(date(2026, 1, 10))
    assert table(at).set_index(P["col_unit"]).loc[GARUT, P["col_stale"]] == P["yes"]


def test_filters_narrow_the_table_the_matrix_and_the_download(province):
    at = open_province()
    at.checkbox(key="province_stale").check().run()
    assert set(table(at)[P["col_unit"]]) == {KAB_BANDUNG, HOME, KOTA_BANDUNG, CIAMIS}
    at.text_input(key="province_text").set_value("bandung").run()
    assert list(table(at)[P["col_unit"]]) == [KAB_BANDUNG, KOTA_BANDUNG]
    assert GARUT not in matrix(at) and KAB_BANDUNG in matrix(at)
    # the downloads are given exactly these rows (their content: test_province_browser.py, where
    # a click builds the files)
    ids = [b.proto.id for b in at.get("download_button")]
    assert any(i.endswith("province-csv") for i in ids) and any(i.endswith("province-xlsx") for i in ids)
    # the standing filter
    at.text_input(key="province_text").set_value("").run()
    at.checkbox(key="province_stale").uncheck().run()
    at.multiselect(key="province_standing").set_value([L.NO_PLAN]).run()
    assert list(table(at)[P["col_unit"]]) == [CIAMIS]
    at.text_input(key="province_text").set_value("garut").run()
    assert not [d for d in at.dataframe if P["col_unit"] in d.value.columns]
    assert P["nothing"] in [i.value for i in at.info]


def test_a_link_opens_a_unit(province):
    at = open_province()
    t = table(at)
    garut = t[t[P["col_unit"]] == GARUT]
    assert garut["link"].iloc[0] == "./?satker=kabupaten-garut&tahun=2025"


def test_page_with_one_unit_says_why_it_is_not_in_the_menu(temp_db):
    """/provinsi with one unit (an address kept from before, or typed): not Streamlit's English
    "Page not found" but the page, saying in Indonesian why there is nothing to compare, with a
    way to Ringkasan (the browser side: test_browser.test_province_address_with_one_unit)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert service.units() == [HOME]
    at.switch_page("pages/provinsi.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == P["page"]
    assert [i.value for i in at.info] == [L.FIGURES["province_one"].format(unit=HOME)]
    assert not at.dataframe


def test_year_comparison_on_riwayat(temp_db):
    service.home()
    add_unit(HOME, 2025, progress_file({"1.1": 100}, 50, date(2025, 11, 20)), date(2025, 11, 20))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/riwayat.py").run()
    assert not at.exception
    assert P["years_title"] not in [s.value for s in at.subheader]  # one year: nothing to compare
    add_unit(HOME, 2026, progress_file({}, 25, date(2026, 3, 1)), date(2026, 3, 1))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"satker": "kota-tasikmalaya", "tahun": "2026"})
    at.run()
    at.switch_page("pages/riwayat.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert P["years_title"] in [s.value for s in at.subheader]
    (years,) = [d.value for d in at.dataframe if P["years_component"] in d.value.columns]
    t = years.set_index(P["years_component"])
    assert list(t.columns) == ["2025", "2026"]
    # 2025: (100 + 24 x 50) / 25 = 52.0; component 1: (100 + 3 x 50) / 4 = 62.5; 2026: 25 everywhere
    assert t.loc[L.UNITS["overall"], "2025"] == "52,0%" and t.loc[L.UNITS["overall"], "2026"] == "25,0%"
    assert t.loc["1. Manajemen Perubahan", "2025"] == "62,5%" and t.loc["1. Manajemen Perubahan", "2026"] == "25,0%"
    assert t.index[0] == L.UNITS["overall"] and len(t) == 7
    assert at.get("plotly_chart")


def test_a_long_list_pages_the_matrix_and_keeps_the_table_whole(province, monkeypatch):
    """Many units (550 nationally): the matrix shows MATRIX_ROWS units at a time, chosen in a
    box; the table below keeps every unit.  Here two at a time for five units."""
    from zi_dashboard.outputs import portfolio_out

    monkeypatch.setattr(portfolio_out, "MATRIX_ROWS", 2)
    at = open_province()
    assert len(table(at)) == 5
    box = at.selectbox(key="province_matrix_page")
    assert box.options == [P["matrix_rows"].format(lo=lo, hi=hi, n=5) for lo, hi in ((1, 2), (3, 4), (5, 5))]
    assert matrix(at).count("<tr>") == 1 + 2 and GARUT in matrix(at)
    box.set_value(2).run()
    assert KOTA_BANDUNG in matrix(at) and HOME in matrix(at) and GARUT not in matrix(at)
    assert len(table(at)) == 5


def test_the_address_names_the_province_year(province):
    """A link to the province page of a year (?tahun=2026) opens that year, and the address
    follows the year box."""
    add_unit(GARUT, 2026, progress_file({}, 30, date(2026, 3, 1)), date(2026, 3, 1))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["tahun"] = "2026"
    at.run()
    at.switch_page("pages/provinsi.py").run()
    assert not at.exception
    assert not [w for w in at.warning if "pada alamat ini" in w.value]  # the year alone is a valid address
    assert at.sidebar.selectbox(key="_zi_province_year").value == 2026
    first = table(at).iloc[0]
    assert first[P["col_unit"]] == GARUT and "30,0%" in first.to_string()  # only Garut has a 2026 plan
    at.sidebar.selectbox(key="_zi_province_year").set_value(2025).run()
    assert at.query_params["tahun"] == "2025" and "satker" not in at.query_params
    assert len(table(at)) == 5


# --- a forged address or table selection is ignored, never an error page ----------------------
@pytest.mark.parametrize(
    "asked",
    ["9" * 5000, "9" * 200, "²", "２０２６", "2025.0", "-2025", "0x7e9", " 2026", "1e3", "99999999999999999999"],
)
def test_a_year_in_the_address_that_is_no_year_is_ignored(province, asked):
    """?tahun= of 5,000 digits (int() refuses it), '²' (a digit to str.isdigit, not to int()),
    or anything that is not a plain year of a plan: the page opens at its default year, the
    address names it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.query_params.clear()
    at.query_params["tahun"] = asked  # /provinsi?tahun=… as the first address of a session
    at.switch_page("pages/provinsi.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == P["page"]
    assert len(table(at)) == 5 and at.query_params["tahun"] == "2025"


@pytest.mark.parametrize("rows", [[10**9], [-1], [-(10**9)], ["a"], [1.5], [True], list(range(100_000))])
def test_a_forged_table_selection_is_ignored(province, rows):
    at = open_province()
    send_table_state(at, "province_table", {"selection": {"rows": rows, "columns": [], "cells": []}})
    assert not at.exception, [e.value for e in at.exception]
    assert P["pick_row"] in [c.value for c in at.caption]
    assert len(table(at)) == 5
    # a real selection still opens the unit
    send_table_state(at, "province_table", {"selection": {"rows": [0], "columns": [], "cells": []}})
    assert not at.exception and P["pick_row"] not in [c.value for c in at.caption]


def test_without_a_date_each_unit_is_counted_at_its_own_position_date(province):
    """Semua Satker (and `portfolio`) start with no date: each unit at the date
    its data describes (Garut 20 November, Kabupaten Bandung 1 October; units without an upload
    at the newest, 20 November), never today (a 2025 plan counted in 2026 is all Terlambat)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/provinsi.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.date_input(key="_zi_province_as_of").value is None
    t = table(at).set_index(P["col_unit"])
    rows = service.check_upload(GARUT_FILE, "g.xlsx").reading.rows
    garut = compute(load_plan(), rows, date(2025, 11, 20))
    bandung = compute(load_plan(), service.check_upload(BANDUNG_FILE, "b.xlsx").reading.rows, date(2025, 10, 1))
    empty = compute(load_plan(), rows.iloc[0:0], date(2025, 11, 20))
    assert t.loc[GARUT, P["col_overdue"]] == len(garut.overdue)
    assert t.loc[GARUT, L.COL["planned"]] == L.fmt_pct(garut.overall_planned)
    assert t.loc[KAB_BANDUNG, P["col_overdue"]] == len(bandung.overdue) == 0
    assert t.loc[KAB_BANDUNG, L.COL["planned"]] == L.fmt_pct(bandung.overall_planned)
    assert t.loc[KOTA_BANDUNG, P["col_overdue"]] == len(empty.overdue) < 25
    header = [m.value for m in at.markdown if "zi-source" in m.value][0]
    assert "tiap satker per tanggal posisi datanya (terbaru 20 November 2025)" in header
    # one date chosen: every unit at it; the button gives each unit its own date again
    at.sidebar.date_input(key="_zi_province_as_of").set_value(AS_OF).run()
    assert table(at).set_index(P["col_unit"]).loc[KAB_BANDUNG, P["col_overdue"]] > 0
    at.sidebar.button(key="province_own_dates").click().run()
    assert at.sidebar.date_input(key="_zi_province_as_of").value is None
    assert table(at).set_index(P["col_unit"]).loc[KAB_BANDUNG, P["col_overdue"]] == 0
    # the CLI's portfolio, without --as-of: the same figures, each unit with its date
    import json

    from test_cli_readiness import cli

    out = json.loads(cli("portfolio", "--year", "2025", "--json", env_url=service.get_store().url).stdout)
    assert out["as_of"] is None
    by_unit = {u["unit"]: u for u in out["units"]}
    assert by_unit[GARUT]["as_of"] == "2025-11-20" and by_unit[KAB_BANDUNG]["as_of"] == "2025-10-01"
    assert by_unit[GARUT]["overdue"] == len(garut.overdue) and by_unit[KAB_BANDUNG]["overdue"] == 0


# 2026's plan numbers its components otherwise (Pengawasan 3, Pelayanan 4, SDM 5, Akuntabilitas 6)
# and names the first slightly otherwise: the same components, matched by name (and number)
RENUMBERED = {"1": "1", "2": "2", "3": "5", "4": "6", "5": "3", "6": "4"}
RENAMED = {"Manajemen Perubahan": "Manajemen Perubahan Organisasi"}
BUNDLED_CODES = [line.split(";")[0] for line in BUNDLED_PLAN.read_text(encoding="utf-8-sig").splitlines()[1:]]


def plan_2026() -> bytes:
    lines = BUNDLED_PLAN.read_text(encoding="utf-8-sig").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        code, component, *rest = line.split(";")
        major, minor = code.split(".")
        out.append(";".join([f"{RENUMBERED[major]}.{minor}", RENAMED.get(component, component), *rest]))
    out = [out[0]] + sorted(out[1:], key=lambda t: [int(x) for x in t.split(";")[0].split(".")])
    return ("\n".join(out) + "\n").replace("2025", "2026").encode()


def test_years_are_compared_by_component_name_never_by_number(temp_db):
    """Each component's 2025 figure stands beside its own 2026 figure, whatever number each
    year's plan gives it; the table lists each component once."""
    from zi_dashboard.outputs import charts
    from zi_dashboard.reading.plan import plan_from_bytes

    service.home()
    by_2025 = {"1": 10, "2": 20, "3": 30, "4": 40, "5": 50, "6": 60}  # SDM 30, Pengawasan 50, ...
    add_unit(
        HOME,
        2025,
        progress_file({c: by_2025[c.split(".")[0]] for c in BUNDLED_CODES}, 0, date(2025, 12, 31)),
        date(2025, 12, 31),
    )
    wp, _ = service.add_plan(plan_2026(), "rencana-kerja-zi-2026.csv", "Operator", HOME, 2026, rights=service.OPERATOR)
    plan26 = plan_from_bytes(plan_2026(), "rencana-kerja-zi-2026.csv")
    wb = openpyxl.load_workbook(io.BytesIO(build_template(plan26, BUNDLED_UNIT)))
    ws = wb["Progres"]
    ws["C3"] = date(2026, 3, 1)
    back = {new: old for old, new in RENUMBERED.items()}
    r = 6
    while ws.cell(r, 1).value:
        ws.cell(r, 7).value = by_2025[back[str(ws.cell(r, 1).value).split(".")[0]]] + 5  # the same component +5
        r += 1
    buf = io.BytesIO()
    wb.save(buf)
    check = service.check_upload(buf.getvalue(), "progres-2026.xlsx", wp=wp)
    assert check.valid, [p.text() for p in check.reading.errors]
    service.save_upload(check, "Operator", date(2026, 3, 1), rights=service.OPERATOR)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"satker": "kota-tasikmalaya", "tahun": "2026"})
    at.run()
    at.switch_page("pages/riwayat.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(L.YEARS_MATCHED["note"] in c.value for c in at.caption)
    (years,) = [d.value for d in at.dataframe if P["years_component"] in d.value.columns]
    t = years.set_index(P["years_component"])
    assert list(t.index) == [
        L.UNITS["overall"],
        "1. Manajemen Perubahan Organisasi",
        "2. Penataan Tatalaksana",
        "3. Penguatan Pengawasan",
        "4. Peningkatan Kualitas Pelayanan Publik",
        "5. Penataan Sistem Manajemen SDM",
        "6. Penguatan Akuntabilitas Kinerja",
    ]
    assert t.loc["3. Penguatan Pengawasan"].tolist() == ["50,0%", "55,0%"]
    assert t.loc["5. Penataan Sistem Manajemen SDM"].tolist() == ["30,0%", "35,0%"]
    assert t.loc["6. Penguatan Akuntabilitas Kinerja"].tolist() == ["40,0%", "45,0%"]
    assert t.loc["1. Manajemen Perubahan Organisasi"].tolist() == ["10,0%", "15,0%"]
    from zi_dashboard.app import province

    fig = charts.year_comparison_chart(province.year_comparison(HOME), HOME)
    bars = {tr.name: dict(zip((y.replace("<br>", " ") for y in tr.y), tr.x, strict=True)) for tr in fig.data}
    sdm = "5. Penataan Sistem Manajemen SDM"
    assert bars["2025"][sdm] == 30 and bars["2026"][sdm] == 35
    assert bars["2025"]["4. Peningkatan Kualitas Pelayanan Publik"] == 60
