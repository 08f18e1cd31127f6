"""What pages draw: the header, headline cards, charts, indicator tables, status lists and
downloads.  Every figure and table comes ready from the service."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import Context
from zi_dashboard.app.ui.common import esc, md_escape
from zi_dashboard.app.ui.kept import arrow, once
from zi_dashboard.counting.readiness import PREDICATES
from zi_dashboard.counting.rows import indicator_rows
from zi_dashboard.outputs import charts
from zi_dashboard.outputs.exports import export_name, to_csv_bytes, to_plain_csv_bytes, to_xlsx_bytes
from zi_dashboard.outputs.readiness_out import shortfall_lines

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Layout for every page at every width: 1920 and 1366 wide screens, and a phone (390).
PAGE_CSS = """
<style>
/* the blocks that only carry a style or a script take no room */
[data-testid="stElementContainer"]:has(> [data-testid="stMarkdown"] style) { display: none; }
.zi-kpis { display: grid; grid-template-columns: 1.6fr repeat(5, minmax(0, 1fr)); gap: 12px; margin-bottom: 8px; }
.zi-kpi { border-left: 8px solid; padding: 6px 14px; background: #f9fafb; border-radius: 6px; min-width: 0; }
.zi-kpi-label { font-size: 1.15rem; font-weight: 600; color: #374151; white-space: nowrap; overflow: hidden;
                text-overflow: ellipsis; }
.zi-kpi-value { font-size: clamp(1.9rem, 2.6vw, 2.9rem); font-weight: 700; line-height: 1.1; white-space: nowrap; }
.zi-kpi-note { font-size: 1rem; color: #4b5563; }
.zi-chart-title { font-size: 1.35rem; font-weight: 700; color: #111827; margin: 0.4rem 0 0 0;
                  overflow-wrap: anywhere; }
.zi-tl-list, .zi-cards { display: none; }
.zi-tl-comp { font-weight: 700; margin: 14px 0 2px 0; }
.zi-tl-row { display: grid; grid-template-columns: 1fr auto; grid-template-areas: "name name" "bar pct" "meta late";
             column-gap: 10px; padding: 6px 0; border-bottom: 1px solid #e5e7eb; }
.zi-tl-name { grid-area: name; font-weight: 600; overflow-wrap: anywhere; }
.zi-tl-bar { grid-area: bar; position: relative; height: 14px; border-radius: 7px; align-self: center; }
.zi-tl-bar > span { display: block; height: 100%; border-radius: 7px; }
.zi-tl-bar > i { position: absolute; top: -4px; bottom: -4px; width: 3px; margin-left: -1px; background: #111827; }
.zi-tl-pct { grid-area: pct; font-weight: 700; text-align: right; }
.zi-tl-meta { grid-area: meta; font-size: 0.9rem; color: #374151; }
.zi-tl-late { grid-area: late; font-size: 0.9rem; font-weight: 700; color: #B34700; text-align: right; }
@media (max-width: 1599px) {
  .zi-kpis { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .zi-kpi-value { font-size: 2.5rem; }
}
@media (max-width: 700px) {
  .zi-kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .zi-kpis > .zi-kpi:first-child { grid-column: span 2; }
  .zi-kpi { padding: 4px 10px; border-left-width: 6px; }
  .zi-kpi-label { font-size: 1rem; }
  .zi-kpi-value { font-size: 2rem; }
  .zi-kpi-note { font-size: 0.85rem; }
  h1 { font-size: 2rem !important; }
  .st-key-zi-gantt { display: none !important; }
  .zi-tl-list { display: block; }
  [class*="st-key-zi-wide-"] { display: none !important; }
  .zi-cards { display: block; }
}
/* a wide table on a phone: one card per row, every column a line "Column: value" */
.zi-cards { margin: 0 0 12px 0; }
.zi-card { border: 1px solid #e5e7eb; border-left: 6px solid #6b7280; border-radius: 6px; padding: 8px 10px;
           margin: 0 0 8px 0; background: #fff; }
.zi-card-title { font-weight: 700; overflow-wrap: anywhere; margin-bottom: 2px; }
.zi-card-line { font-size: 0.95rem; color: #1f2937; overflow-wrap: anywhere; }
.zi-card-line b { font-weight: 600; color: #4b5563; }
</style>
"""

# Streamlit draws a few words of its own in English (date picker and its dd/mm/yyyy, file
# uploader, list boxes, the table toolbar and its tips, screen-reader labels such as "Help for …"):
# swap them for Indonesian as they appear.  Texts only where Streamlit draws its own words;
# attributes (aria-label, placeholder, title) anywhere, whole or by their English start only.
_TRANSLATE_JS = """
<script>
(() => {  // its own scope: other scripts of the page declare their own names
const doc = window.parent.document;
if (!doc.ziTranslate) {
  doc.ziTranslate = true;
  const pairs = %(pairs)s, prefixes = %(prefixes)s, monthsEn = %(months_en)s, months = %(months)s,
        days = %(days)s;
  const where = '[data-testid="stDateInputCalendar"], #stFloatingOverlayPortal, [data-baseweb="popover"], '
              + '[data-testid="stFileUploaderDropzone"], [data-testid="stDateInput"], [role="listbox"], .modebar, '
              + '.notifier-container, [data-testid="stElementToolbar"], [data-baseweb="tooltip"], '
              + '[data-testid="stTooltipContent"]';
  const monthOnly = new RegExp("^(" + monthsEn.join("|") + ")( [0-9]{4})?$");
  const swap = (text) => {
    let out = text;
    for (const [en, id] of pairs) {  // a phrase anywhere; a short word only as the whole text
      if (out.trim() === en) out = out.replace(en, id);
      else if (en.length > 7 && out.includes(en)) out = out.split(en).join(id);
    }
    if (monthOnly.test(out.trim()) || out.startsWith("Pilih tanggal")) {
      monthsEn.forEach((en, i) => { out = out.split(en).join(months[i]); });
    }
    return out;
  };
  const swapWhole = (text) => {  // an attribute: the whole text, or its English start
    const whole = pairs.find(([en]) => text.trim() === en);
    if (whole) return text.replace(whole[0], whole[1]);
    const start = prefixes.find(([en]) => text.startsWith(en));
    return start ? start[1] + text.slice(start[0].length) : text;
  };
  const fixNode = (node) => {
    const el = node.parentElement;
    if (!el || !el.closest(where)) return;
    const v = node.nodeValue, w = swap(v);
    if (w !== v) node.nodeValue = w;
  };
  const fixWeek = (root) => {
    for (const cal of root.querySelectorAll('[data-testid="stDateInputCalendar"]')) {
      for (const row of cal.querySelectorAll('thead tr')) {
        const cells = [...row.children];
        if (cells.length === 7 && cells.every((c) => /^[SMTWF]$/.test(c.textContent.trim()))) {
          cells.forEach((c, i) => { if (c.textContent.trim() !== days[i]) c.textContent = days[i]; });
        }
      }
    }
  };
  const fixAttrs = (root) => {
    for (const el of root.querySelectorAll('[aria-label], [placeholder], [title], .modebar [data-title]')) {
      const inside = el.closest(where);
      for (const name of ["aria-label", "data-title", "placeholder", "title"]) {
        const v = el.getAttribute(name), w = v && (inside ? swapWhole(swap(v)) : swapWhole(v));
        if (w !== v) el.setAttribute(name, w);
      }
    }
  };
  const fixAll = (root) => {
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fixNode(walker.currentNode);
    fixWeek(root);
    fixAttrs(root);
  };
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fixAll(doc.body); });
  }).observe(doc.body, {childList: true, subtree: true, characterData: true, attributes: true,
                        attributeFilter: ["data-title", "aria-label", "placeholder", "title"]});
  fixAll(doc.body);
}
})();
</script>
"""


def page_style() -> None:
    """The pages' layout at every width, and Indonesian in place of Streamlit's own English."""
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    st.html(
        _TRANSLATE_JS
        % {
            "pairs": json.dumps(L.BROWSER_TEXT),
            "prefixes": json.dumps(L.BROWSER_PREFIXES),
            "months_en": json.dumps(L.MONTHS_EN),
            "months": json.dumps(L.MONTHS),
            "days": json.dumps(L.WEEKDAYS_SHORT),
        },
        unsafe_allow_javascript=True,
    )


def page_header(title: str, ctx: Context) -> None:
    """The page title, and on one line: the as-of date, the data source, the component."""
    st.title(title)
    if ctx.data.is_example:
        badge = (
            f"<span style='background:#FFF4D6;color:#8a5a00;padding:1px 8px;border-radius:6px'>"
            f"{esc(L.UI['example_badge'])}</span>"
        )
    elif ctx.data.empty:
        badge = (
            f"<span style='background:#EEF2F7;color:#374151;padding:1px 8px;border-radius:6px'>"
            f"{esc(L.UNITS['empty_badge'])}</span>"
        )
    else:
        badge = (
            f"<span style='background:#E6F0FA;color:#0b4f8a;padding:1px 8px;border-radius:6px'>"
            f"{esc(ctx.data.filename)}</span>"
        )
    comp = ""
    if ctx.component:
        comp = " · " + esc(ctx.indicators()["component"].iloc[0])
    st.markdown(
        f"<div class='zi-source'><b>{esc(service.unit_line(ctx.workplan))}</b> · "
        f"<b>{esc(L.UI['as_of'])} {esc(L.fmt_date(ctx.as_of))}</b> · "
        f"{badge}{comp}</div>",
        unsafe_allow_html=True,
    )


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
    """A way into one component: pick it, see its indicators (opened on demand)."""
    comps = ctx.result.components
    names = dict(zip(comps["code"], comps["name"], strict=True))
    with st.expander(L.UI["look_into"], icon=":material/list:", expanded=bool(ctx.component)):
        chosen = st.selectbox(
            L.UI["choose_component"],
            list(names),
            format_func=lambda c: f"{c}. {names[c]}",
            index=list(names).index(ctx.component) if ctx.component else 0,
        )
        indicator_dataframe(service.indicator_table_of(ctx, chosen))


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


# --- table editors: a forged edit is refused by its size before Streamlit applies it -------------
_EDITOR_ROUND = "_zi_editor_round"
EDITOR_MAX_CHARS = 200  # a cell as typed: far more than any value these tables take


def editor_state_problem(
    state: object, rows: int, editable: list[str], max_rows: int, max_chars: int = EDITOR_MAX_CHARS
) -> str | None:
    """What is wrong with a table editor's state as the browser sent it (None: fine).  Sizes are
    checked first, each in one pass: a state that would make the table longer than `max_rows`,
    edit a row that is not there, a column that may not be edited, or a cell longer than
    `max_chars` is refused whole.  (Streamlit adds rows one at a time at a cost that grows with
    the table: bounded here by `max_rows`.)"""
    if state is None:
        return None
    if not isinstance(state, dict):
        return L.msg("editor_forged", what=type(state).__name__)
    edited, added, deleted = (state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
    edited, added, deleted = edited or {}, added or [], deleted or []
    if not (isinstance(edited, dict) and isinstance(added, list) and isinstance(deleted, list)):
        return L.msg("editor_forged", what="type")
    if len(added) > max_rows - rows or len(deleted) > rows or len(edited) > max_rows:
        return L.msg("editor_too_big", added=len(added), edited=len(edited), deleted=len(deleted), limit=max_rows)
    if any(not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < rows for i in deleted):
        return L.msg("editor_forged", what="deleted_rows")
    cells = _edited_cells(edited, added, rows, editable)
    if isinstance(cells, str):
        return cells
    for value in cells:
        if not (value is None or isinstance(value, (str, int, float, bool))) or len(str(value)) > max_chars:
            return L.msg("editor_cell_too_long", limit=max_chars)
    return None


def _edited_cells(edited: dict, added: list, rows: int, editable: list[str]) -> list | str:
    """Every cell value an editor state sets, or what is forged about it."""
    cells: list = []
    for i, change in edited.items():
        if (
            not isinstance(i, int)
            or not 0 <= i < rows + len(added)
            or not isinstance(change, dict)
            or any(c not in editable for c in change)
        ):
            return L.msg("editor_forged", what="edited_rows")
        cells += change.values()
    for row in added:
        if not isinstance(row, dict) or len(row) > len(editable) + 1:
            return L.msg("editor_forged", what="added_rows")
        cells += row.values()
    return cells


def table_editor(
    frame: pd.DataFrame, key: str, editable: list[str], max_rows: int | None = None, **kwargs
) -> pd.DataFrame:
    """st.data_editor whose state is checked before Streamlit applies it (editor_state_problem;
    max_rows: the most rows the table may have, its own length when rows are fixed).  A refused
    state is dropped with a message, and the table is drawn afresh, as it was."""
    max_rows = len(frame) if max_rows is None else max_rows
    base = f"{key}-{st.session_state.get(_EDITOR_ROUND, 0)}"
    try:
        state = st.session_state.get(base)
    except Exception:  # noqa: BLE001 (a state that cannot even be read is refused like a forged one)
        state = object()
    problem = editor_state_problem(state, len(frame), editable, max_rows)
    if problem:
        st.error(problem)
        st.session_state[_EDITOR_ROUND] = st.session_state.get(_EDITOR_ROUND, 0) + 1
        base = f"{key}-{st.session_state[_EDITOR_ROUND]}"
    disabled = [c for c in frame.columns if c not in editable]
    return st.data_editor(
        frame, key=base, disabled=disabled, num_rows="fixed" if max_rows == len(frame) else "dynamic", **kwargs
    )


def picked_row(picked, n: int) -> int | None:
    """The one row chosen in a single-row table selection of `n` rows, as the browser sent it;
    None for no choice or a forged one (row 10**9, -1, a text, several rows)."""
    rows = picked.selection.rows if picked is not None else []
    if len(rows) != 1:
        return None
    row = rows[0]
    return row if isinstance(row, int) and not isinstance(row, bool) and 0 <= row < n else None


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
