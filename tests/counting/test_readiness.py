"""Readiness for WBK/WBBM (counting/readiness.py, docs/counting.md "Kesiapan"): the Pemenuhan
estimate from progress, every predicate gate at its threshold (just below, equal, above),
points still open, evidence, follow-up per PIC, and the what-if that changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from builders import CODES, COMPONENT, STANDARD_HEADER, csv_bytes, standard_rows

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import compute
from zi_dashboard.counting.readiness import follow_up, readiness
from zi_dashboard.outputs.readiness_out import shortfall_lines
from zi_dashboard.reading.assessment import Assessment
from zi_dashboard.reading.plan import load_plan, read_plan
from zi_dashboard.reading.progress import read_progress

AS_OF = date(2025, 11, 15)
# the LKE's Pemenuhan weights (lke-2026.csv), written out here, not taken from the package
WEIGHTS = {
    "1.1": 0.5,
    "1.2": 1,
    "1.3": 1,
    "1.4": 1.5,
    "2.1": 1,
    "2.2": 2,
    "2.3": 0.5,
    "3.1": 0.25,
    "3.2": 0.5,
    "3.3": 1.25,
    "3.4": 2,
    "3.5": 0.75,
    "3.6": 0.25,
    "4.1": 2.5,
    "4.2": 2.5,
    "5.1": 1.5,
    "5.2": 1.5,
    "5.3": 1.5,
    "5.4": 1.5,
    "5.5": 1.5,
    "6.1": 1,
    "6.2": 1,
    "6.3": 1,
    "6.4": 1,
    "6.5": 1,
}
REFORM_MAX = {"1": 4.0, "2": 3.5, "3": 5.0, "4": 5.0, "5": 7.5, "6": 5.0}


def result_of(values: dict[str, object], as_of: date = AS_OF, rows=None, plan=None):
    plan = plan or load_plan()
    data = csv_bytes(rows or standard_rows(values))
    report = read_progress(data, "progres.csv", plan)
    assert report.valid, [p.text() for p in report.errors]
    return compute(plan, report.rows, as_of)


def test_the_bundled_plan_carries_the_pemenuhan_weights():
    plan = load_plan()
    assert plan.has_weights
    assert dict(zip(plan.rows["code"], plan.rows["weight"], strict=True)) == pytest.approx(WEIGHTS)
    assert plan.rows["weight"].sum() == pytest.approx(30.0)


def test_worked_check_manajemen_perubahan():
    r = readiness(result_of({"1.1": 100, "1.2": 80, "1.3": 40, "1.4": 30}))
    area = r.areas.set_index("code").loc["1"]
    assert area["pemenuhan"] == pytest.approx(2.15) and area["pemenuhan_max"] == pytest.approx(4.0)
    rows = r.rows.set_index("code")
    assert rows.loc[["1.1", "1.2", "1.3", "1.4"], "pemenuhan"].tolist() == pytest.approx([0.5, 0.8, 0.4, 0.45])
    assert r.pemenuhan_total == pytest.approx(2.15) and r.pemenuhan_max == pytest.approx(30.0)
    # points still open: weight x (100 - progress) / 100, most first
    assert rows.loc["1.4", "open"] == pytest.approx(1.05)
    top = r.open_points
    assert top["code"].iloc[0] in ("4.1", "4.2") and top["open"].iloc[0] == pytest.approx(2.5)
    assert "1.1" not in set(top["code"])  # done: nothing open
    assert top["open"].is_monotonic_decreasing


def test_overdue_rows_are_marked_and_progress_and_status_come_from_compute():
    res = result_of({"1.1": 100, "1.2": 80})
    r = readiness(res)
    rows = r.rows.set_index("code")
    ind = res.indicators.set_index("code")
    assert rows["status"].tolist() == ind["status"].tolist()
    assert rows["progress"].tolist() == ind["progress"].tolist()
    assert rows.loc["1.2", "status"] == L.OVERDUE and rows.loc["1.2", "days_overdue"] == 15
    assert r.open_points.set_index("code").loc["1.2", "status"] == L.OVERDUE


def test_a_plan_without_weights_still_counts_and_says_so():
    text = "Kode;Komponen;Indikator/Program;Target Waktu\r\n" + "".join(
        f"{c};{COMPONENT[c]};Indikator {c};Oktober s/d Desember 2025\r\n" for c in CODES
    )
    plan = read_plan(text.encode(), "rencana.csv")
    assert not plan.has_weights
    r = readiness(result_of({"1.1": 100}, plan=plan))
    assert r.pemenuhan_total == 0 and "weights" in r.missing_inputs
    assert not r.wbk


def test_missing_inputs_count_zero_and_are_listed():
    r = readiness(result_of({}), Assessment(reform={"1": 2.0}, ipak=3.0))
    assert r.missing_inputs == ["R2", "R3", "R4", "R5", "R6", "IPKP", "KINERJA"]
    assert r.reform_total == 2.0 and r.hasil["ipkp_points"] == 0 and r.hasil["kinerja_points"] == 0
    assert r.hasil["ipak_points"] == pytest.approx(3.0 / 4 * 17.5)


# --- every gate at its threshold -----------------------------------------------------------
def _assess(reform_total: float = 30.0, ipak=4.0, ipkp=4.0, kinerja=5.0) -> Assessment:
    return Assessment(
        reform={a: reform_total * w / 30.0 for a, w in REFORM_MAX.items()}, ipak=ipak, ipkp=ipkp, kinerja=kinerja
    )


_DONE = None


def _all_done():
    global _DONE
    if _DONE is None:
        _DONE = result_of({c: 100 for c in CODES})
    return _DONE


def _progress(p: float):
    return result_of({c: p for c in CODES})


# gate -> (predicate, threshold, build(d) where d moves the gate's value by d)
GATES = {
    ("WBK", "total"): (75.0, lambda d: readiness(_all_done(), _assess(27.5 + d, ipak=2, ipkp=2, kinerja=0))),
    ("WBBM", "total"): (85.0, lambda d: readiness(_all_done(), _assess(26.25 + d, ipak=4, ipkp=2, kinerja=2.5))),
    ("WBK", "pengungkit"): (40.0, lambda d: readiness(_all_done(), _assess(10 + d))),
    ("WBBM", "pengungkit"): (48.0, lambda d: readiness(_all_done(), _assess(18 + d))),
    ("WBK", "birokrasi_bersih"): (18.25, lambda d: readiness(_all_done(), _assess(ipak=3.6, kinerja=2.5 + d))),
    ("WBBM", "birokrasi_bersih"): (19.5, lambda d: readiness(_all_done(), _assess(ipak=3.6, kinerja=3.75 + d))),
    ("WBK", "ipak"): (15.75, lambda d: readiness(_all_done(), _assess(ipak=3.6 + d * 4 / 17.5))),
    ("WBBM", "ipak"): (15.75, lambda d: readiness(_all_done(), _assess(ipak=3.6 + d * 4 / 17.5))),
    ("WBK", "kinerja"): (2.5, lambda d: readiness(_all_done(), _assess(kinerja=2.5 + d))),
    ("WBBM", "kinerja"): (3.75, lambda d: readiness(_all_done(), _assess(kinerja=3.75 + d))),
    ("WBK", "pelayanan_prima"): (14.0, lambda d: readiness(_all_done(), _assess(ipkp=3.2 + d * 4 / 17.5))),
    ("WBBM", "pelayanan_prima"): (15.75, lambda d: readiness(_all_done(), _assess(ipkp=3.6 + d * 4 / 17.5))),
}
# each area: Reform full, Pemenuhan at p%: the area is at (1 + p/100) / 2 of its weight
for _a in REFORM_MAX:
    GATES[("WBK", f"area.{_a}")] = (60.0, lambda d: readiness(_progress(20 + 2 * d), _assess()))
    GATES[("WBBM", f"area.{_a}")] = (75.0, lambda d: readiness(_progress(50 + 2 * d), _assess()))


def _find(r, predicate, key):
    (g,) = [g for g in r.gates[predicate] if g.key == key]
    return g


@pytest.mark.parametrize("side,delta", [("below", -0.01), ("equal", 0.0), ("above", 0.01)])
@pytest.mark.parametrize("gate", sorted(GATES), ids=lambda g: f"{g[0]}-{g[1]}")
def test_every_gate_at_its_threshold(gate, side, delta):
    predicate, key = gate
    threshold, build = GATES[gate]
    g = _find(build(delta), predicate, key)
    assert g.threshold == threshold
    assert g.value == pytest.approx(threshold + delta, abs=1e-6)
    assert g.passed is (side != "below")
    if side == "below":
        assert g.missing > 0
    else:
        assert g.missing == 0


def test_every_gate_of_lke_md_is_there():
    r = readiness(_all_done(), _assess())
    areas = [f"area.{a}" for a in REFORM_MAX]
    common = ["total", "pengungkit", *areas, "birokrasi_bersih", "ipak", "kinerja", "pelayanan_prima"]
    assert [g.key for g in r.gates["WBK"]] == common
    assert [g.key for g in r.gates["WBBM"]] == ["wbk", *common]
    assert r.total == pytest.approx(100.0) and r.wbk and r.wbbm


@pytest.mark.parametrize("ipak,wbk", [(3.59, False), (3.6, True)])
def test_wbbm_needs_wbk_first(ipak, wbk):
    r = readiness(_all_done(), _assess(ipak=ipak))
    assert r.wbk is wbk
    assert _find(r, "WBBM", "wbk").passed is wbk
    assert r.wbbm is wbk


def test_area_shortfall_in_plain_words():
    # Penguatan Pengawasan: Reform 3, Pemenuhan 7,5 x 46/100 = 3,45 -> 6,45 of 15 = 43,0%
    r = readiness(_progress(46), Assessment(reform={"5": 3.0}))
    g = _find(r, "WBK", "area.5")
    assert g.value == pytest.approx(43.0) and g.missing == pytest.approx(9.0 - 6.45)
    assert "Penguatan Pengawasan 43,0% dari bobot, perlu 60%: kurang 2,55 poin" in shortfall_lines(r, "WBK")


# --- evidence --------------------------------------------------------------------------------
def test_evidence_links_are_counted_per_row():
    rows = standard_rows({"1.1": 100, "1.2": 50, "1.3": 40, "1.4": 0, "2.1": 100})
    ev = STANDARD_HEADER.index("Bukti Dukung")
    cells = {
        "1.1": "https://a.example/1\nhttps://a.example/2; https://a.example/3, https://a.example/1",
        "1.2": "",
        "1.3": "folder di lemari; ftp://x/y; javascript:alert(1)",
        "1.4": "",
        "2.1": "",
    }
    for row in rows[1:]:
        if row[0] in cells:
            row[ev] = cells[row[0]]
    r = readiness(result_of({}, rows=rows))
    links = r.rows.set_index("code")["evidence_links"]
    assert links["1.1"] == 3 and links["1.2"] == 0 and links["1.3"] == 0 and links["2.2"] == 1
    # progress above 0 without evidence; Selesai without evidence
    assert list(r.no_evidence["code"]) == ["1.2", "1.3", "2.1"]
    assert list(r.done_no_evidence["code"]) == ["2.1"]
    share = r.evidence_share().set_index("code")
    assert share.loc["1", "with_evidence"] == 1 and share.loc["1", "share"] == pytest.approx(25.0)
    assert share.loc["2", "share"] == pytest.approx(200 / 3)
    assert share.loc["3", "share"] == pytest.approx(100.0)


# --- follow-up per PIC -------------------------------------------------------------------------
def test_follow_up_per_pic():
    rows = standard_rows({"1.1": 100, "1.2": 50, "2.1": 10, "2.2": 60})
    pic = STANDARD_HEADER.index("PIC")
    for row in rows[1:]:
        if row[0] == "2.2":
            row[pic] = "Kasubbag Tatalaksana; Sekretaris"
    as_of = date(2025, 12, 20)  # Oktober s/d Desember ends in 11 days: due soon
    r = readiness(result_of({}, as_of=as_of, rows=rows))
    items = {f.pic: f for f in follow_up(r)}
    sek = items["Sekretaris"].rows
    assert "1.1" not in set(sek["code"])  # Selesai
    assert sek["code"].iloc[0] == "1.2" and sek["reason"].iloc[0] == "overdue"  # Oktober 2025: overdue
    assert set(sek["code"]) >= {"1.2", "1.3", "1.4", "2.2"}
    assert (sek.set_index("code").loc["2.2", "days_left"]) == 11
    # a row with two PICs is on both lists; open points are the row's
    assert "2.2" in set(items["Kasubbag Tatalaksana"].rows["code"])
    assert items["Sekretaris"].open_points == pytest.approx(sek["open"].sum())
    # nothing due within 14 days, nothing behind: no follow-up
    early = readiness(result_of({c: 100 for c in CODES}, as_of=date(2025, 11, 1)))
    assert follow_up(early) == []


# --- what-if ---------------------------------------------------------------------------------
def test_what_if_assumes_rows_done_without_changing_anything():
    res = result_of({"5.1": 40})
    before = res.indicators.copy()
    now = readiness(res)
    sim = readiness(res, assume_done=["5.1", "5.2", "9.9"])
    assert sim.assumed_done == ("5.1", "5.2")
    assert sim.pemenuhan_total == pytest.approx(now.pemenuhan_total + 1.5 * 0.6 + 1.5)
    assert sim.rows.set_index("code").loc["5.2", "status"] == L.DONE
    assert res.indicators.equals(before)  # the counted result is untouched
    assert readiness(res).pemenuhan_total == now.pemenuhan_total


def test_evidence_counts_reach_the_json():
    from zi_dashboard.outputs.readiness_cli import as_dict
    from zi_dashboard.outputs.readiness_out import evidence_table

    r = readiness(result_of({"1.1": 100}))
    d = as_dict(r)
    assert d["evidence"]["links"]["1.1"] == 1 and len(d["evidence"]["links"]) == 25
    assert evidence_table(r)[L.READY["col_links"]].tolist() == [1] * 25


# --- the province view's estimate (readiness.estimate) ------------------------------------------
@pytest.mark.slow  # hundreds of units counted
def test_the_estimate_of_many_units_says_what_readiness_says():
    """estimate (the province view's readiness of hundreds of units) gives readiness's total and
    its WBK/WBBM verdicts: units far from, near and past the gates, without weights, nothing
    uploaded, and values exactly at a threshold."""
    import dataclasses
    import random

    import numpy as np

    from zi_dashboard.counting.metrics import Summary, compute_summary, summarise
    from zi_dashboard.counting.readiness import THRESHOLDS, WBBM, WBK, estimate
    from zi_dashboard.reading.assessment import field_codes, field_max, validate
    from zi_dashboard.reading.lke import load_lke

    lke, plan = load_lke(), load_plan()
    unweighted_rows = plan.rows.copy()
    unweighted_rows.loc[["1.1", "5.3"], "weight"] = float("nan")
    unweighted = dataclasses.replace(plan, rows=unweighted_rows, key="tanpa-bobot")
    rnd = random.Random(14)
    seen = {(False, False): 0, (True, False): 0, (True, True): 0}
    for case in range(400):
        high = case % 3 != 0  # two cases in three near or past the gates
        raw = {
            c: round(field_max(c, lke) * (rnd.uniform(0.85, 1.0) if high else rnd.random()), 2)
            for c in field_codes(lke)
            if "." not in c and rnd.random() < (1.0 if high else 0.7)
        }
        found, problems = validate(raw, lke)
        assert found is not None and not problems
        p = plan if case % 5 else unweighted
        progress = (
            None
            if case % 17 == 0
            else np.array(
                [rnd.choice([100.0, 100.0, rnd.uniform(60, 100)]) if high else rnd.uniform(0, 100) for _ in p.codes]
            )
        )
        kept = summarise(p, None)
        summary = kept if progress is None else Summary(progress, kept.rows, kept.texts)
        r = readiness(compute_summary(p, summary, AS_OF), found, lke)
        total, wbk, wbbm = estimate(p, progress, found, lke)
        assert total == pytest.approx(r.total, abs=1e-9)
        assert (wbk, wbbm) == (r.wbk, r.wbbm), case
        seen[(wbk, wbbm)] += 1
    assert all(n > 10 for n in seen.values()), seen  # every verdict was met
    # a total exactly at the WBK threshold passes that gate in both
    full = Summary(np.full(len(plan.codes), 100.0), summarise(plan, None).rows, summarise(plan, None).texts)
    base = readiness(compute_summary(plan, full, AS_OF), Assessment(), lke)
    hasil = THRESHOLDS[WBK]["total"] - base.total
    ipak = hasil / lke.weight("H1") * 4.0
    exact = Assessment(ipak=ipak)
    r = readiness(compute_summary(plan, full, AS_OF), exact, lke)
    total, wbk, wbbm = estimate(plan, full.progress, exact, lke)
    assert r.total == pytest.approx(THRESHOLDS[WBK]["total"]) and total == pytest.approx(r.total, abs=1e-9)
    assert [g.passed for g in r.gates[WBK] if g.key == "total"] == [True]
    assert (wbk, wbbm) == (r.wbk, r.wbbm) and WBBM in THRESHOLDS
