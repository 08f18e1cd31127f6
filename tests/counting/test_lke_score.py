"""The score from LKE answers (docs/lke.md): values per answer type, percentages from their counts
with the division-by-zero rule, a count above its total, unanswered questions counting 0, the
worth of a question, areas, Hasil and gates.  Expected figures are worked by hand here."""

from __future__ import annotations

import pytest
from lke_builders import official_lines

from zi_dashboard.counting.lke_score import score
from zi_dashboard.reading.lke import load_lke
from zi_dashboard.reading.lke_answers import Answer
from zi_dashboard.reading.lke_instrument import InstrumentError, load_instrument, parse_instrument

INSTRUMENT = load_instrument(2026)


def answers(**by_row) -> dict[int, Answer]:
    return {int(r.lstrip("r")): Answer(int(r.lstrip("r")), v) for r, v in by_row.items()}


def points_of(result, row: int) -> float:
    return next(s.points for s in result.questions if s.question.row == row)


def value_of(result, row: int) -> float | None:
    return next(s.value for s in result.questions if s.question.row == row)


def test_the_bundled_instrument_is_the_published_one():
    """Same rows, sub-areas, letters, types, options and formulas as the published answer sheet."""
    official = official_lines()
    assert len(INSTRUMENT.questions) == len(official) == 137
    for q, r in zip(INSTRUMENT.questions, official, strict=True):
        assert (q.row, q.part, q.code, q.letter, q.kind) == (
            int(r["baris"]),
            r["bagian"],
            r["kode"],
            r["huruf"],
            r["jenis"],
        )
    kinds = [q.kind for q in INSTRUMENT.questions]
    assert (
        kinds.count("YA_TIDAK"),
        kinds.count("ABC"),
        kinds.count("ABCD"),
        kinds.count("ABCDE"),
        kinds.count("PERSEN"),
        kinds.count("JUMLAH"),
        kinds.count("NILAI_0_4"),
    ) == (17, 36, 33, 17, 8, 24, 2)
    assert sum(1 for q in INSTRUMENT.questions if q.part == "pemenuhan") == 87


def test_worked_check_from_the_issue():
    """A sub-area of weight 1 with three ABC questions answered A, B and (blank): (1 + 0,5 + 0) / 3 x 1."""
    lke = load_lke()
    text = (
        "baris,bagian,kode,huruf,jenis,pertanyaan,kriteria,pilihan,induk,rumus\n"
        "9,pemenuhan,1.2,a,ABC,Satu,,A=1;B=0.5;C=0,,\n"
        "10,pemenuhan,1.2,b,ABC,Dua,,A=1;B=0.5;C=0,,\n"
        "11,pemenuhan,1.2,c,ABC,Tiga,,A=1;B=0.5;C=0,,\n"
    )
    instrument = parse_instrument(text, 2026, lke)
    result = score(instrument, answers(r9="A", r10="B"))
    sub = next(s for s in result.sub_areas if s["code"] == "1.2")
    assert sub["points"] == pytest.approx(0.5)
    assert [s.question.letter for s in result.unanswered] == ["c"]


@pytest.mark.parametrize(
    ("row", "answer", "value"),
    [
        (6, "YA", 1.0),
        (6, "TIDAK", 0.0),  # 1.1 a Ya/Tidak
        (7, "A", 1.0),
        (7, "B", 0.5),
        (7, "C", 0.0),  # 1.1 b ABC
        (13, "B", 0.67),
        (13, "C", 0.33),
        (13, "D", 0.0),  # 1.3 a ABCD
        (24, "B", 0.75),
        (24, "C", 0.5),
        (24, "D", 0.25),  # 2.1 b ABCDE
    ],
)
def test_value_per_answer_type(row, answer, value):
    assert value_of(score(INSTRUMENT, answers(**{f"r{row}": answer})), row) == pytest.approx(value)


def test_a_question_is_worth_its_sub_area_weight_over_its_question_count():
    # 1.4 weighs 1,5 and has 4 questions: 1.4 d (ABCD) answered B = 0,67 x 0,375
    result = score(INSTRUMENT, answers(r20="B"))
    assert points_of(result, 20) == pytest.approx(0.67 * 1.5 / 4)
    assert result.pemenuhan_total == pytest.approx(0.67 * 1.5 / 4)


