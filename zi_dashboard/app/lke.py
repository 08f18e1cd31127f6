"""The LKE question by question, as the pages and the CLI ask for it (docs/lke.md): the
instrument a work plan uses, the answer set in use per level, saving (append-only, with who and
when), history and restore, checking an uploaded workbook or evidence sheet, adding an
instrument, and the score from answers beside the plan-based forecast.

Rights: only editors of the work plan's unit save or restore (service.ensure_allowed); viewers
read.  Nothing is saved from a file with errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from zi_dashboard import labels as L
from zi_dashboard.app.service import OPERATOR, ensure_allowed, forget, get_store, home, lke_pulse
from zi_dashboard.counting import lke_review as review
from zi_dashboard.counting.lke_score import UNIT, LkeScore, score, score_sheet
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.caching import SameObject, cached
from zi_dashboard.reading.lke import load_lke
from zi_dashboard.reading.lke_answers import Answer, answers_from_json, answers_to_json, known_rows, normalise_answer
from zi_dashboard.reading.lke_instrument import (
    Instrument,
    InstrumentError,
    bundled_years,
    load_instrument,
    newest_for,
    parse_instrument,
)
from zi_dashboard.reading.lke_workbook import EvidenceSheet, LkeSheet
from zi_dashboard.reading.problems import Problem, error
from zi_dashboard.storage.auth import unit_roles
from zi_dashboard.storage.records import StoredLkeAnswers, Workplan

__all__ = [
    "OPERATOR",
    "Answer",
    "AnswerSet",
    "WorkbookCheck",
    "add_instrument",
    "answer_history",
    "answers_in_use",
    "check_evidence",
    "check_instrument",
    "check_workbook",
    "ensure_may_write",
    "fresh_answers",
    "instrument_for",
    "restore_answers",
    "save_answers",
    "save_workbook",
    "score_in_use",
    "validate_answers",
]

MAX_INSTRUMENT_BYTES = 2_000_000
MAX_NOTE_CHARS = 2000  # a note or evidence text typed in the app
MAX_LINKS = 20


@dataclass(frozen=True)
class AnswerSet:
    """A level's answers in use (row -> Answer), with where they came from (None: nothing saved)."""

    answers: dict[int, Answer]
    stored: StoredLkeAnswers | None
    instrument: Instrument

    @property
    def ident(self) -> int | None:
        return self.stored.id if self.stored else None


def _added(year_limit: int | None = None) -> list[Instrument]:
    out = []
    for year, content in get_store().lke_instruments():
        if year_limit is None or year <= year_limit:
            try:
                out.append(parse_instrument(content, year, load_lke()))
            except InstrumentError:  # checked when added; a later code change must not break a page
                continue
    return out


def instrument_for(wp: Workplan | None = None) -> Instrument:
    """The instrument a work plan's year uses: the newest (bundled or added) not after it; the
    oldest bundled one for a year before every instrument.  Read once until an instrument is
    added (service.lke_pulse)."""
    return _instrument(get_store().url, (wp or home()).year, lke_pulse())


@cached(maxsize=16)
def _instrument(url: str, year: int, lke_stamp: tuple) -> Instrument:
    candidates = [load_instrument(year), *_added(year)]
    return newest_for(year, candidates) or load_instrument(year)


def answers_in_use(wp: Workplan | None = None, level: str = UNIT) -> AnswerSet:
    """A level's answers in use, read once and handed to every caller until any LKE answer set,
    review or instrument is kept (service.lke_pulse: at once in this process, within
    service.STORE_MAX_AGE in another).  Shared: callers never change it."""
    wp = wp or home()
    return _answers(get_store().url, wp, level, lke_pulse())


@cached(maxsize=256)
def _answers(url: str, wp: Workplan, level: str, lke_stamp: tuple) -> AnswerSet:
    return fresh_answers(wp, level)


def fresh_answers(wp: Workplan, level: str = UNIT) -> AnswerSet:
    """A level's answers in use as the store says them now (what a save builds on)."""
    instrument = instrument_for(wp)
    stored = get_store().lke_answer_sets(wp.id, level, newest_only=True)
    if not stored:
        return AnswerSet({}, None, instrument)
    return AnswerSet(known_rows(instrument, answers_from_json(stored[0].answers)), stored[0], instrument)


def score_in_use(wp: Workplan | None = None, level: str = UNIT) -> tuple[LkeScore, AnswerSet]:
    """The score from the answers in use (every question unanswered when none are saved), scored
    once per answer set in use (answers_in_use)."""
    found = answers_in_use(wp, level)
    return _score(found, level), found


