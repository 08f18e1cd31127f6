"""Laporan monev as the pages and the CLI ask for it: the figures of a Context (the same ones the
pages show: service.meeting, service.follow_ups, the LKE score when answers are saved) rendered by
outputs/monev as .docx or PDF; and the data a report of a past date counts (dataset_at)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.counting import history
from zi_dashboard.outputs import monev as out
from zi_dashboard.outputs import monev_html
from zi_dashboard.reading.caching import cached
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
    info = info or saved_info(ctx.workplan)  # the page: the unit's saved details
    if not info.office:  # the letterhead names the office: the unit, without the plan's year
        info = replace(info, office=(ctx.workplan or service.home()).unit.upper())
    follow = service.follow_ups(m.readiness) if m.readiness is not None else []
    return out.Monev(m, follow, lke_score(ctx.workplan), info)


def render(kind: str, m: out.Monev, template: bytes | None = None) -> bytes:
    """'docx' (from `template`, by default the shipped one) or 'pdf'.  TemplateProblem: the
    template cannot be used (the message says why).  A template given (an office's upload, a
    file named on the command line) is only opened in a child process (fill_in_child)."""
    if kind != "docx":
        return monev_html.render_pdf(m)
    return out.render_docx(m) if template is None else fill_in_child(template, m)


class TemplateBusy(out.TemplateProblem):
    """No reader was free to fill the template: nothing is known about the template itself."""


def fill_in_child(template: bytes, m: out.Monev) -> bytes:
    """The report as .docx from an untrusted template, checked and filled in a child process of
    reading/sandbox.py under its time and memory limits (limits.READ_SECONDS, READ_MEMORY_MB):
    a huge, malformed or endless template costs that child, never this process.  TemplateProblem
    with the Indonesian message when it cannot be used (too heavy included)."""
    from zi_dashboard.reading import limits, sandbox
    from zi_dashboard.reading.sheets import UnreadableFile

    if len(template) > out.MAX_TEMPLATE_BYTES:  # said without starting a child
        out.check_template(template)
    values, pictures = out.report_context(m)
    try:
        kind, value = sandbox.run("monev_docx", template, values, pictures, filename="templat")
    except sandbox.Busy:
        raise TemplateBusy(L.MONEV["tpl_busy"]) from None
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


# --- the unit's own template and the report's details (issue 24 item 2) -------------------------
DETAIL_FIELDS = ("number", "place", "signer_name", "signer_nip", "signer_position", "address")
# (store, template id) -> how its last fill in this process went: "" filled, else why it could not be
_FILLS: dict[tuple[str, int], str] = {}


def _engine():
    return service.get_store().engine


def _unit(wp: Workplan | None) -> str:
    return (wp or service.home()).unit


@dataclass(frozen=True)
class TemplateCheck:
    """An uploaded template, checked and filled once in a child process with the figures shown."""

    filename: str
    content: bytes
    sha256: str
    problem: str = ""  # the Indonesian message; "" when it can be used
    preview: bytes | None = None  # the report filled with it

    @property
    def valid(self) -> bool:
        return not self.problem


def check_template_upload(content: bytes, filename: str, ctx: service.Context) -> TemplateCheck:
    """Check an uploaded template by filling it, in a child process, with the report of what the
    page shows (the unit's saved details): every problem named, nothing stored."""
    sha = hashlib.sha256(content).hexdigest()
    if filename.lower().endswith((".docm", ".dotm")):
        return TemplateCheck(filename, content, sha, out.M["tpl_macro"])
    try:
        preview = fill_in_child(content, report(ctx))
    except out.TemplateProblem as exc:
        return TemplateCheck(filename, content, sha, str(exc))
    return TemplateCheck(filename, content, sha, "", preview)


def save_template(check: TemplateCheck, by: str, wp: Workplan, rights=None):
    """Keep a checked template as the unit's and put it in use.  NotAllowed: not the unit's editor."""
    from zi_dashboard.storage import report_templates as rt

    if not check.valid:
        raise ValueError("a template that cannot be used is not stored")
    service.ensure_allowed(by, wp, rights)
    stored = rt.add_template(_engine(), wp.unit, check.filename, check.sha256, check.content, by)
    _in_use_now.cache_clear()
    return stored


def use_template(template_id: int | None, by: str, wp: Workplan, rights=None, ctx: service.Context | None = None):
    """Put one of the unit's stored templates in use again (None: the default template).  With
    `ctx` (the page), a stored template is first filled with that report, in a child: when it
    cannot be (stored under older rules, say), TemplateProblem says why and nothing changes."""
    from zi_dashboard.storage import report_templates as rt

    service.ensure_allowed(by, wp, rights)
    if ctx is not None and template_id is not None:
        try:
            fill_in_child(template_content(template_id), report(ctx))
        except out.TemplateProblem as exc:
            raise out.TemplateProblem(L.MONEV_UP["use_refused"].format(id=template_id, problem=str(exc))) from None
    used = rt.use_template(_engine(), wp.unit, template_id, by)
    _in_use_now.cache_clear()
    return used


def templates(wp: Workplan | None):
    """The unit's stored templates, newest first."""
    from zi_dashboard.storage import report_templates as rt

    return rt.templates(_engine(), _unit(wp))


def template_uses(wp: Workplan | None):
    from zi_dashboard.storage import report_templates as rt

    return rt.template_uses(_engine(), _unit(wp))


def letter_moment(doc_date: date | None) -> datetime | None:
    """The end of the letter's date in the server's time (None: now)."""
    if doc_date is None:
        return None
    return datetime.combine(doc_date + timedelta(days=1), time()).astimezone()


def template_in_use(wp: Workplan | None, doc_date: date | None = None):
    """The unit's template in use at the end of the letter's date (now when None): a report is
    written on the letterhead of the day it is signed, whatever the period it reports on.  None:
    the default template."""
    from zi_dashboard.storage import report_templates as rt

    if doc_date is None:  # every run of Ringkasan and Mode rapat asks: kept as the store's answers are
        return _in_use_now(service.get_store().url, _unit(wp))
    return rt.in_use_at(_engine(), _unit(wp), letter_moment(doc_date))


@cached(maxsize=256, ttl=service.STORE_MAX_AGE)
def _in_use_now(url: str, unit: str):
    """The unit's template in use now, asked of the store at most every STORE_MAX_AGE seconds
    (another process's choice shows within that time, this process's own at once)."""
    from zi_dashboard.storage import report_templates as rt

    return rt.in_use_at(_engine(), unit, None)  # the store of `url`: the one in use


def template_content(template_id: int) -> bytes:
    from zi_dashboard.storage import report_templates as rt

    return rt.template_content(_engine(), template_id)


def saved_info(wp: Workplan | None) -> out.DocInfo:
    """The report's details (number, place, signer, address) last saved for the unit."""
    from zi_dashboard.storage import report_templates as rt

    found = rt.details(_engine(), _unit(wp))
    return info_of(found)


def info_of(values: dict[str, str]) -> out.DocInfo:
    """The letter's details (DETAIL_FIELDS) from texts, a missing one empty."""
    v = {k: str(values.get(k) or "") for k in DETAIL_FIELDS}
    return out.DocInfo(
        number=v["number"],
        place=v["place"],
        signer_name=v["signer_name"],
        signer_nip=v["signer_nip"],
        signer_position=v["signer_position"],
        address=v["address"],
    )


def with_saved(info: out.DocInfo, wp: Workplan | None) -> out.DocInfo:
    """`info` with the unit's saved details where it gives none (the CLI's flags win)."""
    saved = saved_info(wp)
    return replace(info, **{k: getattr(info, k) or getattr(saved, k) for k in DETAIL_FIELDS})


def save_info(info: out.DocInfo, by: str, wp: Workplan, rights=None) -> int:
    """Remember the report's details for the unit.  NotAllowed: not the unit's editor."""
    from zi_dashboard.reading.limits import MAX_TEXT_CHARS
    from zi_dashboard.storage import report_templates as rt

    service.ensure_allowed(by, wp, rights)
    values = {k: " ".join(str(getattr(info, k) or "").split())[:MAX_TEXT_CHARS] for k in DETAIL_FIELDS}
    return rt.save_details(_engine(), wp.unit, values, by)


def unit_docx(m: out.Monev, wp: Workplan | None) -> tuple[bytes, str]:
    """The report as .docx from the unit's template in use at the letter's date (filled in a child
    process), or the default template when there is none.  When the unit's template cannot be
    used now, the default one is used and the second value says why and what to do ("" otherwise)."""
    stored = template_in_use(wp, m.info.doc_date)
    if stored is None:
        return out.render_docx(m), ""
    key = (service.get_store().url, stored.id)
    try:
        content = fill_in_child(template_content(stored.id), m)
    except out.TemplateProblem as exc:
        problem = L.MONEV["tpl_fallback"].format(id=stored.id, name=stored.filename, problem=str(exc))
        if not isinstance(exc, TemplateBusy):  # a full queue says nothing of the template
            _FILLS[key] = problem
        return out.render_docx(m), problem
    _FILLS[key] = ""
    return content, ""


def known_problem(wp: Workplan | None, doc_date: date | None = None) -> str | None:
    """Why the unit's template in use (at the letter's date) could not be filled the last time it
    was in this process, so the default one was used: "" when it could or there is none, None
    when it was not filled here yet (template_problem finds out)."""
    stored = template_in_use(wp, doc_date)
    return "" if stored is None else _FILLS.get((service.get_store().url, stored.id))


def template_problem(ctx: service.Context, info: out.DocInfo | None = None) -> str:
    """Why the .docx of this report would be made with the default template instead of the unit's
    (what is wrong, what to do), "" when the unit's template fills or there is none.  A template
    not filled yet in this process is filled once now with the report's figures, in a child (a
    full queue of readers says nothing of the template: "" then, and it is tried again later)."""
    doc_date = info.doc_date if info is not None else None  # the saved details hold no date: today's
    known = known_problem(ctx.workplan, doc_date)
    if known is not None:
        return known
    unit_docx(report(ctx, info), ctx.workplan)
    return known_problem(ctx.workplan, doc_date) or ""