# every percentage of the 2026 LKE: (percent row, counts, expected value)
PERCENTAGES = [
    (125, {126: 8, 127: 6}, 6 / 8),  # changes made per agent
    (128, {129: 10, 130: 4}, 4 / 10),  # changes integrated
    (151, {152: 10, 153: 4}, (10 - 4) / 10),  # decrease of discipline violations
    (157, {158: 12, 159: 9}, 9 / 12),  # targets met
    (168, {169: 20, 171: 15}, 15 / 20),  # complaints settled
    (174, {176: 1, 177: 5, 178: 4, 179: 8}, 8 / 10),  # LHKPN filed, due = 176+177+178
    (181, {183: 3, 184: 7, 185: 40, 186: 25}, 25 / 50),  # non-LHKPN filed, due = 183+184+185
    (190, {191: 16, 192: 4}, 4 / 16),  # services made easier
]


@pytest.mark.parametrize(("row", "counts", "expected"), PERCENTAGES, ids=[str(p[0]) for p in PERCENTAGES])
def test_every_percentage_formula(row, counts, expected):
    result = score(INSTRUMENT, answers(**{f"r{r}": v for r, v in counts.items()}))
    assert value_of(result, row) == pytest.approx(expected)
    assert not result.errors


def test_a_typed_sub_total_is_used_when_its_parts_are_blank():
    result = score(INSTRUMENT, answers(r175=10, r179=8))
    assert value_of(result, 174) == pytest.approx(0.8)


def test_division_by_zero_rules():
    # nothing was due: full value
    assert value_of(score(INSTRUMENT, answers(r126=0, r127=0)), 125) == 1.0
    # no violations last year and none this year: full; none last year but some this year: 0
    assert value_of(score(INSTRUMENT, answers(r152=0, r153=0)), 151) == 1.0
    assert value_of(score(INSTRUMENT, answers(r152=0, r153=2)), 151) == 0.0


def test_a_percentage_is_clipped_to_zero_and_one():
    # more violations this year than last: the decrease is negative, counted 0
    assert value_of(score(INSTRUMENT, answers(r152=4, r153=9)), 151) == 0.0
    # more changes made than agents: a ratio above 1 (that is no part of a whole): counted 1
    assert value_of(score(INSTRUMENT, answers(r126=2, r127=5)), 125) == 1.0


def test_a_count_above_its_total_is_an_input_error():
    result = score(INSTRUMENT, answers(r169=10, r171=12))  # 12 complaints settled of 10
    assert value_of(result, 168) is None
    (problem,) = result.errors
    assert problem.code == "lke_count_above_total"
    assert "R5.2" in problem.message and "12" in problem.message and "10" in problem.message
    assert problem.row == 171


def test_unanswered_count_zero_and_are_listed():
    result = score(INSTRUMENT, {})
    assert result.total == 0.0
    assert len(result.unanswered) == len(INSTRUMENT.scored) == 113
    assert not result.wbk and not result.wbbm


def full_marks() -> dict[int, Answer]:
    out = {}
    for q in INSTRUMENT.questions:
        value = {"YA_TIDAK": "YA", "ABC": "A", "ABCD": "A", "ABCDE": "A", "NILAI_0_4": 4.0}.get(q.kind)
        if value is not None:
            out[q.row] = Answer(q.row, value)
    out.update(
        answers(
            r126=5,
            r127=5,
            r129=5,
            r130=5,
            r152=3,
            r153=0,
            r158=4,
            r159=4,
            r169=2,
            r171=2,
            r176=1,
            r177=1,
            r178=1,
            r179=3,
            r183=1,
            r184=1,
            r185=1,
            r186=3,
            r191=2,
            r192=2,
        )
    )
    return out


def test_full_marks_give_one_hundred_and_both_predicates():
    result = score(INSTRUMENT, full_marks())
    assert result.pemenuhan_total == pytest.approx(30.0)
    assert result.reform_total == pytest.approx(30.0)
    assert result.hasil == pytest.approx(
        {"ipak_points": 17.5, "kinerja_points": 5.0, "birokrasi_bersih": 22.5, "ipkp_points": 17.5, "total": 40.0}
    )
    assert result.total == pytest.approx(100.0)
    assert result.wbk and result.wbbm
    assert not result.unanswered


