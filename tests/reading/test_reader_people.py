"""The progress reader against spreadsheets built the way office staff really build them.

Every file here is made by tests/builders.py: title rows above the header, a column-number
row, merged component and indicator cells, numbering columns, percent formats, codes typed as
numbers, CSV from Indonesian and English Excel, header names as people write them, signature
blocks under the table, and the mistakes the validator must catch.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import builders as B
import pytest
from builders import CODES, COMPONENT, INDICATOR, Fmt

from zi_dashboard.counting.metrics import compute
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.reading.sheets import UnreadableFile

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 11, 15)
# distinct progress per code (4, 8, ..., 100) so a row matched to the wrong code shows
DISTINCT = {c: float(4 * (i + 1)) for i, c in enumerate(CODES)}


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def read(plan, data: bytes, name: str):
    return read_progress(data, name, plan)


def progress_by_code(report) -> dict[str, float]:
    return report.rows.groupby("code")["progress"].mean().to_dict()


def indicator_progress(plan, report, as_of: date = AS_OF) -> dict[str, float]:
    res = compute(plan, report.rows, as_of)
    return dict(zip(res.indicators["code"], res.indicators["progress"], strict=False))


def problems_text(report) -> str:
    return "\n".join(f"[{p.level}] {p.text()}" for p in report.problems)


def assert_clean(report):
    """Valid: no errors (warnings are checked by the tests that expect none)."""
    assert report.valid, problems_text(report)
    assert report.errors == [], problems_text(report)


def assert_all_distinct(report):
    got = progress_by_code(report)
    assert got == pytest.approx(DISTINCT), problems_text(report)


def the_error(report):
    assert len(report.errors) == 1, problems_text(report)
    return report.errors[0]


# =============================================================================================
# 1. Header below title rows; a column-number row under the header
# =============================================================================================
def test_xlsx_header_below_title_rows_and_column_numbers(plan):
    rows = B.TITLE_ROWS + [[]] + B.standard_rows(DISTINCT)
    rows.insert(5, B.column_number_row(10))  # right under the header (sheet row 5)
    data = B.xlsx(rows, merges=["A1:J1", "A2:J2", "A3:J3"])
    report = read(plan, data, "laporan-progres.xlsx")
    assert_clean(report)
    assert report.warnings == [], problems_text(report)
    assert report.position_date == date(2025, 11, 15)
    assert report.sheet == "Progres"
    assert_all_distinct(report)
    rownum = dict(zip(report.rows["code"], report.rows["row"], strict=False))
    assert rownum["1.1"] == 7 and rownum["6.5"] == 31  # header 5, numbers 6, data 7..31
    assert len(report.rows) == 25


@pytest.mark.parametrize("style", ["plain", "text", "paren"])
def test_column_number_row_styles_are_not_data(plan, style):
    rows = B.TITLE_ROWS + B.standard_rows(DISTINCT)
    rows.insert(4, B.column_number_row(10, style))
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert 5 not in set(report.rows["row"])
    assert_all_distinct(report)


def test_xlsx_table_starting_at_b2_keeps_excel_row_numbers(plan):
    """Column A and row 1 left empty, as many people do: rows and columns still line up."""
    rows = B.TITLE_ROWS + [[]] + B.standard_rows(DISTINCT, default=0)
    rows[5 + CODES.index("2.3")][6] = "seratus"  # header at sheet row 6, 2.3 at row 6+7 = 13
    data = B.xlsx(rows, start_row=2, start_col=2)
    report = read(plan, data, "progres.xlsx")
    assert report.position_date == date(2025, 11, 15)
    err = the_error(report)
    assert (err.row, err.column) == (13, "Progres (%)")
    assert "seratus" in err.message
    ok = {c: v for c, v in DISTINCT.items() if c != "2.3"}
    assert progress_by_code(report) == pytest.approx(ok)


@pytest.mark.parametrize(
    "line, cells",
    [
        ("Posisi: 15 November 2025", None),
        ("Posisi per 15/11/2025", None),
        ("POSISI PER TANGGAL 15 Nopember 2025", None),
        ("Keadaan s.d. 15 Nov 2025", None),
        (None, ["Posisi per:", datetime(2025, 11, 15)]),
        (None, ["Posisi per:", "15-11-2025"]),
    ],
)
def test_position_date_from_title_rows(plan, line, cells):
    title = [line] if line else cells
    rows = [B.TITLE_ROWS[0], B.TITLE_ROWS[1], title, []] + B.standard_rows(DISTINCT)
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert report.position_date == date(2025, 11, 15)
    assert_all_distinct(report)


def test_csv_header_below_title_rows_and_column_numbers(plan):
    rows = [
        ["LAPORAN PROGRES ZONA INTEGRITAS"],
        ["KPU Kota Tasikmalaya"],
        ["Posisi per 15/11/2025"],
        [],
    ] + B.standard_rows(DISTINCT)
    rows.insert(5, B.column_number_row(10, "text"))
    report = read(plan, B.csv_bytes(rows, sep=";"), "progres.csv")
    assert_clean(report)
    assert report.position_date == date(2025, 11, 15)
    assert_all_distinct(report)
    assert dict(zip(report.rows["code"], report.rows["row"], strict=False))["1.1"] == 7


def test_workbook_with_instructions_sheet_first(plan):
    """A 'Petunjuk' sheet before the data sheet, and a 'Rekap' chart-data sheet after."""
    petunjuk = [["PETUNJUK PENGISIAN"], ["1. Isi kolom Progres (%) dengan angka 0-100"], ["2. Kode jangan diubah"]]
    rekap = [["Komponen", "Rata-rata"], ["Manajemen Perubahan", 50]]
    data = B.xlsx(
        B.TITLE_ROWS + B.standard_rows(DISTINCT),
        sheet="Progres Nov",
        before=[("Petunjuk", petunjuk)],
        after=[("Rekap", rekap)],
    )
    report = read(plan, data, "progres.xlsx")
    assert report.valid, problems_text(report)
    assert report.sheet == "Progres Nov"
    assert_all_distinct(report)


# =============================================================================================
# 2. Component merged down / blank after the first row; 'No' column; no code column
# =============================================================================================
NO_HEADER = ["No", "Komponen", "Indikator", "Rencana Aksi", "Target Waktu", "PIC", "Progres (%)"]


def _no_column_rows(no_style: str) -> list[list]:
    rows = []
    seen = []
    for c in CODES:
        comp = COMPONENT[c]
        first = comp not in seen
        if first:
            seen.append(comp)
        k = len(seen)
        no = (
            {"text": f"{k}.", "number": k, "roman": ["I", "II", "III", "IV", "V", "VI"][k - 1] + "."}[no_style]
            if first
            else None
        )
        rows.append([no, comp if first else None, INDICATOR[c], B.activity(c), B.TARGET[c], B.pic(c), DISTINCT[c]])
    return rows


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "blank"])
@pytest.mark.parametrize("no_style", ["text", "roman", "number"])
def test_component_merged_or_blank_with_no_column(plan, merged, no_style):
    body = _no_column_rows(no_style)
    rows = B.TITLE_ROWS + [NO_HEADER, B.column_number_row(7)] + body
    first = len(B.TITLE_ROWS) + 3  # sheet row of body[0]
    merges = (B.merge_runs(body, 1, first, "B") + B.merge_runs(body, 0, first, "A")) if merged else []
    report = read(plan, B.xlsx(rows, merges=merges), "progres.xlsx")
    assert_clean(report)
    assert report.warnings == [], problems_text(report)
    assert_all_distinct(report)


def test_running_number_column_typed_as_numbers(plan):
    """'No' holds 1, 2, ... 25 typed as numbers (not codes); rows are matched by indicator."""
    rows = [["No", "Komponen", "Indikator/Program", "Rencana Aksi", "Progres (%)"]]
    for i, c in enumerate(CODES, start=1):
        rows.append([i, COMPONENT[c], INDICATOR[c], B.activity(c), DISTINCT[c]])
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert_all_distinct(report)


def test_running_number_column_as_text(plan):
    rows = [["No.", "Indikator/Program", "Progres (%)"]]
    for i, c in enumerate(CODES, start=1):
        rows.append([f"{i}.", INDICATOR[c], DISTINCT[c]])
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert_all_distinct(report)


def test_component_heading_rows_between_indicators(plan):
    """Decree style: a component's name on its own row in the indicator column ('I. |
    MANAJEMEN PERUBAHAN', no progress), then its indicators numbered 1., 2., ..."""
    rows = [["No", "Indikator/Program", "Rencana Aksi", "Progres (%)"]]
    seen = []
    for c in CODES:
        if COMPONENT[c] not in seen:
            seen.append(COMPONENT[c])
            rows.append([["I", "II", "III", "IV", "V", "VI"][len(seen) - 1] + ".", COMPONENT[c].upper(), None, None])
        rows.append([c.split(".")[1] + ".", INDICATOR[c], B.activity(c), DISTINCT[c]])
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert report.warnings == [], problems_text(report)
    assert_all_distinct(report)


