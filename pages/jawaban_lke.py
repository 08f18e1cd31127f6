"""Jawaban LKE: the LKE question by question with the unit's answers, the score from answers
beside the plan-based forecast, what to improve next, a what-if on answers and the history of
answer sets (editors of the unit change and restore answers)."""

from zi_dashboard import labels as L
from zi_dashboard.app import ui

ctx = ui.context()
ui.page_header(L.PAGES["lke"], ctx)
ui.flash()
ui.lke_page(ctx)
