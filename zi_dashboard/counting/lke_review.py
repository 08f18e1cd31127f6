"""The TPI review of a unit's LKE (docs/lke.md "Penilaian TPI"): who may write which
level, the rounds and states of a unit's LKE of a year, the TPI's verdict per question, the
deadlines per stage and the history of a question as a conversation.  Pure functions: no
Streamlit, no database (the store keeps the records; app/lke_review.py is the service).

API (agreed with the helper "tpiview"; the service in zi_dashboard/app/lke_review.py):

- `review_in_use(wp: Workplan | None = None, today: date | None = None) -> Review`:
  everything a page, the report, the pack or the CLI shows about the review of one work plan:
    .state            one of STATES (MANDIRI ... DIUSULKAN / PEMBINAAN); .state_label (Indonesian)
    .round            1 + the number of returns so far
    .deadline         date | None: the deadline of the current stage; .overdue: bool
    .unit, .tpi       LkeScore of each level (counting.lke_score.score; the TPI's counted as
                      the unit's: every question unanswered when the TPI gave nothing)
    .verdicts         {row: SESUAI | PERBAIKAN} (the TPI's latest, per question)
    .returned         list[Returned]: questions whose latest verdict is Perlu perbaikan, with
                      .row .code .letter .label .note (the TPI's note) .by .at
    .differences()    list[Difference]: questions whose unit and TPI points differ, ranked by
                      |points| (row, label, unit_points, tpi_points, delta)
    .transitions      list[Event] of kind STATE (who moved it where, when)
    .as_dict()        the `lke state --json` shape: {"state", "deadline", "unit_total",
                      "tpi_total", "returned": [{"code", "letter", "note"}]} (+ "state_label",
                      "round", "overdue")
- `roles_of(name, unit) -> frozenset[str]`  (UNIT_ROLE, REVIEWER, ADMIN)
- `move(wp, to_state, by, rights=None)`, `set_deadline(wp, state, day, by)`,
  `save_review(wp, reviews: dict[row, TpiReview], by)`, `question_history(wp, row)`.

Here (pure):
- STATES, TRANSITIONS (from, to) -> the roles that may make that move, `check_move` (None or the
  Indonesian reason it is refused), `check_write` (may this role write this level now);
- `verdicts_from_json`, `review_json` (the TPI's answer set carries a "verdict" per question);
- `Event` (a move or a deadline) and `RoundState.from_events`;
- `conversation` (a question's steps from the answer sets of both levels, oldest first).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from zi_dashboard import labels as L
from zi_dashboard.reading.lke_answers import Answer, answers_to_json

# --- the states of a unit's LKE of a year -------------------------------------------------------
MANDIRI = "mandiri"  # Penilaian mandiri: the unit answers
DIAJUKAN = "diajukan"  # Diajukan ke TPI: the TPI reviews
DINILAI = "dinilai"  # Dinilai TPI: the TPI has given its verdicts; it returns or finishes
DIKEMBALIKAN = "dikembalikan"  # Dikembalikan untuk perbaikan: the unit repairs
DIAJUKAN_ULANG = "diajukan_ulang"  # Diajukan ulang: the TPI reviews the repairs
DIUSULKAN = "diusulkan"  # Selesai: proposed to KemenPAN-RB
PEMBINAAN = "pembinaan"  # Selesai: not proposed this year (guidance)
STATES = (MANDIRI, DIAJUKAN, DINILAI, DIKEMBALIKAN, DIAJUKAN_ULANG, DIUSULKAN, PEMBINAAN)
FINAL = frozenset({DIUSULKAN, PEMBINAAN})

# --- roles --------------------------------------------------------------------------------------
UNIT_ROLE = "unit"  # an editor of the unit: writes the unit's answers
REVIEWER = "tpi"  # a reviewer (penilai TPI) of the unit: writes the TPI's answers and verdicts
ADMIN = "admin"  # an editor of every unit ("*"): sets deadlines, reopens a finished LKE

UNIT_LEVEL, TPI_LEVEL = "unit", "tpi"  # = counting.lke_score.UNIT / TPI

# Who may move the LKE from where to where (nothing else is a move).
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (MANDIRI, DIAJUKAN): frozenset({UNIT_ROLE}),
    (DIAJUKAN, DINILAI): frozenset({REVIEWER}),
    (DIAJUKAN_ULANG, DINILAI): frozenset({REVIEWER}),
    (DINILAI, DIKEMBALIKAN): frozenset({REVIEWER}),
    (DIKEMBALIKAN, DIAJUKAN_ULANG): frozenset({UNIT_ROLE}),
    (DINILAI, DIUSULKAN): frozenset({REVIEWER}),
    (DINILAI, PEMBINAAN): frozenset({REVIEWER}),
    (DIAJUKAN_ULANG, DIUSULKAN): frozenset({REVIEWER}),  # the repairs are right: finished at once
    (DIAJUKAN_ULANG, PEMBINAAN): frozenset({REVIEWER}),
    (DIUSULKAN, DINILAI): frozenset({ADMIN}),  # reopened by an admin
    (PEMBINAAN, DINILAI): frozenset({ADMIN}),
}

# In which states each level's answers may be written (by its own role only).
WRITABLE: dict[str, frozenset[str]] = {
    UNIT_LEVEL: frozenset({MANDIRI, DIKEMBALIKAN}),
    TPI_LEVEL: frozenset({DIAJUKAN, DIAJUKAN_ULANG, DINILAI}),
}
WRITER = {UNIT_LEVEL: UNIT_ROLE, TPI_LEVEL: REVIEWER}

# Deadlines are set per stage: the date by which the LKE should leave that state.
DEADLINE_STATES = (MANDIRI, DIAJUKAN, DINILAI, DIKEMBALIKAN, DIAJUKAN_ULANG)
DEADLINE_SETTERS = frozenset({REVIEWER, ADMIN})

# --- verdicts -----------------------------------------------------------------------------------
SESUAI = "sesuai"
PERBAIKAN = "perbaikan"  # Perlu perbaikan
VERDICTS = (SESUAI, PERBAIKAN)

R = L.LKE_REVIEW
# the label of each state, verdict, role and level's refusal (L.LKE_REVIEW keys)
STATE_KEYS = {
    MANDIRI: "state_mandiri",
    DIAJUKAN: "state_diajukan",
    DINILAI: "state_dinilai",
    DIKEMBALIKAN: "state_dikembalikan",
    DIAJUKAN_ULANG: "state_diajukan_ulang",
    DIUSULKAN: "state_diusulkan",
    PEMBINAAN: "state_pembinaan",
}
VERDICT_KEYS = {SESUAI: "verdict_sesuai", PERBAIKAN: "verdict_perbaikan"}
ROLE_KEYS = {UNIT_ROLE: "role_unit", REVIEWER: "role_tpi", ADMIN: "role_admin"}
NO_WRITE_KEYS = {UNIT_LEVEL: "no_write_unit", TPI_LEVEL: "no_write_tpi"}
CLOSED_KEYS = {UNIT_LEVEL: "closed_unit", TPI_LEVEL: "closed_tpi"}


class Refused(PermissionError):
    """A write or a move the review's rules refuse; the message says why, in Indonesian."""


