"""The TPI review as the command line prints it (`lke state`): one line of state and totals, the
deadline, and the questions returned for repair with their notes."""

from __future__ import annotations

from datetime import date

from zi_dashboard import labels as L
from zi_dashboard.counting import lke_review as rv
from zi_dashboard.outputs.readiness_out import n2


def state_lines(summary: rv.Summary, unit: str, year: int, deadline: date | None) -> list[str]:
    K = L.LKE_REVIEW_CLI
    lines = [
        K["state_line"].format(
            unit=unit,
            year=year,
            state=rv.state_label(summary.state),
            round=summary.round,
            unit_total=n2(summary.unit_total),
            tpi_total=n2(summary.tpi_total),
        )
    ]
    if deadline:
        lines.append(K["deadline_line"].format(date=L.fmt_date(deadline), late=K["late"] if summary.overdue else ""))
    lines += [K["returned_line"].format(label=r.label, note=r.note or "–") for r in summary.returned]
    return lines
