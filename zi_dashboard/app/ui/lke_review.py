"""Streamlit glue for the TPI review on Jawaban LKE (issue 23): the state of the unit's LKE with
its round, deadline and moves (the buttons a logged-in name's roles allow), the deadlines a
reviewer or an admin sets, the TPI's answer, verdict and note under each question (a reviewer's
inputs in the area's form), and each question's history as a conversation.  Every rule is
the service's (app/lke_review.py); a refused action shows its reason and changes nothing."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import lke_review as review
from zi_dashboard.app import service
from zi_dashboard.app.service import Workplan
from zi_dashboard.app.ui.common import done, esc, form, md_escape
from zi_dashboard.app.ui.sidebar import editor
from zi_dashboard.counting import lke_review as rv
from zi_dashboard.counting.lke_review import Step
from zi_dashboard.counting.lke_score import QuestionScore
from zi_dashboard.outputs import readiness_out as ro
from zi_dashboard.reading.lke_answers import answer_text, normalise_answer
from zi_dashboard.reading.lke_instrument import CHOICE_KINDS, PERCENT, Question

P = L.LKE_REVIEW_PAGE
MOVE_KEYS = {  # the button of each move, by the state it moves to
    rv.DIAJUKAN: "move_diajukan",
    rv.DINILAI: "move_dinilai",
    rv.DIKEMBALIKAN: "move_dikembalikan",
    rv.DIAJUKAN_ULANG: "move_diajukan_ulang",
    rv.DIUSULKAN: "move_diusulkan",
    rv.PEMBINAAN: "move_pembinaan",
}
_COLOURS = {
    rv.MANDIRI: "#0b3b66",
    rv.DIAJUKAN: "#0072B2",
    rv.DINILAI: "#0072B2",
    rv.DIKEMBALIKAN: "#D55E00",
    rv.DIAJUKAN_ULANG: "#0072B2",
    rv.DIUSULKAN: "#009E73",
    rv.PEMBINAAN: "#6b6b6b",
}


@dataclass
class ReviewView:
    """What the page needs of the review, read once per run."""

    review: review.Review
    name: str | None
    roles: frozenset[str]
    histories: dict[int, list[Step]] = field(default_factory=dict)

    @property
    def mode(self) -> str | None:
        """'unit' when the logged-in name edits the unit's answers now, 'tpi' when it reviews now."""
        for level in (rv.UNIT_LEVEL, rv.TPI_LEVEL):
            if rv.check_write(self.roles, level, self.review.state) is None:
                return level
        return None

    @property
    def key(self) -> str:
        s = self.review.tpi_set
        return f"{s.id if s else 0}_{self.review.state}"


def reviews(wp: Workplan) -> bool:
    """Whether the logged-in name is a reviewer (penilai TPI) of the work plan's unit and no editor of it."""
    roles = review.roles_of(editor(), wp)
    return rv.REVIEWER in roles and rv.UNIT_ROLE not in roles


def view(wp: Workplan) -> ReviewView:
    name = editor()
    return ReviewView(review.review_in_use(wp), name, review.roles_of(name, wp), review.histories(wp))


def _badge(rev: review.Review) -> str:
    colour = _COLOURS[rev.state]
    late = f" <b style='color:#D55E00'>{esc(P['overdue'])}</b>" if rev.overdue else ""
    deadline = esc(P["deadline"].format(date=L.fmt_date(rev.deadline))) if rev.deadline else esc(P["no_deadline"])
    return (
        f"<div class='zi-review-state' style='border-left:6px solid {colour};padding:6px 12px;margin:4px 0 8px 0'>"
        f"<b style='color:{colour};font-size:1.15rem'>{esc(rev.state_label)}</b> · "
        f"{esc(P['round'].format(n=rev.round))} · {deadline}{late}<br>"
        f"{esc(P['totals'].format(unit=ro.n2(rev.unit.total), tpi=ro.n2(rev.tpi.total), returned=len(rev.returned)))}"
        "</div>"
    )


