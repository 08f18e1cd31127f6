import csv
import io
from datetime import date

import openpyxl
import pytest

from zi_dashboard.counting.metrics import compute
from zi_dashboard.outputs.exports import export_name, indicator_table, to_csv_bytes, to_plain_csv_bytes, to_xlsx_bytes
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.reading.plan import BUNDLED_UNIT, PlanError, load_plan, read_plan
from zi_dashboard.reading.progress import read_progress


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def test_bundled_plan_is_the_decree(plan):
    rows = plan.rows
    assert len(rows) == 25
    assert plan.codes[0] == "1.1" and plan.codes[-1] == "6.5"
    assert list(plan.components["component"]) == [
        "Manajemen Perubahan",
        "Penataan Tatalaksana",
        "Penataan Sistem Manajemen SDM",
        "Penguatan Akuntabilitas Kinerja",
        "Penguatan Pengawasan",
        "Peningkatan Kualitas Pelayanan Publik",
    ]
    assert rows.groupby("component_code").size().tolist() == [4, 3, 6, 2, 5, 5]
    # the page break of the extracted text: Keterbukaan Informasi Publik is 2.3, not SDM
    assert rows.loc["2.3", "indicator"] == "Keterbukaan Informasi Publik"
    assert rows.loc["2.3", "component"] == "Penataan Tatalaksana"
    assert rows.loc["1.1", "target"] == "Oktober 2025"
    assert rows.loc["6.4", "target"] == "Agustus s/d Desember 2025"
    assert rows.loc["6.4", "target_start"] == date(2025, 8, 1)
    assert (rows.drop(index=["1.1", "1.2", "6.4"])["target"] == "Oktober s/d Desember 2025").all()


