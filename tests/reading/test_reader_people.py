"""The progress reader against spreadsheets built the way office staff really build them: where
the table sits.

Every file here is made by tests/builders.py: title rows above the header, a column-number
row, merged component and indicator cells, numbering columns, percent formats, codes typed as
numbers, CSV from Indonesian and English Excel.  Column names, matching and signature blocks:
test_reader_people_columns.py; the mistakes the validator must catch and the CLI:
test_reader_people_checks.py.
"""

from __future__ import annotations

from datetime import date, datetime

import builders as B
import pytest
from builders import CODES, COMPONENT, INDICATOR, Fmt
from reader_people_kit import (
    DISTINCT,
    assert_all_distinct,
    assert_clean,
    problems_text,
    progress_by_code,
    read,
    the_error,
)

from zi_dashboard.reading.plan import load_plan


@pytest.fixture(scope="module")
def plan():
    return load_plan()


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
