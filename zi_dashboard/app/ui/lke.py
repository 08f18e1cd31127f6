"""Streamlit glue for Jawaban LKE: the LKE question by question, area by area, with the unit's
answers (editors of the unit change them in a form per area; every save is a new set), the score
from answers beside the plan-based forecast, what to improve next, a what-if on answers and the
history of answer sets with restore.  The figures come from app/lke.py (counting.lke_score.score)
and service.readiness_of (the forecast Kesiapan shows)."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import lke as lke_service
from zi_dashboard.app import service
from zi_dashboard.app.lke import AnswerSet
from zi_dashboard.app.service import Context, Workplan
from zi_dashboard.app.ui import lke_review as review_ui
from zi_dashboard.app.ui.common import done, esc, form, md_escape
from zi_dashboard.app.ui.sidebar import editor_of
from zi_dashboard.app.ui.widgets import card, shortfalls
from zi_dashboard.counting.lke_score import LkeScore, QuestionScore, score
from zi_dashboard.counting.readiness import PREDICATES, evidence_links
from zi_dashboard.outputs import lke_view as lv
from zi_dashboard.outputs import readiness_out as ro
from zi_dashboard.reading.lke_answers import Answer, answer_text
from zi_dashboard.reading.lke_instrument import CHOICE_KINDS, COUNT, INDEX, PERCENT, Question

K, R = L.LKE_PAGE, L.READY
MAX_WHATIF = 30  # answers a what-if may set at once (session state stays small)
_LINK = re.compile(r"^https?://", re.I)


# --- the summary ----------------------------------------------------------------------------
_CSS = (
    ".zi-lke-kpis .zi-kpi { min-width: 0; padding: 6px 10px !important; }"
    ".zi-lke-kpis .zi-kpi .zi-kpi-value { font-size: clamp(1.4rem, 2vw, 2.4rem) !important; white-space: nowrap; }"
    ".zi-lke-kpis .zi-kpi-label { white-space: normal !important; }"
    "@media (max-width: 1100px) { .zi-lke-kpis { grid-template-columns: repeat(3, minmax(0, 1fr)) !important; } }"
    "@media (max-width: 700px) { .zi-lke-kpis { grid-template-columns: repeat(2, minmax(0, 1fr)) !important; } }"
)


def cards(result: LkeScore) -> None:
    """Total, Pengungkit, Hasil, questions answered, and the two predicates, from answers."""
    lke = result.instrument.lke
    pem_ref = sum(a.max for a in result.areas)
    hasil_max = sum(s.weight for s in lke.part("hasil"))
    n = len(result.questions)
    html = [
        card(
            K["card_total"],
            ro.n2(result.total),
            K["of_max"].format(max=L.fmt_number(pem_ref + hasil_max, 0)),
            "#0b3b66",
        ),
        card(
            K["card_pengungkit"], ro.n2(result.pengungkit), K["of_max"].format(max=L.fmt_number(pem_ref, 0)), "#0b3b66"
        ),
        card(
            K["card_hasil"], ro.n2(result.hasil["total"]), K["of_max"].format(max=L.fmt_number(hasil_max, 0)), "#0b3b66"
        ),
        card(
            K["card_answered"],
            f"{result.answered_count}/{n}",
            K["answered_note"].format(n=n - result.answered_count),
            "#0b3b66",
        ),
    ]
    for p in PREDICATES:
        ok = result.eligible(p)
        html.append(
            card(
                K["predicate"].format(name=p),
                K["yes"] if ok else K["no"],
                lv.predicate_word(result, p),
                "#009E73" if ok else "#D55E00",
            )
        )
    st.markdown(f"<style>{_CSS}</style>", unsafe_allow_html=True)
    st.markdown(
        "<div class='zi-lke-kpis' style='display:grid;grid-template-columns:repeat(6, minmax(0, 1fr));"
        "gap:10px;margin-bottom:8px'>" + "".join(html) + "</div>",
        unsafe_allow_html=True,
    )


def summary(ctx: Context, result: LkeScore, found: AnswerSet) -> None:
    st.caption(K["intro"])
    if found.stored is None:
        st.info(K["none_saved"])
    else:
        s = found.stored
        st.caption(
            md_escape(K["in_use"].format(id=s.id, when=service.local_time(s.at), who=s.by, source=s.source))
            + " · "
            + md_escape(K["instrument"].format(year=found.instrument.year))
        )
    cards(result)
    forecast = service.readiness_of(ctx)
    st.subheader(K["compare_title"])
    st.caption(K["compare_caption"])
    table = lv.compare_table(result, forecast)
    st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3, key="lke_compare")
    st.subheader(K["gates_title"])
    gates = ro.gates_combined(result)
    st.dataframe(
        gates,
        hide_index=True,
        width="stretch",
        height=35 * (len(gates) + 1) + 3,
        key="lke_gates",
        column_config={R["col_gate"]: st.column_config.TextColumn(width="medium")},
    )


# --- the questions --------------------------------------------------------------------------
def _links_html(links) -> str:
    shown = [
        f"<a href='{esc(u)}' target='_blank' rel='noopener noreferrer'>{esc(lv.short(u, 70))}</a>"
        for u in links
        if _LINK.match(u)
    ]
    return esc(K["links"].format(links="")) + ", ".join(shown) if shown else esc(K["no_links"])


def _question_text(result: LkeScore, s: QuestionScore, answers: dict[int, Answer]) -> None:
    q = s.question
    st.markdown(
        K["question_head"].format(
            label=md_escape(q.label),
            kind=L.LKE_KINDS[q.kind],
            value=lv.value_text(s.value),
            points=ro.n2(s.points),
            max=ro.n2(s.max_points),
        )
        + "  \n"
        + md_escape(q.text)
    )
    lines = []
    if q.criteria:
        lines.append(K["criteria"].format(text=q.criteria))
    if q.options:
        lines.append(K["options"].format(text=lv.options_text(q)))
    if q.kind == PERCENT:
        lines += lv.counts_lines(result, s, answers)
    if lines:
        st.caption("  \n".join(md_escape(x) for x in lines))


def _answer_read(s: QuestionScore) -> None:
    a = s.answer
    answered = a if a is not None and a.answered else None
    parts = []
    if s.question.kind == PERCENT:  # its counts say it, unless a percentage was typed
        if answered is not None:
            parts.append(esc(K["percent_typed"].format(pct=answer_text(s.question, answered.value))))
    else:
        text = answer_text(s.question, answered.value) if answered is not None else K["not_answered"]
        parts.append(f"<b>{esc(K['answer'].format(answer=text))}</b>")
    if a is not None and a.note:
        parts.append(esc(K["note"].format(text=a.note)))
    if a is not None and a.evidence:
        parts.append(esc(K["evidence"].format(text=a.evidence)))
    parts.append(_links_html(a.links if a is not None else ()))
    st.markdown("<div style='margin:-6px 0 10px 0'>" + "<br>".join(parts) + "</div>", unsafe_allow_html=True)


def _key(found: AnswerSet, row: int, what: str) -> str:
    return f"lke_{what}_{found.ident or 0}_{row}"


def _value_input(q: Question, a: Answer | None, found: AnswerSet, label: str):
    now = a.value if a is not None else None
    key = _key(found, q.row, "v")
    if q.kind in CHOICE_KINDS:
        options = [None, *(o for o, _ in q.options)]
        return st.selectbox(
            label,
            options,
            index=options.index(now) if now in options else 0,
            key=key,
            format_func=lambda o: (
                K["choice_empty"]
                if o is None
                else f"{o.title() if len(o) > 1 else o} ({L.fmt_number(q.option_value(o), 2)})"
            ),
        )
    return st.text_input(label, answer_text(q, now) if now is not None else "", max_chars=40, key=key)


def _answer_inputs(s: QuestionScore, found: AnswerSet, typed: dict[int, dict]) -> None:
    """An editor's inputs for one scored question (and the counts of a percentage)."""
    q, a = s.question, s.answer
    labels = {PERCENT: K["input_percent"].format(label=q.label), INDEX: K["input_index"].format(label=q.label)}
    if q.kind == PERCENT:
        for c in lv.counts_of(found.instrument, q):
            ca = found.answers.get(c.row)
            typed[c.row] = {
                "value": _value_input(c, ca, found, K["input_count"].format(label=c.label, text=lv.short(c.text, 80))),
                "evidence": ca.evidence if ca else "",
                "note": ca.note if ca else "",
                "links": ca.links if ca else (),
            }
    left, mid, right = st.columns([2, 3, 3])
    with left:
        value = _value_input(q, a, found, labels.get(q.kind, K["input_answer"].format(label=q.label)))
    note = mid.text_input(
        K["input_note"].format(label=q.label),
        a.note if a else "",
        max_chars=lke_service.MAX_NOTE_CHARS,
        key=_key(found, q.row, "n"),
    )
    links = right.text_area(
        K["input_links"].format(label=q.label),
        "\n".join(a.links) if a else "",
        max_chars=lke_service.MAX_NOTE_CHARS,
        height=68,
        key=_key(found, q.row, "l"),
    )
    typed[q.row] = {"value": value, "note": note, "evidence": a.evidence if a else "", "links": evidence_links(links)}


