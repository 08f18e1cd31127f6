"""Ringkasan: the headline figures, completion per component, status per component, a way into
one component, how the figures are counted, and the meeting pack."""

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import ui

ctx = ui.context()
ui.page_header(L.PAGES["overview"], ctx)
ui.headline(ctx)
ui.chart("components", ctx)
ui.chart("status", ctx)
ui.component_drilldown(ctx)
with st.expander(L.UI["how_counted"], icon=":material/calculate:"):
    st.markdown(L.UI["how_counted_text"].format(n=len(ctx.result.indicators)))
ui.meeting_downloads(ctx)
