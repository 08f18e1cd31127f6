"""The LKE score from answers, question by question (docs/lke.md): the one function behind the
score from answers on every page, export and the CLI is `score`.

- A question's value follows its answer type (options from the instrument's data); a percentage
  is its formula over the counts, clipped to 0..1, with the instrument's division-by-zero rule;
  a count above its total is an input error, not 100%.
- Each scored question is worth weight / (number of scored questions of its sub-area); an
  unanswered question counts 0 and is listed.
- Sub-areas add up to areas (Pemenuhan + Reform per area 1..6), Pengungkit, Hasil (IPAK and
  IPKP index / 4 x weight, kinerja by its A-E value x weight), the total and every WBK/WBBM gate
  (the same gate rules as the plan-based estimate: counting.readiness.predicate_gates).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.readiness import Gate, Verdicts, predicate_gates
from zi_dashboard.reading.lke_answers import Answer
from zi_dashboard.reading.lke_instrument import (
    ABOVE_ERROR,
    CHOICE_KINDS,
    COUNT,
    INDEX,
    INDEX_MAX,
    PERCENT,
    ZERO_ALL_ZERO,
    Instrument,
    Question,
)
from zi_dashboard.reading.lke_workbook import LkeSheet
from zi_dashboard.reading.problems import Problem, error

UNIT, TPI = "unit", "tpi"
LEVELS = (UNIT, TPI)


@dataclass(slots=True)
class QuestionScore:
    question: Question
    answer: Answer | None
    value: float | None  # 0..1; None when not answered (or not computable)
    points: float
    max_points: float
    percent_parts: tuple[float | None, float | None] | None = None  # (numerator, denominator) of a percentage

    @property
    def open_points(self) -> float:
        """Points still to gain on this question: worth x (1 - value)."""
        return self.max_points - self.points


@dataclass(slots=True)
class AreaScore:
    code: str  # '1'..'6'
    name: str
    pemenuhan: float
    pemenuhan_max: float
    reform: float
    reform_max: float

    @property
    def points(self) -> float:
        return self.pemenuhan + self.reform

    @property
    def max(self) -> float:
        return self.pemenuhan_max + self.reform_max

    @property
    def pct(self) -> float:
        return 100.0 * self.points / self.max if self.max > 0 else 0.0


@dataclass
class LkeScore(Verdicts):
    level: str
    instrument: Instrument
    questions: list[QuestionScore]
    areas: list[AreaScore]
    sub_areas: list[dict]  # code, part, area, name, points, max, answered, questions
    hasil: dict[str, float]  # ipak_points, kinerja_points, birokrasi_bersih, ipkp_points, total
    gates: dict[str, list[Gate]]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def pemenuhan_total(self) -> float:
        return sum(a.pemenuhan for a in self.areas)

    @property
    def reform_total(self) -> float:
        return sum(a.reform for a in self.areas)

    @property
    def pengungkit(self) -> float:
        """The sum of the areas' points: the very number the gates compare."""
        return sum(a.points for a in self.areas)

    @property
    def unanswered(self) -> list[QuestionScore]:
        return [s for s in self.questions if s.value is None]

    @property
    def answered_count(self) -> int:
        return sum(1 for s in self.questions if s.value is not None)

    def ranked_open(self) -> list[QuestionScore]:
        """Questions with points still open, the most first (worth x (1 - value))."""
        return sorted(
            (s for s in self.questions if s.open_points > 1e-12), key=lambda s: (-s.open_points, s.question.row)
        )

    def no_evidence(self) -> list[QuestionScore]:
        """Answered questions with no evidence link."""
        return [s for s in self.questions if s.value is not None and not (s.answer and s.answer.links)]


def _count_value(instrument: Instrument, answers: dict[int, Answer], row: int) -> float | None:
    """A count: a sub-total is the sum of its parts when any part is given, else what was typed."""
    q = instrument.by_row(row)
    if q.kind == COUNT and q.formula is not None and not q.formula.den:
        parts = [_count_value(instrument, answers, r) for _, r in q.formula.num]
        if any(p is not None for p in parts):
            return float(sum(sign * (p or 0.0) for (sign, _), p in zip(q.formula.num, parts, strict=True)))
    a = answers.get(row)
    return float(a.value) if a is not None and isinstance(a.value, (int, float)) else None


def _side(instrument: Instrument, answers: dict[int, Answer], terms) -> float | None:
    values = [_count_value(instrument, answers, r) for _, r in terms]
    if any(v is None for v in values):
        return None
    return float(sum(sign * v for (sign, _), v in zip(terms, values, strict=True)))


