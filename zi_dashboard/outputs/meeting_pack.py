"""The meeting pack: one self-contained HTML report (opens with no network, prints to A4
landscape) and one Excel workbook, from the same figures the pages show."""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.io as pio
from openpyxl import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from plotly.offline import get_plotlyjs

from zi_dashboard import labels as L
from zi_dashboard.counting import history
from zi_dashboard.counting.lke_compare import Comparison
from zi_dashboard.counting.lke_score import LkeScore
from zi_dashboard.counting.metrics import Result
from zi_dashboard.counting.readiness import Readiness
from zi_dashboard.outputs import charts, lke_compare_out, lke_meeting, readiness_out, readiness_pack
from zi_dashboard.outputs.display import OVERDUE_COLUMNS, short_table
from zi_dashboard.outputs.exports import (
    component_table,
    file_owner,
    indicator_table,
    put_text,
    sheet_title,
    write_sheet,
)
from zi_dashboard.reading.caching import cached

R = L.REPORT


@dataclass(frozen=True)
class Meeting:
    """Everything a meeting report shows."""

    result: Result  # the data in use at the as-of date
    source: str  # where the data comes from (file name or "Data contoh")
    position_date: date | None
    previous: Result | None = None  # the previous upload at its own position date
    previous_label: str = ""  # history.since_previous_note
    readiness: Readiness | None = None  # Kesiapan WBK/WBBM (counting.readiness), when known
    unit: str = field(kw_only=True)  # whose data: the unit and year (service.unit_line)
    current: Result | None = None  # the upload in use at its own position date (None: result)
    lke: LkeScore | None = None  # the score from LKE answers, when answers are saved
    lke_source: str = ""  # which answer set (app.lke.set_label)
    tpi: Comparison | None = None  # Mandiri vs TPI, when the TPI's answers are saved
    tpi_source: str = ""  # which answer sets (app.lke_compare.InUse.source)
    tpi_stage: str = ""  # the review's stage and deadline, in a line (app.lke_compare.InUse.stage_line)

    @property
    def as_of(self) -> date:
        return self.result.as_of

    @property
    def since(self) -> history.SincePrevious | None:
        """The change since the previous upload (one rule: history.SincePrevious)."""
        if self.previous is None:
            return None
        return history.SincePrevious(self.previous, self.current or self.result)

    def changes(self) -> pd.DataFrame | None:
        return self.since.moved() if self.since else None


def title(m: Meeting) -> str:
    return R["title"].format(unit=m.unit, date=L.fmt_date(m.as_of))


# --- HTML -------------------------------------------------------------------------------
_CSS = """
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: #111827;
       margin: 0; padding: 16px 24px; background: #fff; }
header.report { border-bottom: 3px solid #0072B2; margin-bottom: 12px; padding-bottom: 6px; }
header.report h1 { font-size: 24px; margin: 0 0 4px 0; }
header.report p { margin: 0; color: #374151; font-size: 14px; }
section { margin: 0 0 18px 0; break-inside: avoid; page-break-inside: avoid; }
section + section { break-before: page; page-break-before: always; }
h2 { font-size: 20px; margin: 6px 0 10px 0; color: #0b3b66; }
.kpis { display: grid; grid-template-columns: 1.6fr repeat(5, 1fr); gap: 10px; }
.kpi { border-left: 8px solid #111827; background: #f9fafb; padding: 8px 12px; border-radius: 6px; }
.kpi .label { font-weight: 600; font-size: 15px; }
.kpi .value { font-size: 36px; font-weight: 700; line-height: 1.15; white-space: nowrap; }
.kpi .note { font-size: 13px; color: #4b5563; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #d1d5db; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #1F3864; color: #fff; }
td.num { text-align: right; white-space: nowrap; }
table.compact { font-size: 11px; }
table.compact th, table.compact td { padding: 2px 5px; }
.status { color: #fff; font-weight: 600; padding: 1px 6px; border-radius: 8px; white-space: nowrap; }
.chart { width: 100%; }
.muted { color: #4b5563; font-size: 13px; }
ul.how li { margin-bottom: 4px; font-size: 14px; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { padding: 0; }
  .modebar, .modebar-container { display: none !important; }
  header.report { margin-bottom: 6px; }
}
"""


def _e(text) -> str:
    return html.escape(str(text))


def _status_chip(status: str) -> str:
    color = L.STATUS_COLORS.get(status, "#6b7280")
    return f"<span class='status' style='background:{color}'>{_e(status)}</span>" if status else ""


