"""Meetings: the one-click meeting pack, and Mode rapat (one slide per screen, large type, no
controls, arrow keys)."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import MEETING_SLIDES, Context
from zi_dashboard.app.ui.chart_widgets import plotly_chart, timeline_list
from zi_dashboard.app.ui.common import esc, md_escape
from zi_dashboard.app.ui.lke_compare import meeting_slide as tpi_slide
from zi_dashboard.app.ui.page_head import page_style
from zi_dashboard.app.ui.readiness import meeting_slide as readiness_slide
from zi_dashboard.app.ui.widgets import XLSX_MIME, headline, wide_table
from zi_dashboard.counting.history import changes_table
from zi_dashboard.outputs import charts, lke_meeting
from zi_dashboard.outputs.exports import file_owner

_SLIDE = "_zi_meeting_slide"


def _owner(ctx: Context) -> str:
    return file_owner(service.unit_line(ctx.workplan))


def meeting_downloads(ctx: Context) -> None:
    """The one-click meeting pack: the HTML report and the Excel pack (built when clicked)."""
    R = L.REPORT
    st.subheader(L.MEETING["pack"])
    st.caption(L.MEETING["pack_intro"])
    row = st.container(horizontal=True)
    row.download_button(
        R["download_html"],
        data=lambda: service.pack("html", ctx),
        file_name=R["html_file"].format(date=ctx.as_of.isoformat(), owner=_owner(ctx)),
        mime="text/html",
        key="pack-html",
        icon=":material/description:",
        on_click="ignore",
    )
    row.download_button(
        R["download_xlsx"],
        data=lambda: service.pack("xlsx", ctx),
        file_name=R["xlsx_file"].format(date=ctx.as_of.isoformat(), owner=_owner(ctx)),
        mime=XLSX_MIME,
        key="pack-xlsx",
        icon=":material/table_view:",
        on_click="ignore",
    )
    monev_downloads(ctx, row)
    row.page_link("pages/rapat.py", label=L.MEETING["enter"], icon=":material/co_present:")


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def monev_downloads(ctx: Context, row, info=None, key: str = "monev", help_text: str = "", brief: bool = False) -> None:
    """Laporan monev as .docx (the unit's template in use, else the default one) and .pdf, with
    `info` (outputs.monev.DocInfo; by default the unit's saved details), built when clicked.  When
    the unit's template cannot make the .docx, why and what to do is said below them (`brief`: Mode
    rapat, on a projector: one line, the reason opened on demand)."""
    from zi_dashboard.app import monev
    from zi_dashboard.outputs import monev as out
    from zi_dashboard.outputs import monev_html

    M = L.MONEV
    unit = service.unit_line(ctx.workplan)
    row.download_button(
        M["download_docx"],
        data=lambda: monev.unit_docx(monev.report(ctx, info), ctx.workplan)[0],  # the unit's template in use
        file_name=out.file_name(unit, ctx.as_of, "docx"),
        mime=DOCX_MIME,
        key=f"{key}-docx",
        help=help_text or M["download_help"],
        icon=":material/article:",
        on_click="ignore",
    )
    if monev_html.pdf_available():
        row.download_button(
            M["download_pdf"],
            data=lambda: monev.render("pdf", monev.report(ctx, info)),
            file_name=out.file_name(unit, ctx.as_of, "pdf"),
            mime="application/pdf",
            key=f"{key}-pdf",
            help=help_text or M["download_help"],
            icon=":material/picture_as_pdf:",
            on_click="ignore",
        )
    else:
        row.caption(M["pdf_unavailable"])
    with st.spinner(M["tpl_checking"]):  # once per template in this process; shown only when it takes a while
        problem = monev.template_problem(ctx, info)
    if problem and brief:  # the unit's own template cannot make the .docx: said beside the download
        with st.expander(M["tpl_fallback_brief"], icon=":material/warning:"):
            st.markdown(md_escape(problem))
    elif problem:
        st.warning(md_escape(problem), icon=":material/warning:")


_MEETING_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stSidebarNav"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 1rem 2.2rem 0.3rem 2.2rem !important; max-width: 100% !important; }
h2 { font-size: max(2.2rem, 5vh) !important; padding: 0 0 0.6vh 0 !important; }
[data-testid="stTable"] table { font-size: max(20px, 2.5vh) !important; line-height: 1.25 !important; }
[data-testid="stTable"] th { font-size: max(20px, 2.3vh) !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th {
  padding-top: 0.5vh !important; padding-bottom: 0.5vh !important; }
.zi-corner { position: fixed; top: 10px; right: 18px; z-index: 1000; background: #111827; color: #fff;
             padding: 6px 14px; border-radius: 8px; font-size: max(18px, 2vh); }
.zi-kpis { grid-template-columns: 1fr 1fr 1fr !important; gap: 2.5vh !important; margin-top: 2vh !important; }
.zi-kpis .zi-kpi { padding: 2.4vh 1.6vw !important; border-left-width: 12px !important; }
.zi-kpis .zi-kpi-label { font-size: max(22px, 3.6vh) !important; }
.zi-kpis .zi-kpi-value { font-size: max(56px, 12vh) !important; line-height: 1.15 !important; }
.zi-kpis .zi-kpi-note { font-size: max(20px, 2.8vh) !important; }
.zi-kpis .zi-delta { font-size: max(22px, 3.4vh) !important; }
.zi-tl-meeting { display: block !important; columns: 2; column-gap: 3vw; font-size: max(20px, 2.2vh);
                 line-height: 1.25; }
.zi-tl-meeting .zi-tl-comp { margin: 0.6vh 0 0 0; break-after: avoid; }
.zi-tl-meeting .zi-tl-row { grid-template-columns: minmax(0, 1fr) 20% 3.2em;
  grid-template-areas: "name bar pct" "name late late"; padding: 0.25vh 0; break-inside: avoid; align-items: center; }
.zi-tl-meeting .zi-tl-meta { display: none; }
.zi-tl-meeting .zi-tl-bar { height: 1.6vh; min-height: 12px; }
.zi-tl-meeting .zi-tl-late { font-size: 1em; white-space: nowrap; }
.zi-tl-meeting .zi-tl-late:empty { display: none; }
[data-testid="stButton"] button, [data-testid="stPageLink"] a {
  font-size: max(22px, 2.8vh) !important; padding: 0.6vh 1.4vw !important; min-height: 0 !important; }
[data-testid="stButton"] button p, [data-testid="stPageLink"] a p, [data-testid="stPageLink"] a span {
  font-size: max(22px, 2.8vh) !important; }
[data-testid="stDownloadButton"] button { padding: 0.2vh 1vw !important; min-height: 0 !important; }
[data-testid="stDownloadButton"] button p, [data-testid="stDownloadButton"] button span {
  font-size: 20px !important; line-height: 1.2 !important; }
.zi-position p, .zi-position { font-size: max(24px, 3.2vh) !important; font-weight: 700; }
.st-key-zi-slide-chart { height: calc(100vh - 20vh - 80px); }
/* no text under 20 px on a projector: notes under the cards, captions, lists, messages, the corner */
.zi-corner, [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stAlert"] p { font-size: max(20px, 2.2vh) !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { line-height: 1.3 !important; }
/* a phone: the corner in the flow above the title (not over it), cards two by two, nothing cut */
@media (max-width: 700px) {
  .block-container, [data-testid="stMainBlockContainer"] { padding: 0.6rem 0.8rem 0.3rem 0.8rem !important; }
  .zi-corner { position: static; display: block; margin: 0 0 6px 0; font-size: 16px !important; }
  h2 { font-size: 1.7rem !important; }
  .zi-kpis { grid-template-columns: repeat(2, minmax(0, 1fr)) !important; gap: 8px !important; }
  .zi-kpis > .zi-kpi:first-child { grid-column: span 2; }
  .zi-kpis .zi-kpi { padding: 8px 10px !important; border-left-width: 8px !important; }
  .zi-kpis .zi-kpi-label { font-size: 20px !important; white-space: normal !important; overflow: visible !important; }
  .zi-kpis .zi-kpi-value { font-size: 44px !important; }
  .zi-kpis .zi-kpi-note { font-size: 16px !important; }
  .zi-tl-meeting { columns: 1; }
  [data-testid="stButton"] button, [data-testid="stButton"] button p, [data-testid="stPageLink"] a p,
  [data-testid="stPageLink"] a span { font-size: 20px !important; }
}
</style>
"""

_KEYS_JS = """
<script>
const doc = window.parent.document;
if (!doc.ziMeetingKeys) {
  doc.ziMeetingKeys = true;
  doc.addEventListener("keydown", (e) => {
    const tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA") return;
    const forward = e.key === "ArrowRight" || e.key === "PageDown";
    const back = e.key === "ArrowLeft" || e.key === "PageUp";
    const want = forward ? "NEXT" : (back ? "PREV" : null);
    if (!want) return;
    const label = want === "NEXT" ? %(next)s : %(prev)s;
    for (const b of doc.querySelectorAll("button")) {
      if (b.innerText.trim() === label) { b.click(); e.preventDefault(); break; }
    }
  });
}
</script>
"""


def meeting_slide_index() -> int:
    """The slide shown: from the link (?tampilan=N, 1-based) or the last one chosen."""
    if _SLIDE not in st.session_state:
        n = service.address_int(st.query_params.get("tampilan", "1"), 2) or 1  # anything else: the first
        st.session_state[_SLIDE] = min(max(n, 1), len(MEETING_SLIDES)) - 1
    return st.session_state[_SLIDE]


def _go(step: int) -> None:
    st.session_state[_SLIDE] = (st.session_state.get(_SLIDE, 0) + step) % len(MEETING_SLIDES)
    st.query_params["tampilan"] = str(st.session_state[_SLIDE] + 1)


def meeting_frame(ctx: Context) -> None:
    """No sidebar or controls, large type, the unit and year, as-of date and source in a corner,
    arrow keys."""
    page_style()
    st.markdown(_MEETING_CSS, unsafe_allow_html=True)
    corner = L.MEETING["corner"].format(
        unit=service.unit_line(ctx.workplan),
        as_of_label=L.UI["as_of"],
        date=L.fmt_date(ctx.as_of),
        source=ctx.source_label(),
    )
    st.markdown(f"<div class='zi-corner'>{esc(corner)}</div>", unsafe_allow_html=True)
    st.html(
        _KEYS_JS % {"next": json.dumps(L.MEETING["next"]), "prev": json.dumps(L.MEETING["previous"])},
        unsafe_allow_javascript=True,
    )


def _overdue_slide(ctx: Context) -> None:
    frame = service.status_table("overdue", ctx)
    if frame.empty:
        st.success(L.UI["overdue_none"].format(date=L.fmt_date(ctx.as_of)))
        return
    wide_table(
        frame[[L.COL[c] for c in ("code", "indicator", "days_overdue", "progress", "target_end", "pic")]],
        "meeting-overdue",
        [L.COL["code"], L.COL["indicator"]],
        status=L.OVERDUE,
        static=True,
    )


def _changes_slide(ctx: Context) -> None:
    m = service.meeting(ctx)
    changes = m.changes()
    if changes is None:
        st.info(L.REPORT["no_previous"])
    elif changes.empty:
        st.info(L.REPORT["no_changes"])
    else:
        st.caption(md_escape(m.previous_label))
        t = changes_table(changes, for_display=True)
        st.table(
            t[
                [
                    L.COL["code"],
                    L.COL["indicator"],
                    L.DIFF["before"],
                    L.DIFF["after"],
                    L.DIFF["change"],
                    L.DIFF["status_after"],
                ]
            ]
            .head(12)
            .set_index(L.COL["code"])
        )


SLIDE_CHART_PX = 540  # the chart slide's height: with the heading and the buttons, within 768 px


def meeting_slide(ctx: Context, index: int) -> None:
    """One slide per screen, at 1366x768 as at 1920x1080."""
    kind = MEETING_SLIDES[index]
    answers = service.lke_in_use(ctx.workplan) if kind == "readiness" else None
    if answers is None:
        st.header(L.MEETING_VIEWS[kind])
    else:  # the score from LKE answers beside the title (above the forecast): the slide keeps its height
        left, right = st.columns([1, 1], vertical_alignment="center")
        left.header(L.MEETING_VIEWS[kind])
        right.markdown(f"**{md_escape(lke_meeting.headline(answers[0], answers[1].split(' · ')[0]))}**")
    if kind == "headline":
        headline(ctx)
    elif kind == "components":
        fig = charts.resize(go.Figure(service.figure("components", ctx)), SLIDE_CHART_PX, title=False)
        fig.update_layout(margin=dict(t=40, b=30))
        plotly_chart(fig, "components", ctx.as_of, ctx.workplan, toolbar=False)
    elif kind == "timeline":
        # every row in one screen with names of 20 px and more: a list in two columns (a Gantt
        # of 25 rows at that size needs about twice a 768 px screen)
        timeline_list(ctx, meeting=True)
    elif kind == "overdue":
        _overdue_slide(ctx)
    elif kind == "readiness":
        readiness_slide(ctx)
    elif kind == "tpi":
        tpi_slide(ctx)
    else:
        _changes_slide(ctx)


def meeting_controls(index: int, ctx: Context | None = None) -> None:
    M = L.MEETING
    row = st.container(horizontal=True, horizontal_alignment="center")
    row.button(M["previous"], key="meeting-prev", on_click=_go, args=(-1,))
    row.markdown(
        f"<div class='zi-position'>{M['position'].format(n=index + 1, total=len(MEETING_SLIDES))}</div>",
        unsafe_allow_html=True,
    )
    row.button(M["next"], key="meeting-next", on_click=_go, args=(1,), type="primary")
    row.page_link("pages/ringkasan.py", label=M["exit"], icon=":material/close:")
    if ctx is not None:  # the Laporan monev of what the meeting looks at, beside the slide controls
        monev_downloads(ctx, row, brief=True)
