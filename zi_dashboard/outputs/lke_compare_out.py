"""Mandiri vs TPI in words and tables: the comparison of
counting.lke_compare.compare as every page, the meeting pack (HTML and Excel) and the Laporan
monev show it.  Nothing is counted here; every figure comes from the two LkeScore.  No Streamlit."""

from __future__ import annotations

import html
from datetime import date

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.lke_compare import (
    HASIL,
    PEMENUHAN,
    PENGUNGKIT,
    REFORM,
    TOTAL,
    Comparison,
    Figure,
    GatePair,
    Returned,
)
from zi_dashboard.counting.lke_score import QuestionScore
from zi_dashboard.counting.readiness import PREDICATES, FollowUp, Gate
from zi_dashboard.outputs import readiness_out, readiness_pack
from zi_dashboard.outputs.lke_view import short, signed
from zi_dashboard.outputs.readiness_out import gate_label, n2
from zi_dashboard.reading.lke_answers import answer_text
from zi_dashboard.reading.lke_instrument import PERCENT, Question
from zi_dashboard.reading.units import unit_slug

C, R = L.LKE_COMPARE, L.READY
SLIDE_ROWS = 8  # differing questions on the Mode rapat slide (then: "... N more")


# --- words ----------------------------------------------------------------------------------
def figure_label(f: Figure) -> str:
    if f.area is not None:
        return L.LKE_PAGE["row_area"].format(code=f.area, name=f.area_name)
    return {
        TOTAL: L.LKE_PAGE["row_total"],
        PENGUNGKIT: L.LKE_PAGE["row_pengungkit"],
        PEMENUHAN: L.LKE_PAGE["row_pemenuhan"],
        REFORM: L.LKE_PAGE["row_reform"],
        HASIL: L.LKE_PAGE["row_hasil"],
    }[f.key]


def answer_shown(s: QuestionScore) -> str:
    """A level's answer as people read it; a percentage by its value; '–' when not answered."""
    q = s.question
    if q.kind == PERCENT:
        return "–" if s.value is None else L.fmt_pct(100.0 * s.value)
    if s.answer is None or not s.answer.answered:
        return "–"
    return answer_text(q, s.answer.value)


def gate_value(g: Gate) -> str:
    if g.key == "wbk":
        return R["yes"] if g.passed else R["no"]
    return L.fmt_pct(g.value) if g.area is not None else n2(g.value)


def gate_threshold(g: Gate) -> str:
    if g.key == "wbk":
        return R["yes"]
    return "≥ " + (L.fmt_pct(g.threshold, 0) if g.area is not None else n2(g.threshold))


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def verdict_pair(unit_ok: bool, tpi_ok: bool) -> str:
    """'✓ / ✗': the unit's, then the TPI's."""
    return f"{mark(unit_ok)} / {mark(tpi_ok)}"


def headline(c: Comparison) -> str:
    """One line: both totals, the difference, and each predicate at both levels."""
    preds = " · ".join(
        C["line_predicate"].format(name=p, pair=verdict_pair(c.unit.eligible(p), c.tpi.eligible(p))) for p in PREDICATES
    )
    return C["line"].format(unit=n2(c.unit.total), tpi=n2(c.tpi.total), diff=signed(c.difference), predicates=preds)


def reviewed_line(c: Comparison) -> str:
    """How much of the LKE the TPI answered, and how many questions differ."""
    n = len(c.unit.questions)
    return C["reviewed"].format(
        answered=c.tpi.answered_count,
        n=n,
        differ=len(c.differing),
        stake=n2(c.at_stake),
        pending=len(c.not_reviewed),
    )


# --- tables ---------------------------------------------------------------------------------
def figures_table(c: Comparison) -> pd.DataFrame:
    """Total, Pengungkit, Pemenuhan, Reform, Hasil and each area: mandiri, TPI, difference, maximum."""
    return pd.DataFrame(
        {
            C["col_item"]: [figure_label(f) for f in c.figures],
            C["col_unit"]: [n2(f.unit) for f in c.figures],
            C["col_tpi"]: [n2(f.tpi) for f in c.figures],
            C["col_diff"]: [signed(f.difference) for f in c.figures],
            C["col_max"]: [n2(f.max) for f in c.figures],
        }
    )