@cached(maxsize=64, key=lambda found, level: (SameObject(found), level))
def _score(found: AnswerSet, level: str) -> LkeScore:
    return score(found.instrument, found.answers, level)


def answer_history(wp: Workplan | None = None, level: str = UNIT) -> list[StoredLkeAnswers]:
    wp = wp or home()
    return get_store().lke_answer_sets(wp.id, level)


def validate_answers(instrument: Instrument, typed: dict[int, dict]) -> tuple[dict[int, Answer], list[Problem]]:
    """Answers typed in the app (row -> {'value', 'note', 'evidence', 'links'}): each normalised as
    in a workbook; problems name the question.  Counts above their totals are errors too."""
    out: dict[int, Answer] = {}
    problems: list[Problem] = []
    for row, given in typed.items():
        if not instrument.has_row(row):
            problems.append(error(L.msg("lke_app_unknown_row", row=row)))
            continue
        q = instrument.by_row(row)
        try:
            value = normalise_answer(q, given.get("value"))
        except ValueError as exc:
            # a count shares its code with the other counts of its percentage: its text names it
            code = q.label if q.scored else f"{q.label} ({q.text})"
            problems.append(error(L.msg("lke_answer_bad", code=code, reason=str(exc))))
            continue
        note = str(given.get("note") or "")[:MAX_NOTE_CHARS]
        evidence = str(given.get("evidence") or "")[:MAX_NOTE_CHARS]
        links = tuple(str(x)[:MAX_NOTE_CHARS] for x in (given.get("links") or ()))[:MAX_LINKS]
        if value is not None or note or evidence or links:
            out[row] = Answer(row, value, note, evidence, links)
    problems += score(instrument, out).errors
    return out, problems


def ensure_may_write(by: str, wp: Workplan, level: str) -> None:
    """Refused unless `by` may write this level of the work plan's LKE now (counting.lke_review:
    a reviewer only the TPI's level of its units, an editor only the unit's, each in its own
    stages).  The store checks it again when it writes."""
    state = review.RoundState.from_events(get_store().lke_review_events(wp.id)).state
    refused = review.check_write(unit_roles(by, wp.unit), level, state)
    if refused:
        raise review.Refused(refused)


def save_answers(
    answers: dict[int, Answer],
    by: str,
    source: str,
    wp: Workplan | None = None,
    level: str = UNIT,
    rights=None,
    verdicts: dict[int, str] | None = None,
) -> StoredLkeAnswers:
    """Keep a whole, valid answer set of a work plan; it is in use from now on.  NotAllowed:
    not an editor of its unit; review.Refused: not this level's writer or not its stage.
    ValueError: the answers have errors (nothing is saved).  The TPI's set keeps its verdicts
    (`verdicts`, else those in use)."""
    wp = wp or home()
    ensure_may_write(by, wp, level)
    if level == UNIT:
        ensure_allowed(by, wp, rights)
    instrument = instrument_for(wp)
    if score(instrument, answers).errors:
        raise ValueError("invalid LKE answers cannot be saved")
    text = answers_to_json(answers)
    if level != UNIT:
        if verdicts is None:
            newest = get_store().lke_answer_sets(wp.id, level, newest_only=True)
            verdicts = review.verdicts_from_json(newest[0].answers) if newest else {}
        text = review.review_json(answers, verdicts)
    saved = get_store().save_lke_answers(wp.id, level, instrument.year, text, source, by)
    forget()
    return saved


def restore_answers(
    set_id: int, by: str, wp: Workplan | None = None, level: str = UNIT, rights=None
) -> StoredLkeAnswers:
    """Put an earlier answer set in use again (kept as a new set: nothing is lost)."""
    wp = wp or home()
    ensure_may_write(by, wp, level)
    if level == UNIT:
        ensure_allowed(by, wp, rights)
    older = next((s for s in get_store().lke_answer_sets(wp.id, level) if s.id == set_id), None)
    if older is None:
        raise KeyError(set_id)
    saved = get_store().save_lke_answers(
        wp.id, level, older.instrument_year, older.answers, L.msg("lke_restored_source", id=set_id), by
    )
    forget()
    return saved