def _table(
    frame: pd.DataFrame, status_cols: tuple[str, ...] = (), num_cols: tuple[str, ...] = (), compact: bool = False
) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for c, v in zip(frame.columns, row, strict=False):
            if c in status_cols:
                cells.append(f"<td>{_status_chip(v)}</td>")
            elif c in num_cols:
                cells.append(f"<td class='num'>{_e(v)}</td>")
            else:
                cells.append(f"<td>{_e(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cls = " class='compact'" if compact else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure_html(fig, name: str, width: int, height: int, post_script: str | None = None) -> str:
    fig = charts.resize(
        fig, height, legend_below=name.startswith(R["chart_file"].split("{")[0] + "linimasa"), title=False
    ).update_layout(width=width)
    config = {
        "displaylogo": False,
        "responsive": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": name},
    }
    return (
        f"<div class='chart' data-chart='{_e(name)}'>"
        + pio.to_html(
            fig, full_html=False, include_plotlyjs=False, config=config, div_id=f"chart-{name}", post_script=post_script
        )
        + "</div>"
    )


A4_CHART_PX = 660  # the height a chart may take on an A4 landscape page, under the section's title

# the full text of a shortened row label as its tooltip (an SVG <title>), after every redraw
_FULL_LABELS_JS = """(function () {
  var gd = document.getElementById('{plot_id}'), full = {};
  function text(html) { return new DOMParser().parseFromString(html, 'text/html').body.textContent; }
  %s.forEach(function (pair) { full[text(pair[0])] = text(pair[1]); });
  function titles() {
    gd.querySelectorAll('.ytick text').forEach(function (t) {
      var text = full[t.textContent];
      if (!text || t.querySelector('title')) return;
      var tip = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      tip.textContent = text; t.appendChild(tip); t.style.pointerEvents = 'all';
    });
  }
  titles(); gd.on('plotly_afterplot', titles);
})();"""


def timeline_html(m: Meeting) -> str:
    """The report's timeline: one line a row (shortened, the full text on hover), as tall as
    its rows need, scaled down on paper to fit one A4 page where it can be read there."""
    fig = charts.timeline_chart(m.result, compact=True)
    height = int(fig.layout.height)
    full = [[_e(k), _e(v)] for k, v in charts.timeline_full_labels(m.result).items() if k != v]
    script = _FULL_LABELS_JS % json.dumps(full)  # texts from the plan escaped, read back as text
    chart = _figure_html(fig, chart_name("linimasa", m.as_of, m.unit), 1060, height, script)
    zoom = min(1.0, A4_CHART_PX / height)
    fit = (
        f"#linimasa .chart {{ zoom: {zoom:.3f}; }}"
        if zoom >= 0.7  # 12 px labels print at 8.4 px or more
        else "#linimasa { break-inside: auto; page-break-inside: auto; }"
    )
    return f"<style>@media print {{ {fit} }}</style>{chart}"


def headline_html(m: Meeting) -> str:
    r = m.result
    counts = r.status_counts
    n = len(r.indicators)
    deltas = m.since.deltas() if m.since else {}

    def delta(key, pct=False):
        if key not in deltas:
            return ""
        v = deltas[key]
        text = L.fmt_signed_pct(v) if pct else L.fmt_signed_count(v)
        return f" <span class='delta' style='font-size:14px'>{_e(text)}</span>"

    cards = [
        f"<div class='kpi' data-kpi='overall'><div class='label'>{_e(L.UI['overall'])}</div>"
        f"<div class='value'>{_e(L.fmt_pct(r.overall_completion))}{delta('overall', True)}</div>"
        f"<div class='note'>{_e(L.UI['overall_planned'].format(value=L.fmt_pct(r.overall_planned)))}</div></div>"
    ]
    for s in L.STATUS_ORDER:
        cards.append(
            f"<div class='kpi' data-kpi='{_e(s)}' style='border-left-color:{L.STATUS_COLORS[s]}'>"
            f"<div class='label'>{_e(s)}</div><div class='value' style='color:{L.STATUS_COLORS[s]}'>"
            f"{counts[s]}{delta(s)}</div><div class='note'>{_e(L.UI['of_rows'].format(n=n))}</div></div>"
        )
    note = f"<p class='muted'>{_e(m.previous_label)}</p>" if m.previous_label else ""
    return f"<div class='kpis'>{''.join(cards)}</div>{note}"


def build_html(m: Meeting) -> bytes:
    """One self-contained HTML file: plotly.js inside, no external fonts, scripts or images."""
    bundle = _plotly_bundle()
    when = L.fmt_date(m.as_of)
    sections = []
    comps = component_table(m.result)
    for c in (L.COL["completion"], L.COL["planned"]):
        comps[c] = comps[c].map(L.fmt_pct)
    sections.append(
        f"<section id='ringkasan'><h2>{_e(R['headline'])}</h2>{headline_html(m)}"
        f"<p></p>{_table(comps, num_cols=(L.COL['completion'], L.COL['planned']))}</section>"
    )
    components = charts.component_chart(m.result)
    sections.append(
        f"<section id='komponen'><h2>{_e(R['components'])}</h2>"
        f"{_figure_html(components, chart_name('komponen', m.as_of, m.unit), 1060, 640)}"
        "</section>"
    )
    sections.append(f"<section id='linimasa'><h2>{_e(R['timeline'])}</h2>{timeline_html(m)}</section>")
    overdue = short_table(m.result.overdue, OVERDUE_COLUMNS)
    body = (
        _table(overdue, num_cols=(L.COL["days_overdue"],))
        if len(overdue)
        else f"<p>{_e(L.UI['overdue_none'].format(date=when))}</p>"
    )
    sections.append(f"<section id='terlambat'><h2>{_e(R['overdue'])}</h2>{body}</section>")
    if m.readiness is not None:
        chart = _figure_html(readiness_out.area_chart(m.readiness), chart_name("kesiapan", m.as_of, m.unit), 700, 560)
        sections.append(readiness_pack.html_section(m.readiness, chart))
        if m.lke is not None:  # the score from answers beside that forecast
            sections.append(lke_meeting.html_section(m.lke, m.readiness, m.lke_source))
    if m.tpi is not None:  # the unit's score beside the TPI's
        sections.append(lke_compare_out.html_section(m.tpi, m.tpi_source, m.tpi_stage))
    changes = m.changes()
    if changes is None:
        body = f"<p>{_e(R['no_previous'])}</p>"
    elif changes.empty:
        body = f"<p>{_e(R['no_changes'])}</p>"
    else:
        t = history.changes_table(changes, for_display=True).drop(
            columns=[L.DIFF["notes_before"], L.DIFF["notes_after"]]
        )
        compact = len(t) > 12
        body = f"<p class='muted'>{_e(m.previous_label)}</p>" + _table(
            t,
            status_cols=(L.DIFF["status_before"], L.DIFF["status_after"]),
            num_cols=(L.DIFF["before"], L.DIFF["after"], L.DIFF["change"]),
            compact=compact,
        )
    sections.append(f"<section id='perubahan'><h2>{_e(R['changes'])}</h2>{body}</section>")
    how = "".join(
        f"<li>{_e(line.lstrip('- ').replace('**', ''))}</li>"
        for line in L.UI["how_counted_text"].format(n=len(m.result.indicators)).split("\n")
        if line.strip()
    )
    sections.append(
        f"<section id='cara-menghitung'><h2>{_e(L.UI['how_counted'])}</h2><ul class='how'>{how}</ul></section>"
    )
    source = R["source"].format(source=m.source, position=L.fmt_date(m.position_date) if m.position_date else "–")
    doc = (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{_e(title(m))}</title>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{_CSS}</style>"
        f"<script type='text/javascript'>{bundle}</script></head><body>"
        f"<header class='report'><h1>{_e(title(m))}</h1><p>{_e(source)}</p></header>"
        f"{''.join(sections)}</body></html>"
    )
    return doc.encode("utf-8")


@cached(maxsize=1, max_bytes=16 * 1024 * 1024)
def _plotly_bundle() -> str:
    """plotly.js (some 5 MB) as it can stand inside a <script> of the report: read once."""
    return get_plotlyjs().replace("</script", "<\\/script")


def chart_name(chart: str, as_of: date, unit_line: str = "") -> str:
    """The file name of a chart's PNG: Indonesian, with the chart, whose data and the position date."""
    owner = file_owner(unit_line) if unit_line else ""
    return R["chart_file"].format(chart="-".join(p for p in (chart, owner) if p), date=as_of.isoformat())


# --- Excel ------------------------------------------------------------------------------
def build_xlsx(m: Meeting) -> bytes:
    """Sheets Ringkasan, one per component, Terlambat, Semua Data, Perubahan; for printing."""
    wb = Workbook()
    when = L.fmt_date(m.as_of)
    header = f"{m.unit} · {L.UI['as_of']} {when}"
    head = [
        title(m),
        R["source"].format(source=m.source, position=L.fmt_date(m.position_date) if m.position_date else "–"),
    ]
    r = m.result

    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = R["sheet_summary"]
    counts = r.status_counts
    summary = pd.DataFrame(
        {
            R["figure"]: [L.UI["overall"], L.UI["planned"] + " (%)"] + L.STATUS_ORDER,
            R["value"]: [round(r.overall_completion, 1), round(r.overall_planned, 1)]  # percent: see below
            + [counts[s] for s in L.STATUS_ORDER],
        }
    )
    if m.since:  # the change since the previous upload, written as every page writes it
        deltas = m.since.deltas()
        summary[L.SINCE_PREVIOUS["column"]] = [L.fmt_signed_pct(deltas["overall"]), ""] + [
            L.fmt_signed_count(deltas[s]) for s in L.STATUS_ORDER
        ]
    lines = head + ([m.previous_label] if m.since else [])
    write_sheet(ws, summary, lines)
    for row in (len(lines) + 3, len(lines) + 4):  # overall and planned: 0.496 shown 49,6%, as on every sheet
        cell = ws.cell(row=row, column=2)
        assert isinstance(cell.value, (int, float))  # write_sheet wrote the figure as a number
        cell.value = float(cell.value) / 100.0
        cell.number_format = "0.0%"
    start = ws.max_row + 2
    comp = component_table(r)
    _write_below(ws, comp, start)
    _print_setup(ws, header)

    fixed = [R["sheet_overdue"], R["sheet_all"], R["sheet_changes"]]  # titles the pack adds after these
    for code, name in zip(r.components["code"], r.components["name"], strict=False):
        sheet = wb.create_sheet(sheet_title(f"{code} {name}", wb.sheetnames + fixed))
        ind = r.indicators[r.indicators["component_code"] == code]
        write_sheet(sheet, indicator_table(ind), head + [f"{code}. {name}"], status_column=L.COL["status"])
        _print_setup(sheet, header)

    sheet = wb.create_sheet(R["sheet_overdue"])
    write_sheet(
        sheet,
        indicator_table(
            r.overdue, ["code", "indicator", "component", "days_overdue", "progress", "target_end", "pic", "notes"]
        ),
        head + [R["overdue"]],
    )
    _print_setup(sheet, header)

    if m.readiness is not None:
        _readiness_sheet(wb.create_sheet(L.READY_REPORT["sheet"]), m.readiness, head, header)
        if m.lke is not None:  # the score from answers beside that forecast
            sheet = wb.create_sheet(L.LKE_MEETING["sheet"])
            write_sheet(
                sheet,
                lke_meeting.answers_frame(m.lke, m.readiness),
                head + [lke_meeting.headline(m.lke, m.lke_source), L.LKE_PAGE["compare_caption"]],
            )
            _print_setup(sheet, header)
    if m.tpi is not None:  # the unit's score beside the TPI's: each table under its title
        _frames_sheet(
            wb.create_sheet(L.LKE_COMPARE["sheet"]),
            lke_compare_out.sheet_frames(m.tpi),
            head + [m.tpi_stage, lke_compare_out.headline(m.tpi), lke_compare_out.reviewed_line(m.tpi)],
            header,
        )

    sheet = wb.create_sheet(R["sheet_all"])
    write_sheet(sheet, indicator_table(r.indicators), head, status_column=L.COL["status"])
    _print_setup(sheet, header)

    sheet = wb.create_sheet(R["sheet_changes"])
    changes = m.changes()
    if changes is None or changes.empty:
        write_sheet(sheet, pd.DataFrame({R["note"]: [R["no_previous"] if changes is None else R["no_changes"]]}), head)
    else:
        write_sheet(sheet, history.changes_table(changes), head + [m.previous_label])
    _print_setup(sheet, header)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _readiness_sheet(ws, r: Readiness, head: list[str], header: str) -> None:
    """Kesiapan: the figures, the areas, every gate, the open points, rows without evidence."""
    _frames_sheet(ws, readiness_pack.sheet_frames(r), head + [L.READY_REPORT["section"]], header)


def _frames_sheet(ws, frames: list[tuple[str, pd.DataFrame]], head: list[str], header: str) -> None:
    """Several tables on one sheet, each under its bold title."""
    from openpyxl.styles import Font

    first_title, first = frames[0]
    write_sheet(ws, first, head + [first_title])
    for title_text, frame in frames[1:]:
        start = ws.max_row + 2
        ws.cell(row=start, column=1, value=title_text).font = Font(bold=True)
        _write_below(ws, frame, start + 1)
    _print_setup(ws, header)


def _write_below(ws, frame: pd.DataFrame, start_row: int) -> None:
    """A second small table on a sheet (the per-component table under the summary)."""
    from openpyxl.styles import Font, PatternFill

    for j, name in enumerate(frame.columns, start=1):
        c = ws.cell(row=start_row, column=j)
        put_text(c, name)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="1F3864")
    for i, row in enumerate(frame.itertuples(index=False), start=start_row + 1):
        for j, v in enumerate(row, start=1):
            c = ws.cell(row=i, column=j)
            if isinstance(v, str):
                put_text(c, v)  # a name from the plan is text, never a formula
            else:
                c.value = v.item() if hasattr(v, "item") else v
            if frame.columns[j - 1] in (L.COL["completion"], L.COL["planned"]):
                c.value = float(v) / 100.0
                c.number_format = "0.0%"


def _print_setup(ws, header: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.oddHeader.center.text = header
    ws.oddFooter.right.text = "&P / &N"
    ws.print_title_rows = None
