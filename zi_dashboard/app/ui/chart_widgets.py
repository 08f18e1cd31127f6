"""Charts as pages draw them: the dashboard's charts (kept by the service, styled our way, the
title as page text) and the timeline as a list for a phone and Mode rapat."""

from __future__ import annotations

import copy
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import Context
from zi_dashboard.app.ui.common import esc
from zi_dashboard.app.ui.kept import once
from zi_dashboard.counting.rows import indicator_rows
from zi_dashboard.outputs import charts


def chart(kind: str, ctx: Context, component: str | None = None) -> None:
    """One of the dashboard's charts for this data and date (built once, then cached), with our
    own styling rather than Streamlit's theme.  The timeline is a list on a phone."""
    if kind == "timeline":
        plotly_chart(service.figure(kind, ctx, component), kind, ctx.as_of, ctx.workplan, key="zi-gantt", kept=True)
        timeline_list(ctx, component)
    else:
        plotly_chart(service.figure(kind, ctx, component), kind, ctx.as_of, ctx.workplan, kept=True)


def timeline_list(ctx: Context, component: str | None = None, meeting: bool = False) -> None:
    """The timeline as a list, one line per plan row: name, a bar in the status colour with the
    planned share marked, the %, the target's end and days late (a phone; Mode rapat)."""
    ind = ctx.result.indicators
    if component:
        ind = ind[ind["component_code"] == component]
    parts: list[str] = []
    previous: str | None = None
    for r in indicator_rows(ind):
        if r.component_code != previous:
            parts.append(f"<div class='zi-tl-comp'>{esc(r.component_code)}. {esc(r.component)}</div>")
            previous = r.component_code
        color = L.STATUS_COLORS[r.status]
        late = L.UI["days_late"].format(n=r.days_overdue) if r.days_overdue > 0 else ""
        meta = L.UI["timeline_row_meta"].format(status=r.status, end=L.fmt_date(r.target_end))
        done, planned = min(max(r.progress, 0), 100), min(max(r.planned, 0), 100)
        parts.append(
            f"<div class='zi-tl-row'><div class='zi-tl-name'>{esc(r.code)} {esc(r.indicator)}</div>"
            f"<div class='zi-tl-bar' style='background:{color}40'><span style='width:{done:.1f}%;"
            f"background:{color}'></span><i style='left:{planned:.1f}%'></i></div>"
            f"<div class='zi-tl-pct'>{esc(L.fmt_pct(r.progress, 0))}</div>"
            f"<div class='zi-tl-meta'>{esc(meta)}</div><div class='zi-tl-late'>{esc(late)}</div></div>"
        )
    css = "zi-tl-list zi-tl-meeting" if meeting else "zi-tl-list"
    st.markdown(f"<div class='{css}'>" + "".join(parts) + "</div>", unsafe_allow_html=True)


def plotly_chart(
    fig, kind: str, as_of: date, wp=None, key: str | None = None, toolbar: bool = True, kept: bool = False
) -> None:
    """A chart with its title as page text (it wraps on a phone; plotly's own does not).
    `kept`: the figure is one the service keeps and hands to every session (its page form is
    then made once, not on every run)."""
    title = fig.layout.title.text
    if title:
        st.markdown(f"<div class='zi-chart-title'>{title}</div>", unsafe_allow_html=True)  # escaped when built
        fig = once(page_form, fig, kind) if kept else page_form(fig, kind)
    config = service.chart_config(kind, as_of, wp)
    if not toolbar:
        config["displayModeBar"] = False
    with st.container(key=key):
        st.plotly_chart(fig, width="stretch", theme=None, config=config)


def page_form(fig: go.Figure, kind: str) -> go.Figure:
    """A titled figure as a page draws it: a new figure (the given one may be shared by every
    session, and plotly's go.Figure(figure) changes the figure it copies), its title left to
    the page, sized for it."""
    drawn = charts.resize(
        go.Figure(copy.deepcopy(fig.to_dict())), fig.layout.height, legend_below=kind == "timeline", title=False
    )
    return drawn.update_layout(margin=dict(t=80 if kind != "timeline" else 60))
