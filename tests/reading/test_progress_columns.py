"""Sheets kept for the whole year with a progress column per month or quarter, next to target
and deviation columns: each row's progress is the latest period filled for it that does not
start after the position date, the report names the columns used, and a sheet whose progress
column cannot be told is refused with the candidates named (Unggah lets the editor pick one).

The files are built like office sheets: title rows, merged component cells, percent formats."""

from __future__ import annotations

from datetime import date

import builders as B
import pytest
from builders import CODES, COMPONENT, INDICATOR, Fmt

from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress

MONTHS = ["Realisasi Oktober (%)", "Realisasi November (%)", "Realisasi Desember (%)"]
# per code: (Oktober, November, Desember) in percent; None = left empty for that month
FILLED = {}
for i, c in enumerate(CODES):
    octo = float(10 + i)
    nov = float(30 + i) if i % 5 != 0 else None  # every fifth row has no November figure
    dec = float(60 + i) if i % 3 == 0 else None  # every third row has a December figure
    FILLED[c] = (octo, nov, dec)


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def latest(code: str, usable: int) -> tuple[float, int]:
    """What the rule gives: the latest of the first `usable` months filled for the row."""
    for k in range(usable - 1, -1, -1):
        if FILLED[code][k] is not None:
            return FILLED[code][k], k
    return 0.0, -1


def monthly_sheet(title: str | None, heads=MONTHS) -> bytes:
    header = ["No", "Kode", "Komponen", "Indikator", "Target Waktu", "Target (%)", *heads, "Deviasi (%)", "Keterangan"]
    body = []
    for n, c in enumerate(CODES, start=1):
        months = [Fmt(v / 100, "0.0%") if v is not None else None for v in FILLED[c]]
        body.append(
            [n, c, COMPONENT[c], INDICATOR[c], B.TARGET[c], Fmt(1.0, "0%"), *months, Fmt(-0.05, "0.0%"), f"catatan {c}"]
        )
    titles = [["REALISASI RENCANA KERJA ZONA INTEGRITAS TAHUN 2025"], ["KPU Kota Tasikmalaya"]]
    if title:
        titles.append([title])
    titles.append([])
    rows = titles + [header] + body
    first = len(titles) + 2
    component_col = [r[2] for r in body]
    merged_body = [[v if i == 0 or v != component_col[i - 1] else None] for i, v in enumerate(component_col)]
    return B.xlsx(rows, merges=B.merge_runs(merged_body, 0, first, "C"))


def test_monthly_columns_take_the_latest_month_filled_up_to_the_position(plan):
    report = read_progress(monthly_sheet("Posisi: 15 Desember 2025"), "realisasi.xlsx", plan)
    assert report.valid, [p.text() for p in report.errors]
    got = dict(zip(report.rows["code"], report.rows["progress"], strict=True))
    for c in CODES:
        assert got[c] == pytest.approx(latest(c, 3)[0]), c
    # never the first month, never the target column
    assert got["1.1"] == 60.0 and got["1.2"] == 31.0 and got["2.2"] == 15.0  # 2.2: no November, no December
    used = [p for p in report.problems if p.code == "progress_columns_used"]
    assert len(used) == 1
    n_dec = sum(1 for c in CODES if latest(c, 3)[1] == 2)
    n_nov = sum(1 for c in CODES if latest(c, 3)[1] == 1)
    assert f"'Realisasi Desember (%)' ({n_dec} baris)" in used[0].message
    assert f"'Realisasi November (%)' ({n_nov} baris)" in used[0].message
    assert report.progress_sources == {
        h: n for h, n in zip(MONTHS, [25 - n_dec - n_nov, n_nov, n_dec], strict=True) if n
    }
    assert report.position_date == date(2025, 12, 15)
    assert "Target (%)" not in report.progress_columns and "Deviasi (%)" not in report.progress_columns


def test_a_month_after_the_position_date_is_not_used(plan):
    report = read_progress(monthly_sheet("Posisi: 20 November 2025"), "realisasi.xlsx", plan)
    assert report.valid
    got = dict(zip(report.rows["code"], report.rows["progress"], strict=True))
    for c in CODES:
        assert got[c] == pytest.approx(latest(c, 2)[0]), c
    used = next(p for p in report.problems if p.code == "progress_columns_used")
    assert "tidak dipakai: 'Realisasi Desember (%)'" in used.message


