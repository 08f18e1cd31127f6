"""What pages draw: the header, headline cards, charts, indicator tables, status lists and
downloads.  Every figure and table comes ready from the service."""
from __future__ import annotations

import copy
import threading
import weakref
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import Context
from zi_dashboard.app.ui.common import esc
from zi_dashboard.outputs.exports import export_name, to_csv_bytes, to_xlsx_bytes

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page_header(title: str, ctx: Context) -> None:
    """The page title, and on one line: the as-of date, the data source, the component."""
    st.title(title)
    if ctx.data.is_example:
        badge = (f"<span style='background:#FFF4D6;color:#8a5a00;padding:1px 8px;border-radius:6px'>"
                 f"{esc(L.UI['example_badge'])}</span>")
    else:
        badge = (f"<span style='background:#E6F0FA;color:#0b4f8a;padding:1px 8px;border-radius:6px'>"
                 f"{esc(ctx.data.filename)}</span>")
    comp = ""
    if ctx.component:
        comp = " · " + esc(ctx.indicators()["component"].iloc[0])
    st.markdown(f"<div class='zi-source'><b>{esc(L.UI['as_of'])} {esc(L.fmt_date(ctx.as_of))}</b> · "
                f"{badge}{comp}</div>", unsafe_allow_html=True)


def download_buttons(frame: pd.DataFrame, stem: str, as_of: date, key: str, title: str) -> None:
    """CSV and XLSX of exactly this frame, built only when clicked; file names carry the date."""
    titles = [title, f"{L.UNIT_NAME} · {L.UI['as_of']} {L.fmt_date(as_of)}"]
    row = st.container(horizontal=True)
    row.download_button(L.UI["download_csv"], data=lambda: to_csv_bytes(frame),
                        file_name=export_name(stem, as_of, "csv"), mime="text/csv", key=f"{key}-csv",
                        icon=":material/download:", on_click="ignore")
    row.download_button(L.UI["download_xlsx"], data=lambda: to_xlsx_bytes(frame, title[:31], titles),
                        file_name=export_name(stem, as_of, "xlsx"), key=f"{key}-xlsx", mime=XLSX_MIME,
                        icon=":material/download:", on_click="ignore")


_LISTS = {  # kind -> (title, message when empty, message with the count, message style, file stem)
    "overdue": ("overdue_title", "overdue_none", "overdue_count", "error", "terlambat-zi"),
    "behind": ("behind_title", "behind_none", "behind_count", "warning", "tertinggal-zi"),
}


def status_list(kind: str, ctx: Context) -> None:
    """The overdue or the behind-schedule rows, with a sentence for the date and downloads."""
    title, none, count, style, stem = _LISTS[kind]
    when = L.fmt_date(ctx.as_of)
    st.subheader(L.UI[title])
    frame = service.status_table(kind, ctx)
    if frame.empty:
        st.success(L.UI[none].format(date=when))
        return
    getattr(st, style)(L.UI[count].format(n=len(frame), date=when))
    st.dataframe(frame, hide_index=True, width="stretch")
    download_buttons(frame, stem, ctx.as_of, kind, L.UI[title])


def component_drilldown(ctx: Context) -> None:
    """A way into one component: pick it, see its indicators (opened on demand)."""
    comps = ctx.result.components
    names = dict(zip(comps["code"], comps["name"], strict=True))
    with st.expander(L.UI["look_into"], icon=":material/list:", expanded=bool(ctx.component)):
        chosen = st.selectbox(L.UI["choose_component"], list(names), format_func=lambda c: f"{c}. {names[c]}",
                              index=list(names).index(ctx.component) if ctx.component else 0)
        indicator_dataframe(service.indicator_table_of(ctx, chosen))


def chart(kind: str, ctx: Context, component: str | None = None) -> None:
    """One of the dashboard's charts for this data and date (built once, then cached), with our
    own styling rather than Streamlit's theme, and PNG download at twice the resolution."""
    plotly_chart(_drawn(service.figure(kind, ctx, component)), kind, ctx.as_of)


def plotly_chart(fig, kind: str, as_of: date) -> None:
    st.plotly_chart(fig, width="stretch", theme=None, config=service.chart_config(kind, as_of))


# --- what every session would otherwise convert again ---------------------------------------
# The figures and tables pages show are built once per data and date (service.py) and the same
# objects reach every session; Streamlit converts them again for each session that draws them
# (a figure to a dict, a DataFrame to Arrow).  Kept here next to the object they came from, for
# as long as it lives (bench/bench_capacity.py: 30 viewers opening at once).
_KEPT_FORMS: dict[int, tuple[weakref.ref, object]] = {}
_KEPT_LOCK = threading.Lock()


