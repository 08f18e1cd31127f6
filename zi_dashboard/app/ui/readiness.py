"""Streamlit glue for Kesiapan (readiness for WBK/WBBM): the page's parts and the Mode rapat
view.  What it shows comes from the service (counting.readiness, the one function)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import AssessmentCheck, AssessmentInUse, Context, UnreadableFile, Workplan
from zi_dashboard.app.ui.chart_widgets import plotly_chart
from zi_dashboard.app.ui.common import done, esc, md_escape, upload_round
from zi_dashboard.app.ui.kept import arrow, once
from zi_dashboard.app.ui.lke import plan_row_points
from zi_dashboard.app.ui.lke_compare import returned_block as tpi_returned_block
from zi_dashboard.app.ui.lke_compare import returned_follow_up as tpi_returned
from zi_dashboard.app.ui.lke_compare import returned_only as tpi_returned_only
from zi_dashboard.app.ui.lke_compare import section as lke_compare_section
from zi_dashboard.app.ui.sidebar import editor_of
from zi_dashboard.app.ui.table_input import table_editor
from zi_dashboard.app.ui.widgets import card, shortfalls, wide_table
from zi_dashboard.counting.readiness import PREDICATES, Readiness
from zi_dashboard.outputs import readiness_out as ro
from zi_dashboard.outputs.display import problems_table
from zi_dashboard.outputs.exports import file_owner
from zi_dashboard.outputs.lke_view import gates_moved
from zi_dashboard.reading.assessment import IPAK, IPKP, KINERJA, field_codes, field_label, field_max
from zi_dashboard.reading.header import parse_number

R, A, U = L.READY, L.ASSESS, L.READY_UI


def current(ctx: Context) -> tuple[Readiness, AssessmentInUse]:
    """Readiness of the data in use with the saved self-assessment (the figures every view shows)."""
    return service.readiness_of(ctx), service.assessment_in_use(ctx.workplan)


def estimate_note(r: Readiness) -> None:
    st.caption(f"**{R['estimate'].upper()}** · {R['why_estimate']} {R['estimate_mark']}")
    if not r.has_weights:
        st.warning(R["no_weights"])
    line = ro.missing_inputs_line(r)
    if line:
        st.caption(line)


_CARD_CSS = (
    ".zi-ready-kpis .zi-kpi .zi-kpi-value { font-size: %s !important; white-space: nowrap; }"
    ".zi-ready-kpis .zi-kpi { min-width: 0; padding: 6px 10px !important; }"
    ".zi-ready-kpis .zi-kpi div:first-child { font-size: 1rem !important; overflow-wrap: normal; }"
    ".zi-ready-kpis .zi-kpi-label { white-space: normal !important; }"
    # seven cards need about 950 pixels of row (a label such as "Pemenuhan*" is one word): on a
    # narrower row (1366 with the sidebar) the five figures make one row and the predicates another
    ".zi-ready-box { container-type: inline-size; }"
    "@container (max-width: %dpx) { .zi-ready-kpis { grid-template-columns: repeat(10, minmax(0, 1fr))"
    " !important; } .zi-ready-kpis > .zi-kpi { grid-column: span 2; }"
    " .zi-ready-kpis > .zi-kpi:nth-child(n+6) { grid-column: span 5; } }"
    "@media (max-width: 1100px) { .zi-ready-kpis { grid-template-columns: repeat(3, minmax(0, 1fr))"
    " !important; } .zi-ready-kpis > .zi-kpi { grid-column: auto !important; } }"
    "@media (max-width: 700px) { .zi-ready-kpis { grid-template-columns: repeat(2, minmax(0, 1fr))"
    " !important; } }"
)
ONE_ROW_PX = 960  # the narrowest row that holds all seven cards whole


def cards(
    r: Readiness,
    columns: str = "repeat(5, minmax(0, 1fr)) repeat(2, minmax(0, 1.2fr))",
    value_size: str = "clamp(1.5rem, 2.1vw, 2.6rem)",
) -> None:
    """The headline figures (of their maximum) and the two predicates, as large cards."""
    short = [R["card_pemenuhan"], R["reform"].split(" (")[0], R["pengungkit"], R["hasil"], R["card_total"]]
    html = [
        card(label, ro.n2(v), R["of_max"].format(max=L.fmt_number(m, 0)), "#0b3b66")
        for label, (_, v, m) in zip(short, ro.summary_figures(r), strict=True)
    ]
    for p in PREDICATES:
        ok = r.eligible(p)
        html.append(
            card(
                R["predicate"].format(name=p),
                R["card_yes"] if ok else R["card_no"],
                ro.predicate_text(r, p),
                "#009E73" if ok else "#D55E00",
            )
        )
    # the style on its own: a block that carries a style is hidden (page_head.PAGE_CSS)
    st.markdown(f"<style>{_CARD_CSS % (value_size, ONE_ROW_PX)}</style>", unsafe_allow_html=True)
    st.markdown(
        f"<div class='zi-ready-box'><div class='zi-ready-kpis' style='display:grid;grid-template-columns:{columns};"
        f"gap:10px;margin-bottom:8px'>" + "".join(html) + "</div></div>",
        unsafe_allow_html=True,
    )


def missing_list(r: Readiness) -> None:
    """'What is missing', in plain words, per predicate."""
    st.subheader(R["missing_title"])
    shortfalls(r, R["missing_for"], R["all_met"])


def gates(r: Readiness) -> None:
    st.subheader(R["gates_title"])
    table = once(ro.gates_combined, r)
    wide_table(
        table,
        "gates",
        [R["col_gate"]],
        kept=True,
        hide_index=True,
        width="stretch",
        height=35 * (len(table) + 1) + 3,
        column_config={R["col_gate"]: st.column_config.TextColumn(width="medium")},
    )
    st.caption(R["area_note"])


def _area_figure(r: Readiness, height: int | None):
    fig = ro.area_chart(r)
    if height:
        fig.update_layout(height=height)
    return fig


def area_chart(r: Readiness, as_of, wp: Workplan | None = None, height: int | None = None) -> None:
    plotly_chart(once(_area_figure, r, height), "readiness_areas", as_of, wp, kept=True)


def _points_table(r: Readiness, lke_points: tuple[str, ...] | None) -> pd.DataFrame:
    table = ro.open_table(r)
    if lke_points is not None and not table.empty:  # the row's points from the LKE answers in use
        after = list(table.columns).index(L.COL["progress"]) + 1  # the progress column is there once
        table.insert(after, L.LKE_PAGE["col_lke_points"], list(lke_points))
    return table


def open_points(r: Readiness, wp: Workplan | None = None) -> None:
    st.caption(R["open_caption"])
    lke_points = plan_row_points(r.open_points["code"], wp) if wp is not None else None
    table = once(_points_table, r, None if lke_points is None else tuple(lke_points))
    if table.empty:
        st.success(R["open_none"])
        return
    st.dataframe(arrow(table), hide_index=True, width="stretch")


def evidence(r: Readiness) -> None:
    st.caption(R["evidence_caption"])
    st.markdown(f"**{R['no_evidence_title']}**")
    table = once(ro.no_evidence_table, r)
    if table.empty:
        st.success(R["no_evidence_none"])
    else:
        st.dataframe(arrow(table), hide_index=True, width="stretch")
    done = r.done_no_evidence
    if len(done):
        st.warning(R["done_no_evidence"].format(n=len(done), codes=", ".join(done["code"])))
    st.markdown(f"**{R['evidence_share_title']}**")
    st.dataframe(arrow(once(ro.evidence_share_table, r)), hide_index=True, width="stretch")
    st.markdown(f"**{R['evidence_rows_title']}**")
    st.dataframe(arrow(once(ro.evidence_table, r)), hide_index=True, width="stretch")


def follow_up(r: Readiness, unit: str, wp: Workplan) -> None:
    st.caption(R["follow_caption"].format(days=14))
    items = once(service.follow_ups, r)
    returned = tpi_returned(wp)  # PIC -> the questions the TPI returned for repair
    if not items and not returned:
        st.success(R["follow_none"].format(date=L.fmt_date(r.as_of)))
        return
    phones = contact_sheet(wp)
    for i, (f, title) in enumerate(zip(items, once(_follow_titles, items), strict=True)):
        with st.expander(title, expanded=i == 0):
            st.dataframe(arrow(once(ro.follow_table, f)), hide_index=True, width="stretch")
            text = tpi_returned_block(once(ro.message, f, r.as_of, unit), returned.pop(f.pic, []), i)
            st.link_button(R["whatsapp"], ro.whatsapp_link(text, phones.get(f.pic)), icon=":material/chat:")
            st.caption(R["copy_text"])
            st.code(text, language=None, wrap_lines=True)
    tpi_returned_only(returned, r.as_of, unit, phones, len(items))  # PICs with returned questions only


def _follow_titles(items: list) -> list[str]:
    """Each PIC's expander title (made once per follow-up list kept)."""
    return [
        md_escape(R["follow_pic"].format(pic=ro.pic_name(f), n=len(f.rows), points=ro.n2(f.open_points))) for f in items
    ]


