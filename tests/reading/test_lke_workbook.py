"""Reading the office's LKE workbook (docs/lke.md): answers as people type them, columns found by
their headers, questions by their codes and text whatever rows were inserted, coloured or
reordered, errors that name the row, the column and the question; the evidence sheet of BPS
offices; and the CLI `lke score` / `lke evidence` contract, through the child-process reader."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from lke_builders import evidence_workbook, line, lke_workbook, official_lines

from zi_dashboard.counting.lke_score import score, score_sheet
from zi_dashboard.reading.lke_answers import Answer, normalise_answer
from zi_dashboard.reading.lke_instrument import load_instrument
from zi_dashboard.reading.lke_workbook import evidence_code, read_evidence_sheet, read_lke_workbook

INSTRUMENT = load_instrument(2026)
Q = INSTRUMENT.by_row


@pytest.mark.parametrize(
    ("row", "typed", "stored"),
    [
        (6, "Ya", "YA"),
        (6, "ya", "YA"),
        (6, "TIDAK", "TIDAK"),
        (6, " tidak ", "TIDAK"),
        (7, "A", "A"),
        (7, "b", "B"),
        (7, "B. sebagian besar unsur", "B"),
        (7, "a. Jika semua target", "A"),
        (24, "(e)", "E"),
        (126, "1.250", 1250),
        (126, 12.0, 12),
        (126, "40", 40),
        (199, "3,62", 3.62),
        (199, "3.62", 3.62),
        (199, 3.62, 3.62),
        (199, 4, 4.0),
        (6, "", None),
        (6, None, None),
        (7, "   ", None),
    ],
)
def test_answers_as_people_type_them(row, typed, stored):
    assert normalise_answer(Q(row), typed) == stored


@pytest.mark.parametrize(
    ("row", "typed", "key"),
    [
        (7, "D", "lke_answer_not_option"),  # ABC has no D
        (6, "mungkin", "lke_answer_not_option"),
        (13, "sebagian", "lke_answer_not_option"),
        (126, -3, "lke_answer_negative"),
        (126, "dua", "lke_answer_not_count"),
        (126, "2,5", "lke_answer_not_whole"),
        (199, "4,0000000001", "lke_answer_index_range"),  # no tolerance above the maximum
        (199, "tinggi", "lke_answer_not_index"),
    ],
)
def test_what_is_no_answer_says_why(row, typed, key):
    with pytest.raises(ValueError) as info:
        normalise_answer(Q(row), typed)
    assert getattr(info.value.args[0], "key", "") == key


def typed_answers() -> dict[str, object]:
    """Every line answered the way a Tim ZI types: mixed case, text after the letter, thousands dots."""
    out: dict[str, object] = {}
    for r in official_lines():
        out[r["baris"]] = {
            "YA_TIDAK": "ya",
            "ABC": "a. Jika semua",
            "ABCD": "B",
            "ABCDE": "b",
            "JUMLAH": "1.250",
            "NILAI_0_4": "3,62",
        }.get(r["jenis"])
    return out


def expected_total(unit: dict[str, object]) -> float:
    answers = {int(r): Answer(int(r), normalise_answer(Q(int(r)), v)) for r, v in unit.items() if v is not None}
    return score(INSTRUMENT, answers).total


def test_the_official_layout_is_read_whole():
    unit = typed_answers()
    sheet = read_lke_workbook(lke_workbook(unit), "LKE ZI 2026.xlsx", INSTRUMENT)
    assert sheet.sheet == "Jawaban" and not sheet.errors
    assert len(sheet.sheet_rows) == 137
    result = score_sheet(INSTRUMENT, sheet)
    assert result.total == pytest.approx(expected_total(unit))
    assert not result.unanswered


@pytest.mark.parametrize(
    "change",
    [
        {"insert_rows": {4: [None, None, None, None, None, None, "Catatan rapat: dicek ulang"], 40: [None] * 18}},
        {"extra_column": True},
        {"two_row_header": True},
        {"colour": (3, 7, 20, 21)},
        {"shuffle_sub_areas": True},
        {"two_row_header": True, "extra_column": True, "insert_rows": {10: []}, "shuffle_sub_areas": True},
    ],
    ids=["inserted-rows", "extra-column", "two-row-header", "coloured", "reordered", "all-at-once"],
)
def test_a_changed_layout_gives_the_same_score(change):
    unit = typed_answers()
    sheet = read_lke_workbook(lke_workbook(unit, **change), "lke.xlsx", INSTRUMENT)
    assert not sheet.errors, [p.text() for p in sheet.problems]
    assert score_sheet(INSTRUMENT, sheet).total == pytest.approx(expected_total(unit))


def test_blank_answers_count_zero_and_are_listed():
    unit = {"6": "Ya", "7": "b"}
    result = score_sheet(INSTRUMENT, read_lke_workbook(lke_workbook(unit), "lke.xlsx", INSTRUMENT))
    assert result.pemenuhan_total == pytest.approx(0.25 + 0.125)
    assert len(result.unanswered) == 111


def test_a_bad_answer_names_the_row_the_column_and_the_question():
    unit = typed_answers() | {"7": "D. tidak ada"}
    sheet = read_lke_workbook(lke_workbook(unit), "lke.xlsx", INSTRUMENT)
    (problem,) = sheet.errors
    assert (problem.row, problem.column) == (7, "K")
    assert "1.1 b" in problem.message and "D. tidak ada" in problem.message


def test_filed_above_due_is_an_error_at_the_row_of_the_count():
    unit = typed_answers() | {"169": 10, "170": 0, "171": 14}
    shifted = lke_workbook(unit, insert_rows={3: [None, None, None, None, None, None, "baris sisipan"]})
    result = score_sheet(INSTRUMENT, read_lke_workbook(shifted, "lke.xlsx", INSTRUMENT))
    (problem,) = result.errors
    assert problem.code == "lke_count_above_total" and "R5.2" in problem.message
    assert problem.row == 172  # official row 171, one row lower for the inserted row


def test_the_tpi_columns_are_a_level_of_their_own():
    unit = {"6": "Ya", "7": "A"}
    tpi = {"6": "Tidak", "7": "B"}
    sheet = read_lke_workbook(lke_workbook(unit, tpi, two_row_header=True), "lke.xlsx", INSTRUMENT)
    assert sheet.levels == ("unit", "tpi")
    assert score_sheet(INSTRUMENT, sheet, "unit").pemenuhan_total == pytest.approx(0.5)
    assert score_sheet(INSTRUMENT, sheet, "tpi").pemenuhan_total == pytest.approx(0.125)


def test_notes_and_links_are_kept_per_question():
    sheet = read_lke_workbook(
        lke_workbook(
            {"6": "Ya"},
            notes={"6": "SK Tim ZI No. 12"},
            links={"6": "https://drive.example/sk-tim.pdf\nhttps://x.example/b"},
        ),
        "lke.xlsx",
        INSTRUMENT,
    )
    a = sheet.answers["unit"][6]
    assert a.note == "SK Tim ZI No. 12"
    assert a.links == ("https://drive.example/sk-tim.pdf", "https://x.example/b")


def test_a_workbook_without_an_answer_sheet_says_so():
    sheet = read_lke_workbook(evidence_workbook([]), "bukan-lke.xlsx", INSTRUMENT)
    assert [p.code for p in sheet.errors] == ["lke_no_answer_sheet"]


def test_the_builder_follows_the_official_rows():
    """The test layout is the official one: each line sits at its published row (up to R5.3,
    where the published sheet has one more heading row)."""
    from lke_builders import HEADER, answer_sheet_rows

    rows = [HEADER, *answer_sheet_rows()]
    at = [i for i, r in enumerate(rows, start=1) if isinstance(r[0], int)]
    published = [int(r["baris"]) for r in official_lines()]
    assert at[:100] == published[:100]
    assert line("1.1", "a")["baris"] == "6"


# --- the evidence sheet, codes as BPS offices write them -----------------------------------------
def test_evidence_codes():
    assert evidence_code("A.1.I.i.", "a") == ("1.1", "a")
    assert evidence_code("A.2.III.iii.", "") == ("R3.3", "-")
    assert evidence_code("A.1.VI.v", "b") == ("6.5", "b")
    assert evidence_code("B.1.I.i.", "a") is None


def test_an_evidence_sheet_gives_links_per_question():
    data = evidence_workbook(
        [
            ["A.1.I.i.", "a", "Pembentukan tim", "SK Tim", "https://drive.example/sk.pdf"],
            [
                None,
                "b",
                "Seleksi anggota",
                "Notulen",
                "https://drive.example/notulen.pdf ; https://drive.example/daftar.pdf",
            ],
            ["A.2.III.iii.", "", "Penurunan pelanggaran disiplin", "Rekap", "https://drive.example/rekap.xlsx"],
            ["A.1.IX.i.", "a", "Kode yang tidak ada", "-", "https://drive.example/x"],
        ]
    )
    sheet = read_evidence_sheet(data, "bukti.xlsx", INSTRUMENT)
    assert sheet.links[("1.1", "a")] == ("https://drive.example/sk.pdf",)
    assert sheet.links[("1.1", "b")] == ("https://drive.example/notulen.pdf", "https://drive.example/daftar.pdf")
    assert sheet.links[("R3.3", "a")] == ("https://drive.example/rekap.xlsx",)
    assert [p.row for p in sheet.problems] == [7]


# --- the CLI contract --------------------------------------------------------------------------
def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zi_dashboard", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


@pytest.mark.slow  # CLI processes
def test_cli_lke_score_json(tmp_path):
    unit = typed_answers()
    path = tmp_path / "LKE ZI 2026.xlsx"
    path.write_bytes(lke_workbook(unit, tpi={"6": "Tidak"}, two_row_header=True, extra_column=True))
    run = cli("lke", "score", str(path), "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert set(out) >= {
        "level",
        "pemenuhan",
        "reform",
        "pengungkit",
        "hasil",
        "total",
        "wbk",
        "wbbm",
        "gates",
        "questions",
        "unanswered",
        "errors",
        "warnings",
    }
    assert out["level"] == "unit"
    assert out["total"] == pytest.approx(expected_total(unit), abs=1e-4)
    assert [a["area"] for a in out["pemenuhan"]["areas"]] == [1, 2, 3, 4, 5, 6]
    assert set(out["hasil"]) == {"ipak_points", "kinerja_points", "ipkp_points", "total"}
    assert {g["gate"] for g in out["gates"]["WBK"]} >= {"total", "pengungkit", "area.1", "ipak"}
    first = out["questions"][0]
    assert set(first) >= {"code", "letter", "row", "answer", "value", "points", "max_points", "links"}
    assert (first["code"], first["letter"], first["answer"], first["value"]) == ("1.1", "a", "YA", 1.0)
    tpi = json.loads(cli("lke", "score", str(path), "--level", "tpi", "--json").stdout)
    assert tpi["level"] == "tpi" and tpi["pemenuhan"]["total"] == 0.0
    assert len(tpi["unanswered"]) == 113


@pytest.mark.slow  # CLI processes
def test_cli_lke_score_exit_codes(tmp_path):
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(lke_workbook(typed_answers() | {"7": "Z"}))
    run = cli("lke", "score", str(bad), "--json")
    assert run.returncode == 1
    assert json.loads(run.stdout)["errors"][0]["row"] == 7
    text = cli("lke", "score", str(bad))
    assert text.returncode == 1 and "Baris 7" in text.stdout and "Traceback" not in text.stderr
    junk = tmp_path / "rusak.xlsx"
    junk.write_bytes(b"PK\x03\x04 bukan arsip")
    assert cli("lke", "score", str(junk)).returncode == 2
    assert cli("lke", "score", str(tmp_path / "tidak-ada.xlsx")).returncode == 2


def test_cli_lke_evidence_json(tmp_path):
    path = tmp_path / "bukti.xlsx"
    path.write_bytes(evidence_workbook([["A.1.I.i.", "a", "Tim", "SK", "https://drive.example/sk.pdf"]]))
    run = cli("lke", "evidence", str(path), "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {
        "questions": [{"code": "1.1", "letter": "a", "links": ["https://drive.example/sk.pdf"]}],
        "errors": [],
        "warnings": [],
    }
