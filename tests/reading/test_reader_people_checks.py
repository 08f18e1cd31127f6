"""The progress reader against office-made spreadsheets: the mistakes the validator must catch,
the check worked by hand, and the CLI's `check` (files made by tests/builders.py).
"""

from __future__ import annotations

import json
import subprocess
import sys

import builders as B
import pytest
from builders import CODES, INDICATOR, Fmt
from reader_people_kit import (
    AS_OF,
    DISTINCT,
    REPO,
    assert_clean,
    indicator_progress,
    problems_text,
    progress_by_code,
    read,
    the_error,
)

from zi_dashboard.counting.metrics import compute
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.sheets import UnreadableFile


@pytest.fixture(scope="module")
def plan():
    return load_plan()


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