def contact_sheet(wp: Workplan) -> dict[str, str]:
    """The work plan's PIC phone numbers kept in the store (what every viewer uses; nothing is
    read for a viewer), and for its editors the uploader that replaces them."""
    kept = service.contact_sheet(wp)
    if kept is not None:
        st.caption(
            md_escape(
                R["contacts_loaded"].format(
                    n=len(kept.phones), name=kept.filename, who=kept.by, when=service.local_time(kept.at)
                )
            )
        )
    who = editor_of(wp)
    if not who:
        if kept is None:
            st.caption(R["contacts_none"])
        return kept.phones if kept else {}
    up = st.file_uploader(R["contacts_upload"], type=["xlsx", "csv"], key=f"ready_contacts_{upload_round()}")
    if up is not None:
        try:
            saved = service.save_contact_sheet(up.getvalue(), up.name, who, wp)
        except UnreadableFile as exc:
            st.error(L.UI["unreadable"].format(message=md_escape(str(exc))))
        else:
            done(R["contacts_saved"].format(n=len(saved.phones)))
    return kept.phones if kept else {}


# the what-if's survey inputs: (field, widget key and label)
_WHATIF_INPUTS = ((IPAK, "whatif_ipak"), (IPKP, "whatif_ipkp"), (KINERJA, "whatif_kinerja"))
_WHATIF_BASIS = "_zi_whatif_basis"


