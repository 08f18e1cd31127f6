"""Counting in arrays is the one definition: compute agrees with the per-row rules and with
pandas' group means to the last bit, the planned curve is compute day by day, and what the
store keeps of each upload (its summary) is exactly what counting its kept rows gives, on
SQLite and on PostgreSQL, for new uploads and after the migration that builds summaries."""

import random
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from tests.storage.test_migrations import load_legacy_store
from zi_dashboard.counting import history
from zi_dashboard.counting.metrics import compute, compute_summary, planned_progress, status_of, summarise
from zi_dashboard.reading.plan import Plan, load_plan, plan_from_bytes
from zi_dashboard.reading.progress import ROW_COLUMNS
from zi_dashboard.storage import migrations
from zi_dashboard.storage import store as zs

AS_OF = date(2025, 11, 15)
AWKWARD = [0.0, 100.0, 33.3, 12.35, 66.7, 50.05, 99.99, 0.1, 45.0, 7.77]


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def random_rows(plan: Plan, rnd: random.Random, unknown: bool = True) -> pd.DataFrame:
    """Progress rows as read_progress returns them: sub-activities, rows out of plan order,
    plan rows not mentioned, repeated and empty texts."""
    codes = plan.codes + (["9.9"] if unknown else [])
    out = []
    for i in range(rnd.randint(0, 70)):
        out.append(
            {
                "row": i + 6,
                "code": rnd.choice(codes),
                "activity": f"kegiatan {i}",
                "pic": rnd.choice(["", "Sekretaris", "PPID"]),
                "progress": rnd.choice(AWKWARD + [rnd.random() * 100]),
                "status_reported": rnd.choice(["", "Proses"]),
                "evidence": rnd.choice(["", "https://x/1"]),
                "notes": rnd.choice(["", "menunggu", "reviu", "menunggu"]),
            }
        )
    return pd.DataFrame(out, columns=ROW_COLUMNS)


def reference(plan: Plan, rows: pd.DataFrame, as_of: date):
    """The definition written out row by row and with pandas' group means."""
    if rows.empty:
        progress = pd.Series(0.0, index=plan.codes)
    else:
        progress = rows.groupby("code", sort=False)["progress"].mean().reindex(plan.codes).fillna(0.0)
    ind = plan.rows.assign(progress=progress.to_numpy())
    ind["planned"] = [
        planned_progress(s, e, as_of) for s, e in zip(ind["target_start"], ind["target_end"], strict=False)
    ]
    ind["status"] = [
        status_of(p, pl, s, e, as_of)
        for p, pl, s, e in zip(ind["progress"], ind["planned"], ind["target_start"], ind["target_end"], strict=False)
    ]
    grouped = ind.groupby("component_code", sort=False)
    return ind, grouped["progress"].mean(), grouped["planned"].mean()


@pytest.mark.parametrize("shuffled", [False, True])
def test_compute_is_the_per_row_definition_to_the_last_bit(plan, shuffled):
    rnd = random.Random(11)
    if shuffled:  # a plan whose components' rows do not stand together
        order = list(plan.rows.index)
        rnd.shuffle(order)
        plan = Plan(plan.rows.loc[order], plan.source, plan.title, plan.by_name)
    for _ in range(150):
        rows = random_rows(plan, rnd)
        as_of = date(2025, 7, 1) + timedelta(days=rnd.randint(0, 300))
        r = compute(plan, rows, as_of)
        ind, comp_progress, comp_planned = reference(plan, rows, as_of)
        assert r.indicators["progress"].tolist() == ind["progress"].tolist()
        assert r.indicators["planned"].tolist() == ind["planned"].tolist()
        assert r.indicators["status"].tolist() == ind["status"].tolist()
        assert r.components["completion"].tolist() == comp_progress.tolist()
        assert r.components["planned"].tolist() == comp_planned.tolist()
        assert r.overall_completion == float(np.mean(ind["progress"]))
        assert r.overall_planned == float(np.mean(ind["planned"]))
        late = ind["status"] == "Terlambat"
        days = [(as_of - e).days if t else 0 for e, t in zip(ind["target_end"], late, strict=False)]
        assert r.indicators["days_overdue"].tolist() == days