def test_component_heading_rows_carrying_their_average(plan):
    """As above, but each component row carries the average of its indicators (typed, or an
    =AVERAGE() whose cached value is read): it is a subtotal, not an unknown indicator, and
    it must not count as a row of any indicator."""
    rows = [["No", "Indikator/Program", "Progres (%)"]]
    seen = []
    for c in CODES:
        comp = COMPONENT[c]
        if comp not in seen:
            seen.append(comp)
            mine = [DISTINCT[x] for x in CODES if COMPONENT[x] == comp]
            rows.append([f"{len(seen)}.", comp, sum(mine) / len(mine)])
        rows.append([None, INDICATOR[c], DISTINCT[c]])
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert report.valid, problems_text(report)
    assert_all_distinct(report)
    assert len(report.rows) == 25


# =============================================================================================
# 3. Progress as people type it
# =============================================================================================
@pytest.mark.parametrize(
    "cell, expected",
    [
        (75, 75.0),
        (75.0, 75.0),
        ("75", 75.0),
        ("75%", 75.0),
        ("75 %", 75.0),
        ("75,5", 75.5),
        ("75,5%", 75.5),
        (Fmt(0.75, "0%"), 75.0),
        (Fmt(0.75, "0.0%"), 75.0),
        (Fmt(0.755, "0.0%"), 75.5),
        (Fmt(1, "0%"), 100.0),
        (0.75, 0.75),  # no percent format: read as it is
        (Fmt(0.75, "0.00"), 0.75),  # a number format, but not a percentage
    ],
)
def test_progress_cell_forms_xlsx(plan, cell, expected):
    vals = dict(DISTINCT)
    vals["2.2"] = cell
    report = read(plan, B.xlsx(B.standard_rows(vals)), "progres.xlsx")
    assert report.valid, problems_text(report)
    got = progress_by_code(report)
    assert got["2.2"] == pytest.approx(expected)
    others = {c: v for c, v in got.items() if c != "2.2"}
    assert others == pytest.approx({c: v for c, v in DISTINCT.items() if c != "2.2"})