def _start_from_saved(ctx: Context, saved: dict[str, float | None], lke) -> None:
    """The inputs start from the self-assessment in use: when another one is saved (here, in
    another session or on another server) or another unit or year is shown, the values typed
    against the old one are replaced by the saved ones.  Set through the session state, so that
    the browser's input shows them too (a widget's default only counts when it is first drawn)."""
    basis = (ctx.workplan.id if ctx.workplan else None, service.assessment_in_use(ctx.workplan).ident)
    fresh = st.session_state.get(_WHATIF_BASIS) != basis
    for code, key in _WHATIF_INPUTS:
        if fresh or key not in st.session_state:
            st.session_state[key] = ro.n2(_within(saved[code], field_max(code, lke)))  # as the box shows it
    st.session_state[_WHATIF_BASIS] = basis


def what_if(ctx: Context, r: Readiness) -> None:
    """Rows assumed done and survey values changed: every gate moves; nothing is stored."""
    st.caption(R["whatif_intro"])
    ind = r.rows
    names = dict(zip(ind["code"], ind["indicator"], strict=True))
    open_codes = [c for c in r.open_points["code"]]
    chosen = st.multiselect(
        R["whatif_rows"],
        open_codes,
        format_func=lambda c: f"{c} {names[c]}",
        key="whatif_rows",
        placeholder=R["whatif_placeholder"],
    )
    a, lke = r.assessment, service.lke()
    _start_from_saved(ctx, {IPAK: a.ipak, IPKP: a.ipkp, KINERJA: a.kinerja}, lke)
    values = []
    for col, (code, key), value in zip(st.columns(3), _WHATIF_INPUTS, (a.ipak, a.ipkp, a.kinerja), strict=True):
        top = field_max(code, lke)  # the input is bounded by the maximum: its value too, whatever is stored or sent
        values.append(_decimal_input(col, R[key], key, _within(value, top), top))
    ipak, ipkp, kinerja = values
    sim = service.readiness_of(ctx, a.replace(ipak=ipak, ipkp=ipkp, kinerja=kinerja), tuple(chosen))
    change = sim.total - r.total
    st.info(
        R["whatif_result"].format(
            total=ro.n2(sim.total),
            delta=("+" if change > 0.0005 else "±" if abs(change) <= 0.0005 else "−") + ro.n2(abs(change)),
            pengungkit=ro.n2(sim.pengungkit),
            wbk=ro.predicate_text(sim, "WBK"),
            wbbm=ro.predicate_text(sim, "WBBM"),
        )
    )
    st.dataframe(arrow(once(gates_moved, r, sim)), hide_index=True, width="stretch", key="whatif_table")


