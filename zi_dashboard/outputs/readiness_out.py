"""Readiness -> what people read: tables, the "what is missing" sentences, the area chart and
follow-up messages with WhatsApp links.  The CLI's JSON and text are outputs/readiness_cli.py;
the meeting pack's Kesiapan section and sheet outputs/readiness_pack.py; the self-assessment
template outputs/assessment_out.py.  Every figure comes from counting.readiness; nothing is
counted here anew."""

from __future__ import annotations

import html
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
from zi_dashboard.counting.rows import follow_up_rows
from zi_dashboard.outputs.charts import wrap_lines
from zi_dashboard.reading.assessment import field_label

R = L.READY


def n2(x: float) -> str:
    """Points the Indonesian way, two decimals, a half rounded up whatever noise the float
    sums carry (29,095 and 29,095000000000002 are both 29,10): 2,15."""
    if x is None or x != x:
        return L.fmt_number(None)
    exact = Decimal(repr(round(float(x), 9))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return L.fmt_number(float(exact), 2)


def three_places(x: float) -> float:
    """A figure as the JSON and the Excel pack carry it: a number, three decimals (never -0.0)."""
    return round(float(x), 3) + 0.0


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