def test_whole_percent_formatted_column(plan):
    vals = {c: Fmt(v / 100, "0%") for c, v in DISTINCT.items()}
    report = read(plan, B.xlsx(B.TITLE_ROWS + B.standard_rows(vals)), "progres.xlsx")
    assert_clean(report)
    assert_all_distinct(report)


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("75", 75.0),
        ("75%", 75.0),
        ("75,5", 75.5),
        ("75.5", 75.5),
        ("100", 100.0),
        ("0", 0.0),
    ],
)
def test_progress_cell_forms_csv(plan, cell, expected):
    vals = dict(DISTINCT)
    vals["2.2"] = cell
    report = read(plan, B.csv_bytes(B.standard_rows(vals), sep=";"), "progres.csv")
    assert report.valid, problems_text(report)
    assert progress_by_code(report)["2.2"] == pytest.approx(expected)


# =============================================================================================
# 4. Codes typed as numbers
# =============================================================================================
def test_codes_typed_as_numbers(plan):
    rows = B.standard_rows(DISTINCT, code_cell=float)
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert_all_distinct(report)
    assert set(report.rows["code"]) == set(CODES)
    assert progress_by_code(report)["1.4"] == DISTINCT["1.4"]


@pytest.mark.parametrize("typed", [1.4, "1.4", " 1.4 ", "1.4."])
def test_code_1_4_in_its_forms(plan, typed):
    rows = [["Kode", "Progres (%)"]] + [[typed if c == "1.4" else c, DISTINCT[c]] for c in CODES]
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert progress_by_code(report)["1.4"] == DISTINCT["1.4"]


def test_csv_codes_exported_from_indonesian_excel(plan):
    """Codes typed as numbers, saved as CSV by Excel in Indonesian settings: 1.4 -> '1,4'."""
    rows = [["Kode", "Indikator/Program", "Progres (%)"]]
    rows += [[c.replace(".", ","), INDICATOR[c], DISTINCT[c]] for c in CODES]
    report = read(plan, B.csv_bytes(rows, sep=";"), "progres.csv")
    assert_clean(report)
    assert set(report.rows["code"]) == set(CODES)
    assert_all_distinct(report)


def test_csv_only_codes_exported_from_indonesian_excel(plan):
    """As above with no indicator column to fall back on."""
    rows = [["Kode", "Progres (%)"]] + [[c.replace(".", ","), DISTINCT[c]] for c in CODES]
    report = read(plan, B.csv_bytes(rows, sep=";"), "progres.csv")
    assert_clean(report)
    assert_all_distinct(report)


# =============================================================================================
# 5. CSV as Excel and by hand
# =============================================================================================
TRICKY_ACTION = 'Menyusun SK; membentuk tim, "agen perubahan"'
TRICKY_NOTE = "Menunggu rapat pleno – jadwal 20 Nov (Ketua)"


@pytest.mark.parametrize("crlf", [True, False], ids=["crlf", "lf"])
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "nobom"])
@pytest.mark.parametrize(
    "sep, decimal",
    [(";", ","), (",", ","), (",", "."), ("\t", ",")],
    ids=["semicolon", "comma-decimalcomma", "comma-decimaldot", "tab"],
)
def test_csv_dialects(plan, sep, decimal, bom, crlf):
    vals = dict(DISTINCT)
    vals["1.3"] = 62.5
    vals["5.5"] = 33.3
    rows = B.TITLE_ROWS + B.standard_rows(vals)
    r13 = len(B.TITLE_ROWS) + 1 + CODES.index("1.3")
    rows[r13][3] = TRICKY_ACTION
    rows[r13][9] = TRICKY_NOTE
    data = B.csv_bytes(rows, sep=sep, decimal=decimal, bom=bom, crlf=crlf)
    report = read(plan, data, "progres.csv")
    assert_clean(report)
    assert report.position_date == date(2025, 11, 15)
    got = progress_by_code(report)
    assert got["1.3"] == pytest.approx(62.5)
    assert got["5.5"] == pytest.approx(33.3)
    assert got["6.5"] == pytest.approx(100.0)
    row = report.rows.set_index("code").loc["1.3"]
    assert row["activity"] == TRICKY_ACTION
    assert row["notes"] == TRICKY_NOTE
    assert row["row"] == r13 + 1
    assert len(report.rows) == 25


def test_csv_not_padded_title_lines(plan):
    """Hand-made CSV: title lines without trailing separators, and a signature line
    with a comma, in a ';' file where every progress has a decimal comma."""
    vals = {c: v + 0.5 if v < 100 else 100.0 for c, v in DISTINCT.items()}
    rows = B.TITLE_ROWS + B.standard_rows(vals) + [[], ["Tasikmalaya, 15 November 2025"], ["Ketua Tim ZI"]]
    data = B.csv_bytes(rows, sep=";", pad=False)
    report = read(plan, data, "progres.csv")
    assert_clean(report)
    assert progress_by_code(report) == pytest.approx(vals)


