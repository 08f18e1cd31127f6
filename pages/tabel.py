"""Tabel: every plan row, filtered by component (sidebar), status, PIC and free text; downloads
of exactly the rows shown."""

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service, ui
from zi_dashboard.outputs.display import pic_options
from zi_dashboard.reading.limits import MAX_TEXT_CHARS

ctx = ui.context()
ui.page_header(L.PAGES["table"], ctx)

c1, c2, c3 = st.columns([2, 2, 3])
statuses = c1.multiselect(
    L.UI["filter_status"], L.STATUS_ORDER, key="table_status", placeholder=L.UI["all"], select_all=False
)
pics = c2.multiselect(
    L.UI["filter_pic"], pic_options(ctx.indicators()), key="table_pic", placeholder=L.UI["all"], select_all=False
)
text = c3.text_input(L.UI["filter_text"], key="table_text", max_chars=MAX_TEXT_CHARS)

shown, export = service.filtered_tables(ctx, statuses, pics, text)
st.caption(L.UI["rows_shown"].format(n=len(shown), total=len(ctx.result.indicators)))
ui.indicator_dataframe(shown)
ui.download_buttons(
    export,
    "tabel-zi",
    ctx.as_of,
    "table",
    L.PAGES["table"],
    service.filter_lines(ctx, statuses, pics, text),
    unit=service.unit_line(ctx.workplan),
)