def test_planned_curve_is_compute_day_by_day(plan):
    start, end = date(2025, 9, 20), date(2026, 1, 10)
    curve = history.planned_curve(plan, start, end)
    assert curve["date"].tolist() == [start + timedelta(days=i) for i in range((end - start).days + 1)]
    for _, row in curve.iterrows():
        r = compute(plan, None, row["date"])
        assert row["overall"] == r.overall_planned
        assert [row[c] for c in r.components["code"]] == r.components["planned"].tolist()
    weekly = history.planned_curve(plan, start, end, step_days=7)
    assert weekly["date"].iloc[-1] == end and weekly["date"].iloc[1] == start + timedelta(days=7)


def stored_uploads(st: zs.Store, n: int, seed: int) -> dict[int, pd.DataFrame]:
    """n uploads of random rows, one a week from 1 October 2025 (some with no position date)."""
    stored_plan = st.latest_plan()
    plan = plan_from_bytes(stored_plan.content, stored_plan.filename)
    rnd = random.Random(seed)
    saved = {}
    for i in range(n):
        rows = random_rows(plan, rnd, unknown=False)
        content = f"unggahan {seed}-{i}\n{rows.to_csv(index=False)}".encode()
        position = None if i % 5 == 4 else date(2025, 10, 1) + timedelta(days=7 * i)
        s = st.save(content, f"progres-{i}.csv", "Sekretaris", position, rows, stored_plan.id)
        saved[s.snapshot.id] = rows
    return saved


def assert_summaries_recount(st: zs.Store, ids) -> None:
    """Every stored summary is what summarise gives of the snapshot's kept rows, and counts
    every figure exactly as compute does from those rows."""
    progress = st.summary_progress()
    overall, first = st.figure_series(), st.figure_series("1")
    for sid in ids:
        snap = st.snapshot(sid)
        plan = st.parsed_plan(snap.plan_id)
        rows = st.rows(sid)
        kept, recount = st.summary(sid), summarise(plan, rows)
        assert kept.progress.tolist() == recount.progress.tolist()
        assert progress[sid].tolist() == recount.progress.tolist()
        assert kept.rows.tolist() == recount.rows.tolist()
        for k in ("pic", "evidence", "notes", "status_reported"):
            assert kept.texts[k].tolist() == recount.texts[k].tolist(), k
        # the figures kept at the upload's own date (counted with every other upload at once
        # when migrating) are compute's
        own_date = history.snapshot_date(snap.position_date, snap.uploaded_at)
        own = compute(plan, rows, own_date)
        figures = st.figures(sid).set_index("part")
        assert figures.loc["", ["completion", "planned", "done", "overdue"]].tolist() == [
            own.overall_completion,
            own.overall_planned,
            own.status_counts["Selesai"],
            own.status_counts["Terlambat"],
        ]
        comps = own.components.set_index("code")
        assert sorted(figures.index) == sorted(["", *comps.index])
        for col in ("completion", "planned", "done", "overdue"):
            assert figures.loc[comps.index, col].tolist() == comps[col].tolist(), col
        assert overall[sid] == own.overall_completion and first[sid] == comps.loc["1", "completion"]
        for as_of in (own_date, AS_OF):
            a, b = compute_summary(plan, kept, as_of), compute(plan, rows, as_of)
            pd.testing.assert_frame_equal(a.indicators, b.indicators, check_exact=True)
            pd.testing.assert_frame_equal(a.components, b.components, check_exact=True)
            assert (a.overall_completion, a.overall_planned) == (b.overall_completion, b.overall_planned)


def test_stored_summaries_are_the_recount_of_kept_rows(store_url):
    st = zs.open_store(store_url)
    saved = stored_uploads(st, 12, seed=3)
    # the rows kept are the rows given; the summary kept is their count
    for sid, rows in saved.items():
        assert st.rows(sid)["progress"].tolist() == rows["progress"].tolist()
    assert_summaries_recount(st, saved)
    assert st.rebuild_summaries() == 12
    assert_summaries_recount(st, saved)
    st.dispose()


def test_migration_builds_summaries_of_an_older_store(store_url):
    load_legacy_store(store_url, 3)  # a version-3 store: three uploads, no summary table yet
    st = zs.open_store(store_url)
    assert st.schema_revision() == migrations.head()
    assert_summaries_recount(st, [1, 2, 3])
    st.dispose()
