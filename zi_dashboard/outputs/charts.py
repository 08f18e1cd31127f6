"""Results -> plotly figures, legible on a projector, Indonesian throughout."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape

import pandas as pd
import plotly.graph_objects as go

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import Result

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=18, color="#1f2937")
ACTUAL_COLOR = "#0072B2"
PLANNED_COLOR = "#B4B4B4"
REPORT_LABEL = 44  # the most characters of a row label in the report's timeline (one line)
REPORT_ROW_PX = 18  # the height of a row there: a 12 px line with room above and below


def _base_layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        template="none",  # our own styling only: a figure a quarter of the size to send and draw
        height=height,
        font=FONT,
        separators=",.",
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin=dict(l=10, r=30, t=110, b=50),
        hoverlabel=dict(font_size=16),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, font=dict(size=16), title_text=""),
    )
    fig.update_layout(
        title=dict(
            x=0,
            xanchor="left",
            yref="container",
            y=0.985,
            yanchor="top",
            font=dict(size=22, color="#111827", weight="bold"),
        )
    )
    fig.update_xaxes(automargin=True, linecolor="#9ca3af", showline=True, zeroline=False, gridwidth=1)
    fig.update_yaxes(automargin=True, linecolor="#9ca3af", showline=True, zeroline=False)
    return fig


def _text(value) -> str:
    """Text from a file or a plan, for a figure: plotly reads a subset of HTML in labels, hover
    texts, titles and annotations (links, styles), so every such text is escaped and shows as
    typed."""
    return escape(str(value), quote=False)


def wrap_lines(text: str, width: int) -> list[str]:
    """Words in lines of at most `width` characters (a longer word stands alone)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return lines


def _wrap(text: str, width: int = 24) -> str:
    return "<br>".join(wrap_lines(text, width))


def _wrap_text(value, width: int) -> str:
    """Text from a file or a plan over lines of at most `width` characters, each escaped."""
    return "<br>".join(_text(line) for line in wrap_lines(str(value), width))


def component_chart(result: Result) -> go.Figure:
    """Completion per component, actual against planned, six components in plan order."""
    comps = result.components
    labels = [_wrap(_text(f"{c}. {n}")) for c, n in zip(comps["code"], comps["name"], strict=False)]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=comps["completion"],
        name=L.UI["actual"],
        orientation="h",
        marker_color=ACTUAL_COLOR,
        text=[L.fmt_pct(v) for v in comps["completion"]],
        textposition="outside",
        hovertemplate="%{y}<br>" + L.UI["actual"] + ": %{text}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=comps["planned"],
        name=L.UI["planned"],
        orientation="h",
        marker_color=PLANNED_COLOR,
        text=[L.fmt_pct(v) for v in comps["planned"]],
        textposition="outside",
        hovertemplate="%{y}<br>" + L.UI["planned"] + ": %{text}<extra></extra>",
    )
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        title=dict(text=L.UI["chart_components"].format(date=L.fmt_date(result.as_of)), font_size=22),
    )
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=17), showgrid=False)
    fig.update_xaxes(range=[0, 112], ticksuffix="%", gridcolor="#e5e7eb", dtick=20, tickfont=dict(size=16))
    fig.update_traces(cliponaxis=False, textfont_size=17)
    return _base_layout(fig, 150 + 95 * len(comps))


def status_chart(result: Result) -> go.Figure:
    """How many rows of each component are in each status (stacked)."""
    counts = result.component_status_counts()
    names = dict(zip(result.components["code"], result.components["name"], strict=False))
    labels = [_wrap(_text(f"{c}. {names[c]}")) for c in counts.index]
    fig = go.Figure()
    for status in L.STATUS_ORDER:
        vals = counts[status].tolist()
        fig.add_bar(
            y=labels,
            x=vals,
            name=status,
            orientation="h",
            marker_color=L.STATUS_COLORS[status],
            text=[str(v) if v else "" for v in vals],
            textposition="inside",
            insidetextanchor="middle",
            textfont=dict(size=17, color="white"),
            hovertemplate="%{y}<br>" + status + ": %{x}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack", title=dict(text=L.UI["chart_status"], font_size=22), legend=dict(traceorder="normal")
    )
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=17), showgrid=False)
    # the axis title in short lines: centred under a plot a phone draws 110 px wide, whole
    fig.update_xaxes(title_text=_wrap(L.UI["rows_axis"], 14), dtick=1, gridcolor="#e5e7eb", tickfont=dict(size=16))
    return _base_layout(fig, 150 + 80 * len(labels))


