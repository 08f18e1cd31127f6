"""Readiness (Kesiapan): the LKE estimate of the data in use with a work plan's
self-assessment, the self-assessment kept per work plan, and the follow-ups per PIC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zi_dashboard.app.service.data import Context, Dataset, result_for
from zi_dashboard.app.service.editors import ensure_allowed
from zi_dashboard.app.service.store_access import forget, get_store, store_says
from zi_dashboard.app.service.workplans import home
from zi_dashboard.counting.readiness import FollowUp, Readiness, follow_up, readiness
from zi_dashboard.outputs import assessment_out
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.assessment import Assessment
from zi_dashboard.reading.assessment import from_json as assessment_from_json
from zi_dashboard.reading.assessment import validate as validate_assessment
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.lke import Lke, load_lke
from zi_dashboard.reading.problems import Problem
from zi_dashboard.storage.records import StoredAssessment, Workplan


def lke() -> Lke:
    """The LKE's structure (areas, sub-areas, weights, gates), as bundled."""
    return load_lke()


@dataclass(frozen=True)
class AssessmentInUse:
    assessment: Assessment
    stored: StoredAssessment | None  # None: nothing saved yet (every value counts 0)
    problems: tuple[Problem, ...] = ()  # what is wrong with the stored values (counted clipped/blank)

    @property
    def ident(self) -> int | None:
        return self.stored.id if self.stored else None


@cached(maxsize=64)
def _stored_assessment(values_json: str) -> tuple[Assessment, tuple[Problem, ...]]:
    found, problems = assessment_from_json(values_json, lke())
    return found, tuple(problems)


def counted_assessment(values_json: str) -> Assessment:
    """A stored assessment as counted: never over a maximum (see reading.assessment.from_json)."""
    return _stored_assessment(values_json)[0]


def assessment_in_use(wp: Workplan | None = None) -> AssessmentInUse:
    """A work plan's newest saved self-assessment (or an empty one), asked of the store twice a
    second, with what is wrong with it (values saved before the no-tolerance rule)."""
    stored = store_says(get_store().url, "latest_assessment", (wp or home()).id)
    if stored is None:
        return AssessmentInUse(Assessment(), None)
    found, problems = _stored_assessment(stored.values)
    return AssessmentInUse(found, stored, problems)


@dataclass(frozen=True)
class AssessmentCheck:
    assessment: Assessment | None
    problems: list[Problem]

    @property
    def valid(self) -> bool:
        return self.assessment is not None and not self.problems


def check_assessment_values(raw: dict[str, object]) -> AssessmentCheck:
    """Values as typed (field code -> text or number; blank = not entered); nothing is stored."""
    found, problems = validate_assessment(raw, lke())
    return AssessmentCheck(found, problems)


def check_assessment_sheet(data: bytes, filename: str) -> AssessmentCheck:
    """An uploaded self-assessment sheet, read in a child process (raises UnreadableFile)."""
    found, problems = sandbox.read_assessment(data, filename, lke())
    return AssessmentCheck(found, problems)


def save_assessment(
    check: AssessmentCheck, by: str, source: str, wp: Workplan | None = None, rights=None
) -> StoredAssessment:
    """Keep a valid self-assessment of a work plan (with who, when, where from); it is in use
    from now on.  NotAllowed: not an editor of its unit."""
    if not check.valid or check.assessment is None:
        raise ValueError("an invalid self-assessment cannot be saved")
    wp = wp or home()
    ensure_allowed(by, wp, rights)
    saved = get_store().save_assessment(check.assessment.to_json(), source, by, wp.id)
    forget()
    return saved


def assessments(wp: Workplan | None = None) -> list[StoredAssessment]:
    """Every saved self-assessment of a work plan, newest first (asked of the store twice a
    second, as assessment_in_use)."""
    return store_says(get_store().url, "assessments", (wp or home()).id)


def assessment_template(wp: Workplan | None = None) -> bytes:
    """The self-assessment template, filled with a work plan's values in use."""
    return assessment_out.assessment_template(lke(), assessment_in_use(wp).assessment.values())


@cached(maxsize=64)
def _readiness(data: Dataset, as_of: date, assessment_json: str, assume_done: tuple[str, ...]) -> Readiness:
    return readiness(result_for(data, as_of), counted_assessment(assessment_json), lke(), assume_done)


def readiness_of(ctx: Context, assessment: Assessment | None = None, assume_done: tuple[str, ...] = ()) -> Readiness:
    """Kesiapan of the data at the as-of date with a self-assessment (the one in use unless
    given, e.g. a what-if), assuming the rows `assume_done` finished; nothing is stored."""
    chosen = assessment if assessment is not None else assessment_in_use(ctx.workplan).assessment
    return _readiness(ctx.data, ctx.as_of, chosen.to_json(), tuple(sorted(assume_done)))


def follow_ups(r: Readiness) -> list[FollowUp]:
    """Per PIC: rows overdue, behind or due soon, with the points still open."""
    return follow_up(r)
