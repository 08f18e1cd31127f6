"""Semua Satker (the province view): every unit of a year at the sidebar's as-of date (none
chosen: each unit at the date its data describes), as
headline cards, a units x components matrix, and the ranking table with filters, downloads
and a way into each unit's Ringkasan."""

from __future__ import annotations

from datetime import date

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import province, service
from zi_dashboard.app.service import Workplan
from zi_dashboard.app.ui.common import esc, md_escape
from zi_dashboard.app.ui.kept import arrow, once
from zi_dashboard.app.ui.lke_compare import review_columns, review_notes
from zi_dashboard.app.ui.sidebar import province_sidebar
from zi_dashboard.app.ui.table_input import picked_row
from zi_dashboard.app.ui.widgets import card, download_buttons
from zi_dashboard.outputs import portfolio_out as po
from zi_dashboard.outputs.lke_compare_out import province_shown

P = L.PROVINCE
PAGE_PATH = "provinsi"
_CHOICE = "_zi_province_choice"  # (year, as_of), left by app.py for the page that runs next

PROVINCE_CSS = """
<style>
.zi-prov-kpis { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin-bottom: 8px; }
@media (max-width: 900px) { .zi-prov-kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; } }
.zi-prov-kpis .zi-kpi-value { font-size: clamp(1.8rem, 2.4vw, 2.6rem); }
</style>
"""


def shown(units: list[str] | None = None) -> bool:
    """The page is in the menu only when there are several units."""
    return len(service.units() if units is None else units) > 1


def province_context(wp: Workplan) -> tuple[int, date | None]:
    """app.py: draw the province sidebar and leave its choice for the page."""
    choice = province_sidebar(wp)
    st.session_state[_CHOICE] = choice
    return choice


def left_choice() -> tuple[int, date | None] | None:
    """The year and as-of date the router (ui.router) left for this run, taken once."""
    return st.session_state.pop(_CHOICE, None)


def page(year: int, given: date | None) -> None:
    """Semua Satker for the year and as-of date the router left (ui.router.province_choice)."""
    if not shown():  # an address kept from when there were several units, or typed: say why, and the way on
        st.title(P["page"])
        st.info(L.FIGURES["province_one"].format(unit=service.home().unit))
        st.page_link("pages/ringkasan.py", label=L.FIGURES["province_one_link"], icon=":material/dashboard:")
        return
    pf = province.portfolio(year, given)
    units, as_of = pf.units, pf.as_of
    st.markdown(PROVINCE_CSS + po.MATRIX_CSS, unsafe_allow_html=True)
    st.title(P["page"])
    line = P["header_each" if pf.per_unit else "header"].format(
        year=year, as_of=L.UI["as_of"], date=L.fmt_date(as_of), n=len(units)
    )
    st.markdown(f"<div class='zi-source'><b>{esc(line)}</b></div>", unsafe_allow_html=True)
    headline(units)
    missing = units.loc[~units["has_plan"].astype(bool), "unit"].tolist()
    if missing:
        st.warning(P["no_plan_list"].format(year=year, names=md_escape(po.names_line(missing))))

    text, chosen, stale_only = filters()
    shown_units = once(po.filter_units, units, text, tuple(chosen), stale_only)
    if len(shown_units) < len(units):
        st.caption(P["filtered"].format(shown=len(shown_units), n=len(units)))
    if shown_units.empty:
        st.info(P["nothing"])
        return
    matrix(shown_units, pf.cells)
    notes = po.filter_note(text, chosen, stale_only) + ([line] if pf.per_unit else [])  # whose dates, in the file
    ranking(shown_units, year, as_of, notes)


def headline(units) -> None:
    """Four cards: units with a plan, the mean completion, units with overdue rows, units not updated."""
    planned = units[units["has_plan"].astype(bool)]
    n = len(planned)
    mean = float(planned["overall_completion"].mean()) if n else 0.0
    mean_planned = float(planned["overall_planned"].mean()) if n else 0.0
    late_units = int((planned["overdue"] > 0).sum()) if n else 0
    late_rows = int(planned["overdue"].sum()) if n else 0
    stale = int(units["stale"].astype(bool).sum())
    cards = [
        card(P["kpi_units"], str(n), P["kpi_units_note"].format(n=len(units)), "#111827"),
        card(
            P["kpi_mean"],
            L.fmt_pct(mean),
            P["kpi_mean_note"].format(value=L.fmt_pct(mean_planned)),
            L.STATUS_COLORS[L.ON_TRACK],
        ),
        card(P["kpi_overdue"], str(late_units), P["kpi_overdue_note"].format(n=late_rows), L.STATUS_COLORS[L.OVERDUE]),
        card(
            P["kpi_stale"],
            str(stale),
            P["kpi_stale_note"].format(days=province.STALE_DAYS),
            L.STATUS_COLORS[L.BEHIND] if stale else L.STATUS_COLORS[L.DONE],
        ),
    ]
    st.markdown("<div class='zi-prov-kpis'>" + "".join(cards) + "</div>", unsafe_allow_html=True)


