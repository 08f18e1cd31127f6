"""The CLI with several units and years (bulk work), run as the operator runs it: plan
files and progress files whose titles name the unit and year, a second year and a second unit
added from the command line, imports going to the right unit, the lists and the province figures
as JSON, and every way of naming no unit, an unknown one or a missing year."""

import json
from datetime import date

import pytest
from bulk_builders import plan_file, progress_file, zip_of
from test_cli_store import cli

from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.storage.store import open_store

pytestmark = pytest.mark.slow  # every test runs the CLI as a process, several times

GARUT, KOTA = "KPU Kabupaten Garut", "KPU Kota Tasikmalaya"


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def state_of(url: str, wid: int):
    """What a work plan's history is: its uploads, events, corrections and kept figures."""
    store = open_store(url)
    return (
        [(s.id, s.sha256, s.position_date, s.uploaded_by) for s in store.uploads(wid)],
        [(e.id, e.kind, e.snapshot_id) for e in store.events(wid)],
        [(c.snapshot_id, c.position_date) for c in store.corrections(wid)],
        store.figure_series("", wid),
        store.figure_series("3", wid),
    )


def test_second_year_and_second_unit_from_the_cli(temp_db, tmp_path):
    # last year's data: the example file, then a corrected position date (one unit: no --unit needed)
    assert cli("import", str(EXAMPLE_FILE), "--by", "Admin TI", env_url=temp_db).returncode == 0
    assert cli("position", "1", "2025-11-14", "--by", "Ketua", env_url=temp_db).returncode == 0
    home = open_store(temp_db).workplans()[0]
    assert (home.unit, home.year) == (KOTA, 2025)
    before = state_of(temp_db, home.id)
    before_2025 = json.loads(
        cli("portfolio", "--year", "2025", "--as-of", "2025-12-01", "--json", env_url=temp_db).stdout
    )

    # next year for the same unit, and a second unit, from the plan files' titles
    added = cli("plan-add", write(tmp_path, "rk-2026.csv", plan_file(KOTA, 2026)), "--by", "Admin TI", env_url=temp_db)
    assert added.returncode == 0, added.stderr
    assert "Rencana kerja baru: KPU Kota Tasikmalaya Tahun 2026" in added.stdout
    assert "dari judul berkas" in added.stdout
    garut_plan = write(tmp_path, "rk-garut-2026.csv", plan_file(GARUT, 2026))
    added = cli("plan-add", garut_plan, env_url=temp_db)
    assert added.returncode == 0 and "Rencana kerja baru: KPU Kabupaten Garut Tahun 2026" in added.stdout
    again = cli("plan-add", garut_plan, "--by", "Admin TI", env_url=temp_db)
    assert again.returncode == 0 and "tidak ada yang berubah" in again.stdout
    store = open_store(temp_db)
    assert sorted((w.unit, w.year) for w in store.workplans()) == [(GARUT, 2026), (KOTA, 2025), (KOTA, 2026)]

    # progress files: Garut's by the title in the file, Kota's 2026 by --unit/--year (its title names no unit)
    garut_file = write(
        tmp_path,
        "progres.xlsx",
        progress_file(
            "LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2026", "31 Oktober 2026", {"1.1": 100, "1.2": 100}, 30
        ),
    )
    imported = cli("import", garut_file, "--by", "Operator Garut", env_url=temp_db)
    assert imported.returncode == 0, imported.stderr
    assert "KPU Kabupaten Garut Tahun 2026 (dari judul berkas)" in imported.stdout and "#2" in imported.stdout
    kota_file = write(
        tmp_path, "laporan-oktober.xlsx", progress_file("LAPORAN PROGRES ZI", "30 Oktober 2026", None, 55)
    )
    unscoped = cli("import", kota_file, "--by", "Sekretaris", env_url=temp_db)
    assert unscoped.returncode == 2 and "--unit" in unscoped.stderr and GARUT in unscoped.stderr
    assert open_store(temp_db).count() == 2  # nothing stored
    imported = cli(
        "import", kota_file, "--unit", "kota-tasikmalaya", "--year", "2026", "--by", "Sekretaris", env_url=temp_db
    )
    assert imported.returncode == 0 and "#3" in imported.stdout

    listed = json.loads(cli("snapshots", "--json", env_url=temp_db).stdout)
    assert [(s["id"], s["unit"], s["year"], s["in_use"], s["uploaded_by"]) for s in listed] == [
        (3, KOTA, 2026, True, "Sekretaris"),
        (2, GARUT, 2026, True, "Operator Garut"),
        (1, KOTA, 2025, True, "Admin TI"),
    ]
    assert {"position_date", "uploaded_at", "filename", "sha256", "size"} <= set(listed[0])
    one = json.loads(cli("snapshots", "--unit", KOTA, "--year", "2025", "--json", env_url=temp_db).stdout)
    assert [(s["id"], s["position_date"]) for s in one] == [(1, "2025-11-14")]

    # last year untouched: its uploads, events, correction and kept figures, and its province figures
    assert state_of(temp_db, home.id) == before
    assert (
        json.loads(cli("portfolio", "--year", "2025", "--as-of", "2025-12-01", "--json", env_url=temp_db).stdout)
        == before_2025
    )

    # the province figures of 2026 (the latest year by default): as the service counts them, and
    # Garut's as `check` counts its file against its plan
    out = json.loads(cli("portfolio", "--as-of", "2026-10-31", "--json", env_url=temp_db).stdout)
    assert set(out) == {"as_of", "year", "units"} and (out["as_of"], out["year"]) == ("2026-10-31", 2026)
    assert [u["unit"] for u in out["units"]] == [KOTA, GARUT]  # 55% before Garut's lower average
    from zi_dashboard.app import province

    pf = province.portfolio(2026, date(2026, 10, 31))
    for u in out["units"]:
        assert set(u) == {"unit", "overall_completion", "overall_planned", "components", "overdue", "last_upload"}
        row = pf.units.set_index("unit").loc[u["unit"]]
        assert u["overall_completion"] == round(row.overall_completion, 1)
        assert u["overall_planned"] == round(row.overall_planned, 1) and u["overdue"] == int(row.overdue)
        cells = pf.cells[pf.cells["unit"] == u["unit"]]
        assert u["components"] == [
            {"name": c.component, "completion": round(c.completion, 1), "planned": round(c.planned, 1)}
            for c in cells.itertuples()
        ]
        assert u["last_upload"] == row.last_upload.isoformat()
    hand = json.loads(
        cli("check", garut_file, "--plan", garut_plan, "--as-of", "2026-10-31", "--json", env_url=temp_db).stdout
    )
    garut = out["units"][1]
    assert (garut["overall_completion"], garut["overall_planned"]) == (
        hand["overall_completion"],
        hand["overall_planned"],
    )
    assert [(c["name"], c["completion"], c["planned"]) for c in garut["components"]] == [
        (c["name"], c["completion"], c["planned"]) for c in hand["components"]
    ]
    assert garut["overdue"] == len(hand["overdue"]) and garut["overall_completion"] < 55
    text = cli("portfolio", "--as-of", "2026-10-31", env_url=temp_db).stdout
    assert "Satuan kerja tahun 2026, posisi per 31 Oktober 2026 (2 satker)" in text
    assert f"1  {KOTA}" in text and "55,0%" in text