def _month_ticks(start: date, end: date, most: int = 14) -> tuple[list[str], list[str]]:
    """Month ticks, at most `most` of them (every second, third... month on a long span), so
    they stay horizontal and apart."""
    months = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    step = -(-len(months) // most)
    vals: list[str] = []
    texts: list[str] = []
    for y, m in months[::step]:
        vals.append(date(y, m, 1).isoformat())
        texts.append(f"{L.MONTHS[m - 1]}<br>{y}" if m == 1 or not texts else L.MONTHS[m - 1])
    return vals, texts


def shorten(text: str, width: int) -> str:
    """A text of at most `width` characters: cut at a word where it can be, ending in "…"."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-/") + "…"


def _timeline_categories(ind: pd.DataFrame, one_line: int = 0) -> tuple[list[str], list[str], list[int]]:
    """(row labels, y categories with one heading row above each component's rows, the
    category index of every heading): the grouping never sits on a bar.  With `one_line`, every
    label is one line of at most that many characters (the report: rows as tall as a line)."""

    def label(text: str, width: int) -> str:
        return _text(shorten(text, one_line)) if one_line else _wrap_text(text, width)

    y = [label(f"{c} {n}", 30) for c, n in zip(ind["code"], ind["indicator"], strict=True)]
    categories: list[str] = []
    headings: list[int] = []
    previous = None
    for row_label, comp_code, comp in zip(y, ind["component_code"], ind["component"], strict=True):
        if comp_code != previous:
            headings.append(len(categories))
            categories.append("<b>" + label(f"{comp_code}. {comp}", 34) + "</b>")
            previous = comp_code
        categories.append(row_label)
    return y, categories, headings


def timeline_full_labels(result: Result, one_line: int = REPORT_LABEL) -> dict[str, str]:
    """Every shortened label of the report's timeline -> its full text (shown on hover)."""
    ind = result.indicators
    full = [f"{c} {n}" for c, n in zip(ind["code"], ind["indicator"], strict=True)]
    full += [f"{c}. {n}" for c, n in zip(result.components["code"], result.components["name"], strict=True)]
    return {shorten(t, one_line): t for t in full}


def _timeline_hover(ind: pd.DataFrame) -> list[str]:
    """One hover text per row; every text from the plan or the file is escaped."""
    U = L.UI
    return [
        f"<b>{_text(c)} {_text(n)}</b><br>{U['component']}: {_text(comp)}<br>{U['action']}: {_wrap(_text(a), 60)}<br>"
        f"{U['target']}: {_text(t)}<br>PIC: {_text(p or '–')}<br>{U['progress']}: {L.fmt_pct(pr)} "
        f"({U['planned']} {L.fmt_pct(pl)})<br>{U['status']}: {s}"
        for c, n, comp, a, t, p, pr, pl, s in zip(
            ind["code"],
            ind["indicator"],
            ind["component"],
            ind["action"],
            ind["target"],
            ind["pic"],
            ind["progress"],
            ind["planned"],
            ind["status"],
            strict=True,
        )
    ]


def _timeline_bars(fig: go.Figure, ind: pd.DataFrame, y: list[str]) -> tuple[pd.Series, pd.Series]:
    """The target period (light) and the part done (dark) of every row, in its status colour,
    and a legend entry per status.  Returns the periods' starts and (exclusive) ends."""
    starts = pd.to_datetime(ind["target_start"])
    ends = pd.to_datetime(ind["target_end"]) + pd.Timedelta(days=1)  # end day inclusive
    span_ms = (ends - starts).dt.total_seconds() * 1000
    done_ms = span_ms * ind["progress"].astype(float) / 100.0
    colors = [L.STATUS_COLORS[s] for s in ind["status"]]
    hover = _timeline_hover(ind)
    fig.add_bar(
        y=y,
        x=span_ms,
        base=starts,
        orientation="h",
        marker=dict(color=colors, opacity=0.35),
        hovertext=hover,
        hoverinfo="text",
        showlegend=False,
        name="",
    )
    fig.add_bar(
        y=y,
        x=done_ms,
        base=starts,
        orientation="h",
        marker=dict(color=colors),
        hovertext=hover,
        hoverinfo="text",
        showlegend=False,
        name="",
    )
    # every row's % in a column right of the plot: no date line or bar end ever runs through it
    for label, value in zip(y, ind["progress"], strict=True):
        fig.add_annotation(
            x=1.0,
            xref="paper",
            xanchor="left",
            xshift=8,
            y=label,
            showarrow=False,
            text=L.fmt_pct(value, 0),
            font=dict(size=15, color="#111827"),
            name="pct",
        )
    for status in L.STATUS_ORDER:
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=status,
            marker=dict(size=16, color=L.STATUS_COLORS[status], symbol="square"),
        )
    return starts, ends


