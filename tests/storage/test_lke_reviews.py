"""The store's own check of the TPI review (storage/lke_reviews.py), on SQLite and PostgreSQL:
every answer set and every move is checked inside the write transaction, whoever calls."""

from __future__ import annotations

from datetime import UTC, date, datetime
from threading import Barrier, Thread

import pytest

from zi_dashboard.counting import lke_review as rv
from zi_dashboard.storage.store import open_store

EDITOR, REVIEWER = "Rina", "Inspektur Satu"


@pytest.fixture
def store(store_url, monkeypatch):
    monkeypatch.setenv("ZI_EDITOR_UNITS", f"{EDITOR}=KPU Kota Tasikmalaya")
    monkeypatch.setenv("ZI_REVIEWER_UNITS", f"{REVIEWER}=KPU Kota Tasikmalaya")
    st = open_store(store_url)
    yield st
    st.dispose()


def _move(state: str, by: str) -> rv.Event:
    return rv.Event(rv.STATE_EVENT, state, by, datetime.now(UTC))


def test_the_store_checks_the_writer_and_the_stage(store):
    wp = store.home()
    with pytest.raises(rv.Refused):
        store.save_lke_answers(wp.id, "tpi", 2026, "[]", "langsung", REVIEWER)  # not the TPI's stage yet
    with pytest.raises(rv.Refused):
        store.save_lke_answers(wp.id, "unit", 2026, "[]", "langsung", REVIEWER)  # never the unit's level
    store.save_lke_answers(wp.id, "unit", 2026, "[]", "langsung", EDITOR)
    with pytest.raises(rv.Refused):
        store.add_lke_review_event(wp.id, _move(rv.DIAJUKAN, REVIEWER))
    store.add_lke_review_event(wp.id, _move(rv.DIAJUKAN, EDITOR), expect=rv.MANDIRI)
    store.add_lke_review_event(
        wp.id, rv.Event(rv.DEADLINE_EVENT, rv.DIAJUKAN, REVIEWER, datetime.now(UTC), date(2026, 5, 1))
    )
    with pytest.raises(rv.Refused):
        store.save_lke_answers(wp.id, "unit", 2026, "[]", "langsung", EDITOR)  # with the TPI now
    store.save_lke_answers(wp.id, "tpi", 2026, "[]", "langsung", REVIEWER)
    now = rv.RoundState.from_events(store.lke_review_events(wp.id))
    assert now.state == rv.DIAJUKAN and now.deadline == date(2026, 5, 1)
    assert [s.by for s in store.lke_answer_sets(wp.id, "tpi")] == [REVIEWER]


def test_two_submits_at_once_move_the_lke_once(store):
    wp = store.home()
    barrier, outcomes = Barrier(4), []

    def submit() -> None:
        barrier.wait()
        try:
            store.add_lke_review_event(wp.id, _move(rv.DIAJUKAN, EDITOR), expect=rv.MANDIRI)
            outcomes.append("ok")
        except rv.Refused:
            outcomes.append("refused")

    threads = [Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert [e.state for e in store.lke_review_events(wp.id)] == [rv.DIAJUKAN]


def test_the_lke_stamp_changes_with_every_lke_write_and_nothing_else(store):
    """lke_pulse (what the service keys its kept LKE answers, scores and reviews by) changes when
    an answer set, a review event or an instrument is kept, on SQLite and PostgreSQL alike."""
    wp = store.home()
    stamps = [store.lke_pulse()]
    assert stamps[0] == (None, None, None)  # nothing kept yet
    store.save_assessment("{}", "langsung", EDITOR, wp.id)  # not the LKE
    assert store.lke_pulse() == stamps[-1]
    store.save_lke_answers(wp.id, "unit", 2026, "[]", "langsung", EDITOR)
    stamps.append(store.lke_pulse())
    store.add_lke_review_event(wp.id, _move(rv.DIAJUKAN, EDITOR))
    stamps.append(store.lke_pulse())
    store.add_lke_instrument(2027, "lke-2027.csv", "kode;pertanyaan", EDITOR)
    stamps.append(store.lke_pulse())
    assert len(set(stamps)) == 4