def _gate_keys(c: Comparison) -> list[str]:
    keys = [g.key for g in c.gates_of(PREDICATES[-1])]
    return keys + [g.key for g in c.gates if g.key not in keys]


def gates_table(c: Comparison) -> pd.DataFrame:
    """Every gate: its value at both levels, and per predicate the threshold and '✓ / ✗'
    (mandiri / TPI); a gate a predicate lacks is left empty."""
    rows = []
    for k in _gate_keys(c):
        pairs = {g.predicate: g for g in c.gates if g.key == k}
        first: GatePair = pairs.get(PREDICATES[-1]) or next(iter(pairs.values()))
        label = (
            R["gate_area_short"].format(code=first.unit.area, name=first.unit.area_name)
            if first.unit.area
            else gate_label(first.unit)
        )
        row = {C["col_gate"]: label, C["col_unit"]: gate_value(first.unit), C["col_tpi"]: gate_value(first.tpi)}
        for p in PREDICATES:
            g = pairs.get(p)
            row[C["col_threshold"].format(name=p)] = gate_threshold(g.unit) if g else ""
            row[C["col_verdict"].format(name=p)] = verdict_pair(g.unit.passed, g.tpi.passed) if g else ""
        rows.append(row)
    return pd.DataFrame(rows)


def differing_table(c: Comparison, limit: int | None = None, text_chars: int = 90) -> pd.DataFrame:
    """The questions where the two levels differ, the most points at stake first."""
    items = c.differing if limit is None else c.differing[:limit]
    return pd.DataFrame(
        [
            {
                C["col_code"]: d.question.code,
                C["col_letter"]: d.question.letter,
                C["col_question"]: short(d.question.text, text_chars),
                C["col_answer_unit"]: answer_shown(d.unit),
                C["col_answer_tpi"]: answer_shown(d.tpi),
                C["col_points_unit"]: n2(d.unit.points),
                C["col_points_tpi"]: n2(d.tpi.points),
                C["col_stake"]: signed(d.difference),
            }
            for d in items
        ],
        columns=[
            C["col_code"],
            C["col_letter"],
            C["col_question"],
            C["col_answer_unit"],
            C["col_answer_tpi"],
            C["col_points_unit"],
            C["col_points_tpi"],
            C["col_stake"],
        ],
    )


def returned_table(items: list[Returned]) -> pd.DataFrame:
    """Returned questions with the TPI's note (one PIC's, or all with their PIC)."""
    return pd.DataFrame(
        [
            {
                C["col_code"]: r.question.code,
                C["col_letter"]: r.question.letter,
                C["col_question"]: short(r.question.text),
                C["col_note"]: r.note,
                C["col_answer_unit"]: answer_shown(r.diff.unit),
                C["col_answer_tpi"]: answer_shown(r.diff.tpi),
                C["col_stake"]: signed(r.diff.difference),
                C["col_pic"]: r.pic or R["no_pic"],
            }
            for r in items
        ],
        columns=[
            C["col_code"],
            C["col_letter"],
            C["col_question"],
            C["col_note"],
            C["col_answer_unit"],
            C["col_answer_tpi"],
            C["col_stake"],
            C["col_pic"],
        ],
    )


def returned_lines(items: list[Returned]) -> list[str]:
    """One line per returned question for a PIC's message (WhatsApp, e-mail, `remind`)."""
    return [
        C["message_line"].format(
            label=r.question.label,
            text=short(r.question.text, 80),
            note=r.note or C["no_note"],
            unit=answer_shown(r.diff.unit),
            tpi=answer_shown(r.diff.tpi),
        )
        for r in items
    ]


def with_returned(message: str, items: list[Returned]) -> str:
    """A PIC's follow-up message (readiness_out.message) with their returned questions added
    before its closing line."""
    if not items:
        return message
    lines = message.split("\n")
    return "\n".join([*lines[:-1], C["message_title"], *returned_lines(items), lines[-1]])


