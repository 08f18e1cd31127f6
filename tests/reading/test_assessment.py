"""The self-assessment (penilaian mandiri) and the plan's weight column: bad input is refused
with a message naming the field; a sheet made from the template reads back; weights are read
from a "Bobot"/"Bobot LKE" column whatever the plan file looks like."""

from __future__ import annotations

import io

import openpyxl
import pytest
from builders import CODES, COMPONENT, INDICATOR, csv_bytes, xlsx

from zi_dashboard import labels as L
from zi_dashboard.outputs.assessment_out import assessment_template
from zi_dashboard.reading.assessment import Assessment, from_json, read_assessment, validate
from zi_dashboard.reading.lke import load_lke
from zi_dashboard.reading.plan import PlanError, read_plan
from zi_dashboard.reading.sheets import UnreadableFile

LKE = load_lke()


def test_the_lke_structure():
    assert LKE.area_weights("pemenuhan") == pytest.approx({"1": 4, "2": 3.5, "3": 5, "4": 5, "5": 7.5, "6": 5})
    assert LKE.area_weights("reform") == LKE.area_weights("pemenuhan")
    assert sum(LKE.area_weights("reform").values()) == pytest.approx(30)
    assert [s.weight for s in LKE.part("hasil")] == [17.5, 5, 17.5]


def test_valid_values_as_people_type_them():
    a, problems = validate({"R1": "2,5", "R5": 7.5, "IPAK": "3.6", "IPKP": " 3,2 ", "KINERJA": "", "R2": None}, LKE)
    assert problems == []
    assert a.reform == {"1": 2.5, "5": 7.5} and a.ipak == 3.6 and a.ipkp == 3.2 and a.kinerja is None


def test_sub_areas_add_up_to_their_area():
    a, problems = validate({"R1.1": "2", "R1.2": "0,5", "R1.3": 1}, LKE)
    assert problems == [] and a.reform == {"1": 3.5}
    # the area written beside its sub-areas must agree with their sum
    _, problems = validate({"R1.1": "2", "R1": "3"}, LKE)
    assert [p.code for p in problems] == ["assess_sum_conflict"]


@pytest.mark.parametrize(
    "field,value,code,named",
    [
        ("IPAK", "4,5", "assess_out_of_range", "IPAK"),
        ("IPKP", -1, "assess_out_of_range", "IPKP"),
        ("KINERJA", "5,01", "assess_out_of_range", "Capaian kinerja"),
        ("R5", "7,6", "assess_out_of_range", "Reform 5. Penguatan Pengawasan"),  # over the area's weight
        ("R2.1", "0,6", "assess_out_of_range", "R2.1"),
        ("R3", "tiga", "assess_not_number", "Reform 3"),
        ("IPAK", "3.6 (survei)", "assess_not_number", "IPAK"),
        # no tolerance above a maximum: 1e-9 over it used to be saved, then broke Kesiapan
        ("IPAK", 4.0000000000000009, "assess_out_of_range", "IPAK"),
        ("IPKP", "4,0000000001", "assess_out_of_range", "IPKP"),
        ("KINERJA", 5 + 1e-12, "assess_out_of_range", "Capaian kinerja"),
        ("R5", "7,5000000001", "assess_out_of_range", "Reform 5"),
        ("X9", "1", "assess_unknown_field", "X9"),
    ],
)
def test_bad_input_is_refused_naming_the_field(field, value, code, named):
    a, problems = validate({"R1": "2", field: value}, LKE)
    assert a is None
    assert [p.code for p in problems] == [code]
    assert named in problems[0].message


def _template_filled(values: dict[str, object]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(assessment_template(LKE)))
    ws = wb.active
    for row in ws.iter_rows(min_row=5):
        if row[0].value in values:
            row[2].value = values[row[0].value]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_template_reads_back():
    data = _template_filled({"R1": 3, "R5.2": "2,5", "R5.1": 2.5, "IPAK": 3.7, "IPKP": "3,4", "KINERJA": 4})
    a, problems = read_assessment(data, "penilaian.xlsx", LKE)
    assert problems == []
    assert a.reform == {"1": 3.0, "5": 5.0} and a.reform_sub == {"R5.1": 2.5, "R5.2": 2.5}
    assert (a.ipak, a.ipkp, a.kinerja) == (3.7, 3.4, 4.0)