def test_hasil_and_the_gates_from_answers():
    marks = full_marks()
    marks[199] = Answer(199, 3.5)  # IPAK 3,5 -> 15,3125 < 15,75: the IPAK gate fails for both
    marks[200] = Answer(200, "C")  # kinerja C = 0,5 x 5 = 2,5: passes WBK (2,50), not WBBM (3,75)
    marks[202] = Answer(202, 3.2)  # IPKP 3,2 -> 14,0: WBK yes (14,00), WBBM no (15,75)
    result = score(INSTRUMENT, marks)
    assert result.hasil["ipak_points"] == pytest.approx(3.5 / 4 * 17.5)
    assert result.hasil["kinerja_points"] == pytest.approx(2.5)
    assert result.hasil["ipkp_points"] == pytest.approx(14.0)
    wbk = {g.key: g.passed for g in result.gates["WBK"]}
    wbbm = {g.key: g.passed for g in result.gates["WBBM"]}
    assert (wbk["ipak"], wbk["kinerja"], wbk["pelayanan_prima"]) == (False, True, True)
    assert (wbbm["ipak"], wbbm["kinerja"], wbbm["pelayanan_prima"]) == (False, False, False)
    assert all(wbk[f"area.{a}"] for a in "123456")


def test_an_area_gate_fails_at_the_area_share():
    marks = full_marks()
    for q in INSTRUMENT.questions:  # area 5 Pemenuhan all 0: 7,5 of 15 = 50% < 60%
        if q.code.startswith("5.") and q.row in marks:
            marks[q.row] = Answer(q.row, "TIDAK" if q.kind == "YA_TIDAK" else q.options[-1][0])
    result = score(INSTRUMENT, marks)
    gate = next(g for g in result.gates["WBK"] if g.key == "area.5")
    assert gate.value == pytest.approx(50.0) and not gate.passed


def test_what_to_improve_is_ranked_by_open_points():
    marks = full_marks()
    marks[6] = Answer(6, "TIDAK")  # 1.1 a: 0,25 open
    marks[199] = Answer(199, 3.0)  # IPAK: 17,5 x 0,25 = 4,375 open
    ranked = score(INSTRUMENT, marks).ranked_open()
    assert [s.question.row for s in ranked] == [199, 6]
    assert ranked[0].open_points == pytest.approx(4.375)


def test_a_newer_instrument_is_used_by_later_plan_years(tmp_path):
    for name in ("lke-2026.csv", "lke-2026-questions.csv"):
        (tmp_path / name).write_bytes((INSTRUMENT_DIR / name).read_bytes())
    text = (INSTRUMENT_DIR / "lke-2026-questions.csv").read_text(encoding="utf-8")
    (tmp_path / "lke-2028-questions.csv").write_text(text.replace("Ya=1;Tidak=0", "Ya=1;Tidak=0.1"), encoding="utf-8")
    assert load_instrument(2025, tmp_path).year == 2026  # none older: the oldest
    assert load_instrument(2027, tmp_path).year == 2026
    newer = load_instrument(2028, tmp_path)
    assert newer.year == 2028 and newer.by_row(6).option_value("TIDAK") == 0.1
    assert load_instrument(2031, tmp_path).year == 2028


INSTRUMENT_DIR = __import__("zi_dashboard.reading.plan", fromlist=["DATA_DIR"]).DATA_DIR


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("ABC,", "ABX,"), "lke_instr_bad_kind"),
        (("127/126", "127/*126"), "lke_instr_bad_formula"),
        (("127/126", "127/999"), "lke_instr_bad_ref"),
        (("A=1;B=0.5;C=0", "A=1;B=setengah;C=0"), "lke_instr_bad_options"),
        ((",1.1,", ",9.9,"), "lke_instr_bad_code"),
    ],
)
def test_a_broken_instrument_file_is_refused_with_its_line(change, key):
    text = (INSTRUMENT_DIR / "lke-2026-questions.csv").read_text(encoding="utf-8").replace(*change, 1)
    with pytest.raises(InstrumentError) as info:
        parse_instrument(text, 2027, load_lke())
    assert getattr(info.value.args[0], "key", "") == key