def _decimal_input(col, label: str, key: str, value: float, top: float) -> float:
    """A number typed the Indonesian way ("3,7"; "3.7" is taken too), shown with a decimal comma
    ("3,70"; Streamlit's number box shows "3.70"), 0..top.  Anything else: said under the box,
    and the value in use counts."""
    typed = col.text_input(
        label,
        key=key,
        max_chars=12,  # its value: _start_from_saved
        help=R["whatif_number_help"].format(top=ro.n2(top)),
    )
    try:
        number = parse_number(typed)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= top:
        col.error(R["whatif_number_bad"].format(text=typed, label=label, top=ro.n2(top), used=ro.n2(value)))
        return value
    return number


def _within(value: float | None, top: float) -> float:
    """A number for an input bounded 0..top (stores made before the no-tolerance rule may hold
    4,0000000000000009 for a maximum of 4; a forged widget state anything)."""
    number = float(value or 0.0)
    return min(max(number, 0.0), top) if number == number else 0.0


def stored_problems(in_use: AssessmentInUse) -> None:
    """A saved self-assessment that breaks today's rules: what is wrong, how it is counted, how to fix it."""
    if not in_use.problems or in_use.stored is None:
        return
    st.warning(A["stored_bad"].format(id=in_use.stored.id, n=len(in_use.problems)))
    st.dataframe(problems_table(list(in_use.problems)), hide_index=True, width="stretch")


def _editor_frame(values_json: str) -> pd.DataFrame:
    values: dict[str, float] = json.loads(values_json)
    lke = service.lke()
    codes = [c for c in field_codes(lke) if c not in lke.reform_codes]
    area_sum: dict[str, float] = {}
    for code, v in values.items():
        if code in lke.reform_codes:
            key = "R" + lke.reform_area_of(code)
            area_sum[key] = area_sum.get(key, 0.0) + v
    shown = {**area_sum, **{k: v for k, v in values.items() if k not in lke.reform_codes}}
    return pd.DataFrame(
        {
            A["col_code"]: codes,
            A["col_field"]: [field_label(c) for c in codes],
            A["col_value"]: [L.fmt_number(shown[c], 2).rstrip("0").rstrip(",") if c in shown else "" for c in codes],
            A["col_max"]: [L.fmt_number(field_max(c, lke), 2) for c in codes],
        }
    )


def self_assessment(wp: Workplan) -> None:
    """A work plan's saved self-assessment in use, its history, and (editors of its unit) a
    table editor or a sheet."""
    st.caption(A["intro"])
    in_use = service.assessment_in_use(wp)
    if in_use.stored is None:
        st.info(A["none"])
    else:
        s = in_use.stored
        st.markdown(md_escape(A["current"].format(id=s.id, when=service.local_time(s.at), who=s.by, source=s.source)))
        stored_problems(in_use)
    frame = once(_editor_frame, in_use.assessment.to_json())  # made once per values in use
    st.download_button(
        A["download_template"],
        data=lambda: service.assessment_template(wp),
        file_name=A["template_file"].format(owner=file_owner(service.unit_line(wp))),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="assess_template",
        icon=":material/download:",
        on_click="ignore",
    )
    who = editor_of(wp)
    if not who:
        st.dataframe(arrow(frame), hide_index=True, width="stretch")
        st.caption(A["need_editor"])
    else:
        n = upload_round()
        st.caption(A["editor_caption"])
        edited = table_editor(
            frame,
            f"assess_editor_{n}",
            [A["col_value"]],
            hide_index=True,
            width="stretch",
            column_config={A["col_value"]: st.column_config.TextColumn(max_chars=40)},
        )
        if st.button(A["save"], type="primary", key="assess_save", icon=":material/save:"):
            raw = dict(zip(edited[A["col_code"]], edited[A["col_value"]].fillna(""), strict=True))
            _save(service.check_assessment_values(raw), who, A["source_editor"], wp)
        up = st.file_uploader(A["upload"], type=["xlsx", "csv"], key=f"assess_upload_{n}")
        if up is not None:
            try:
                check = service.check_assessment_sheet(up.getvalue(), up.name)
            except UnreadableFile as exc:
                st.error(L.UI["unreadable"].format(message=md_escape(str(exc))))
            else:
                _save(check, who, up.name, wp)
    saved = service.assessments(wp)
    if saved:
        st.markdown(f"**{A['history']}**")
        st.dataframe(arrow(once(_history_frame, tuple(saved))), hide_index=True, width="stretch")


def _history_frame(saved: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        {
            A["col_id"]: [s.id for s in saved],
            A["col_at"]: [service.local_time(s.at) for s in saved],
            A["col_by"]: [s.by for s in saved],
            A["col_source"]: [s.source for s in saved],
        }
    )


