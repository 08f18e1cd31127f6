"""The one definition of every number, docs/counting.md 'How the dashboard counts'."""

from datetime import date

import pandas as pd
import pytest

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import compute, planned_progress, status_of
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import ROW_COLUMNS

D = date
OCT, DEC = D(2025, 10, 1), D(2025, 12, 31)


def rows(values: dict[str, float | list[float]]) -> pd.DataFrame:
    out = []
    for code, v in values.items():
        for p in v if isinstance(v, list) else [v]:
            out.append(
                {
                    "row": 0,
                    "code": code,
                    "activity": "",
                    "pic": "",
                    "progress": float(p),
                    "status_reported": "",
                    "evidence": "",
                    "notes": "",
                }
            )
    return pd.DataFrame(out, columns=ROW_COLUMNS)


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def test_planned_progress_edges():
    assert planned_progress(OCT, DEC, D(2025, 9, 30)) == 0
    assert planned_progress(OCT, DEC, OCT) == pytest.approx(100 / 92)
    assert planned_progress(OCT, DEC, D(2025, 11, 15)) == pytest.approx(50.0)
    assert planned_progress(OCT, DEC, DEC) == 100
    assert planned_progress(OCT, DEC, D(2026, 3, 1)) == 100


@pytest.mark.parametrize(
    "progress, as_of, expected",
    [
        (100, D(2026, 1, 5), L.DONE),  # Selesai wins over Terlambat
        (99.9, D(2026, 1, 1), L.OVERDUE),
        (0, D(2025, 9, 30), L.NOT_STARTED),
        (5, D(2025, 9, 30), L.ON_TRACK),  # started early: planned 0, not behind
        (39.9, D(2025, 11, 15), L.BEHIND),  # < 50 - 10
        (40, D(2025, 11, 15), L.ON_TRACK),  # exactly planned - 10 is on track
        (0, D(2025, 12, 31), L.BEHIND),  # last day: not yet overdue
    ],
)
def test_status_first_that_applies(progress, as_of, expected):
    planned = planned_progress(OCT, DEC, as_of)
    assert status_of(progress, planned, OCT, DEC, as_of) == expected


def test_worked_check(plan):
    values = {c: 0 for c in plan.codes}
    values["1.1"] = 100
    r = compute(plan, rows(values), D(2025, 11, 15))
    assert round(r.overall_completion, 1) == 4.0
    assert round(r.overall_planned, 1) == 54.8
    ind = r.indicators.set_index("code")
    assert ind.loc["1.2", "status"] == L.OVERDUE and ind.loc["1.2", "days_overdue"] == 15
    assert ind.loc["2.1", "planned"] == pytest.approx(50.0) and ind.loc["2.1", "status"] == L.BEHIND
    assert round(ind.loc["6.4", "planned"], 1) == 69.9
    mp = r.components.set_index("code").loc["1"]
    assert (mp["completion"], mp["planned"]) == (25.0, 75.0)
    assert list(r.overdue["code"]) == ["1.2"]


def test_overall_is_mean_of_indicators_not_components(plan):
    # component 3 has six rows, component 4 two: the means differ
    values = {c: (100 if c.startswith("3.") else 0) for c in plan.codes}
    r = compute(plan, rows(values), D(2025, 11, 15))
    assert r.overall_completion == pytest.approx(600 / 25)
    assert r.overall_completion != pytest.approx(r.components["completion"].mean())


def test_sub_activities_mean_and_missing_rows_count_zero(plan):
    r = compute(plan, rows({"1.1": [100, 50, 0], "2.1": 30}), D(2025, 11, 15))
    ind = r.indicators.set_index("code")
    assert ind.loc["1.1", "progress"] == pytest.approx(50.0)
    assert ind.loc["1.1", "rows"] == 3
    assert ind.loc["3.1", "progress"] == 0 and not ind.loc["3.1", "reported"]


def test_overdue_worst_first(plan):
    values = {c: 10 for c in plan.codes}
    r = compute(plan, rows(values), D(2026, 1, 10))
    od = r.overdue
    assert len(od) == 25
    assert list(od["days_overdue"])[:2] == [71, 71]  # the two October rows first
    assert set(od["code"][:2]) == {"1.1", "1.2"}
    assert od["days_overdue"].is_monotonic_decreasing


