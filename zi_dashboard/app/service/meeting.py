"""The meeting pack: what a meeting report shows of the data in use at a date (the report's
HTML and the Excel pack)."""

from __future__ import annotations

from datetime import date

from zi_dashboard.app.service.data import Context, Dataset, result_for
from zi_dashboard.app.service.history import previous_snapshot, since_previous, since_previous_note
from zi_dashboard.app.service.readiness import assessment_in_use, readiness_of
from zi_dashboard.app.service.workplans import home, unit_line
from zi_dashboard.outputs import meeting_pack
from zi_dashboard.reading.caching import cached
from zi_dashboard.storage.records import Snapshot, Workplan

MEETING_SLIDES = ["headline", "components", "timeline", "overdue", "readiness", "changes", "tpi"]


def meeting(ctx: Context) -> meeting_pack.Meeting:
    """What a meeting report shows: the data in use at the as-of date, and the change since
    the previous upload (since_previous)."""
    found = since_previous(ctx.data)
    wp = ctx.workplan or home()
    answers = lke_in_use(wp)
    tpi = _tpi_in_use(wp)
    return meeting_pack.Meeting(
        ctx.result,
        ctx.source_label(),
        ctx.data.position_date,
        found[0].before if found else None,
        since_previous_note(found[1]) if found else "",
        readiness=readiness_of(ctx),
        unit=unit_line(wp),
        current=found[0].after if found else None,
        lke=answers[0] if answers else None,
        lke_source=answers[1] if answers else "",
        tpi=tpi.comparison if tpi else None,
        tpi_source=tpi.source if tpi else "",
    )


def _tpi_in_use(wp: Workplan):
    """Mandiri vs TPI of the answers in use (app.lke_compare.in_use), None without TPI answers."""
    # imported here, not at the top: app.lke_compare builds on this package
    from zi_dashboard.app import lke_compare

    return lke_compare.in_use(wp)


def lke_in_use(wp: Workplan):
    """The score from the LKE answers in use and which set they are, or None when none are saved."""
    # imported here, not at the top: app.lke builds on this package (its editors and store
    # access), so importing it while this package loads would make the two import each other
    from zi_dashboard.app import lke as service_lke

    result, found = service_lke.score_in_use(wp)
    return None if found.stored is None else (result, service_lke.set_label(found.stored))


@cached(maxsize=8, max_bytes=48 * 1024 * 1024)
def _pack(
    kind: str,
    data: Dataset,
    as_of: date,
    previous: Snapshot | None,
    assessment: int | None,
    lke_set: str | None = None,
    tpi_sets: tuple | None = None,
) -> bytes:
    m = meeting(Context(data, as_of, None, result_for(data, as_of)))
    return meeting_pack.build_html(m) if kind == "html" else meeting_pack.build_xlsx(m)


def pack(kind: str, ctx: Context) -> bytes:
    """The meeting report ('html') or the Excel pack ('xlsx') for this data and date."""
    answers = lke_in_use(ctx.workplan or home())
    tpi = _tpi_in_use(ctx.workplan or home())
    return _pack(
        kind,
        ctx.data,
        ctx.as_of,
        previous_snapshot(ctx.data),
        assessment_in_use(ctx.workplan).ident,
        answers[1] if answers else None,
        tpi.key if tpi else None,
    )
