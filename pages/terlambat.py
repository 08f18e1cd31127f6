"""Terlambat: overdue rows worst first, then the rows behind schedule; both downloadable."""
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard import ui
from zi_dashboard.views import BEHIND_COLUMNS, OVERDUE_COLUMNS, short_table

ctx = ui.context()
ui.page_header(L.PAGES["overdue"], ctx)
when = L.fmt_date(ctx.as_of)
only = ctx.indicators()["code"]

st.subheader(L.UI["overdue_title"])
overdue = ctx.result.overdue[ctx.result.overdue["code"].isin(only)]
if overdue.empty:
    st.success(L.UI["overdue_none"].format(date=when))
else:
    st.error(L.UI["overdue_count"].format(n=len(overdue), date=when))
    table = short_table(overdue, OVERDUE_COLUMNS)
    st.dataframe(table, hide_index=True, width="stretch")
    ui.download_buttons(table, "terlambat-zi", ctx.as_of, "overdue", L.UI["overdue_title"])

st.subheader(L.UI["behind_title"])
behind = ctx.result.behind[ctx.result.behind["code"].isin(only)]
if behind.empty:
    st.success(L.UI["behind_none"].format(date=when))
else:
    st.warning(L.UI["behind_count"].format(n=len(behind), date=when))
    table = short_table(behind, BEHIND_COLUMNS)
    st.dataframe(table, hide_index=True, width="stretch")
    ui.download_buttons(table, "tertinggal-zi", ctx.as_of, "behind", L.UI["behind_title"])
