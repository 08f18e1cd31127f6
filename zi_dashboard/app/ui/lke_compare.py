"""Streamlit glue for Mandiri vs TPI: the section on Kesiapan (both scores, the
difference, every gate, the questions that differ, the returned questions per PIC) and the Mode
rapat view.  The figures come from app.lke_compare (counting.lke_compare.compare); without TPI
answers each place says so in one line and shows what it showed before."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import lke_compare as service_compare
from zi_dashboard.app.service import Context, Workplan
from zi_dashboard.app.ui.common import md_escape
from zi_dashboard.app.ui.kept import once
from zi_dashboard.app.ui.widgets import card, wide_table
from zi_dashboard.counting.lke_compare import Comparison, Returned
from zi_dashboard.counting.readiness import PREDICATES
from zi_dashboard.outputs import lke_compare_out as out
from zi_dashboard.outputs.lke_view import signed
from zi_dashboard.outputs.readiness_out import n2, whatsapp_link

C = L.LKE_COMPARE
GOOD, BAD, PLAIN = "#009E73", "#D55E00", "#0b3b66"

_CSS = (
    ".zi-tpi-kpis { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 10px; margin-bottom: 8px; }"
    ".zi-tpi-kpis .zi-kpi { min-width: 0; padding: 6px 10px !important; }"
    ".zi-tpi-kpis .zi-kpi .zi-kpi-value { font-size: %s !important; white-space: nowrap; }"
    ".zi-tpi-kpis .zi-kpi-label { white-space: normal !important; }"
    "@media (max-width: 1100px) { .zi-tpi-kpis { grid-template-columns: repeat(3, minmax(0, 1fr)); } }"
    "@media (max-width: 700px) { .zi-tpi-kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); } }"
)


def cards_html(c: Comparison) -> str:
    """Both totals, the difference, the questions that differ, and each predicate (mandiri / TPI)."""
    top = out.figures_table(c)[C["col_max"]].iloc[0]
    html = [
        card(C["card_unit"], n2(c.unit.total), C["of_max"].format(max=top), PLAIN),
        card(C["card_tpi"], n2(c.tpi.total), C["of_max"].format(max=top), PLAIN),
        card(C["card_diff"], signed(c.difference), C["diff_note"], BAD if c.difference < -0.005 else GOOD),
        card(
            C["card_stake"],
            str(len(c.differing)),
            C["card_stake_note"].format(points=n2(c.at_stake)),
            BAD if c.differing else GOOD,
        ),
    ]
    for p in PREDICATES:
        ok = c.tpi.eligible(p)
        html.append(
            card(
                C["card_predicate"].format(name=p),
                out.verdict_pair(c.unit.eligible(p), ok),
                C["card_predicate_note"],
                GOOD if ok else BAD,
            )
        )
    return "<div class='zi-tpi-kpis'>" + "".join(html) + "</div>"


def _cards(c: Comparison, value_size: str) -> None:
    st.markdown(f"<style>{_CSS % value_size}</style>", unsafe_allow_html=True)  # a style on its own
    st.markdown(once(cards_html, c), unsafe_allow_html=True)  # the comparison is kept: its cards made once


def returned_per_pic(c: Comparison) -> None:
    """Each PIC's returned questions with the TPI's notes."""
    per_pic = c.returned_by_pic()
    if not per_pic:
        return
    st.markdown(f"**{C['returned_title']}**")
    st.caption(C["returned_caption"])
    for i, (pic, items) in enumerate(per_pic.items()):
        with st.expander(md_escape(out.pic_title(pic, items)), expanded=i == 0):
            table = out.returned_table(items).drop(columns=[C["col_pic"]])
            wide_table(table, f"tpi-returned-{i}", [C["col_code"], C["col_letter"]], hide_index=True, width="stretch")


DIFFERING_PX = 458  # the questions that differ: 12 rows, then the table scrolls


def _rows(frame) -> int:
    """A table's height showing every row (Streamlit's rows are 35 px)."""
    return 35 * (len(frame) + 1) + 3


def returned_follow_up(wp: Workplan | None) -> dict[str, list[Returned]]:
    """Kesiapan's follow-up: PIC -> the questions the TPI returned for repair ({} without TPI answers)."""
    return service_compare.returned_by_pic(wp)


def returned_block(message: str, items: list[Returned], i: int) -> str:
    """Inside a PIC's follow-up: their returned questions as a table; the message with them."""
    if items:
        st.markdown(f"**{md_escape(C['follow_returned'].format(n=len(items)))}**")
        table = out.returned_table(items).drop(columns=[C["col_pic"]])
        wide_table(table, f"tpi-follow-{i}", [C["col_code"], C["col_letter"]], hide_index=True, width="stretch")
    return out.with_returned(message, items)


def returned_only(
    returned: dict[str, list[Returned]], as_of: date, unit: str, phones: dict[str, str], start: int
) -> None:
    """The follow-up of PICs who have only returned questions to repair (no plan row to chase)."""
    R = L.READY
    for i, (pic, items) in enumerate(returned.items(), start=start):
        with st.expander(md_escape(out.pic_title(pic, items)), expanded=i == 0):
            text = returned_block(out.returned_message(pic, items, as_of, unit), items, i)
            st.link_button(R["whatsapp"], whatsapp_link(text, phones.get(pic)), icon=":material/chat:")
            st.caption(R["copy_text"])
            st.code(text, language=None, wrap_lines=True)


