"""The score from LKE answers as the CLI prints it (JSON of the fixed contract, docs/lke.md) and
as text.  No Streamlit, no database."""

from __future__ import annotations

from zi_dashboard import labels as L
from zi_dashboard.counting.lke_score import LkeScore
from zi_dashboard.reading.lke_instrument import PERCENT
from zi_dashboard.reading.lke_workbook import EvidenceSheet, LkeSheet
from zi_dashboard.reading.problems import Problem

DECIMALS = 4


def _n(x: float | None) -> float | None:
    return None if x is None else round(float(x), DECIMALS)


def _problems(problems: list[Problem], error: bool) -> list[dict]:
    return [p.as_dict() for p in problems if p.is_error == error]


def _areas(result: LkeScore, part: str) -> dict:
    areas = [
        {"area": int(a.code), "name": a.name, "points": _n(getattr(a, part)), "max": _n(getattr(a, f"{part}_max"))}
        for a in result.areas
    ]
    return {"total": _n(sum(getattr(a, part) for a in result.areas)), "areas": areas}


def score_dict(result: LkeScore, sheet: LkeSheet | None = None) -> dict:
    """`lke score --json`: level, pemenuhan, reform, pengungkit, hasil, total, wbk, wbbm, gates,
    questions, unanswered, errors, warnings (numbers to 4 decimals)."""
    rows = sheet.sheet_rows if sheet is not None else {}
    questions = []
    for s in result.questions:
        q = s.question
        answer = s.answer.value if s.answer is not None else None
        questions.append(
            {
                "code": q.code,
                "letter": q.letter,
                "row": rows.get(q.row, q.row),
                "answer": answer,
                "value": _n(s.value),
                "points": _n(s.points),
                "max_points": _n(s.max_points),
                "links": list(s.answer.links) if s.answer is not None else [],
            }
            | ({"counts": [_n(x) for x in s.percent_parts]} if q.kind == PERCENT and s.percent_parts else {})
        )
    h = result.hasil
    return {
        "level": result.level,
        "instrument_year": result.instrument.year,
        "pemenuhan": _areas(result, "pemenuhan"),
        "reform": _areas(result, "reform"),
        "pengungkit": _n(result.pengungkit),
        "hasil": {
            "ipak_points": _n(h["ipak_points"]),
            "kinerja_points": _n(h["kinerja_points"]),
            "ipkp_points": _n(h["ipkp_points"]),
            "total": _n(h["total"]),
        },
        "total": _n(result.total),
        "wbk": result.wbk,
        "wbbm": result.wbbm,
        "gates": {
            pred: [{"gate": g.key, "value": _n(g.value), "threshold": _n(g.threshold), "pass": g.passed} for g in gates]
            for pred, gates in result.gates.items()
        },
        "questions": questions,
        "unanswered": [{"code": s.question.code, "letter": s.question.letter} for s in result.unanswered],
        "errors": _problems(result.problems, True),
        "warnings": _problems(result.problems, False),
    }


def score_text(result: LkeScore) -> list[str]:
    """The score as lines of text, decimal commas."""
    f = L.fmt_number
    K = L.LKE
    level = K["level_tpi"] if result.level == "tpi" else K["level_unit"]
    out = [
        f"{K['score_title']} — {level}",
        f"  {K['pemenuhan']}: {f(result.pemenuhan_total, 2)} / 30",
        f"  {K['reform']}: {f(result.reform_total, 2)} / 30",
        f"  {K['pengungkit']}: {f(result.pengungkit, 2)} / 60",
        f"  {K['hasil']}: {f(result.hasil['total'], 2)} / 40",
        f"  {K['total']}: {f(result.total, 2)} / 100",
        f"  {K['answered']}: {result.answered_count} / {len(result.questions)}",
    ]
    for pred in result.gates:
        out.append(f"  {K['predicate']} {pred}: {K['eligible'] if result.eligible(pred) else K['not_eligible']}")
    out.append(f"  {K['area']}:")
    for a in result.areas:
        out.append(f"    {a.code}. {a.name}: {f(a.points, 2)} / {f(a.max, 2)} ({f(a.pct, 1)}%)")
    if result.unanswered:
        out.append(f"  {K['unanswered']}: " + ", ".join(s.question.label for s in result.unanswered))
    if result.problems:
        out.append(f"  {K['problems']}:")
        out += [f"    - {p.text()}" for p in result.problems]
    return out


def evidence_dict(sheet: EvidenceSheet) -> dict:
    """`lke evidence --json`: questions with their links, errors, warnings."""
    return {
        "questions": [
            {"code": code, "letter": letter, "links": list(links)} for (code, letter), links in sheet.links.items()
        ],
        "errors": _problems(sheet.problems, True),
        "warnings": _problems(sheet.problems, False),
    }
