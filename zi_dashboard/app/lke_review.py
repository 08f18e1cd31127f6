"""The TPI review of a unit's LKE, as the pages, the exports and the CLI ask for it (issue 23;
the rules are counting/lke_review.py, the records the store's zi_lke_review_events and the TPI
level of zi_lke_answer_sets).

API (agreed with the helper "tpiview", who shows it on Kesiapan / Mode rapat / report / pack /
Semua Satker):

- `review_in_use(wp=None, today=None) -> Review`: state, state_label, round, deadline, overdue,
  unit and tpi (LkeScore each), verdicts {row: "sesuai"|"perbaikan"}, returned (list of
  counting.lke_review.Returned: row, code, letter, label, note, by, at; usable as
  counting.lke_compare.ReturnNote), transitions, deadlines, as_dict() (the `lke state --json`
  shape).
- `roles_of(name, wp) -> frozenset[str]`: UNIT_ROLE / REVIEWER / ADMIN of a name for the unit.
- `move(wp, target, by, expect=None, note="")`, `set_deadline(wp, stage, day, by)`: Refused
  (a PermissionError with the Indonesian reason) when the rules say no; nothing is kept then.
- `save_review(typed, by, wp, source)`: the TPI's answer, verdict and note per question
  ({row: {"value", "verdict", "note", "links"}}), merged into the TPI's set in use and kept as a
  new set; the unit's answers are never touched.
- `histories(wp) -> {row: [Step]}` and `step_line(instrument, step)`: each question's
  conversation, oldest first.

Every write is checked here and again by the store, inside its write transaction
(Store._review_guard, Store.add_lke_review_event): a reviewer writes only the TPI's level of
the units given to it, a unit's editor only the unit's level, each in its own stages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from zi_dashboard.app import lke as lke_service
from zi_dashboard.app.service import forget, get_store, home, lke_pulse
from zi_dashboard.counting import lke_review as rv
from zi_dashboard.counting.lke_review import Event, Refused, Returned, RoundState, Step, Summary
from zi_dashboard.counting.lke_score import TPI, UNIT, LkeScore, score
from zi_dashboard.outputs.lke_view import counts_of
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.lke_answers import answer_text
from zi_dashboard.reading.lke_instrument import PERCENT, Instrument
from zi_dashboard.reading.problems import Problem
from zi_dashboard.storage.auth import unit_roles
from zi_dashboard.storage.records import StoredLkeAnswers, Workplan

__all__ = [
    "Refused",
    "Review",
    "histories",
    "move",
    "review_in_use",
    "roles_of",
    "save_review",
    "set_deadline",
    "step_line",
]


def roles_of(name: str | None, wp: Workplan | None = None) -> frozenset[str]:
    """The roles of a logged-in name (None: a viewer, no role) for the work plan's unit."""
    return unit_roles(name, (wp or home()).unit) if name else frozenset()


@dataclass
class Review:
    workplan: Workplan
    round_state: RoundState
    unit: LkeScore
    tpi: LkeScore
    verdicts: dict[int, str]
    returned: list[Returned]
    today: date
    tpi_set: StoredLkeAnswers | None = None
    unit_set: StoredLkeAnswers | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.round_state.state

    @property
    def state_label(self) -> str:
        return rv.state_label(self.state)

    @property
    def round(self) -> int:
        return self.round_state.round

    @property
    def deadline(self) -> date | None:
        return self.round_state.deadline

    @property
    def deadlines(self) -> dict[str, date]:
        return self.round_state.deadlines

    @property
    def overdue(self) -> bool:
        return self.round_state.overdue(self.today)

    @property
    def transitions(self) -> tuple[Event, ...]:
        return self.round_state.transitions

    @property
    def verdicts_given(self) -> int:
        return len(self.verdicts)

    def summary(self) -> Summary:
        return Summary(
            self.state, self.deadline, self.unit.total, self.tpi.total, self.returned, self.round, self.overdue
        )

    def as_dict(self) -> dict:
        return self.summary().as_dict()


def _returned(instrument: Instrument, tpi: lke_service.AnswerSet, verdicts: dict[int, str]) -> list[Returned]:
    out = []
    for row in sorted(r for r, v in verdicts.items() if v == rv.PERBAIKAN and instrument.has_row(r)):
        q = instrument.by_row(row)
        a = tpi.answers.get(row)
        s = tpi.stored
        out.append(
            Returned(row, q.code, q.letter, q.label, a.note if a else "", s.by if s else "", s.at if s else None)
        )
    return out


def review_in_use(wp: Workplan | None = None, today: date | None = None) -> Review:
    """Everything about the review of one work plan's LKE (see the module docstring), made once
    and handed to every caller until any LKE answer set, review event or instrument is kept
    (service.lke_pulse).  Shared: callers never change it."""
    wp = wp or home()
    return _review(get_store().url, wp, today or date.today(), lke_pulse())


