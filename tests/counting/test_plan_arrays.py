"""A plan's counting arrays are made once and shared by plans whose rows count alike (many units
given one template), kept by the package's one cache: nothing is written into the plan."""

from __future__ import annotations

from datetime import date

from zi_dashboard.counting.metrics import compute, plan_arrays
from zi_dashboard.reading.plan import BUNDLED_PLAN, read_plan
from zi_dashboard.reading.progress import no_rows


def test_plans_read_from_other_bytes_with_the_same_rows_share_their_arrays():
    text = BUNDLED_PLAN.read_bytes()
    one = read_plan(text, "rk-kota.csv")
    other = read_plan(text + b"\n", "rk-garut.csv")  # another file (another key), the same rows
    assert one.key != other.key
    assert plan_arrays(one) is plan_arrays(other)
    assert plan_arrays(one) is plan_arrays(one)
    assert "_arrays" not in vars(one) and "_arrays" not in vars(other)  # the plan is not written into


def test_a_plan_whose_dates_differ_gets_its_own_arrays_and_figures():
    text = BUNDLED_PLAN.read_bytes().decode("utf-8-sig")
    moved = text.replace("2025", "2026")
    one, later = read_plan(text.encode(), "rk-2025.csv"), read_plan(moved.encode(), "rk-2026.csv")
    assert plan_arrays(one) is not plan_arrays(later)
    assert list(plan_arrays(one).codes) == list(plan_arrays(later).codes)
    at = date(2025, 12, 31)
    assert compute(one, no_rows(), at).overall_planned > compute(later, no_rows(), at).overall_planned