def filters() -> tuple[str, list[str], bool]:
    c1, c2, c3 = st.columns([2, 2, 1.2], vertical_alignment="bottom")
    text = c1.text_input(P["filter_text"], key="province_text", max_chars=120, help=P["filter_text_help"])
    chosen = c2.multiselect(
        P["filter_standing"],
        po.STANDINGS,
        key="province_standing",
        placeholder=L.UI["all"],
        format_func=lambda s: f"{po.MARKS[s]} {s}",
    )
    stale_only = c3.checkbox(P["filter_stale"], key="province_stale")
    return text, chosen, stale_only


def matrix(units, cells) -> None:
    """The units x components matrix, MATRIX_ROWS units at a time (in the table's order)."""
    st.subheader(P["matrix"])
    st.caption(P["matrix_note"].format(legend=po.legend()))
    n = len(units)
    lo = 0
    if n > po.MATRIX_ROWS:
        starts = list(range(0, n, po.MATRIX_ROWS))
        lo = st.selectbox(
            P["matrix_page"],
            starts,
            key="province_matrix_page",
            format_func=lambda s: P["matrix_rows"].format(lo=s + 1, hi=min(s + po.MATRIX_ROWS, n), n=n),
        )
    html, line = once(_matrix_html, units, cells, lo)
    st.markdown(html, unsafe_allow_html=True)
    st.caption(md_escape(line))


def _matrix_html(units, cells, lo: int) -> tuple[str, str]:
    """MATRIX_ROWS units from `lo` as the matrix's HTML, and the line naming the components."""
    comps = po.components_of(cells)
    return po.matrix_html(units.iloc[lo : lo + po.MATRIX_ROWS], cells, comps), po.components_line(comps)


def _shown_table(table, year: int) -> tuple:
    """The ranking table as the page shows it, and whether a word stands in place of a figure."""
    shown = province_shown(po.display_units(table, year))
    F = L.FIGURES
    words = shown[[P["col_last_upload"], P["col_readiness"]]].to_numpy().ravel().tolist()
    return shown, F["no_upload"] in words or F["no_assessment"] in words


def ranking(units, year: int, as_of: date, notes: list[str]) -> None:
    """Every filtered unit: rank, completion against planned, standing, overdue rows, readiness,
    last upload, stale flag; downloads of exactly these rows; a way into a unit's Ringkasan."""
    st.subheader(P["ranking"])
    st.caption(P["ranking_note"])
    table, late = review_columns(once(po.units_table, units), year)  # LKE totals (mandiri, TPI), review stage
    review_notes(late)
    shown_table, blanks = once(_shown_table, table, year)
    if blanks:
        st.caption(L.FIGURES["province_blanks"])  # what the words in place of a figure mean, said once
    picked = st.dataframe(
        arrow(shown_table),
        hide_index=True,
        width="stretch",
        key="province_table",
        on_select="rerun",
        selection_mode="single-row",
        height=min(35 * (len(shown_table) + 1) + 3, 738),
        column_config={
            P["col_unit"]: st.column_config.TextColumn(width=180, pinned=True),
            "bar": st.column_config.ProgressColumn(
                L.UI["bar"], min_value=0, max_value=100, format="%.0f%%", width="small"
            ),
            "link": st.column_config.LinkColumn(P["col_link"], display_text=P["open"]),
        },
    )
    row = picked_row(picked, len(table))
    if row is not None:
        unit = str(table[P["col_unit"]].iloc[row])
        st.page_link(
            "pages/ringkasan.py",
            label=P["open_unit"].format(unit=unit, year=year),
            icon=":material/dashboard:",
            query_params={"satker": service.unit_key(unit), "tahun": str(year)},
        )
    else:
        st.caption(P["pick_row"])
    download_buttons(
        table,
        P["file_stem"].format(year=year),
        as_of,
        "province",
        P["file_title"].format(year=year),
        notes=notes,
        unit=P["sidebar_line"],
        owner=False,
    )
