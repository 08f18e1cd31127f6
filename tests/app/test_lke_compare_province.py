"""Semua Satker with the TPI: each unit's LKE total from its own answers and from
the TPI's (hand-worked figures of tests/counting/test_lke_compare.py), «belum dinilai» where a
level has no answers, the review stage with its deadline, and the units past a deadline flagged."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from test_province_page import GARUT, HOME, KOTA_BANDUNG, open_province, province, table  # noqa: F401
from tpi_builders import EDITOR, REVIEWER, REVIEWERS, save_both, save_unit

from zi_dashboard import labels as L
from zi_dashboard.app import lke_review as review
from zi_dashboard.app import service
from zi_dashboard.counting import lke_review as rv

C, P = L.LKE_COMPARE, L.PROVINCE


@pytest.fixture(autouse=True)
def reviewer(monkeypatch):
    monkeypatch.setenv("ZI_REVIEWER_UNITS", REVIEWERS)


def test_each_unit_shows_both_totals(province):  # noqa: F811 - the fixture of test_province_page
    save_both(service.workplan_of(GARUT, 2025))
    save_unit(service.workplan_of(KOTA_BANDUNG, 2025))
    t = table(open_province()).set_index(P["col_unit"])
    assert (t.loc[GARUT, C["province_unit"]], t.loc[GARUT, C["province_tpi"]]) == ("21,67", "19,04")
    assert (t.loc[KOTA_BANDUNG, C["province_unit"]], t.loc[KOTA_BANDUNG, C["province_tpi"]]) == (
        "21,67",
        C["province_none"],
    )
    assert t.loc[HOME, C["province_unit"]] == t.loc[HOME, C["province_tpi"]] == C["province_none"]
    columns = list(t.columns)
    at = columns.index(P["col_predicate"])
    assert columns[at + 1 : at + 4] == [C["province_state"], C["province_unit"], C["province_tpi"]]


def test_the_review_stage_and_an_overdue_deadline_are_shown(province):  # noqa: F811
    garut, bandung = service.workplan_of(GARUT, 2025), service.workplan_of(KOTA_BANDUNG, 2025)
    save_both(garut)  # Diajukan ke TPI
    review.set_deadline(garut, rv.DIAJUKAN, date(2025, 11, 30), REVIEWER)  # long past
    review.set_deadline(bandung, rv.MANDIRI, date(2099, 12, 20), EDITOR)
    at = open_province()
    t = table(at).set_index(P["col_unit"])
    assert t.loc[GARUT, C["province_state"]] == "Diajukan ke TPI · ⚠ lewat tenggat 30/11/2025"
    assert t.loc[KOTA_BANDUNG, C["province_state"]] == "Penilaian mandiri · tenggat 20/12/2099"
    assert t.loc[HOME, C["province_state"]] == "Penilaian mandiri"
    assert C["province_late"].format(names=GARUT) in [w.value for w in at.warning]


def test_a_save_shows_at_once_on_an_open_semua_satker(province):  # noqa: F811
    """Each unit's LKE totals are kept between runs until an LKE answer set or review event is
    kept: a save made meanwhile shows on the next run of the open page."""
    at = open_province()
    garut = service.workplan_of(GARUT, 2025)
    assert table(at).set_index(P["col_unit"]).loc[GARUT, C["province_unit"]] == C["province_none"]
    save_both(garut)
    at.run()
    t = table(at).set_index(P["col_unit"])
    assert (t.loc[GARUT, C["province_unit"]], t.loc[GARUT, C["province_tpi"]]) == ("21,67", "19,04")
    review.set_deadline(garut, rv.DIAJUKAN, date(2025, 11, 30), REVIEWER)
    at.run()
    assert table(at).set_index(P["col_unit"]).loc[GARUT, C["province_state"]].endswith("lewat tenggat 30/11/2025")


def counted(fn, asked: list):
    def wrapper(*args, **kwargs):
        asked.append(fn.__name__)
        return fn(*args, **kwargs)

    return wrapper


def test_another_process_save_shows_once_the_store_is_asked_again(province, monkeypatch):  # noqa: F811
    """A save through another process's store (another server on the same database): the kept
    totals follow as soon as this process asks the store again (what STORE_MAX_AGE's expiry
    does; forget() here, so no test waits for it)."""
    from zi_dashboard.app import lke_compare
    from zi_dashboard.storage.store import open_store

    garut = service.workplan_of(GARUT, 2025)
    save_unit(garut)
    before = lke_compare.totals(2025).set_index("unit")
    assert before.loc[GARUT, "state"] == rv.state_label(rv.MANDIRI)
    store, asked = service.get_store(), []
    for question in ("lke_answer_sets", "lke_review_events", "lke_instruments"):
        monkeypatch.setattr(store, question, counted(getattr(store, question), asked))
    assert lke_compare.totals(2025) is lke_compare.totals(2025)  # kept: the store is not asked again
    assert asked == []
    other = open_store(province)  # another server's handle on the same database
    try:
        submitted = rv.Event(rv.STATE_EVENT, rv.DIAJUKAN, EDITOR, datetime(2025, 11, 1, tzinfo=UTC))
        other.add_lke_review_event(garut.id, submitted)
        service.forget()
        after = lke_compare.totals(2025).set_index("unit")
        assert after.loc[GARUT, "state"] == rv.state_label(rv.DIAJUKAN)
        assert lke_compare.stage(garut).state == rv.state_label(rv.DIAJUKAN)
        assert "lke_review_events" in asked
    finally:
        other.dispose()
