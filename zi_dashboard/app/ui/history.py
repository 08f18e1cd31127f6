"""Riwayat: the S-curve of every upload, picking an upload (download, restore), and the
changes between two uploads."""

from __future__ import annotations

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import province, service
from zi_dashboard.app.service import Context
from zi_dashboard.app.ui.chart_widgets import plotly_chart
from zi_dashboard.app.ui.common import done, form
from zi_dashboard.app.ui.sidebar import editor_of
from zi_dashboard.app.ui.widgets import XLSX_MIME
from zi_dashboard.counting.history import changes_table
from zi_dashboard.outputs import charts, portfolio_out
from zi_dashboard.outputs.exports import file_owner, to_xlsx_bytes
from zi_dashboard.storage.records import Snapshot, Workplan


def s_curve(ctx: Context, snaps: list[Snapshot]) -> None:
    """Overall (or the sidebar's component) completion of every upload against the plan."""
    plotly_chart(service.s_curve_figure(ctx, snaps), "s_curve", ctx.as_of, ctx.workplan)


def snapshot_actions(ctx: Context, snaps: list[Snapshot]) -> None:
    """Pick an upload: download its original file, or restore it as the data in use."""
    H = L.HISTORY
    by_id = {s.id: s for s in snaps}
    chosen = st.selectbox(
        H["pick"], list(by_id), format_func=lambda i: service.snapshot_label(by_id[i]), key="history_pick"
    )
    snap = by_id[chosen]
    c1, c2 = st.columns([1, 2])
    c1.download_button(
        H["download_original"],
        data=lambda: service.original_file(snap.id, ctx.workplan),
        file_name=snap.filename,
        key="history_download",
        icon=":material/download:",
        on_click="ignore",
    )
    with c2:
        if ctx.data.snapshot is not None and ctx.data.snapshot.id == snap.id:
            st.caption(H["already_in_use"])
        elif not editor_of(ctx.workplan):
            st.caption(L.AUTH["need_editor"])
        elif st.button(H["restore"], icon=":material/restore:", key="history_restore"):
            who = editor_of(ctx.workplan)
            if who:  # checked again: an editor removed meanwhile restores nothing
                service.restore(snap.id, who, ctx.workplan)
                done(H["restored"].format(id=snap.id))
    if editor_of(ctx.workplan):
        correct_position(snap, ctx.workplan)


def correct_position(snap: Snapshot, wp: Workplan) -> None:
    """Editors: correct the position date of the picked upload (recorded, listed in Riwayat)."""
    H = L.HISTORY
    with st.expander(H["correct_title"], icon=":material/event:"), form(f"correct-{snap.id}"):
        st.caption(H["correct_intro"].format(id=snap.id, date=L.fmt_date(snap.position_date)))
        new = st.date_input(H["correct_date"], value=None, format="DD/MM/YYYY", key=f"correct-date-{snap.id}")
        if st.form_submit_button(H["correct_save"], icon=":material/save:"):
            who = editor_of(wp)  # checked again at the moment of the action
            if not who:
                st.error(L.AUTH["need_editor"])
            elif new is None:
                st.error(H["correct_need_date"])
            else:
                service.correct_position(snap.id, new, who, wp)
                done(H["corrected"].format(id=snap.id, date=L.fmt_date(new)))


def compare_snapshots(ctx: Context, snaps: list[Snapshot]) -> None:
    """The changes between two uploads, latest against the one before by default."""
    H = L.HISTORY
    if len(snaps) < 2:
        st.info(H["need_two"])
        return
    by_id = {s.id: s for s in snaps}
    ids = list(by_id)  # newest first
    c1, c2 = st.columns(2)
    label = lambda i: service.snapshot_label(by_id[i])  # noqa: E731
    old = c1.selectbox(H["from"], ids, index=1, format_func=label, key="history_from")
    new = c2.selectbox(H["to"], ids, index=0, format_func=label, key="history_to")
    cmp = service.compare_snapshots(by_id[old], by_id[new])
    shown = cmp.moved
    if shown.empty:
        st.info(H["no_change"])
        return
    before, after = cmp.before.overall_completion, cmp.after.overall_completion
    st.write(
        H["summary"].format(
            n=int((shown["change"].abs() > 1e-9).sum()),
            done=int(cmp.diff["became_done"].sum()),
            overdue=int(cmp.diff["became_overdue"].sum()),
            before=L.fmt_pct(before),
            after=L.fmt_pct(after),
            delta=L.fmt_signed_pct(after - before),
        )
    )
    table = changes_table(shown)
    st.dataframe(changes_table(shown, for_display=True), hide_index=True, width="stretch")
    title = H["changes_file_title"].format(old=old, new=new)
    owner = file_owner(service.unit_line(ctx.workplan))
    st.download_button(
        H["download_changes"],
        data=lambda: to_xlsx_bytes(table, H["changes_sheet"], [title, service.unit_line(ctx.workplan)]),
        file_name=H["changes_file"].format(old=old, new=new, owner=owner),
        key="history_changes_xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
    )


def year_comparison(ctx: Context) -> None:
    """The unit's years side by side: final completion per component, year against year (a
    chart and a small table); nothing when the unit has one year."""
    P = L.PROVINCE
    comparison = province.year_comparison(ctx.workplan.unit)
    if comparison["year"].nunique() < 2:
        return
    st.subheader(P["years_title"])
    st.caption(P["years_note"] + " " + L.YEARS_MATCHED["note"])
    plotly_chart(charts.year_comparison_chart(comparison, ctx.workplan.unit), "years", ctx.as_of, ctx.workplan)
    st.dataframe(portfolio_out.year_table(comparison), hide_index=True, width="stretch")
