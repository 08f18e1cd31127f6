"""What pages draw: headline cards, indicator tables (cards on a phone), status lists,
downloads and the predicates' shortfalls.  The page's look and title line are app/ui/page_head.py;
charts app/ui/chart_widgets.py; table editors and row picks app/ui/table_input.py.  Every figure
and table comes ready from the service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import Context
from zi_dashboard.app.ui.common import esc, md_escape
from zi_dashboard.app.ui.kept import arrow, once
from zi_dashboard.counting.readiness import PREDICATES
from zi_dashboard.outputs.exports import export_name, to_csv_bytes, to_plain_csv_bytes, to_xlsx_bytes
from zi_dashboard.outputs.readiness_out import shortfall_lines

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(
    frame: pd.DataFrame,
    stem: str,
    as_of: date,
    key: str,
    title: str,
    notes: Sequence[str] = (),
    *,
    unit: str,
    owner: bool = True,
) -> None:
    """CSV and XLSX of exactly this frame, built only when clicked; file names carry the unit and
    year (`owner`: unless the stem names them) and the date; `notes` (filters, position date) are
    written into both files above the table.  A plain CSV (the table alone, comma-separated) is
    for programs."""
    titles = [title, f"{unit} · {L.UI['as_of']} {L.fmt_date(as_of)}", *notes]
    named = unit if owner else ""
    row = st.container(horizontal=True)
    row.download_button(
        L.UI["download_csv"],
        data=lambda: to_csv_bytes(frame, titles if notes else ()),
        file_name=export_name(stem, as_of, "csv", named),
        mime="text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        L.UI["download_xlsx"],
        data=lambda: to_xlsx_bytes(frame, title[:31], titles),
        file_name=export_name(stem, as_of, "xlsx", named),
        key=f"{key}-xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        L.FILES["download_plain_csv"],
        data=lambda: to_plain_csv_bytes(frame),
        file_name=export_name(stem + L.FILES["plain_suffix"], as_of, "csv", named),
        mime="text/csv",
        key=f"{key}-plain-csv",
        icon=":material/data_object:",
        on_click="ignore",
        help=L.FILES["plain_csv_help"],
    )


_LISTS = {  # kind -> (title, message when empty, message with the count, message style, file stem, status)
    "overdue": ("overdue_title", "overdue_none", "overdue_count", "error", "terlambat-zi", L.OVERDUE),
    "behind": ("behind_title", "behind_none", "behind_count", "warning", "tertinggal-zi", L.BEHIND),
}


_NOT_A_LINE = {"bar", "link"}  # a table's helper columns: a bar drawn from a number, a clickable link


def _card_value(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def row_cards(
    frame: pd.DataFrame,
    title_columns: list[str] | tuple[str, ...],
    color_column: str | None = None,
    status: str | None = None,
) -> str:
    """A table as cards (HTML), for a phone: the title columns joined as the card's title, then
    every other column that has a value as a line "Column: value"; the left edge in the colour
    of the row's status (`color_column`) or of `status`.  Every text is escaped."""
    cards = []
    for row in frame.to_dict("records"):
        title = " ".join(_card_value(row.get(c)) for c in title_columns)
        color = L.STATUS_COLORS.get(_card_value(row.get(color_column)) if color_column else status or "", "#6b7280")
        lines = []
        for col, value in row.items():
            text = _card_value(value) or ("–" if col == L.COL["pic"] else "")  # who answers for it: always said
            if col in title_columns or col in _NOT_A_LINE or not text:
                continue
            if col == L.COL["days_overdue"] and text == "0":
                continue
            lines.append(f"<div class='zi-card-line'><b>{esc(str(col))}:</b> {esc(text)}</div>")
        link = _card_value(row.get("link"))
        if link:  # only http(s) reaches the link column (display.safe_link)
            lines.append(
                f"<div class='zi-card-line'><b>{esc(L.UI['link'])}:</b> <a href='{esc(link)}' "
                f"target='_blank' rel='noopener noreferrer'>{esc(L.UI['open_link'])}</a></div>"
            )
        cards.append(
            f"<div class='zi-card' style='border-left-color:{color}'>"
            f"<div class='zi-card-title'>{esc(title)}</div>{''.join(lines)}</div>"
        )
    return "<div class='zi-cards'>" + "".join(cards) + "</div>"


def wide_table(
    frame: pd.DataFrame,
    key: str,
    title_columns: list[str],
    color_column: str | None = None,
    status: str | None = None,
    cards: pd.DataFrame | None = None,
    static: bool = False,
    kept: bool = False,
    **dataframe_args,
) -> None:
    """A table on a wide screen, the same rows as cards on a phone (a table of many columns
    there shows two of them).  `cards`: the rows for the cards, when not `frame` itself;
    `static`: st.table (Mode rapat) rather than st.dataframe; `kept`: tables the service keeps
    (their Arrow form and cards are made once)."""
    with st.container(key=f"zi-wide-{key}"):
        if static:
            st.table(frame.set_index(title_columns[0]))
        else:
            st.dataframe(arrow(frame) if kept else frame, **dataframe_args)
    rows = frame if cards is None else cards
    html = (
        once(row_cards, rows, tuple(title_columns), color_column, status)
        if kept
        else row_cards(rows, title_columns, color_column, status)
    )
    st.markdown(html, unsafe_allow_html=True)