def _component_bands(fig: go.Figure, headings: list[int], n_categories: int) -> None:
    """A light band behind every other component."""
    bounds = headings + [n_categories]
    for k, start in enumerate(headings):
        if k % 2 == 0:
            fig.add_hrect(y0=start - 0.5, y1=bounds[k + 1] - 0.5, fillcolor="#f3f4f6", line_width=0, layer="below")


def _as_of_line(fig: go.Figure, day: date) -> None:
    at = datetime.combine(day, datetime.min.time()) + timedelta(hours=12)
    fig.add_vline(x=at, line=dict(color="#111827", width=3, dash="dash"))
    fig.add_annotation(
        x=at,
        y=1.0,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        name="as_of",
        text=f"<b>{L.UI['as_of']} {L.fmt_date(day)}</b>",
        font=dict(size=16),
        bgcolor="white",
    )


def timeline_chart(result: Result, component: str | None = None, compact: bool = False) -> go.Figure:
    """A Gantt of every plan row against its target period, grouped by component, coloured
    by status, the darker part showing progress, a line at the as-of date."""
    ind = result.indicators
    if component:
        ind = ind[ind["component_code"] == component]
    y, categories, headings = _timeline_categories(ind, REPORT_LABEL if compact else 0)
    fig = go.Figure()
    starts, ends = _timeline_bars(fig, ind, y)
    lo, hi = min(starts.min().date(), result.as_of), max(ends.max().date(), result.as_of)
    lo = date(lo.year, lo.month, 1)
    vals, texts = _month_ticks(lo, hi)
    _component_bands(fig, headings, len(categories))
    _as_of_line(fig, result.as_of)
    fig.update_layout(barmode="overlay", title=dict(text=L.UI["chart_timeline"], font_size=22), bargap=0.3)
    fig.update_xaxes(
        type="date",
        tickvals=vals,
        ticktext=texts,
        tickangle=0,
        range=[lo.isoformat(), (hi + timedelta(days=12)).isoformat()],
        gridcolor="#d1d5db",
        showgrid=True,
        tickfont=dict(size=16),
    )
    fig.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=categories,
        tickfont=dict(size=15),
        showgrid=False,
        range=[len(categories) - 0.5, -0.5],
    )
    fig.update_traces(cliponaxis=False, selector=dict(type="bar"))
    lines = sum(c.count("<br>") + 1 for c in categories)
    # the report: one line a row, the height from the number of rows (title and legend: 170 px)
    height = 170 + REPORT_ROW_PX * len(categories) if compact else 260 + 22 * max(lines, int(1.5 * len(categories)))
    _base_layout(fig, height)
    resize(fig, height, legend_below=True)
    fig.update_layout(margin=dict(r=70))
    if compact:
        fig.update_yaxes(tickfont=dict(size=12))
        fig.update_annotations(font_size=12)
        fig.update_annotations(font_size=13, selector=dict(name="as_of"))
    return fig


def resize(fig: go.Figure, height: int, legend_below: bool = False, title: bool = True) -> go.Figure:
    """Set a figure's height (and keep a legend placed under the x axis in place)."""
    top = 110 if title else 50
    fig.update_layout(height=height, margin=dict(t=top))
    if not title:
        fig.update_layout(title_text="")
    if legend_below:
        bottom = 120
        fig.update_layout(margin=dict(b=bottom), legend=dict(yanchor="top", y=-62 / (height - top - bottom), x=0))
    return fig


