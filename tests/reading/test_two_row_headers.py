"""Two-row headers as government offices lay them out: REALISASI merged over KEUANGAN (Rp) |
KEUANGAN (%) | FISIK (%), TARGET merged over its own sub-columns, the fixed columns merged down
both rows.  Sub-headers under a parent are joined ("REALISASI FISIK (%)"), physical progress is
read, rupiah never; when the reader cannot decide, every column is offered to choose from.

The files are built like office sheets: title rows, merged cells, percent-formatted cells,
money typed as numbers (350000), a semicolon CSV with the parent repeated."""

from __future__ import annotations

from datetime import date

import builders as B
import pytest
from builders import CODES, INDICATOR, Fmt

from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress

FIGURES = B.TWO_ROW_FIGURES
PHYSICAL = {c: float(f[2]) for c, f in FIGURES.items()}
two_row_workbook = B.two_row_progress


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def got(report) -> dict[str, float]:
    return dict(zip(report.rows["code"], report.rows["progress"], strict=True))


def test_merged_parent_over_money_and_physical_reads_physical_progress(plan):
    report = read_progress(two_row_workbook(), "realisasi-zi.xlsx", plan)
    assert report.valid, [p.text() for p in report.errors]
    assert got(report) == pytest.approx(PHYSICAL)
    assert report.columns["progress"] == "REALISASI FISIK (%)"
    assert report.progress_columns == ["REALISASI KEUANGAN (%)", "REALISASI FISIK (%)"]  # rupiah never
    assert report.position_date == date(2025, 11, 30)
    note = next(p for p in report.problems if p.code == "progress_column_preferred")
    assert "'REALISASI FISIK (%)'" in note.message and "'REALISASI KEUANGAN (%)'" in note.message
    assert not any("350" in p.message for p in report.problems)
    assert report.column_choices == ["REALISASI KEUANGAN (%)", "REALISASI FISIK (%)"]


def test_the_financial_percentage_can_still_be_chosen(plan):
    report = read_progress(two_row_workbook(), "realisasi-zi.xlsx", plan, progress_column="REALISASI KEUANGAN (%)")
    assert report.valid and got(report) == pytest.approx({c: float(f[1]) for c, f in FIGURES.items()})


def test_semicolon_csv_with_the_parent_repeated_on_two_header_rows(plan):
    rows = [
        ["REKAPITULASI CAPAIAN RENCANA AKSI ZI 2025"],
        ["Posisi per 30/11/2025"],
        [],
        ["Kode", "Indikator", "TARGET", "TARGET", "REALISASI", "REALISASI", "REALISASI", "Keterangan"],
        ["Kode", "Indikator", "KEUANGAN (Rp)", "FISIK (%)", "KEUANGAN (Rp)", "KEUANGAN (%)", "FISIK (%)", "Keterangan"],
    ]
    for c in CODES:
        rp, keu, fis = FIGURES[c]
        rows.append([c, INDICATOR[c], 500000, 100, rp, f"{keu}%", str(fis + 0.5).replace(".", ","), ""])
    report = read_progress(B.csv_bytes(rows, sep=";"), "realisasi.csv", plan)
    assert report.valid, [p.text() for p in report.errors]
    assert got(report) == pytest.approx({c: v + 0.5 for c, v in PHYSICAL.items()})
    assert report.columns["progress"] == "REALISASI FISIK (%)"
    assert report.position_date == date(2025, 11, 30)


def test_undecided_sub_columns_are_refused_then_chosen(plan):
    data = two_row_workbook(("KEUANGAN (Rp)", "TAHAP I (%)", "TAHAP II (%)"))
    report = read_progress(data, "tahap.xlsx", plan)
    assert not report.valid and report.errors[0].code == "progress_columns_ambiguous"
    assert "'REALISASI TAHAP I (%)'" in report.errors[0].message
    assert report.column_choices[:2] == ["REALISASI TAHAP I (%)", "REALISASI TAHAP II (%)"]
    chosen = read_progress(data, "tahap.xlsx", plan, progress_column="REALISASI TAHAP II (%)")
    assert chosen.valid and got(chosen) == pytest.approx(PHYSICAL)


def test_a_progress_column_holding_money_offers_every_column(plan):
    """One column named like progress but holding rupiah: refused with the rows named, and every
    column offered; the one with the percentages then reads."""
    rows = [
        ["LAPORAN ZI 2025"],
        ["Posisi: 30 November 2025"],
        ["Kode", "Indikator", "Realisasi", "Tingkat Penyelesaian (%)"],
    ]
    rows += [[c, INDICATOR[c], FIGURES[c][0], Fmt(PHYSICAL[c] / 100, "0%")] for c in CODES]
    data = B.xlsx(rows)
    report = read_progress(data, "uang.xlsx", plan)
    assert not report.valid and {p.code for p in report.errors} == {"progress_out_of_range"}
    assert "Tingkat Penyelesaian (%)" in report.column_choices and "Realisasi" in report.column_choices
    chosen = read_progress(data, "uang.xlsx", plan, progress_column="Tingkat Penyelesaian (%)")
    assert chosen.valid and got(chosen) == pytest.approx(PHYSICAL)


def test_a_single_row_header_offers_no_choice(plan):
    report = read_progress(B.xlsx(B.standard_rows({c: 50 for c in CODES})), "p.xlsx", plan)
    assert report.valid and report.column_choices == []


def test_cli_check_takes_the_progress_column_by_name(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    path = tmp_path / "tahap.xlsx"
    path.write_bytes(two_row_workbook(("KEUANGAN (Rp)", "TAHAP I (%)", "TAHAP II (%)")))

    def check(*extra):
        return subprocess.run(
            [sys.executable, "-m", "zi_dashboard", "check", str(path), "--json", *extra],
            cwd=ROOT,
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=120,
        )

    refused = check()
    assert refused.returncode == 1 and "progress_columns_ambiguous" in refused.stdout
    chosen = check("--progress-column", "REALISASI TAHAP II (%)")
    assert chosen.returncode == 0, chosen.stdout + chosen.stderr
    assert '"valid": true' in chosen.stdout
