"""Mandiri vs TPI: a workbook filled the way an office and its TPI fill it (two-row
header "Penilaian Unit Kerja" / "Penilaian TPI", mixed-case answers with text after the letter,
an index typed with a decimal comma, an inserted note row, coloured rows), read by the office
reader, both levels scored, and compared.  Every expected figure is worked by hand below.

Worth of a question = its sub-area's weight / its number of scored questions:
  1.1 (weight 0,5; 2 questions: rows 6, 7) -> 0,25 each
  1.2 (weight 1;   3 questions: rows 9, 10, 11) -> 1/3 each
  R1.2 (weight 1;  1 question: row 132, A-E) -> 1
  H1 (IPAK index / 4 x 17,5: row 199), H2 (kinerja A-E x 5: row 200)

             unit                    TPI                      TPI - unit
  row 6      Ya   1    -> 0,25       Tidak 0   -> 0           -0,25
  row 7      A    1    -> 0,25       B 0,5     -> 0,125       -0,125
  row 9      Ya        -> 1/3        Ya        -> 1/3          0
  row 10     A         -> 1/3        (blank: not yet reviewed)
  row 11     (blank)   -> 0          A         -> 1/3         +1/3
  row 132    A    1    -> 1          C 0,5     -> 0,5         -0,5
  row 199    3,6       -> 15,75      3,2       -> 14          -1,75
  row 200    B 0,75    -> 3,75       B         -> 3,75         0

  unit: Pemenuhan 0,25+0,25+1/3+1/3 = 7/6; Reform 1; Pengungkit 13/6; Hasil 19,5; total 21 2/3
  TPI:  Pemenuhan 0+0,125+1/3+1/3 = 19/24; Reform 0,5; Pengungkit 31/24; Hasil 17,75; total 19 1/24
  difference of the totals: 19 1/24 - 21 16/24 = -2,625
  IPAK gate (>= 15,75): unit passes with 15,75, the TPI fails with 14.
"""

from __future__ import annotations

import pytest
from lke_builders import lke_workbook

from zi_dashboard.counting.lke_compare import ReturnNote, compare
from zi_dashboard.counting.lke_score import score_sheet
from zi_dashboard.outputs import lke_compare_out as out
from zi_dashboard.reading.lke_instrument import load_instrument
from zi_dashboard.reading.lke_workbook import read_lke_workbook

INSTRUMENT = load_instrument(2026)
UNIT = {"6": "ya", "7": "a. Jika semua anggota", "9": "YA", "10": "A", "132": "a", "199": "3,6", "200": "B. sebagian"}
TPI = {"6": "Tidak", "7": "b", "9": "Ya", "11": "A", "132": "C", "199": "3,2", "200": "b"}


def both_levels(returned=(), pics=None):
    data = lke_workbook(
        UNIT,
        TPI,
        notes={"6": "SK Tim ZI nomor 12/2026"},
        two_row_header=True,
        insert_rows={4: [None, None, None, None, None, None, "Catatan: diisi oleh Tim ZI"]},
        colour=(8, 9),
    )
    sheet = read_lke_workbook(data, "LKE ZI 2026 - TPI.xlsx", INSTRUMENT)
    assert not sheet.problems and sheet.levels == ("unit", "tpi")
    return compare(score_sheet(INSTRUMENT, sheet, "unit"), score_sheet(INSTRUMENT, sheet, "tpi"), returned, pics or {})


def test_totals_parts_and_areas_side_by_side():
    c = both_levels()
    assert c.unit.total == pytest.approx(21 + 2 / 3)
    assert c.tpi.total == pytest.approx(19 + 1 / 24)
    assert c.difference == pytest.approx(-2.625)
    expected = {  # key: (unit, TPI, maximum)
        "total": (21 + 2 / 3, 19 + 1 / 24, 100.0),
        "pengungkit": (13 / 6, 31 / 24, 60.0),
        "pemenuhan": (7 / 6, 19 / 24, 30.0),
        "reform": (1.0, 0.5, 30.0),
        "hasil": (19.5, 17.75, 40.0),
        "area.1": (13 / 6, 31 / 24, 8.0),
        "area.2": (0.0, 0.0, 7.0),
    }
    for key, (unit, tpi, top) in expected.items():
        f = c.figure(key)
        assert (f.unit, f.tpi, f.max) == pytest.approx((unit, tpi, top)), key
        assert f.difference == pytest.approx(tpi - unit), key
    assert [f.key for f in c.figures][5:] == [f"area.{k}" for k in "123456"]
    table = out.figures_table(c)
    assert table.iloc[0].tolist() == ["Total", "21,67", "19,04", "−2,63", "100,00"]
    assert table.iloc[5].tolist()[1:4] == ["2,17", "1,29", "−0,88"]