def _save(check: AssessmentCheck, who: str, source: str, wp: Workplan) -> None:
    if not check.valid:
        st.error(A["invalid"].format(n=len(check.problems)))
        st.dataframe(problems_table(check.problems), hide_index=True, width="stretch")
        return
    if editor_of(wp) != who:  # checked again at the moment of saving
        st.error(L.AUTH["need_editor"])
        return
    saved = service.save_assessment(check, who, source, wp)
    done(A["saved"].format(id=saved.id))


def page(ctx: Context) -> None:
    """The Kesiapan page, top to bottom."""
    r, in_use = current(ctx)
    if ctx.component:
        st.caption(U["shown_for_all"])
    estimate_note(r)
    if in_use.problems and in_use.stored is not None:
        st.warning(A["stored_bad_short"].format(id=in_use.stored.id, n=len(in_use.problems)))
    cards(r)
    gates(r)
    area_chart(r, ctx.as_of, ctx.workplan)
    missing_list(r)
    lke_compare_section(ctx.workplan)  # Mandiri vs TPI, from LKE answers (one line without TPI answers)
    tabs = st.tabs([U["tab_points"], U["tab_evidence"], U["tab_follow"], U["tab_whatif"], U["tab_assess"]])
    with tabs[0]:
        open_points(r, ctx.workplan)
    with tabs[1]:
        evidence(r)
    with tabs[2]:
        follow_up(r, service.unit_line(ctx.workplan), ctx.workplan)
    with tabs[3]:
        what_if(ctx, r)
    with tabs[4]:
        self_assessment(ctx.workplan)


def meeting_slide(ctx: Context) -> None:
    """Mode rapat: the figures, the two predicates, every gate and (on a tall screen) what is
    missing, on one screen; on a 768-pixel screen the gates table alone, across the width."""
    r, _ = current(ctx)
    st.caption(f"**{R['estimate'].upper()}** · {R['why_estimate']} {R['estimate_mark']}")
    cards(r, value_size="3.2rem")
    st.markdown(_MEETING_CSS, unsafe_allow_html=True)
    left, right = st.columns([3, 2])
    with left.container(key="zi-ready-gates"):
        wide_table(ro.gates_compact(r), "meeting-gates", [R["col_gate"]], static=True)
    with right.container(key="zi-ready-missing"):
        for p in PREDICATES:
            lines = ro.shortfall_lines(r, p)
            st.markdown(f"**{esc(R['missing_for'].format(name=p))}**")
            shown = [md_escape(x) for x in lines[:MEETING_LINES]]
            if len(lines) > MEETING_LINES:  # never a silent cut: how many more, and where they are
                shown.append(L.MEETING_FIT["more"].format(n=len(lines) - MEETING_LINES))
            st.markdown("\n".join(f"- {x}" for x in shown) if lines else R["all_met"].format(name=p))


MEETING_LINES = 4  # the most shortfalls listed per predicate in Mode rapat (then: "... N more")

# this view only (the style goes with it): a table of 14 gates on one screen, type of 20 px and
# more; below 900 pixels of height the list of what is missing gives its room to the table (the
# gates table says the points missing per gate too)
_MEETING_CSS = """<style>
[data-testid="stTable"] table { font-size: 1.25rem !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td { padding: 1px 10px !important; line-height: 1.3 !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { white-space: nowrap; }
[data-testid="stMarkdownContainer"] li { font-size: 1.25rem; margin: 0; line-height: 1.3; }
[data-testid="stMarkdownContainer"] ul { margin-bottom: 0.4rem; }
.zi-ready-kpis .zi-kpi div:first-child, .zi-ready-kpis .zi-kpi-note { font-size: max(20px, 2.2vh) !important; }
@media (max-height: 900px) {
  [data-testid="stColumn"]:has(.st-key-zi-ready-missing) { display: none !important; }
  [data-testid="stColumn"]:has(.st-key-zi-ready-gates) { flex: 1 1 100% !important; width: 100% !important;
                                                         max-width: 100% !important; }
  [data-testid="stTable"] th, [data-testid="stTable"] td { padding: 0 10px !important; line-height: 1.22 !important; }
  .zi-ready-kpis .zi-kpi .zi-kpi-value { font-size: 2.3rem !important; }
  .zi-ready-kpis .zi-kpi { padding: 2px 10px !important; }
}
</style>"""
