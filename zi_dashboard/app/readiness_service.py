"""What the Kesiapan page, Mode rapat, the meeting pack and the CLI ask about readiness: the
self-assessment in use, saving a new one, and the readiness figures (counting.readiness, the one
function) for the data in use.  No Streamlit."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from zi_dashboard.counting.metrics import Result
from zi_dashboard.counting.readiness import FollowUp, Readiness, follow_up, readiness
from zi_dashboard.outputs import readiness_out
from zi_dashboard.reading.assessment import Assessment, from_json, read_assessment, validate
from zi_dashboard.reading.lke import Lke, load_lke
from zi_dashboard.reading.problems import Problem
from zi_dashboard.storage.store import Store, StoredAssessment


def lke() -> Lke:
    return load_lke()


@dataclass(frozen=True)
class AssessmentInUse:
    assessment: Assessment
    stored: StoredAssessment | None     # None: nothing saved yet (every value counts 0)

    @property
    def ident(self) -> int | None:
        return self.stored.id if self.stored else None


@lru_cache(maxsize=64)
def _parsed(values_json: str) -> Assessment:
    return from_json(values_json, lke())


def assessment_in_use(store: Store) -> AssessmentInUse:
    """The newest saved self-assessment (or an empty one)."""
    stored = store.latest_assessment()
    return AssessmentInUse(_parsed(stored.values) if stored else Assessment(), stored)


@dataclass(frozen=True)
class AssessmentCheck:
    assessment: Assessment | None
    problems: list[Problem]

    @property
    def valid(self) -> bool:
        return self.assessment is not None and not self.problems


def check_values(raw: dict[str, object]) -> AssessmentCheck:
    """Values as typed (field code -> text or number; blank = not entered)."""
    found, problems = validate(raw, lke())
    return AssessmentCheck(found, problems)


def check_sheet(data: bytes, filename: str) -> AssessmentCheck:
    """An uploaded self-assessment sheet.  Raises UnreadableFile for bytes that are no sheet."""
    found, problems = read_assessment(data, filename, lke())
    return AssessmentCheck(found, problems)


def save_assessment(store: Store, check: AssessmentCheck, by: str, source: str) -> StoredAssessment:
    if not check.valid:
        raise ValueError("an invalid self-assessment cannot be saved")
    return store.save_assessment(check.assessment.to_json(), source, by)


def template_bytes(store: Store) -> bytes:
    """The self-assessment template, filled with the values in use."""
    return readiness_out.assessment_template(lke(), assessment_in_use(store).assessment.values())


_RESULTS: dict = {}


@lru_cache(maxsize=64)
def _readiness(result_key: tuple, assessment_json: str, assume_done: tuple[str, ...]) -> Readiness:
    return readiness(_RESULTS[result_key], _parsed(assessment_json), lke(), assume_done)


def readiness_for(result: Result, key: str, assessment: Assessment, assume_done: tuple[str, ...] = ()) -> Readiness:
    """Readiness of a counted plan (`key`: the data's identity) with this self-assessment;
    computed once per data, date, assessment and what-if, then kept."""
    result_key = (key, result.as_of)
    _RESULTS[result_key] = result
    if len(_RESULTS) > 256:
        _RESULTS.pop(next(iter(_RESULTS)))
        _RESULTS[result_key] = result
    return _readiness(result_key, assessment.to_json(), tuple(sorted(assume_done)))


def follow_ups(r: Readiness) -> list[FollowUp]:
    return follow_up(r)


def contacts_from(data: bytes, filename: str, kind: str) -> dict[str, str]:
    """PIC -> phone ('phone') or e-mail address ('email') from a contacts sheet."""
    from zi_dashboard.reading.contacts import read_contacts
    return read_contacts(data, filename, kind)

