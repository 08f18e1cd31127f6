"""Ringkasan: the headline figures, completion per component, status per component."""
import streamlit as st

from zi_dashboard import ui
from zi_dashboard import labels as L

ctx = ui.context()
ui.page_header(L.PAGES["overview"], ctx)
result = ctx.result

ui.headline(ctx)
ui.chart("components", ctx)
ui.chart("status", ctx)

st.subheader(L.UI["look_into"])
names = dict(zip(result.components["code"], result.components["name"]))
chosen = st.selectbox(L.UI["choose_component"], list(names), format_func=lambda c: f"{c}. {names[c]}",
                      index=list(names).index(ctx.component) if ctx.component else 0)
ui.component_table(ctx, chosen)

with st.expander(L.UI["how_counted"]):
    st.markdown(L.UI["how_counted_text"].format(n=len(result.indicators)))

ui.meeting_downloads(ctx)