def state_label(state: str) -> str:
    return R[STATE_KEYS[state]]


def role_label(role: str) -> str:
    return R[ROLE_KEYS[role]]


def verdict_label(verdict: str | None) -> str:
    return R[VERDICT_KEYS[verdict]] if verdict in VERDICT_KEYS else R["verdict_none"]


def roles_from_scopes(unit_slug: str, editor_scope: Iterable[str], reviewer_scope: Iterable[str]) -> frozenset[str]:
    """The roles of a name for a unit, from its configured scopes (unit slugs or "*")."""
    editor_scope, reviewer_scope = set(editor_scope), set(reviewer_scope)
    out = set()
    if "*" in editor_scope or unit_slug in editor_scope:
        out.add(UNIT_ROLE)
    if "*" in editor_scope:
        out.add(ADMIN)
    if "*" in reviewer_scope or unit_slug in reviewer_scope:
        out.add(REVIEWER)
    return frozenset(out)


def check_write(roles: Iterable[str], level: str, state: str) -> str | None:
    """None when these roles may write this level's answers in this state, else the reason
    (Indonesian) they may not.  A reviewer never writes the unit's level, an editor never the
    TPI's, and each only in its own stages."""
    if WRITER.get(level) not in set(roles):
        return R[NO_WRITE_KEYS[level]]
    if state not in WRITABLE[level]:
        return R[CLOSED_KEYS[level]].format(state=state_label(state))
    return None