def panel(wp: Workplan, v: ReviewView) -> None:
    """The state, the moves the logged-in name may make, the deadlines and the moves so far."""
    rev = v.review
    st.subheader(P["title"])
    st.markdown(_badge(rev), unsafe_allow_html=True)
    if rev.returned:
        st.markdown(
            P["returned_title"]
            + "\n"
            + "\n".join(f"- **{md_escape(r.label)}**: {md_escape(r.note or P['no_note'])}" for r in rev.returned)
        )
    moves = rv.moves_for(v.roles, rev.state)
    if moves:
        cols = st.columns(len(moves))
        for col, target in zip(cols, moves, strict=True):
            if col.button(P[MOVE_KEYS[target]], key=f"review_move_{target}_{v.key}", type="primary"):
                _move(wp, target, v, rev.state)
    elif v.name:
        st.caption(P["no_moves"].format(roles=_roles_text(v.roles)))
    if rv.DEADLINE_SETTERS & v.roles:
        _deadlines(wp, v)
    if rev.transitions:
        with st.expander(P["moves_title"].format(n=len(rev.transitions))):
            st.dataframe(
                pd.DataFrame(
                    {
                        P["col_at"]: [service.local_time(e.at) for e in rev.transitions],
                        P["col_state"]: [rv.state_label(e.state) for e in rev.transitions],
                        P["col_by"]: [e.by for e in rev.transitions],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="review_moves",
            )


def _roles_text(roles: frozenset[str]) -> str:
    return ", ".join(rv.role_label(r) for r in sorted(roles)) or P["viewer"]


def _move(wp: Workplan, target: str, v: ReviewView, seen: str) -> None:
    if editor() != v.name:  # checked again at the moment of acting
        st.error(L.AUTH["need_editor"])
        return
    try:
        review.move(wp, target, v.name or "", expect=seen)
    except PermissionError as exc:
        st.error(md_escape(str(exc)))
        return
    done(P["moved"].format(state=rv.state_label(target)))


def _deadlines(wp: Workplan, v: ReviewView) -> None:
    with st.expander(P["deadlines_title"]):
        with form(f"review_deadline_{v.key}"):
            stage = st.selectbox(P["deadline_stage"], rv.DEADLINE_STATES, format_func=rv.state_label)
            day = st.date_input(P["deadline_date"], value=None, format="DD/MM/YYYY")
            ok = st.form_submit_button(P["deadline_save"])
        known = v.review.deadlines
        if known:
            st.caption(
                " · ".join(f"{rv.state_label(s)}: {L.fmt_date(d)}" for s, d in known.items() if s in rv.DEADLINE_STATES)
            )
        if ok:
            day = day if isinstance(day, date) else None  # left empty: the stage's deadline is removed
            try:
                review.set_deadline(wp, stage, day, v.name or "")
            except PermissionError as exc:
                st.error(md_escape(str(exc)))
                return
            done(P["deadline_saved" if day else "deadline_cleared"].format(state=rv.state_label(stage)))


# --- under each question --------------------------------------------------------------------
def question_review(q: QuestionScore, v: ReviewView) -> None:
    """The TPI's answer, verdict and note of one question (read), and its history."""
    rev = v.review
    row = q.question.row
    tpi = next((s for s in rev.tpi.questions if s.question.row == row), None)
    verdict = rev.verdicts.get(row)
    a = tpi.answer if tpi else None
    if a is not None or verdict:
        colour = "#D55E00" if verdict == rv.PERBAIKAN else "#009E73" if verdict == rv.SESUAI else "#6b6b6b"
        text = P["tpi_line"].format(
            verdict=rv.verdict_label(verdict),
            answer=answer_text(q.question, a.value) if a is not None and a.value is not None else "–",
        )
        note = f"<br>{esc(P['tpi_note'].format(note=a.note))}" if a is not None and a.note else ""
        st.markdown(
            f"<div class='zi-tpi' style='margin:-4px 0 8px 0;padding-left:8px;border-left:3px solid {colour}'>"
            f"<b style='color:{colour}'>{esc(text)}</b>{note}</div>",
            unsafe_allow_html=True,
        )
    history(q.question, v)


def history(q: Question, v: ReviewView) -> None:
    steps = v.histories.get(q.row, [])
    if len(steps) < 2 and not any(s.level == rv.TPI_LEVEL for s in steps):
        return
    lines = [
        f"- {md_escape(service.local_time(s.at))}: {md_escape(review.step_line(v.review.unit.instrument, q.row, s))}"
        for s in steps
    ]
    st.markdown(f"<small>{esc(P['history'].format(label=q.label))}</small>", unsafe_allow_html=True)
    st.markdown("\n".join(lines))


def review_inputs(q: QuestionScore, v: ReviewView, typed: dict[int, dict]) -> None:
    """A reviewer's inputs for one question: the TPI's answer, verdict and note."""
    question, row, rev = q.question, q.question.row, v.review
    tpi = next((s for s in rev.tpi.questions if s.question.row == row), None)
    a = tpi.answer if tpi else None
    left, mid, right = st.columns([2, 2, 3])
    key = f"review_{v.key}_{row}"
    value: str | int | float | None
    with left:
        if question.kind in CHOICE_KINDS:
            options = [None, *(o for o, _ in question.options)]
            now = a.value if a is not None else None
            value = st.selectbox(
                P["input_answer"].format(label=question.label),
                options,
                index=options.index(now) if now in options else 0,
                key=key + "_v",
                format_func=lambda o: P["same_as_unit"] if o is None else (o.title() if len(o) > 1 else o),
            )
        elif question.kind == PERCENT:
            value = a.value if a is not None else None  # a percentage: its counts are the unit's
            st.caption(P["percent_as_unit"])
        else:
            value = st.text_input(
                P["input_answer"].format(label=question.label),
                answer_text(question, a.value) if a is not None and a.value is not None else "",
                max_chars=40,
                key=key + "_v",
            )
    verdicts = [None, *rv.VERDICTS]
    now_verdict = rev.verdicts.get(row)
    verdict = mid.selectbox(
        P["input_verdict"].format(label=question.label),
        verdicts,
        index=verdicts.index(now_verdict) if now_verdict in verdicts else 0,
        format_func=rv.verdict_label,
        key=key + "_d",
    )
    note = right.text_input(
        P["input_note"].format(label=question.label), a.note if a is not None else "", max_chars=500, key=key + "_n"
    )
    typed[row] = {"value": value, "verdict": verdict, "note": note}


def save(typed: dict[int, dict], wp: Workplan, v: ReviewView) -> None:
    """The area's reviews, kept as a new TPI set (only questions the reviewer changed)."""
    rev = v.review
    tpi = {s.question.row: s for s in rev.tpi.questions}
    changed = {}
    instrument = rev.unit.instrument
    for row, t in typed.items():
        a = tpi[row].answer if row in tpi else None
        before = (a.value if a else None, rev.verdicts.get(row), a.note if a else "")
        value = t["value"]
        if isinstance(value, str) and not value.strip():
            value = None
        same = value
        if isinstance(value, str) and instrument.has_row(row):
            with suppress(ValueError):  # compared as stored: "3,50" typed is the 3.5 kept (else saving says why)
                same = normalise_answer(instrument.by_row(row), value)
        if (same, t["verdict"], t["note"]) != before:
            changed[row] = {**t, "value": value, "links": a.links if a else ()}
    if not changed:
        st.info(P["nothing_changed"])
        return
    if editor() != v.name:
        st.error(L.AUTH["need_editor"])
        return
    try:
        saved, problems = review.save_review(changed, v.name or "", wp)
    except PermissionError as exc:
        st.error(md_escape(str(exc)))
        return
    if problems:
        st.error(P["invalid"].format(n=len(problems)))
        st.markdown("\n".join(f"- {md_escape(p.message)}" for p in problems))
        return
    done(P["saved"].format(id=saved.id if saved else "–", n=len(changed)))


def caption(v: ReviewView) -> str | None:
    """Why the logged-in name reads only, when it has a role but not now."""
    if not v.name or v.mode is not None:
        return None
    if rv.UNIT_ROLE in v.roles:
        return rv.check_write(v.roles, rv.UNIT_LEVEL, v.review.state)
    if rv.REVIEWER in v.roles:
        return rv.check_write(v.roles, rv.TPI_LEVEL, v.review.state)
    return None
