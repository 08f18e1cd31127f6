"""The score from LKE answers as the Jawaban LKE page reads it: the comparison with the
plan-based forecast, the question texts, what to improve next (open points, one option up,
unanswered, no evidence) and the what-if's choices.  Every figure comes from
counting.lke_score.score and counting.readiness; nothing is counted here anew.  No Streamlit."""

from __future__ import annotations

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.lke_score import LkeScore, QuestionScore
from zi_dashboard.counting.readiness import PREDICATES, Readiness
from zi_dashboard.counting.rows import area_rows
from zi_dashboard.outputs import readiness_out as ro
from zi_dashboard.outputs.readiness_out import n2
from zi_dashboard.reading.lke_answers import answer_text
from zi_dashboard.reading.lke_instrument import CHOICE_KINDS, COUNT, INDEX, Instrument, Question

K, R = L.LKE_PAGE, L.READY
INDEX_STEP = 0.1  # the what-if's survey index choices: 0,0 .. 4,0
SHORT = 90  # characters of a question's text in a table


def short(text: str, n: int = SHORT) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def value_text(v: float | None) -> str:
    """A question's value 0..1 as people read it: 0,50; '–' when not answered."""
    return "–" if v is None else L.fmt_number(v, 2)


# --- the summary ----------------------------------------------------------------------------
def compare_table(result: LkeScore, r: Readiness) -> pd.DataFrame:
    """Score from answers beside the plan-based forecast: total, Pengungkit, Pemenuhan, Reform,
    Hasil and each area, with the difference (answers − forecast) and the maximum."""
    pem_max = sum(a.pemenuhan_max for a in result.areas)
    ref_max = sum(a.reform_max for a in result.areas)
    hasil_max = sum(s.weight for s in result.instrument.lke.part("hasil"))
    rows = [
        (K["row_total"], result.total, r.total, pem_max + ref_max + hasil_max),
        (K["row_pengungkit"], result.pengungkit, r.pengungkit, pem_max + ref_max),
        (K["row_pemenuhan"], result.pemenuhan_total, r.pemenuhan_total, pem_max),
        (K["row_reform"], result.reform_total, r.reform_total, ref_max),
        (K["row_hasil"], result.hasil["total"], r.hasil["total"], hasil_max),
    ]
    forecast = {a.code: a.points for a in area_rows(r.areas)}
    for a in result.areas:
        rows.append((K["row_area"].format(code=a.code, name=a.name), a.points, forecast.get(a.code, 0.0), a.max))
    return pd.DataFrame(
        {
            K["col_item"]: [x[0] for x in rows],
            K["col_answers"]: [n2(x[1]) for x in rows],
            K["col_forecast"]: [n2(x[2]) for x in rows],
            K["col_diff"]: [signed(x[1] - x[2]) for x in rows],
            K["col_max"]: [n2(x[3]) for x in rows],
        }
    )


def signed(x: float) -> str:
    text = n2(abs(x))
    if text == n2(0.0):
        return text
    return ("+" if x > 0 else "−") + text


# --- the questions --------------------------------------------------------------------------
def options_text(q: Question) -> str:
    return " · ".join(f"{o.title() if len(o) > 1 else o} = {L.fmt_number(v, 2)}" for o, v in q.options)


def counts_of(instrument: Instrument, q: Question) -> list[Question]:
    """The counts whose answers feed a percentage (in the instrument's order)."""
    rows = set(q.formula.rows) if q.formula else set()
    return [x for x in instrument.questions if x.kind == COUNT and (x.row in rows or x.parent == q.row)]


def counts_lines(result: LkeScore, s: QuestionScore, answers: dict) -> list[str]:
    """A percentage's counts, one line each ('Jumlah pengaduan … = 10'), then the resulting % (or
    which counts are missing)."""
    lines = []
    for c in counts_of(result.instrument, s.question):
        a = answers.get(c.row)
        name = c.text if c.letter in ("", "-") else f"{c.letter}. {c.text}"
        lines.append(
            K["count_line"].format(
                text=short(name, 110), value=answer_text(c, a.value) if a is not None and a.answered else "–"
            )
        )
    if s.value is None:
        return [K["counts_missing"], *lines]
    return [*lines, K["counts"].format(pct=L.fmt_pct(100.0 * s.value))]


def sub_areas_of(result: LkeScore, area: str) -> list[dict]:
    """The sub-areas of an area ('1'..'6': Pemenuhan then Reform; 'hasil': H1..H3)."""
    if area == "hasil":
        return [s for s in result.sub_areas if s["part"] == "hasil"]
    return [s for s in result.sub_areas if s["area"] == area and s["part"] in ("pemenuhan", "reform")]


def plan_row_line(code: str, rows: pd.DataFrame, points: float, top: float) -> str:
    """The work plan's row of a Pemenuhan sub-area: progress, status, PIC and its LKE points."""
    found = rows[rows["code"] == code]
    if found.empty:
        return K["plan_row_missing"].format(code=code)
    row = found.iloc[0]
    return K["plan_row"].format(
        code=code,
        progress=L.fmt_pct(float(row["progress"])),
        status=row["status"],
        pic=row["pic"] or "–",
        points=n2(points),
        max=n2(top),
    )