def test_csv_quoted_field_with_line_break(plan):
    """Alt+Enter inside a cell: the quoted field spans two lines; later rows still match."""
    rows = B.standard_rows(DISTINCT)
    rows[1 + CODES.index("1.2")][9] = "Baris pertama\r\nbaris kedua; masih sel yang sama"
    report = read(plan, B.csv_bytes(rows, sep=";"), "progres.csv")
    assert_clean(report)
    assert_all_distinct(report)
    notes = report.rows.set_index("code").loc["1.2", "notes"]
    assert "Baris pertama" in notes and "baris kedua; masih sel yang sama" in notes


def test_csv_windows_1252(plan):
    """Saved as 'CSV (Comma delimited)' by an older Excel: cp1252, not UTF-8."""
    rows = B.standard_rows(DISTINCT)
    rows[1][9] = "Sudah – selesai ‘final’"
    report = read(plan, B.csv_bytes(rows, sep=";", encoding="cp1252"), "progres.csv")
    assert_clean(report)
    assert_all_distinct(report)
    assert report.rows.set_index("code").loc["1.1", "notes"] == "Sudah – selesai ‘final’"


# =============================================================================================
# 6. Header names as people write them
# =============================================================================================
HEADER_SETS = {
    "decree-slashes": [
        "Kode",
        "Komponen",
        "Indikator/Program",
        "Rencana Aksi/Kegiatan",
        "Target Waktu",
        "PIC/Penanggung Jawab",
        "Progres (%)",
        "Status",
        "Bukti Dukung/Eviden",
        "Keterangan/Kendala",
    ],
    "upper": [
        "NO",
        "KOMPONEN",
        "INDIKATOR",
        "KEGIATAN",
        "TARGET WAKTU",
        "PENANGGUNG JAWAB",
        "PROGRESS",
        "STATUS",
        "EVIDEN",
        "CATATAN",
    ],
    "lower-spaces": [
        "  kode  ",
        "komponen",
        "program",
        "rencana   aksi",
        "target  waktu",
        " pic ",
        "Capaian (%)",
        "status",
        "link",
        "kendala",
    ],
    "realisasi": [
        "Kode/No",
        "Komponen",
        "Indikator / Program",
        "Kegiatan",
        "Target Waktu",
        "Penanggung Jawab",
        "Realisasi",
        "Status",
        "Bukti  Dukung",
        "Keterangan",
    ],
    "persentase": [
        "No.",
        "Komponen",
        "Indikator",
        "Rencana Aksi",
        "Target Waktu",
        "PIC",
        "Persentase (%)",
        "Status",
        "Link Bukti Dukung",
        "Ket.",
    ],
    "nospace-pct": [
        "Kode",
        "Komponen",
        "Indikator/Program",
        "Rencana Aksi",
        "Target Waktu",
        "PIC",
        "PROGRES(%)",
        "Status",
        "Eviden",
        "Catatan",
    ],
    "spaced-pct": [
        "Kode",
        "Komponen",
        "Indikator/Program",
        "Rencana Aksi",
        "Target Waktu",
        "PIC",
        "Progress ( % )",
        "Status",
        "Bukti Dukung",
        "Keterangan",
    ],
    "capaian": [
        "KODE",
        "Komponen",
        "Indikator/Program",
        "Rencana Aksi",
        "Target Waktu",
        "Penanggung jawab",
        "capaian",
        "Status",
        "LINK",
        "Keterangan",
    ],
    "realisasi-pct": [
        "Kode",
        "Komponen",
        "Indikator/Program",
        "Rencana Aksi",
        "Target Waktu",
        "PIC",
        "Realisasi (%)",
        "Status",
        "Bukti Dukung",
        "Keterangan",
    ],
    "persentase-plain": [
        "Kode",
        "Komponen",
        "Indikator/Program",
        "Rencana Aksi",
        "Target Waktu",
        "PIC",
        "Persentase",
        "Status",
        "Bukti Dukung",
        "Keterangan",
    ],
    "progres-pct-sign": [
        "Kode",
        "Komponen",
        "Indikator/Program",
        "Rencana Aksi",
        "Target Waktu",
        "PIC",
        "Progres %",
        "Status",
        "Bukti Dukung",
        "Keterangan",
    ],
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("key", list(HEADER_SETS))
def test_header_names_as_people_write_them(plan, key, fmt):
    header = HEADER_SETS[key]
    rows = B.TITLE_ROWS + B.standard_rows(DISTINCT, header=header)
    data = B.xlsx(rows) if fmt == "xlsx" else B.csv_bytes(rows, sep=";")
    report = read(plan, data, f"progres.{fmt}")
    assert_clean(report)
    assert_all_distinct(report)
    assert report.columns["progress"] == header[6].strip()
    for f, i in [("pic", 5), ("status", 7), ("evidence", 8), ("notes", 9), ("action", 3)]:
        assert f in report.columns, (f, report.columns)
        assert report.columns[f] == header[i].strip()
    r = report.rows.set_index("code").loc["3.1"]
    assert r["activity"] == B.activity("3.1")
    assert r["pic"] == B.pic("3.1")
    assert r["evidence"] == B.evidence("3.1")
    assert r["notes"] == B.note("3.1")


def test_status_column_read_as_reported(plan):
    rows = B.standard_rows(DISTINCT)
    rows[1][7] = "Selesai"
    rows[2][7] = "Dalam proses"
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    st = report.rows.set_index("code")["status_reported"]
    assert st["1.1"] == "Selesai" and st["1.2"] == "Dalam proses" and st["1.3"] == ""


# =============================================================================================
# 7. Only an identifier and a progress column
# =============================================================================================
def test_only_code_and_progress_xlsx(plan):
    rows = [["Kode", "Progres"]] + [[c, DISTINCT[c]] for c in CODES]
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert report.warnings == [], problems_text(report)
    assert_all_distinct(report)


def test_only_indicator_and_progress_csv(plan):
    rows = [["Indikator", "Capaian (%)"]] + [[INDICATOR[c], DISTINCT[c]] for c in CODES]
    report = read(plan, B.csv_bytes(rows, sep=",", decimal="."), "progres.csv")
    assert_clean(report)
    assert_all_distinct(report)


def test_only_no_and_realisasi_with_title(plan):
    rows = [["Progres ZI per 15 November 2025"], [], ["No", "Realisasi (%)"]]
    rows += [[float(c), Fmt(DISTINCT[c] / 100, "0%")] for c in CODES]
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert_all_distinct(report)


# =============================================================================================
# 8. Matching by indicator name; several rows for one indicator
# =============================================================================================
ODD_NAMES = {
    "1.1": "  penyusunan TIM kerja. ",
    "2.2": "spbe",
    "3.5": "PENEGAKAN DISIPLIN / KODE ETIK",
    "4.1": "Keterlibatan  Pimpinan:",
    "5.4": "Whistle-Blowing  System",
    "6.3": "pengelolaan pengaduan ",
    "6.4": "Penilaian Kepuasan Masyarakat!",
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_match_by_indicator_name_ignoring_case_spacing_punctuation(plan, fmt):
    rows = [["Indikator/Program", "Rencana Aksi", "Progres (%)"]]
    rows += [[ODD_NAMES.get(c, INDICATOR[c]), B.activity(c), DISTINCT[c]] for c in CODES]
    data = B.xlsx(rows) if fmt == "xlsx" else B.csv_bytes(rows, sep=";")
    report = read(plan, data, f"progres.{fmt}")
    assert_clean(report)
    assert report.warnings == [], problems_text(report)
    assert_all_distinct(report)


def _sub_activity_rows(merged: bool) -> tuple[list[list], list[str]]:
    """Indicator | Kegiatan | Progres; 1.3 twice (80, 40) and 5.2 three times (30, 60, 90)
    with the name only on the first row (merged down, or just left blank); 3.3 three times
    (100, 50, 0) with the name repeated on every row."""
    subs = {"1.3": [80, 40], "3.3": [100, 50, 0], "5.2": [30, 60, 90]}
    rows = [["Indikator/Program", "Kegiatan", "Progres (%)"]]
    merges = []
    for c in CODES:
        values = subs.get(c, [DISTINCT[c]])
        first_row = len(rows) + 1
        for j, v in enumerate(values):
            name = INDICATOR[c] if (j == 0 or c == "3.3") else None
            rows.append([name, f"Sub-kegiatan {c}.{j + 1}", v])
        if c in ("1.3", "5.2") and merged:
            merges.append(f"A{first_row}:A{first_row + len(values) - 1}")
    return rows, merges


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "blank"])
def test_sub_activities_mean_per_indicator(plan, merged):
    rows, merges = _sub_activity_rows(merged)
    report = read(plan, B.xlsx(rows, merges=merges), "progres.xlsx")
    assert_clean(report)
    counts = report.rows["code"].value_counts()
    assert (counts["1.3"], counts["3.3"], counts["5.2"], counts["1.1"]) == (2, 3, 3, 1)
    ind = indicator_progress(plan, report)
    assert ind["1.3"] == pytest.approx(60.0)
    assert ind["3.3"] == pytest.approx(50.0)
    assert ind["5.2"] == pytest.approx(60.0)
    assert ind["1.1"] == pytest.approx(DISTINCT["1.1"])
    assert ind["1.4"] == pytest.approx(DISTINCT["1.4"])
    activities = list(report.rows.loc[report.rows["code"] == "5.2", "activity"])
    assert activities == ["Sub-kegiatan 5.2.1", "Sub-kegiatan 5.2.2", "Sub-kegiatan 5.2.3"]