def s_curve(planned: pd.DataFrame, actual: pd.DataFrame, column: str, title: str, as_of: date) -> go.Figure:
    """Planned completion over the plan's span (a line) against the actual completion of each
    date's latest upload at that date (points joined by a line; the other uploads of the same
    date, column "others", named in the hover).  Up to LABELLED points carry their figure on a
    white label above them (no line crosses it); more points carry only the last one's."""
    fig = go.Figure()
    fig.add_scatter(
        x=planned["date"],
        y=planned[column],
        mode="lines",
        name=L.HISTORY["planned_line"],
        line=dict(color=PLANNED_COLOR, width=4, dash="dot"),
        hovertemplate="%{x|%d/%m/%Y}<br>" + L.HISTORY["planned_line"] + ": %{y:.1f}%<extra></extra>",
    )
    lo = min(planned["date"].min(), actual["date"].min() if len(actual) else planned["date"].min())
    hi = max(planned["date"].max(), actual["date"].max() if len(actual) else planned["date"].max())
    if len(actual):
        others = actual["others"] if "others" in actual else pd.Series([""] * len(actual))
        fig.add_scatter(
            x=actual["date"],
            y=actual[column],
            mode="lines+markers",
            name=L.HISTORY["actual_line"],
            line=dict(color=ACTUAL_COLOR, width=4),
            marker=dict(size=14),
            text=[L.fmt_pct(v) for v in actual[column]],
            customdata=list(zip(actual["snapshot"], others, strict=True)),
            hovertemplate="%{x|%d/%m/%Y}<br>"
            + L.HISTORY["upload_n"]
            + "%{customdata[0]}: %{text}%{customdata[1]}<extra></extra>",
        )
        shown = range(len(actual)) if len(actual) <= LABELLED else [len(actual) - 1]
        span = (pd.Timestamp(hi) - pd.Timestamp(lo)).days or 1
        for i in shown:
            x, v = actual["date"].iloc[i], float(actual[column].iloc[i])
            near_right = (pd.Timestamp(hi) - pd.Timestamp(x)).days < span * 0.08
            fig.add_annotation(
                x=x,
                y=v,
                yshift=14,
                yanchor="bottom",
                xanchor="right" if near_right else "center",
                showarrow=False,
                text=L.fmt_pct(v),
                bgcolor="rgba(255,255,255,0.9)",
                font=dict(size=16, color=ACTUAL_COLOR),
                name="point",
            )
    lo = date(lo.year, lo.month, 1)
    vals, texts = _month_ticks(lo, hi, most=8)
    as_of_x = datetime.combine(as_of, datetime.min.time()) + timedelta(hours=12)
    fig.add_vline(x=as_of_x, line=dict(color="#111827", width=2, dash="dash"))
    fig.update_layout(title=dict(text=title, font_size=22))
    fig.update_xaxes(
        type="date",
        tickvals=vals,
        ticktext=texts,
        tickangle=0,
        gridcolor="#e5e7eb",
        tickfont=dict(size=16),
        range=[lo.isoformat(), (hi + timedelta(days=10)).isoformat()],
    )
    fig.update_yaxes(
        range=[0, 112], ticksuffix="%", gridcolor="#e5e7eb", showgrid=True, tickfont=dict(size=16), dtick=20
    )
    return _base_layout(fig, 520)


LABELLED = 12  # the most points of the S-curve that carry their figure as a label


# --- a unit's years side by side (Riwayat) ---------------------------------------------------
YEAR_COLORS = ["#B4B4B4", "#56B4E9", "#CC79A7", "#E69F00", "#009E73"]  # older years; the latest is ACTUAL_COLOR


def year_comparison_chart(comparison: pd.DataFrame, unit: str) -> go.Figure:
    """Final completion per component (the overall figure first), one bar per year, the
    latest year in the actual colour; the unit's name comes from a file and is escaped."""
    c = comparison  # components matched across years by name (key), in the latest year's order
    labels = {key: _wrap(_text(label)) for key, label in zip(c["key"], c["label"], strict=True)}
    years = sorted(c["year"].unique())
    fig = go.Figure()
    for k, y in enumerate(years):
        mine = c[c["year"] == y]
        color = ACTUAL_COLOR if y == years[-1] else YEAR_COLORS[(len(years) - 2 - k) % len(YEAR_COLORS)]
        fig.add_bar(
            y=[labels[key] for key in mine["key"]],
            x=mine["completion"],
            name=str(y),
            orientation="h",
            marker_color=color,
            text=[L.fmt_pct(v) for v in mine["completion"]],
            textposition="outside",
            hovertemplate="%{y}<br>" + str(y) + ": %{text}<extra></extra>",
        )
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        legend=dict(traceorder="normal"),
        title=dict(text=_text(L.PROVINCE["years_chart"].format(unit=unit)), font_size=22),
    )
    fig.update_yaxes(
        autorange="reversed",
        tickfont=dict(size=17),
        showgrid=False,
        categoryorder="array",
        categoryarray=list(labels.values()),
    )
    fig.update_xaxes(range=[0, 112], ticksuffix="%", gridcolor="#e5e7eb", dtick=20, tickfont=dict(size=16))
    fig.update_traces(cliponaxis=False, textfont_size=17)
    return _base_layout(fig, 150 + (30 * len(years) + 25) * len(labels))