def status_list(kind: str, ctx: Context) -> None:
    """The overdue or the behind-schedule rows, with a sentence for the date and downloads."""
    title, none, count, style, stem, status = _LISTS[kind]
    when = L.fmt_date(ctx.as_of)
    st.subheader(L.UI[title])
    frame = service.status_table(kind, ctx)
    if frame.empty:
        st.success(L.UI[none].format(date=when))
        return
    getattr(st, style)(L.UI[count].format(n=len(frame), date=when))
    wide_table(
        frame, kind, [L.COL["code"], L.COL["indicator"]], status=status, kept=True, hide_index=True, width="stretch"
    )
    download_buttons(frame, stem, ctx.as_of, kind, L.UI[title], unit=service.unit_line(ctx.workplan))


def component_drilldown(ctx: Context) -> None:
    """A way into one component: pick it, see its indicators (opened on demand).  Its contents
    are drawn only while it is open: a closed one would still have the browser load and draw a
    table (the code of the table alone is larger than the rest of the page) beside the charts."""
    comps = ctx.result.components
    names = dict(zip(comps["code"], comps["name"], strict=True))
    box = st.expander(
        L.UI["look_into"], icon=":material/list:", expanded=bool(ctx.component), key="zi-drilldown", on_change="rerun"
    )
    if not box.open:
        return
    codes = list(names)
    kept = ctx.component or st.session_state.get(_DRILLED)
    with box:
        chosen = st.selectbox(
            L.UI["choose_component"],
            codes,
            format_func=lambda c: f"{c}. {names[c]}",
            index=codes.index(kept) if kept in codes else 0,
        )
        st.session_state[_DRILLED] = chosen  # the choice again when the box is opened again
        indicator_dataframe(service.indicator_table_of(ctx, chosen))


_DRILLED = "_zi_drilled_component"


def _delta_text(value: float, percent: bool) -> str:
    return L.fmt_signed_pct(value) if percent else L.fmt_signed_count(value)


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
        return (
            f"<span class='zi-delta' style='font-size:1.1rem;font-weight:600;margin-left:8px'>"
            f"{esc(_delta_text(deltas[key], percent))}</span>"
        )

    cards = [
        card(
            L.UI["overall"],
            L.fmt_pct(result.overall_completion),
            L.UI["overall_planned"].format(value=L.fmt_pct(result.overall_planned)),
            "#111827",
            delta("overall", percent=True),
        )
    ]
    cards += [
        card(s, str(counts[s]), L.UI["of_rows"].format(n=n), L.STATUS_COLORS[s], delta(s)) for s in L.STATUS_ORDER
    ]
    st.markdown("<div class='zi-kpis'>" + "".join(cards) + "</div>", unsafe_allow_html=True)
    if prev:
        st.caption(md_escape(service.since_previous_note(prev)))  # the file name shows as typed


def card(label: str, value: str, note: str, color: str, delta: str = "") -> str:
    """One headline card (HTML): a label, a large value in its colour, a note (styled by page_style)."""
    return (
        f"<div class='zi-kpi' style='border-left-color:{color}'><div class='zi-kpi-label'>{esc(label)}</div>"
        f"<div class='zi-kpi-value' style='color:{color}'>{esc(value)}{delta}</div>"
        f"<div class='zi-kpi-note'>{esc(note)}</div></div>"
    )


INDICATOR_PX = 290  # the longest names in one line at 1366; with the code, within a phone's width


def _only(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return table[list(columns)]


def indicator_dataframe(table: pd.DataFrame, key: str = "table") -> None:
    """An indicator table (one the service keeps) with a progress bar, status, and links to evidence."""
    order = (
        [L.COL[k] for k in ("code", "indicator", "progress")]
        + ["bar", L.COL["status"]]
        + [L.COL[k] for k in ("planned", "target_end", "days_overdue", "pic", "action", "component", "target")]
        + ["link", L.COL["evidence"], L.COL["notes"]]
    )
    if not table[L.COL["evidence"]].astype(bool).any():
        order.remove(L.COL["evidence"])
    columns = [c for c in order if c in table.columns]
    wide_table(
        table,
        key,
        [L.COL["code"], L.COL["indicator"]],
        L.COL["status"],
        cards=once(_only, table, tuple(columns)),
        kept=True,
        hide_index=True,
        width="stretch",
        height=min(35 * (len(table) + 1) + 3, 938),
        column_order=columns,
        column_config={
            "bar": st.column_config.ProgressColumn(
                L.UI["bar"], min_value=0, max_value=100, format="%.0f%%", width="small"
            ),
            "link": st.column_config.LinkColumn(L.UI["link"], display_text=L.UI["open_link"]),
            L.COL["action"]: st.column_config.TextColumn(width="large"),
            # pinned: the name stays in view however far the table scrolls sideways
            L.COL["indicator"]: st.column_config.TextColumn(width=INDICATOR_PX, pinned=True),
        },
    )


def shortfalls(r, missing_for: str, all_met: str) -> None:
    """What each predicate still misses, in plain words, in two columns (the forecast's or the
    score from answers': any result with gates)."""
    for col, p in zip(st.columns(2), PREDICATES, strict=True):
        lines = shortfall_lines(r, p)
        col.markdown(f"**{missing_for.format(name=p)}**")
        if lines:
            col.markdown("\n".join(f"- {md_escape(x)}" for x in lines))
        else:
            col.success(all_met.format(name=p))