def test_sub_activities_blank_indicator_csv(plan):
    rows, _ = _sub_activity_rows(False)
    report = read(plan, B.csv_bytes(rows, sep=";"), "progres.csv")
    assert_clean(report)
    ind = indicator_progress(plan, report)
    assert (ind["1.3"], ind["3.3"], ind["5.2"]) == pytest.approx((60.0, 50.0, 60.0))


@pytest.mark.parametrize("code_cell", ["repeated", "merged"])
def test_sub_activities_by_code(plan, code_cell):
    rows = [["Kode", "Indikator/Program", "Kegiatan", "Progres (%)"]]
    merges = []
    for c in CODES:
        values = [20, 70] if c == "4.2" else [DISTINCT[c]]
        first_row = len(rows) + 1
        for j, v in enumerate(values):
            show = j == 0 or code_cell == "repeated"
            rows.append([c if show else None, INDICATOR[c] if show else None, f"Sub {j + 1}", v])
        if len(values) > 1 and code_cell == "merged":
            merges += [f"A{first_row}:A{first_row + 1}", f"B{first_row}:B{first_row + 1}"]
    report = read(plan, B.xlsx(rows, merges=merges), "progres.xlsx")
    assert_clean(report)
    ind = indicator_progress(plan, report)
    assert ind["4.2"] == pytest.approx(45.0)
    assert ind["4.1"] == pytest.approx(DISTINCT["4.1"])
    assert ind["5.1"] == pytest.approx(DISTINCT["5.1"])