def test_scoping_errors_change_nothing(temp_db, tmp_path):
    from zi_dashboard.app import service

    garut_plan = plan_file(GARUT, 2026)
    service.add_plan(garut_plan, "rk-garut-2026.csv", "Admin", GARUT, 2026, rights=service.OPERATOR)
    kota = service.workplan_of(KOTA, 2025)
    check = service.check_upload(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, wp=kota)
    service.save_upload(check, "Admin", check.reading.position_date, rights=service.OPERATOR)
    listing = "KPU Kabupaten Garut (2026); KPU Kota Tasikmalaya (2025)"

    p = cli("snapshots", "--unit", "KPU Kabupaten Ciamis", env_url=temp_db)
    assert p.returncode == 2 and "'KPU Kabupaten Ciamis' tidak dikenal" in p.stderr and listing in p.stderr
    p = cli("snapshots", "--unit", "garut", "--year", "2027", "--json", env_url=temp_db)
    assert p.returncode == 2 and "Tidak ada rencana kerja KPU Kabupaten Garut tahun 2027" in p.stderr
    assert p.stdout == ""
    p = cli("report", "--out", str(tmp_path / "laporan.html"), env_url=temp_db)
    assert p.returncode == 2 and f"beberapa satuan kerja ({GARUT}, {KOTA})" in p.stderr
    assert not (tmp_path / "laporan.html").exists()
    p = cli("restore", "1", "--by", "Ketua", "--unit", "kabupaten-garut", env_url=temp_db)
    assert p.returncode == 2 and "Unggahan #1 bukan milik KPU Kabupaten Garut Tahun 2026" in p.stderr
    ciamis = write(
        tmp_path,
        "progres.xlsx",
        progress_file("LAPORAN PROGRES ZI KPU KABUPATEN CIAMIS TAHUN 2026", "31 Oktober 2026", None, 40),
    )
    p = cli("import", ciamis, "--by", "x", env_url=temp_db)
    assert p.returncode == 2 and "menyebut KPU Kabupaten Ciamis, yang belum punya rencana kerja" in p.stderr
    p = cli("import", ciamis, "--by", "x", "--year", "dua ribu", env_url=temp_db)
    assert p.returncode == 2 and "Tahun 'dua ribu' tidak valid" in p.stderr
    bad_plan = write(tmp_path, "rk-rusak.csv", garut_plan.replace(b"Oktober 2026;0,5", b"Okt 20x6;0,5"))
    p = cli("plan-add", bad_plan, "--unit", "KPU Kabupaten Ciamis", "--year", "2026", env_url=temp_db)
    assert p.returncode == 1 and "tidak ada yang disimpan" in p.stderr and "Okt 20x6" in p.stderr
    untitled = write(tmp_path, "rk.csv", garut_plan.split(b"\n", 2)[2])  # no title row: unit unknown
    p = cli("plan-add", untitled, env_url=temp_db)
    assert p.returncode == 2 and "tidak menyebut satuan kerja" in p.stderr and "--unit" in p.stderr
    p = cli("portfolio", "--year", "2030", "--json", env_url=temp_db)
    assert p.returncode == 2 and "Tahun yang ada: 2025, 2026" in p.stderr
    store = open_store(temp_db)
    assert sorted((w.unit, w.year) for w in store.workplans()) == [(GARUT, 2026), (KOTA, 2025)]
    assert store.count() == 1 and [e.kind for e in store.events()] == ["upload"]


