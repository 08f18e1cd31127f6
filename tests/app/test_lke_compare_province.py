"""Semua Satker with the TPI: each unit's LKE total from its own answers and from
the TPI's (hand-worked figures of tests/counting/test_lke_compare.py), «belum dinilai» where a
level has no answers, the review stage with its deadline, and the units past a deadline flagged."""

from __future__ import annotations

from datetime import date

from test_province_page import GARUT, HOME, KOTA_BANDUNG, open_province, province, table  # noqa: F401

from zi_dashboard import labels as L
from zi_dashboard.app import lke as service_lke
from zi_dashboard.app import lke_compare, service
from zi_dashboard.reading.lke_answers import Answer

C, P = L.LKE_COMPARE, L.PROVINCE
UNIT = {6: "YA", 7: "A", 9: "YA", 10: "A", 132: "A", 199: 3.6, 200: "B"}
TPI = {6: "TIDAK", 7: "B", 9: "YA", 11: "A", 132: "C", 199: 3.2, 200: "B"}


def save(unit: str, level: str, given: dict) -> None:
    wp = service.workplan_of(unit, 2025)
    answers = {row: Answer(row, value) for row, value in given.items()}
    service_lke.save_answers(answers, "Operator", f"LKE {level}.xlsx", wp, level, rights=service_lke.OPERATOR)


def test_each_unit_shows_both_totals(province):  # noqa: F811 - the fixture of test_province_page
    save(GARUT, "unit", UNIT)
    save(GARUT, "tpi", TPI)
    save(KOTA_BANDUNG, "unit", UNIT)
    t = table(open_province()).set_index(P["col_unit"])
    assert (t.loc[GARUT, C["province_unit"]], t.loc[GARUT, C["province_tpi"]]) == ("21,67", "19,04")
    assert (t.loc[KOTA_BANDUNG, C["province_unit"]], t.loc[KOTA_BANDUNG, C["province_tpi"]]) == (
        "21,67",
        C["province_none"],
    )
    assert t.loc[HOME, C["province_unit"]] == t.loc[HOME, C["province_tpi"]] == C["province_none"]
    columns = list(t.columns)
    assert columns.index(C["province_unit"]) == columns.index(P["col_predicate"]) + 1


def test_the_review_stage_and_an_overdue_deadline_are_shown(province, monkeypatch):  # noqa: F811
    stages = {
        service.unit_key(GARUT): lke_compare.Stage("Dinilai TPI", date(2025, 11, 30), True),
        service.unit_key(KOTA_BANDUNG): lke_compare.Stage("Penilaian mandiri", date(2025, 12, 20), False),
    }
    monkeypatch.setattr(lke_compare, "stage", lambda wp=None: stages.get(service.unit_key(wp.unit)))
    at = open_province()
    t = table(at).set_index(P["col_unit"])
    assert t.loc[GARUT, C["province_state"]] == "Dinilai TPI · ⚠ lewat tenggat 30/11/2025"
    assert t.loc[KOTA_BANDUNG, C["province_state"]] == "Penilaian mandiri · tenggat 20/12/2025"
    assert t.loc[HOME, C["province_state"]] == ""
    assert C["province_late"].format(names=GARUT) in [w.value for w in at.warning]
