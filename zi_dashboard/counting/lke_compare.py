"""The unit's own LKE score (penilaian mandiri) beside the TPI's: both are
counting.lke_score.LkeScore of the same instrument, so nothing is counted here anew; this module
only puts them side by side.

- figures: total, Pengungkit, Pemenuhan, Reform, Hasil and each area, unit and TPI, and the
  difference TPI - unit (negative: the TPI gives fewer points than the unit claims);
- gates: every WBK/WBBM gate, its value and pass/fail at both levels;
- differing: the questions the TPI answered with another value than the unit, ranked by the
  points at stake (|unit points - TPI points|, the most first); questions the TPI has not yet
  answered are listed apart (not_reviewed), not as differences;
- returned: questions sent back to the unit for repair (the review's data: a row and the TPI's
  note), with the plan row's PIC for a Pemenuhan question, grouped per PIC for the follow-up.

No Streamlit, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from zi_dashboard.counting.lke_score import LkeScore, QuestionScore
from zi_dashboard.counting.readiness import PREDICATES, Gate
from zi_dashboard.reading.lke_instrument import Question

EPSILON = 1e-9  # two point figures closer than this are equal

# the figures compared, in the order every page shows them (area rows follow)
TOTAL, PENGUNGKIT, PEMENUHAN, REFORM, HASIL = "total", "pengungkit", "pemenuhan", "reform", "hasil"
FIGURE_KEYS = (TOTAL, PENGUNGKIT, PEMENUHAN, REFORM, HASIL)


@dataclass(frozen=True)
class Figure:
    key: str  # one of FIGURE_KEYS, or "area.K" (K = '1'..'6')
    unit: float
    tpi: float
    max: float
    area: str | None = None
    area_name: str = ""

    @property
    def difference(self) -> float:
        """TPI - unit: negative when the TPI gives fewer points."""
        return self.tpi - self.unit


@dataclass(frozen=True)
class GatePair:
    predicate: str
    unit: Gate
    tpi: Gate

    @property
    def key(self) -> str:
        return self.unit.key

    @property
    def differs(self) -> bool:
        return self.unit.passed != self.tpi.passed


@dataclass(frozen=True)
class QuestionDiff:
    unit: QuestionScore
    tpi: QuestionScore

    @property
    def question(self) -> Question:
        return self.unit.question

    @property
    def at_stake(self) -> float:
        """Points between the two answers (|unit - TPI|)."""
        return abs(self.unit.points - self.tpi.points)

    @property
    def difference(self) -> float:
        """TPI points - unit points."""
        return self.tpi.points - self.unit.points


@dataclass(frozen=True)
class ReturnNote:
    """What the review says of a question sent back for repair: its instrument row and the TPI's note."""

    row: int
    note: str = ""


@dataclass(frozen=True)
class Returned:
    """A question returned to the unit, with its note, its PIC ('' when the plan names none) and
    the points between the two answers."""

    diff: QuestionDiff
    note: str
    pic: str

    @property
    def question(self) -> Question:
        return self.diff.question


@dataclass
class Comparison:
    unit: LkeScore
    tpi: LkeScore
    figures: list[Figure]
    gates: list[GatePair]
    differing: list[QuestionDiff]  # TPI answered, another value: the most points at stake first
    not_reviewed: list[QuestionScore]  # the TPI's unanswered questions (the unit's QuestionScore)
    returned: list[Returned] = field(default_factory=list)

    @property
    def difference(self) -> float:
        """The totals' difference, TPI - unit."""
        return self.tpi.total - self.unit.total

    @property
    def at_stake(self) -> float:
        """Points between the two levels over the differing questions."""
        return sum(d.at_stake for d in self.differing)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def gates_of(self, predicate: str) -> list[GatePair]:
        return [g for g in self.gates if g.predicate == predicate]

    def returned_by_pic(self) -> dict[str, list[Returned]]:
        """PIC -> their returned questions (instrument order); a question of several PICs (a plan
        row's 'A; B') is in each one's list; '' gathers questions without a PIC, last."""
        out: dict[str, list[Returned]] = {}
        for r in sorted(self.returned, key=lambda x: x.question.row):
            for p in dict.fromkeys([x.strip() for x in r.pic.split(";") if x.strip()] or [""]):
                out.setdefault(p, []).append(r)
        return dict(sorted(out.items(), key=lambda kv: (kv[0] == "", kv[0].casefold())))


