"""Laporan monev as the pages and the CLI ask for it: the figures of a Context (the same ones the
pages show: service.meeting, service.follow_ups, the LKE score when answers are saved) rendered by
outputs/monev as .docx or PDF; and the data a report of a past date counts (dataset_at)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from zi_dashboard.app import service
from zi_dashboard.counting import history
from zi_dashboard.outputs import monev as out
from zi_dashboard.storage.records import Workplan

KINDS = ("docx", "pdf")


def _described(snap) -> date:
    return history.snapshot_date(snap.position_date, snap.uploaded_at)


def dataset_at(as_of: date, wp: Workplan | None = None) -> service.Dataset:
    """The data a report at `as_of` counts: the data in use, unless it describes a later date;
    then the newest upload describing `as_of` or an earlier date (the upload in use at the end of
    a past quarter, not today's data), or no progress at all when nothing was uploaded by then."""
    data = service.current_dataset(wp)
    if data.snapshot is None or _described(data.snapshot) <= as_of:
        return data
    wp = data.workplan or service.home()
    earlier = [s for s in service.snapshots(wp) if _described(s) <= as_of]
    store = service.get_store()
    if not earlier:
        from zi_dashboard.reading.progress import no_rows

        plan = store.parsed_plan(data.snapshot.plan_id)
        return service.Dataset(plan, no_rows(), None, f"empty-at:{store.url}:{wp.id}:{as_of}", "", None, workplan=wp)
    snap = max(earlier, key=lambda s: (_described(s), s.id))
    return service.Dataset(
        store.parsed_plan(snap.plan_id),
        store.rows(snap.id),
        snap,
        f"{store.url}#at{snap.id}",
        snap.filename,
        snap.position_date,
        workplan=wp,
    )


def lke_score(wp: Workplan | None):
    """The LKE score from the answers saved for the work plan, or None when none are saved."""
    from zi_dashboard.app import lke

    found, answers = lke.score_in_use(wp)
    return found if answers.stored is not None else None


def report(ctx: service.Context, info: out.DocInfo | None = None) -> out.Monev:
    """The report's figures: the meeting report's (service.meeting), follow-ups per PIC, the LKE score."""
    m = service.meeting(ctx)
    info = info or out.DocInfo()
    if not info.office:  # the letterhead names the office: the unit, without the plan's year
        info = replace(info, office=(ctx.workplan or service.home()).unit.upper())
    follow = service.follow_ups(m.readiness) if m.readiness is not None else []
    return out.Monev(m, follow, lke_score(ctx.workplan), info)


def render(kind: str, m: out.Monev, template: bytes | None = None) -> bytes:
    """'docx' (from `template`, by default the shipped one) or 'pdf'.  TemplateProblem: the
    template cannot be used (the message says why).  A template given (an office's upload, a
    file named on the command line) is only opened in a child process (fill_in_child)."""
    if kind != "docx":
        return out.render_pdf(m)
    return out.render_docx(m) if template is None else fill_in_child(template, m)


def fill_in_child(template: bytes, m: out.Monev) -> bytes:
    """The report as .docx from an untrusted template, checked and filled in a child process of
    reading/sandbox.py under its time and memory limits (limits.READ_SECONDS, READ_MEMORY_MB):
    a huge, malformed or endless template costs that child, never this process.  TemplateProblem
    with the Indonesian message when it cannot be used (too heavy included)."""
    from zi_dashboard import labels as L
    from zi_dashboard.reading import limits, sandbox
    from zi_dashboard.reading.sheets import UnreadableFile

    if len(template) > out.MAX_TEMPLATE_BYTES:  # said without starting a child
        out.check_template(template)
    values, pictures = out.report_context(m)
    try:
        kind, value = sandbox.run("monev_docx", template, values, pictures, filename="templat")
    except sandbox.Busy:
        raise out.TemplateProblem(L.MONEV["tpl_busy"]) from None
    except UnreadableFile:  # the child passed its time or memory limit, or died
        seconds, memory = float(limits.READ_SECONDS), float(limits.READ_MEMORY_MB)
        limit = " / ".join(
            (
                L.MSG["too_heavy_time"].format(seconds=L.fmt_number(seconds, 0 if seconds == int(seconds) else 1)),
                L.MSG["too_heavy_memory"].format(mb=L.fmt_number(memory, 0)),
            )
        )
        raise out.TemplateProblem(L.MONEV["tpl_too_heavy"].format(limit=limit)) from None
    except RuntimeError as exc:  # anything else the child met: said, never a traceback
        raise out.TemplateProblem(L.MONEV["tpl_failed"].format(reason=str(exc)[:300])) from None
    if kind != "ok":
        raise out.TemplateProblem(value)
    return value
