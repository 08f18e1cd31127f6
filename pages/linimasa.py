"""Linimasa: every plan row against its target period, coloured by status."""

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import ui

ctx = ui.context()
ui.page_header(L.PAGES["timeline"], ctx)
st.caption(L.UI["timeline_caption"])
ui.chart("timeline", ctx, ctx.component)