def _sub_area(
    result: LkeScore,
    sub: dict,
    found: AnswerSet,
    plan_rows: pd.DataFrame,
    by_row: dict,
    typed: dict[int, dict] | None,
    rev: review_ui.ReviewView | None = None,
) -> None:
    title = K["sub_area"].format(
        code=sub["code"],
        name=sub["name"],
        points=ro.n2(sub["points"]),
        max=ro.n2(sub["max"]),
        answered=sub["answered"],
        n=sub["questions"],
    )
    with st.expander(md_escape(title)):
        if sub["part"] == "pemenuhan":
            st.info(md_escape(lv.plan_row_line(sub["code"], plan_rows, sub["points"], sub["max"])))
        for q in result.instrument.in_sub_area(sub["code"]):
            if q.kind == COUNT:
                continue  # shown with its percentage
            s = by_row[q.row]
            _question_text(result, s, found.answers)
            if typed is None or (rev is not None and rev.mode == "tpi"):
                _answer_read(s)
            else:
                _answer_inputs(s, found, typed)
            if rev is not None and rev.mode == "tpi" and typed is not None:
                review_ui.review_inputs(s, rev, typed)
                review_ui.history(q, rev)
            elif rev is not None:
                review_ui.question_review(s, rev)


def questions(ctx: Context, result: LkeScore, found: AnswerSet, rev: review_ui.ReviewView | None = None) -> None:
    """Area by area (1-6 and Hasil), sub-area by sub-area, every question; a form per area for
    the unit's editors."""
    wp = ctx.workplan
    rev = rev or review_ui.view(wp)
    who = editor_of(wp) if rev.mode == "unit" else None
    if rev.mode == "tpi":
        who = rev.name
        st.caption(L.LKE_REVIEW_PAGE["reviewer_caption"])
    else:
        st.caption(review_ui.caption(rev) or (K["editor_caption"] if who else K["need_editor"]))
    by_row = {s.question.row: s for s in result.questions}
    areas = [(a.code, K["area_tab"].format(code=a.code), a.name) for a in result.areas]
    areas.append(("hasil", K["hasil_tab"], K["hasil_tab"]))
    tabs = st.tabs([label for _, label, _ in areas])
    for tab, (area, label, name) in zip(tabs, areas, strict=True):
        with tab:
            st.markdown(f"**{md_escape(label if area == 'hasil' else f'{label}. {name}')}**")
            subs = lv.sub_areas_of(result, area)
            if not who:
                for sub in subs:
                    _sub_area(result, sub, found, ctx.result.indicators, by_row, None, rev)
                continue
            typed: dict[int, dict] = {}
            with form(f"lke_form_{area}_{found.ident or 0}_{rev.key}"):
                for sub in subs:
                    _sub_area(result, sub, found, ctx.result.indicators, by_row, typed, rev)
                save_label = L.LKE_REVIEW_PAGE["save_area"] if rev.mode == "tpi" else K["save_area"]
                submitted = st.form_submit_button(save_label.format(name=label), type="primary", icon=":material/save:")
            if submitted and rev.mode == "tpi":
                review_ui.save(typed, wp, rev)
            elif submitted:
                _save(typed, found, who, wp)


