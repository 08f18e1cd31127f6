"""The TPI review of a work plan's LKE in the store (issue 23): its moves and deadlines, kept
append-only in zi_lke_review_events, and the guard every LKE answer set passes inside its write
transaction (a reviewer writes only the TPI's level of its units, an editor only the unit's, each
in its own stages: counting.lke_review).  The rules are checked here again, under the write lock,
whatever the caller checked before: a page, an upload, the CLI or a restore."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from zi_dashboard.counting import lke_review as review
from zi_dashboard.storage.auth import unit_roles
from zi_dashboard.storage.base import StoreBase
from zi_dashboard.storage.engine import utc
from zi_dashboard.storage.schema import lke_review_events, workplans


def events_of(conn: Connection, workplan_id: int) -> list[review.Event]:
    rs = conn.execute(
        select(lke_review_events).where(lke_review_events.c.workplan_id == workplan_id).order_by(lke_review_events.c.id)
    ).all()
    return [review.Event(r.kind, r.state, r.by, utc(r.at), r.deadline, r.note, r.id) for r in rs]


def _unit(conn: Connection, workplan_id: int) -> str:
    return conn.execute(select(workplans.c.unit).where(workplans.c.id == workplan_id)).scalar_one()


def review_guard(conn: Connection, workplan_id: int, level: str, by: str) -> None:
    """Inside a write transaction: review.Refused unless `by` may write this level of the work
    plan's LKE in the state it is in now."""
    state = review.RoundState.from_events(events_of(conn, workplan_id)).state
    refused = review.check_write(unit_roles(by, _unit(conn, workplan_id)), level, state)
    if refused:
        raise review.Refused(refused)


class ReviewStore(StoreBase):
    def lke_review_events(self, workplan_id: int) -> list[review.Event]:
        """A work plan's review moves and deadlines, oldest first."""
        with self.engine.connect() as conn:
            return events_of(conn, workplan_id)

    def add_lke_review_event(
        self, workplan_id: int, event: review.Event, expect: str | None = None, open_returns: int = 0, verdicts: int = 0
    ) -> review.Event:
        """Keep a move or a deadline after checking, under the write lock, that `event.by` may make
        it from the state the LKE is in now (and, for a move, that it is still `expect` when
        given).  review.Refused with the reason otherwise: nothing is kept."""
        with self._write() as conn:
            roles = unit_roles(event.by, _unit(conn, workplan_id))
            state = review.RoundState.from_events(events_of(conn, workplan_id)).state
            if expect is not None and state != expect:
                raise review.Refused(review.R["stale"].format(state=review.state_label(state)))
            if event.kind == review.STATE_EVENT:
                refused = review.check_move(roles, state, event.state, open_returns, verdicts)
            else:
                refused = review.check_deadline(roles, event.state)
            if refused:
                raise review.Refused(refused)
            now = datetime.now(UTC)
            values = {
                "workplan_id": workplan_id,
                "kind": event.kind,
                "state": event.state,
                "deadline": event.deadline,
                "note": event.note[:500],
                "by": event.by[:120],
                "at": now,
            }
            new_id = conn.execute(
                insert(lke_review_events).values(**values).returning(lke_review_events.c.id)
            ).scalar_one()
        return review.Event(event.kind, event.state, event.by[:120], now, event.deadline, event.note[:500], new_id)