@cached(maxsize=256)
def _review(url: str, wp: Workplan, today: date, lke_stamp: tuple) -> Review:
    return _review_of(wp, today, lke_service.answers_in_use)


def _review_of(wp: Workplan, today: date, answers: Callable[[Workplan, str], lke_service.AnswerSet]) -> Review:
    state = RoundState.from_events(get_store().lke_review_events(wp.id))
    unit_found = answers(wp, UNIT)
    tpi_found = answers(wp, TPI)
    instrument = unit_found.instrument
    verdicts = {
        r: v
        for r, v in (rv.verdicts_from_json(tpi_found.stored.answers) if tpi_found.stored else {}).items()
        if instrument.has_row(r)
    }
    return Review(
        wp,
        state,
        score(instrument, unit_found.answers, UNIT),
        score(instrument, tpi_found.answers, TPI),
        verdicts,
        _returned(instrument, tpi_found, verdicts),
        today,
        tpi_found.stored,
        unit_found.stored,
    )


def move(wp: Workplan | None, target: str, by: str, expect: str | None = None, note: str = "") -> Event:
    """Move the LKE to `target` (who may: counting.lke_review.TRANSITIONS).  `expect`: the state
    the user saw; a move from another state is refused (someone moved it meanwhile)."""
    wp = wp or home()
    now = _review_of(wp, date.today(), lke_service.fresh_answers)  # as the store says it now
    open_returns = sum(1 for v in now.verdicts.values() if v == rv.PERBAIKAN)
    event = Event(rv.STATE_EVENT, target, by, datetime.now(UTC), note=note)  # the store's own `at` is kept
    refused = rv.check_move(roles_of(by, wp), now.state, target, open_returns, now.verdicts_given)
    if refused:
        raise Refused(refused)
    saved = get_store().add_lke_review_event(wp.id, event, expect, open_returns, now.verdicts_given)
    forget()
    return saved


def set_deadline(wp: Workplan | None, stage: str, day: date | None, by: str) -> Event:
    """The date by which the LKE should leave `stage` (None clears it): a reviewer of the unit
    or an admin."""
    wp = wp or home()
    refused = rv.check_deadline(roles_of(by, wp), stage)
    if refused:
        raise Refused(refused)
    saved = get_store().add_lke_review_event(wp.id, Event(rv.DEADLINE_EVENT, stage, by, datetime.now(UTC), day))
    forget()
    return saved


def save_review(
    typed: dict[int, dict], by: str, wp: Workplan | None = None, source: str = ""
) -> tuple[StoredLkeAnswers | None, list[Problem]]:
    """The TPI's word on some questions ({row: {"value", "verdict", "note", "links"}}), merged
    into the TPI's set in use and kept as a new set (None and the problems when any answer is
    wrong: nothing kept).  Refused: not a reviewer of the unit, or not the TPI's stage."""
    wp = wp or home()
    lke_service.ensure_may_write(by, wp, TPI)
    unit_found = lke_service.fresh_answers(wp, UNIT)
    tpi_found = lke_service.fresh_answers(wp, TPI)
    instrument = tpi_found.instrument
    values, problems = lke_service.validate_answers(instrument, {r: {**t, "evidence": ""} for r, t in typed.items()})
    if problems:
        return None, problems
    verdicts = rv.verdicts_from_json(tpi_found.stored.answers) if tpi_found.stored else {}
    reviews = {
        row: rv.TpiReview(
            row,
            values[row].value if row in values else None,
            t.get("verdict") if t.get("verdict") in rv.VERDICTS else None,
            values[row].note if row in values else "",
            values[row].links if row in values else (),
        )
        for row, t in typed.items()
    }
    feeds = {
        q.row: [c.row for c in counts_of(instrument, q)]
        for q in instrument.scored
        if q.kind == PERCENT and q.row in typed
    }
    answers, verdicts = rv.merge_reviews(tpi_found.answers, verdicts, reviews, unit_found.answers, feeds)
    problems = score(instrument, answers, TPI).errors
    if problems:
        return None, problems
    return lke_service.save_answers(answers, by, source or rv.R["source_app"], wp, TPI, verdicts=verdicts), []


def histories(wp: Workplan | None = None) -> dict[int, list[Step]]:
    """Every question's conversation (row -> steps, oldest first), from both levels' sets."""
    wp = wp or home()
    return rv.conversations([*lke_service.answer_history(wp, UNIT), *lke_service.answer_history(wp, TPI)])


def step_line(instrument: Instrument, row: int, step: Step) -> str:
    """A step as the user reads it, the answer in the question's own words (decimal comma)."""
    shown = answer_text(instrument.by_row(row), step.value) if instrument.has_row(row) else str(step.value or "")
    return rv.step_text(step, shown)