def _save(typed: dict[int, dict], found: AnswerSet, who: str, wp: Workplan) -> None:
    """The area's typed answers with every other answer in use, checked, then kept as a new set;
    nothing is saved when any answer is wrong."""
    answers, problems = lke_service.validate_answers(found.instrument, typed)
    merged = {r: a for r, a in found.answers.items() if r not in typed} | answers
    if not problems:
        problems = score(found.instrument, merged).errors
    if problems:
        st.error(K["invalid"].format(n=len(problems)))
        st.markdown("\n".join(f"- {md_escape(p.message)}" for p in problems))
        return
    if editor_of(wp) != who:  # checked again at the moment of saving
        st.error(L.AUTH["need_editor"])
        return
    try:
        saved = lke_service.save_answers(merged, who, K["source_app"], wp)
    except PermissionError as exc:  # not this level's writer, or not its stage (the review)
        st.error(md_escape(str(exc)))
        return
    done(K["saved"].format(id=saved.id))


# --- what to improve next -------------------------------------------------------------------
def _table(frame: pd.DataFrame, empty: str, key: str) -> None:
    if frame.empty:
        st.success(empty)
    else:
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            key=key,
            column_config={K["col_question"]: st.column_config.TextColumn(width="large")},
        )


def improve_next(result: LkeScore) -> None:
    st.markdown(f"**{K['gaps_title']}**")
    shortfalls(result, K["missing_for"], K["gaps_none"])
    st.markdown(f"**{K['open_title']}**")
    st.caption(K["open_caption"])
    _table(lv.open_table(result), K["open_none"], "lke_open")
    st.markdown(f"**{K['steps_title']}**")
    st.caption(K["steps_caption"])
    _table(lv.steps_table(result), K["steps_none"], "lke_steps")
    st.markdown(f"**{K['unanswered_title']}**")
    _table(lv.questions_table(result.unanswered), K["unanswered_none"], "lke_unanswered")
    st.markdown(f"**{K['no_evidence_title']}**")
    _table(lv.questions_table(result.no_evidence()), K["no_evidence_none"], "lke_no_evidence")


