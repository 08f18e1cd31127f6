"""Mandiri vs TPI as the pages, the meeting pack, the Laporan monev and the CLI ask for it: the
unit's LKE answers in use beside the TPI's (both levels of app.lke.score_in_use), compared by
counting.lke_compare.compare, with the plan rows' PICs and the questions the review returned.
None wherever the TPI has no answers saved: every page then shows what it showed before.
No Streamlit."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.app import lke as lke_service
from zi_dashboard.app import lke_review, service
from zi_dashboard.counting.lke_compare import Comparison, Returned, ReturnNote, compare
from zi_dashboard.counting.lke_review import RoundState, state_label
from zi_dashboard.counting.lke_score import TPI, UNIT, score
from zi_dashboard.outputs import lke_compare_out
from zi_dashboard.reading.caching import SameObject, cached
from zi_dashboard.reading.lke_answers import answers_from_json, known_rows
from zi_dashboard.reading.lke_instrument import Instrument
from zi_dashboard.storage.records import StoredLkeAnswers, Workplan


@dataclass(frozen=True)
class InUse:
    """The comparison of the answer sets in use, and which sets they are (None: not saved)."""

    comparison: Comparison
    unit_set: StoredLkeAnswers | None
    tpi_set: StoredLkeAnswers
    stage: Stage

    @property
    def source(self) -> str:
        """'mandiri #3 · … / TPI #5 · …': which answer sets, for a report's line."""
        unit = lke_service.set_label(self.unit_set) if self.unit_set else "–"
        return f"{unit} / {lke_service.set_label(self.tpi_set)}"

    @property
    def stage_line(self) -> str:
        """'Tahap penilaian TPI: Diajukan ke TPI · ⚠ lewat tenggat 30/11/2026' for a report."""
        return stage_line(self.stage)

    @property
    def key(self) -> tuple[int | None, int]:
        """What changes when another answer set comes into use (a cache key for the packs)."""
        return (self.unit_set.id if self.unit_set else None, self.tpi_set.id)


def plan_pics(wp: Workplan) -> dict[str, str]:
    """The work plan's row code -> its PICs from the data in use (the distinct PICs of its
    progress rows, joined by "; ", as Kesiapan's follow-up names them); a Pemenuhan sub-area
    code is a plan row code."""
    rows = service.current_dataset(wp).rows
    if rows is None or rows.empty or "pic" not in rows.columns:
        return {}
    found: dict[str, dict[str, None]] = {}
    for code, pic in zip(rows["code"], rows["pic"], strict=True):
        names = found.setdefault(str(code), {})
        for p in str(pic or "").split(";"):
            if p.strip():
                names[p.strip()] = None
    return {code: "; ".join(names) for code, names in found.items()}


def return_notes(review: lke_review.Review) -> list[ReturnNote]:
    """The questions the TPI's review sent back to the unit (latest verdict Perlu perbaikan), with
    its notes."""
    return [ReturnNote(r.row, r.note) for r in review.returned]


@dataclass(frozen=True)
class Stage:
    """Where a unit's LKE of a year stands in the review: the state's name, its deadline, overdue."""

    state: str
    deadline: date | None
    overdue: bool


def stage_line(now: Stage) -> str:
    return L.LKE_COMPARE["stage_line"].format(stage=lke_compare_out.stage_text(dataclasses.asdict(now)))


def stage(wp: Workplan | None = None, today: date | None = None) -> Stage:
    """The review stage from the review's moves and deadlines alone (no answers scored), read
    once until an LKE answer set, review event or instrument is kept (service.lke_pulse)."""
    wp = wp or service.home()
    return _stage(service.get_store().url, wp.id, today or date.today(), service.lke_pulse())


@cached(maxsize=256)
def _stage(url: str, workplan_id: int, today: date, lke_stamp: tuple) -> Stage:
    found = RoundState.from_events(service.get_store().lke_review_events(workplan_id))
    return Stage(state_label(found.state), found.deadline, found.overdue(today))


def in_use(wp: Workplan | None = None) -> InUse | None:
    """The unit's score and the TPI's from the answers in use (app.lke_review.review_in_use, with
    the questions it returned); None when the TPI has no answers saved.  Made once per review
    in use and data in use (its PICs), and shared: callers never change it."""
    wp = wp or service.home()
    return _in_use(wp, lke_review.review_in_use(wp), service.current_dataset(wp).key)


@cached(maxsize=32, key=lambda wp, review, data_key: (wp, SameObject(review), data_key))
def _in_use(wp: Workplan, review: lke_review.Review, data_key: str) -> InUse | None:
    if review.tpi_set is None:
        return None
    found = compare(review.unit, review.tpi, return_notes(review), plan_pics(wp))
    return InUse(found, review.unit_set, review.tpi_set, stage_of(review))


def stage_of(review: lke_review.Review) -> Stage:
    return Stage(review.state_label, review.deadline, review.overdue)


def comparison(wp: Workplan | None = None) -> Comparison | None:
    found = in_use(wp)
    return found.comparison if found else None


def returned_by_pic(wp: Workplan | None = None) -> dict[str, list[Returned]]:
    """PIC -> the questions the TPI returned for repair ({} without TPI answers): for the follow-up
    per PIC and `remind`."""
    found = in_use(wp)
    return found.comparison.returned_by_pic() if found else {}


def totals(year: int) -> pd.DataFrame:
    """Each work plan of a year: unit (its name), unit_total and tpi_total from the answer sets in
    use (NaN: no answers of that level saved), and its review stage: state (its name; None where
    there is no review), deadline, overdue.  Made once and shared (callers never change it) until
    an LKE answer set, review event or instrument is kept (service.lke_pulse) or a work plan added."""
    plans = tuple(wp for wp in service.workplans() if wp.year == year)
    return _totals(service.get_store().url, plans, date.today(), service.lke_pulse())


@cached(maxsize=32)
def _totals(url: str, plans: tuple[Workplan, ...], today: date, lke_stamp: tuple) -> pd.DataFrame:
    instrument = lke_service.instrument_for(plans[0]) if plans else None  # one year: one instrument
    records = []
    for wp in plans:
        row: dict[str, object] = {"unit": wp.unit}
        for level, column in ((UNIT, "unit_total"), (TPI, "tpi_total")):
            stored = service.get_store().lke_answer_sets(wp.id, level, newest_only=True)
            row[column] = _total(instrument, stored[0].id, stored[0].answers) if stored else float("nan")
        now = stage(wp, today)
        row.update(state=now.state, deadline=now.deadline, overdue=now.overdue)
        records.append(row)
    return pd.DataFrame(records, columns=["unit", "unit_total", "tpi_total", "state", "deadline", "overdue"])


@cached(maxsize=512, key=lambda instrument, set_id, answers: (instrument.year, hash(instrument.questions), set_id))
def _total(instrument: Instrument, set_id: int, answers: str) -> float:
    """The total of a stored answer set, scored once per set (app.lke.answers_in_use's way)."""
    return score(instrument, known_rows(instrument, answers_from_json(answers))).total


__all__ = [
    "InUse",
    "Stage",
    "stage_of",
    "comparison",
    "in_use",
    "plan_pics",
    "return_notes",
    "returned_by_pic",
    "stage",
    "totals",
]
