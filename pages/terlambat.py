"""Terlambat: overdue rows worst first, then the rows behind schedule; both downloadable."""

from zi_dashboard import labels as L
from zi_dashboard.app import ui

ctx = ui.context()
ui.page_header(L.PAGES["overdue"], ctx)
ui.status_list("overdue", ctx)
ui.status_list("behind", ctx)