# =============================================================================================
# 9. Signature blocks and notes below the table
# =============================================================================================
def _with_signature(rows: list[list], col: int, width: int = 10) -> tuple[list[list], int]:
    out = [list(r) for r in rows] + [[]]
    first = len(out) + 1  # sheet row of the signature's first line
    for line in B.SIGNATURE:
        r = [None] * width
        r[col] = line or None
        out.append(r)
    return out, first


@pytest.mark.parametrize(
    "col", [0, 2, 5, 6, 9], ids=["code-col", "indicator-col", "pic-col", "progress-col", "notes-col"]
)
def test_signature_block_below_table(plan, col):
    rows = B.TITLE_ROWS + B.standard_rows(DISTINCT)
    rows, first = _with_signature(rows, col)
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert [p.text() for p in report.problems if p.row and p.row >= first] == []
    assert report.warnings == [], problems_text(report)
    assert len(report.rows) == 25
    assert_all_distinct(report)


@pytest.mark.parametrize("col", [0, 2], ids=["indicator-col", "progress-col"])
def test_signature_block_below_name_only_table(plan, col):
    rows = [["Indikator/Program", "Keterangan", "Progres (%)"]]
    rows += [[INDICATOR[c], "", DISTINCT[c]] for c in CODES]
    rows, first = _with_signature(rows, col, width=3)
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert report.warnings == [], problems_text(report)
    assert_all_distinct(report)


def test_notes_and_two_signatures_below_table(plan):
    rows = (
        B.TITLE_ROWS
        + B.standard_rows(DISTINCT)
        + [
            [],
            ["Catatan:"],
            ["1. Progres diisi oleh masing-masing PIC"],
            ["*) data sementara, menunggu rapat pleno"],
            [],
            [None, None, "Mengetahui,", None, None, None, None, "Tasikmalaya, 15 November 2025"],
            [None, None, "Sekretaris KPU Kota Tasikmalaya", None, None, None, None, "Ketua Tim ZI"],
            [None, None, "ttd", None, None, None, None, "ttd"],
            [None, None, "Dra. Hj. Nina Marlina", None, None, None, None, "Asep Saepudin"],
        ]
    )
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert_clean(report)
    assert report.warnings == [], problems_text(report)
    assert_all_distinct(report)


def test_signature_below_csv(plan):
    rows = B.standard_rows(DISTINCT) + [
        [],
        [None, None, None, None, None, None, "Tasikmalaya, 15 November 2025"],
        [None] * 6 + ["Ketua Tim ZI"],
        [None] * 6 + ["ttd"],
        [None] * 6 + ["Asep Saepudin"],
    ]
    report = read(plan, B.csv_bytes(rows, sep=";"), "progres.csv")
    assert_clean(report)
    assert report.warnings == [], problems_text(report)
    assert_all_distinct(report)


# =============================================================================================
# 10. Validation
# =============================================================================================
DATA_ROW0 = len(B.TITLE_ROWS) + 2 + 1  # titles, header, column numbers -> first data sheet row


def _titled(values: dict, **kw) -> list[list]:
    rows = B.TITLE_ROWS + B.standard_rows(values, **kw)
    rows.insert(len(B.TITLE_ROWS) + 1, B.column_number_row(10))
    return rows


def sheet_row(code: str) -> int:
    return DATA_ROW0 + CODES.index(code)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_progress_not_a_number(plan, fmt):
    vals = dict(DISTINCT, **{"2.3": "seratus"})
    rows = _titled(vals)
    data = B.xlsx(rows) if fmt == "xlsx" else B.csv_bytes(rows)
    report = read(plan, data, f"progres.{fmt}")
    assert not report.valid
    err = the_error(report)
    assert err.row == sheet_row("2.3") == 12
    assert err.column == "Progres (%)"
    assert "seratus" in err.message
    assert "2.3" not in set(report.rows["code"])


@pytest.mark.parametrize("value", [150, "150", "150%", Fmt(1.5, "0%"), -5])
def test_progress_out_of_range(plan, value):
    vals = dict(DISTINCT, **{"4.1": value})
    report = read(plan, B.xlsx(_titled(vals)), "progres.xlsx")
    assert not report.valid
    err = the_error(report)
    assert (err.row, err.column) == (sheet_row("4.1"), "Progres (%)")
    assert ("150" if value != -5 else "5") in err.message
    assert "0–100" in err.message or "0-100" in err.message


def test_unknown_indicator_name_suggests_closest(plan):
    rows = [["Indikator/Program", "Progres (%)"]]
    rows += [["Pengendalian Grativikasi" if c == "5.1" else INDICATOR[c], DISTINCT[c]] for c in CODES]
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert not report.valid
    err = the_error(report)
    assert err.row == 2 + CODES.index("5.1")
    assert err.column == "Indikator/Program"
    assert "Grativikasi" in err.message
    assert "Pengendalian Gratifikasi" in err.message
    assert "5.1" in err.message


def test_unknown_indicator_among_sub_activities_does_not_cascade(plan):
    """A misspelt indicator with sub-activity rows under it (blank indicator cells): one error,
    and the rows under it are not blamed on the previous indicator."""
    rows = [["Indikator/Program", "Kegiatan", "Progres (%)"]]
    for c in CODES:
        if c == "3.2":
            rows += [["Pola Mutasi Internl", "a", 10], [None, "b", 20]]
        else:
            rows.append([INDICATOR[c], "x", DISTINCT[c]])
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    err = the_error(report)
    assert "Pola Mutasi Internal" in err.message and err.row == 2 + CODES.index("3.2")
    assert progress_by_code(report)["3.1"] == DISTINCT["3.1"]
    assert list(report.rows["code"]).count("3.1") == 1


