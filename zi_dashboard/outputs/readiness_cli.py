"""Kesiapan for the command line: `readiness --json`'s dict (the CLI contract, docs/counting.md) and
the text `readiness` prints.  Every figure comes from counting.readiness; the words from
outputs/readiness_out.py."""

from __future__ import annotations

from zi_dashboard import labels as L
from zi_dashboard.counting.readiness import PREDICATES, Readiness
from zi_dashboard.counting.rows import area_rows, evidence_share_rows, readiness_rows
from zi_dashboard.outputs.readiness_out import (
    missing_inputs_line,
    n2,
    predicate_text,
    shortfall_lines,
    three_places,
)


def as_dict(r: Readiness) -> dict:
    areas = r.areas
    return {
        "as_of": r.as_of.isoformat(),
        "estimate": True,
        "has_weights": r.has_weights,
        "pemenuhan": {
            "total": three_places(r.pemenuhan_total),
            "max": three_places(r.pemenuhan_max),
            "areas": [
                {
                    "code": a.code,
                    "name": a.name,
                    "points": three_places(a.pemenuhan),
                    "max": three_places(a.pemenuhan_max),
                }
                for a in area_rows(areas)
            ],
        },
        "reform": {
            "total": three_places(r.reform_total),
            "max": three_places(r.reform_max),
            "areas": [
                {"code": a.code, "name": a.name, "points": three_places(a.reform), "max": three_places(a.reform_max)}
                for a in area_rows(areas)
            ],
        },
        "areas": [
            {
                "code": a.code,
                "name": a.name,
                "points": three_places(a.points),
                "max": three_places(a.max),
                "pct": three_places(a.pct),
            }
            for a in area_rows(areas)
        ],
        "pengungkit": three_places(r.pengungkit),
        "hasil": {k: three_places(v) for k, v in r.hasil.items()},
        "total": three_places(r.total),
        "gates": {
            p: [
                {
                    "gate": g.key,
                    "value": three_places(g.value),
                    "threshold": three_places(g.threshold),
                    "pass": g.passed,
                    "missing": three_places(g.missing),
                }
                for g in r.gates[p]
            ]
            for p in PREDICATES
        },
        "wbk": r.wbk,
        "wbbm": r.wbbm,
        "open_points": [
            {
                "code": row.code,
                "points": three_places(row.open),
                "status": row.status,
                "overdue": row.status == L.OVERDUE,
            }
            for row in readiness_rows(r.open_points)
        ],
        "missing": list(r.missing_inputs),
        "shortfalls": {p: shortfall_lines(r, p) for p in PREDICATES},
        "evidence": {
            "links": {row.code: int(row.evidence_links) for row in readiness_rows(r.rows)},
            "no_evidence": list(r.no_evidence["code"]),
            "done_no_evidence": list(r.done_no_evidence["code"]),
            "share": {row.code: three_places(row.share) for row in evidence_share_rows(r.evidence_share())},
        },
    }


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