def _kept_form(obj, make):
    """make(obj), made once for this very object (while it lives) and then given out as it is."""
    key = id(obj)
    got = _KEPT_FORMS.get(key)
    if got is not None and got[0]() is obj:
        return got[1]
    form = make(obj)
    with _KEPT_LOCK:
        _KEPT_FORMS[key] = (weakref.ref(obj, lambda _, key=key: _KEPT_FORMS.pop(key, None)), form)
    return form


class _DrawnFigure(go.Figure):
    """A figure as st.plotly_chart sends it: st.plotly_chart asks a figure for its dict (a deep
    copy of it) in every session and only reads it; this one gives the same dict, made once."""

    def __init__(self, fig: go.Figure):
        kept = fig.to_dict()
        super().__init__(copy.deepcopy(kept))  # not from `fig`: that reorders the keys of fig's own dict
        self._zi_dict = kept
        for trace in self._zi_dict.get("data", []):
            trace.pop("uid", None)  # as plotly.io.to_json drops it (in place)

    def to_dict(self) -> dict:
        return self._zi_dict


def _drawn(fig: go.Figure) -> go.Figure:
    """For a figure the service keeps (not one made for a single run: that would cost more)."""
    return _kept_form(fig, _DrawnFigure) if isinstance(fig, go.Figure) else fig


def _arrow(table: pd.DataFrame):
    """The table as st.dataframe sends it (Streamlit's own conversion of a pandas DataFrame to
    Arrow, so the bytes sent are the same), made once per table object."""
    try:
        from streamlit.dataframe_util import convert_pandas_df_to_arrow_table
    except ImportError:  # another Streamlit: it converts the table itself
        return table
    return _kept_form(table, convert_pandas_df_to_arrow_table)


def _delta_text(value: float, percent: bool) -> str:
    if percent:
        return L.fmt_signed_pct(value)
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{-value}")


def headline(ctx: Context) -> None:
    """Overall completion against planned, and how many rows are in each status, with the
    change since the previous upload: one row of large cards, readable from the back of a
    meeting room."""
    result = ctx.result
    counts = result.status_counts
    n = len(result.indicators)
    deltas, prev = service.headline_deltas(ctx)

    def delta(key: str, percent: bool = False) -> str:
        if key not in deltas:
            return ""
        return (f"<span class='zi-delta' style='font-size:1.1rem;font-weight:600;margin-left:8px'>"
                f"{esc(_delta_text(deltas[key], percent))}</span>")

    cards = [card(L.UI["overall"], L.fmt_pct(result.overall_completion),
                   L.UI["overall_planned"].format(value=L.fmt_pct(result.overall_planned)), "#111827",
                   delta("overall", percent=True))]
    cards += [card(s, str(counts[s]), L.UI["of_rows"].format(n=n), L.STATUS_COLORS[s], delta(s))
              for s in L.STATUS_ORDER]
    st.markdown("<div class='zi-kpis' style='display:grid;grid-template-columns:1.6fr repeat(5,1fr);gap:12px;"
                "margin-bottom:8px'>" + "".join(cards) + "</div>", unsafe_allow_html=True)
    if prev:
        st.caption(L.HISTORY["delta_note"].format(id=prev.id, date=L.fmt_date(prev.position_date)))


def card(label: str, value: str, note: str, color: str, delta: str = "") -> str:
    """One headline card (HTML): a label, a large value in its colour, a note."""
    return (f"<div class='zi-kpi' style='border-left:8px solid {color};padding:6px 14px;background:#f9fafb;"
            f"border-radius:6px'><div style='font-size:1.15rem;font-weight:600;color:#374151'>{esc(label)}</div>"
            f"<div class='zi-kpi-value' style='font-size:clamp(1.9rem, 2.6vw, 2.9rem);font-weight:700;"
            f"line-height:1.1;color:{color}'>{esc(value)}{delta}</div>"
            f"<div style='font-size:1rem;color:#4b5563'>{esc(note)}</div></div>")


def indicator_dataframe(table: pd.DataFrame) -> None:
    """An indicator table with a progress bar, status, and links to evidence."""
    order = [L.COL[k] for k in ("code", "indicator", "progress")] + ["bar", L.COL["status"]] + [
        L.COL[k] for k in ("planned", "target_end", "days_overdue", "pic", "action", "component", "target")
    ] + ["link", L.COL["evidence"], L.COL["notes"]]
    if not table[L.COL["evidence"]].astype(bool).any():
        order.remove(L.COL["evidence"])
    st.dataframe(
        _arrow(table), hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 3, 938),
        column_order=[c for c in order if c in table.columns],
        column_config={
            "bar": st.column_config.ProgressColumn(L.UI["bar"], min_value=0, max_value=100,
                                                   format="%.0f%%", width="small"),
            "link": st.column_config.LinkColumn(L.UI["link"], display_text=L.UI["open_link"]),
            L.COL["action"]: st.column_config.TextColumn(width="large"),
            L.COL["indicator"]: st.column_config.TextColumn(width="medium"),
        })
