"""Readiness -> what people read: the CLI's JSON, tables, the "what is missing" sentences, the
area chart, follow-up messages with WhatsApp links, the meeting pack's section and sheet, and
the self-assessment template.  Every figure comes from counting.readiness; nothing is counted
here anew."""

from __future__ import annotations

import html
import io
import re
import urllib.parse
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

import pandas as pd
import plotly.graph_objects as go

from zi_dashboard import labels as L
from zi_dashboard.counting.readiness import (
    FOLLOW_DUE,
    FOLLOW_OVERDUE,
    PREDICATES,
    THRESHOLDS,
    FollowUp,
    Gate,
    Readiness,
    Verdicts,
)
from zi_dashboard.counting.rows import area_rows, evidence_share_rows, follow_up_rows, readiness_rows
from zi_dashboard.outputs.charts import wrap_lines
from zi_dashboard.reading.assessment import field_codes, field_label, field_max
from zi_dashboard.reading.lke import Lke

R = L.READY


def n2(x: float) -> str:
    """Points the Indonesian way, two decimals, a half rounded up whatever noise the float
    sums carry (29,095 and 29,095000000000002 are both 29,10): 2,15."""
    if x is None or x != x:
        return L.fmt_number(None)
    exact = Decimal(repr(round(float(x), 9))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return L.fmt_number(float(exact), 2)


# --- JSON (the CLI contract) ----------------------------------------------------------------
def _f(x: float) -> float:
    return round(float(x), 3) + 0.0


def as_dict(r: Readiness) -> dict:
    areas = r.areas
    return {
        "as_of": r.as_of.isoformat(),
        "estimate": True,
        "has_weights": r.has_weights,
        "pemenuhan": {
            "total": _f(r.pemenuhan_total),
            "max": _f(r.pemenuhan_max),
            "areas": [
                {"code": a.code, "name": a.name, "points": _f(a.pemenuhan), "max": _f(a.pemenuhan_max)}
                for a in area_rows(areas)
            ],
        },
        "reform": {
            "total": _f(r.reform_total),
            "max": _f(r.reform_max),
            "areas": [
                {"code": a.code, "name": a.name, "points": _f(a.reform), "max": _f(a.reform_max)}
                for a in area_rows(areas)
            ],
        },
        "areas": [
            {"code": a.code, "name": a.name, "points": _f(a.points), "max": _f(a.max), "pct": _f(a.pct)}
            for a in area_rows(areas)
        ],
        "pengungkit": _f(r.pengungkit),
        "hasil": {k: _f(v) for k, v in r.hasil.items()},
        "total": _f(r.total),
        "gates": {
            p: [
                {
                    "gate": g.key,
                    "value": _f(g.value),
                    "threshold": _f(g.threshold),
                    "pass": g.passed,
                    "missing": _f(g.missing),
                }
                for g in r.gates[p]
            ]
            for p in PREDICATES
        },
        "wbk": r.wbk,
        "wbbm": r.wbbm,
        "open_points": [
            {"code": row.code, "points": _f(row.open), "status": row.status, "overdue": row.status == L.OVERDUE}
            for row in readiness_rows(r.open_points)
        ],
        "missing": list(r.missing_inputs),
        "shortfalls": {p: shortfall_lines(r, p) for p in PREDICATES},
        "evidence": {
            "links": {row.code: int(row.evidence_links) for row in readiness_rows(r.rows)},
            "no_evidence": list(r.no_evidence["code"]),
            "done_no_evidence": list(r.done_no_evidence["code"]),
            "share": {row.code: _f(row.share) for row in evidence_share_rows(r.evidence_share())},
        },
    }


# --- words ----------------------------------------------------------------------------------
GATE_LABELS = {
    "total": R["gate_total"],
    "pengungkit": R["gate_pengungkit"],
    "birokrasi_bersih": R["gate_birokrasi_bersih"],
    "ipak": R["gate_ipak"],
    "kinerja": R["gate_kinerja"],
    "pelayanan_prima": R["gate_pelayanan_prima"],
    "wbk": R["gate_wbk"],
}


def gate_label(g: Gate) -> str:
    if g.area is not None:
        return R["gate_area"].format(code=g.area, name=g.area_name)
    return GATE_LABELS[g.key]


def _value_text(g: Gate) -> tuple[str, str]:
    if g.key == "wbk":
        return (R["yes"] if g.passed else R["no"]), R["yes"]
    if g.area is not None:
        return L.fmt_pct(g.value), L.fmt_pct(g.threshold, 0)
    return n2(g.value), n2(g.threshold)


def _threshold_text(g: Gate) -> str:
    """'≥ 75,00', '≥ 60%'; the gate 'already meets WBK' needs a yes, not a figure."""
    threshold = _value_text(g)[1]
    return threshold if g.key == "wbk" else "≥ " + threshold


class HasGates(Protocol):
    """What gates_table reads: a Readiness, an LkeScore, or one gate alone."""

    @property
    def gates(self) -> dict[str, list[Gate]]: ...


def gates_table(r: HasGates, predicate: str) -> pd.DataFrame:
    rows = []
    for g in r.gates[predicate]:
        rows.append(
            {
                R["col_gate"]: gate_label(g),
                R["col_value"]: _value_text(g)[0],
                R["col_threshold"]: _threshold_text(g),
                R["col_result"]: R["pass"] if g.passed else R["fail"],
                R["col_missing"]: "" if g.passed or g.key == "wbk" else n2(g.missing),
            }
        )
    return pd.DataFrame(rows)


def gates_combined(r: HasGates) -> pd.DataFrame:
    """One table for both predicates: each gate's value, and per predicate its threshold,
    pass or fail and the points missing (a gate one predicate lacks is left empty)."""
    order: dict[str, Gate] = {}
    for p in reversed(PREDICATES):
        for g in r.gates[p]:
            order.setdefault(g.key, g)
    keys = [g.key for g in r.gates[PREDICATES[-1]]]
    keys += [k for k in order if k not in keys]

    def verdict(p: str, g: Gate | None) -> dict:
        return {
            p: (R["pass"] if g.passed else R["fail"]) if g else "",
            f"{R['col_missing']} {p}": n2(g.missing) if g and not g.passed and g.key != "wbk" else "",
        }

    return _gate_table(r, keys, order, verdict)


def gates_compact(r: Readiness) -> pd.DataFrame:
    """Mode rapat: per gate its value, and per predicate the threshold and ✓, or ✗ with the
    points missing; short area names."""
    full = {g.key: g for p in PREDICATES for g in r.gates[p]}

    def verdict(p: str, g: Gate | None) -> dict:
        return {p: "" if g is None else ("✓" if g.passed else ("✗" if g.key == "wbk" else f"✗ −{n2(g.missing)}"))}

    return _gate_table(r, [g.key for g in r.gates[PREDICATES[-1]]], full, verdict)


def _gate_table(r: HasGates, keys: list[str], first: dict[str, Gate], verdict) -> pd.DataFrame:
    """One row per gate key: its label and value (from `first`), and per predicate its
    threshold and what `verdict(predicate, gate or None)` says of it."""
    rows = []
    for k in keys:
        g0 = first[k]
        label = R["gate_area_short"].format(code=g0.area, name=g0.area_name) if g0.area else gate_label(g0)
        row = {R["col_gate"]: label, R["col_value"]: _value_text(g0)[0]}
        for p in PREDICATES:
            g = next((x for x in r.gates[p] if x.key == k), None)
            row[f"{R['col_threshold']} {p}"] = _threshold_text(g) if g else ""
            row.update(verdict(p, g))
        rows.append(row)
    return pd.DataFrame(rows)


def shortfall_line(g: Gate) -> str:
    """'Penguatan Pengawasan 43,5% dari bobot, perlu 60%: kurang 2,48 poin'."""
    if g.key == "wbk":
        return R["missing_wbk"]
    if g.area is not None:
        return R["missing_area"].format(
            name=g.area_name, pct=L.fmt_pct(g.value), need=L.fmt_pct(g.threshold, 0), points=n2(g.missing)
        )
    return R["missing_points"].format(gate=gate_label(g), value=n2(g.value), need=n2(g.threshold), points=n2(g.missing))


def shortfall_lines(r: Verdicts, predicate: str) -> list[str]:
    """Each gate not met, with the points missing, in plain words (the forecast's or the score
    from answers')."""
    return [shortfall_line(g) for g in r.failing(predicate)]


def missing_inputs_line(r: Readiness) -> str:
    if not r.missing_inputs:
        return ""
    names = [R["input_weights"] if k == "weights" else field_label(k) for k in r.missing_inputs]
    return R["inputs_missing"].format(fields=", ".join(names))


def predicate_text(r: Readiness, predicate: str) -> str:
    return R["eligible"] if r.eligible(predicate) else R["not_eligible"]


def readiness_text(r: Readiness) -> str:
    """Kesiapan as the CLI's `readiness` prints it: the date, each part's points, the total,
    and per predicate its verdict with what still misses."""
    RC = L.READY_CLI
    lines = [RC["title"].format(date=L.fmt_date(r.as_of)), L.READY["why_estimate"]]
    if not r.has_weights:
        lines.append(L.READY["no_weights"])
    lines += [
        RC["line_pemenuhan"].format(points=n2(r.pemenuhan_total), max=n2(r.pemenuhan_max)),
        RC["line_reform"].format(points=n2(r.reform_total), max=n2(r.reform_max)),
        RC["line_pengungkit"].format(points=n2(r.pengungkit)),
        RC["line_hasil"].format(points=n2(r.hasil["total"]), max=n2(r.hasil_max)),
        RC["line_total"].format(points=n2(r.total)),
    ]
    for p in ("WBK", "WBBM"):
        lines.append(RC["line_predicate"].format(name=p, result=predicate_text(r, p)))
        lines += [f"  - {x}" for x in shortfall_lines(r, p)]
    if r.missing_inputs:
        lines.append(missing_inputs_line(r))
    return "\n".join(lines)


def summary_figures(r: Readiness) -> list[tuple[str, float, float]]:
    """(label, points, maximum) of the headline figures, in reading order."""
    return [
        (R["pemenuhan"], r.pemenuhan_total, r.pemenuhan_max),
        (R["reform"], r.reform_total, r.reform_max),
        (R["pengungkit"], r.pengungkit, r.pemenuhan_max + r.reform_max),
        (R["hasil"], r.hasil["total"], r.hasil_max),
        (R["total"], r.total, r.pemenuhan_max + r.reform_max + r.hasil_max),
    ]


# --- tables ---------------------------------------------------------------------------------
def open_table(r: Readiness) -> pd.DataFrame:
    o = r.open_points
    return pd.DataFrame(
        {
            L.COL["code"]: o["code"],
            L.COL["indicator"]: o["indicator"],
            R["col_weight"]: o["weight"].map(n2),
            L.COL["progress"]: o["progress"].map(L.fmt_pct),
            R["col_estimate"]: o["pemenuhan"].map(n2),
            R["col_open"]: o["open"].map(n2),
            L.COL["status"]: o["status"],
            L.COL["days_overdue"]: [
                R["overdue_mark"] + f" ({d})" if s == L.OVERDUE else ""
                for s, d in zip(o["status"], o["days_overdue"], strict=True)
            ],
            L.COL["pic"]: o["pic"],
        }
    )


def evidence_table(r: Readiness) -> pd.DataFrame:
    """Every row with the number of evidence links its progress file gives."""
    o = r.rows
    return pd.DataFrame(
        {
            L.COL["code"]: o["code"],
            L.COL["indicator"]: o["indicator"],
            L.COL["progress"]: o["progress"].map(L.fmt_pct),
            L.COL["status"]: o["status"],
            R["col_links"]: o["evidence_links"].astype(int),
            L.COL["pic"]: o["pic"],
        }
    )


def no_evidence_table(r: Readiness) -> pd.DataFrame:
    o = r.no_evidence
    return pd.DataFrame(
        {
            L.COL["code"]: o["code"],
            L.COL["indicator"]: o["indicator"],
            L.COL["progress"]: o["progress"].map(L.fmt_pct),
            L.COL["status"]: o["status"],
            L.COL["pic"]: o["pic"],
        }
    )


def evidence_share_table(r: Readiness) -> pd.DataFrame:
    e = r.evidence_share()
    return pd.DataFrame(
        {
            L.COL["code"]: e["code"],
            L.COL["component"]: e["name"],
            R["col_rows"]: e["rows"],
            R["col_with_evidence"]: e["with_evidence"],
            R["col_share"]: e["share"].map(L.fmt_pct),
        }
    )


# --- the chart ------------------------------------------------------------------------------
def _wrap(text: str, width: int = 26) -> str:
    return "<br>".join(wrap_lines(text, width))


def area_chart(r: Readiness) -> go.Figure:
    """Each area's points as % of its weight (Pemenuhan and Reform stacked) against 60% and 75%."""
    a = r.areas
    names = [_wrap(html.escape(f"{c}. {n}")) for c, n in zip(a["code"], a["name"], strict=True)]
    pem = [100.0 * p / m if m > 0 else 0.0 for p, m in zip(a["pemenuhan"], a["max"], strict=True)]
    ref = [100.0 * p / m if m > 0 else 0.0 for p, m in zip(a["reform"], a["max"], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=pem,
        name=R["chart_pemenuhan"],
        orientation="h",
        marker_color="#0072B2",
        hovertemplate="%{y}<br>" + R["chart_pemenuhan"] + ": %{x:.1f}%<extra></extra>",
    )
    fig.add_bar(
        y=names,
        x=ref,
        name=R["chart_reform"],
        orientation="h",
        marker_color="#56B4E9",
        hovertemplate="%{y}<br>" + R["chart_reform"] + ": %{x:.1f}%<extra></extra>",
    )
    # every area's % in a column right of the plot (no threshold line runs through a figure); the
    # lines named in the legend (no label sits on a bar or runs off a phone's screen)
    for name, value in zip(names, a["pct"], strict=True):
        fig.add_annotation(
            x=1.0,
            xref="paper",
            xanchor="left",
            xshift=8,
            y=name,
            showarrow=False,
            name="pct",
            text=L.fmt_pct(value),
            font=dict(size=16, color="#111827"),
        )
    for x, label, color, dash in (
        (THRESHOLDS["WBK"]["area"], R["line_wbk"], "#E69F00", "dash"),
        (THRESHOLDS["WBBM"]["area"], R["line_wbbm"], "#D55E00", "dot"),
    ):
        fig.add_vline(x=x, line_color=color, line_dash=dash, line_width=3)
        fig.add_scatter(
            x=[None], y=[None], mode="lines", name=label, line=dict(color=color, dash=dash, width=3), hoverinfo="skip"
        )
    fig.update_layout(
        barmode="stack",
        height=160 + 80 * len(a),
        template="none",
        separators=",.",
        font=dict(family="Source Sans Pro, Arial, sans-serif", size=17, color="#1f2937"),
        margin=dict(l=10, r=80, t=120, b=50),
        plot_bgcolor="white",
        paper_bgcolor="white",
        title=dict(text=R["chart_title"], x=0, y=0.98, yref="container", yanchor="top", font=dict(size=20)),
        legend=dict(orientation="h", yanchor="bottom", y=1.07, x=0, traceorder="normal"),
    )
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    fig.update_xaxes(range=[0, 105], ticksuffix="%", dtick=20, gridcolor="#e5e7eb", title_text=R["chart_axis"])
    fig.update_traces(cliponaxis=False, selector=dict(type="bar"))
    return fig


# --- follow-up messages -------------------------------------------------------------------
def pic_name(f: FollowUp) -> str:
    return f.pic or R["no_pic"]


def reason_text(reason: str, days_overdue: int, days_left: int) -> str:
    if reason == FOLLOW_OVERDUE:
        return R["reason_overdue"].format(days=int(days_overdue))
    if reason == FOLLOW_DUE:
        return R["reason_due_soon"].format(days=int(days_left))
    return R["reason_behind"]


def follow_table(f: FollowUp) -> pd.DataFrame:
    t = f.rows
    return pd.DataFrame(
        {
            L.COL["code"]: t["code"],
            L.COL["indicator"]: t["indicator"],
            L.COL["status"]: t["status"],
            R["col_reason"]: [
                reason_text(*x) for x in zip(t["reason"], t["days_overdue"], t["days_left"], strict=True)
            ],
            L.COL["progress"]: t["progress"].map(L.fmt_pct),
            L.COL["target_end"]: t["target_end"].map(L.fmt_date),
            R["col_open"]: t["open"].map(n2),
        }
    )


def message(f: FollowUp, as_of, unit: str) -> str:
    """The ready Indonesian message to one PIC (WhatsApp, e-mail, copy)."""
    lines = [
        R["message_greeting"].format(pic=pic_name(f)),
        R["message_intro"].format(unit=unit, date=L.fmt_date(as_of)),
    ]
    for row in follow_up_rows(f.rows):
        lines.append(
            R["message_line"].format(
                code=row.code,
                indicator=row.indicator,
                reason=reason_text(row.reason, row.days_overdue, row.days_left),
                progress=L.fmt_pct(row.progress),
                end=L.fmt_date(row.target_end),
                points=n2(row.open),
            )
        )
    lines.append(R["message_close"])
    return "\n".join(lines)


def subject(f: FollowUp, as_of) -> str:
    return R["message_subject"].format(n=len(f.rows), date=L.fmt_date(as_of))


def phone_number(text: str) -> str | None:
    """'0812-3456-789' / '+62 812 3456 789' -> '628123456789' (wa.me form); None if no number."""
    digits = re.sub(r"\D", "", str(text or ""))
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):  # a number typed into a number cell loses its leading 0
        digits = "62" + digits
    return digits if 8 <= len(digits) <= 15 else None


def whatsapp_link(text: str, phone: str | None = None) -> str:
    number = phone_number(phone) if phone else None
    return f"https://wa.me/{number or ''}?text=" + urllib.parse.quote(text, safe="")


# --- the meeting pack -----------------------------------------------------------------------
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
            RR["value"]: [_f(x[1]) for x in summary_figures(r)],
            RR["max"]: [_f(x[2]) for x in summary_figures(r)],
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
                    R["col_pemenuhan"]: a["pemenuhan"].map(_f),
                    R["col_reform"]: a["reform"].map(_f),
                    R["col_points"]: a["points"].map(_f),
                    R["col_max"]: a["max"].map(_f),
                    R["col_pct"]: a["pct"].map(_f),
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
                        R["col_value"]: [_f(g.value) for g in r.gates[p]],
                        R["col_threshold"]: [_f(g.threshold) for g in r.gates[p]],
                        R["col_result"]: [R["pass"] if g.passed else R["fail"] for g in r.gates[p]],
                        R["col_missing"]: [_f(g.missing) for g in r.gates[p]],
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
                    R["col_weight"]: o["weight"].map(_f),
                    L.COL["progress"]: o["progress"].map(_f),
                    R["col_open"]: o["open"].map(_f),
                    L.COL["status"]: o["status"],
                    L.COL["pic"]: o["pic"],
                }
            ),
        )
    )
    out.append((R["no_evidence_title"], no_evidence_table(r)))
    return out


# --- the self-assessment template ---------------------------------------------------------
def assessment_template(lke: Lke, current: dict[str, float] | None = None) -> bytes:
    """Kode | Isian | Nilai | Batas, one row per field; filled with the values in use."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

    A = L.ASSESS
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = A["template_sheet"]
    ws["A1"] = A["template_title"]
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = A["template_note"]
    head = [A["col_code"], A["col_field"], A["col_value"], A["col_max"]]
    for j, h in enumerate(head, start=1):
        c = ws.cell(row=4, column=j, value=h)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="1F3864")
    for i, code in enumerate(field_codes(lke), start=5):
        ws.cell(row=i, column=1, value=code)
        ws.cell(row=i, column=2, value=field_label(code))
        if current and code in current:
            ws.cell(row=i, column=3, value=current[code])
        ws.cell(row=i, column=4, value=field_max(code, lke))
    for col, width in zip("ABCD", (10, 48, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
