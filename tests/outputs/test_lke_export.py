"""The LKE workbook exported in the official answer-sheet layout (docs/lke.md, "Ekspor"): read
back it gives the same answers and the same score; its value, points, sums and gates are Excel
formulas that recompute to the score (checked with a small evaluator of those formulas) and move
when an answer is changed in Excel; text from users never becomes a formula."""

from __future__ import annotations

import io

import pytest
from lke_builders import lke_workbook, official_lines
from openpyxl import load_workbook
from xlsx_formulas import Book

from zi_dashboard.counting.lke_score import score, score_sheet
from zi_dashboard.outputs import lke_export
from zi_dashboard.reading.lke_answers import Answer
from zi_dashboard.reading.lke_instrument import load_instrument
from zi_dashboard.reading.lke_workbook import read_lke_workbook

INSTRUMENT = load_instrument(2026)
HOSTILE = ['=HYPERLINK("http://evil.example","klik")', "+62 812 555", "-1+2", "@SUM(A1)", "=1+1"]


def office_answers() -> dict[str, object]:
    """A Tim ZI's workbook: every answer type, mixed case, text after the letter, some blank, counts
    with thousands dots, a sub-total typed and its parts, and a percentage only typed."""
    typed = {
        "YA_TIDAK": "ya",
        "ABC": "b. sebagian",
        "ABCD": "C",
        "ABCDE": "a. Jika semua",
        "JUMLAH": "1.250",
        "NILAI_0_4": "3,62",
    }
    out = {r["baris"]: typed.get(r["jenis"]) for r in official_lines()}
    out.update(
        {
            "9": "TIDAK",
            "10": None,
            "24": "(e)",  # blank, TIDAK, a letter in brackets
            "126": 8,
            "127": 6,  # 6 changes by 8 agents
            "152": 0,
            "153": 0,
            "154": 0,  # no violations last year nor this: full value
            "158": 4,
            "159": None,
            "157": "75%",  # a count missing: the typed % counts
            "169": 10,
            "170": 2,
            "171": 7,
            "175": 99,
            "176": 1,
            "177": 3,
            "178": 6,
            "179": 9,  # the parts win over the typed sub-total
            "182": None,
            "183": None,
            "184": None,
            "185": None,
            "186": 0,  # due 0: nothing was due
            "199": "3.5",
            "202": 4,
        }
    )
    return out


def office_sheet(**kw):
    notes = {"6": HOSTILE[0], "7": HOSTILE[1], "11": HOSTILE[2], "12": HOSTILE[3], "13": "Sudah ditetapkan SK"}
    links = {"6": "https://drive.example/sk-tim.pdf", "7": "https://drive.example/a https://drive.example/b"}
    sheet = read_lke_workbook(lke_workbook(office_answers(), notes=notes, links=links, **kw), "LKE ZI.xlsx", INSTRUMENT)
    assert not sheet.errors, [p.text() for p in sheet.problems]
    return sheet


def export(unit, tpi=None) -> bytes:
    return lke_export.lke_workbook_bytes(INSTRUMENT, unit, tpi, unit_name="KPU Kota Tasikmalaya", year=2026)


def test_reading_the_export_back_gives_the_same_answers_and_score():
    sheet = office_sheet()
    data = export(sheet.answers["unit"])
    back = read_lke_workbook(data, "lke-ekspor.xlsx", INSTRUMENT)
    assert not back.problems, [p.text() for p in back.problems]
    assert back.answers["unit"] == sheet.answers["unit"]
    assert back.levels == ("unit", "tpi") and back.answers["tpi"] == {}
    assert score_sheet(INSTRUMENT, back).total == pytest.approx(score_sheet(INSTRUMENT, sheet).total)
    # the same rows as the official sheet: every question on its instrument row
    assert back.sheet_rows == {q.row: q.row for q in INSTRUMENT.questions}


def test_the_summary_sheet_recomputes_to_the_score():
    answers = office_sheet().answers["unit"]
    result = score(INSTRUMENT, answers)
    book = Book(export(answers))
    cells = {book.value("Unit", f"B{r}"): r for r in range(1, 80) if book.value("Unit", f"B{r}")}
    value = lambda name: book.value("Unit", f"D{cells[name]}")  # noqa: E731
    assert value("NILAI TOTAL") == pytest.approx(result.total)
    assert value("PENGUNGKIT") == pytest.approx(result.pengungkit)
    assert value("PEMENUHAN") == pytest.approx(result.pemenuhan_total)
    assert value("REFORM") == pytest.approx(result.reform_total)
    assert value("HASIL") == pytest.approx(result.hasil["total"])
    assert book.value("Unit", f"E{cells['Memenuhi syarat WBK']}") == ("Ya" if result.wbk else "Tidak")
    # every question's value and points, percentages from their counts included
    for s in result.questions:
        r = s.question.row
        got = book.value("Jawaban", f"S{r}")
        assert (None if got == "" else got) == pytest.approx(s.value), s.question.label
        assert book.value("Jawaban", f"T{r}") == pytest.approx(s.points), s.question.label