def test_a_zip_of_several_units_files_from_the_cli(temp_db, tmp_path):
    from zi_dashboard.app import service

    service.add_plan(plan_file(GARUT, 2025), "rk-garut.csv", "Admin", GARUT, 2025, rights=service.OPERATOR)
    bundle = write(
        tmp_path,
        "oktober.zip",
        zip_of(
            {
                "oktober/garut.xlsx": progress_file(
                    "LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2025", "31 Oktober 2025", None, 20
                ),
                "oktober/kota_tasikmalaya.xlsx": progress_file("LAPORAN PROGRES ZI", None, None, 50),
                "oktober/rekap.xlsx": progress_file("LAPORAN PROGRES ZI", "31 Oktober 2025", None, 10, bad="2.1"),
            }
        ),
    )
    p = cli("import", bundle, "--by", "Admin Prov", env_url=temp_db)
    assert p.returncode == 1 and "--position-date" in p.stderr and open_store(temp_db).count() == 0
    p = cli("import", bundle, "--by", "Admin Prov", "--position-date", "2025-10-31", env_url=temp_db)
    assert p.returncode == 1  # one file could not be used
    assert "Disimpan: 2 berkas." in p.stdout and "seratus" in p.stdout and "tidak dikenali" in p.stdout
    listed = json.loads(cli("snapshots", "--json", env_url=temp_db).stdout)
    assert sorted((s["unit"], s["filename"], s["position_date"]) for s in listed) == [
        (GARUT, "garut.xlsx", "2025-10-31"),
        (KOTA, "kota_tasikmalaya.xlsx", "2025-10-31"),
    ]
