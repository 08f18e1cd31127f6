"""The progress reader against office-made spreadsheets: header names as people write them, a
file with only an identifier and progress, indicators matched by name, several rows for one
indicator, signature blocks and notes below the table (files made by tests/builders.py).
"""

from __future__ import annotations

import builders as B
import pytest
from builders import CODES, INDICATOR, Fmt
from reader_people_kit import DISTINCT, assert_all_distinct, assert_clean, indicator_progress, problems_text, read

from zi_dashboard.reading.plan import load_plan


@pytest.fixture(scope="module")
def plan():
    return load_plan()


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