def test_a_full_mark_unit_passes_every_gate_in_excel_too():
    answers = {}
    for q in INSTRUMENT.questions:
        best = {"PERSEN": None, "JUMLAH": 5, "NILAI_0_4": 4.0}.get(q.kind, q.options[0][0] if q.options else None)
        answers[q.row] = Answer(q.row, best)
    answers[153] = Answer(153, 0)  # violations went from 5 to 0
    result = score(INSTRUMENT, answers)
    assert result.wbbm
    book = Book(export(answers))
    rows = {book.value("Unit", f"B{r}"): r for r in range(1, 80) if book.value("Unit", f"B{r}")}
    assert book.value("Unit", f"D{rows['NILAI TOTAL']}") == pytest.approx(result.total)
    assert book.value("Unit", f"E{rows['Memenuhi syarat WBBM']}") == "Ya"


def test_an_answer_changed_in_excel_moves_the_sums():
    answers = office_sheet().answers["unit"]
    before = score(INSTRUMENT, answers).total
    wb = load_workbook(io.BytesIO(export(answers)))
    wb["Jawaban"]["K7"] = "a. Jika dengan prosedur"  # 1.1 b from B (0,5) to A (1)
    wb["Jawaban"]["K127"] = 8  # R1.1 a: 8 changes by 8 agents
    buf = io.BytesIO()
    wb.save(buf)
    book = Book(buf.getvalue())
    total_row = next(r for r in range(1, 80) if book.value("Unit", f"B{r}") == "NILAI TOTAL")
    gain = 0.25 * 0.5 + INSTRUMENT.worth(INSTRUMENT.by_row(125)) * (1 - 6 / 8)
    assert book.value("Unit", f"D{total_row}") == pytest.approx(before + gain)


def test_text_from_users_is_never_a_formula():
    answers = {
        6: Answer(6, "YA", HOSTILE[0], HOSTILE[4], ("https://x.example/1",)),
        7: Answer(7, "B", HOSTILE[1], HOSTILE[3]),
        9: Answer(9, None, HOSTILE[2]),
    }
    data = export(answers, {6: Answer(6, "TIDAK", HOSTILE[4])})
    ws = load_workbook(io.BytesIO(data))["Jawaban"]
    user_columns = "KLMNOR"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.column_letter in user_columns and cell.value is not None:
                assert cell.data_type == "s", cell.coordinate
    assert ws["L6"].value == HOSTILE[0] and ws["M6"].value == HOSTILE[4] and ws["R6"].value == HOSTILE[4]
    back = read_lke_workbook(data, "x.xlsx", INSTRUMENT)
    assert back.answers["unit"][6].note == HOSTILE[0] and back.answers["unit"][9].note == HOSTILE[2]


def test_the_tpi_level_is_exported_beside_the_unit():
    unit = office_sheet().answers["unit"]
    tpi = {6: Answer(6, "TIDAK", "SK belum ditandatangani"), 7: Answer(7, "A"), 199: Answer(199, 3.0)}
    data = export(unit, tpi)
    back = read_lke_workbook(data, "x.xlsx", INSTRUMENT)
    assert back.answers["tpi"] == tpi and back.answers["unit"] == unit
    book = Book(data)
    assert book.wb.sheetnames == ["Jawaban", "Unit", "TPI"]
    total_row = next(r for r in range(1, 80) if book.value("TPI", f"B{r}") == "NILAI TOTAL")
    assert book.value("TPI", f"D{total_row}") == pytest.approx(score(INSTRUMENT, tpi, "tpi").total)
    assert score_sheet(INSTRUMENT, back, "tpi").total == pytest.approx(score(INSTRUMENT, tpi, "tpi").total)


def test_an_empty_answer_set_exports_the_instrument_to_fill():
    data = export({})
    back = read_lke_workbook(data, "kosong.xlsx", INSTRUMENT)
    assert len(back.sheet_rows) == len(INSTRUMENT.questions) and not back.errors
    assert score_sheet(INSTRUMENT, back).total == 0
    ws = load_workbook(io.BytesIO(data))["Jawaban"]
    assert ws["G6"].value == INSTRUMENT.by_row(6).text and ws["J7"].value.startswith("A = 1")