def _figures(unit: LkeScore, tpi: LkeScore) -> list[Figure]:
    pem_max = sum(a.pemenuhan_max for a in unit.areas)
    ref_max = sum(a.reform_max for a in unit.areas)
    hasil_max = sum(s.weight for s in unit.instrument.lke.part("hasil"))
    out = [
        Figure(TOTAL, unit.total, tpi.total, pem_max + ref_max + hasil_max),
        Figure(PENGUNGKIT, unit.pengungkit, tpi.pengungkit, pem_max + ref_max),
        Figure(PEMENUHAN, unit.pemenuhan_total, tpi.pemenuhan_total, pem_max),
        Figure(REFORM, unit.reform_total, tpi.reform_total, ref_max),
        Figure(HASIL, unit.hasil["total"], tpi.hasil["total"], hasil_max),
    ]
    theirs = {a.code: a for a in tpi.areas}
    for a in unit.areas:
        t = theirs[a.code]
        out.append(Figure(f"area.{a.code}", a.points, t.points, a.max, a.code, a.name))
    return out


def _gates(unit: LkeScore, tpi: LkeScore) -> list[GatePair]:
    out = []
    for p in PREDICATES:
        theirs = {g.key: g for g in tpi.gates[p]}
        out += [GatePair(p, g, theirs[g.key]) for g in unit.gates[p]]
    return out


def _scored_row(result: LkeScore, row: int) -> int | None:
    """The scored question a row stands for: itself, or for a count the percentage it feeds."""
    instrument = result.instrument
    seen = set()
    while instrument.has_row(row) and row not in seen:
        q = instrument.by_row(row)
        if q.scored:
            return row
        seen.add(row)
        if not q.parent:
            break
        row = q.parent
    return None


def compare(
    unit: LkeScore, tpi: LkeScore, returned: Iterable[ReturnNote] = (), pics: dict[str, str] | None = None
) -> Comparison:
    """The two levels' scores side by side.  `returned`: the questions the review sent back;
    `pics`: Pemenuhan sub-area code (= the work plan's row code) -> the row's PIC."""
    if unit.instrument.year != tpi.instrument.year:
        raise ValueError("the two levels are scored with different instruments")
    pics = pics or {}
    theirs = {s.question.row: s for s in tpi.questions}
    differing, not_reviewed = [], []
    for s in unit.questions:
        t = theirs[s.question.row]
        if t.value is None:
            if s.value is not None:
                not_reviewed.append(s)
        elif s.value is None or abs(s.points - t.points) > EPSILON:
            differing.append(QuestionDiff(s, t))
    differing.sort(key=lambda d: (-d.at_stake, d.question.row))
    by_row = {d.question.row: d for d in differing}
    mine = {s.question.row: s for s in unit.questions}
    back = []
    for r in returned:
        row = _scored_row(unit, r.row)
        if row is None:
            continue
        d = by_row.get(row) or QuestionDiff(mine[row], theirs[row])
        back.append(Returned(d, r.note, pics.get(d.question.code, "") if d.question.part == "pemenuhan" else ""))
    return Comparison(unit, tpi, _figures(unit, tpi), _gates(unit, tpi), differing, not_reviewed, back)


__all__ = [
    "FIGURE_KEYS",
    "Comparison",
    "Figure",
    "GatePair",
    "QuestionDiff",
    "ReturnNote",
    "Returned",
    "compare",
]