def check_move(
    roles: Iterable[str], current: str, target: str, open_returns: int = 0, verdicts_given: int = 0
) -> str | None:
    """None when these roles may move the LKE from `current` to `target`, else the reason.
    Returning needs at least one question marked Perlu perbaikan; proposing (Diusulkan) needs
    none left; marking it Dinilai needs at least one verdict."""
    if target not in STATES:
        return R["unknown_state"].format(state=target)
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        return R["bad_move"].format(current=state_label(current), target=state_label(target))
    if not allowed & set(roles):
        return R["not_your_move"].format(
            target=state_label(target), who=", ".join(role_label(r) for r in sorted(allowed))
        )
    if target == DIKEMBALIKAN and open_returns == 0:
        return R["nothing_to_return"]
    if target == DIUSULKAN and open_returns > 0:
        return R["returns_open"].format(n=open_returns)
    if target == DINILAI and current in (DIAJUKAN, DIAJUKAN_ULANG) and verdicts_given == 0:
        return R["no_verdicts"]
    return None


def moves_for(roles: Iterable[str], current: str) -> list[str]:
    """The states these roles may move the LKE to from `current` (guards aside), in STATES order."""
    mine = set(roles)
    return [t for t in STATES if (current, t) in TRANSITIONS and TRANSITIONS[(current, t)] & mine]


# --- the TPI's answer set: the answers plus a verdict per question -------------------------------
@dataclass(frozen=True)
class TpiReview:
    """The TPI's word on one question: its own answer (value as the unit's), verdict and note."""

    row: int
    value: str | int | float | None = None
    verdict: str | None = None  # SESUAI | PERBAIKAN | None (not judged yet)
    note: str = ""
    links: tuple[str, ...] = ()


def review_json(answers: dict[int, Answer], verdicts: dict[int, str]) -> str:
    """The TPI's answer set as stored: answers_to_json plus "verdict" per question (a question
    with only a verdict is kept too)."""
    rows = json.loads(answers_to_json(answers))
    have = {int(d["row"]) for d in rows}
    for row in sorted(set(verdicts) - have):
        rows.append({"row": row, "value": None, "note": "", "evidence": "", "links": []})
    for d in rows:
        v = verdicts.get(int(d["row"]))
        if v in VERDICTS:
            d["verdict"] = v
    rows.sort(key=lambda d: int(d["row"]))
    return json.dumps(rows, ensure_ascii=False)


def verdicts_from_json(text: str) -> dict[int, str]:
    out = {}
    for d in json.loads(text or "[]"):
        if d.get("verdict") in VERDICTS:
            out[int(d["row"])] = d["verdict"]
    return out


def merge_reviews(
    answers: dict[int, Answer],
    verdicts: dict[int, str],
    reviews: dict[int, TpiReview],
    unit: dict[int, Answer],
    feeds: dict[int, list[int]] | None = None,
) -> tuple[dict[int, Answer], dict[int, str]]:
    """The TPI's set after these reviews: each reviewed question gets the TPI's answer, verdict
    and note.  A verdict Sesuai with no answer of its own takes the unit's answer (agreeing is
    answering the same), and for a percentage (`feeds`: its row -> the rows of its counts) the
    unit's counts."""
    answers, verdicts = dict(answers), dict(verdicts)
    for row, r in reviews.items():
        value = r.value
        if value is None and r.verdict == SESUAI:
            value = unit[row].value if row in unit else None
            for count in (feeds or {}).get(row, ()):
                if count in unit and count not in answers:
                    answers[count] = Answer(count, unit[count].value)
        if value is None and not r.note and not r.links and r.verdict is None:
            answers.pop(row, None)
        else:
            answers[row] = Answer(row, value, r.note, "", tuple(r.links))
        if r.verdict in VERDICTS:
            verdicts[row] = r.verdict
        else:
            verdicts.pop(row, None)
    return answers, verdicts


# --- moves and deadlines -------------------------------------------------------------------------
STATE_EVENT, DEADLINE_EVENT = "state", "deadline"


@dataclass(frozen=True)
class Event:
    """A move (kind STATE: the LKE is now `state`) or a deadline (kind DEADLINE: the stage `state`
    should be left by `deadline`; None clears it), with who and when."""

    kind: str
    state: str
    by: str
    at: datetime
    deadline: date | None = None
    note: str = ""
    id: int = 0


@dataclass(frozen=True)
class RoundState:
    state: str
    round: int
    deadlines: dict[str, date]
    transitions: tuple[Event, ...]

    @classmethod
    def from_events(cls, events: Sequence[Event]) -> RoundState:
        """The state after these events (oldest first): the last move's state (MANDIRI before
        any), the round (1 + returns) and the latest deadline per stage."""
        deadlines: dict[str, date] = {}
        state, returns, moves = MANDIRI, 0, []
        for e in events:
            if e.kind == STATE_EVENT:
                state = e.state
                returns += e.state == DIKEMBALIKAN
                moves.append(e)
            elif e.kind == DEADLINE_EVENT:
                if e.deadline is None:
                    deadlines.pop(e.state, None)
                else:
                    deadlines[e.state] = e.deadline
        return cls(state, 1 + returns, deadlines, tuple(moves))

    @property
    def deadline(self) -> date | None:
        return None if self.state in FINAL else self.deadlines.get(self.state)

    def overdue(self, today: date) -> bool:
        """The current stage has a deadline and it has passed (a finished LKE is never overdue)."""
        d = self.deadline
        return d is not None and today > d