def _xlsx(rows, title=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.append([])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_another_units_plan_loads_without_codes():
    data = _xlsx(
        [
            ["NO.", "KOMPONEN", "INDIKATOR/PROGRAM", "RENCANA AKSI", "TARGET WAKTU"],
            [1, 2, 3, 4, 5],
            ["1.", "Manajemen Perubahan", "Tim Kerja", "SK tim", "Januari 2026"],
            [None, None, "Roadmap", "Dokumen", "TW I 2026"],
            ["2.", "Penataan Tatalaksana", "SOP", "Reviu SOP", "Februari s.d. Juni 2026"],
        ],
        title="RENCANA KERJA ZI 2026",
    )
    p = read_plan(data, "rencana-2026.xlsx")
    assert p.codes == ["1.1", "1.2", "2.1"]
    assert p.rows.loc["1.2", "component"] == "Manajemen Perubahan"
    assert p.rows.loc["2.1", "target_end"] == date(2026, 6, 30)


def test_plan_with_unreadable_target_names_row_and_text():
    data = _xlsx(
        [
            ["Kode", "Komponen", "Indikator", "Rencana Aksi", "Target Waktu"],
            ["1.1", "MP", "Tim", "SK", "segera"],
        ]
    )
    with pytest.raises(PlanError) as exc:
        read_plan(data, "p.xlsx")
    (problem,) = exc.value.problems
    assert problem.row == 2 and problem.column == "Target Waktu" and "segera" in problem.message


def test_template_round_trip_by_hand(plan, tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(build_template(plan, BUNDLED_UNIT)))
    ws = wb["Progres"]
    assert ws.freeze_panes == "A6"
    headers = [c.value for c in ws[5]]
    assert headers[:7] == [
        "Kode",
        "Komponen",
        "Indikator/Program",
        "Rencana Aksi",
        "Target Waktu",
        "PIC",
        "Progres (%)",
    ]
    validations = ws.data_validations.dataValidation
    assert any(v.type == "decimal" and v.formula1 == "0" and v.formula2 == "100" for v in validations)
    assert any(v.type == "list" and "Selesai" in v.formula1 for v in validations)
    assert "Petunjuk" in wb.sheetnames and ws.column_dimensions["D"].width >= 40
    # a secretary fills it in
    ws["C3"] = date(2025, 11, 15)
    for r in range(6, 31):
        code = ws.cell(r, 1).value
        ws.cell(r, 6).value = "Tim " + code
        ws.cell(r, 7).value = 100 if code == "1.1" else 25.5
        ws.cell(r, 8).value = "Sedang berjalan"
        ws.cell(r, 9).value = f"https://contoh.go.id/{code}"
        ws.cell(r, 10).value = "Catatan ünïcode ✓ " + code
    ws.insert_rows(8)  # a sub-activity added under 1.2
    ws.cell(8, 1).value = "1.2"
    ws.cell(8, 5).value = "Kegiatan tambahan"
    ws.cell(8, 7).value = 74.5
    path = tmp_path / "isi.xlsx"
    wb.save(path)
    report = read_progress(path.read_bytes(), path.name, plan)
    assert report.valid, report.problems
    assert report.warnings == []
    assert report.position_date == date(2025, 11, 15)
    assert len(report.rows) == 26
    r = report.rows.set_index("row")
    assert r.loc[6, "code"] == "1.1" and r.loc[6, "progress"] == 100
    assert r.loc[8, "code"] == "1.2" and r.loc[8, "progress"] == 74.5
    assert r.loc[30, "notes"] == "Catatan ünïcode ✓ 6.4"
    assert r.loc[6, "pic"] == "Tim 1.1" and r.loc[6, "evidence"] == "https://contoh.go.id/1.1"
    assert r.loc[6, "status_reported"] == "Sedang berjalan"
    res = compute(plan, report.rows, date(2025, 11, 15)).indicators.set_index("code")
    assert res.loc["1.2", "progress"] == pytest.approx(50.0)


@pytest.fixture(scope="module")
def result(plan):
    data = EXAMPLE_FILE.read_bytes()
    report = read_progress(data, "contoh.xlsx", plan)
    return compute(plan, report.rows, date(2025, 11, 15))


def test_csv_export_neutralises_formulas_and_uses_indonesian_format(result):
    ind = result.indicators.copy()
    ind.loc[0, "notes"] = '=HYPERLINK("http://evil","klik")'
    ind.loc[1, "pic"] = "@SUM(A1)"
    ind.loc[2, "notes"] = "-2+3"
    ind.loc[3, "notes"] = "+62 812"
    data = to_csv_bytes(indicator_table(ind))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[0] == "Kode" and "Progres (%)" in header
    notes = header.index("Keterangan")
    assert rows[1][notes].startswith("'=") and rows[3][notes] == "'-2+3" and rows[4][notes] == "'+62 812"
    assert rows[2][header.index("PIC")] == "'@SUM(A1)"
    assert rows[1][header.index("Progres (%)")] == "100,0"
    assert len(rows) == 26


def test_plain_csv_is_read_by_pandas_with_no_options(result):
    """Beside the CSV for Excel (title lines, ';', decimal comma): the table alone, which
    pandas.read_csv reads as it is, with the same rows, columns and figures."""
    import pandas as pd

    ind = result.indicators.copy()
    ind.loc[0, "notes"] = '=HYPERLINK("http://evil","klik")'
    ind.loc[1, "notes"] = 'catatan; dengan, koma dan "kutip"'
    table = indicator_table(ind)
    back = pd.read_csv(io.BytesIO(to_plain_csv_bytes(table)), dtype={"Kode": str})
    assert list(back.columns) == list(table.columns) and len(back) == len(table) == 25
    assert back["Progres (%)"].tolist() == table["Progres (%)"].tolist()
    assert back["Kode"].astype(str).tolist() == table["Kode"].astype(str).tolist()
    assert back["Keterangan"].iloc[0].startswith("'=")  # a formula stays text in a spreadsheet too
    assert back["Keterangan"].iloc[1] == 'catatan; dengan, koma dan "kutip"'


def test_file_names_carry_unit_year_and_date():
    """Two units' (or two years') downloads of the same table on the same date never share a name."""
    day = date(2025, 11, 20)
    a = export_name("tabel-zi", day, "csv", "KPU Kota Tasikmalaya Tahun 2025")
    assert a == "tabel-zi-kota-tasikmalaya-tahun-2025-posisi-2025-11-20.csv"
    assert a != export_name("tabel-zi", day, "csv", "KPU Kabupaten Garut Tahun 2025")
    assert a != export_name("tabel-zi", day, "csv", "KPU Kota Tasikmalaya Tahun 2026")
    assert export_name("semua-satker-2025", day, "xlsx") == "semua-satker-2025-posisi-2025-11-20.xlsx"


def test_xlsx_export_formatting_and_no_formulas(result):
    ind = result.indicators.copy()
    ind.loc[0, "notes"] = "=1+1"
    data = to_xlsx_bytes(indicator_table(ind), "Tabel", ["Judul", "Posisi per 15 November 2025"])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    header_row = 4
    headers = [c.value for c in ws[header_row]]
    assert headers[0] == "Kode" and ws.cell(header_row, 1).font.bold
    assert ws.freeze_panes == f"A{header_row + 1}"
    pcol = headers.index("Progres (%)") + 1
    assert ws.cell(header_row + 1, pcol).value == pytest.approx(1.0)
    assert "%" in ws.cell(header_row + 1, pcol).number_format
    ncol = headers.index("Keterangan") + 1
    cell = ws.cell(header_row + 1, ncol)
    assert cell.value == "=1+1" and cell.data_type == "s"
    assert ws.column_dimensions["C"].width > 10
    assert ws.max_row == header_row + 25