# --- the what-if ----------------------------------------------------------------------------
def what_if(result: LkeScore, found: AnswerSet) -> None:
    """Answers set for a moment: every gate moves; nothing is saved (the choice lives in this
    session's widget state, at most MAX_WHATIF answers)."""
    st.caption(K["whatif_caption"].format(n=MAX_WHATIF))
    choices = {f"{row}:{value}": (row, value) for row, value in lv.whatif_choices(result)}
    picked = st.multiselect(
        K["whatif_pick"],
        list(choices),
        format_func=lambda k: lv.whatif_label(result, choices[k]),
        max_selections=MAX_WHATIF,
        key=f"lke_whatif_{found.ident or 0}",
        placeholder=K["whatif_placeholder"],
    )
    sim_answers = dict(found.answers)
    for k in picked[:MAX_WHATIF]:
        if k not in choices:
            continue
        row, value = choices[k]
        a = sim_answers.get(row) or Answer(row)
        sim_answers[row] = Answer(row, value, a.note, a.evidence, a.links)
    sim = score(found.instrument, sim_answers)
    st.info(
        K["whatif_result"].format(
            total=ro.n2(sim.total),
            delta=lv.signed(sim.total - result.total),
            pengungkit=ro.n2(sim.pengungkit),
            hasil=ro.n2(sim.hasil["total"]),
            wbk=lv.predicate_word(sim, "WBK"),
            wbbm=lv.predicate_word(sim, "WBBM"),
        )
    )
    moved = lv.gates_moved(result, sim)
    st.dataframe(moved, hide_index=True, width="stretch", height=35 * (len(moved) + 1) + 3, key="lke_whatif_table")


# --- history and restore --------------------------------------------------------------------
def history(wp: Workplan, found: AnswerSet) -> None:
    st.caption(K["history_caption"])
    sets = lke_service.answer_history(wp)
    if not sets:
        st.info(K["history_none"])
        return
    st.dataframe(
        pd.DataFrame(
            {
                K["col_set"]: [f"#{s.id}" for s in sets],
                K["col_at"]: [service.local_time(s.at) for s in sets],
                K["col_by"]: [s.by for s in sets],
                K["col_source"]: [s.source for s in sets],
            }
        ),
        hide_index=True,
        width="stretch",
        key="lke_history",
    )
    who = editor_of(wp)
    older = [s for s in sets if s.id != found.ident]
    if not who or not older:
        return
    labels = {s.id: lke_service.set_label(s) for s in older}
    chosen = st.selectbox(K["restore_pick"], list(labels), format_func=labels.__getitem__, key="lke_restore_pick")
    if (
        st.button(K["restore"], key="lke_restore", icon=":material/restore:")
        and chosen is not None
        and chosen in labels
    ):
        if editor_of(wp) != who:
            st.error(L.AUTH["need_editor"])
            return
        try:
            saved = lke_service.restore_answers(chosen, who, wp)
        except PermissionError as exc:  # the unit's answers are with the TPI (the review)
            st.error(md_escape(str(exc)))
            return
        done(K["restored"].format(old=chosen, id=saved.id))


# --- Kesiapan: the LKE points from answers beside a plan row's progress ----------------------
def plan_row_points(codes, wp: Workplan) -> list[str] | None:
    """'0,25 / 0,50' per plan row code from the answers in use; None when none are saved."""
    result, found = lke_service.score_in_use(wp)
    if found.stored is None:
        return None
    points = lv.points_per_plan_row(result)
    return [f"{ro.n2(points[c][0])} / {ro.n2(points[c][1])}" if c in points else "–" for c in codes]


def page(ctx: Context) -> None:
    """Jawaban LKE, top to bottom."""
    result, found = lke_service.score_in_use(ctx.workplan)
    rev = review_ui.view(ctx.workplan)
    review_ui.panel(ctx.workplan, rev)  # the review's state first: both sides act on it
    summary(ctx, result, found)
    tabs = st.tabs([K["tab_questions"], K["tab_next"], K["tab_whatif"], K["tab_history"]])
    with tabs[0]:
        questions(ctx, result, found, rev)
    with tabs[1]:
        improve_next(result)
    with tabs[2]:
        what_if(result, found)
    with tabs[3]:
        history(ctx.workplan, found)