def test_every_gate_at_both_levels():
    c = both_levels()
    ipak = {g.predicate: g for g in c.gates if g.key == "ipak"}
    assert ipak["WBK"].unit.value == pytest.approx(15.75) and ipak["WBK"].unit.passed
    assert ipak["WBK"].tpi.value == pytest.approx(14.0) and not ipak["WBK"].tpi.passed
    assert ipak["WBK"].differs
    assert len(c.gates) == len(c.unit.gates["WBK"]) + len(c.unit.gates["WBBM"])
    bb = next(g for g in c.gates if g.predicate == "WBK" and g.key == "birokrasi_bersih")
    assert (bb.unit.value, bb.tpi.value) == pytest.approx((19.5, 17.75))  # IPAK + kinerja points
    assert (bb.unit.passed, bb.tpi.passed) == (True, False)  # >= 18,25
    row = out.gates_table(c).set_index(L_GATE).loc["Poin IPAK"]
    assert (row["Mandiri"], row["TPI"], row["WBK (mandiri / TPI)"]) == ("15,75", "14,00", "✓ / ✗")


L_GATE = "Syarat"


def test_differing_questions_ranked_by_points_at_stake():
    c = both_levels()
    ranked = [(d.question.row, round(d.at_stake, 4), round(d.difference, 4)) for d in c.differing]
    assert ranked == [
        (199, 1.75, -1.75),
        (132, 0.5, -0.5),
        (11, 0.3333, 0.3333),
        (6, 0.25, -0.25),
        (7, 0.125, -0.125),
    ]
    assert c.at_stake == pytest.approx(1.75 + 0.5 + 1 / 3 + 0.25 + 0.125)
    assert [s.question.row for s in c.not_reviewed] == [10]  # answered by the unit, not yet by the TPI
    table = out.differing_table(c)
    assert table.iloc[0][["Kode", "Jawaban mandiri", "Jawaban TPI", "Selisih poin"]].tolist() == [
        "H1",
        "3,60",
        "3,20",
        "−1,75",
    ]
    assert table.iloc[2][["Kode", "Huruf", "Jawaban mandiri", "Jawaban TPI"]].tolist() == ["1.2", "c", "–", "A"]
    assert out.reviewed_line(c).startswith("TPI menjawab 7 dari 113 pertanyaan · 5 pertanyaan berbeda (2,96 poin")


def test_returned_questions_with_their_notes_per_pic():
    c = both_levels(
        [ReturnNote(6, "Perlu perbaikan: SK belum ditandatangani"), ReturnNote(126, "Jumlah agen perubahan salah")],
        {"1.1": "Budi; Sari", "1.2": "Rina"},
    )
    assert [(r.question.row, r.pic) for r in c.returned] == [(6, "Budi; Sari"), (125, "")]  # a count: its percentage
    per_pic = c.returned_by_pic()
    assert list(per_pic) == ["Budi", "Sari", ""]
    assert [r.note for r in per_pic["Sari"]] == ["Perlu perbaikan: SK belum ditandatangani"]
    lines = out.returned_lines(per_pic["Budi"])
    assert lines == [
        "- 1.1 a Unit kerja telah membentuk tim untuk melakukan pembangunan Zona Integritas: "
        "Perlu perbaikan: SK belum ditandatangani (jawaban unit Ya, TPI Tidak)"
    ]


def test_no_difference_when_the_tpi_agrees():
    data = lke_workbook(UNIT, UNIT, two_row_header=True)
    sheet = read_lke_workbook(data, "lke.xlsx", INSTRUMENT)
    c = compare(score_sheet(INSTRUMENT, sheet, "unit"), score_sheet(INSTRUMENT, sheet, "tpi"))
    assert c.difference == 0.0 and c.differing == [] and c.not_reviewed == []
    assert not any(g.differs for g in c.gates)
    assert out.sections(c)[2][1] is None  # 'Tidak ada pertanyaan yang dinilai berbeda'