def test_no_position_date_takes_the_end_of_the_latest_filled_period_and_says_so(plan):
    report = read_progress(monthly_sheet(None), "realisasi.xlsx", plan)
    assert report.valid
    assert report.position_date == date(2025, 12, 31)
    note = next(p for p in report.problems if p.code == "position_from_columns")
    assert "Realisasi Desember (%)" in note.message and "31 Desember 2025" in note.message


def test_short_month_headers_after_a_progress_column(plan):
    heads = ["Capaian Okt", "Nov", "Des"]
    report = read_progress(monthly_sheet("Posisi per 30/11/2025", heads), "capaian.xlsx", plan)
    assert report.valid and report.progress_columns == heads
    got = dict(zip(report.rows["code"], report.rows["progress"], strict=True))
    assert all(got[c] == pytest.approx(latest(c, 2)[0]) for c in CODES)


def test_quarterly_cumulative_columns(plan):
    header = ["Kode", "Indikator/Program", "Target Waktu", "Bobot", "Progres s.d. TW III", "s.d. TW IV", "Kendala"]
    rows = [["LAPORAN PROGRES ZI 2025"], ["Posisi: 31 Desember 2025"], [], header]
    for i, c in enumerate(CODES):
        q4 = Fmt((50 + i) / 100, "0%") if i % 2 == 0 else None
        rows.append([c, INDICATOR[c], B.TARGET[c], 4, Fmt((20 + i) / 100, "0%"), q4, ""])
    report = read_progress(B.xlsx(rows), "triwulan.xlsx", plan)
    assert report.valid, [p.text() for p in report.errors]
    got = dict(zip(report.rows["code"], report.rows["progress"], strict=True))
    for i, c in enumerate(CODES):
        assert got[c] == pytest.approx(50 + i if i % 2 == 0 else 20 + i), c
    used = next(p for p in report.problems if p.code == "progress_columns_used")
    assert "'s.d. TW IV' (13 baris)" in used.message and "'Progres s.d. TW III' (12 baris)" in used.message


def test_target_and_realisation_sheet_reads_the_realisation(plan):
    header = ["Kode", "Indikator", "Target (%)", "Realisasi (%)", "Deviasi (%)", "Rencana Progres November"]
    rows = [["CAPAIAN ZI"], ["Posisi: 15 November 2025"], header]
    for i, c in enumerate(CODES):
        rows.append([c, INDICATOR[c], 100, 40 + i, 40 + i - 100, 80])
    report = read_progress(B.xlsx(rows), "target.xlsx", plan)
    assert report.valid and report.columns["progress"] == "Realisasi (%)"
    assert list(report.rows["progress"]) == [40.0 + i for i in range(len(CODES))]


def test_two_progress_columns_without_periods_are_refused_then_chosen(plan):
    header = ["Kode", "Indikator", "Progres (%)", "Capaian (%)"]
    rows = [header] + [[c, INDICATOR[c], 10, 70] for c in CODES]
    data = B.xlsx(rows)
    report = read_progress(data, "dua.xlsx", plan)
    assert not report.valid and report.rows.empty
    err = report.errors[0]
    assert err.code == "progress_columns_ambiguous"
    assert "'Progres (%)'" in err.message and "'Capaian (%)'" in err.message
    assert report.progress_columns == ["Progres (%)", "Capaian (%)"]
    chosen = read_progress(data, "dua.xlsx", plan, progress_column="Capaian (%)")
    assert chosen.valid and set(chosen.rows["progress"]) == {70.0}
    wrong = read_progress(data, "dua.xlsx", plan, progress_column="Bobot")
    assert [p.code for p in wrong.errors] == ["progress_column_not_found"]


def test_one_plain_progress_column_reads_as_before(plan):
    report = read_progress(B.xlsx(B.standard_rows({c: 50 for c in CODES})), "p.xlsx", plan)
    assert report.valid and report.progress_sources == {"Progres (%)": 25}
    assert not [p for p in report.problems if p.code in ("progress_columns_used", "position_from_columns")]


def test_unknown_code_gets_only_a_close_suggestion(plan):
    rows = [["Kode", "Indikator", "Progres (%)"]] + [[c, INDICATOR[c], 50] for c in CODES]
    rows += [["7.1", "Pengembangan Inovasi Pelayanan", 20], ["7.2", "Pengembangan Pegawai Berbasis Kompetensl", 20]]
    report = read_progress(B.xlsx(rows), "kode.xlsx", plan)
    by_row = {p.row: p for p in report.errors}
    assert by_row[27].code == "unknown_code" and "mungkin" not in by_row[27].message  # no loose guess
    assert "mungkin maksudnya 3.3 'Pengembangan Pegawai Berbasis Kompetensi'" in by_row[28].message  # a typo
