"""What pages show of the data in use: charts, the tables of Ringkasan and Tabel, Tabel's
filters (built once per data, date and choice, then kept)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.app.service.data import Context, Dataset, result_for
from zi_dashboard.app.service.workplans import unit_line
from zi_dashboard.outputs import charts, meeting_pack
from zi_dashboard.outputs.display import BEHIND_COLUMNS, OVERDUE_COLUMNS, display_table, filter_indicators, short_table
from zi_dashboard.outputs.exports import indicator_table
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.limits import visitor_text
from zi_dashboard.storage.records import Workplan

_CHARTS = {
    "components": lambda r, c: charts.component_chart(r),
    "status": lambda r, c: charts.status_chart(r),
    "timeline": charts.timeline_chart,
}


@cached(maxsize=64)
def _figure(kind: str, data: Dataset, as_of: date, component: str | None):
    return _CHARTS[kind](result_for(data, as_of), component)


def figure(kind: str, ctx: Context, component: str | None = None):
    """'components' / 'status' / 'timeline' for this data and date (built once, then kept)."""
    return _figure(kind, ctx.data, ctx.as_of, component)


def chart_config(kind: str, as_of: date, wp: Workplan | None = None) -> dict:
    """Plotly's options for a chart: no logo, no zoom or pan, PNG download at twice the size,
    named by the unit, year and date."""
    return {
        "displaylogo": False,
        "modeBarButtons": [["toImage"]],  # the PNG download only (its tip in Indonesian)
        "toImageButtonOptions": {
            "format": "png",
            "scale": 2,
            "filename": meeting_pack.chart_name(L.CHART_FILES[kind], as_of, unit_line(wp)),
        },
    }


@cached(maxsize=128)
def _indicator_table(data: Dataset, as_of: date, component: str | None) -> pd.DataFrame:
    ind = result_for(data, as_of).indicators
    return display_table(ind[ind["component_code"] == component] if component else ind)


def indicator_table_of(ctx: Context, component: str) -> pd.DataFrame:
    """The indicator table of one component, as the page shows it."""
    return _indicator_table(ctx.data, ctx.as_of, component)


@cached(maxsize=128)
def _status_table(kind: str, data: Dataset, as_of: date, component: str | None) -> pd.DataFrame:
    result = result_for(data, as_of)
    frame, columns = (result.overdue, OVERDUE_COLUMNS) if kind == "overdue" else (result.behind, BEHIND_COLUMNS)
    if component:
        frame = frame[frame["component_code"] == component]
    return short_table(frame, columns)


def status_table(kind: str, ctx: Context) -> pd.DataFrame:
    """The 'overdue' (worst first) or 'behind' rows of the chosen component, ready to show."""
    return _status_table(kind, ctx.data, ctx.as_of, ctx.component)


@cached(maxsize=128)
def _filtered(
    data: Dataset, as_of: date, component: str | None, statuses: tuple, pics: tuple, text: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    ind = result_for(data, as_of).indicators
    if component:
        ind = ind[ind["component_code"] == component]
    shown = filter_indicators(ind, statuses=list(statuses), pics=list(pics), text=text)
    return display_table(shown), indicator_table(shown)


def filtered_tables(ctx: Context, statuses: list[str], pics: list[str], text: str):
    """(table to show, table to download) of the rows passing the Tabel page's filters."""
    return _filtered(ctx.data, ctx.as_of, ctx.component, tuple(statuses), tuple(pics), visitor_text(text))


def filter_lines(ctx: Context, statuses: list[str], pics: list[str], text: str) -> list[str]:
    """What a filtered Tabel download holds, written into the file: the filters and the
    position date of the data."""
    U = L.UI
    parts, text = [], visitor_text(text)
    if ctx.component:
        names = ctx.plan.components.set_index("component_code")["component"]
        parts.append(f"{L.COL['component']} = {ctx.component} {names.get(ctx.component, '')}".strip())
    if statuses:
        parts.append(f"{U['filter_status']} = {', '.join(statuses)}")
    if pics:
        parts.append(f"{U['filter_pic']} = {', '.join(pics)}")
    if text.strip():
        parts.append(U["filter_text_line"].format(text=text.strip()))
    pos = ctx.data.position_date
    return [
        U["filters_line"].format(filters="; ".join(parts) if parts else U["filters_none"]),
        U["position"].format(date=L.fmt_date(pos)) if pos else U["no_position"],
    ]
