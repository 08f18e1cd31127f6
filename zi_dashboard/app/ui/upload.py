"""Unggah: reading an uploaded file, its problems, what it would change, saving it; replacing
the work plan.  Editors only (the page asks ui.editor() before it draws these)."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import bundles, service
from zi_dashboard.app.service import Context, NotAllowed, PlanError, UnreadableFile, UploadCheck, Workplan
from zi_dashboard.app.ui.common import done, form, md_escape, uploader_key
from zi_dashboard.app.ui.sidebar import editor, editor_of, show_workplan
from zi_dashboard.counting.history import changes_table
from zi_dashboard.outputs.display import problems_table


def checked_upload(uploaded, wp: Workplan) -> UploadCheck:
    """Read an uploaded file as an upload of a work plan; where several sheets hold a progress
    table, let the user choose."""
    content, name = uploaded.getvalue(), uploaded.name
    check = service.check_upload(content, name, wp=wp)
    sheet = None
    if check.reading is not None and len(check.reading.sheets) > 1:
        sheet = st.selectbox(L.UI["sheet"], check.reading.sheets, key=f"sheet-{uploader_key()}")
        if sheet != check.reading.sheet:
            check = service.check_upload(content, name, sheet, wp=wp)
    if check.reading is not None and check.reading.column_choices:
        column = st.selectbox(
            L.UI["progress_column"],
            [auto := _auto_column(check.reading), *check.reading.column_choices],
            help=L.UI["progress_column_help" if check.reading.valid else "progress_column_any_help"],
            key=f"progress-column-{uploader_key()}",
        )
        if column != auto:
            check = service.check_upload(content, name, sheet, column, wp=wp)
    return check


def named_elsewhere(check: UploadCheck) -> bool:
    """A single file whose title names another unit or year than the one chosen (read as the
    zip upload and the CLI read it): said and refused, with a button to switch to the unit and
    year it names when that work plan exists and the editor may change it.  True: refused."""
    T = L.TITLE_UNIT
    found = bundles.named_elsewhere(check)
    if found is None:
        return False
    wp = check.workplan
    assert wp is not None  # bundles.named_elsewhere finds a name only for a file of a work plan
    named = L.UNITS["unit_year"].format(unit=found.named or wp.unit, year=found.year or wp.year)
    st.error(T["refused"].format(found=md_escape(named), chosen=md_escape(service.unit_line(wp))))
    target = bundles.workplan_named(found, wp)
    if target is None:
        st.info(T["no_plan"].format(found=md_escape(named)))
    elif not editor_of(target):
        st.info(T["not_yours"].format(found=md_escape(named)))
    elif st.button(
        T["switch"].format(found=service.unit_line(target)),
        type="primary",
        key="title-unit-switch",
        icon=":material/swap_horiz:",
    ):
        show_workplan(target)  # the file stays in the uploader and is checked against that plan
        st.rerun()
    return True


def _auto_column(reading) -> str:
    """The first choice of "Kolom progres": what the reader did on its own."""
    if any(p.code in ("progress_columns_used", "progress_columns_ambiguous") for p in reading.problems):
        return L.UI["progress_column_auto"]  # a column per month or quarter
    if reading.valid:
        return L.UI["progress_column_auto_one"].format(column=reading.columns.get("progress", ""))
    return L.UI["progress_column_choose"]


def problems_panel(check: UploadCheck) -> None:
    """Whether the file can be used, and every problem with its row and column."""
    st.subheader(L.UI["report_title"])
    if check.reading is None:
        st.error(L.UI["unreadable"].format(message=md_escape(check.message)))
        return
    rep = check.reading
    if rep.valid:
        st.success(L.UI["valid"].format(rows=len(rep.rows), warnings=len(rep.warnings)))
    else:
        st.error(L.UI["invalid"].format(errors=len(rep.errors)))
        st.markdown(f"**{L.UI['errors']}**")
        st.dataframe(problems_table(rep.errors), hide_index=True, width="stretch")
        full_messages(rep.errors)
    if rep.warnings:
        with st.expander(f"{L.UI['warnings']} ({len(rep.warnings)})", expanded=rep.valid and len(rep.warnings) < 6):
            st.dataframe(problems_table(rep.warnings), hide_index=True, width="stretch")
            general = [p for p in rep.warnings if p.row is None][:10]  # about the whole file: often long
            if general:
                st.markdown("\n".join(f"- {md_escape(p.message)}" for p in general))


def full_messages(problems, limit: int = 30) -> None:
    """The messages whole (a table cell cuts a long one on a laptop screen)."""
    with st.expander(L.UI["full_messages"], expanded=len(problems) <= 3):
        st.markdown("\n".join(f"- {md_escape(p.text())}" for p in problems[:limit]))


def changes_against_current(ctx: Context, check: UploadCheck) -> None:
    """What saving this file would change, against the data in use (service.upload_changes)."""
    st.subheader(L.UI["changes_title"])
    moved, new = service.upload_changes(ctx, check)
    if moved.empty:
        st.info(L.UI["changes_none"])
        return
    st.write(
        L.UI["changes_summary"].format(
            n=len(moved),
            before=L.fmt_pct(ctx.result.overall_completion),
            after=L.fmt_pct(new.overall_completion),
            delta=L.fmt_signed_pct(new.overall_completion - ctx.result.overall_completion),
        )
    )
    st.dataframe(changes_table(moved, for_display=True), hide_index=True, width="stretch")


def _duplicate_note(snap) -> str:
    return L.UI["duplicate"].format(
        id=snap.id, when=service.local_time(snap.uploaded_at), who=md_escape(snap.uploaded_by)
    )


def older_notice(check: UploadCheck) -> None:
    """Before saving: a file describing an earlier date than the data in use is said to be
    older, and that it will be kept in history without replacing that data."""
    reading = check.reading
    assert reading is not None  # asked of a file that was read
    newer = None if check.duplicate_of is not None else service.newer_in_use(check, reading.position_date)
    if newer is not None:
        st.warning(
            L.OLDER["notice"].format(
                date=L.fmt_date(reading.position_date), id=newer.id, current_date=L.fmt_date(newer.position_date)
            ),
            icon=":material/history:",
        )


def save_form(check: UploadCheck) -> None:
    """The position date and Simpan; an identical file already stored is named instead."""
    if check.duplicate_of is not None:
        st.info(_duplicate_note(check.duplicate_of))
        return
    wp = check.workplan
    assert check.reading is not None and wp is not None  # asked of a file read against a work plan
    stated = check.reading.position_date
    older = service.newer_in_use(check, stated) is not None
    with form("save"):
        if stated is None:  # never guessed as today: the editor says it
            st.warning(L.UI["file_position_missing"].format(suggestion=L.fmt_date(end_of_last_month(date.today()))))
        pos = st.date_input(
            L.UI["file_position"],
            value=stated,
            format="DD/MM/YYYY",
            help=L.UI["file_position_help"],
            key=f"position-{uploader_key()}",
        )
        if st.form_submit_button(L.OLDER["save"] if older else L.UI["save"], type="primary", icon=":material/save:"):
            who = editor_of(wp)  # checked again at the moment of saving
            if not who:
                st.error(L.AUTH["need_editor"])
                return
            if pos is None:
                st.error(L.UI["file_position_need"])
                return
            saved = service.save_upload(check, who, pos)
            done(
                _duplicate_note(saved.snapshot)
                if saved.duplicate
                else service.kept_note(saved)
                if saved.replaced is not None
                else L.UI["saved"].format(name=md_escape(check.filename))
            )


def end_of_last_month(today: date) -> date:
    return today.replace(day=1) - timedelta(days=1)


def plan_replacement(wp: Workplan) -> None:
    """Editors: add a plan for a unit and year (read from the file's title, or typed), or a new
    version of an existing work plan's plan; the old versions stay stored.  Drawn only for a name
    the service lets add plans (a reviewer gets nothing it could not save)."""
    if not service.may_add_plans(editor()):
        return
    P, U = L.PLAN_UI, L.UNITS
    with st.expander(P["title"], icon=":material/edit_document:"):
        st.caption(P["intro"])
        up = st.file_uploader(P["uploader"], type=["csv", "xlsx"], key=f"plan-{uploader_key()}")
        if up is None:
            return
        content = up.getvalue()
        try:
            plan = service.read_plan_file(content, up.name)
        except UnreadableFile as exc:
            st.error(L.UI["unreadable"].format(message=md_escape(str(exc))))
            return
        except PlanError as exc:
            st.error(P["invalid"].format(n=len(exc.problems)))
            st.dataframe(problems_table(exc.problems), hide_index=True, width="stretch")
            return
        lo, hi = plan.span
        st.success(
            P["valid"].format(
                rows=len(plan.rows), components=len(plan.components), start=L.fmt_date(lo), end=L.fmt_date(hi)
            )
        )
        found_unit, found_year = service.plan_unit_year(plan)
        if found_unit or found_year:
            found = " · ".join(str(x) for x in (found_unit, found_year) if x)
            st.caption(P["from_title"].format(found=md_escape(found)))
        if not (found_unit and found_year):
            st.caption(P["not_in_title"])
        c1, c2 = st.columns([3, 1])
        unit = c1.text_input(U["unit"], value=found_unit or wp.unit, max_chars=160, key=f"plan-unit-{uploader_key()}")
        year = c2.number_input(
            U["year"],
            value=found_year or wp.year,
            min_value=service.MIN_YEAR,
            max_value=service.MAX_YEAR,
            step=1,
            key=f"plan-year-{uploader_key()}",
        )
        existing = service.workplan_of(unit, int(year)) if unit.strip() else None
        known = existing is not None and existing.year == int(year)
        st.info((P["new_version"] if known else P["new_workplan"]).format(unit=md_escape(unit.strip()), year=int(year)))
        st.dataframe(
            plan.rows[["code", "component", "indicator", "target"]].rename(columns=L.COL),
            hide_index=True,
            width="stretch",
        )
        if st.button(P["save"], type="primary", key="plan-save"):
            who = editor()
            if not who:
                st.error(L.AUTH["need_editor"])
                return
            try:
                added, stored = service.add_plan(content, up.name, who, unit, int(year))
            except (ValueError, NotAllowed) as exc:
                st.error(md_escape(str(exc)))
                return
            show_workplan(added)
            done(P["saved"].format(name=md_escape(up.name), unit=md_escape(added.unit), year=added.year, id=stored.id))


# --- a zip of many units' progress files: checked per file, then saved together ---------------
_BUNDLE_OUTCOME = "_zi_bundle_outcome"


def bundle_upload(uploaded, year: int) -> None:
    """A zip of many units' files: each matched to its unit and checked against that unit's
    work plan of `year` (the sidebar's), shown file by file before anything is saved; then one
    button saves the valid, matched, new files of the units this editor may change."""
    B = L.BULK
    try:
        items = bundles.check_bundle(uploaded.getvalue(), uploaded.name, year)
    except UnreadableFile as exc:
        st.error(L.UI["unreadable"].format(message=md_escape(str(exc))))
        return
    who = editor()
    st.subheader(B["title"].format(n=len(items)))
    st.markdown(B["year_note"].format(year=year))
    table = bundles.bundle_table(items, year, who)
    widths = {
        "col_file": 200,
        "col_unit": 255,
        "col_result": 150,
        "col_position": 115,
        "col_save": 255,
        "col_duplicate": 200,
    }  # the outcome readable on a laptop without scrolling sideways
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={B[k]: st.column_config.TextColumn(width=w) for k, w in widths.items()},
    )
    invalid = [it for it in items if it.check is not None and it.check.reading is not None and not it.check.valid]
    if invalid:
        with st.expander(B["problems"].format(n=len(invalid))):
            for it in invalid:
                assert it.check is not None and it.check.reading is not None  # as `invalid` holds them
                st.markdown(
                    "**" + md_escape(B["problems_of"].format(name=it.name, unit=it.unit or B["unrecognised"])) + "**"
                )
                st.dataframe(problems_table(it.check.reading.errors), hide_index=True, width="stretch")
    ready = [it for it in items if it.saveable]
    if not ready:
        st.warning(B["nothing"])
        return
    mine = [it for it in ready if who and it.workplan is not None and service.may_edit(who, it.workplan)]
    st.info(B["ready"].format(ok=len(mine), n=len(items)))
    undated = [it for it in ready if it.position_date is None]
    with form("bundle-save"):
        position = None
        if undated:  # never guessed as today: the editor gives one date for them all
            st.warning(
                B["position_missing"].format(
                    n=len(undated),
                    names=", ".join(md_escape(it.name) for it in undated),
                    suggestion=L.fmt_date(min(end_of_last_month(date.today()), date(year, 12, 31))),
                )
            )
            position = st.date_input(
                B["position_label"], value=None, format="DD/MM/YYYY", key=f"bundle-position-{uploader_key()}"
            )
        if st.form_submit_button(B["save"], type="primary", icon=":material/save:"):
            who = editor()  # checked again at the moment of saving
            if not who:
                st.error(L.AUTH["need_editor"])
                return
            if undated and position is None:
                st.error(B["position_need"])
                return
            outcome = bundles.save_bundle(items, who, position)
            st.session_state[_BUNDLE_OUTCOME] = _outcome_lines(outcome, uploaded.name, who)
            done("")  # the outcome is shown by bundle_outcome() on the next run; the uploader emptied


def _outcome_lines(outcome, zip_name: str, who: str) -> list[tuple[str, str]]:
    """(kind, markdown) lines saying what saving a zip did."""
    B = L.BULK
    saved = [
        B["duplicate_item"].format(name=md_escape(it.name), id=s.snapshot.id)
        if s.duplicate
        else B["saved_item"].format(
            name=md_escape(it.name), unit=md_escape(it.workplan.unit), year=it.workplan.year, id=s.snapshot.id
        )
        for it, s in outcome.saved
    ]
    lines = [
        ("success", B["saved"].format(n=len(saved), zip=md_escape(zip_name), names="; ".join(saved)))
        if saved
        else ("info", B["saved_none"].format(zip=md_escape(zip_name)))
    ]
    lines += [("warning", f"{md_escape(it.name)}: {service.kept_note(s)}") for it, s in outcome.saved if s.replaced]
    if outcome.refused:
        lines.append(
            (
                "warning",
                B["refused"].format(
                    name=md_escape(who), names="; ".join(md_escape(it.name) for it, _ in outcome.refused)
                ),
            )
        )
    if outcome.skipped:
        lines.append(("info", B["not_saved"].format(names="; ".join(md_escape(it.name) for it in outcome.skipped))))
    return lines


def bundle_outcome() -> None:
    """What the last zip's Simpan did (shown once, after the page ran again)."""
    for kind, text in st.session_state.pop(_BUNDLE_OUTCOME, None) or []:
        getattr(st, kind)(text)
