"""Kesiapan in the meeting pack (outputs/meeting_pack.py): the HTML report's sections and the
Excel pack's sheet, from the tables and sentences of outputs/readiness_out.py."""

from __future__ import annotations

import html

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.readiness import (
    PREDICATES,
    Readiness,
)
from zi_dashboard.outputs.readiness_out import (
    gate_label,
    gates_table,
    missing_inputs_line,
    n2,
    no_evidence_table,
    open_table,
    predicate_text,
    shortfall_lines,
    summary_figures,
    three_places,
)

R = L.READY


def _e(text) -> str:
    return html.escape(str(text))


def html_table(frame: pd.DataFrame, cls: str = "compact") -> str:
    """A table as HTML for the reports, every text escaped."""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    return f"<table class='{cls}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_section(r: Readiness, chart_html: str) -> str:
    """The report's Kesiapan sections, each one printed page: the figures and the area chart;
    what is missing; every gate; the points still open and the rows without evidence."""
    RR = L.READY_REPORT
    figs = "".join(
        f"<li><b>{_e(label)}</b>: {_e(n2(v))} {_e(R['of_max'].format(max=n2(m)))}</li>"
        for label, v, m in summary_figures(r)
    )
    preds = "".join(
        f"<li><b>{_e(R['predicate'].format(name=p))}</b>: {_e(predicate_text(r, p))}</li>" for p in PREDICATES
    )
    first = [f"<p class='muted'>{_e(R['why_estimate'])}</p>"]
    if not r.has_weights:
        first.append(f"<p><b>{_e(R['no_weights'])}</b></p>")
    first.append(
        f"<div style='display:grid;grid-template-columns:1fr 2fr;gap:16px'><ul class='how'>{figs}{preds}</ul>"
        f"<div>{chart_html}</div></div>"
    )
    if r.missing_inputs:
        first.append(f"<p class='muted'>{_e(missing_inputs_line(r))}</p>")
    columns = []
    for p in PREDICATES:
        items = (
            "".join(f"<li>{_e(x)}</li>" for x in shortfall_lines(r, p)) or f"<li>{_e(R['all_met'].format(name=p))}</li>"
        )
        columns.append(f"<div><p><b>{_e(R['missing_for'].format(name=p))}</b></p><ul class='how'>{items}</ul></div>")
    gates_html = "".join(
        f"<h3>{_e(R['predicate'].format(name=p))}</h3>{html_table(gates_table(r, p))}" for p in PREDICATES
    )
    last = f"<h3>{_e(RR['open'])}</h3>{html_table(open_table(r).head(10))}"
    if len(r.no_evidence):
        last += f"<h3>{_e(RR['no_evidence'])}</h3>{html_table(no_evidence_table(r))}"
    title = _e(RR["section"])
    return (
        f"<section id='kesiapan'><h2>{title}</h2>{''.join(first)}</section>"
        f"<section id='kesiapan-kurang'><h2>{title} · {_e(R['missing_title'])}</h2>"
        f"<div style='display:grid;grid-template-columns:1fr 1fr;gap:16px'>{''.join(columns)}</div></section>"
        f"<section id='kesiapan-syarat'><h2>{title} · {_e(R['gates_title'])}</h2>{gates_html}</section>"
        f"<section id='kesiapan-poin'><h2>{title} · {_e(R['open_title'])}</h2>{last}</section>"
    )


def sheet_frames(r: Readiness) -> list[tuple[str, pd.DataFrame]]:
    """The Excel pack's Kesiapan sheet, as titled tables, numbers as numbers (3 decimals)."""
    RR = L.READY_REPORT
    figures = pd.DataFrame(
        {
            RR["figure"]: [x[0] for x in summary_figures(r)],
            RR["value"]: [three_places(x[1]) for x in summary_figures(r)],
            RR["max"]: [three_places(x[2]) for x in summary_figures(r)],
        }
    )
    figures = pd.concat(
        [
            figures,
            pd.DataFrame(
                {
                    RR["figure"]: [R["predicate"].format(name=p) for p in PREDICATES],
                    RR["value"]: [predicate_text(r, p) for p in PREDICATES],
                    RR["max"]: ["", ""],
                }
            ),
        ],
        ignore_index=True,
    )
    out = [(R["why_estimate"], figures)]
    a = r.areas
    out.append(
        (
            R["areas_title"],
            pd.DataFrame(
                {
                    L.COL["code"]: a["code"],
                    R["col_area"]: a["name"],
                    R["col_pemenuhan"]: a["pemenuhan"].map(three_places),
                    R["col_reform"]: a["reform"].map(three_places),
                    R["col_points"]: a["points"].map(three_places),
                    R["col_max"]: a["max"].map(three_places),
                    R["col_pct"]: a["pct"].map(three_places),
                }
            ),
        )
    )
    for p in PREDICATES:
        out.append(
            (
                R["predicate"].format(name=p),
                pd.DataFrame(
                    {
                        R["col_gate"]: [gate_label(g) for g in r.gates[p]],
                        R["col_value"]: [three_places(g.value) for g in r.gates[p]],
                        R["col_threshold"]: [three_places(g.threshold) for g in r.gates[p]],
                        R["col_result"]: [R["pass"] if g.passed else R["fail"] for g in r.gates[p]],
                        R["col_missing"]: [three_places(g.missing) for g in r.gates[p]],
                    }
                ),
            )
        )
    o = r.open_points
    out.append(
        (
            R["open_title"],
            pd.DataFrame(
                {
                    L.COL["code"]: o["code"],
                    L.COL["indicator"]: o["indicator"],
                    R["col_weight"]: o["weight"].map(three_places),
                    L.COL["progress"]: o["progress"].map(three_places),
                    R["col_open"]: o["open"].map(three_places),
                    L.COL["status"]: o["status"],
                    L.COL["pic"]: o["pic"],
                }
            ),
        )
    )
    out.append((R["no_evidence_title"], no_evidence_table(r)))
    return out