def returned_message(pic: str, items: list[Returned], as_of: date, unit: str) -> str:
    """The message to a PIC who has only returned questions to repair."""
    return "\n".join(
        [
            R["message_greeting"].format(pic=pic or R["no_pic"]),
            C["message_intro"].format(unit=unit, date=L.fmt_date(as_of)),
            *returned_lines(items),
            C["message_close"],
        ]
    )


def returned_subject(items: list[Returned], as_of: date) -> str:
    return C["message_subject"].format(n=len(items), date=L.fmt_date(as_of))


def follow_up_messages(
    follow_ups: list[FollowUp], returned: dict[str, list[Returned]], as_of: date, unit: str
) -> list[tuple[str, str, str]]:
    """(PIC, message, subject) for every PIC to remind: the plan rows to chase with the PIC's
    returned questions added, then the PICs who have only returned questions."""
    out = []
    for f in follow_ups:
        text = with_returned(readiness_out.message(f, as_of, unit), returned.get(f.pic, []))
        out.append((f.pic, text, readiness_out.subject(f, as_of)))
    done = {f.pic for f in follow_ups}
    for pic, items in returned.items():
        if pic not in done:
            out.append((pic, returned_message(pic, items, as_of, unit), returned_subject(items, as_of)))
    return out


def pic_title(pic: str, items: list[Returned]) -> str:
    return C["pic_title"].format(pic=pic or R["no_pic"], n=len(items))


# --- the meeting pack and the report --------------------------------------------------------
def sections(c: Comparison) -> list[tuple[str, pd.DataFrame | None, str]]:
    """(title, table or None, a line of text) in the order every report shows them."""
    out: list[tuple[str, pd.DataFrame | None, str]] = [
        (C["figures_title"], figures_table(c), C["diff_caption"]),
        (C["gates_title"], gates_table(c), C["gates_caption"]),
        (
            C["differing_title"],
            differing_table(c) if c.differing else None,
            C["differing_caption"] if c.differing else C["differing_none"],
        ),
    ]
    if c.returned:
        out.append((C["returned_title"], returned_table(c.returned), C["returned_caption"]))
    return out


def html_section(c: Comparison, source: str = "", stage: str = "") -> str:
    """The meeting report's 'Mandiri vs TPI' section (`stage`: the review's stage, in a line)."""
    e = html.escape
    parts = [
        f"<section id='mandiri-tpi'><h2>{e(C['title'])}</h2>" + (f"<p>{e(stage)}</p>" if stage else ""),
        f"<p><b>{e(headline(c))}</b></p>",
        f"<p class='muted'>{e(reviewed_line(c))}" + (f" · {e(source)}" if source else "") + "</p>",
    ]
    for title, frame, line in sections(c):
        parts.append(f"<h3>{e(title)}</h3><p class='muted'>{e(line)}</p>")
        if frame is not None:
            parts.append(readiness_pack.html_table(frame, ""))
    parts.append("</section>")
    return "".join(parts)


def sheet_frames(c: Comparison) -> list[tuple[str, pd.DataFrame]]:
    """The Excel pack's 'Mandiri vs TPI' sheet: its tables, each under its title."""
    out = []
    for title, frame, line in sections(c):
        out.append((title, frame if frame is not None else pd.DataFrame({C["col_note_plain"]: [line]})))
    return out


def question_code(q: Question) -> str:
    """'1.1 a', 'R1.2' (a question without a letter): how a report names a question in one cell."""
    return q.code if q.letter in ("", "-") else f"{q.code} {q.letter}"