def _percent(
    instrument: Instrument, answers: dict[int, Answer], q: Question
) -> tuple[float | None, tuple[float | None, float | None], Problem | None]:
    f = q.formula
    assert f is not None  # question_value asks this of percent questions, which have a formula
    num, den = _side(instrument, answers, f.num), _side(instrument, answers, f.den)
    if num is None or den is None:
        typed = answers.get(q.row)
        value = float(typed.value) if typed is not None and isinstance(typed.value, (int, float)) else None
        return value, (num, den), None
    if q.above_rule == ABOVE_ERROR and len(f.num) == 1 and f.num[0][0] > 0 and num > den:  # filed > due
        return (
            None,
            (num, den),
            error(
                L.msg("lke_count_above_total", code=q.label, part=L.fmt_number(num, 0), total=L.fmt_number(den, 0)),
                row=f.num[0][1],
            ),
        )
    if den == 0:
        if q.zero_rule == ZERO_ALL_ZERO:
            everything = [_count_value(instrument, answers, r) or 0.0 for r in f.rows]
            return (1.0 if all(v == 0 for v in everything) else 0.0), (num, den), None
        return 1.0, (num, den), None
    return min(max(num / den, 0.0), 1.0), (num, den), None


def question_value(
    instrument: Instrument, answers: dict[int, Answer], q: Question
) -> tuple[float | None, tuple | None, Problem | None]:
    """The value 0..1 of one scored question (for a survey index: index / 4)."""
    a = answers.get(q.row)
    if q.kind == PERCENT:
        return _percent(instrument, answers, q)
    if a is None or a.value is None:
        return None, None, None
    if q.kind in CHOICE_KINDS:
        v = q.option_value(str(a.value))
        return (
            v,
            None,
            None
            if v is not None
            else error(
                L.msg("lke_answer_not_option", answer=str(a.value), options=", ".join(o for o, _ in q.options)),
                row=q.row,
            ),
        )
    if q.kind == INDEX:
        return min(max(float(a.value), 0.0), INDEX_MAX) / INDEX_MAX, None, None
    return None, None, None


def _areas(instrument: Instrument, subs: list[dict]) -> list[AreaScore]:
    lke = instrument.lke
    out = []
    for area in dict.fromkeys([*lke.area_weights("pemenuhan"), *lke.area_weights("reform")]):
        mine = [s for s in subs if s["area"] == area]
        p, r = (sum(s["points"] for s in mine if s["part"] == part) for part in ("pemenuhan", "reform"))
        pm, rm = (sum(s["max"] for s in mine if s["part"] == part) for part in ("pemenuhan", "reform"))
        out.append(AreaScore(area, L.lke_area_name(area), p, pm, r, rm))
    return out


def areas_frame(result: LkeScore) -> pd.DataFrame:
    """The areas as a table (code, name, pemenuhan, pemenuhan_max, reform, reform_max, points, max, pct)."""
    return pd.DataFrame.from_records(
        [
            {
                "code": a.code,
                "name": a.name,
                "pemenuhan": a.pemenuhan,
                "pemenuhan_max": a.pemenuhan_max,
                "reform": a.reform,
                "reform_max": a.reform_max,
                "points": a.points,
                "max": a.max,
                "pct": a.pct,
            }
            for a in result.areas
        ]
    )


def score(instrument: Instrument, answers: dict[int, Answer], level: str = UNIT) -> LkeScore:
    """Score one level's answers (row -> Answer) with the instrument's own rules."""
    scores: list[QuestionScore] = []
    problems: list[Problem] = []
    for q in instrument.scored:
        value, parts, problem = question_value(instrument, answers, q)
        if problem is not None:
            problems.append(problem)
        worth = instrument.worth(q)
        scores.append(QuestionScore(q, answers.get(q.row), value, worth * (value or 0.0), worth, parts))
    by_sub: dict[str, list[QuestionScore]] = {}
    for x in scores:
        by_sub.setdefault(x.question.code, []).append(x)
    subs = []
    for s in instrument.lke.sub_areas:
        mine = by_sub.get(s.code, [])
        subs.append(
            {
                "code": s.code,
                "part": s.part,
                "area": s.area,
                "name": s.name,
                "points": sum(x.points for x in mine),
                "max": s.weight,
                "answered": sum(1 for x in mine if x.value is not None),
                "questions": len(mine),
            }
        )
    areas = _areas(instrument, subs)
    by_code = {x.question.code: x for x in scores if x.question.part == "hasil"}
    ipak, kinerja, ipkp = (by_code[c].points if c in by_code else 0.0 for c in ("H1", "H2", "H3"))
    hasil = {
        "ipak_points": ipak,
        "kinerja_points": kinerja,
        "birokrasi_bersih": ipak + kinerja,
        "ipkp_points": ipkp,
        "total": ipak + kinerja + ipkp,
    }
    pengungkit = sum(a.points for a in areas)
    gates = predicate_gates(pengungkit, pengungkit + hasil["total"], areas, hasil)
    return LkeScore(level, instrument, scores, areas, subs, hasil, gates, problems)


def score_sheet(instrument: Instrument, sheet: LkeSheet, level: str = UNIT) -> LkeScore:
    """Score one level of a workbook that was read: the reader's problems first, then the
    score's own (a count above its total), placed at the sheet row and answer column where that
    count stands."""
    result = score(instrument, sheet.answers.get(level, {}), level)
    placed = [
        Problem(
            p.level,
            p.message,
            sheet.sheet_rows.get(p.row, p.row) if p.row else None,
            p.column or (sheet.answer_columns.get(level) if p.row else None),
            p.code,
        )
        for p in result.problems
    ]
    result.problems = [*sheet.problems, *placed]
    return result
