"""The meeting pack: what a meeting report shows of the data in use at a date (the report's
HTML and the Excel pack)."""

from __future__ import annotations

from dataclasses import dataclass

from zi_dashboard.app.service.data import Context
from zi_dashboard.app.service.history import since_previous, since_previous_note
from zi_dashboard.app.service.readiness import assessment_in_use, readiness_of
from zi_dashboard.app.service.workplans import home, unit_line
from zi_dashboard.outputs import meeting_pack
from zi_dashboard.reading.caching import cached
from zi_dashboard.storage.records import Workplan

MEETING_SLIDES = ["headline", "components", "timeline", "overdue", "readiness", "changes", "tpi"]


@dataclass(frozen=True, eq=False)
class _Gathered:
    """A meeting report's content and what it was made of: the data and date, the previous
    upload, the self-assessment, the LKE answer sets in use (the pack's cache key)."""

    meeting: meeting_pack.Meeting
    made_of: tuple


def _gather(ctx: Context) -> _Gathered:
    wp = ctx.workplan or home()
    found = since_previous(ctx.data)
    assessment = assessment_in_use(wp)
    answers = lke_in_use(wp)
    tpi = _tpi_in_use(wp)
    m = meeting_pack.Meeting(
        ctx.result,
        ctx.source_label(),
        ctx.data.position_date,
        found[0].before if found else None,
        since_previous_note(found[1]) if found else "",
        readiness=readiness_of(ctx, assessment.assessment),
        unit=unit_line(wp),
        current=found[0].after if found else None,
        lke=answers[0] if answers else None,
        lke_source=answers[1] if answers else "",
        tpi=tpi.comparison if tpi else None,
        tpi_source=tpi.source if tpi else "",
        tpi_stage=tpi.stage_line if tpi else "",
    )
    made_of = (
        ctx.data,
        ctx.as_of,
        found[1] if found else None,
        assessment.ident,
        answers[1] if answers else None,
        tpi.key if tpi else None,
    )
    return _Gathered(m, made_of)


def meeting(ctx: Context) -> meeting_pack.Meeting:
    """What a meeting report shows: the data in use at the as-of date, and the change since
    the previous upload (since_previous)."""
    return _gather(ctx).meeting


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


@cached(maxsize=8, max_bytes=48 * 1024 * 1024, key=lambda kind, gathered: (kind, gathered.made_of))
def _pack(kind: str, gathered: _Gathered) -> bytes:
    m = gathered.meeting
    return meeting_pack.build_html(m) if kind == "html" else meeting_pack.build_xlsx(m)


def pack(kind: str, ctx: Context) -> bytes:
    """The meeting report ('html') or the Excel pack ('xlsx') for this data and date (built
    once for the same data, date, previous upload, self-assessment and LKE answers in use)."""
    return _pack(kind, _gather(Context(ctx.data, ctx.as_of, None, ctx.result)))