def monev_context(c: Comparison | None, stage: str = "") -> dict:
    """The Laporan monev's placeholder `tpi`: ada, ringkasan (line), telaah (the review's stage and
    how much the TPI answered, a line), angka, syarat, beda (differing questions), dikembalikan
    (returned, with PIC and note)."""
    if c is None:
        return {"ada": False, "ringkasan": "", "telaah": "", "angka": [], "syarat": [], "beda": [], "dikembalikan": []}
    keys = ("uraian", "mandiri", "tpi", "selisih", "maksimum")
    gate_keys = ("syarat", "mandiri", "tpi", "wbk", "wbbm")
    gates = gates_table(c)[
        [C["col_gate"], C["col_unit"], C["col_tpi"], *(C["col_verdict"].format(name=p) for p in PREDICATES)]
    ]
    return {
        "ada": True,
        "ringkasan": headline(c),
        "telaah": " · ".join(x for x in (stage, reviewed_line(c)) if x),
        "angka": [dict(zip(keys, r, strict=True)) for r in figures_table(c).itertuples(index=False)],
        "syarat": [dict(zip(gate_keys, r, strict=True)) for r in gates.itertuples(index=False)],
        "beda": [
            {
                "kode": question_code(d.question),
                "pertanyaan": short(d.question.text),
                "mandiri": answer_shown(d.unit),
                "tpi": answer_shown(d.tpi),
                "selisih": signed(d.difference),
            }
            for d in c.differing
        ],
        "dikembalikan": [
            {
                "kode": question_code(r.question),
                "pertanyaan": short(r.question.text),
                "catatan": r.note,
                "pic": r.pic or R["no_pic"],
            }
            for r in c.returned
        ],
    }


# --- Semua Satker ---------------------------------------------------------------------------
def province_columns(table: pd.DataFrame, totals: pd.DataFrame, unit_column: str, after: str) -> pd.DataFrame:
    """The province table with each unit's LKE totals from answers (mandiri, TPI; NaN: none
    saved) and, where a review exists, its stage with the deadline and an overdue flag, placed
    after the column `after`.  `totals`: app.lke_compare.totals."""
    found = {unit_slug(str(u)): row for u, row in zip(totals["unit"], totals.to_dict("records"), strict=True)}
    rows = [found.get(unit_slug(str(u)), {}) for u in table[unit_column]]
    out = table.copy()
    at = list(out.columns).index(after) + 1
    if totals["state"].notna().any():  # the stage first: it says what the two totals are worth now
        out.insert(at, C["province_state"], [stage_text(r) for r in rows])
        at += 1
    out.insert(at, C["province_unit"], [round(float(r.get("unit_total", float("nan"))), 2) for r in rows])
    out.insert(at + 1, C["province_tpi"], [round(float(r.get("tpi_total", float("nan"))), 2) for r in rows])
    return out


def stage_text(row: dict) -> str:
    """'Dinilai TPI · tenggat 20/12/2026', with '⚠ lewat tenggat' when the stage is overdue."""
    state = row.get("state")
    if not isinstance(state, str) or not state:
        return ""
    deadline = row.get("deadline")
    if not isinstance(deadline, date):
        return state
    key = "province_overdue" if row.get("overdue") else "province_deadline"
    return C[key].format(state=state, date=deadline.strftime("%d/%m/%Y"))


def province_shown(table: pd.DataFrame) -> pd.DataFrame:
    """The page's version: totals written the Indonesian way, «belum dinilai» where none are saved."""
    out = table.copy()
    for col in (C["province_unit"], C["province_tpi"]):
        if col in out.columns:
            out[col] = [L.fmt_number(v, 2) if v == v else C["province_none"] for v in table[col]]
    return out


def overdue_units(totals: pd.DataFrame, shown: pd.Series) -> list[str]:
    """The units among `shown` (names) whose review stage is past its deadline."""
    keys = {unit_slug(str(u)) for u in shown}
    return [
        str(u) for u, late in zip(totals["unit"], totals["overdue"], strict=True) if late and unit_slug(str(u)) in keys
    ]


__all__ = [
    "SLIDE_ROWS",
    "answer_shown",
    "differing_table",
    "figure_label",
    "follow_up_messages",
    "figures_table",
    "gates_table",
    "headline",
    "html_section",
    "monev_context",
    "overdue_units",
    "province_columns",
    "province_shown",
    "stage_text",
    "pic_title",
    "question_code",
    "returned_lines",
    "returned_message",
    "returned_subject",
    "with_returned",
    "returned_table",
    "reviewed_line",
    "sections",
    "sheet_frames",
    "verdict_pair",
]
