"""What editors fill in beside the uploads, each kept append-only per work plan, the newest in
use: self-assessments (penilaian mandiri), PIC contact sheets, LKE answer sets; and the LKE
instruments an editor added."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Row

from zi_dashboard.storage.engine import stamp, utc
from zi_dashboard.storage.lke_reviews import review_guard
from zi_dashboard.storage.plans import PlanStore
from zi_dashboard.storage.records import StoredAssessment, StoredContacts, StoredLkeAnswers
from zi_dashboard.storage.schema import (
    assessments,
    contact_sheets,
    lke_answer_sets,
    lke_instruments,
    lke_review_events,
    of_workplan,
)


class AnswerStore(PlanStore):
    # --- the self-assessment -------------------------------------------
    def save_assessment(
        self, values_json: str, source: str, by: str, workplan_id: int | None = None
    ) -> StoredAssessment:
        """Keep an already validated self-assessment of a work plan (by default the home one);
        the newest one is in use.  Nothing is updated or deleted."""
        if workplan_id is None:
            workplan_id = self.home().id
        with self._write() as conn:
            now = datetime.now(UTC)  # under the write lock: times follow the order of ids
            new_id = conn.execute(
                insert(assessments)
                .values(answers=values_json, source=source[:255], by=by[:120], at=now, workplan_id=workplan_id)
                .returning(assessments.c.id)
            ).scalar_one()
        return StoredAssessment(new_id, values_json, source[:255], by[:120], now, workplan_id)

    def latest_assessment(self, workplan_id: int | None = None) -> StoredAssessment | None:
        q = select(assessments).order_by(assessments.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            r = conn.execute(of_workplan(q, assessments, workplan_id)).first()
        return assessment_of(r) if r else None

    def assessments(self, workplan_id: int | None = None) -> list[StoredAssessment]:
        """Every saved self-assessment (of a work plan), newest first."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                of_workplan(select(assessments).order_by(assessments.c.id.desc()), assessments, workplan_id)
            ).all()
        return [assessment_of(r) for r in rs]

    def save_contacts(
        self, workplan_id: int, filename: str, sha256: str, contacts_json: str, by: str
    ) -> StoredContacts:
        """Keep a work plan's PIC contact sheet as read (the newest one is in use)."""
        with self._write() as conn:
            now = datetime.now(UTC)
            new_id = conn.execute(
                insert(contact_sheets)
                .values(
                    workplan_id=workplan_id,
                    filename=filename[:255],
                    sha256=sha256,
                    contacts=contacts_json,
                    by=by[:120],
                    at=now,
                )
                .returning(contact_sheets.c.id)
            ).scalar_one()
        return StoredContacts(new_id, workplan_id, filename[:255], sha256, contacts_json, by[:120], now)

    def latest_contacts_id(self, workplan_id: int) -> int | None:
        """The id of a work plan's contact sheet in use (None: none kept)."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.max(contact_sheets.c.id)).where(contact_sheets.c.workplan_id == workplan_id)
            ).scalar()

    def contacts(self, contacts_id: int) -> StoredContacts:
        with self.engine.connect() as conn:
            r = conn.execute(select(contact_sheets).where(contact_sheets.c.id == contacts_id)).one()
        return StoredContacts(r.id, r.workplan_id, r.filename, r.sha256, r.contacts, r.by, utc(r.at))

    # --- the LKE question by question ------------------------------------
    def save_lke_answers(
        self, workplan_id: int, level: str, instrument_year: int, answers_json: str, source: str, by: str
    ) -> StoredLkeAnswers:
        """Keep an already validated answer set of a work plan at one level; the newest is in use.
        Nothing is updated or deleted.  lke_review.Refused: `by` may not write this level now."""
        with self._write() as conn:
            review_guard(conn, workplan_id, level, by)
            now = datetime.now(UTC)
            new_id = conn.execute(
                insert(lke_answer_sets)
                .values(
                    workplan_id=workplan_id,
                    level=level,
                    instrument_year=int(instrument_year),
                    answers=answers_json,
                    source=source[:255],
                    by=by[:120],
                    at=now,
                )
                .returning(lke_answer_sets.c.id)
            ).scalar_one()
        return StoredLkeAnswers(
            new_id, workplan_id, level, int(instrument_year), answers_json, source[:255], by[:120], now
        )

    def lke_answer_sets(self, workplan_id: int, level: str, newest_only: bool = False) -> list[StoredLkeAnswers]:
        """A work plan's answer sets at one level, newest first."""
        q = (
            select(lke_answer_sets)
            .where(lke_answer_sets.c.workplan_id == workplan_id, lke_answer_sets.c.level == level)
            .order_by(lke_answer_sets.c.id.desc())
        )
        with self.engine.connect() as conn:
            rs = conn.execute(q.limit(1) if newest_only else q).all()
        return [
            StoredLkeAnswers(r.id, r.workplan_id, r.level, r.instrument_year, r.answers, r.source, r.by, utc(r.at))
            for r in rs
        ]

    def add_lke_instrument(self, year: int, filename: str, content: str, by: str) -> int:
        """Keep an LKE instrument (a questions CSV already checked) an editor added."""
        with self._write() as conn:
            return conn.execute(
                insert(lke_instruments)
                .values(year=int(year), filename=filename[:255], content=content, by=by[:120], at=datetime.now(UTC))
                .returning(lke_instruments.c.id)
            ).scalar_one()

    def lke_instruments(self) -> list[tuple[int, str]]:
        """(year, content) of every added instrument, the newest added last."""
        with self.engine.connect() as conn:
            rs = conn.execute(
                select(lke_instruments.c.year, lke_instruments.c.content).order_by(lke_instruments.c.id)
            ).all()
        return [(int(r.year), r.content) for r in rs]

    def lke_pulse(self) -> tuple[Any, ...]:
        """Changes whenever any LKE answer set, review event or instrument is kept (all three are
        append-only): the newest id of each (one query)."""
        return stamp(
            self.engine,
            select(func.max(lke_answer_sets.c.id)).scalar_subquery(),
            select(func.max(lke_review_events.c.id)).scalar_subquery(),
            select(func.max(lke_instruments.c.id)).scalar_subquery(),
        )


def assessment_of(r: Row[Any]) -> StoredAssessment:
    return StoredAssessment(r.id, r.answers, r.source, r.by, utc(r.at), r.workplan_id)
