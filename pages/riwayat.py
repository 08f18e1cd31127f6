"""Riwayat: completion across all snapshots against the plan, the list of snapshots with
download and restore, and what changed between two snapshots."""

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service, ui

ctx = ui.context()
ui.page_header(L.HISTORY["title"], ctx)
ui.flash()
snaps = service.snapshots(ctx.workplan)

if not snaps:
    st.info(L.HISTORY["no_snapshots"])
else:
    ui.s_curve(ctx, snaps)

    st.subheader(L.HISTORY["list"])
    in_use = ctx.data.snapshot.id if ctx.data.snapshot else None
    st.dataframe(service.snapshot_table(snaps, in_use, ctx.workplan), hide_index=True, width="stretch")
    ui.snapshot_actions(ctx, snaps)

    st.subheader(L.HISTORY["compare"])
    ui.compare_snapshots(ctx, snaps)

ui.year_comparison(ctx)  # only when the unit has two years or more
