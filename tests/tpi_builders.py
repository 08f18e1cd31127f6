"""Both levels of a unit's LKE saved the way the review allows it (counting/lke_review.py): the
unit's editor saves the unit's answers and submits (Diajukan ke TPI), then the unit's reviewer
saves the TPI's answers, with notes and a verdict per question.  The figures of these answers are
worked by hand in tests/counting/test_lke_compare.py."""

from __future__ import annotations

from zi_dashboard.app import lke as service_lke
from zi_dashboard.app import lke_review as review
from zi_dashboard.counting import lke_review as rv
from zi_dashboard.reading.lke_answers import Answer
from zi_dashboard.storage.records import Workplan

REVIEWER = "Inspektorat Uji"
REVIEWERS = f"{REVIEWER}=*"  # ZI_REVIEWER_UNITS: a reviewer of every unit
EDITOR = "Operator"  # named in no editor scope: an editor of every unit
UNIT = {6: "YA", 7: "A", 9: "YA", 10: "A", 132: "A", 199: 3.6, 200: "B"}
TPI = {6: "TIDAK", 7: "B", 9: "YA", 11: "A", 132: "C", 199: 3.2, 200: "B"}
RETURNED = {6: "SK belum ditandatangani", 11: "Media sosialisasi belum ada", 132: "Target RB belum ada"}


def save_unit(wp: Workplan) -> None:
    answers = {row: Answer(row, value) for row, value in UNIT.items()}
    service_lke.save_answers(answers, EDITOR, "LKE unit.xlsx", wp, "unit", rights=service_lke.OPERATOR)


def save_both(wp: Workplan, returned: dict[int, str] | None = None) -> None:
    """The unit's answers, submitted, and the TPI's (ZI_REVIEWER_UNITS must name REVIEWER):
    `returned` row -> the TPI's note of a question it returns (Perlu perbaikan); every other
    question it answered is Sesuai."""
    returned = RETURNED if returned is None else returned
    save_unit(wp)
    review.move(wp, rv.DIAJUKAN, EDITOR)
    answers = {row: Answer(row, value, returned.get(row, "")) for row, value in TPI.items()}
    verdicts = {row: rv.PERBAIKAN if row in returned else rv.SESUAI for row in TPI}
    service_lke.save_answers(answers, REVIEWER, "LKE TPI.xlsx", wp, "tpi", verdicts=verdicts)
