"""The admin's CLI on the store: import (same validation), list, export, restore."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.storage.store import open_store

pytestmark = pytest.mark.slow  # every test runs the CLI as a process, several times


def cli(*args, env_url):
    import os

    env = dict(os.environ, ZI_DATABASE_URL=env_url)
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in p.stderr + p.stdout
    return p


def test_import_list_export_restore(temp_db, tmp_path):
    first = cli("import", str(EXAMPLE_FILE), "--by", "Admin TI", env_url=temp_db)
    assert first.returncode == 0 and "#1" in first.stdout
    again = cli("import", str(EXAMPLE_FILE), "--by", "Admin TI", env_url=temp_db)
    assert again.returncode == 0 and "identik dengan unggahan #1" in again.stdout
    other = tmp_path / "november.csv"
    other.write_text("Kode;Progres (%)\n1.1;100\n1.2;100\n", encoding="utf-8")
    second = cli("import", str(other), "--by", "Sekretaris", "--position-date", "2025-11-20", env_url=temp_db)
    assert second.returncode == 0 and "#2" in second.stdout
    listed = json.loads(cli("snapshots", "--json", env_url=temp_db).stdout)
    assert [(s["id"], s["uploaded_by"], s["in_use"]) for s in listed] == [
        (2, "Sekretaris", True),
        (1, "Admin TI", False),
    ]
    assert listed[0]["position_date"] == "2025-11-20" and listed[1]["position_date"] == "2025-11-15"
    out = tmp_path / "kembali.xlsx"
    assert cli("export", "1", str(out), env_url=temp_db).returncode == 0
    assert out.read_bytes() == EXAMPLE_FILE.read_bytes()
    assert cli("restore", "1", "--by", "Ketua", env_url=temp_db).returncode == 0
    assert open_store(temp_db).current().id == 1
    text = cli("snapshots", env_url=temp_db).stdout
    assert text.splitlines()[1].startswith("* #1")


def test_import_of_invalid_or_unreadable_file_stores_nothing(temp_db, tmp_path):
    bad = tmp_path / "rusak.csv"
    bad.write_text("Kode;Progres (%)\n1.1;seratus\n", encoding="utf-8")
    p = cli("import", str(bad), "--by", "x", env_url=temp_db)
    assert p.returncode == 1 and "Baris 2, kolom Progres (%)" in p.stdout and "seratus" in p.stdout
    pdf = tmp_path / "laporan.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n")
    p = cli("import", str(pdf), "--by", "x", env_url=temp_db)
    assert p.returncode == 2 and "PDF" in p.stderr
    assert cli("export", "7", str(tmp_path / "x"), env_url=temp_db).returncode == 2
    assert open_store(temp_db).count() == 0


def test_import_without_position_date_asks_for_it_and_position_corrects_it(temp_db, tmp_path):
    from datetime import date

    undated = tmp_path / "tanpa-posisi.csv"
    undated.write_text("Kode;Progres (%)\n1.1;100\n1.2;50\n", encoding="utf-8")
    p = cli("import", str(undated), "--by", "Sekretaris", env_url=temp_db)
    assert p.returncode == 1 and "--position-date" in p.stderr  # never today
    assert open_store(temp_db).count() == 0
    assert (
        cli("import", str(undated), "--by", "Sekretaris", "--position-date", "2026-11-28", env_url=temp_db).returncode
        == 0
    )
    fixed = cli("position", "1", "2025-10-31", "--by", "Ketua", env_url=temp_db)
    assert fixed.returncode == 0 and "31 Oktober 2025" in fixed.stdout
    store = open_store(temp_db)
    assert store.snapshot(1).position_date == date(2025, 10, 31)
    assert [(c.previous, c.by) for c in store.corrections()] == [(date(2026, 11, 28), "Ketua")]
    assert cli("position", "9", "2025-10-31", "--by", "Ketua", env_url=temp_db).returncode == 2


def test_import_of_an_older_file_says_so_and_keeps_the_newer_data_in_use(temp_db, tmp_path):
    newer = tmp_path / "30-november.csv"
    newer.write_text("Kode;Progres (%)\n1.1;100\n1.2;100\n", encoding="utf-8")
    assert (
        cli("import", str(newer), "--by", "Sekretaris", "--position-date", "2025-11-30", env_url=temp_db).returncode
        == 0
    )
    older = cli("import", str(EXAMPLE_FILE), "--by", "Sekretaris", env_url=temp_db)  # positioned 15 November 2025
    assert older.returncode == 0
    lines = older.stdout.splitlines()
    notice = next(i for i, t in enumerate(lines) if "lebih lama dari data yang dipakai sekarang (unggahan #1" in t)
    kept = next(
        i for i, t in enumerate(lines) if "Tersimpan sebagai unggahan #2 (posisi 15 November 2025) di riwayat" in t
    )
    assert notice < kept and "sekarang menjadi data yang dipakai" not in older.stdout
    listed = json.loads(cli("snapshots", "--json", env_url=temp_db).stdout)
    assert [(s["id"], s["in_use"]) for s in listed] == [(2, False), (1, True)]
