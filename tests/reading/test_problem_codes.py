"""Every problem and every unreadable-file reason carries a stable code (the message key),
in the reader and in `check --json`: tests and scripts speak codes, the Indonesian text may
change freely."""

from __future__ import annotations

import json
import subprocess
import sys

import builders as B
import pytest
from conftest import ROOT

from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.reading.sheets import UnreadableFile


def messy_csv() -> bytes:
    """A semicolon CSV as a tired secretary leaves it: an unknown code, a percentage over 100,
    a word where a number belongs, a blank progress cell, a total row."""
    rows = B.standard_rows({"1.1": "100", "1.2": "120%", "1.3": "sudah", "1.4": ""}, default="10")
    rows.append(["7.1", "Komponen Baru", "Indikator yang tidak ada", "", "", "", "50", "", "", ""])
    rows.append(["", "", "Jumlah", "", "", "", "30", "", "", ""])
    return B.csv_bytes([*B.TITLE_ROWS, [], *rows], sep=";")


def codes(problems):
    return sorted({p.code for p in problems})


def test_reader_problems_have_codes():
    reading = read_progress(messy_csv(), "progres.csv", load_plan())
    by_code = {p.code: p for p in reading.problems}
    assert {"progress_out_of_range", "progress_not_number", "unknown_code", "progress_blank", "summary_row"} <= set(
        by_code
    )
    assert "other" not in by_code
    assert by_code["progress_out_of_range"].row is not None and by_code["progress_out_of_range"].column


@pytest.mark.parametrize(
    "data,name,code",
    [
        (b"", "kosong.xlsx", "empty_file"),
        (b"%PDF-1.7\n...", "laporan.pdf", "is_pdf"),
        (b"<html><body>tabel</body></html>", "progres.xlsx", "is_html"),
        (b"PK\x03\x04 not really a zip", "progres.xlsx", "not_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "progres.xls", "xls_legacy"),
        (b"just words", "catatan.docx", "unknown_type"),
    ],
)
def test_unreadable_files_have_codes(data, name, code):
    with pytest.raises(UnreadableFile) as info:
        read_progress(data, name, load_plan())
    assert info.value.code == code


def test_check_json_carries_codes(tmp_path):
    f = tmp_path / "progres.csv"
    f.write_bytes(messy_csv())
    out = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "check", str(f), "--as-of", "2025-11-15", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    error_codes = {e["code"] for e in doc["errors"]}
    assert {"progress_out_of_range", "progress_not_number", "unknown_code"} <= error_codes
    assert all({"code", "row", "column", "message"} <= set(e) for e in doc["errors"] + doc["warnings"])
    assert "progress_blank" in {w["code"] for w in doc["warnings"]}

    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    out = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "check", str(empty), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert [e["code"] for e in json.loads(out.stdout)["errors"]] == ["empty_file"]