def points_per_plan_row(result: LkeScore) -> dict[str, tuple[float, float]]:
    """Pemenuhan sub-area code (= plan row code) -> (points from answers, maximum)."""
    return {s["code"]: (s["points"], s["max"]) for s in result.sub_areas if s["part"] == "pemenuhan"}


# --- what to improve next -------------------------------------------------------------------
def _q_cols(s: QuestionScore) -> dict:
    q = s.question
    return {K["col_code"]: q.code, K["col_letter"]: q.letter, K["col_question"]: short(q.text)}


def open_table(result: LkeScore) -> pd.DataFrame:
    rows = [
        {
            **_q_cols(s),
            K["col_answer"]: answer_text(s.question, s.answer.value) if s.answer else "",
            K["col_value"]: value_text(s.value),
            K["col_worth"]: n2(s.max_points),
            K["col_open"]: n2(s.open_points),
        }
        for s in result.ranked_open()
    ]
    return pd.DataFrame(
        rows,
        columns=[
            K["col_code"],
            K["col_letter"],
            K["col_question"],
            K["col_answer"],
            K["col_value"],
            K["col_worth"],
            K["col_open"],
        ],
    )


def one_up(s: QuestionScore) -> tuple[str, float] | None:
    """The next better option of a choice question (for an unanswered one: the lowest option worth
    anything) and the points it adds; None when there is none."""
    q = s.question
    if q.kind not in CHOICE_KINDS:
        return None
    now = s.value or 0.0
    better = sorted((v, o) for o, v in q.options if v > now + 1e-9)
    if not better:
        return None
    v, o = better[0]
    return o, s.max_points * (v - now)


def steps_table(result: LkeScore) -> pd.DataFrame:
    """One option up per choice question, the most points first."""
    rows = []
    for s in result.questions:
        step = one_up(s)
        if step is None:
            continue
        option, adds = step
        rows.append(
            (
                adds,
                s.question.row,
                {
                    **_q_cols(s),
                    K["col_answer"]: answer_text(s.question, s.answer.value)
                    if s.answer and s.answer.answered
                    else K["not_answered"],
                    K["col_step"]: option.title() if len(option) > 1 else option,
                    K["col_adds"]: "+" + n2(adds),
                },
            )
        )
    rows.sort(key=lambda x: (-x[0], x[1]))
    return pd.DataFrame(
        [x[2] for x in rows],
        columns=[K["col_code"], K["col_letter"], K["col_question"], K["col_answer"], K["col_step"], K["col_adds"]],
    )


def questions_table(scores: list[QuestionScore]) -> pd.DataFrame:
    rows = [{**_q_cols(s), K["col_worth"]: n2(s.max_points)} for s in scores]
    return pd.DataFrame(rows, columns=[K["col_code"], K["col_letter"], K["col_question"], K["col_worth"]])


# --- the what-if ----------------------------------------------------------------------------
def whatif_choices(result: LkeScore) -> list[tuple[int, str | float]]:
    """(row, answer) pairs the what-if offers: every other option of a choice question, and
    survey indices 0,0..4,0 by INDEX_STEP."""
    out: list[tuple[int, str | float]] = []
    for s in result.questions:
        q = s.question
        now = s.answer.value if s.answer is not None else None
        if q.kind in CHOICE_KINDS:
            out += [(q.row, o) for o, _ in q.options if o != now]
        elif q.kind == INDEX:
            steps = int(round(4.0 / INDEX_STEP))
            out += [(q.row, round(i * INDEX_STEP, 2)) for i in range(steps + 1)]
    return out


def whatif_label(result: LkeScore, choice: tuple[int, str | float]) -> str:
    row, value = choice
    q = result.instrument.by_row(row)
    s = next(x for x in result.questions if x.question.row == row)
    now = answer_text(q, s.answer.value) if s.answer is not None and s.answer.answered else K["not_answered"]
    return K["whatif_option"].format(label=q.label, answer=answer_text(q, value), now=now)


def gates_moved(now, then) -> pd.DataFrame:
    """Every gate's value now and in a what-if, and per predicate pass or fail in each (Kesiapan's
    what-if on the forecast and Jawaban LKE's on answers: anything with WBK/WBBM gates)."""
    a, b = ro.gates_combined(now), ro.gates_combined(then)
    table = pd.DataFrame(
        {R["col_gate"]: a[R["col_gate"]], R["col_now"]: a[R["col_value"]], R["col_whatif"]: b[R["col_value"]]}
    )
    for p in PREDICATES:
        table[f"{p} · {R['col_now']}"] = a[p]
        table[f"{p} · {R['col_whatif']}"] = b[p]
    return table


def predicate_word(result, predicate: str) -> str:
    n = len(result.failing(predicate))
    return K["eligible"] if n == 0 else K["not_eligible"].format(n=n)


__all__ = [
    "PREDICATES",
    "compare_table",
    "counts_lines",
    "gates_moved",
    "one_up",
    "open_table",
    "options_text",
    "plan_row_line",
    "points_per_plan_row",
    "predicate_word",
    "questions_table",
    "signed",
    "steps_table",
    "sub_areas_of",
    "value_text",
    "whatif_choices",
    "whatif_label",
]