def test_as_of_changes_overdue_count(plan):
    r1 = compute(plan, rows({}), D(2025, 10, 31))
    r2 = compute(plan, rows({}), D(2025, 11, 1))
    assert len(r1.overdue) == 0 and len(r2.overdue) == 2


def test_status_counts_and_component_crosstab(plan):
    values = {c: 0 for c in plan.codes}
    values["1.1"] = 100
    r = compute(plan, rows(values), D(2025, 11, 15))
    assert r.status_counts == {L.DONE: 1, L.ON_TRACK: 0, L.BEHIND: 23, L.OVERDUE: 1, L.NOT_STARTED: 0}
    t = r.component_status_counts()
    assert list(t.index) == ["1", "2", "3", "4", "5", "6"]
    assert t.loc["1", L.DONE] == 1 and t.loc["1", L.OVERDUE] == 1 and t.loc["3", L.BEHIND] == 6
    assert int(t.to_numpy().sum()) == 25


# --- many units at once: plans that count alike, plans kept as JSON ------------------------------
def _titled(title: str, end_shift_days: int = 0):
    """The bundled plan file with a title row (another unit's copy of the same plan), its
    target dates moved when asked; read as the store reads it."""
    from zi_dashboard.reading.plan import BUNDLED_PLAN, read_plan

    body = BUNDLED_PLAN.read_bytes().decode("utf-8-sig")
    if end_shift_days:
        body = body.replace("Oktober 2025;", "November 2025;")
    return read_plan(f"{title}\n{body}".encode(), "rencana.csv")


def test_units_whose_plans_count_alike_are_counted_as_each_alone():
    import numpy as np

    from zi_dashboard.counting.metrics import plan_arrays
    from zi_dashboard.counting.portfolio import count_units

    a = _titled("RENCANA KERJA ZONA INTEGRITAS KPU KABUPATEN GARUT TAHUN 2025")
    b = _titled("RENCANA KERJA ZONA INTEGRITAS KPU KOTA BANDUNG TAHUN 2025")
    c = _titled("RENCANA KERJA ZONA INTEGRITAS KPU KABUPATEN BOGOR TAHUN 2025", end_shift_days=30)
    assert a.key != b.key and a.title != b.title
    assert plan_arrays(a) is plan_arrays(b)  # the same rows: made once
    assert plan_arrays(c) is not plan_arrays(a)  # other target dates: its own
    assert list(plan_arrays(c).end) != list(plan_arrays(a).end)
    rng = np.random.default_rng(14)
    items = [
        ("Garut", a, rng.uniform(0, 100, 25)),
        ("Bandung", b, rng.uniform(0, 100, 25)),
        ("Bogor", c, rng.uniform(0, 100, 25)),
        ("Kosong", b, None),
    ]
    as_of = date(2025, 11, 20)
    together = count_units(items, as_of)
    for item in items:
        alone = count_units([item], as_of)
        pd.testing.assert_frame_equal(
            together.units[together.units["key"] == item[0]].reset_index(drop=True), alone.units
        )
        pd.testing.assert_frame_equal(
            together.cells[together.cells["key"] == item[0]].reset_index(drop=True), alone.cells
        )
    assert together.units.set_index("key").loc["Kosong", "overall_completion"] == 0.0


def test_a_plan_kept_as_json_reads_back_as_read():
    from zi_dashboard.reading.plan import plan_from_json, plan_to_json

    plan = _titled("RENCANA KERJA ZONA INTEGRITAS KPU KABUPATEN GARUT TAHUN 2025")
    rows = plan.rows.copy()
    rows.loc["1.2", "weight"] = float("nan")  # a row without a weight stays without one
    plan.rows = rows
    back = plan_from_json(plan_to_json(plan))
    pd.testing.assert_frame_equal(back.rows, plan.rows)
    assert (back.key, back.title, back.by_name) == (plan.key, plan.title, plan.by_name)
    pd.testing.assert_frame_equal(plan_from_json(plan_to_json(load_plan())).rows, load_plan().rows)
