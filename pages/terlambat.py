"""Terlambat: overdue rows worst first, then the rows behind schedule; both downloadable."""
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard import ui

ctx = ui.context()
ui.page_header(L.PAGES["overdue"], ctx)
when = L.fmt_date(ctx.as_of)

st.subheader(L.UI["overdue_title"])
overdue = ui.view("overdue", ctx)
if overdue.empty:
    st.success(L.UI["overdue_none"].format(date=when))
else:
    st.error(L.UI["overdue_count"].format(n=len(overdue), date=when))
    st.dataframe(overdue, hide_index=True, width="stretch")
    ui.download_buttons(overdue, "terlambat-zi", ctx.as_of, "overdue", L.UI["overdue_title"])

st.subheader(L.UI["behind_title"])
behind = ui.view("behind", ctx)
if behind.empty:
    st.success(L.UI["behind_none"].format(date=when))
else:
    st.warning(L.UI["behind_count"].format(n=len(behind), date=when))
    st.dataframe(behind, hide_index=True, width="stretch")
    ui.download_buttons(behind, "tertinggal-zi", ctx.as_of, "behind", L.UI["behind_title"])