@dataclass
class WorkbookCheck:
    """An uploaded LKE workbook, read and scored, before anything is saved."""

    filename: str
    sheet: LkeSheet
    instrument: Instrument
    scores: dict[str, LkeScore] = field(default_factory=dict)  # per level found in the sheet

    @property
    def problems(self) -> list[Problem]:
        seen, out = set(), []
        for p in [*self.sheet.problems, *(p for s in self.scores.values() for p in s.problems)]:
            key = (p.level, p.message, p.row, p.column)
            if key not in seen:
                seen.add(key)
                out.append(p)
        return out

    @property
    def valid(self) -> bool:
        return bool(self.sheet.sheet_rows) and not any(p.is_error for p in self.problems)


def check_workbook(data: bytes, filename: str, wp: Workplan | None = None) -> WorkbookCheck:
    """An uploaded LKE workbook, read in a child process (raises UnreadableFile) and scored per level."""
    instrument = instrument_for(wp)
    sheet = sandbox.read_lke_workbook(data, filename, instrument)
    levels = sheet.levels or (UNIT,)
    return WorkbookCheck(filename, sheet, instrument, {lv: score_sheet(instrument, sheet, lv) for lv in levels})


def save_workbook(
    check: WorkbookCheck, by: str, wp: Workplan | None = None, level: str = UNIT, rights=None
) -> StoredLkeAnswers:
    """Keep one level's answers of a valid workbook."""
    if not check.valid:
        raise ValueError("an invalid LKE workbook cannot be saved")
    return save_answers(check.sheet.answers.get(level, {}), by, check.filename, wp, level, rights)


def check_evidence(data: bytes, filename: str, wp: Workplan | None = None) -> EvidenceSheet:
    """An evidence or action sheet listing LKE codes, read in a child process."""
    return sandbox.read_evidence_sheet(data, filename, instrument_for(wp))


def with_evidence(answers: dict[int, Answer], evidence: EvidenceSheet, instrument: Instrument) -> dict[int, Answer]:
    """The answers with the evidence sheet's links added to their questions (answers unchanged)."""
    out = dict(answers)
    for (code, letter), links in evidence.links.items():
        q = next((x for x in instrument.in_sub_area(code) if x.letter == letter and x.scored), None)
        if q is None:
            continue
        a = out.get(q.row, Answer(q.row))
        out[q.row] = Answer(q.row, a.value, a.note, a.evidence, tuple(dict.fromkeys((*a.links, *links))))
    return out


def check_instrument(content: bytes, filename: str, year: int) -> Instrument:
    """An instrument file an editor gives (a questions CSV like data/lke-2026-questions.csv).
    InstrumentError with the reason for anything that cannot be used."""
    if len(content) > MAX_INSTRUMENT_BYTES:
        raise InstrumentError(L.msg("lke_instr_too_big", limit=MAX_INSTRUMENT_BYTES // 1_000_000))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstrumentError(L.msg("lke_instr_not_utf8")) from None
    if not 2000 <= int(year) <= 2100:
        raise InstrumentError(L.msg("lke_instr_bad_year", year=year))
    return parse_instrument(text, int(year), load_lke())


def add_instrument(
    content: bytes, filename: str, year: int, by: str, wp: Workplan | None = None, rights=None
) -> Instrument:
    """Check and keep an instrument; plan years from `year` on use it (if it is the newest)."""
    ensure_allowed(by, wp or home(), rights)
    instrument = check_instrument(content, filename, year)
    get_store().add_lke_instrument(int(year), filename, content.decode("utf-8-sig"), by)
    forget()
    return instrument


def instrument_years() -> list[int]:
    """Years of every instrument known (bundled and added)."""
    return sorted(set(bundled_years()) | {y for y, _ in get_store().lke_instruments()})


def workbook_in_use(wp: Workplan | None = None) -> bytes:
    """The LKE workbook (official answer-sheet layout, outputs/lke_export.py) of the answers in use,
    the unit's and the TPI's."""
    from zi_dashboard.counting.lke_score import TPI
    from zi_dashboard.outputs.lke_export import lke_workbook_bytes

    wp = wp or home()
    unit, tpi = answers_in_use(wp, UNIT), answers_in_use(wp, TPI)
    return lke_workbook_bytes(unit.instrument, unit.answers, tpi.answers, unit_name=wp.unit, year=wp.year)


def set_label(s: StoredLkeAnswers) -> str:
    """'#3 · 2 Desember 2026 14.05 · budi · LKE ZI 2026.xlsx' for a history list."""
    at = f"{L.fmt_date(s.at.date())} {s.at:%H.%M}" if isinstance(s.at, datetime) else str(s.at)
    return L.LKE["set_label"].format(id=s.id, at=at, by=s.by, source=s.source)
