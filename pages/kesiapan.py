"""Kesiapan: the work plan's progress as an estimate of the LKE score, every WBK/WBBM gate,
what is missing, points still open, evidence, follow-up per PIC, a what-if and the
self-assessment."""

from zi_dashboard import labels as L
from zi_dashboard.app import ui

ctx = ui.context()
ui.page_header(L.PAGES["readiness"], ctx)
ui.flash()
ui.readiness_page(ctx)