def stage_line(now: service_compare.Stage, always: bool) -> None:
    """The review's stage and deadline, as a warning when past it (otherwise shown only `always`
    or when a deadline is set)."""
    if not (always or now.deadline is not None or now.overdue):
        return
    line = md_escape(service_compare.stage_line(now))
    if now.overdue:
        st.warning(line)
    else:
        st.markdown(line)


def section(wp: Workplan | None) -> None:
    """Kesiapan: Mandiri vs TPI (one line when the TPI has no answers saved)."""
    st.subheader(C["title"])
    found = service_compare.in_use(wp)
    stage_line(found.stage if found else service_compare.stage(wp), always=found is not None)
    if found is None:
        st.caption(C["none"])
        return
    c = found.comparison
    st.caption(C["intro"])
    st.caption(md_escape(out.reviewed_line(c)) + "  \n" + md_escape(C["sets"].format(source=found.source)))
    _cards(c, "clamp(1.4rem, 2vw, 2.4rem)")
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{C['figures_title']}**")
        figures = once(out.figures_table, c)
        wide_table(
            figures, "tpi-figures", [C["col_item"]], kept=True, hide_index=True, width="stretch", height=_rows(figures)
        )
        st.caption(C["diff_caption"])
    with right:
        st.markdown(f"**{C['gates_title']}**")
        gates = once(out.gates_table, c)
        wide_table(
            gates, "tpi-gates", [C["col_gate"]], kept=True, hide_index=True, width="stretch", height=_rows(gates)
        )
        st.caption(C["gates_caption"])
    st.markdown(f"**{C['differing_title']}**")
    if not c.differing:
        st.success(C["differing_none"])
    else:
        st.caption(C["differing_caption"])
        differing = once(out.differing_table, c)
        wide_table(
            differing,
            "tpi-differing",
            [C["col_code"], C["col_letter"]],
            kept=True,
            hide_index=True,
            width="stretch",
            height=min(_rows(differing), DIFFERING_PX),
            column_config={C["col_question"]: st.column_config.TextColumn(width="large")},
        )
    returned_per_pic(c)


SLIDE_QUESTION_CHARS = 56  # a question's text on the slide: at most two lines at 20 px and more

# the slide only: six cards in one row, two tables side by side, type of 20 px and more
_SLIDE_CSS = """<style>
.zi-tpi-kpis .zi-kpi .zi-kpi-label, .zi-tpi-kpis .zi-kpi-note { font-size: max(20px, 2.2vh) !important; }
.zi-tpi-kpis .zi-kpi { padding: 1vh 1vw !important; border-left-width: 10px !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { white-space: nowrap; }
@media (max-width: 700px) {
  .zi-tpi-kpis .zi-kpi .zi-kpi-value { font-size: 32px !important; }
  .zi-tpi-kpis .zi-kpi .zi-kpi-label { font-size: 18px !important; }
  .zi-tpi-kpis .zi-kpi-note { font-size: 16px !important; }
}
</style>"""


def meeting_slide(ctx: Context) -> None:
    """Mode rapat's 'Mandiri vs TPI': both totals, the difference and the predicates as cards; the
    parts and areas beside the questions that differ most."""
    found = service_compare.in_use(ctx.workplan)
    if found is None:
        st.info(C["none"])
        return
    c = found.comparison
    st.markdown(_SLIDE_CSS, unsafe_allow_html=True)
    stage_line(found.stage, always=True)
    _cards(c, "max(40px, 6.5vh)")
    left, right = st.columns([2, 3])
    with left:
        figures = out.figures_table(c).drop(columns=[C["col_max"]])
        wide_table(figures, "tpi-slide-figures", [C["col_item"]], static=True)
    with right:
        table = out.differing_table(c, out.SLIDE_ROWS, SLIDE_QUESTION_CHARS)
        table = table.drop(columns=[C["col_points_unit"], C["col_points_tpi"], C["col_letter"]])
        table[C["col_code"]] = [out.question_code(d.question) for d in c.differing[: out.SLIDE_ROWS]]
        table = table.rename(columns={C["col_answer_unit"]: C["col_unit"], C["col_answer_tpi"]: C["col_tpi"]})
        if table.empty:
            st.success(C["differing_none"])
        else:
            wide_table(table, "tpi-slide-differing", [C["col_code"]], static=True)
            more = len(c.differing) - out.SLIDE_ROWS
            if more > 0:  # never a silent cut
                st.caption(C["differing_more"].format(n=more))


# --- Semua Satker -------------------------------------------------------------------------------
def review_columns(table: pd.DataFrame, year: int) -> tuple[pd.DataFrame, list[str]]:
    """The ranking table (one the page keeps) with each unit's LKE totals (mandiri, TPI) and
    review stage, and the units whose stage is past its deadline: made once per table and
    totals kept (service_compare.totals), shared."""
    return once(_review_columns, table, service_compare.totals(year))


def _review_columns(table: pd.DataFrame, totals: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    P = L.PROVINCE
    found = out.province_columns(table, totals, P["col_unit"], P["col_predicate"])
    return found, out.overdue_units(totals, table[P["col_unit"]])


def review_notes(late: list[str]) -> None:
    """What the review columns mean, and the units past a deadline."""
    st.caption(C["province_note"])
    if late:
        st.warning(C["province_late"].format(names=", ".join(late)))