def test_a_bad_sheet_names_the_row_and_field():
    data = _template_filled({"R1": 3, "IPAK": "4,5"})
    a, problems = read_assessment(data, "penilaian.xlsx", LKE)
    assert a is None and len(problems) == 1
    wb = openpyxl.load_workbook(io.BytesIO(data))
    (row,) = [c.row for c in wb.active["A"] if c.value == "IPAK"]
    assert problems[0].row == row and "IPAK" in problems[0].message


def test_a_sheet_a_hair_over_the_maximum_is_refused():
    """A sheet whose IPAK cell holds 4,0000000000000009 (a formula's rounding) is refused, naming
    the value; at exactly the maximum it is taken."""
    a, problems = read_assessment(_template_filled({"IPAK": 4.0000000000000009}), "penilaian.xlsx", LKE)
    assert a is None and [p.code for p in problems] == ["assess_out_of_range"]
    assert "4,000000000000001" in problems[0].message and "0–4" in problems[0].message
    a, problems = read_assessment(_template_filled({"IPAK": 4.0, "KINERJA": 5}), "penilaian.xlsx", LKE)
    assert problems == [] and (a.ipak, a.kinerja) == (4.0, 5.0)


def test_a_stored_assessment_over_its_maximum_is_counted_clipped_and_said():
    """Stores made before the no-tolerance rule may hold 4,0000000000000009: it is read as the
    maximum (so no page raises on it) with the problem, and the other values are kept."""
    a, problems = from_json('{"IPAK": 4.000000000000001, "KINERJA": 5.0000000001, "R1": 2, "IPKP": 3.2}', LKE)
    assert (a.ipak, a.kinerja, a.ipkp, a.reform) == (4.0, 5.0, 3.2, {"1": 2.0})
    assert [p.code for p in problems] == ["assess_out_of_range"] * 2
    a, problems = from_json('{"IPAK": -1, "X": 1, "R2": "dua", "IPKP": 3}', LKE)
    assert (a.ipak, a.ipkp, a.reform) == (None, 3.0, {}) and len(problems) == 3
    assert from_json('{"IPAK": 3.5}', LKE) == (Assessment(ipak=3.5), [])
    assert from_json("[1, 2]", LKE)[0] == Assessment() and from_json("", LKE) == (Assessment(), [])


def test_a_sheet_without_the_table():
    a, problems = read_assessment(csv_bytes([["Nama", "Nilai"], ["IPAK", 3]]), "x.csv", LKE)
    assert a is None and [p.code for p in problems] == ["assess_no_table"]
    with pytest.raises(UnreadableFile):
        read_assessment(b"%PDF-1.7 not a sheet", "x.xlsx", LKE)


# --- the plan's weight column ------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Bobot", "Bobot LKE", "BOBOT LKE", "Bobot (LKE)"])
def test_plan_weight_column_by_any_of_its_names(header):
    rows = [["Kode", "Komponen", "Indikator/Program", "Target Waktu", header]]
    rows += [[c, COMPONENT[c], INDICATOR[c], "Oktober s/d Desember 2025", "0,5" if c == "1.1" else 1.25] for c in CODES]
    plan = read_plan(xlsx([["RENCANA KERJA"], [], *rows]), "rencana.xlsx")
    assert plan.has_weights
    assert plan.rows.loc["1.1", "weight"] == 0.5 and plan.rows.loc["6.5", "weight"] == 1.25


def test_plan_with_a_bad_weight_is_refused():
    rows = [["Kode", "Komponen", "Indikator/Program", "Target Waktu", "Bobot"]]
    rows += [[c, COMPONENT[c], INDICATOR[c], "Oktober 2025", "satu" if c == "2.2" else 1] for c in CODES]
    with pytest.raises(PlanError) as info:
        read_plan(csv_bytes(rows), "rencana.csv")
    assert [p.code for p in info.value.problems] == ["plan_bad_weight"]
    assert info.value.problems[0].row == 1 + CODES.index("2.2") + 1 and info.value.problems[0].column == "Bobot"


def test_plan_with_some_weights_missing_has_no_weights():
    rows = [["Kode", "Komponen", "Indikator/Program", "Target Waktu", "Bobot"]]
    rows += [[c, COMPONENT[c], INDICATOR[c], "Oktober 2025", "" if c == "3.3" else 1] for c in CODES]
    plan = read_plan(csv_bytes(rows), "rencana.csv")
    assert not plan.has_weights and plan.rows["weight"].isna().sum() == 1


def test_the_words_are_indonesian():
    assert L.msg("assess_out_of_range", field="IPAK", value="4,5", max="4").startswith("IPAK: 4,5 di luar")