def test_unknown_code(plan):
    rows = _titled(DISTINCT, code_cell=float)
    rows.append([9.9, "Komponen Lain", "Kegiatan Tambahan", "x", "Desember 2025", "PIC", 50, "", "", ""])
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert not report.valid
    err = the_error(report)
    assert err.row == len(rows)
    assert err.column == "Kode"
    assert "9.9" in err.message


def test_indicator_not_mentioned_is_a_warning_and_zero(plan):
    codes = [c for c in CODES if c != "4.2"]
    rows = B.standard_rows(DISTINCT, codes=codes)
    report = read(plan, B.xlsx(rows), "progres.xlsx")
    assert report.valid, problems_text(report)
    missing = [w for w in report.warnings if "belum dilaporkan" in w.message]
    assert len(missing) == 1 and "4.2" in missing[0].message
    assert INDICATOR["4.2"] in missing[0].message
    assert indicator_progress(plan, report)["4.2"] == 0.0
    assert indicator_progress(plan, report)["4.1"] == DISTINCT["4.1"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_blank_progress_is_a_warning_and_zero(plan, fmt):
    vals = dict(DISTINCT, **{"3.4": None})
    rows = _titled(vals)
    data = B.xlsx(rows) if fmt == "xlsx" else B.csv_bytes(rows)
    report = read(plan, data, f"progres.{fmt}")
    assert report.valid, problems_text(report)
    assert len(report.warnings) == 1, problems_text(report)
    w = report.warnings[0]
    assert (w.row, w.column) == (sheet_row("3.4"), "Progres (%)")
    assert "belum dilaporkan" not in w.message
    assert "3.4" in set(report.rows["code"])
    assert indicator_progress(plan, report)["3.4"] == 0.0


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_blank_progress_on_last_row_of_name_only_file(plan, fmt):
    """The last indicator is in the file with its progress cell left empty: it is a blank
    progress (warning on its row), not an indicator the file does not mention."""
    rows = [["Indikator/Program", "PIC", "Progres (%)"]]
    rows += [[INDICATOR[c], B.pic(c), None if c == "6.5" else DISTINCT[c]] for c in CODES]
    data = B.xlsx(rows) if fmt == "xlsx" else B.csv_bytes(rows)
    report = read(plan, data, f"progres.{fmt}")
    assert report.valid, problems_text(report)
    assert len(report.warnings) == 1, problems_text(report)
    w = report.warnings[0]
    assert (w.row, w.column) == (26, "Progres (%)"), problems_text(report)
    assert "6.5" in set(report.rows["code"])


def test_file_with_errors_is_invalid(plan):
    vals = dict(DISTINCT, **{"1.2": "seratus", "6.1": 150, "6.2": None})
    report = read(plan, B.xlsx(_titled(vals)), "progres.xlsx")
    assert not report.valid
    assert sorted((e.row, e.column) for e in report.errors) == [
        (sheet_row("1.2"), "Progres (%)"),
        (sheet_row("6.1"), "Progres (%)"),
    ]
    row_warnings = [(w.row, w.column) for w in report.warnings if "belum dilaporkan" not in w.message]
    assert row_warnings == [(sheet_row("6.2"), "Progres (%)")]


def test_row_with_an_error_is_not_called_unreported(plan):
    """2.3 is in the file with a wrong progress: one error on its row, and no second message
    saying the file does not mention 2.3 ('belum dilaporkan: dihitung 0%')."""
    vals = dict(DISTINCT, **{"2.3": "seratus"})
    report = read(plan, B.xlsx(_titled(vals)), "progres.xlsx")
    assert len(report.errors) == 1
    assert [w.message for w in report.warnings if "2.3" in w.message] == []


def test_header_not_found_is_an_error_not_a_crash(plan):
    rows = [["Nama Pegawai", "Jabatan"], ["Asep", "Ketua"]]
    report = read(plan, B.xlsx(rows), "pegawai.xlsx")
    assert not report.valid
    assert len(report.errors) == 1
    assert "Nama Pegawai" in report.errors[0].message


@pytest.mark.parametrize(
    "data, name",
    [
        (B.garbage_bytes(), "progres.xlsx"),
        (B.docx_like_bytes(), "progres.xlsx"),
        (B.pdf_bytes(), "progres.xlsx"),
        (b"", "progres.csv"),
    ],
)
def test_unreadable_raises(plan, data, name):
    with pytest.raises(UnreadableFile):
        read(plan, data, name)


# =============================================================================================
# 11. The check worked by hand (docs/counting.md, "A check worked by hand")
# =============================================================================================
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_worked_check(plan, fmt):
    rows = _titled({"1.1": 100}, default=0)
    data = B.xlsx(rows) if fmt == "xlsx" else B.csv_bytes(rows)
    report = read(plan, data, f"progres.{fmt}")
    assert_clean(report)
    res = compute(plan, report.rows, AS_OF)
    assert round(res.overall_completion, 1) == 4.0
    assert round(res.overall_planned, 1) == 54.8
    overdue = res.overdue
    assert list(overdue["code"]) == ["1.2"]
    assert int(overdue.iloc[0]["days_overdue"]) == 15
    comp = res.components.set_index("name").loc["Manajemen Perubahan"]
    assert round(comp["completion"], 1) == 25.0
    assert round(comp["planned"], 1) == 75.0
    ind = res.indicators.set_index("code")
    assert round(ind.loc["6.4", "planned"], 1) == 69.9
    assert round(ind.loc["2.1", "planned"], 1) == 50.0
    assert ind.loc["2.1", "status"] == "Tertinggal"
    assert ind.loc["1.1", "status"] == "Selesai"
    assert ind.loc["1.2", "status"] == "Terlambat"


# =============================================================================================
# 12. The CLI
# =============================================================================================
def run_cli(*args: str) -> tuple[int, dict | None, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "check", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    payload = json.loads(proc.stdout) if "--json" in args else None
    return proc.returncode, payload, proc.stdout, proc.stderr


def test_cli_valid_worked_check(tmp_path):
    path = tmp_path / "progres nov.xlsx"
    path.write_bytes(B.xlsx(_titled({"1.1": 100})))
    code, out, _, _ = run_cli(str(path), "--as-of", "2025-11-15", "--json")
    assert code == 0
    assert out["valid"] is True and out["errors"] == []
    assert out["as_of"] == "2025-11-15"
    assert out["overall_completion"] == 4.0
    assert out["overall_planned"] == 54.8
    assert [(o["code"], o["days_overdue"]) for o in out["overdue"]] == [("1.2", 15)]
    comp = {c["name"]: c for c in out["components"]}["Manajemen Perubahan"]
    assert (comp["completion"], comp["planned"]) == (25.0, 75.0)
    ind = {i["code"]: i for i in out["indicators"]}
    assert ind["6.4"]["planned"] == 69.9 and len(ind) == 25


def test_cli_valid_csv_text_mode(tmp_path):
    path = tmp_path / "progres.csv"
    path.write_bytes(B.csv_bytes(B.TITLE_ROWS + B.standard_rows(DISTINCT), sep=";", bom=True))
    code, _, stdout, stderr = run_cli(str(path), "--as-of", "2025-11-15")
    assert code == 0, stdout + stderr
    assert "15 November 2025" in stdout


def test_cli_invalid_file(tmp_path):
    path = tmp_path / "progres.xlsx"
    path.write_bytes(B.xlsx(_titled(dict(DISTINCT, **{"2.3": "seratus"}))))
    code, out, _, _ = run_cli(str(path), "--as-of", "2025-11-15", "--json")
    assert code == 1
    assert out["valid"] is False
    assert len(out["errors"]) == 1
    e = out["errors"][0]
    assert (e["row"], e["column"]) == (12, "Progres (%)") and "seratus" in e["message"]
    assert out["overall_completion"] is None and out["indicators"] == []


def test_cli_warning_only_file_is_valid(tmp_path):
    path = tmp_path / "progres.csv"
    rows = B.standard_rows(dict(DISTINCT, **{"3.4": None}), codes=[c for c in CODES if c != "4.2"])
    path.write_bytes(B.csv_bytes(rows, sep=","))
    code, out, _, _ = run_cli(str(path), "--as-of", "2025-11-15", "--json")
    assert code == 0
    assert out["valid"] is True
    assert len(out["warnings"]) == 2
    assert any("belum dilaporkan" in w["message"] and "4.2" in w["message"] for w in out["warnings"])
    ind = {i["code"]: i for i in out["indicators"]}
    assert ind["4.2"]["progress"] == 0.0 and ind["3.4"]["progress"] == 0.0


@pytest.mark.parametrize(
    "data, name",
    [
        (B.pdf_bytes(compressed=True), "laporan.txt"),
        (B.pdf_bytes(compressed=False), "laporan.txt"),
        (B.pdf_bytes(compressed=True), "laporan.csv"),
        (B.pdf_bytes(compressed=True), "laporan.xlsx"),
        (B.garbage_bytes(), "progres.xlsx"),
        (B.docx_like_bytes(), "progres.xlsx"),
        (b"", "kosong.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "lama.xls"),
    ],
    ids=[
        "pdf-as-txt",
        "text-pdf-as-txt",
        "pdf-as-csv",
        "pdf-as-xlsx",
        "garbage-as-xlsx",
        "docx-as-xlsx",
        "empty-csv",
        "legacy-xls",
    ],
)
def test_cli_unreadable(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    code, out, _, _ = run_cli(str(path), "--as-of", "2025-11-15", "--json")
    assert code == 2
    assert out["valid"] is False
    assert len(out["errors"]) == 1 and out["errors"][0]["message"]
    assert out["indicators"] == [] and out["overall_completion"] is None


def test_cli_truncated_xlsx(tmp_path):
    good = B.xlsx(B.standard_rows(DISTINCT))
    path = tmp_path / "terpotong.xlsx"
    path.write_bytes(good[: len(good) // 2])
    code, out, _, _ = run_cli(str(path), "--json")
    assert code == 2 and len(out["errors"]) == 1


def test_cli_missing_file(tmp_path):
    path = tmp_path / "tidak-ada.xlsx"
    code, out, _, _ = run_cli(str(path), "--json")
    assert code == 2
    assert out["valid"] is False and len(out["errors"]) == 1
    assert "tidak-ada.xlsx" in out["errors"][0]["message"]
    code, _, stdout, stderr = run_cli(str(path))
    assert code == 2 and "tidak-ada.xlsx" in stderr
