"""The admin's CLI on LKE answers (docs/lke.md, "Command line"): `lke import` stores a unit's answer
set (a file with errors stores nothing), `lke export` writes the workbook of the answers in use,
and its score is the file's score; `lke instrument-add` keeps a newer instrument."""

import json

import pytest
from lke_builders import line, lke_workbook, official_lines
from test_cli_store import cli

from zi_dashboard.reading.plan import DATA_DIR
from zi_dashboard.storage.store import open_store

pytestmark = pytest.mark.slow  # every test runs the CLI as a process, several times


def office_answers() -> dict[str, object]:
    typed = {
        "YA_TIDAK": "Ya",
        "ABC": "b. sebagian besar",
        "ABCD": "a",
        "ABCDE": "C",
        "JUMLAH": "1.250",
        "NILAI_0_4": "3,62",
    }
    out = {r["baris"]: typed.get(r["jenis"]) for r in official_lines()}
    out.update({"9": "tidak", "10": None, "126": 8, "127": 6, "169": 10, "170": 2, "171": 7})
    return out


def figures(p) -> dict:
    d = json.loads(p.stdout)
    return {k: d[k] for k in ("pemenuhan", "reform", "pengungkit", "hasil", "total", "wbk", "wbbm")} | {
        "answers": [(q["code"], q["letter"], q["answer"], q["points"], q["links"]) for q in d["questions"]]
    }


def test_import_export_score_gives_the_same_figures(temp_db, tmp_path):
    source = tmp_path / "LKE ZI KPU 2026.xlsx"
    source.write_bytes(
        lke_workbook(
            office_answers(),
            notes={"6": '=HYPERLINK("http://x")'},
            links={"6": "https://drive.example/sk.pdf"},
            insert_rows={5: [None] * 18},
        )
    )
    imported = cli("lke", "import", str(source), "--by", "Admin TI", env_url=temp_db)
    assert imported.returncode == 0, imported.stderr
    assert "set #1" in imported.stdout and "KPU Kota Tasikmalaya" in imported.stdout
    out = tmp_path / "ekspor.xlsx"
    exported = cli("lke", "export", str(out), env_url=temp_db)
    assert exported.returncode == 0 and "set #1" in exported.stdout and str(out) in exported.stdout
    before = cli("lke", "score", str(source), "--json", env_url=temp_db)
    after = cli("lke", "score", str(out), "--json", env_url=temp_db)
    assert before.returncode == after.returncode == 0
    assert figures(after) == figures(before)
    assert json.loads(after.stdout)["total"] > 0
    # and once more: the export imported gives a second set with the same figures
    again = cli(
        "lke", "import", str(out), "--by", "Admin TI", "--unit", "tasikmalaya", "--year", "2025", env_url=temp_db
    )
    assert again.returncode == 0 and "set #2" in again.stdout
    assert again.stdout.split("nilai total")[1] == imported.stdout.split("nilai total")[1]


def test_a_file_with_errors_stores_nothing(temp_db, tmp_path):
    bad = tmp_path / "lke.xlsx"
    bad.write_bytes(lke_workbook(office_answers() | {"7": "D. tidak ada", "171": 14}))
    p = cli("lke", "import", str(bad), "--by", "Admin TI", env_url=temp_db)
    assert p.returncode == 1
    assert "ditolak: 2 galat" in p.stderr and "Tidak ada yang disimpan" in p.stderr
    assert "Baris 7, kolom K" in p.stderr and "1.1 b" in p.stderr and "R5.2" in p.stderr
    store = open_store(temp_db)
    wp = store.workplans()[0]
    assert store.lke_answer_sets(wp.id, "unit") == []
    unreadable = tmp_path / "lke-rusak.xlsx"
    unreadable.write_bytes(b"%PDF-1.7\n")
    assert cli("lke", "import", str(unreadable), "--by", "x", env_url=temp_db).returncode == 2
    nowhere = cli("lke", "import", str(bad), "--by", "x", "--unit", "KPU Kabupaten Antah", env_url=temp_db)
    assert nowhere.returncode == 2 and "tidak dikenal" in nowhere.stderr
    empty = tmp_path / "kosong.xlsx"
    p = cli("lke", "export", str(empty), env_url=temp_db)
    assert p.returncode == 0 and "Belum ada jawaban LKE" in p.stdout
    score = json.loads(cli("lke", "score", str(empty), "--json", env_url=temp_db).stdout)
    assert score["total"] == 0 and len(score["unanswered"]) == 113 and not score["errors"]


def test_instrument_add(temp_db, tmp_path):
    broken = tmp_path / "lke-2027-questions.csv"
    text = (DATA_DIR / "lke-2026-questions.csv").read_text(encoding="utf-8")
    broken.write_text(text.replace(",ABC,", ",ABX,", 1), encoding="utf-8")
    p = cli("lke", "instrument-add", str(broken), "--year", "2027", "--by", "Admin TI", env_url=temp_db)
    assert p.returncode == 1 and "ditolak" in p.stderr and "ABX" in p.stderr
    assert open_store(temp_db).lke_instruments() == []
    good = tmp_path / "lke-2027.csv"
    good.write_text(
        text.replace(line("1.1", "a")["pertanyaan"], "Unit kerja telah membentuk tim ZI 2027"), encoding="utf-8"
    )
    p = cli("lke", "instrument-add", str(good), "--year", "2027", "--by", "Admin TI", env_url=temp_db)
    assert p.returncode == 0 and "2027" in p.stdout
    assert [y for y, _ in open_store(temp_db).lke_instruments()] == [2027]
