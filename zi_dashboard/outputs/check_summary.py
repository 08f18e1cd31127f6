"""A checked progress file as one plain dict (the CLI's --json) and as readable text."""

from __future__ import annotations

from datetime import date

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import Result, round1
from zi_dashboard.counting.rows import component_rows, indicator_rows
from zi_dashboard.reading.problems import Problem, error


def _iso(d) -> str | None:
    return d.isoformat() if d is not None else None


def as_dict(valid: bool, as_of: date, problems: list[Problem], result: Result | None) -> dict:
    out = {
        "valid": valid,
        "as_of": as_of.isoformat(),
        "errors": [p.as_dict() for p in problems if p.is_error],
        "warnings": [p.as_dict() for p in problems if not p.is_error],
        "overall_completion": None,
        "overall_planned": None,
        "components": [],
        "indicators": [],
        "overdue": [],
    }
    if result is None:
        return out
    out["overall_completion"] = round1(result.overall_completion)
    out["overall_planned"] = round1(result.overall_planned)
    out["components"] = [
        {
            "code": str(c.code),
            "name": c.name,
            "completion": round1(c.completion),
            "planned": round1(c.planned),
            "indicators": int(c.indicators),
            "done": int(c.done),
            "overdue": int(c.overdue),
        }
        for c in component_rows(result.components)
    ]
    out["indicators"] = [
        {
            "code": r.code,
            "component": r.component,
            "indicator": r.indicator,
            "progress": round1(r.progress),
            "planned": round1(r.planned),
            "status": r.status,
            "target_start": _iso(r.target_start),
            "target_end": _iso(r.target_end),
            "days_overdue": int(r.days_overdue),
        }
        for r in indicator_rows(result.indicators)
    ]
    out["overdue"] = [
        {
            "code": r.code,
            "indicator": r.indicator,
            "progress": round1(r.progress),
            "target_end": _iso(r.target_end),
            "days_overdue": int(r.days_overdue),
        }
        for r in indicator_rows(result.overdue)
    ]
    return out


def unreadable_dict(exc: Exception, as_of: date) -> dict:
    """The --json answer for a file that cannot be read at all (its one error carries the code)."""
    return as_dict(False, as_of, [error(exc.args[0] if exc.args else str(exc))], None)


def as_text(
    filename: str, plan_source: str, as_of: date, position: date | None, problems: list[Problem], result: Result | None
) -> str:
    C = L.CLI
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    lines = [
        f"{C['file']}: {filename}",
        f"{C['plan']}: {plan_source}",
        f"{C['as_of']}: {L.fmt_date(as_of)}",
    ]
    if position:
        lines.append(f"{C['position']}: {L.fmt_date(position)}")
    lines.append("")
    lines.append(L.msg("cli_valid") if not errors else L.msg("invalid_file", count=len(errors)))
    if errors:
        lines.append(f"\n{C['errors']} ({len(errors)}):")
        lines += [f"  - {p.text()}" for p in errors]
    if warnings:
        lines.append(f"\n{C['warnings']} ({len(warnings)}):")
        lines += [f"  - {p.text()}" for p in warnings]
    if result is None:
        return "\n".join(lines)
    lines.append("")
    lines.append(
        f"{C['overall']}: {L.fmt_pct(result.overall_completion)} ({C['planned']} {L.fmt_pct(result.overall_planned)})"
    )
    counts = result.status_counts
    lines.append("  " + " · ".join(f"{s}: {counts[s]}" for s in L.STATUS_ORDER))
    lines.append(f"\n{C['per_component']}:")
    for c in component_rows(result.components):
        lines.append(f"  {c.code}. {c.name}: {L.fmt_pct(c.completion)} ({C['planned']} {L.fmt_pct(c.planned)})")
    overdue = result.overdue
    lines.append(f"\n{C['overdue']} ({len(overdue)}):")
    if overdue.empty:
        lines.append("  " + C["none_overdue"])
    for r in indicator_rows(overdue):
        lines.append(
            C["overdue_line"].format(
                code=r.code,
                indicator=r.indicator,
                days=r.days_overdue,
                progress=L.fmt_pct(r.progress),
                end=L.fmt_date(r.target_end),
            )
        )
    return "\n".join(lines)