def check_deadline(roles: Iterable[str], state: str) -> str | None:
    if not DEADLINE_SETTERS & set(roles):
        return R["no_deadline_right"]
    if state not in DEADLINE_STATES:
        return R["no_deadline_stage"].format(state=state_label(state))
    return None


# --- a question's history as a conversation ------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One thing said about a question: the unit answered, or the TPI judged (its note and links
    only when they changed in that step)."""

    level: str  # UNIT_LEVEL | TPI_LEVEL
    by: str
    at: datetime
    value: Any
    note: str = ""
    links: tuple[str, ...] = ()
    verdict: str | None = None
    set_id: int = 0


@dataclass(frozen=True)
class SetRecord:
    """An answer set as the history needs it (the store's StoredLkeAnswers has these fields)."""

    id: int
    level: str
    by: str
    at: datetime
    answers: str


def _entry(d: dict) -> tuple:
    return (d.get("value"), d.get("note", ""), tuple(d.get("links", ())), d.get("verdict"))


def conversations(sets: Iterable[Any]) -> dict[int, list[Step]]:
    """Every change to each question across the answer sets of both levels (objects with id,
    level, by, at, answers), oldest first: a step each time a level's answer, note, links or
    verdict of a question differs from that level's previous set (each set is read once)."""
    ordered = sorted(sets, key=lambda s: (s.at, s.id))
    last: dict[tuple[str, int], tuple] = {}
    out: dict[int, list[Step]] = {}
    blank = (None, "", (), None)
    for s in ordered:
        if s.level not in (UNIT_LEVEL, TPI_LEVEL):
            continue
        entries = {int(d["row"]): _entry(d) for d in json.loads(s.answers or "[]")}
        seen = {row for (level, row) in last if level == s.level}
        for row in sorted(seen | set(entries)):
            entry = entries.get(row, blank)
            before = last.get((s.level, row), blank)
            if entry == before:
                continue
            last[(s.level, row)] = entry
            note = entry[1] if entry[1] != before[1] else ""  # what was said now, not repeated
            links = entry[2] if entry[2] != before[2] else ()
            out.setdefault(row, []).append(Step(s.level, s.by, s.at, entry[0], note, links, entry[3], s.id))
    return out


def conversation(row: int, sets: Iterable[Any]) -> list[Step]:
    """One question's conversation (see conversations)."""
    return conversations(sets).get(row, [])


def step_text(step: Step, answer_text: str) -> str:
    """'budi menjawab B: SK sudah ada' or 'tpi1 (TPI): Perlu perbaikan: SK belum ditandatangani'."""
    if step.level == UNIT_LEVEL:
        text = R["step_unit"].format(by=step.by, answer=answer_text or R["step_blank"])
    else:
        text = R["step_tpi"].format(by=step.by, verdict=verdict_label(step.verdict))
        if answer_text:
            text += R["step_tpi_answer"].format(answer=answer_text)
    if step.note:
        text += R["step_note"].format(note=step.note)
    if step.links:
        text += R["step_links"].format(n=len(step.links))
    return text


@dataclass(frozen=True)
class Returned:
    """A question the TPI returned for repair (its latest verdict is Perlu perbaikan)."""

    row: int
    code: str
    letter: str
    label: str
    note: str
    by: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class Difference:
    row: int
    label: str
    unit_points: float
    tpi_points: float

    @property
    def delta(self) -> float:
        return self.tpi_points - self.unit_points


@dataclass
class Summary:
    """What `lke state --json` gives (see the module docstring)."""

    state: str
    deadline: date | None
    unit_total: float
    tpi_total: float
    returned: list[Returned] = field(default_factory=list)
    round: int = 1
    overdue: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "state_label": state_label(self.state),
            "round": self.round,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "overdue": self.overdue,
            "unit_total": round(self.unit_total, 4),
            "tpi_total": round(self.tpi_total, 4),
            "returned": [{"code": r.code, "letter": r.letter, "note": r.note} for r in self.returned],
        }
