"""What pages draw: the header, headline cards, charts, indicator tables, status lists and
downloads.  Every figure and table comes ready from the service."""
from __future__ import annotations

from datetime import date

import pandas as pd
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


def download_buttons(frame: pd.DataFrame, stem: str, as_of: date, key: str, title: str,
                     notes: list[str] = ()) -> None:
    """CSV and XLSX of exactly this frame, built only when clicked; file names carry the date;
    `notes` (filters, position date) are written into both files above the table."""
    titles = [title, f"{L.UNIT_NAME} · {L.UI['as_of']} {L.fmt_date(as_of)}", *notes]
    row = st.container(horizontal=True)
    row.download_button(L.UI["download_csv"], data=lambda: to_csv_bytes(frame, titles if notes else ()),
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
    plotly_chart(service.figure(kind, ctx, component), kind, ctx.as_of)


def plotly_chart(fig, kind: str, as_of: date) -> None:
    st.plotly_chart(fig, width="stretch", theme=None, config=service.chart_config(kind, as_of))


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

    cards = [_card(L.UI["overall"], L.fmt_pct(result.overall_completion),
                   L.UI["overall_planned"].format(value=L.fmt_pct(result.overall_planned)), "#111827",
                   delta("overall", percent=True))]
    cards += [_card(s, str(counts[s]), L.UI["of_rows"].format(n=n), L.STATUS_COLORS[s], delta(s))
              for s in L.STATUS_ORDER]
    st.markdown("<div class='zi-kpis' style='display:grid;grid-template-columns:1.6fr repeat(5,1fr);gap:12px;"
                "margin-bottom:8px'>" + "".join(cards) + "</div>", unsafe_allow_html=True)
    if prev:
        st.caption(L.HISTORY["delta_note"].format(id=prev.id, date=L.fmt_date(prev.position_date)))


def _card(label: str, value: str, note: str, color: str, delta: str = "") -> str:
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
        table, hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 3, 938),
        column_order=[c for c in order if c in table.columns],
        column_config={
            "bar": st.column_config.ProgressColumn(L.UI["bar"], min_value=0, max_value=100,
                                                   format="%.0f%%", width="small"),
            "link": st.column_config.LinkColumn(L.UI["link"], display_text=L.UI["open_link"]),
            L.COL["action"]: st.column_config.TextColumn(width="large"),
            L.COL["indicator"]: st.column_config.TextColumn(width="medium"),
        })
